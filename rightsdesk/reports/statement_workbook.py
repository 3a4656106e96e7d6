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
from rightsdesk.services.statement_documents import SUMMARY, StatementDocument
from rightsdesk.services.statement_revenue import Unstated

# Every step of the waterfall, in the order it runs (the PDF's summary, all of it).
STEPS = tuple((kind, label) for kind, label, _ in SUMMARY)
BOLD_STEPS = {StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID}
DETAIL_HEADERS = ("Step", "Description", "Title", "Media", "Territory", "Amount", "Revenue period", "Reported late",
                  "Source amount", "Source currency", "FX rate", "Rate of")
UNSTATED_HEADERS = ("Line", "Source", "Identifier", "Period start", "Period end", "Territory", "Currency", "Amount",
                    "Reason")
SUMMARY_HEADERS = ("Statement", "Status", "Period", "Period start", "Period end", "Deal", "Participant", "Currency") + tuple(
    label for _, label in STEPS) + ("Detail sheet",)
FIRST_AMOUNT_COLUMN = 9  # I: gross receipts on the summary
STEP_ROW = 3  # the first step's total on a detail sheet
FIRST_LINE = STEP_ROW + len(STEPS) + 2  # the first line, under its header row


def number_format(minor_units: int) -> str:
    decimals = "." + "0" * minor_units if minor_units else ""
    return f"#,##0{decimals};[Red]-#,##0{decimals}"


def statement_workbook(documents: list[StatementDocument], unstated: list[Unstated] | None = None) -> bytes:
    """The summary, a sheet per statement and, when given, "Not on a statement": every imported
    line (or part) no statement holds, with its reason, so the period reconciles."""
    book = Workbook(write_only=True)
    names: list[str] = []
    reserved = ["Summary", "Not on a statement"]
    for document in documents:  # known before any sheet is written: the summary links to them
        names.append(excel.sheet_name(f"{document.number or 'DRAFT'} {document.participant}", names + reserved))
    _summary(book, documents, names)
    if unstated is not None:
        _unstated(book, unstated)
    for document, name in zip(documents, names):
        _detail(book, document, name)
    return excel.to_bytes(book)


def _unstated(book: Workbook, lines: list[Unstated]) -> None:
    sheet = book.create_sheet("Not on a statement")
    for column, width in zip("ABCDEFGHI", (8, 18, 24, 12, 12, 10, 10, 16, 60)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:I{max(len(lines), 1) + 1}"
    sheet.append([excel.stream_cell(sheet, h, bold=True, fill=excel.HEADER_FILL) for h in UNSTATED_HEADERS])
    for line in lines:
        sheet.append([excel.stream_value(sheet, v) for v in (line.line_id, line.source, line.identifier, line.period_start,
                                                             line.period_end, line.territory, line.currency)]
                     + [excel.stream_cell(sheet, line.amount, number_format="#,##0.00;[Red]-#,##0.00"),
                        excel.stream_value(sheet, line.reason)])
    if not lines:
        sheet.append([excel.stream_cell(sheet, "Every imported line is on a statement.")])


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
    for column, width in zip("ABCDEFGHIJKL", (22, 48, 36, 10, 10, 16, 12, 10, 16, 10, 14, 12)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{FIRST_LINE}"
    sheet.auto_filter.ref = f"A{FIRST_LINE - 1}:L{last_line}"
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
                     + [excel.stream_cell(sheet, line.amount, number_format=money)]
                     + [excel.stream_value(sheet, v) for v in (line.period, "yes" if line.late else "")]
                     + ([excel.stream_cell(sheet, line.source_amount, number_format="#,##0.00"),
                         excel.stream_value(sheet, line.source_currency),
                         excel.stream_cell(sheet, line.fx_rate, number_format="0.0000######"),
                         excel.stream_value(sheet, line.fx_date)] if line.conversion else []))
