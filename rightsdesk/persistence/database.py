"""Opening a database: where it lives, how connections are set up, units of work."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import platformdirs
from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk import APP_NAME
from rightsdesk.domain.errors import Conflict, UserError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 10_000
# A desk waits less: a save runs while the window waits, and after this long the user hears that
# the database is busy (edits kept) rather than watching a frozen window for ten seconds.
DESK_BUSY_TIMEOUT_MS = 2_500


def data_folder() -> Path:
    """The user's data folder for RightsDesk (created on demand)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False, ensure_exists=True)


def default_database_path() -> Path:
    return data_folder() / "rightsdesk.db"


def demo_database_path() -> Path:
    """The demo catalogue's own file, beside the user's database and never the same one."""
    return data_folder() / "rightsdesk-demo.db"


# Where the app opens when no --db is given: a team points every desk at its shared server here.
DATABASE_VARIABLE = "RIGHTSDESK_DB"


def configured_location() -> str | None:
    return os.environ.get(DATABASE_VARIABLE, "").strip() or None


def configured_read_only() -> bool:
    """RIGHTSDESK_READ_ONLY=1 on a reviewer's or auditor's desk: every database opens read-only."""
    return os.environ.get("RIGHTSDESK_READ_ONLY", "").strip().lower() in ("1", "yes", "true", "on")


def database_url(location: str | Path | None) -> URL:
    """A SQLAlchemy URL from what the user typed: a path or a URL; nothing means the
    RIGHTSDESK_DB setting, else the default file."""
    location = location or configured_location()
    if location is None:
        return make_url(f"sqlite:///{default_database_path()}")
    text = str(location)
    if "://" in text:
        return _with_tls(make_url(text))
    return make_url(f"sqlite:///{Path(text).expanduser().resolve()}")


LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


def _with_tls(url: URL) -> URL:
    """A team server is reached over TLS unless its address says otherwise (?sslmode=...): the
    passwords and the royalty figures cross the office network. A server on this machine (or
    its socket) needs none."""
    if url.get_backend_name() != "postgresql" or "sslmode" in url.query:
        return url
    if (url.host or "") in LOCAL_HOSTS or (url.host or "").startswith("/") or "host" in url.query:
        return url
    return url.update_query_dict({"sslmode": "require"})


class Database:
    """One database the app works on: its engine and the factory of units of work.

    Each user action takes its own session through `transaction()`; sessions are never shared
    between threads (background work calls `transaction()` from its own thread).
    """

    def __init__(self, location: str | Path | URL | None = None, *, read_only: bool = False,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS, **engine_options: Any):
        self.url = location if isinstance(location, URL) else database_url(location)
        # Read-only (reviewers, auditors): units of work are refused here, and the connection
        # itself refuses writes (SQLite's query_only, a read-only PostgreSQL session) in case
        # anything writes another way.
        self.read_only = read_only
        # A file in a folder (or a file) this user cannot write: opened for review, as with
        # --read-only, instead of failing at the first save with SQLite's "readonly database".
        path = self.path
        self.read_only_reason = "--read-only or RIGHTSDESK_READ_ONLY" if read_only else ""
        if not read_only and path is not None and path.exists() and not _writable(path):
            self.read_only = read_only = True
            self.read_only_reason = "you cannot write to the file or its folder"
        # Why units of work must wait a moment ('' when they need not): the window reads every
        # page of its file in the background after opening, and nothing is written before.
        self.writes_held = ""
        # How long a write waits for another desk's to finish before saying the database is busy.
        self.engine = _create_engine(self.url, read_only=read_only, busy_timeout_ms=busy_timeout_ms, **engine_options)
        # Writing units of work take SQLite's write lock up front (see _create_engine).
        self.sessions = sessionmaker(
            self.engine.execution_options(writes=True), expire_on_commit=False
        )
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        """The file behind a SQLite database, None for a server database."""
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            return Path(self.url.database)
        return None

    @property
    def location(self) -> str:
        """What `--db` takes to open this database again: the file, or the full URL."""
        return str(self.path) if self.path else self.url.render_as_string(hide_password=False)

    def display_name(self) -> str:
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self, *, lock_first: bool = True) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on any error.

        On SQLite a unit of work takes the write lock at its start (`lock_first`), so that two
        writers queue instead of one failing half-way; `compute_then_write` starts without it."""
        if self.read_only:
            raise ReadOnlyDatabase(f"{self.display_name()} is open read-only, for review ({self.read_only_reason}); "
                                   "nothing can be changed")
        if self.writes_held:
            raise DatabaseBusy(f"{self.display_name()} {self.writes_held}. Nothing was saved and your edits are kept; "
                               "try again in a moment.")
        try:
            with (self.sessions if lock_first else self._read_sessions).begin() as session:
                yield session
        except OperationalError as error:
            if is_busy(error):
                raise DatabaseBusy(busy_message(self.display_name())) from error
            raise
        except StaleDataError as error:  # a versioned UPDATE found another desk's newer save
            raise Conflict("someone else saved this record while you were saving it; nothing of yours was "
                           "saved: reload it and make your change again") from error
        except DataError as error:
            # A value the server cannot store (PostgreSQL enforces column lengths that SQLite
            # ignores); the domain checks what users type, this says what slipped past it.
            raise UserError(f"the database refused a value: {str(error.orig).splitlines()[0]}") from error

    def compute_then_write(self, work: Callable[[Session], T], *, attempts: int = 3) -> T:
        """Run `work(session)` as one unit of work whose reads and computation hold no lock: on
        SQLite the write lock is taken at its first write, so other desks' saves go on while it
        computes (a statement run computes for seconds and writes briefly). If another desk wrote
        after the work began reading, SQLite refuses that first write (what was read is stale)
        and the work runs again on what is there now; the last attempt takes the lock first, as
        every other unit of work does, so desks saving all the time cannot starve it. `work`
        must write only after it has read what it needs. PostgreSQL: one ordinary unit of work
        (its writers lock rows, not the database). Raises DatabaseBusy as `transaction` does."""
        for attempt in range(1, attempts + 1):
            last = attempt == attempts or not self.is_sqlite
            try:
                with self.transaction(lock_first=last) as session:
                    return work(session)
            except DatabaseBusy:
                if last:
                    raise
        raise AssertionError("unreachable: the last attempt returns or raises")

    def read(self) -> Session:
        """A session for reading only; use as a context manager."""
        return self._read_sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def take_turns(session: Session, what: str) -> None:
    """Make concurrent transactions that number something (`what`: a title's internal ID, a
    statement number) take turns until they commit, so two desks never compute the same next
    number. PostgreSQL: a transaction-scoped advisory lock; SQLite needs none, as every writing
    transaction holds the database's write lock from its start (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:what))"), {"what": f"rightsdesk.{what}"})


def catch_up_id_sequences(connection: Connection, tables: Iterable[str]) -> None:
    """After rows were inserted with ids chosen by the program (bulk loads), move PostgreSQL's
    id sequences past them, or the next ordinary insert collides. SQLite needs nothing."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                 f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'))


class ReadOnlyDatabase(UserError):
    pass


class DatabaseBusy(UserError):
    """Another desk or program holds the database's write lock longer than we wait."""


def is_busy(error: BaseException) -> bool:
    """Whether a database error means "someone else is writing" (SQLite's lock, PostgreSQL's
    lock timeout), not damage or a bug."""
    text = str(getattr(error, "orig", error)).lower()
    return any(words in text for words in ("database is locked", "database is busy", "lock timeout",
                                            "could not obtain lock"))


def busy_message(name: str) -> str:
    return (f"{name} is busy: another desk or program is writing to it (a statement run or an import, "
            "perhaps). Nothing was saved and your edits are kept; try again in a moment.")


def _writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def read_only_uri(path: Path) -> str:
    """The URI that opens a SQLite file for reading only: mode=ro, so a mistyped path is an
    error and never a new empty file, and nothing (not even the journal mode) is written;
    `immutable` when the folder or file cannot be written (a reviewer's read-only share), where
    SQLite could not make its shared-memory file and would refuse to open."""
    if _writable(path):
        return f"file:{quote(str(path))}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        # immutable ignores the -wal file: the last changes would be silently missing.
        raise ReadOnlyDatabase(
            f"{path} has changes not yet written into it (in {wal.name}), and they cannot be read from a folder "
            "you cannot write to. Ask whoever has it open to close RightsDesk, which writes them in, or copy the "
            "folder somewhere you can write and open the copy.")
    return f"file:{quote(str(path))}?mode=ro&immutable=1"


def _read_only_connector(path: Path) -> Any:
    location = read_only_uri(path)

    def connect() -> sqlite3.Connection:
        if not path.is_file():
            raise ReadOnlyDatabase(f"there is no database at {path} (check --db)")
        return sqlite3.connect(location, uri=True, check_same_thread=False)

    return connect


def _create_engine(url: URL, *, read_only: bool, busy_timeout_ms: int, **options: Any) -> Engine:
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, **options)

        @event.listens_for(engine, "connect")
        def _wait_as_long_as_sqlite(dbapi_connection: Any, _record: Any) -> None:
            # A save waiting on another desk's row lock gives up after the busy timeout with
            # "lock timeout" (DatabaseBusy, edits kept), as SQLite does; it waited without limit.
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
            dbapi_connection.commit()
        if read_only:
            @event.listens_for(engine, "connect")
            def _read_only(dbapi_connection: Any, _record: Any) -> None:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                dbapi_connection.commit()
        return engine
    file_database = bool(url.database and url.database != ":memory:")
    if file_database and read_only:
        options["creator"] = _read_only_connector(Path(url.database))  # type: ignore[arg-type]
    engine = create_engine(url, **options)
    if file_database and not read_only:
        @event.listens_for(engine, "do_connect")
        def _make_folder(*_: Any) -> None:
            # At the first connection, not when the Database is made: a command that reads a
            # mistyped path is refused before any folder is created for it.
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN (below) start transactions, so that every statement of a
        # unit of work, DDL included, commits or rolls back together.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if file_database and not read_only:
            # WAL lets readers go on while one writer writes; NORMAL sync is safe with WAL.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _drop_scratch(dbapi_connection: Any, _record: Any) -> None:
        # A database file attached to a unit of work holds its scratch rows (bulk.Parked.take:
        # a statement run's lines drafted in another process): it cannot be detached inside
        # the transaction that read it, so it is detached, and its file deleted, here.
        if dbapi_connection is None:
            return
        for _, name, file in dbapi_connection.execute("PRAGMA database_list").fetchall():
            if name.startswith("scratch_"):
                dbapi_connection.execute(f"DETACH DATABASE {name}")
                Path(file).unlink(missing_ok=True)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writer takes the write lock at the start (IMMEDIATE), so two writers queue on the
        # busy timeout instead of one failing half-way with "database is locked"; readers
        # take no lock at all under WAL.
        writes = connection.get_execution_options().get("writes", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
        # What the connection had written when the unit of work began: whether it has written
        # since (persistence.bulk.query_beside) is a comparison away.
        connection.info["changes_at_begin"] = connection.connection.driver_connection.total_changes

    return engine
