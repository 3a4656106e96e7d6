import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.models import Media

from rightsdesk.persistence.backup import backup_sqlite
from rightsdesk.persistence.database import database_url, default_database_path


@pytest.mark.sqlite_only
def test_connections_enforce_foreign_keys_use_wal_and_wait_when_busy(database):
    with database.read() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


@pytest.mark.sqlite_only
def test_a_unit_of_work_takes_the_write_lock_at_its_start(database):
    """Even before it writes, so a read-then-write never fails half-way as 'locked'."""
    other = sqlite3.connect(database.path, timeout=0, isolation_level=None)
    try:
        with database.transaction() as session:
            session.execute(text("select count(*) from territory")).scalar()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the unit of work ends
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_reading_takes_no_write_lock(database):
    other = sqlite3.connect(database.path, timeout=0, isolation_level=None)
    try:
        with database.read() as session:
            session.execute(text("select count(*) from territory")).scalar()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_failed_unit_of_work_leaves_nothing_behind(database):
    with pytest.raises(RuntimeError):
        with database.transaction() as session:
            session.execute(text("insert into media (code, name, description, sort_order, active) values ('X', 'X', '', 99, :yes)"),
                            {"yes": True})
            raise RuntimeError("crash mid-write")
    with database.read() as session:
        assert session.execute(text("select count(*) from media where code = 'X'")).scalar() == 0


@pytest.mark.postgresql_only
def test_a_value_the_server_cannot_hold_is_refused_clearly_and_nothing_is_written(database):
    with pytest.raises(UserError, match="the database refused a value: value too long"):
        with database.transaction() as session:
            session.add(Media(code="X", name="Kept only with the rest", sort_order=98))
            session.add(Media(code="Y" * 40, name="Too long a code", sort_order=99))
    with database.read() as session:
        assert session.scalar(select(func.count()).where(Media.code == "X")) == 0


def test_locations_become_urls():
    assert database_url(None).database == str(default_database_path())
    assert database_url("x.db").database == str(Path("x.db").resolve())
    url = database_url("postgresql+psycopg://rights@localhost/desk")
    assert url.get_backend_name() == "postgresql"


def test_the_default_database_lives_in_the_user_data_folder():
    path = default_database_path()
    assert path.name == "rightsdesk.db"
    assert "RightsDesk" in path.parts


@pytest.mark.sqlite_only
def test_online_backup_copies_a_consistent_database(database, tmp_path):
    with database.transaction() as session:
        session.execute(text("insert into media (code, name, description, sort_order, active) values ('X', 'X', '', 99, 1)"))
    copy = backup_sqlite(database.path, tmp_path / "copy.db")
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("select name from media where code = 'X'").fetchone() == ("X",)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    with pytest.raises(FileExistsError):
        backup_sqlite(database.path, copy)


def test_the_rightsdesk_db_setting_points_every_desk_at_one_database(monkeypatch):
    monkeypatch.setenv("RIGHTSDESK_DB", "postgresql+psycopg://ana@db.example.com/rightsdesk")
    assert database_url(None).host == "db.example.com"
    assert database_url("mine.db").database == str(Path("mine.db").resolve())  # --db still wins


def test_a_write_that_waits_too_long_for_another_desk_says_the_database_is_busy(tmp_path):
    from rightsdesk.persistence import migrate
    from rightsdesk.persistence.database import Database, DatabaseBusy
    from rightsdesk.persistence.models import AppSetting

    path = tmp_path / "busy.db"
    migrate.prepare(Database(path))
    other_desk = sqlite3.connect(path, isolation_level=None)
    other_desk.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    database = Database(path, busy_timeout_ms=100)
    with pytest.raises(DatabaseBusy, match="is busy: another desk or program is writing to it"):
        with database.transaction() as session:
            session.add(AppSetting(key="letterhead", value="x"))
    other_desk.execute("ROLLBACK")
    with database.transaction() as session:  # once it is done, the same save goes through
        session.add(AppSetting(key="letterhead", value="x"))
    other_desk.close()
    database.dispose()


@pytest.mark.parametrize(("typed", "sslmode"), [
    ("postgresql+psycopg://ana@db.example.com/rightsdesk", "require"),
    ("postgresql+psycopg://ana@10.0.0.5:5433/rightsdesk", "require"),
    ("postgresql+psycopg://ana@db.example.com/rightsdesk?sslmode=verify-full", "verify-full"),
    ("postgresql+psycopg://ana@db.example.com/rightsdesk?sslmode=disable", "disable"),
    ("postgresql+psycopg://ana@localhost/rightsdesk", None),
    ("postgresql+psycopg://ana@/rightsdesk?host=/var/run/postgresql", None),
])
def test_a_team_server_is_reached_over_tls_unless_its_address_says_otherwise(typed, sslmode):
    assert database_url(typed).query.get("sslmode") == sslmode


@pytest.mark.postgresql_only
def test_a_save_waiting_on_another_desks_row_lock_on_the_server_says_the_database_is_busy(database, worked):
    """PostgreSQL waited without limit for another desk's uncommitted change (a frozen window);
    it now gives up after the busy timeout with the same message as SQLite, nothing saved."""
    import psycopg

    from rightsdesk.persistence.database import Database, DatabaseBusy
    from rightsdesk.services import parties

    other_desk = psycopg.connect(database.url.set(drivername="postgresql").render_as_string(hide_password=False))
    other_desk.execute("UPDATE party SET notes = 'theirs'")  # not committed: holds the rows' locks
    impatient = Database(database.url, busy_timeout_ms=300)
    try:
        with impatient.read() as session:
            draft = parties.load_party(session, session.scalar(text("SELECT min(id) FROM party")))
        draft.notes = "mine"
        with pytest.raises(DatabaseBusy, match="is busy: another desk or program is writing to it"):
            with impatient.transaction() as session:
                parties.save_party(session, draft, user="ana")
    finally:
        other_desk.rollback()
        other_desk.close()
        impatient.dispose()
