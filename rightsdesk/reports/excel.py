"""Writing workbooks carefully: text that is never a formula, bold frozen headers, filters,
widths that fit, sheet names Excel accepts. Every workbook the product writes goes through here."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from rightsdesk.reports.xml_text import clean_text

FORMULA_START = ("=", "+", "-", "@")
MAX_SHEET_NAME = 31
MAX_WIDTH = 60
HEADER_COLOUR = "DDE3EA"  # behind header rows
HEADER_FILL = PatternFill("solid", fgColor=HEADER_COLOUR)
DATE_FORMAT = "yyyy-mm-dd"


def put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; user text is always text, even when it looks like a formula."""
    _guard(sheet.cell(row=row, column=column, value=_clean(value)))


def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _guard(cell: Any) -> Any:
    """Text that looks like a formula stays text; a date shows as a date."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"  # stored as a string: Excel shows it, never evaluates it
    elif isinstance(cell.value, date):
        cell.number_format = DATE_FORMAT
    return cell


def sheet_name(wanted: str, taken: Iterable[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\) and unused so far."""
    return SheetNames(taken).take(wanted)


class SheetNames:
    """Hands out sheet names Excel accepts, each unused so far (Excel compares them ignoring case)."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.used = {t.lower() for t in taken}

    def take(self, wanted: str) -> str:
        base = re.sub(r"[\[\]:*?/\\]", " ", clean_text(wanted)).strip().strip("'") or "Sheet"
        name, number = base[:MAX_SHEET_NAME].rstrip("'"), 1  # Excel refuses a name ending in a quote
        while name.lower() in self.used:
            number += 1
            suffix = f" ({number})"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        self.used.add(name.lower())
        return name


def table_sheet(book: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                *, first: bool = False) -> Worksheet:
    """A sheet holding one table: bold frozen header, a filter over it, fitted widths."""
    sheet = book.active if first else book.create_sheet()
    sheet.title = sheet_name(title, [s.title for s in book.worksheets if s is not sheet])
    widths = [len(h) for h in headers]
    for column, header in enumerate(headers, start=1):
        put(sheet, 1, column, header)
        sheet.cell(row=1, column=column).font = Font(bold=True)
        sheet.cell(row=1, column=column).fill = HEADER_FILL
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            put(sheet, count + 1, column, value)
            shown = 10 if isinstance(value, date) else len(str(value)) if value is not None else 0
            widths[column - 1] = max(widths[column - 1], shown)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and len(cell.value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
