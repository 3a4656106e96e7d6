"""Statements of a period as a workbook accountants can audit: a summary sheet (a row per
statement) whose figures are live formulas over a detail sheet per statement, where each step's
total is a SUMIF over that statement's own lines."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.reports import excel
from rightsdesk.services.statement_documents import StatementDocument

STEPS = (
    (StatementLineKind.GROSS_RECEIPTS, "Gross receipts"),
    (StatementLineKind.DISTRIBUTION_FEE, "Distribution fee"),
    (StatementLineKind.EXPENSES_RECOUPED, "Expenses recouped"),
    (StatementLineKind.NET_RECEIPTS, "Net receipts"),
    (StatementLineKind.PARTICIPANT_SHARE, "Participant share"),
    (StatementLineKind.MG_RECOUPED, "MG recouped"),
    (StatementLineKind.ADJUSTMENT, "Adjustments"),
    (StatementLineKind.PAYABLE, "Payable"),
    (StatementLineKind.WITHHOLDING, "Withholding"),
    (StatementLineKind.PAID, "Paid"),
)
DETAIL_HEADERS = ("Step", "Description", "Title", "Media", "Territory", "Amount")
SUMMARY_HEADERS = ("Statement", "Status", "Period", "Period start", "Period end", "Deal", "Participant", "Currency") + tuple(
    label for _, label in STEPS) + ("Detail sheet",)
FIRST_AMOUNT_COLUMN = 9  # I: gross receipts on the summary


def number_format(minor_units: int) -> str:
    return "#,##0" + ("." + "0" * minor_units if minor_units else "") + ";[Red]-#,##0" + (
        "." + "0" * minor_units if minor_units else "")


def statement_workbook(documents: list[StatementDocument]) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    detail_names: list[str] = []
    for document in documents:
        detail_names.append(_detail_sheet(book, document))
    rows = []
    for document, sheet in zip(documents, detail_names):
        rows.append((document.number or "DRAFT", document.status.value, document.period, document.period_start,
                     document.period_end, document.deal_reference, document.participant, document.currency)
                    + tuple(None for _ in STEPS) + (sheet,))
    excel.table_sheet(book, "Summary", SUMMARY_HEADERS, rows, first=True)
    summary = book["Summary"]
    for index, (document, sheet) in enumerate(zip(documents, detail_names), start=2):
        for offset, _ in enumerate(STEPS):
            cell = summary.cell(row=index, column=FIRST_AMOUNT_COLUMN + offset)
            cell.value = f"={quote_sheetname(sheet)}!$C${3 + offset}"  # the step's total on the detail sheet
            cell.number_format = number_format(document.minor_units)
        link = summary.cell(row=index, column=len(SUMMARY_HEADERS))
        link.hyperlink = f"#{quote_sheetname(sheet)}!A1"
        link.font = Font(color="1F4E79", underline="single")
    last = len(documents) + 1
    # Totals per currency: a SUMIF over the rows above, so they stay right when rows are filtered or edited.
    for number, currency in enumerate(sorted({d.currency for d in documents})):
        row = last + 2 + number
        summary.cell(row=row, column=7, value=f"Total {currency}").font = Font(bold=True)
        summary.cell(row=row, column=8, value=currency)
        minor = next(d.minor_units for d in documents if d.currency == currency)
        for offset, _ in enumerate(STEPS):
            column = get_column_letter(FIRST_AMOUNT_COLUMN + offset)
            cell = summary.cell(row=row, column=FIRST_AMOUNT_COLUMN + offset,
                                value=f'=SUMIF($H$2:$H${last},"{currency}",{column}$2:{column}${last})')
            cell.number_format = number_format(minor)
            cell.font = Font(bold=True)
    for offset, _ in enumerate(STEPS):
        summary.column_dimensions[get_column_letter(FIRST_AMOUNT_COLUMN + offset)].width = 16
    return excel.to_bytes(book)


def _detail_sheet(book: Workbook, document: StatementDocument) -> str:
    """A statement's sheet: its step totals on top (SUMIF over its lines), then every line."""
    wanted = f"{document.number or 'DRAFT'} {document.participant}"
    sheet = book.create_sheet(excel.sheet_name(wanted, book.sheetnames))
    money = number_format(document.minor_units)
    excel.put(sheet, 1, 1, f"{document.participant} · {document.deal_reference} · {document.period} · {document.currency}")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    first_line, last_line = 3 + len(STEPS) + 2, 3 + len(STEPS) + 1 + len(document.lines)
    header_row = first_line - 1
    for column, header in enumerate(("Step", "Line kind", "Total"), start=1):
        excel.put(sheet, 2, column, header)
        sheet.cell(row=2, column=column).font = Font(bold=True)
    for offset, (kind, label) in enumerate(STEPS):
        row = 3 + offset
        excel.put(sheet, row, 1, label)
        excel.put(sheet, row, 2, kind.value)
        total = sheet.cell(row=row, column=3, value=f'=SUMIF($A${first_line}:$A${last_line},$B{row},$F${first_line}:$F${last_line})')
        total.number_format = money
        total.font = Font(bold=kind in (StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID))
    for column, header in enumerate(DETAIL_HEADERS, start=1):
        excel.put(sheet, header_row, column, header)
        sheet.cell(row=header_row, column=column).font = Font(bold=True)
        sheet.cell(row=header_row, column=column).fill = excel.HEADER_FILL
    for number, line in enumerate(document.lines):
        row = first_line + number
        for column, value in enumerate((line.kind.value, line.description, line.title, line.media, line.territory), start=1):
            excel.put(sheet, row, column, value)
        cell = sheet.cell(row=row, column=6, value=line.amount)
        cell.number_format = money
    for column, width in zip("ABCDEF", (22, 48, 36, 10, 10, 16)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{first_line}"
    sheet.auto_filter.ref = f"A{header_row}:F{max(last_line, header_row)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return sheet.title
