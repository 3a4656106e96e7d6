"""Statements through the real path: revenue imported from a file, the run, issue and lock.
The worked example of DOMAIN.md, to the cent."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.models import Statement
from rightsdesk.services import issuing, revenue, statements

USER = "ana"


def test_the_worked_example_through_import_run_and_issue(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000.00", "THB"),  # 10 000 USD at 0.025
                                         ("2026-08", "US", "T000001", "15000.00", "USD"),
                                         ("2026-09", "BR", "T000002", "15000.00", "USD"),
                                         ("2026-09", "US", "NOT-OURS", "123.45", "USD")], "q3.csv")
    with database.transaction() as session:
        q3 = statements.run(session, "2026-Q3", user=USER)
    assert q3.imported == {"THB": D("400000.00"), "USD": D("30123.45")}
    assert q3.allocated == {"THB": D("400000.00"), "USD": D("30000.00")}
    assert q3.left_out == {"THB": D(0), "USD": D("123.45")} and len(q3.unmatched_lines) == 1
    with database.read() as session:
        s3 = session.get(Statement, q3.statements[0])
        assert (s3.gross_receipts, s3.distribution_fee, s3.expenses_recouped, s3.net_receipts) == (
            D(40000), D(10000), D(5000), D(25000))
        assert (s3.participant_share, s3.mg_recouped, s3.payable, s3.withholding, s3.paid) == (
            D(15000), D(15000), D(0), D(0), D(0))
        thai = next(l for l in s3.lines if l.source_currency == "THB")
        assert (thai.source_amount, thai.fx_rate, thai.fx_date, thai.amount) == (D(400000), D("0.025"), date(2026, 9, 30), D(10000))
        assert s3.balances[0].closing_mg_outstanding == D(5000)
    with database.transaction() as session:
        number = issuing.issue(session, q3.statements[0], user=USER)
        assert issuing.verify(session, q3.statements[0])

    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    with database.transaction() as session:
        q4 = statements.run(session, "2026-Q4", user=USER)
        s4 = session.get(Statement, q4.statements[0])
        assert (s4.gross_receipts, s4.distribution_fee, s4.expenses_recouped, s4.net_receipts) == (
            D(30000), D(7500), D(0), D(22500))
        assert (s4.participant_share, s4.mg_recouped, s4.payable, s4.withholding, s4.paid) == (
            D(13500), D(5000), D(8500), D(850), D(7650))
        assert s4.balances[0].closing_mg_outstanding == 0
        # lines sum to the totals
        assert sum(l.amount for l in s4.lines if l.kind.value == "gross_receipts") == s4.gross_receipts

    # an issued statement stays as it was: a re-run of its period skips it, its batch cannot go
    with database.transaction() as session:
        again = statements.run(session, "2026-Q3", user=USER)
        assert again.skipped_issued == [number] and again.statements == []
        q3_batch = session.get(Statement, q3.statements[0]).lines[0].revenue_line_id
        from rightsdesk.persistence.models import RevenueLine
        with pytest.raises(UserError, match="issued statement"):
            revenue.rollback_batch(session, session.get(RevenueLine, q3_batch).batch_id)
        with pytest.raises(UserError, match="already issued"):
            issuing.issue(session, q3.statements[0], user=USER)


def test_a_tampered_issued_statement_no_longer_verifies(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "100", "USD")], "q3.csv")
    with database.transaction() as session:
        statement_id = statements.run(session, "2026-Q3", user=USER).statements[0]
        issuing.issue(session, statement_id, user=USER)
        session.get(Statement, statement_id).lines[0].amount = D(1)
        session.flush()
        assert not issuing.verify(session, statement_id)


def test_periods():
    assert statements.period_of(statements.StatementFrequency.QUARTERLY, date(2026, 8, 15)) == (
        "2026-Q3", date(2026, 7, 1), date(2026, 9, 30))
    assert statements.period_of(statements.StatementFrequency.SEMI_ANNUAL, date(2026, 8, 15))[0] == "2026-H2"
    assert statements.parse_label("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(UserError):
        statements.parse_label("sometime")


def test_a_correction_of_an_issued_statement_rides_on_the_next_one(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "50000", "USD")], "q3.csv")
    with database.transaction() as session:
        q3 = statements.run(session, "2026-Q3", user=USER).statements[0]
        with pytest.raises(UserError, match="running its period again"):
            issuing.adjust(session, q3, D(100), "too early", user=USER)
        number = issuing.issue(session, q3, user=USER)
        issuing.adjust(session, q3, D("-250.00"), "Platform refund reported late", user=USER)
    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    with database.transaction() as session:
        q4 = session.get(Statement, statements.run(session, "2026-Q4", user=USER).statements[0])
        [line] = [l for l in q4.lines if l.kind.value == "adjustment"]
        assert line.amount == D("-250.00") and number in line.description
        assert q4.payable == q4.participant_share - q4.mg_recouped - D(250)
        issuing.issue(session, q4.id, user=USER, on=date(2027, 1, 6))
    import_revenue(database, worked["source"], [("2027-01", "US", "T000001", "100", "USD")], "q1.csv")
    with database.transaction() as session:
        q1 = session.get(Statement, statements.run(session, "2027-Q1", user=USER).statements[0])
        assert not [l for l in q1.lines if l.kind.value == "adjustment"]  # settled once Q4 was issued


def test_a_library_fee_is_split_to_its_titles_by_runtime_and_shown(database, worked, import_revenue):
    from rightsdesk.persistence.models import Episode, Library, LibraryMember

    bride, heiress = worked["titles"]
    with database.transaction() as session:
        session.add(Episode(title_id=heiress, number=2, runtime_seconds=180))  # Heiress: 270 s, Bride: 90 s
        library = Library(code="VL-1", name="Vertical library")
        session.add(library)
        session.flush()
        for title in (bride, heiress):
            session.add(LibraryMember(library_id=library.id, title_id=title, added_on=date(2026, 1, 1)))
    import_revenue(database, worked["source"], [("2026-09", "US", "VL-1", "1000.01", "USD")], "fast.csv")
    with database.transaction() as session:
        result = statements.run(session, "2026-Q3", user=USER)
        statement = session.get(Statement, result.statements[0])
        split = {l.title_id: (l.amount, l.split_basis) for l in statement.lines if l.library_id is not None}
    assert split == {bride: (D("250.00"), D(90)), heiress: (D("750.01"), D(270))}
    assert result.allocated == {"USD": D("1000.01")} and result.left_out == {"USD": D(0)}


@pytest.mark.sqlite_only
def test_desks_save_while_a_run_computes_and_the_run_computes_again_on_what_they_saved(database, worked, import_revenue,
                                                                                        monkeypatch):
    """Issue 17: a run holds SQLite's write lock only while it writes. A desk saving during the
    computation does not wait (timeout 0 below); the run's first write then finds its reading
    stale and computes again, so the drafts stand on what the desk saved."""
    import sqlite3

    from sqlalchemy import select

    from rightsdesk.persistence.models import Expense

    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000.00", "THB")], "q3.csv")
    computed = []
    real = statements._statement

    def statement_while_a_desk_saves(session, context, terms, *args, **kwargs):
        computed.append(terms.deal_id)
        if len(computed) == 1:  # another desk enters an expense of the period, mid-computation
            desk = sqlite3.connect(database.path, timeout=0, isolation_level=None)
            desk.execute("BEGIN IMMEDIATE")  # would raise "database is locked" if the run held the lock
            desk.execute("INSERT INTO expense (deal_id, category, incurred_on, description, amount, currency, recoupable, "
                         "created_at, updated_at) SELECT deal_id, category, '2026-08-01', 'late invoice', 1000000000, "
                         "currency, 1, created_at, updated_at FROM expense LIMIT 1")
            desk.execute("COMMIT")
            desk.close()
        return real(session, context, terms, *args, **kwargs)

    monkeypatch.setattr(statements, "_statement", statement_while_a_desk_saves)
    result = database.compute_then_write(lambda session: statements.run(session, "2026-Q3", user=USER))
    assert len(computed) == 2  # computed, found stale at its first write, computed again
    with database.read() as session:
        drafted = session.get(Statement, result.statements[0])
        taken = [held.expense_id for held in drafted.expenses]
        assert "late invoice" in set(session.scalars(select(Expense.description).where(Expense.id.in_(taken))))


def test_a_payable_under_the_minimum_payout_is_carried_to_the_next_statement(database, worked, import_revenue):
    """Issue 20: the worked example's Q4 pays 7 650.00; under a minimum payout of 10 000.00 it is
    carried (to pay now: 0), and Q1 brings it forward onto its own payment, visibly, in lines
    that sum to the statement's totals. The deal's minimum comes before the participant's."""
    from sqlalchemy import select

    from rightsdesk.domain.enums import StatementLineKind as K
    from rightsdesk.persistence.models import Party, RoyaltyTerms

    with database.transaction() as session:
        terms = session.scalar(select(RoyaltyTerms))
        terms.minimum_payout = D("10000")
        session.get(Party, terms.participant_id).minimum_payout = D("1")  # the deal's own comes first
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000.00", "THB"),
                                                ("2026-08", "US", "T000001", "15000.00", "USD"),
                                                ("2026-09", "BR", "T000002", "15000.00", "USD")], "q3.csv")
    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    import_revenue(database, worked["source"], [("2027-01", "US", "T000001", "10000", "USD")], "q1.csv")
    with database.transaction() as session:
        for label in ("2026-Q3", "2026-Q4", "2027-Q1"):
            statements.run(session, label, user=USER)
    with database.read() as session:
        q4, q1 = (session.scalar(select(Statement).where(Statement.period_label == label)) for label in ("2026-Q4", "2027-Q1"))
        assert (q4.paid, q4.brought_forward, q4.carried_forward) == (D("7650"), D(0), D("7650"))
        by_kind = {line.kind: line for line in q4.lines}
        assert by_kind[K.CARRIED_FORWARD].amount == D("-7650") and by_kind[K.TO_PAY].amount == 0
        assert "minimum payout of 10000" in by_kind[K.CARRIED_FORWARD].description
        # Q1: 10 000 gross -> fee 2 500 -> net 7 500 -> share 4 500 -> payable 4 500, 10 % withheld: 4 050
        assert (q1.paid, q1.brought_forward, q1.carried_forward) == (D("4050"), D("7650"), D(0))
        to_pay = next(line for line in q1.lines if line.kind is K.TO_PAY)
        assert to_pay.amount == D("11700")
        assert "2026-Q4" in next(line.description for line in q1.lines if line.kind is K.BROUGHT_FORWARD)
    with database.transaction() as session:  # without a minimum, nothing is carried or brought
        session.scalar(select(RoyaltyTerms)).minimum_payout = None
        session.get(Party, session.scalar(select(RoyaltyTerms)).participant_id).minimum_payout = None
        statements.run(session, "2026-Q4", user=USER)
    with database.read() as session:
        q4, q1 = (session.scalar(select(Statement).where(Statement.period_label == label)) for label in ("2026-Q4", "2027-Q1"))
        assert (q4.carried_forward, q1.brought_forward) == (D(0), D(0))
        assert not {K.CARRIED_FORWARD, K.BROUGHT_FORWARD, K.TO_PAY} & {line.kind for line in q1.lines}
        [figures] = issuing.summaries(session, statement_ids=[q4.id])
        assert figures["to_pay"] == figures["paid"] == "7650.00"  # what it pays, with no line of its own


def test_a_run_says_how_far_it_is_and_stops_when_told(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "100", "USD")], "q3.csv")
    heard: list[tuple[str, int]] = []
    with database.transaction() as session:
        drafted = statements.run(session, "2026-Q3", user="ana",
                                 report=lambda stage, percent: heard.append((stage, percent))).statements
    stages = [stage for stage, _ in heard]
    assert stages[0] == "Reading the deals due" and "Drafting statement 1 of 1" in stages
    assert stages[-1] == "Recording the revenue each statement holds"
    assert [percent for _, percent in heard] == sorted(percent for _, percent in heard)

    class Stop(Exception):
        pass

    def stop_while_drafting(stage: str, percent: int) -> None:
        if stage.startswith("Drafting"):
            raise Stop

    with pytest.raises(Stop), database.transaction() as session:  # run again, cancelled: nothing is written
        statements.run(session, "2026-Q3", user="ana", report=stop_while_drafting)
    with database.read() as session:
        assert list(session.scalars(select(Statement.id))) == drafted  # the first run's draft stands
