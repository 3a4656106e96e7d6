"""A rights offer as an EMA Avails 1.9 TV workbook, in the layout of MovieLabs' template."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from rightsdesk.domain.ema_layout import COLUMNS, FIELDS, SHEET_TITLE, VERSION
from rightsdesk.reports import excel


def offer_workbook(rows: Iterable[dict[str, Any]]) -> bytes:
    """Row 1 the categories, row 2 the field names, A3 the version and the notes, then one avail a row."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    for column, (category, name, note) in enumerate(COLUMNS, start=1):
        excel.put(sheet, 1, column, category)
        excel.put(sheet, 2, column, name)
        excel.put(sheet, 3, column, VERSION if column == 1 else note)
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(40, len(name) + 2))
    position = {name: column for column, name in enumerate(FIELDS, start=1)}
    count = 0
    for count, row in enumerate(rows, start=1):
        for name, value in row.items():
            if value is not None:
                excel.put(sheet, count + 3, position[name], value)
    sheet.freeze_panes = "A4"
    return excel.to_bytes(book)
