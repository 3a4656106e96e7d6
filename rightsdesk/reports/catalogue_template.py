"""The blank catalogue template (rightsdesk.services.catalogue_template imports it back)."""

from __future__ import annotations

from openpyxl import Workbook

from rightsdesk.domain.catalogue_template import (
    EPISODE_COLUMNS,
    EXAMPLE_EPISODES,
    EXAMPLE_PARTY,
    EXAMPLE_SHEETS,
    EXAMPLE_TITLE,
    INSTRUCTIONS,
    PARTY_COLUMNS,
    TITLE_COLUMNS,
)
from rightsdesk.reports import excel


def template() -> bytes:
    """The blank template: the Parties, Titles and Episodes sheets empty below their headers, the
    instructions, and an example of each sheet on a sheet of its own ("Example titles"...),
    which the import never reads: a blank template imports nothing."""
    book = Workbook()
    excel.table_sheet(book, "Parties", PARTY_COLUMNS, [], first=True)
    excel.table_sheet(book, "Titles", TITLE_COLUMNS, [])
    excel.table_sheet(book, "Episodes", EPISODE_COLUMNS, [])
    excel.table_sheet(book, "Instructions", INSTRUCTIONS[0], INSTRUCTIONS[1:])
    excel.table_sheet(book, EXAMPLE_SHEETS["Parties"], PARTY_COLUMNS, [EXAMPLE_PARTY])
    excel.table_sheet(book, EXAMPLE_SHEETS["Titles"], TITLE_COLUMNS, [EXAMPLE_TITLE])
    excel.table_sheet(book, EXAMPLE_SHEETS["Episodes"], EPISODE_COLUMNS, EXAMPLE_EPISODES)
    return excel.to_bytes(book)
