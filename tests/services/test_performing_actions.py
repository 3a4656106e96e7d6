"""One way to act: a use case's result, the records it wrote, and the database's errors said in words."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, text, update
from sqlalchemy.exc import OperationalError

from rightsdesk.domain.errors import ValidationError
from rightsdesk.domain.parties import PartyDraft, PartyKind
from rightsdesk.persistence.bulk import insert_plain
from rightsdesk.persistence.database import Database, DatabaseBusy
from rightsdesk.persistence.models import Party, Title
from rightsdesk.services.actions import Changes, DatabaseUnusable, perform, storage_problem
from rightsdesk.services.parties import save_party


def test_a_save_says_which_record_it_wrote(database: Database) -> None:
    outcome = perform(database, save_party, PartyDraft(name="Lumen Shorts"), user="ana")

    assert outcome.changes.ids("party") == {outcome.result}
    assert outcome.changes.touches("party") and not outcome.changes.touches("title")


def test_an_edit_and_a_delete_are_changes_of_their_records(database: Database) -> None:
    first = perform(database, save_party, PartyDraft(name="Lumen Shorts"), user="ana").result

    def rename_then_delete(session, party_id: int) -> None:  # type: ignore[no-untyped-def]
        party = session.get(Party, party_id)
        party.name = "Lumen"
        session.flush()
        session.delete(party)

    changes = perform(database, rename_then_delete, first).changes
    assert changes.ids("party") == {first}


def test_reading_only_writes_nothing(database: Database) -> None:
    perform(database, save_party, PartyDraft(name="Lumen Shorts"), user="ana")

    def look(session) -> None:  # type: ignore[no-untyped-def]
        session.get(Party, 1)
        session.execute(text("SELECT count(*) FROM party")).scalar()

    assert not perform(database, look).changes


def test_writes_in_bulk_name_their_kind(database: Database) -> None:
    def bulk(session) -> None:  # type: ignore[no-untyped-def]
        session.execute(insert(Party), [{"name": "A", "kind": PartyKind.PRODUCER}, {"name": "B", "kind": PartyKind.PRODUCER}])
        session.execute(update(Title).where(Title.id < 0).values(genre="x"))
        insert_plain(session, "language", ("tag", "name"), [("zz-Test", "Test")])

    changes = perform(database, bulk).changes
    assert changes.touches("party") and changes.touches("title") and changes.touches("language")
    assert changes.ids("party") == frozenset()  # written in bulk: which ones is not known


def test_a_refused_action_writes_and_announces_nothing(database: Database) -> None:
    with pytest.raises(ValidationError):
        perform(database, save_party, PartyDraft(name=""), user="ana")
    with database.read() as session:
        assert session.query(Party).count() == 0


def test_changes_merge() -> None:
    merged = Changes({"title": frozenset({1})}) | Changes({"title": frozenset({2}), "deal": frozenset()})
    assert merged.ids("title") == {1, 2} and merged.touches("deal") and str(merged) == "deal, title (2)"
    assert not Changes()


@pytest.mark.parametrize("driver_text, kind, words", [
    ("database is locked", DatabaseBusy, "busy"),
    ("database or disk is full", DatabaseUnusable, "is full"),
    ("attempt to write a readonly database", Exception, "cannot be written to now"),
    ("database disk image is malformed", DatabaseUnusable, "is damaged"),
])
def test_database_errors_are_said_in_words(tmp_path, driver_text: str, kind: type, words: str) -> None:  # type: ignore[no-untyped-def]
    database = Database(tmp_path / "desk.db")
    problem = storage_problem(database, OperationalError("INSERT ...", {}, Exception(driver_text)))
    assert isinstance(problem, kind) and words in str(problem) and "Nothing was" in str(problem)


def test_a_lost_server_is_said_in_words() -> None:
    database = Database("postgresql+psycopg://ana@db.example.com/rightsdesk")
    error = OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
    problem = storage_problem(database, error)
    assert isinstance(problem, DatabaseUnusable) and "connection to the database server" in str(problem)


def test_a_bug_is_not_dressed_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(tmp_path / "desk.db")
    assert storage_problem(database, OperationalError("SELEC", {}, Exception('near "SELEC": syntax error'))) is None


@pytest.mark.sqlite_only
def test_a_full_disk_mid_action_loses_nothing_and_is_said(database: Database) -> None:
    perform(database, save_party, PartyDraft(name="Kept"), user="ana")

    def fill_the_disk(session) -> None:  # type: ignore[no-untyped-def]
        session.add(Party(name="Lost", kind=PartyKind.PRODUCER))
        session.flush()
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    with pytest.raises(DatabaseUnusable, match="is full"):
        perform(database, fill_the_disk)
    with database.read() as session:
        assert [p.name for p in session.query(Party)] == ["Kept"]


def test_writes_handed_the_connection_name_their_kind_too(database: Database) -> None:
    def bulk(session) -> None:  # type: ignore[no-untyped-def]
        insert_plain(session.connection(), "language", ("tag", "name"), [("zz-Conn", "Test")])

    assert perform(database, bulk).changes.touches("language")
    # and the connection, back in the pool, records nothing for the next unit of work
    with database.transaction() as session:
        insert_plain(session.connection(), "language", ("tag", "name"), [("zz-Later", "Test")])
    assert not perform(database, lambda session: None).changes
