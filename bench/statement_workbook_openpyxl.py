"""The statement workbook written with openpyxl's write-only mode, the same sheets, formats and
formulas as rightsdesk/reports/statement_workbook.py (XlsxWriter's constant-memory mode), one
statement at a time: what bench/reports.py times it against. openpyxl was the product's writer
until it measured about twice as slow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from rightsdesk.reports import excel
from rightsdesk.reports.statement_workbook import (BOLD_STEPS, DETAIL_HEADERS, DETAIL_WIDTHS, FIRST_AMOUNT_COLUMN,
                                                   FIRST_LINE, FX_RATE, SOURCE_AMOUNT, STEP_ROW, STEPS,
                                                   SUMMARY_HEADERS, SUMMARY_WIDTHS, number_format)
from rightsdesk.services.statement_documents import StatementDocument

HEADER_FILL = excel.HEADER_FILL


class OpenpyxlStatementWorkbook:
    """add() each statement, then close(): the summary first, a detail sheet per statement."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.book = Workbook(write_only=True)
        self.names = excel.SheetNames(["Summary", "Not on a statement"])
        self.currencies: dict[str, int] = {}
        self.count = 0
        self.summary = self.book.create_sheet("Summary")
        for column, width in enumerate(SUMMARY_WIDTHS, start=1):
            self.summary.column_dimensions[get_column_letter(column)].width = width
        self.summary.freeze_panes = "A2"
        self.summary.print_title_rows = "1:1"
        self.summary.page_setup.orientation = "landscape"
        self.summary.sheet_properties.pageSetUpPr.fitToPage = True
        self.summary.page_setup.fitToWidth, self.summary.page_setup.fitToHeight = 1, 0
        self.summary.append([cell(self.summary, h, bold=True, fill=HEADER_FILL) for h in SUMMARY_HEADERS])

    def add(self, document: StatementDocument) -> None:
        name = self.names.take(f"{document.number or 'DRAFT'} {document.participant}")
        sheet = self.summary
        money = number_format(document.minor_units)
        steps = [cell(sheet, f"={quote_sheetname(name)}!$C${STEP_ROW + offset}", number_format=money)
                 for offset in range(len(STEPS))]
        link = cell(sheet, name)
        link.hyperlink = f"#{quote_sheetname(name)}!A1"
        link.font = Font(color="1F4E79", underline="single")
        sheet.append([value(sheet, v) for v in (
            document.number or "DRAFT", document.status.value, document.period, document.period_start,
            document.period_end, document.deal_reference, document.participant, document.currency)] + steps + [link])
        self._detail(document, name)
        self.currencies.setdefault(document.currency, document.minor_units)
        self.count += 1

    def close(self) -> None:
        sheet, last = self.summary, self.count + 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(SUMMARY_HEADERS))}{last}"  # written as the sheet closes
        sheet.append([])
        for currency in sorted(self.currencies):
            money = number_format(self.currencies[currency])
            totals = [cell(sheet, f'=SUMIF($H$2:$H${last},"{currency}",{column}$2:{column}${last})',
                           number_format=money, bold=True)
                      for column in (get_column_letter(FIRST_AMOUNT_COLUMN + n) for n in range(len(STEPS)))]
            sheet.append([None] * 6 + [cell(sheet, f"Total {currency}", bold=True), cell(sheet, currency)] + totals)
        self.book.save(self.target)

    def _detail(self, document: StatementDocument, name: str) -> None:
        sheet = self.book.create_sheet(name)
        money = number_format(document.minor_units)
        last_line = FIRST_LINE + max(len(document.lines), 1) - 1
        for column, width in enumerate(DETAIL_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = f"A{FIRST_LINE}"
        sheet.auto_filter.ref = f"A{FIRST_LINE - 1}:L{last_line}"
        sheet.print_title_rows = f"{FIRST_LINE - 1}:{FIRST_LINE - 1}"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        title = cell(sheet, f"{document.participant} · {document.deal_reference} · {document.period} · {document.currency}")
        title.font = Font(bold=True, size=12)
        sheet.append([title])
        sheet.append([cell(sheet, h, bold=True) for h in ("Step", "Line kind", "Total")])
        lines = f"${FIRST_LINE}:$A${last_line}"
        for offset, (kind, label) in enumerate(STEPS):
            row = STEP_ROW + offset
            total = f"=SUMIF($A{lines},$B{row},$F${FIRST_LINE}:$F${last_line})"
            sheet.append([cell(sheet, label, bold=kind in BOLD_STEPS), cell(sheet, kind.value),
                          cell(sheet, total, number_format=money, bold=kind in BOLD_STEPS)])
        sheet.append([])
        sheet.append([cell(sheet, h, bold=True, fill=HEADER_FILL) for h in DETAIL_HEADERS])
        for line in document.lines:
            sheet.append([value(sheet, v) for v in (line.kind.value, line.description, line.title, line.media,
                                                    line.territory)]
                         + [cell(sheet, line.amount, number_format=money)]
                         + [value(sheet, v) for v in (line.period, "yes" if line.late else "")]
                         + ([cell(sheet, line.source_amount, number_format=SOURCE_AMOUNT),
                             value(sheet, line.source_currency),
                             cell(sheet, line.fx_rate, number_format=FX_RATE),
                             value(sheet, line.fx_date)] if line.conversion else []))
        sheet.close()  # written out now: no file held open per sheet until the workbook is saved


def cell(sheet: Any, content: Any, *, number_format: str | None = None, bold: bool = False,
         fill: PatternFill | None = None) -> WriteOnlyCell:
    """A styled cell; text that looks like a formula stays text unless it is one of ours."""
    made = WriteOnlyCell(sheet, value=excel.clean_text(content) if isinstance(content, str) else content)
    if hasattr(content, "isoformat"):
        made.number_format = excel.DATE_FORMAT
    if number_format:
        made.number_format = number_format
    if bold:
        made.font = Font(bold=True)
    if fill is not None:
        made.fill = fill
    return made


def value(sheet: Any, content: Any) -> Any:
    """A plain value as openpyxl stores it as it is (cheaper than a cell), else a guarded cell."""
    if isinstance(content, str):
        content = excel.clean_text(content)
        if not content.startswith(excel.FORMULA_START):
            return content
        made = WriteOnlyCell(sheet, value=content)
        made.data_type = "s"
        return made
    if content is None or isinstance(content, int | float):
        return content
    return cell(sheet, content)
