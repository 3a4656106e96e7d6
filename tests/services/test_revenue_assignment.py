"""Assigning an unmatched identifier to a title, and taking it back (issue 18)."""

import pytest
from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.revenue import Options
from rightsdesk.persistence.models import TitleAlias
from rightsdesk.services import catalogue, history, revenue

MAPPING = {"period": "Month", "territory": "Country", "title_name": "Series", "gross_amount": "Revenue",
           "currency": "Currency"}
CSV = "Month,Country,Series,Revenue,Currency\n2026-07,US,Substitute Bride,10.00,USD\n2026-07,TH,Substitute Bride,5.00,USD\n"


@pytest.fixture
def parked(database):
    with database.transaction() as session:
        title = catalogue.save_title(session, TitleDraft("The Substitute Bride", internal_id="T000042",
                                                         episodes=[EpisodeDraft(1, "", 90)]), user="li")
        source = revenue.save_source(session, "ShortMax", currency="USD")
        revenue.import_file(session, source, "july.csv", CSV.encode(), MAPPING, Options(), user="li")
    return source, title


def test_an_assignment_is_in_the_titles_history_and_undone_as_it_was(database, parked):
    source, title = parked
    with database.read() as session:
        [found] = revenue.unmatched(session)
    assert found.suggestions[0] == (title, "T000042", "The Substitute Bride")  # a likely title with its ID
    with database.transaction() as session:
        done = revenue.assign_identifier(session, source, "Substitute Bride", title, user="ana")
    assert done.lines == 2 and done.alias_id is not None
    with database.read() as session:
        assert revenue.unmatched(session) == []
        [change, *_] = [c for c in history.changes(session, kind="title", record_id=title) if c.user == "ana"]
    assert change.summary == "2 revenue lines from ShortMax reported as “Substitute Bride” assigned to this title"

    with database.transaction() as session:
        assert revenue.undo_assignment(session, done, user="ana") == 2
    with database.read() as session:
        [again] = revenue.unmatched(session, suggest=False)
        assert (again.identifier, again.lines) == ("Substitute Bride", 2)
        assert session.scalar(select(TitleAlias).where(TitleAlias.alias == "Substitute Bride")) is None
        summaries = [c.summary for c in history.changes(session, kind="title", record_id=title) if c.user == "ana"]
    assert summaries[-1] == "assignment undone: 2 revenue lines from ShortMax reported as “Substitute Bride” unmatched again"


def test_one_line_reads_in_the_singular_and_an_alias_known_before_is_kept(database, parked):
    source, title = parked
    with database.transaction() as session:
        session.add(TitleAlias(source_id=source, alias="Substitute Bride", title_id=title))
    with database.transaction() as session:
        one_line = CSV.splitlines()[:2]
        revenue.import_file(session, source, "aug.csv", "\n".join(one_line).replace("2026-07", "2026-08")
                            .replace("Substitute", "Substitut").encode(), MAPPING, Options(), user="li")
        done = revenue.assign_identifier(session, source, "Substitut Bride", title, user="ana", remember=False)
        assert done.alias_id is None
        revenue.undo_assignment(session, done, user="ana")
        assert session.scalar(select(TitleAlias.id).where(TitleAlias.alias == "Substitute Bride")) is not None
        summaries = [c.summary for c in history.changes(session, kind="title", record_id=title) if c.user == "ana"]
    assert summaries[0] == "1 revenue line from ShortMax reported as “Substitut Bride” assigned to this title"


def test_an_assignment_a_statement_used_is_not_undone(database, worked, import_revenue):
    from rightsdesk.services import statements

    import_revenue(database, worked["source"], [("2026-08", "US", "La novia", "300", "USD")], "q3.csv")
    with database.transaction() as session:
        done = revenue.assign_identifier(session, worked["source"], "La novia", worked["titles"][0], user="ana")
        statements.run(session, "2026-Q3", user="ana")
    with database.transaction() as session, pytest.raises(UserError, match="already on a statement"):
        revenue.undo_assignment(session, done, user="ana")
