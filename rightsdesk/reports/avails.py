"""An avails answer as a workbook, a PDF, a stable JSON structure and the command line's table
(laid out as rows and a report by services/avails_report.py)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Any

from rightsdesk.domain.avails import CellAnswer
from rightsdesk.reports.document import report_pdf, report_workbook
from rightsdesk.services.avails import AvailsAnswer
from rightsdesk.services.avails_report import STATUS_COLOURS, AvailsRow, describe_query, report, rows

__all__ = ["STATUS_COLOURS", "AvailsRow", "as_json", "describe_query", "pdf_document", "report", "rows", "text_table",
           "workbook"]

JSON_FORMAT = "rightsdesk.avails/1"


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
