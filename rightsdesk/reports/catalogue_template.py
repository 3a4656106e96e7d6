"""The blank catalogue template (rightsdesk.services.catalogue_template imports it back)."""

from __future__ import annotations

from openpyxl import Workbook

from rightsdesk.domain.catalogue_template import (
    EPISODE_COLUMNS,
    EXAMPLE_EPISODES,
    EXAMPLE_PARTY,
    EXAMPLE_TITLE,
    INSTRUCTIONS,
    PARTY_COLUMNS,
    TITLE_COLUMNS,
)
from rightsdesk.reports import excel


def template() -> bytes:
    """The blank template: an example row on each sheet, and the instructions."""
    book = Workbook()
    excel.table_sheet(book, "Parties", PARTY_COLUMNS, [EXAMPLE_PARTY], first=True)
    excel.table_sheet(book, "Titles", TITLE_COLUMNS, [EXAMPLE_TITLE])
    excel.table_sheet(book, "Episodes", EPISODE_COLUMNS, EXAMPLE_EPISODES)
    excel.table_sheet(book, "Instructions", INSTRUCTIONS[0], INSTRUCTIONS[1:])
    return excel.to_bytes(book)
