"""A licensing report as plain data: a title, what was asked, facts, tables with typed columns,
colours and a legend. Services build one from what they read; reports/document.py renders it
as a PDF and as a workbook, so every report looks the same and gets both formats from one
description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date, amount (Decimal, two places unless `places`), number
    width: float = 1.0  # share of the page width in the PDF
    places: int = 2
    in_pdf: bool = True  # False for a column only the workbook needs (an ID to sort or re-import by)


@dataclass
class Table:
    heading: str
    columns: Sequence[Column]
    rows: list[Sequence[Any]]
    # (row, column) -> background colour "#RRGGBB"; column -1 colours the whole row
    colours: dict[tuple[int, int], str] = field(default_factory=dict)
    empty: str = "Nothing matches."
    note: str = ""
    in_pdf: bool = True  # False for tables too long to print (a cell per row); the workbook has them
    group_by: int | None = None  # a column the PDF prints once per run of equal values, as a heading row


@dataclass
class Report:
    title: str
    asked: str  # the options in words, printed under the title
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, meaning)

    def row_count(self) -> int:
        return sum(len(t.rows) for t in self.tables)
