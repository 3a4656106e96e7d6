"""What every list screen asks: the IDs matching a filter, in a chosen order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.orm import Session

Matcher = Callable[[str], ColumnElement[bool]]
# Bound on the values one IN (...) list carries: SQLite allows 32 766 variables a statement.
CHUNK = 20_000


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
        pattern = like_pattern(word)
        ids = ids.where(or_(*(match(pattern) for match in searchable)))
    if query.sort in sortable:
        column = sortable[query.sort]
        ids = ids.order_by(column.desc() if query.descending else column.asc())
    ids = ids.order_by(tiebreak.desc() if query.descending else tiebreak)
    return list(session.scalars(ids))


def like_pattern(text: str) -> str:
    """A LIKE pattern for 'contains this text', the text's own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    """IDs in pieces small enough for one IN (...) list each."""
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]
