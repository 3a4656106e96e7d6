"""What every list screen asks: the IDs matching a filter, in a chosen order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.orm import Session

Matcher = Callable[[str], ColumnElement[bool]]


@dataclass(frozen=True)
class ListQuery:
    text: str = ""
    sort: str = ""
    descending: bool = False


def contains(column: Any) -> Matcher:
    """A matcher: the column contains the pattern, ignoring case."""
    return lambda pattern: column.ilike(pattern, escape="\\")


def matching_ids(
    session: Session,
    ids: Select[tuple[int]],
    query: ListQuery,
    *,
    searchable: Sequence[Matcher],
    sortable: Mapping[str, Any],
    tiebreak: Any,
) -> list[int]:
    """IDs from `ids`, filtered by every word of the query's text (each word must match one
    searchable column) and sorted by the named column, with a stable tie-break."""
    for word in query.text.split():
        pattern = f"%{_escape_like(word)}%"
        ids = ids.where(or_(*(match(pattern) for match in searchable)))
    if query.sort in sortable:
        column = sortable[query.sort]
        ids = ids.order_by(column.desc() if query.descending else column.asc())
    ids = ids.order_by(tiebreak.desc() if query.descending else tiebreak)
    return list(session.scalars(ids))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
