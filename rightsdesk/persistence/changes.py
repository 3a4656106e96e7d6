"""What a unit of work wrote, by kind of record, so every screen showing those records can
refresh (after Anki's OpChanges).

A use case need not say what it changed: `recording(session)` watches the unit of work. The
ORM's flushes give the ids of the records inserted, updated or deleted; every other statement
sent through SQLAlchemy (Core inserts of many rows, INSERT ... SELECT, UPDATE ... WHERE) gives
its table. Only writes that bypass SQLAlchemy (the driver's executemany in `bulk.py`) note
their table themselves with `note_changes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session

from rightsdesk.persistence.base import Base

# The table an INSERT, UPDATE or DELETE writes, as SQLAlchemy and our own SQL spell them.
_WRITES = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass(frozen=True)
class Changes:
    """Records written by one action: for each kind (the record's table: 'title', 'deal',
    'statement', 'revenue_line', ...), the ids of those inserted, updated or deleted. A kind
    written in bulk (many rows by one statement) has an empty set: which ones is not known, only
    that some were. Empty Changes (false) means the action wrote nothing."""

    records: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.records)

    def touches(self, *kinds: str) -> bool:
        """Whether any record of these kinds was written."""
        return any(kind in self.records for kind in kinds)

    def ids(self, kind: str) -> frozenset[int]:
        """The ids of the records of this kind known to have been written (empty: none, or in bulk)."""
        return self.records.get(kind, frozenset())

    def __or__(self, other: Changes) -> Changes:
        merged = dict(self.records)
        for kind, ids in other.records.items():
            merged[kind] = merged.get(kind, frozenset()) | ids
        return Changes(merged)

    def __str__(self) -> str:
        return ", ".join(f"{kind} ({len(ids)})" if ids else kind for kind, ids in sorted(self.records.items())) or "nothing"


NOTHING = Changes()
_KEY = "rightsdesk.changes"


def note_changes(session: Session | Connection, kind: str, ids: Iterable[int] = ()) -> None:
    """Note records a unit of work wrote without SQLAlchemy seeing which (kind: a table's name),
    given its session or the connection it writes through; does nothing when nobody records
    that unit of work's changes."""
    log = session.info.get(_KEY)
    if log is not None:
        log.setdefault(kind, set()).update(ids)


@contextmanager
def recording(session: Session) -> Iterator[Callable[[], Changes]]:
    """Watch a unit of work's writes; yields a function returning what was written so far.

        with database.transaction() as session, recording(session) as written:
            ...
        written()  # Changes
    """
    log: dict[str, set[int]] = {}
    tables = set(Base.metadata.tables)  # a run's temporary tables are nobody's records
    watched: list[Any] = []

    def flushed(session: Session, _context: Any) -> None:
        dirty = [instance for instance in session.dirty if session.is_modified(instance)]
        for instance in (*session.new, *dirty, *session.deleted):
            mapper = inspect(instance).mapper
            ids = log.setdefault(mapper.persist_selectable.name, set())
            key = mapper.primary_key_from_instance(instance)
            if len(key) == 1 and isinstance(key[0], int):
                ids.add(key[0])

    def statement_sent(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        found = _WRITES.match(statement)
        if found and found.group(1).lower() in tables:
            log.setdefault(found.group(1).lower(), set())

    def began(_session: Session, _transaction: Any, connection: Any) -> None:
        if not event.contains(connection, "before_cursor_execute", statement_sent):
            event.listen(connection, "before_cursor_execute", statement_sent)
            connection.info[_KEY] = log  # (for writes handed the connection, not the session)
            watched.append(connection)

    session.info[_KEY] = log
    event.listen(session, "after_flush", flushed)
    event.listen(session, "after_begin", began)
    if session.in_transaction():
        began(session, None, session.connection())
    try:
        yield lambda: Changes({kind: frozenset(ids) for kind, ids in log.items()})
    finally:
        session.info.pop(_KEY, None)
        event.remove(session, "after_flush", flushed)
        event.remove(session, "after_begin", began)
        for connection in watched:
            connection.info.pop(_KEY, None)  # (the connection goes back to the pool: it outlives us)
            if event.contains(connection, "before_cursor_execute", statement_sent):
                event.remove(connection, "before_cursor_execute", statement_sent)
