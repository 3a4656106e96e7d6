"""An avails answer as rows, a workbook, a PDF and a stable JSON structure."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from rightsdesk.domain.avails import CellAnswer, Status
from rightsdesk.reports.document import Column, Report, Table, report_pdf, report_workbook
from rightsdesk.services.avails import AvailsAnswer

JSON_FORMAT = "rightsdesk.avails/1"
# One colour per status, shared by the screen, the PDF and the workbook.
STATUS_COLOURS = {
    Status.AVAILABLE: "#C8E6C9",
    Status.ACQUIRED_NON_EXCLUSIVE: "#E6F0B4",
    Status.LICENSED_NON_EXCLUSIVE: "#FFF3B0",
    Status.NOT_LOCALIZED: "#D7C8F0",
    Status.MUSIC_NOT_CLEARED: "#C8DCF0",
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
    checks = (["music cleared"] if request.music else []) + (
        [f"localized in {', '.join(request.localized_in)}"] if request.localized_in else [])
    return (f"{request.territories} · {', '.join(query.media)} · {languages} · "
            f"{query.start} to {query.end or 'open end'} · "
            f"{'exclusive' if query.exclusive else 'non-exclusive'} · "
            f"{'whole term' if query.match.value == 'whole' else 'any part of the term'}"
            + "".join(f" · {c}" for c in checks))


def report(answer: AvailsAnswer) -> Report:
    """The answer as a licensing report: a row per run of days, coloured by status, and (in the
    workbook only) a row per title × territory × media cell when there are not too many."""
    listed = rows(answer)
    cells = sum(len(b.territories) for b in answer.result.blocks)
    runs = Table("Avails", (
        Column("Title ID", width=0.6), Column("Title", width=1.8), Column("Media", width=0.6),
        Column("Territories", width=1.6), Column("Status", width=1.2), Column("Available", width=0.55),
        Column("From", "date", 0.65), Column("To", "date", 0.65), Column("Reasons", width=3.2)),
        [(r.title_code, r.title, r.media, r.territories, r.status.label, r.available, r.start, r.end or "open",
          r.reasons) for r in listed],
        {(n, 4): STATUS_COLOURS[r.status] for n, r in enumerate(listed)}, empty="No titles asked about.")
    tables = [runs]
    if cells <= 200_000:
        tables.append(Table("Cells", (Column("Title ID"), Column("Title"), Column("Territory"), Column("Media"),
                                      Column("Status"), Column("Available")), [
            (answer.title_codes.get(t, str(t)), answer.title_names.get(t, ""), territory, media, cell.status.label,
             cell.available) for t, territory, media, cell in answer.result.cells()], in_pdf=False))
    return Report("Avails", describe_query(answer), facts=[
        ("Titles", str(len(answer.result.query.titles))),
        ("Cells available", f"{answer.result.available_count()} of {cells} title × territory × media cells")],
        tables=tables, legend=[(colour, status.label) for status, colour in STATUS_COLOURS.items()])


def workbook(answer: AvailsAnswer) -> bytes:
    return report_workbook(report(answer))


def pdf_document(answer: AvailsAnswer, *, generated: date | None = None) -> bytes:
    return report_pdf(report(answer), generated=generated)


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
