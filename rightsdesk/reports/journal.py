"""The general-ledger journal of a period's statements as CSV (for import into an accounting
system) and as a workbook (for reading), one balanced entry per statement (domain/ledger.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.domain.ledger import Accounts, JournalLine, StatementTotals, journal_entry
from rightsdesk.reports import excel
from rightsdesk.reports.statement_workbook import number_format
from rightsdesk.services.statement_documents import StatementDocument

HEADERS = ("Date", "Reference", "Account", "Account name", "Debit", "Credit", "Currency", "Description")


def totals(document: StatementDocument) -> StatementTotals:
    kind = StatementLineKind
    return StatementTotals(
        reference=document.number or f"DRAFT-{document.statement_id}",
        posted_on=document.issued_on or document.period_end,
        currency=document.currency,
        description=f"Royalties {document.period} · {document.participant} · {document.deal_reference}",
        participant_share=document.total(kind.PARTICIPANT_SHARE), adjustments=document.total(kind.ADJUSTMENT),
        mg_recouped=document.total(kind.MG_RECOUPED), expenses_recouped=document.total(kind.EXPENSES_RECOUPED),
        payable=document.total(kind.PAYABLE), withholding=document.total(kind.WITHHOLDING), paid=document.total(kind.PAID),
        reserve_held=document.total(kind.RESERVE_HELD),
        reserve_released=document.total(kind.RESERVE_RELEASED) + document.total(kind.RESERVE_APPLIED),
        expenses_borne=document.total(kind.EXPENSES_BORNE),
    )


def journal(documents: Iterable[StatementDocument], accounts: Accounts = Accounts()) -> list[JournalLine]:
    return [line for document in documents for line in journal_entry(totals(document), accounts)]


def journal_csv(documents: list[StatementDocument], accounts: Accounts = Accounts()) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads non-Latin names), ISO dates, amounts with a
    point and the currency's minor units, no grouping: what accounting imports expect."""
    minor = {d.currency: d.minor_units for d in documents}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(h.lower().replace(" ", "_") for h in HEADERS)
    for line in journal(documents, accounts):
        places = minor[line.currency]
        writer.writerow([line.posted_on.isoformat(), line.reference, line.account.code, line.account.name,
                         f"{line.debit:.{places}f}", f"{line.credit:.{places}f}", line.currency,
                         _csv_safe(line.description)])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_safe(text: str) -> str:
    """A description a spreadsheet opening the CSV will not run as a formula."""
    cleaned = excel.clean_text(text)
    return "'" + cleaned if cleaned.startswith(excel.FORMULA_START) else cleaned


def journal_workbook(documents: list[StatementDocument], accounts: Accounts = Accounts()) -> bytes:
    minor = {d.currency: d.minor_units for d in documents}
    lines = journal(documents, accounts)
    book = Workbook()
    sheet = excel.table_sheet(book, "Journal", HEADERS, (
        (line.posted_on, line.reference, line.account.code, line.account.name, line.debit, line.credit,
         line.currency, line.description) for line in lines), first=True)
    for row, line in enumerate(lines, start=2):
        for column in (5, 6):
            sheet.cell(row=row, column=column).number_format = number_format(minor[line.currency])
    for column, width in zip("ABCDEFGH", (12, 18, 10, 36, 16, 16, 10, 60)):
        sheet.column_dimensions[column].width = width
    # Totals per currency as live formulas, with the difference that must be zero.
    last = len(lines) + 1
    row = last + 2
    for currency in sorted(minor):
        excel.put(sheet, row, 4, f"Total {currency}")
        for column in ("E", "F"):
            sheet[f"{column}{row}"] = f'=SUMIF($G$2:$G${last},"{currency}",{column}$2:{column}${last})'
        sheet[f"G{row}"] = currency
        sheet[f"H{row}"] = f'=IF(ROUND(E{row}-F{row},{minor[currency]})=0,"balanced","DIFFERENCE "&TEXT(E{row}-F{row},"0.00"))'
        for column in "DEFGH":
            sheet[f"{column}{row}"].font = Font(bold=True)
        for column in "EF":
            sheet[f"{column}{row}"].number_format = number_format(minor[currency])
        row += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{last}"
    return excel.to_bytes(book)
