"""What real months bring (DOMAIN.md), each through the real path: a report imported from a
file, the statement run, issue, then the next period. The right values are worked by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, ExpenseCategory, PartyKind, StatementLineKind
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import Statement
from rightsdesk.services import (
    catalogue,
    deals,
    fx,
    issuing,
    parties,
    revenue,
    royalty_terms,
    statement_documents,
    statement_revenue,
    statements,
)
from rightsdesk.services.royalty_terms import ExpenseDraft, TermsDraft

USER = "ana"
K = StatementLineKind


def make_deal(database, reference="IN-7", titles=("Alpha", "Beta"), **terms):
    """A signed IN deal for new titles (T000001...), world, APP, from 2026-01-01, with terms."""
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft(f"Producer of {reference}", PartyKind.PRODUCER), user=USER)
        ids = [catalogue.save_title(session, TitleDraft(name, episodes=[EpisodeDraft(1, "", 90)]), user=USER)
               for name in titles]
        deal = deals.save_deal(session, DealDraft(DealDirection.IN, producer, reference, date(2026, 1, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(t) for t in ids], territories=TerritoryScope((ScopeItem("WORLD", True),)),
                       media=["APP"], term_start=date(2026, 1, 1), exclusive=True)]), user=USER).deal_id
        royalty_terms.save_terms(session, deal, TermsDraft(producer, "USD", **terms), user=USER)
        source = session.scalar(select(revenue.RevenueSource.id)) or revenue.save_source(session, "ShortMax")
    return deal, ids, source


def internal_id(database, title_id):
    with database.read() as session:
        return session.get(catalogue.Title, title_id).internal_id


def month_end(database, label, *, issue=True):
    """Run a period and (by default) issue what it drafted; the drafted statements."""
    with database.transaction() as session:
        result = statements.run(session, label, user=USER)
        for statement_id in result.statements if issue else ():  # dated once the period is over
            issuing.issue(session, statement_id, user=USER, on=statements.parse_label(label)[1] + timedelta(days=3))
    with database.read() as session:
        found = [session.get(Statement, i, options=[selectinload(Statement.lines), selectinload(Statement.balances)])
                 for i in result.statements]
    return found, result


def total(statement, kind):
    return sum((l.amount for l in statement.lines if l.kind is kind), D(0))


def test_refunds_never_pay_the_same_money_twice(database, import_revenue):
    deal, (alpha, _), source = make_deal(database, default_fee_percent=D(25), tiers=[(D(0), D(60))])
    series = internal_id(database, alpha)
    payable = []
    for label, month, gross in (("2026-Q1", "2026-02", "1000"), ("2026-Q2", "2026-05", "-1000"), ("2026-Q3", "2026-08", "1000")):
        import_revenue(database, source, [(month, "US", series, gross, "USD")], f"{label}.csv")
        [statement], _ = month_end(database, label)
        payable.append(statement.payable)
        if label == "2026-Q2":
            [balance] = statement.balances
            assert (balance.opening_deficit, balance.closing_deficit) == (D(0), D(450))
            assert (statement.distribution_fee, statement.net_receipts, statement.participant_share) == (
                D(-250), D(-750), D(-450))
        if label == "2026-Q3":
            assert total(statement, K.DEFICIT_RECOVERED) == D(450) and statement.balances[0].closing_deficit == 0
    assert payable == [D(450), D(0), D(0)]


def test_a_reserve_is_held_then_released_two_periods_later(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))],
                                      reserve_percent=D(20), reserve_periods=2)
    import_revenue(database, source, [("2026-02", "US", internal_id(database, alpha), "2000", "USD")], "q1.csv")
    results = [month_end(database, label)[0][0] for label in ("2026-Q1", "2026-Q2", "2026-Q3")]
    assert [s.payable for s in results] == [D(800), D(0), D(200)]
    assert [(s.balances[0].opening_reserve, s.balances[0].closing_reserve) for s in results] == [
        (D(0), D(200)), (D(200), D(200)), (D(200), D(0))]
    assert total(results[0], K.RESERVE_HELD) == D(200) and total(results[2], K.RESERVE_RELEASED) == D(200)


def test_an_mg_paid_in_november_counts_from_the_fourth_quarter(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(25), tiers=[(D(0), D(60))],
                                      mg_payments=[(D(10000), date(2026, 11, 15), None)])
    series = internal_id(database, alpha)
    import_revenue(database, source, [("2026-08", "US", series, "4000", "USD")], "aug.csv")
    [q3], _ = month_end(database, "2026-Q3")
    import_revenue(database, source, [("2026-11", "US", series, "20000", "USD")], "nov.csv")
    [q4], _ = month_end(database, "2026-Q4")
    assert (q3.payable, q4.payable, q4.mg_recouped) == (D(1800), D(0), D(9000))
    assert q4.balances[0].closing_mg_outstanding == D(1000) and total(q4, K.MG_PAID) == D(10000)


def test_an_mg_raised_by_an_amendment_adds_to_what_is_outstanding_from_then_on(database, import_revenue):
    deal, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))],
                                         mg_payments=[(D(1000), date(2026, 1, 10), None)])
    series = internal_id(database, alpha)
    import_revenue(database, source, [("2026-02", "US", series, "4000", "USD")], "q1.csv")
    [q1], _ = month_end(database, "2026-Q1")
    assert (q1.mg_recouped, q1.payable) == (D(1000), D(1000))
    with database.transaction() as session:
        terms = royalty_terms.load_terms(session, deal)
        terms.mg_payments.append((D(3000), date(2026, 3, 20), None))  # dated in Q1, which is issued
        royalty_terms.save_terms(session, deal, terms, user=USER)
    import_revenue(database, source, [("2026-05", "US", series, "4000", "USD")], "q2.csv")
    [q2], _ = month_end(database, "2026-Q2")
    assert (q2.mg_recouped, q2.payable, q2.balances[0].closing_mg_outstanding) == (D(2000), D(0), D(1000))


def test_per_title_mgs_of_different_amounts(database, import_revenue):
    deal, (a, b), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))], cross_collateralized=False)
    with database.transaction() as session:
        terms = royalty_terms.load_terms(session, deal)
        terms.mg_payments = [(D(8000), date(2026, 1, 10), a), (D(2000), date(2026, 1, 10), b)]
        royalty_terms.save_terms(session, deal, terms, user=USER)
    import_revenue(database, source, [("2026-02", "US", internal_id(database, a), "9000", "USD"),
                                      ("2026-02", "US", internal_id(database, b), "12000", "USD")], "q1.csv")
    [q1], _ = month_end(database, "2026-Q1")
    outstanding = {bal.title_id: bal.closing_mg_outstanding for bal in q1.balances}
    assert (q1.participant_share, q1.payable, outstanding) == (D(10500), D(4000), {a: D(3500), b: D(0)})


@pytest.mark.parametrize("per_title, recouped, borne", [(False, D(5000), D(5000)), (True, D(10000), D(0))],
                         ids=["the deal's cap, the rest borne by the sales house", "a cap per title"])
def test_the_expense_cap_is_the_deals_unless_the_terms_say_per_title(database, import_revenue, per_title, recouped, borne):
    deal, (a, b), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))],
                                     cross_collateralized=False, expense_cap=D(5000), expense_cap_per_title=per_title)
    with database.transaction() as session:
        royalty_terms.save_expense(session, deal, ExpenseDraft(ExpenseCategory.MARKETING, date(2026, 2, 1), D(10000), "USD"),
                                   user=USER)
    import_revenue(database, source, [("2026-02", "US", internal_id(database, a), "20000", "USD"),
                                      ("2026-02", "US", internal_id(database, b), "20000", "USD")], "q1.csv")
    [q1], _ = month_end(database, "2026-Q1")
    assert (q1.expenses_recouped, total(q1, K.EXPENSES_BORNE)) == (recouped, borne)
    assert sum(bal.closing_expenses_recouped_to_date for bal in q1.balances) == recouped


def test_late_revenue_goes_on_the_next_statement_not_issued(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(25), tiers=[(D(0), D(60))],
                                      mg_payments=[(D(500), date(2026, 1, 10), None)])
    series = internal_id(database, alpha)
    import_revenue(database, source, [("2026-08", "US", series, "1000", "USD")], "q3.csv")
    [q3], _ = month_end(database, "2026-Q3")
    late = import_revenue(database, source, [("2026-09", "US", series, "2000", "USD"),
                                             ("2026-10", "US", series, "100", "USD")], "q3-late.csv")
    assert late.late_lines == 1 and "IN-7" in next(iter(late.late))
    [q4], result = month_end(database, "2026-Q4", issue=False)
    assert result.late_lines and len([l for l in q4.lines if l.kind is K.GROSS_RECEIPTS]) == 2
    late_line = next(l for l in q4.lines if l.kind is K.GROSS_RECEIPTS and "2026-09" in l.description)
    assert late_line.amount == D(2000) and "(earlier period)" in late_line.description
    # through the whole waterfall: the rest of the MG (500 - 450 in Q3 = 50) is recouped from it
    assert (q4.gross_receipts, q4.mg_recouped, q4.payable) == (D(2100), D(50), D("895.00"))
    with database.read() as session:
        assert statement_revenue.reconcile(session).balanced


def test_nothing_is_on_no_statement_unseen(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(25), tiers=[(D(0), D(60))])
    with database.transaction() as session:  # a deal with no terms, and a title no grant covers
        producer = parties.save_party(session, PartyDraft("No terms", PartyKind.PRODUCER), user=USER)
        loose = catalogue.save_title(session, TitleDraft("Gamma", episodes=[EpisodeDraft(1, "", 90)]), user=USER)
        bare = catalogue.save_title(session, TitleDraft("Delta", episodes=[EpisodeDraft(1, "", 90)]), user=USER)
        deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-BARE", date(2026, 1, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(bare)], territories=TerritoryScope((ScopeItem("WORLD", True),)), media=["APP"],
                       term_start=date(2026, 1, 1))]), user=USER)
    import_revenue(database, source, [("2026-08", "US", internal_id(database, alpha), "1000", "USD"),
                                      ("2026-08", "US", "NOBODY", "10", "USD"),
                                      ("2026-08", "US", internal_id(database, loose), "20", "USD"),
                                      ("2026-08", "US", internal_id(database, bare), "30", "USD"),
                                      ("2026-11", "US", internal_id(database, alpha), "40", "USD")], "mixed.csv")
    month_end(database, "2026-Q3")
    with database.read() as session:
        found = statement_revenue.reconcile(session)
    reasons = {line.identifier: line.reason for line in found.lines}
    assert found.imported == {"USD": D(1100)} and found.on_statements == {"USD": D(1000)}
    assert found.listed == {"USD": D(100)} and found.balanced
    assert reasons["NOBODY"] == "no title matched"
    assert reasons[internal_id(database, loose)] == "no signed grant covers it"
    assert reasons[internal_id(database, bare)] == "deal IN-BARE has no royalty terms"
    assert "not run yet" in next(l.reason for l in found.lines if l.amount == D(40))


def test_a_rerun_redrafts_later_drafts_and_periods_are_issued_in_order(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))],
                                      mg_payments=[(D(1000), date(2026, 1, 10), None)])
    series = internal_id(database, alpha)
    import_revenue(database, source, [("2026-08", "US", series, "1000", "USD"),
                                      ("2026-11", "US", series, "4000", "USD")], "both.csv")
    month_end(database, "2026-Q3", issue=False)
    [q4], _ = month_end(database, "2026-Q4", issue=False)
    assert (q4.balances[0].opening_mg_outstanding, q4.payable) == (D(500), D(1500))
    with database.transaction() as session, pytest.raises(UserError, match="earlier statement.*2026-Q3"):
        issuing.issue(session, q4.id, user=USER)
    import_revenue(database, source, [("2026-09", "US", series, "600", "USD")], "more-q3.csv")
    _, rerun = month_end(database, "2026-Q3", issue=False)
    assert len(rerun.redrafted) == 1
    with database.read() as session:
        again = session.get(Statement, rerun.redrafted[0], options=[selectinload(Statement.balances)])
        assert (again.period_label, again.balances[0].opening_mg_outstanding, again.payable) == ("2026-Q4", D(200), D(1800))


def test_fx_takes_the_newest_rate_whichever_way_it_was_entered(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(100))])
    with database.transaction() as session:
        fx.save_rate(session, "THB", "USD", date(2024, 12, 31), D("0.029"))
        fx.save_rate(session, "USD", "THB", date(2026, 9, 30), D("36.50"))
    import_revenue(database, source, [("2026-08", "TH", internal_id(database, alpha), "1000000", "THB")], "th.csv")
    [q3], result = month_end(database, "2026-Q3", issue=False)
    [line] = [l for l in q3.lines if l.kind is K.GROSS_RECEIPTS]
    assert (line.amount, line.fx_date, line.source_amount, line.source_currency) == (
        D("27397.26"), date(2026, 9, 30), D(1000000), "THB")
    assert result.stale_rates == [] and q3.notes == ""
    with database.read() as session:
        assert "most recent rate on or before the last day" in statement_documents.load_document(session, q3.id).fx_rule


def test_a_rate_older_than_the_period_is_flagged(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(100))])
    with database.transaction() as session:
        fx.save_rate(session, "THB", "USD", date(2024, 12, 31), D("0.029"))
    import_revenue(database, source, [("2026-08", "TH", internal_id(database, alpha), "1000", "THB")], "th.csv")
    [q3], result = month_end(database, "2026-Q3", issue=False)
    assert result.stale_rates == ["1 THB = 0.029 USD (rate of 2024-12-31) for IN-7"] and "2024-12-31" in q3.notes


def test_a_statement_is_dated_on_the_accountants_local_day(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(100))])
    import_revenue(database, source, [("2026-11", "US", internal_id(database, alpha), "10", "USD")], "q4.csv")
    [q4], _ = month_end(database, "2026-Q4", issue=False)
    evening = datetime(2026, 12, 31, 17, 30, tzinfo=ZoneInfo("America/Los_Angeles"))  # 01:30 UTC on 1 January
    with database.transaction() as session:
        number = issuing.issue(session, q4.id, user=USER, now=evening)
    with database.read() as session:
        issued = session.get(Statement, q4.id)
        assert (issued.issued_on, issued.issued_tz, number) == (date(2026, 12, 31), "America/Los_Angeles", "ST-2026-000001")


def test_an_issued_statement_exports_the_same_bytes_after_later_work(database, import_revenue, tmp_path):
    from openpyxl import load_workbook

    from rightsdesk.reports import batch
    from rightsdesk.services import period_statements

    _, (alpha, _), source = make_deal(database, default_fee_percent=D(25), tiers=[(D(0), D(60))])
    series = internal_id(database, alpha)
    import_revenue(database, source, [("2026-08", "US", series, "1000", "USD"), ("2026-08", "US", "NOBODY", "5", "USD")],
                   "q3.csv")
    month_end(database, "2026-Q3")
    first = batch.export_period(period_statements.for_export(database, "2026-Q3", unstated=True), pdf_dir=tmp_path / "one", workbook=tmp_path / "one.xlsx")
    import_revenue(database, source, [("2026-09", "US", series, "-300", "USD"), ("2026-10", "US", series, "50", "USD")],
                   "late.csv")
    month_end(database, "2026-Q4")
    with database.transaction() as session:
        issuing.adjust(session, issuing.statement_numbered(session, "ST-2026-000001"), D(-10), "typo", user=USER)
    again = batch.export_period(period_statements.for_export(database, "2026-Q3", unstated=True), pdf_dir=tmp_path / "two", workbook=tmp_path / "two.xlsx")
    assert [p.read_bytes() for p in first.pdfs] == [p.read_bytes() for p in again.pdfs]
    unlisted = load_workbook(tmp_path / "two.xlsx")["Not on a statement"]
    rows = list(unlisted.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[7], r[8]) for r in rows] == [("NOBODY", 5, "no title matched")]


def test_two_desks_issuing_at_once_get_consecutive_numbers(database, import_revenue, monkeypatch):
    import threading

    make_deal(database, "IN-A", ("Alpha", "Beta"), default_fee_percent=D(0), tiers=[(D(0), D(50))])
    make_deal(database, "IN-B", ("Gamma",), default_fee_percent=D(0), tiers=[(D(0), D(50))])
    with database.read() as session:
        source = session.scalar(select(revenue.RevenueSource.id))
    import_revenue(database, source, [("2026-08", "US", "T000001", "10", "USD"), ("2026-08", "US", "T000003", "20", "USD")],
                   "q3.csv")
    drafted, _ = month_end(database, "2026-Q3", issue=False)
    # Each desk waits for the other once it has chosen a number: without a lock both would
    # choose the same one. With the lock the other desk is still waiting for it, so the
    # barrier times out and the first desk goes on.
    together, hash_of = threading.Barrier(2), issuing.content_hash

    def slow_hash(statement):
        try:
            together.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return hash_of(statement)

    monkeypatch.setattr(issuing, "content_hash", slow_hash)
    numbers, errors = [], []

    def desk(statement_id):
        try:
            with database.transaction() as session:
                numbers.append(issuing.issue(session, statement_id, user=USER, on=date(2026, 10, 2)))
        except Exception as error:  # noqa: BLE001 (the test reports whatever a desk met)
            errors.append(error)

    desks = [threading.Thread(target=desk, args=(s.id,)) for s in drafted]
    for thread in desks:
        thread.start()
    for thread in desks:
        thread.join(timeout=60)
    assert errors == [] and sorted(numbers) == ["ST-2026-000001", "ST-2026-000002"]


def test_an_expense_entered_late_goes_on_the_next_statement_and_a_taken_one_is_locked(database, import_revenue):
    deal, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))])
    series = internal_id(database, alpha)
    import_revenue(database, source, [("2026-08", "US", series, "1000", "USD")], "q3.csv")
    with database.transaction() as session:
        early = royalty_terms.save_expense(session, deal, ExpenseDraft(ExpenseCategory.MARKETING, date(2026, 7, 5), D(100),
                                                                       "USD"), user=USER)
    [q3], _ = month_end(database, "2026-Q3")
    assert q3.expenses_recouped == D(100)
    with database.transaction() as session:  # dated in Q3, which is issued: Q4 takes it
        royalty_terms.save_expense(session, deal, ExpenseDraft(ExpenseCategory.DELIVERY, date(2026, 9, 20), D(40), "USD"),
                                   user=USER)
    import_revenue(database, source, [("2026-11", "US", series, "1000", "USD")], "q4.csv")
    [q4], _ = month_end(database, "2026-Q4", issue=False)
    assert (q4.expenses_recouped, q4.payable) == (D(40), D(480))
    with database.transaction() as session, pytest.raises(UserError, match="issued statement ST-2026-000001"):
        royalty_terms.save_expense(session, deal, ExpenseDraft(ExpenseCategory.MARKETING, date(2026, 7, 5), D(150), "USD",
                                                               id=early), user=USER)


def test_a_period_is_issued_only_after_every_earlier_one_from_the_terms_first_period(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))],
                                      first_period_start=date(2026, 1, 1))
    import_revenue(database, source, [("2026-08", "US", internal_id(database, alpha), "100", "USD")], "q3.csv")
    [q3], _ = month_end(database, "2026-Q3", issue=False)
    with database.transaction() as session, pytest.raises(UserError, match="no statement for 2026-Q1"):
        issuing.issue(session, q3.id, user=USER)
    for label in ("2026-Q1", "2026-Q2"):
        month_end(database, label)  # each redrafts Q3 on top of it
    with database.transaction() as session:
        q3_now = session.scalar(select(Statement.id).where(Statement.period_label == "2026-Q3"))
        assert issuing.issue(session, q3_now, user=USER) == "ST-2026-000003"


def test_no_draft_before_an_issued_period_so_nothing_is_paid_twice(database, import_revenue):
    _, (alpha, _), source = make_deal(database, default_fee_percent=D(0), tiers=[(D(0), D(50))],
                                      mg_payments=[(D(100), date(2026, 2, 1), None)])
    series = internal_id(database, alpha)
    import_revenue(database, source, [("2026-05", "US", series, "1000", "USD"), ("2026-08", "US", series, "1000", "USD")],
                   "both.csv")
    [q3], _ = month_end(database, "2026-Q3")  # the deal's first statement: it takes May too
    assert (q3.gross_receipts, q3.mg_recouped, q3.payable) == (D(2000), D(100), D(900))
    drafted, result = month_end(database, "2026-Q2", issue=False)
    assert drafted == [] and result.closed == ["IN-7 (2026-Q3 is issued)"]
    with database.read() as session:
        found = statement_revenue.reconcile(session)
    assert (found.imported, found.on_statements, found.listed) == ({"USD": D(2000)}, {"USD": D(2000)}, {})
