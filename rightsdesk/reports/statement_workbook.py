"""Statements of a period as a workbook accountants can audit: a summary sheet (a row per
statement) whose figures are live formulas over a detail sheet per statement, where each step's
total is a SUMIF over that statement's own lines.

Sheets are streamed (openpyxl's write-only mode): a thousand statements of a hundred lines
each write in a few seconds instead of holding every cell in memory first.
"""

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
BOLD_STEPS = {StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID}
DETAIL_HEADERS = ("Step", "Description", "Title", "Media", "Territory", "Amount")
SUMMARY_HEADERS = ("Statement", "Status", "Period", "Period start", "Period end", "Deal", "Participant", "Currency") + tuple(
    label for _, label in STEPS) + ("Detail sheet",)
FIRST_AMOUNT_COLUMN = 9  # I: gross receipts on the summary
STEP_ROW = 3  # the first step's total on a detail sheet
FIRST_LINE = STEP_ROW + len(STEPS) + 2  # the first line, under its header row


def number_format(minor_units: int) -> str:
    decimals = "." + "0" * minor_units if minor_units else ""
    return f"#,##0{decimals};[Red]-#,##0{decimals}"


def statement_workbook(documents: list[StatementDocument]) -> bytes:
    book = Workbook(write_only=True)
    names: list[str] = []
    for document in documents:  # known before any sheet is written: the summary links to them
        names.append(excel.sheet_name(f"{document.number or 'DRAFT'} {document.participant}", names + ["Summary"]))
    _summary(book, documents, names)
    for document, name in zip(documents, names):
        _detail(book, document, name)
    return excel.to_bytes(book)


def _summary(book: Workbook, documents: list[StatementDocument], names: list[str]) -> None:
    sheet = book.create_sheet("Summary")
    last = len(documents) + 1
    widths = [18, 9, 9, 12, 12, 16, 36, 9] + [16] * len(STEPS) + [30]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_HEADERS))}{last}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.append([excel.stream_cell(sheet, h, bold=True, fill=excel.HEADER_FILL) for h in SUMMARY_HEADERS])
    for document, name in zip(documents, names):
        money = number_format(document.minor_units)
        steps = [excel.formula_cell(sheet, f"={quote_sheetname(name)}!$C${STEP_ROW + offset}", number_format=money)
                 for offset in range(len(STEPS))]
        link = excel.stream_cell(sheet, name)
        link.hyperlink = f"#{quote_sheetname(name)}!A1"
        link.font = Font(color="1F4E79", underline="single")
        sheet.append([excel.stream_cell(sheet, v) for v in (
            document.number or "DRAFT", document.status.value, document.period, document.period_start,
            document.period_end, document.deal_reference, document.participant, document.currency)] + steps + [link])
    sheet.append([])
    # Totals per currency: SUMIFs over the rows above, so they stay right when rows are filtered or edited.
    for currency in sorted({d.currency for d in documents}):
        money = number_format(next(d.minor_units for d in documents if d.currency == currency))
        totals = [excel.formula_cell(sheet, f'=SUMIF($H$2:$H${last},"{currency}",{column}$2:{column}${last})',
                                     number_format=money, bold=True)
                  for column in (get_column_letter(FIRST_AMOUNT_COLUMN + n) for n in range(len(STEPS)))]
        sheet.append([None] * 6 + [excel.stream_cell(sheet, f"Total {currency}", bold=True),
                                   excel.stream_cell(sheet, currency)] + totals)


def _detail(book: Workbook, document: StatementDocument, name: str) -> None:
    sheet = book.create_sheet(name)
    money = number_format(document.minor_units)
    last_line = FIRST_LINE + max(len(document.lines), 1) - 1
    for column, width in zip("ABCDEF", (22, 48, 36, 10, 10, 16)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{FIRST_LINE}"
    sheet.auto_filter.ref = f"A{FIRST_LINE - 1}:F{last_line}"
    sheet.print_title_rows = f"{FIRST_LINE - 1}:{FIRST_LINE - 1}"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    title = excel.stream_cell(sheet, f"{document.participant} · {document.deal_reference} · {document.period} · {document.currency}")
    title.font = Font(bold=True, size=12)
    sheet.append([title])
    sheet.append([excel.stream_cell(sheet, h, bold=True) for h in ("Step", "Line kind", "Total")])
    lines = f"${FIRST_LINE}:$A${last_line}"
    for offset, (kind, label) in enumerate(STEPS):
        row = STEP_ROW + offset
        total = f"=SUMIF($A{lines},$B{row},$F${FIRST_LINE}:$F${last_line})"
        sheet.append([excel.stream_cell(sheet, label, bold=kind in BOLD_STEPS), excel.stream_cell(sheet, kind.value),
                      excel.formula_cell(sheet, total, number_format=money, bold=kind in BOLD_STEPS)])
    sheet.append([])  # a blank row between the totals and the lines they add up
    sheet.append([excel.stream_cell(sheet, h, bold=True, fill=excel.HEADER_FILL) for h in DETAIL_HEADERS])
    for line in document.lines:
        sheet.append([excel.stream_value(sheet, v) for v in (line.kind.value, line.description, line.title, line.media,
                                                             line.territory)]
                     + [excel.stream_cell(sheet, line.amount, number_format=money)])
