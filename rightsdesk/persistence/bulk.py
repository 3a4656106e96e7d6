"""Rows by the hundred thousand: plain values through the driver's executemany.

The ORM's types (scaled decimals, enums, dates) and SQLAlchemy's parameter handling cost
several times the insert itself when a statement run or the demo writes a million rows. Callers
pass the values as stored: amounts already scaled (persistence.base.ScaledDecimal), enums by
value, dates through `plain_day`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.persistence.changes import note_changes


def insert_plain(session: Session, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows of plain values, in the session's transaction."""
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    cursor = connection.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def plain_day(session: Session) -> Callable[[date | None], Any]:
    """How the driver takes a date: ISO text for SQLite (its default adapter is deprecated)."""
    if session.get_bind().dialect.name == "sqlite":
        return lambda day: day and day.isoformat()
    return lambda day: day
