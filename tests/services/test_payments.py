"""Payments against issued statements and payment runs, on DOMAIN.md's worked example: 2026-Q4
asks 7 650.00 USD to be paid (payable 8 500 less 850 withholding), issued 2027-01-10, due in 45 days."""

from datetime import date, datetime, UTC
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.enums import PaymentMethod
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.persistence.models import Party, Payment, PaymentRun, Statement
from rightsdesk.services import issuing, payments, statements
from rightsdesk.services.payments import PaymentDraft

from payment_fixtures import USER, paid_quarter  # noqa: F401  (a fixture)


def due(database, statement_id, today=date(2027, 1, 20)):
    with database.read() as session:
        [found] = payments.standing(session, today=today, statement_ids=[statement_id])
    return found


def test_a_statement_paid_in_two_parts_shows_paid_and_still_owed(database, paid_quarter):
    q4 = paid_quarter["q4"]
    before = due(database, q4)
    assert (before.to_pay, before.paid, before.owed, before.due_on, before.overdue) == (
        D("7650.00"), 0, D("7650.00"), date(2027, 2, 24), False)
    with database.transaction() as session:
        payments.record_payment(session, q4, PaymentDraft(D("5000.00"), date(2027, 1, 15), "TRX-1"), user=USER)
    part = due(database, q4, today=date(2027, 2, 25))
    assert (part.paid, part.owed, part.overdue) == (D("5000.00"), D("2650.00"), True)  # 45 days after issue
    with database.transaction() as session:
        payments.record_payment(session, q4, PaymentDraft(D("2650.00"), date(2027, 2, 1), "TRX-2", PaymentMethod.CHEQUE),
                                user=USER)
    whole = due(database, q4, today=date(2027, 3, 1))
    assert (whole.owed, whole.overdue) == (0, False)
    with database.read() as session:
        assert payments.standing(session, today=date(2027, 3, 1), owed_only=True) == []
        listed = payments.payments(session, statement_ids=[q4])
    assert [(p.reference, p.amount, p.method) for p in listed] == [
        ("TRX-2", D("2650.00"), PaymentMethod.CHEQUE), ("TRX-1", D("5000.00"), PaymentMethod.BANK_TRANSFER)]


REFUSED = [
    (PaymentDraft(D("7650.01"), date(2027, 1, 15)), "7,650.00 USD still owed"),
    (PaymentDraft(D("100"), date(2027, 1, 15), currency="EUR"), "record the payment in USD, not EUR"),
    (PaymentDraft(D("0"), date(2027, 1, 15)), "above zero"),
    (PaymentDraft(D("1.001"), date(2027, 1, 15)), "more decimals than USD"),
]


def test_a_payment_that_does_not_fit_the_statement_is_refused(database, paid_quarter):
    for draft, message in REFUSED:  # one statement for all four: a fixture is a statement run
        with pytest.raises(UserError, match=message), database.transaction() as session:
            payments.record_payment(session, paid_quarter["q4"], draft, user=USER)
    with database.read() as session:
        assert session.scalar(select(func.count(Payment.id))) == 0


def test_an_overpayment_is_recorded_only_when_the_user_says_so(database, paid_quarter):
    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("7700.00"), date(2027, 1, 15)), user=USER,
                                overpay=True)
    assert due(database, paid_quarter["q4"]).owed == D("-50.00")


def test_a_draft_is_not_paid(database, paid_quarter, import_revenue):
    import_revenue(database, paid_quarter["source"], [("2027-01", "US", "T000001", "1000", "USD")], "q1.csv")
    with database.transaction() as session:
        [draft] = statements.run(session, "2027-Q1", user=USER).statements
    with pytest.raises(UserError, match="is a draft"), database.transaction() as session:
        payments.record_payment(session, draft, PaymentDraft(D("1"), date(2027, 4, 2)), user=USER)
    with pytest.raises(UserError, match="is a draft"), database.read() as session:
        payments.plan_run(session, execution_date=date(2027, 4, 2), statement_ids=[draft])


def test_a_payment_run_pays_what_is_owed_and_marks_each_statement_paid(database, paid_quarter):
    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("650.00"), date(2027, 1, 15)), user=USER)
    with database.transaction() as session:
        plan = payments.plan_run(session, execution_date=date(2027, 1, 25), period="2026-Q4",
                                 now=datetime(2027, 1, 24, 9, tzinfo=UTC))
        assert plan.totals == {"USD": D("7000.00")} and plan.label == "2026-Q4 royalties"
        [transfer] = plan.transfers
        assert (transfer.participant, transfer.amount, transfer.account_shown) == (
            "Golden Reel", D("7000.00"), "IBAN DE•••• 3000")
        run_id = payments.record_run(session, plan, user=USER)
    assert due(database, paid_quarter["q4"]).owed == 0
    with database.read() as session:
        run = session.get(PaymentRun, run_id)
        assert (run.label, run.message_id, run.recorded_at is not None) == ("2026-Q4 royalties", plan.message_id, True)
        [paid] = payments.payments(session, run_id=run_id)
        assert (paid.amount, paid.reference, paid.paid_on) == (D("7000.00"), transfer.reference, date(2027, 1, 25))
    with pytest.raises(UserError, match="nothing is owed"), database.read() as session:
        payments.plan_run(session, execution_date=date(2027, 1, 25), period="2026-Q4")


def test_a_bank_run_names_every_participant_without_bank_details(database, paid_quarter):
    with database.transaction() as session:
        session.scalar(select(Party).where(Party.name == "Golden Reel")).iban = ""
    with pytest.raises(ValidationError, match="Golden Reel: has no bank details"), database.read() as session:
        payments.plan_run(session, execution_date=date(2027, 1, 25), period="2026-Q4")
    with database.read() as session:  # a list the accountant pays by hand needs none
        assert payments.plan_run(session, execution_date=date(2027, 1, 25), period="2026-Q4", bank=False).transfers


def test_a_run_is_refused_when_a_payment_was_recorded_since_it_was_planned(database, paid_quarter):
    with database.read() as session:
        plan = payments.plan_run(session, execution_date=date(2027, 1, 25), period="2026-Q4")
    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("1.00"), date(2027, 1, 15)), user=USER)
    with pytest.raises(UserError, match="changed since the run was prepared"), database.transaction() as session:
        payments.record_run(session, plan, user=USER)
    with database.read() as session:
        assert session.scalar(select(func.count(PaymentRun.id))) == 0
        assert session.scalar(select(func.count(Payment.id))) == 1


def test_payables_carried_under_the_minimum_payout_change_what_is_owed(database, paid_quarter):
    # The statement run fills these (a payable under the minimum payout is carried, not paid).
    with database.transaction() as session:
        q4 = session.get(Statement, paid_quarter["q4"])
        q4.brought_forward = D("40.00")
    assert (due(database, paid_quarter["q4"]).to_pay, due(database, paid_quarter["q4"]).owed) == (D("7690.00"), D("7690.00"))
    with database.transaction() as session:
        q4 = session.get(Statement, paid_quarter["q4"])
        q4.carried_forward = D("7690.00")
    assert due(database, paid_quarter["q4"]).owed == 0
    with database.read() as session:
        assert payments.standing(session, today=date(2027, 3, 1), owed_only=True) == []


def test_the_remittance_advice_of_a_payment_says_what_it_paid_and_what_is_left(database, paid_quarter):
    from rightsdesk.services import remittance

    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("650.00"), date(2027, 1, 15), "TRX-1"), user=USER)
        second = payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("5000.00"), date(2027, 1, 20), "TRX-2"),
                                         user=USER)
    with database.read() as session:
        advice = remittance.advice_of_payment(session, second)
    assert (advice.reference, advice.participant, advice.account, advice.total) == (
        "TRX-2", "Golden Reel", "IBAN DE•••• 3000", D("5000.00"))
    [line] = advice.lines
    assert (line.statement, line.to_pay, line.paid_before, line.paid_now, line.owed_after) == (
        paid_quarter["number"], D("7650.00"), D("650.00"), D("5000.00"), D("2000.00"))


def test_two_desks_paying_the_same_statement_at_once_do_not_pay_it_twice(database, paid_quarter):
    import threading
    import time

    second: list[object] = []

    def other_desk():
        try:
            with database.transaction() as session:
                payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("7650.00"), date(2027, 1, 16)), user="li")
            second.append("paid")
        except UserError as error:
            second.append(error)

    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("7650.00"), date(2027, 1, 15)), user=USER)
        desk = threading.Thread(target=other_desk)
        desk.start()
        time.sleep(0.5)  # the other desk is waiting for its turn while this one has not committed
    desk.join(timeout=30)
    [outcome] = second
    assert isinstance(outcome, UserError) and "0.00 USD still owed" in str(outcome)
    assert due(database, paid_quarter["q4"]).owed == 0


def test_a_payable_under_the_minimum_payout_is_owed_only_once_it_is_paid_out(database, worked, import_revenue):
    """The statement run carries 7 650.00 under a minimum payout of 10 000 (nothing owed on
    2026-Q4); 2027-Q1 (17 000 gross: share 7 650, less 765 withholding) brings it forward with
    its own 6 885.00 and the whole 14 535.00 is owed."""
    with database.transaction() as session:
        session.scalar(select(Party).where(Party.name == "Golden Reel")).minimum_payout = D(10000)
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "40000", "USD"),
                                                ("2026-10", "US", "T000001", "30000", "USD"),
                                                ("2027-01", "US", "T000001", "17000", "USD")], "rev.csv")
    ids = {}
    for period, day in (("2026-Q3", date(2026, 10, 5)), ("2026-Q4", date(2027, 1, 10)), ("2027-Q1", date(2027, 4, 10))):
        with database.transaction() as session:
            [ids[period]] = statements.run(session, period, user=USER).statements
            issuing.issue(session, ids[period], user=USER, on=day)
    q4, q1 = due(database, ids["2026-Q4"]), due(database, ids["2027-Q1"], today=date(2027, 4, 20))
    assert (q4.to_pay, q4.carried_forward, q4.owed) == (0, D("7650.00"), 0)
    assert (q1.brought_forward, q1.carried_forward, q1.to_pay, q1.owed) == (D("7650.00"), 0, D("14535.00"), D("14535.00"))


def test_a_payment_dated_in_the_future_or_before_the_statement_was_issued_is_refused(database, paid_quarter):
    q4 = paid_quarter["q4"]  # issued 2027-01-10
    with pytest.raises(UserError, match="2030-04-01 is in the future"), database.transaction() as session:
        payments.record_payment(session, q4, PaymentDraft(D("100.00"), date(2030, 4, 1)), user=USER,
                                today=date(2027, 3, 1))
    with pytest.raises(UserError, match="issued on 2027-01-10.*cannot be dated 2027-01-09"), \
            database.transaction() as session:
        payments.record_payment(session, q4, PaymentDraft(D("100.00"), date(2027, 1, 9)), user=USER)
    with database.read() as session:
        assert session.scalar(select(func.count(Payment.id))) == 0
    with database.transaction() as session:  # the day of issue and today itself are fine
        payments.record_payment(session, q4, PaymentDraft(D("100.00"), date(2027, 1, 10)), user=USER)
        payments.record_payment(session, q4, PaymentDraft(D("100.00"), date(2027, 3, 1)), user=USER,
                                today=date(2027, 3, 1))
    assert due(database, q4).paid == D("200.00")


def test_a_run_made_from_a_preview_is_refused_once_what_is_owed_changed(database, paid_quarter, tmp_path):
    from rightsdesk.reports.payment_runs import run_files
    from rightsdesk.services import payment_runs

    out = tmp_path / "out"

    with database.transaction() as session:
        payments.save_payer_account(session, "GB29NWBK60161331926819", "NWBKGB2L")
    with database.read() as session:
        approved = payments.plan_run(session, execution_date=date(2027, 1, 25), period="2026-Q4",
                                     now=datetime(2027, 1, 20, 9, tzinfo=UTC))
    with database.transaction() as session:  # another desk, meanwhile
        payments.record_payment(session, paid_quarter["q4"], PaymentDraft(D("6.73"), date(2027, 1, 15)), user="li")

    def outputs(plan):
        return payment_runs.RunOutputs(pain=out / "run.xml", csv=out / "run.csv")

    with pytest.raises(UserError, match="prepare the run again"):
        payment_runs.make_run(database, execution_date=date(2027, 1, 25), period="2026-Q4", statement_ids=None,
                              label="", outputs=outputs, render=run_files, bank=True, user=USER, approved=approved)
    assert not out.exists()
    with database.read() as session:
        assert session.scalar(select(func.count(PaymentRun.id))) == 0
        approved = payments.plan_run(session, execution_date=date(2027, 1, 25), period="2026-Q4",
                                     now=datetime(2027, 1, 20, 9, tzinfo=UTC))
    plan, written = payment_runs.make_run(database, execution_date=date(2027, 1, 25), period="2026-Q4",
                                          statement_ids=None, label="", outputs=outputs, render=run_files, bank=True,
                                          user=USER, approved=approved)
    assert plan is approved and sorted(p.name for p in out.iterdir()) == ["run.csv", "run.xml"]
    [reference] = [t.reference for t in approved.transfers]
    assert reference.encode() in (out / "run.xml").read_bytes()  # the previewed reference is the file's
    with database.read() as session:
        assert [p.reference for p in payments.payments(session, run_id=session.scalar(select(PaymentRun.id)))] == [
            reference]


def test_a_run_whose_file_cannot_be_written_records_nothing(database, paid_quarter, tmp_path):
    from rightsdesk.reports.payment_runs import run_files
    from rightsdesk.services import payment_runs

    out = tmp_path / "out"

    (out / "adir").mkdir(parents=True)
    with pytest.raises(UserError, match="adir: it is a folder"):
        payment_runs.make_run(database, execution_date=date(2027, 1, 25), period="2026-Q4", statement_ids=None,
                              label="", bank=False, user=USER, render=run_files,
                              outputs=lambda plan: payment_runs.RunOutputs(
                                  csv=out / "list.csv", xlsx=out / "adir"))
    assert [p.name for p in out.iterdir()] == ["adir"]  # no list, no partial file left
    assert due(database, paid_quarter["q4"]).owed == D("7650.00")
