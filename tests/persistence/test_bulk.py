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
def test_rows_parked_by_another_process_in_a_file_of_their_own_move_with_the_others(database, tmp_path):
    """A statement run's lines drafted by a second process, on SQLite: the file is attached,
    its rows moved with the park's, each owner looked up, and the file detached and deleted
    once the unit of work ends."""
    scratch, later = tmp_path / "drafted", tmp_path / "drafted later"
    with database.read() as reader:
        with Parked.in_file(scratch, "test_parked", {"name": "TEXT", "day": "DATE"},
                            database=reader.connection()) as theirs:
            theirs.park(3, [("c", "2026-07-01")])
            theirs.park(5, [("d", None)])
        with Parked.in_file(later, "test_parked", {"name": "TEXT", "day": "DATE"}, database=reader.connection()) as theirs:
            theirs.park(9, [("e", None)])
    with database.transaction() as session:
        _target(session)
        parked = Parked(session, "test_parked", {"name": "TEXT", "day": "DATE"})
        parked.park(7, [("a", plain_day(session)(date(2026, 9, 30)))])
        parked.take(scratch)
        parked.move("parked_target", "owner_id", {7: 70, 3: 30, 5: 50})
        # another file, once the first one's rows are moved (it stays attached until then)
        parked.take(later)
        parked.move("parked_target", "owner_id", {9: 90})
        rows = session.execute(text("SELECT owner_id, name, day FROM parked_target ORDER BY id")).all()
        assert [(owner, name, str(day) if day else None) for owner, name, day in rows] == [
            (70, "a", "2026-09-30"), (30, "c", "2026-07-01"), (50, "d", None), (90, "e", None)]
    assert not scratch.exists() and not later.exists()
    with database.read() as session:
        attached = [row[1] for row in session.connection().exec_driver_sql("PRAGMA database_list")]
    assert not [name for name in attached if name.startswith("scratch_")]


@pytest.mark.postgresql_only
def test_on_postgresql_rows_parked_with_their_owners_ids_known_ahead_go_straight_into_their_table(database, tmp_path):
    """A statement run's lines drafted by a second process, on PostgreSQL: it knows the ids of
    the rows they belong to (the run takes its drafts' ids from their sequence ahead) and
    writes them as the table takes them. `move` copies them in after the park's own, in the
    order parked, and deletes the file; the owner keys are not looked up again."""
    scratch, later = tmp_path / "drafted", tmp_path / "drafted later"
    with database.read() as reader:
        with Parked.in_file(scratch, "test_parked", {"name": "TEXT", "day": "DATE"}, database=reader.connection(),
                            ids={3: 300, 5: 500}) as theirs:
            theirs.park(5, [("c\ttab\\slash\nline", "2026-07-01"), ("d", None)])  # (what COPY's text format escapes)
            theirs.park(3, [("e", None)])
        with Parked.in_file(later, "test_parked", {"name": "TEXT", "day": "DATE"}, database=reader.connection(),
                            ids={9: 900}) as theirs:
            theirs.park(9, [("f", None)])
    with database.transaction() as session:
        _target(session)
        parked = Parked(session, "test_parked", {"name": "TEXT", "day": "DATE"})
        parked.park(7, [("a", plain_day(session)(date(2026, 9, 30)))])
        parked.take(scratch)
        parked.move("parked_target", "owner_id", {7: 70})
        parked.take(later)
        parked.move("parked_target", "owner_id", {})
        rows = session.execute(text("SELECT owner_id, name, day FROM parked_target ORDER BY id")).all()
        assert [(owner, name, str(day) if day else None) for owner, name, day in rows] == [
            (70, "a", "2026-09-30"), (500, "c\ttab\\slash\nline", "2026-07-01"), (500, "d", None), (300, "e", None),
            (900, "f", None)]
    assert not scratch.exists() and not later.exists()


def test_the_owners_ids_are_known_ahead_on_postgresql_and_looked_up_on_sqlite(database, tmp_path):
    ahead = None if database.is_sqlite else {3: 300}
    wrong = {3: 300} if database.is_sqlite else None
    with database.read() as reader:
        with Parked.in_file(tmp_path / "drafted", "test_parked", {"name": "TEXT"}, database=reader.connection(),
                            ids=ahead) as theirs:
            theirs.park(3, [("a",)])
        with pytest.raises(AssertionError, match="SQLite" if database.is_sqlite else "PostgreSQL"):
            with Parked.in_file(tmp_path / "refused", "test_parked", {"name": "TEXT"}, database=reader.connection(),
                                ids=wrong):
                pass


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


def _batch(session) -> int:
    from rightsdesk.persistence.models import ImportBatch
    from rightsdesk.services import revenue

    batch = ImportBatch(source_id=revenue.save_source(session, "Keys"), file_name="keys.csv", content_hash="k")
    session.add(batch)
    session.flush()
    return batch.id


def _line(batch_id: int, title_id: int | None) -> tuple:
    return (batch_id, 2, date(2026, 7, 1), date(2026, 7, 31), "other", "T1", title_id, 1_000_000, 0, 0, "USD")


_LINE = ("batch_id", "row_number", "period_start", "period_end", "revenue_type", "reported_identifier", "title_id",
         "gross_amount", "platform_fees", "taxes", "currency")


@pytest.mark.postgresql_only
def test_on_postgresql_a_bulk_write_checks_its_keys_once_after_it_not_row_by_row(database):
    """The test server's role is a superuser: the key triggers are off for the write, and a
    value that is not there is caught by the check after it."""
    from rightsdesk.persistence.bulk import KeysGone, keys_checked_at_once
    from rightsdesk.persistence.models import RevenueLine

    with pytest.raises(KeysGone, match="title 999999, named in revenue_line, is no longer there"):
        with database.transaction() as session:
            batch_id = _batch(session)
            with keys_checked_at_once(session, RevenueLine.__table__, RevenueLine.batch_id == batch_id) as at_once:
                assert at_once
                assert session.execute(text("SHOW session_replication_role")).scalar() == "replica"
                insert_plain(session, "revenue_line", _LINE, [_line(batch_id, 999999)])  # no trigger refuses it
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM revenue_line WHERE title_id = 999999")).scalar() == 0


@pytest.mark.postgresql_only
def test_a_role_that_may_not_switch_triggers_off_has_each_row_checked_as_usual(database, postgres_server):
    from rightsdesk.persistence.bulk import keys_checked_at_once
    from rightsdesk.persistence.database import Database
    from rightsdesk.persistence.models import RevenueLine

    name = database.url.database
    postgres_server.execute("DO $$ BEGIN CREATE ROLE clerk LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    with database.transaction() as session:
        session.execute(text("GRANT ALL ON ALL TABLES IN SCHEMA public TO clerk"))
        session.execute(text("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO clerk"))
    clerk = Database(database.url.set(username="clerk", database=name))
    try:
        with pytest.raises(IntegrityError, match="fk_revenue_line_title_id_title"):
            with clerk.transaction() as session:
                batch_id = _batch(session)
                with keys_checked_at_once(session, RevenueLine.__table__, RevenueLine.batch_id == batch_id) as at_once:
                    assert not at_once  # the savepoint took the refusal: the transaction goes on
                    assert session.execute(text("SHOW session_replication_role")).scalar() == "origin"
                    insert_plain(session, "revenue_line", _LINE, [_line(batch_id, 999999)])
    finally:
        clerk.dispose()


@pytest.mark.postgresql_only
def test_a_title_a_bulk_write_names_cannot_be_deleted_until_it_commits(database, worked):
    """The check takes the lock the key triggers would have: another desk deleting the title
    waits (here it gives up after 200 ms)."""
    from sqlalchemy.exc import OperationalError

    from rightsdesk.persistence.bulk import keys_checked_at_once
    from rightsdesk.persistence.models import RevenueLine

    title_id = worked["titles"][0]
    with database.transaction() as session:
        batch_id = _batch(session)
        with keys_checked_at_once(session, RevenueLine.__table__, RevenueLine.batch_id == batch_id) as at_once:
            insert_plain(session, "revenue_line", _LINE, [_line(batch_id, title_id)])
        assert at_once
        with database.engine.connect() as other, pytest.raises(OperationalError, match="lock timeout"):
            other.execute(text("SET lock_timeout = '200ms'"))
            other.execute(text("DELETE FROM title WHERE id = :id"), {"id": title_id})


# -- a query run beside the session ----------------------------------------------------------------

def _by_minor_units():
    from sqlalchemy import func, select

    from rightsdesk.persistence.models import Currency

    return (select(Currency.minor_units, func.count()).group_by(Currency.minor_units)
            .order_by(Currency.minor_units))


def _threads_started(monkeypatch) -> list[str]:
    import rightsdesk.persistence.bulk as bulk

    started: list[str] = []
    real = bulk.threading.Thread

    class Recorded(real):  # type: ignore[misc, valid-type]
        def start(self) -> None:
            started.append(self.name)
            super().start()

    monkeypatch.setattr(bulk.threading, "Thread", Recorded)
    return started


def test_a_query_beside_runs_in_a_thread_of_its_own_and_reads_what_the_session_reads(database, monkeypatch):
    from rightsdesk.persistence.bulk import query_beside

    started = _threads_started(monkeypatch)
    with database.transaction() as session:
        inline = [tuple(row) for row in session.execute(_by_minor_units())]
        with query_beside(session, _by_minor_units()) as rows:
            session.execute(text("SELECT count(*) FROM territory")).scalar()  # the session goes on meanwhile
            assert [tuple(row) for row in rows()] == inline
    assert started == ["query beside"]
    assert sum(count for _, count in inline) > 100  # (ISO 4217: a query with something to read)


def test_once_the_session_has_written_the_query_runs_on_its_own_connection_and_sees_the_write(database, monkeypatch):
    """Another connection would not see what this transaction wrote and not yet committed."""
    from rightsdesk.persistence.bulk import query_beside

    started = _threads_started(monkeypatch)
    with database.transaction() as session:
        before = dict(session.execute(_by_minor_units()).all())
        session.execute(text("INSERT INTO currency (code, name, minor_units) VALUES ('XQQ', 'Test', 5)"))
        with query_beside(session, _by_minor_units()) as rows:
            assert dict(tuple(row) for row in rows()) == {**before, 5: 1}
    assert started == []


def test_what_the_query_beside_raises_is_raised_where_its_rows_are_asked_for(database):
    from sqlalchemy import Integer, func, select

    from rightsdesk.persistence.bulk import query_beside

    with database.transaction() as session:
        with query_beside(session, select(func.no_such_function(1, type_=Integer))) as rows:
            with pytest.raises(Exception, match="no_such_function"):
                list(rows())


@pytest.mark.sqlite_only
def test_a_desk_writing_between_the_two_snapshots_has_the_work_done_again(database):
    """The query beside reads a later snapshot than the session's; if a desk wrote in between,
    the session's first write is refused and compute_then_write does the work again, so what is
    written never mixes two states of the database."""
    from rightsdesk.persistence.bulk import query_beside

    seen: list[dict[int, int]] = []

    def work(session):
        session.execute(text("SELECT count(*) FROM currency")).scalar()  # the session's snapshot
        if not seen:  # another desk adds a currency after it, once
            other = sqlite3.connect(database.path, isolation_level=None)
            other.execute("INSERT INTO currency (code, name, minor_units) VALUES ('XQQ', 'Test', 5)")
            other.close()
        with query_beside(session, _by_minor_units()) as rows:
            seen.append(dict(tuple(row) for row in rows()))
        session.execute(text("INSERT INTO currency (code, name, minor_units) VALUES ('XQR', 'Test', 6)"))

    database.compute_then_write(work)
    assert len(seen) == 2 and seen[-1][5] == 1  # done again, on what is there now


def test_a_caller_that_gives_up_stops_the_query_beside_instead_of_waiting_for_it(database):
    """A cancelled run leaves at once: the query is interrupted (here it is endless: without
    the interruption the test never ends, and the suite's timeout fails it)."""
    from sqlalchemy import Integer, literal_column, select

    from rightsdesk.persistence.bulk import query_beside

    sqlite = database.is_sqlite
    endless = ("(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n)" if sqlite
               else "(SELECT count(*) FROM generate_series(1, 1000000000000))")
    with pytest.raises(KeyboardInterrupt):
        with database.transaction() as session:
            with query_beside(session, select(literal_column(endless, Integer))):
                raise KeyboardInterrupt  # (the user cancelling)
