"""Rows by the hundred thousand: plain values through the driver's executemany.

The ORM's types (scaled decimals, enums, dates) and SQLAlchemy's parameter handling cost
several times the insert itself when a statement run or the demo writes a million rows. Callers
pass the values as stored: amounts already scaled (persistence.base.ScaledDecimal), enums by
value, dates through `plain_day`.
"""

from __future__ import annotations

import gc
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import ARRAY, Connection, Engine, any_, bindparam, create_engine, event, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.changes import note_changes


def insert_plain(session: Session | Connection, table: str, columns: tuple[str, ...],
                 rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows of plain values, in the session's transaction: the driver's executemany on
    SQLite, COPY on PostgreSQL (executemany there sends every row to the server and waits:
    minutes for a million). The driver's errors are raised as SQLAlchemy's (DataError,
    IntegrityError, OperationalError), as any other statement's are."""
    connection = session.connection() if isinstance(session, Session) else session
    dialect = connection.dialect
    names = ", ".join(columns)
    if dialect.name == "postgresql":
        sql = f"COPY {table} ({names}) FROM STDIN"
    else:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join([mark] * len(columns))})"
    cursor = connection.connection.cursor()
    note_changes(session, table)  # the driver's own cursor: SQLAlchemy does not see this write
    try:
        if dialect.name == "postgresql":
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, rows)
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error, hide_parameters=True,
                                  dialect=dialect) from error
    finally:
        cursor.close()


def plain_day(session: Session) -> Callable[[date | None], Any]:
    """How the driver takes a date: ISO text for SQLite (its default adapter is deprecated)."""
    if session.get_bind().dialect.name == "sqlite":
        return iso_day
    return lambda day: day


def iso_day(day: date | None) -> str | None:
    return day and day.isoformat()


class Parking(Protocol):
    def park(self, owner: int, rows: Iterable[tuple[Any, ...]]) -> None: ...


class Parked:
    """Rows computed before the rows they belong to exist (a statement's lines before the
    statement has an id), parked in a temporary table instead of in memory, then moved into
    their table with one INSERT ... SELECT, in the order they were parked (by the key of the
    temporary table: nothing to sort).

    A month-end's half a million statement lines cost no Python memory meanwhile, and on SQLite
    writing a temporary table takes no lock on the database, so a unit of work that computes
    before it writes (Database.compute_then_write) still does. `columns` name the rows' plain
    values and their SQL types (INTEGER, BIGINT, TEXT, DATE); each row is parked under an
    owner key (an int), which `move` turns into the id of the row it belongs to."""

    FLUSH_ROWS = 20_000

    def __init__(self, session: Session | Connection, name: str, columns: dict[str, str], *, temporary: bool = True):
        self.session, self.name, self.columns = session, name, tuple(columns)
        self.waiting: list[tuple[Any, ...]] = []
        self.sequence = itertools.count()
        self.taken: list[str] = []  # parks in database files of their own, attached (take, SQLite)
        self.resolved: list[Path] = []  # files of rows as their table takes them (take, PostgreSQL)
        connection = self.connection
        typed = ", ".join(f"{column} {kind}" for column, kind in columns.items())
        connection.exec_driver_sql(f"CREATE {'TEMPORARY ' if temporary else ''}TABLE IF NOT EXISTS {name} "
                                   f"(seq INTEGER PRIMARY KEY, owner INTEGER, {typed})")
        connection.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {name}_owner (owner INTEGER PRIMARY KEY, "
                                   "id INTEGER)")
        # (empty unless an earlier use on this connection parked rows and never moved them)
        connection.exec_driver_sql(f"DELETE FROM {name}")
        connection.exec_driver_sql(f"DELETE FROM {name}_owner")

    def park(self, owner: int, rows: Iterable[tuple[Any, ...]]) -> None:
        """Park rows of plain values (in the order of `columns`) under their owner's key."""
        sequence = self.sequence
        self.waiting += [(next(sequence), owner, *row) for row in rows]
        if len(self.waiting) >= self.FLUSH_ROWS:
            self.flush()

    def move(self, table: str, owner_column: str, ids: dict[int, int]) -> None:
        """Insert the parked rows into `table`, each with `owner_column` set to the id `ids`
        gives its owner key (rows of an owner not in `ids` are dropped), and empty the park."""
        self.flush()
        insert_plain(self.session, f"{self.name}_owner", ("owner", "id"), list(ids.items()))
        columns = ", ".join(self.columns)
        parked = ", ".join(f"p.{column}" for column in self.columns)
        connection = self.connection
        for park in (self.name, *self.taken):
            connection.exec_driver_sql(
                f"INSERT INTO {table} ({owner_column}, {columns}) SELECT o.id, {parked} FROM {park} p "
                f"JOIN {self.name}_owner o ON o.owner = p.owner ORDER BY p.seq")
        resolved, self.resolved = self.resolved, []
        for path in resolved:
            try:
                _copy_in(connection, path, f"COPY {table} ({owner_column}, {columns}) FROM STDIN")
            finally:
                path.unlink(missing_ok=True)
        if connection.dialect.name == "sqlite":
            for park in (self.name, f"{self.name}_owner"):  # (its taken parks are files: deleted later)
                connection.exec_driver_sql(f"DELETE FROM {park}")
        else:  # (a DELETE of a month-end's 150 000 rows takes 40 ms; TRUNCATE none)
            connection.exec_driver_sql(f"TRUNCATE {self.name}, {self.name}_owner")
        self.taken = []

    def take(self, path: Path) -> None:
        """Move with these the rows parked in a file of their own (`in_file`, by another
        process) under the same name and columns. The file is this park's from now on. On
        SQLite it is attached to the session's connection (the rows go from it to their table
        with the others, not through Python) and detached and deleted when the connection goes
        back to the pool (persistence.database). On PostgreSQL its rows, their owners' ids
        already in them, are streamed by `move` straight into the table (COPY) and the file
        deleted then: they are not looked up in `move`'s ids, so each must name a row the
        table's key finds."""
        connection = self.connection
        if connection.dialect.name != "sqlite":
            self.resolved.append(path)
            return
        # (files taken before stay attached until the connection goes back, moved or not)
        attached = {row[1] for row in connection.exec_driver_sql("PRAGMA database_list")}
        alias = next(f"scratch_{self.name}_{n}" for n in itertools.count() if f"scratch_{self.name}_{n}" not in attached)
        connection.exec_driver_sql(f"ATTACH DATABASE ? AS {alias}", (str(path),))
        self.taken.append(f"{alias}.{self.name}")

    @classmethod
    @contextmanager
    def in_file(cls, path: Path, name: str, columns: dict[str, str], *, database: Connection,
                ids: dict[int, int] | None = None) -> Iterator[Parking]:
        """A park in a new file of its own (its `park` only), for another process to `take`
        into a park of the same name and columns on a database of the same kind as `database`
        (a connection). On PostgreSQL `ids` gives the id of each owner key's row, known ahead
        (a sequence's values), and the rows are written as their table takes them, owner
        resolved, in COPY's text format, by psycopg's own formatter (nothing is sent to the
        server). On SQLite (no `ids`: `move` looks the owners up) into a SQLite database file,
        when the block ends without error. A block that raises leaves the file to be deleted,
        never read."""
        if database.dialect.name == "postgresql":
            from psycopg.copy import Copy, FileWriter

            assert ids is not None, "on PostgreSQL the owners' ids are known ahead"
            with open(path, "wb") as file, database.connection.dbapi_connection.cursor() as cursor, \
                    Copy(cursor, writer=FileWriter(file)) as copy:
                yield _CopyFile(copy, ids)
            return
        assert ids is None, "on SQLite the owners are looked up as the rows move"
        engine = create_engine(f"sqlite:///{path}")
        # (a scratch file: if anything fails, it is deleted, never read: no journal, no sync)
        event.listen(engine, "connect", lambda connection, _: connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF"))
        try:
            with engine.begin() as connection:
                parked = cls(connection, name, columns, temporary=False)
                yield parked
                parked.flush()
        finally:
            engine.dispose()

    @property
    def connection(self) -> Connection:
        return self.session.connection() if isinstance(self.session, Session) else self.session

    def flush(self) -> None:
        """Write the rows still waiting in memory."""
        if self.waiting:
            insert_plain(self.session, self.name, ("seq", "owner", *self.columns), self.waiting)
            self.waiting = []


class _CopyFile:
    """Parked.park into a file of COPY's text format (Parked.in_file), each row with the id of
    its owner's row (`ids`)."""

    def __init__(self, copy: Any, ids: dict[int, int]):
        self.write, self.ids = copy.write_row, ids

    def park(self, owner: int, rows: Iterable[tuple[Any, ...]]) -> None:
        write, resolved = self.write, self.ids[owner]
        for row in rows:
            write((resolved, *row))


def _copy_in(connection: Connection, path: Path, copy_statement: str) -> None:
    """Stream a file of COPY's text format to PostgreSQL (`copy_statement`: COPY ... FROM STDIN)."""
    with connection.connection.cursor() as cursor, open(path, "rb") as file, cursor.copy(copy_statement) as copy:
        while block := file.read(1 << 20):
            copy.write(block)


@contextmanager
def query_beside(session: Session, query: Any, snapshot: Snapshot | None = None) -> Iterator[Callable[[], Iterable[Any]]]:
    """Start `query` (a SELECT) on another connection, in a thread, while the caller goes on
    with other reading and computing; yields `rows()`, which waits for its first row and gives
    its rows (plain values, streamed). A month-end's GROUP BY sorts a million lines before its
    first row, for seconds inside the database without Python's lock: the second core does that
    meanwhile. (The rest, row by row, is the caller's: a thread reading them would take
    Python's lock back for every row, from a caller that holds it.)

    The rows are what the session's own transaction would read (Snapshot). The other connection
    does not see what the session wrote itself, so once the session has written (or on an
    in-memory database) the query runs on the session's own connection when `rows()` is called,
    as it would without this. `snapshot`: the session's, taken earlier (snapshot_of) by a caller
    that has since written only what the query does not read (temporary tables: on PostgreSQL
    any write makes the session's snapshot its own). Raises what the query raises, from
    `rows()`."""
    snapshot = snapshot or snapshot_of(session)
    if snapshot is None:
        yield lambda: session.connection().execute(query, execution_options={"yield_per": 2_000})
        return
    started: list[Any] = []  # the driver's cursor and its first rows, or what the query raised
    with reading(snapshot, session.connection().engine) as other:
        def work() -> None:
            try:
                if other.dialect.name == "sqlite":
                    # Two helper threads for SQLite's sorter: they sort its runs together before
                    # the first row and merge them ahead of the reader after it. A month-end's
                    # GROUP BY: first row 2.0 -> 1.0 s, the rest stepped on the caller's thread
                    # 2.3-3.5 -> 1.8 s (measured beside the run: 0.5-1 s less summing).
                    other.exec_driver_sql("PRAGMA threads = 2")
                    # SQLite's own cursor, which steps as it is read: hundreds of thousands of
                    # rows, and SQLAlchemy's result costs a third again to hand over values it
                    # does not convert
                    source = other.execute(query).cursor
                else:
                    # A server-side cursor of psycopg's own, streamed: SQLAlchemy's result would
                    # cost as much again to hand over plain values, and its streamed result keeps
                    # the first row in a buffer of its own. Such a cursor takes no SQLAlchemy
                    # parameters, so the query's values are written into its text. Sorting a
                    # month-end's million lines in the server's default 4 MB spills to disk.
                    other.exec_driver_sql("SET LOCAL work_mem = '64MB'")
                    source = other.connection.dbapi_connection.cursor(name="query_beside")
                    source.itersize = 10_000
                    source.execute(str(query.compile(dialect=other.dialect, compile_kwargs={"literal_binds": True})))
                started.extend((source, source.fetchmany(1)))  # (the database works out the first row)
            except BaseException as error:  # raised in the caller's thread, by rows()
                started.append(error)

        worker = threading.Thread(target=work, name="query beside", daemon=True)
        worker.start()

        def rows() -> Iterable[Any]:
            worker.join()
            if isinstance(started[0], BaseException):
                raise started[0]
            source, first = started
            return itertools.chain(first, source)

        try:
            yield rows
        except BaseException:
            driver = other.connection.dbapi_connection
            while worker.is_alive():  # the caller gave up (a cancelled run): so does the query
                (driver.interrupt if other.dialect.name == "sqlite" else driver.cancel)()
                worker.join(0.05)  # (again if it had not begun)
            raise
        finally:
            worker.join()


@dataclass(frozen=True)
class Snapshot:
    """What another connection, in this process or another, needs to read what a session
    reads (query_beside, a statement run's drafting beside): the database's URL (with its
    password) and, on PostgreSQL, the session's exported snapshot. On SQLite (a file in WAL
    mode) the other connection's snapshot is taken after the session's: a desk's write between
    the two makes the session's first write fail, and the work is done again
    (Database.compute_then_write)."""

    url: str = field(repr=False)  # (with the password: kept out of logs and tracebacks)
    exported: str | None


def snapshot_of(session: Session) -> Snapshot | None:
    """The session's snapshot, for other connections to read; None where none can (an
    in-memory database, or the session has written: nobody else sees that)."""
    connection = session.connection()
    url = connection.engine.url.render_as_string(hide_password=False)
    if connection.dialect.name == "sqlite":
        database = connection.engine.url.database
        raw = connection.connection.driver_connection
        if (not database or database == ":memory:" or raw.total_changes != connection.info.get("changes_at_begin")
                or connection.exec_driver_sql("PRAGMA journal_mode").scalar() != "wal"):
            return None
        # The session's snapshot is taken first (its transaction may not have read yet).
        connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        return Snapshot(url, None)
    if connection.dialect.name == "postgresql":
        if connection.exec_driver_sql("SELECT pg_current_xact_id_if_assigned()").scalar() is not None:
            return None  # the session has written
        return Snapshot(url, connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar())
    return None


@contextmanager
def reading(snapshot: Snapshot, engine: Engine) -> Iterator[Connection]:
    """A connection of `engine` (of the snapshot's database) that reads what the snapshot's
    session reads; its transaction (read only) ends with the block."""
    with engine.execution_options(writes=False).connect() as other:  # a reader's BEGIN (no write lock)
        if snapshot.exported:
            other = other.execution_options(isolation_level="REPEATABLE READ")
            other.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot.exported}'")
        yield other


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Work on a million rows makes tens of millions of short-lived tuples and no reference
    cycle; the cycle collector, run every few hundred allocations over every object alive
    (hundreds of thousands held while the work lasts), would take a tenth to a third of the
    time. Reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class KeysGone(UserError):
    """A row the bulk write names (a title, a currency) was deleted by another desk meanwhile."""


@contextmanager
def keys_checked_at_once(session: Session | Connection, table: Any, written: Any,
                         kept: Iterable[Any] = ()) -> Iterator[bool]:
    """Around a bulk write into `table` (a SQLAlchemy Table) of the rows `written` (a WHERE
    clause that selects them: the batch's lines, the new statements' lines): on PostgreSQL,
    where the role may set `session_replication_role` (a superuser, or granted SET on it,
    PostgreSQL 15+), the key triggers are off for the write and each foreign key is checked
    after it once per distinct value instead. PostgreSQL checks a foreign key with a trigger
    per row and key: four queries a revenue line, a minute a million lines, where COPY itself
    takes seconds. The check takes the lock the triggers take (FOR KEY SHARE), so that no row
    the write names can be deleted before the commit; a value no longer there raises KeysGone
    and the caller's unit of work rolls back. Yields whether the keys are checked here (False:
    SQLite, or a role that may not, and the database checks each row as usual).

    `kept` names keys (columns of `table`) whose parent rows cannot be deleted while the
    caller's transaction lasts: whatever deletes them takes turns with it (database.take_turns;
    a month-end's statements name a million revenue lines, and locking each would be most of
    the cost), or the transaction wrote them itself (no other sees them before it commits).
    They are neither checked nor locked.

    Nothing but `table` (and temporary tables) may be written inside: every trigger of the
    transaction is off there, and only `table`'s keys are checked after."""
    connection = session.connection() if isinstance(session, Session) else session
    if connection.dialect.name != "postgresql" or not table.foreign_keys or not _replica_mode(session):
        yield False
        return
    try:
        yield True
    except BaseException:
        from psycopg.pq import TransactionStatus

        if connection.connection.dbapi_connection.info.transaction_status != TransactionStatus.INERROR:
            connection.exec_driver_sql("SET LOCAL session_replication_role = origin")  # the caller may go on
        raise
    connection.exec_driver_sql("SET LOCAL session_replication_role = origin")
    unchecked = {column.name for column in kept}
    keys = sorted((key for key in table.foreign_keys if key.parent.name not in unchecked),
                  key=lambda key: key.parent.name)
    if not keys:
        return
    # Each key's distinct values, in one pass over the rows written; then each parent locked
    # by its values (an index lookup each), not by reading the rows written again per key.
    wanted = connection.execute(select(*(func.array_agg(key.parent.distinct()) for key in keys)).where(written)).one()
    for key, values in zip(keys, wanted):
        values = [value for value in values or () if value is not None]
        if not values:
            continue
        parent = key.column
        named = parent == any_(bindparam("values", values, type_=ARRAY(parent.type)))  # (one bound array)
        found = set(connection.execute(select(parent).where(named).with_for_update(
            read=True, key_share=True, of=parent.table)).scalars())
        if len(found) != len(values):
            gone = sorted((value for value in values if value not in found), key=str)[:5]
            raise KeysGone(f"{parent.table.name} {', '.join(map(str, gone))}, named in {table.name}, "
                           f"{'is' if len(gone) == 1 else 'are'} no longer there (deleted by another desk meanwhile?)")


def _replica_mode(session: Session | Connection) -> bool:
    """Triggers off for the rest of the transaction, if the role may (a savepoint undoes the
    refused attempt without losing the transaction)."""
    attempt = session.begin_nested()
    try:
        (session.connection() if isinstance(session, Session) else session).exec_driver_sql(
            "SET LOCAL session_replication_role = replica")
    except DBAPIError:
        attempt.rollback()
        return False
    attempt.commit()
    return True
