"""Which lines each statement holds (statement_revenue) when a title's revenue of the period goes
several ways: the run joins such a title's lines on the whole (title, territory, media, day)
key, the others on the title alone (services.statement_receipts.record_holdings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import RevenueLine, Statement, StatementRevenue
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
                      session.execute(select(StatementRevenue.statement_id, StatementRevenue.revenue_line_id,
                                             StatementRevenue.title_id, StatementRevenue.source_amount)))
        assert held == sorted([
            (thai, line_of[(split, "TH", D(100))], split, D(100)), (thai, line_of[(split, "TH", D(10))], split, D(10)),
            (thai, line_of[(whole, "TH", D(7))], whole, D(7)), (thai, line_of[(whole, "TH", D(3))], whole, D(3)),
            (american, line_of[(split, "US", D(200))], split, D(200))])
        assert result.ungoverned_lines == [line_of[(split, "BR", D(50))]]
        gross = {deal_of[s.id]: s.gross_receipts for s in session.scalars(select(Statement))}
        assert gross == {thai: D(120), american: D(200)}
        found = statement_revenue.reconcile(session)
    assert found.on_statements == {"USD": D(320)} and found.listed == {"USD": D(50)} and found.balanced
    assert [line.reason for line in found.lines] == ["no signed grant covers it"]
