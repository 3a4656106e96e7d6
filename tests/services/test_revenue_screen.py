"""What the Revenue screen reads and does, without the screen (services.revenue_screen)."""

from datetime import date
from decimal import Decimal

import pytest

from rightsdesk.domain.catalogue import TitleDraft
from rightsdesk.domain.enums import BatchStatus
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.revenue import Options
from rightsdesk.services import catalogue, revenue, revenue_screen
from rightsdesk.services.actions import perform
from rightsdesk.services.statement_revenue import reconcile

MAPPING = {"period": "Month", "title_name": "Series", "gross_amount": "Revenue", "currency": "Currency"}
CSV = b"Month,Series,Revenue,Currency\n2026-07,Brida,10,USD\n2026-07,Brida,2.5,USD\n2026-07,Zzzz,1,USD\n"


def imported(database):
    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Bride", internal_id="T000042"), user="li")
        source = revenue.save_source(session, "ShortMax")
        checked = revenue.check_file(session, "july.csv", CSV, MAPPING, Options())
    done = perform(database, revenue_screen.import_report, source, checked, mapping=MAPPING, options=Options(),
                   save_as="monthly", user="li")
    return source, done


def test_an_import_saves_its_mapping_and_the_overview_lists_it_with_what_did_not_match(database):
    source, done = imported(database)
    assert done.changes.touches("import_batch", "revenue_line", "column_mapping")
    with database.read() as session:
        shown = revenue_screen.overview(session)
        assert [name for _, name in revenue_screen.mappings(session, source)] == ["monthly"]
        assert revenue_screen.sources(session) == [(source, "ShortMax")]
    [batch] = shown.batches
    assert (batch.file_name, batch.lines, batch.status) == ("july.csv", 3, BatchStatus.IMPORTED)
    assert [(u.identifier, u.lines, u.gross) for u in shown.unmatched] == [("Brida", 2, {"USD": Decimal("12.5")}),
                                                                          ("Zzzz", 1, {"USD": Decimal("1")})]
    assert shown.source_names == {source: "ShortMax"}


def test_an_identifier_is_assigned_to_a_title_typed_by_its_id_and_a_title_that_is_not_there_is_refused(database):
    source, _ = imported(database)
    with pytest.raises(NotFound):
        perform(database, revenue_screen.assign, source, "Brida", "T999999", user="li")
    done = perform(database, revenue_screen.assign, source, "Brida", "T000042", user="li")
    assert done.result.lines == 2 and done.changes.touches("revenue_line", "title_alias")
    assert perform(database, revenue_screen.undo_assignment, done.result, user="li").result == 2


def test_a_rate_is_read_as_a_person_writes_it(database):
    perform(database, revenue_screen.add_rate, "2026-10-31 USD BRL 5,42")
    with database.read() as session:
        [rate] = revenue_screen.overview(session).rates
    assert (rate.day, rate.base, rate.quote, rate.rate) == (date(2026, 10, 31), "USD", "BRL", Decimal("5.42"))
    with pytest.raises(UserError, match="the two currencies and the rate"):
        perform(database, revenue_screen.add_rate, "2026-10-31 USD")
    with pytest.raises(UserError, match="cannot read that"):
        perform(database, revenue_screen.add_rate, "someday USD BRL 5")


def test_the_check_made_apart_comes_back_whole(database, monkeypatch):
    imported(database)
    monkeypatch.setattr(revenue_screen, "LINES_A_CHUNK", 2)  # three lines: two chunks
    found, chunks = revenue_screen.reconcile_at(database.location)
    assert len(chunks) == 2 and found.lines == []
    with database.read() as session:
        here = reconcile(session)
    assert revenue_screen.lines_of(found, chunks) == here
