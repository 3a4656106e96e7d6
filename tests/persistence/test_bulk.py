import sqlite3
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from rightsdesk.persistence.bulk import Parked, insert_plain, plain_day


def _target(session) -> None:
    serial = "INTEGER PRIMARY KEY" if session.get_bind().dialect.name == "sqlite" else "SERIAL PRIMARY KEY"
    session.execute(text(f"CREATE TABLE parked_target (id {serial}, owner_id INTEGER, name TEXT, day DATE)"))


def test_parked_rows_move_in_the_order_parked_each_with_its_owners_id(database, monkeypatch):
    monkeypatch.setattr(Parked, "FLUSH_ROWS", 2)  # some rows in the table, some still waiting
    with database.transaction() as session:
        _target(session)
        plain = plain_day(session)
        parked = Parked(session, "test_parked", {"name": "TEXT", "day": "DATE"})
        parked.park(7, [("b", plain(date(2026, 9, 30))), ("a", None)])
        parked.park(3, [("c", plain(date(2026, 7, 1)))])
        parked.park(9, [("dropped: no id for its owner", None)])
        parked.move("parked_target", "owner_id", {7: 70, 3: 30})
        rows = session.execute(text("SELECT owner_id, name, day FROM parked_target ORDER BY id")).all()
        assert [(owner, name) for owner, name, _ in rows] == [(70, "b"), (70, "a"), (30, "c")]
        assert str(rows[0][2]) == "2026-09-30" and rows[1][2] is None
        # the park is empty again, for the next use in the same unit of work
        parked.move("parked_target", "owner_id", {7: 70})
        assert session.execute(text("SELECT count(*) FROM parked_target")).scalar() == 3


@pytest.mark.sqlite_only
def test_parking_rows_takes_no_write_lock(database, monkeypatch):
    """What a statement run parks while it computes leaves other desks free to save."""
    monkeypatch.setattr(Parked, "FLUSH_ROWS", 1)
    other = sqlite3.connect(database.path, timeout=0, isolation_level=None)
    try:
        with database.transaction(lock_first=False) as session:
            session.execute(text("select count(*) from territory")).scalar()
            Parked(session, "test_parked", {"name": "TEXT"}).park(1, [("written to the temporary table",)])
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_row_the_database_refuses_is_refused_as_any_statement_is(database):
    """SQLAlchemy's error, not the driver's (Database.transaction turns those into what to do)."""
    with pytest.raises(IntegrityError):
        with database.transaction() as session:
            session.execute(text("CREATE TABLE plain_target (amount BIGINT NOT NULL)"))
            insert_plain(session, "plain_target", ("amount",), [(1,), (None,)])
