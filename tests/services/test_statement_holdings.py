"""Which lines each statement holds when a title's revenue of the period goes several ways: the
run joins such a title's lines on the whole (title, territory, media, day) key and writes them
line by line (statement_revenue), the others on the title alone, held by import batch and title
(statement_title_revenue; services.statement_receipts.record_holdings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import ImportBatch, RevenueLine, Statement, StatementRevenue, StatementTitleRevenue
from rightsdesk.services import catalogue, deals, parties, revenue, royalty_terms, statement_revenue, statements
from rightsdesk.services.royalty_terms import TermsDraft

USER = "ana"


def deal_for(session, reference: str, title_ids: list[int], country: str) -> int:
    """A signed IN deal with terms for the titles in one country, APP, from 2026-01-01."""
    producer = parties.save_party(session, PartyDraft(f"Producer of {reference}", PartyKind.PRODUCER), user=USER)
    deal = deals.save_deal(session, DealDraft(DealDirection.IN, producer, reference, date(2026, 1, 1), DealStatus.SIGNED, grants=[
        GrantDraft([GrantTitleDraft(t) for t in title_ids], territories=TerritoryScope((ScopeItem(country),)),
                   media=["APP"], term_start=date(2026, 1, 1), exclusive=True)]), user=USER).deal_id
    royalty_terms.save_terms(session, deal, TermsDraft(producer, "USD", default_fee_percent=D(20)), user=USER)
    return deal


def test_a_title_acquired_by_country_from_two_deals_puts_each_line_on_its_deals_statement(database, import_revenue):
    with database.transaction() as session:
        split, whole = (catalogue.save_title(session, TitleDraft(name, episodes=[EpisodeDraft(1, "", 90)]), user=USER)
                        for name in ("Split", "Whole"))
        thai = deal_for(session, "IN-TH", [split, whole], "TH")
        american = deal_for(session, "IN-US", [split], "US")
        source = revenue.save_source(session, "ShortMax")
        ids = {t: session.get(catalogue.Title, t).internal_id for t in (split, whole)}
    import_revenue(database, source, [("2026-07", "TH", ids[split], "100", "USD"),
                                      ("2026-08", "TH", ids[split], "10", "USD"),
                                      ("2026-08", "US", ids[split], "200", "USD"),
                                      ("2026-08", "BR", ids[split], "50", "USD"),  # no deal covers Brazil
                                      ("2026-08", "TH", ids[whole], "7", "USD"),
                                      ("2026-09", "TH", ids[whole], "3", "USD")], "q3.csv")
    with database.transaction() as session:
        result = statements.run(session, "2026-Q3", user=USER)
    with database.read() as session:
        line_of = {(title, territory, amount): line_id for line_id, title, territory, amount in session.execute(
            select(RevenueLine.id, RevenueLine.title_id, RevenueLine.territory_code, RevenueLine.gross_amount))}
        deal_of = dict(session.execute(select(Statement.id, Statement.deal_id)).all())
        held = sorted((deal_of[statement_id], line_id, title_id, amount) for statement_id, line_id, title_id, amount in
                      session.execute(statement_revenue.held_lines()))
        assert held == sorted([
            (thai, line_of[(split, "TH", D(100))], split, D(100)), (thai, line_of[(split, "TH", D(10))], split, D(10)),
            (thai, line_of[(whole, "TH", D(7))], whole, D(7)), (thai, line_of[(whole, "TH", D(3))], whole, D(3)),
            (american, line_of[(split, "US", D(200))], split, D(200))])
        # "Whole" goes one way: held by its batch and title; "Split" line by line
        batch = session.scalars(select(ImportBatch.id)).one()
        assert [(deal_of[s], b, t) for s, b, t in session.execute(select(
            StatementTitleRevenue.statement_id, StatementTitleRevenue.batch_id, StatementTitleRevenue.title_id))] == [
            (thai, batch, whole)]
        assert {title for title in session.scalars(select(StatementRevenue.title_id))} == {split}
        assert result.ungoverned_lines == [line_of[(split, "BR", D(50))]]
        gross = {deal_of[s.id]: s.gross_receipts for s in session.scalars(select(Statement))}
        assert gross == {thai: D(120), american: D(200)}
        found = statement_revenue.reconcile(session)
    assert found.on_statements == {"USD": D(320)} and found.listed == {"USD": D(50)} and found.balanced
    assert [line.reason for line in found.lines] == ["no signed grant covers it"]


def _internal_id(session, title_id: int) -> str:
    return session.get(catalogue.Title, title_id).internal_id


def test_lines_matched_to_a_title_after_a_run_are_not_taken_to_be_on_its_statement(database, worked, import_revenue):
    """A statement holds the title's lines of the batch whole; an assignment then gives the
    title more lines of that batch: the statement keeps exactly what it summed (written out
    line by line first) and the newly matched line waits for a run, listed."""
    title = worked["titles"][0]
    with database.read() as session:
        code = _internal_id(session, title)
    import_revenue(database, worked["source"], [("2026-08", "US", code, "100", "USD"),
                                                ("2026-08", "US", "La novia", "300", "USD")], "q3.csv")
    with database.transaction() as session:
        [statement] = statements.run(session, "2026-Q3", user=USER).statements
        assert session.scalars(select(StatementTitleRevenue.title_id)).all() == [title]
        revenue.assign_identifier(session, worked["source"], "La novia", title, user=USER)
    with database.read() as session:
        assert session.scalars(select(StatementTitleRevenue)).all() == []
        held = session.execute(statement_revenue.held_lines()).all()
        found = statement_revenue.reconcile(session)
        novia = session.scalars(select(RevenueLine.id).where(RevenueLine.reported_identifier == "La novia")).one()
    assert [(s, t, amount) for s, _, t, amount in held] == [(statement, title, D(100))]
    assert found.on_statements == {"USD": D(100)} and found.balanced
    assert [(line.line_id, line.amount) for line in found.lines] == [(novia, D(300))]
    assert found.lines[0].reason.startswith("not run yet")
    with database.transaction() as session:  # the next run takes both
        statements.run(session, "2026-Q3", user=USER)
    with database.read() as session:
        assert statement_revenue.reconcile(session).on_statements == {"USD": D(400)}


def test_a_batch_held_by_title_goes_only_with_the_drafts_that_hold_it(database, worked, import_revenue):
    """Rolling back a batch a draft holds whole redrafts the draft without it; one an issued
    statement holds whole is refused."""
    from rightsdesk.domain.errors import UserError
    from rightsdesk.services import issuing

    with database.read() as session:
        code = _internal_id(session, worked["titles"][0])
    first = import_revenue(database, worked["source"], [("2026-08", "US", code, "100", "USD")], "q3.csv")
    with database.transaction() as session:
        statements.run(session, "2026-Q3", user=USER)
        revenue.rollback_batch(session, first.batch_id, user=USER)
    with database.read() as session:
        assert session.scalars(select(StatementTitleRevenue)).all() == []
        assert [s.gross_receipts for s in session.scalars(select(Statement))] == [D(0)]
    second = import_revenue(database, worked["source"], [("2026-08", "US", code, "250", "USD")], "q3 again.csv")
    with database.transaction() as session:
        [statement] = statements.run(session, "2026-Q3", user=USER).statements
        issuing.issue(session, statement, user=USER)
    with database.transaction() as session:
        with pytest.raises(UserError, match="used by issued statement"):
            revenue.rollback_batch(session, second.batch_id, user=USER)
