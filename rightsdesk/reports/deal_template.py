"""The blank deals template, as a workbook (rightsdesk.services.deal_template imports it back)."""

from __future__ import annotations

from openpyxl import Workbook

from rightsdesk.domain.deal_template import (
    DEAL_COLUMNS,
    EXAMPLE_DEAL,
    EXAMPLE_GRANT,
    GRANT_COLUMNS,
    INSTRUCTIONS,
    MG_PAYMENT_COLUMNS,
    OPTIONAL_DEAL_COLUMNS,
    OPTIONAL_GRANT_COLUMNS,
)
from rightsdesk.reports import excel


def template() -> bytes:
    """The blank template, with an example row on each sheet and the instructions."""
    book = Workbook()
    excel.table_sheet(book, "Deals", DEAL_COLUMNS + OPTIONAL_DEAL_COLUMNS, [EXAMPLE_DEAL], first=True)
    excel.table_sheet(book, "Grants", GRANT_COLUMNS + OPTIONAL_GRANT_COLUMNS, [EXAMPLE_GRANT])
    excel.table_sheet(book, "MG payments", MG_PAYMENT_COLUMNS, [])
    excel.table_sheet(book, "Instructions", INSTRUCTIONS[0], INSTRUCTIONS[1:])
    return excel.to_bytes(book)
