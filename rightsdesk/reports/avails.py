"""An avails answer as rows, a workbook, a PDF and a stable JSON structure."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from reportlab.lib import colors
from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, TableStyle

from rightsdesk.domain.avails import CellAnswer, Status
from rightsdesk.reports import excel, pdf
from rightsdesk.services.avails import AvailsAnswer

JSON_FORMAT = "rightsdesk.avails/1"
HEADERS = ("Title ID", "Title", "Media", "Territories", "Status", "Available", "From", "To", "Reasons")
# One colour per status, shared by the screen, the PDF and the workbook.
STATUS_COLOURS = {
    Status.AVAILABLE: "#C8E6C9",
    Status.ACQUIRED_NON_EXCLUSIVE: "#E6F0B4",
    Status.LICENSED_NON_EXCLUSIVE: "#FFF3B0",
    Status.HOLDBACK: "#FFD8A8",
    Status.LICENSED_EXCLUSIVE: "#F8B4B4",
    Status.NOT_ACQUIRED: "#E0E0E0",
}


@dataclass(frozen=True)
class AvailsRow:
    """One run of days for one title, media and group of territories that share an answer."""

    title_code: str
    title: str
    media: str
    territories: str
    status: Status
    available: bool
    start: date | None
    end: date | None
    reasons: str


def rows(answer: AvailsAnswer) -> list[AvailsRow]:
    media_order = {code: n for n, code in enumerate(answer.result.query.media)}
    found = []
    for block in answer.result.blocks:
        territories = answer.describe_territories(block.territories)
        for segment in block.answer.segments:
            found.append(AvailsRow(
                answer.title_codes.get(block.title_id, str(block.title_id)),
                answer.title_names.get(block.title_id, ""), block.media, territories, segment.status,
                segment.allows(answer.result.query.exclusive), segment.start, segment.end,
                "; ".join(r.explanation for r in segment.reasons),
            ))
    found.sort(key=lambda r: (r.title.casefold(), r.title_code, media_order[r.media], r.territories, r.start or date.min))
    return found


def describe_query(answer: AvailsAnswer) -> str:
    query, request = answer.result.query, answer.request
    languages = ", ".join(sorted(query.languages)) or "any language"
    return (f"{request.territories} · {', '.join(query.media)} · {languages} · "
            f"{query.start} to {query.end or 'open end'} · "
            f"{'exclusive' if query.exclusive else 'non-exclusive'} · "
            f"{'whole term' if query.match.value == 'whole' else 'any part of the term'}")


def workbook(answer: AvailsAnswer) -> bytes:
    book = Workbook()
    listed = rows(answer)
    sheet = excel.table_sheet(book, "Avails", HEADERS, (
        (r.title_code, r.title, r.media, r.territories, r.status.label, "Yes" if r.available else "No",
         r.start, r.end, r.reasons) for r in listed), first=True)
    for row_number, row in enumerate(listed, start=2):
        colour = STATUS_COLOURS[row.status].lstrip("#")
        sheet.cell(row=row_number, column=5).fill = PatternFill("solid", fgColor=colour)
    if sum(len(b.territories) for b in answer.result.blocks) <= 200_000:
        excel.table_sheet(book, "Cells", ("Title ID", "Title", "Territory", "Media", "Status", "Available"), (
            (answer.title_codes.get(t, str(t)), answer.title_names.get(t, ""), territory, media,
             cell.status.label, "Yes" if cell.available else "No")
            for t, territory, media, cell in answer.result.cells()))
    about = excel.table_sheet(book, "Query", ("Question", "Answer"), [
        ("Asked", describe_query(answer)),
        ("Titles", len(answer.result.query.titles)),
        ("Cells", sum(len(b.territories) for b in answer.result.blocks)),
        ("Cells available", answer.result.available_count()),
    ])
    about.column_dimensions["B"].width = 100
    return excel.to_bytes(book)


def pdf_document(answer: AvailsAnswer, *, generated: date | None = None) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=pdf.PAGE, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                                 topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN + 4,
                                 title="Avails", author="RightsDesk", invariant=1)
    cell = pdf.style(7.5)
    listed = rows(answer)
    table_rows: list[list[Any]] = [[pdf.para(h, pdf.style(7.5, bold=True)) for h in HEADERS[1:]]]
    for r in listed:
        table_rows.append([pdf.para(f"{r.title} ({r.title_code})", cell), r.media, pdf.para(r.territories, cell),
                           pdf.para(r.status.label, cell), "Yes" if r.available else "No",
                           str(r.start or "open"), str(r.end or "open"), pdf.para(r.reasons, cell)])
    table = LongTable(table_rows, repeatRows=1, colWidths=[110, 48, 96, 80, 52, 52, 52, None])
    commands = [
        ("FONT", (0, 0), (-1, -1), pdf.base_font(), 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), pdf.HEADER_BACKGROUND),
        ("GRID", (0, 0), (-1, -1), 0.25, pdf.GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for number, r in enumerate(listed, start=1):
        commands.append(("BACKGROUND", (3, number), (3, number), colors.HexColor(STATUS_COLOURS[r.status])))
    table.setStyle(TableStyle(commands))
    story = [
        pdf.para("Avails", pdf.style(16, bold=True, leading=20)),
        pdf.para(describe_query(answer), pdf.style(9)),
        pdf.para(f"{answer.result.available_count()} of {sum(len(b.territories) for b in answer.result.blocks)} "
                 f"title × territory × media cells available", pdf.style(9)),
        Spacer(1, 8), table,
    ]
    canvas = type("AvailsCanvas", (pdf.NumberedCanvas,),
                  {"footer_left": f"RightsDesk avails · generated {generated or date.today()}"})
    document.build(story, canvasmaker=canvas)
    return buffer.getvalue()


def as_json(answer: AvailsAnswer) -> dict[str, Any]:
    """The documented, stable structure of `rightsdesk avails --json` (docs/avails-json.md)."""
    query = answer.result.query
    reasons_cache: dict[int, list[dict[str, Any]]] = {}

    def segment_json(cell: CellAnswer) -> list[dict[str, Any]]:
        key = id(cell)
        if key not in reasons_cache:
            reasons_cache[key] = [
                {"start": _day(s.start), "end": _day(s.end), "status": s.status.value,
                 "reasons": [{"status": r.status.value, "explanation": r.explanation, "deal_id": r.deal_id,
                              "deal_reference": r.deal_reference, "grant_id": r.grant_id} for r in s.reasons]}
                for s in cell.segments]
        return reasons_cache[key]

    return {
        "format": JSON_FORMAT,
        "query": {
            "titles": list(query.titles), "territories": list(query.territories), "media": list(query.media),
            "languages": sorted(query.languages), "start": _day(query.start), "end": _day(query.end),
            "exclusive": query.exclusive, "match": query.match.value,
        },
        "summary": {status.value: count for status, count in answer.result.count().items()},
        "cells": [
            {"title_id": title_id, "title": answer.title_codes.get(title_id, ""),
             "title_name": answer.title_names.get(title_id, ""), "territory": territory, "media": media,
             "status": cell.status.value, "available": cell.available, "segments": segment_json(cell)}
            for title_id, territory, media, cell in answer.result.cells()
        ],
    }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def text_table(answer: AvailsAnswer, width: int | None = None) -> Iterator[str]:
    """The readable table the command line prints; lines cut to `width` display columns if given."""
    columns = (("Title", 28), ("Media", 13), ("Territories", 34), ("Status", 30), ("From", 10), ("To", 10))
    yield describe_query(answer)
    yield "  ".join(_fit(name, size) for name, size in columns) + "  Why"
    for r in rows(answer):
        values = (r.title, r.media, r.territories, ("✓ " if r.available else "✗ ") + r.status.label,
                  str(r.start or "open"), str(r.end or "open"))
        line = "  ".join(_fit(str(v), size) for v, (_, size) in zip(values, columns)) + "  " + r.reasons
        yield _fit(line, width).rstrip() if width else line
    counts = ", ".join(f"{status.label.lower()}: {n}" for status, n in answer.result.count().items() if n)
    yield f"{answer.result.available_count()} cells available ({counts})"


def _columns(char: str) -> int:
    """How many terminal columns a character takes: two for wide (CJK) characters."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 0 if unicodedata.combining(char) else 1


def _fit(text: str, size: int) -> str:
    """Cut or pad text to exactly `size` terminal columns."""
    used, kept = 0, []
    total = sum(_columns(c) for c in text)
    limit = size if total <= size else size - 1
    for char in text:
        if used + _columns(char) > limit:
            break
        kept.append(char)
        used += _columns(char)
    return "".join(kept) + ("…" if total > size else "") + " " * (size - used - (1 if total > size else 0))
