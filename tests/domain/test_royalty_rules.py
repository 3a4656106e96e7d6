"""The waterfall of DOMAIN.md, to the cent."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from rightsdesk.domain.enums import StatementLineKind as K
from rightsdesk.domain.royalties import PAYABLE_SIGNS, Balances, FeeRule, Receipt, Terms, Tier, run_period, split_mg

WORKED = Terms("USD", 2, D(25), (Tier(D(0), D(60)),), expense_cap=D(5000), withholding_percent=D(10))


def test_the_worked_example_of_domain_md():
    q3 = run_period(WORKED, Balances(mg_outstanding=D(20000)), [Receipt(D(25000), 1), Receipt(D(15000), 2)], D(6000))
    assert (q3.gross_receipts, q3.distribution_fee, q3.expenses_recouped, q3.net_receipts) == (D(40000), D(10000), D(5000), D(25000))
    assert q3.expenses_borne == D(1000)
    assert (q3.participant_share, q3.mg_recouped, q3.payable, q3.paid) == (D(15000), D(15000), D(0), D(0))
    assert q3.closing.mg_outstanding == D(5000)

    q4 = run_period(WORKED, q3.closing, [Receipt(D(30000), 1)])
    assert (q4.gross_receipts, q4.distribution_fee, q4.expenses_recouped, q4.net_receipts) == (D(30000), D(7500), D(0), D(22500))
    assert (q4.participant_share, q4.mg_recouped, q4.payable, q4.withholding, q4.paid) == (
        D(13500), D(5000), D(8500), D(850), D(7650))
    assert q4.closing.mg_outstanding == 0


def test_a_period_that_crosses_a_tier_is_split():
    terms = Terms("USD", 2, D(0), (Tier(D(0), D(60)), Tier(D(100000), D(70))))
    result = run_period(terms, Balances(cumulative_net=D(90000)), [Receipt(D(20000))])
    shares = [line.amount for line in result.lines if line.kind is K.PARTICIPANT_SHARE]
    assert shares == [D(6000), D(7000)]  # 60 % of 10 000, then 70 % of 10 000
    assert result.closing.cumulative_net == D(110000)


def test_expenses_beyond_net_carry_forward_and_the_cap_holds_over_the_deal_life():
    terms = Terms("USD", 2, D(20), (Tier(D(0), D(50)),), expense_cap=D(3000))
    first = run_period(terms, Balances(), [Receipt(D(1000))], D(2500))
    assert (first.expenses_recouped, first.net_receipts, first.closing.unrecouped_expenses) == (D(800), D(0), D(1700))
    second = run_period(terms, first.closing, [Receipt(D(5000))], D(2000))
    # only 500 more fits under the cap; 1 500 is borne by the sales house
    assert second.expenses_borne == D(1500)
    assert second.expenses_recouped == D(2200) and second.closing.unrecouped_expenses == 0


def test_fees_by_media_and_territory_take_the_most_specific_rule():
    terms = Terms("USD", 2, D(30), (Tier(D(0), D(50)),),
                  fee_rules=(FeeRule(D(20), media="FAST"), FeeRule(D(10), media="FAST", territory="US")))
    result = run_period(terms, Balances(), [Receipt(D(100), media="FAST", territory="US"),
                                            Receipt(D(100), media="FAST", territory="MX"),
                                            Receipt(D(100), media="APP", territory="US")])
    assert result.distribution_fee == D(60)  # 10 + 20 + 30


def test_half_up_rounding_at_each_line_and_totals_are_sums_of_lines():
    terms = Terms("USD", 2, D("12.5"), (Tier(D(0), D("33.3333")),), withholding_percent=D(15))
    result = run_period(terms, Balances(), [Receipt(D("0.125")), Receipt(D("0.135")), Receipt(D("100.005"))])
    assert [l.amount for l in result.lines if l.kind is K.GROSS_RECEIPTS] == [D("0.13"), D("0.14"), D("100.01")]
    assert result.gross_receipts == D("100.28")
    assert result.distribution_fee == D("12.54")  # 12.535 rounded half-up


def test_yen_has_no_minor_unit():
    terms = Terms("JPY", 0, D(25), (Tier(D(0), D(60)),))
    assert run_period(terms, Balances(), [Receipt(D("1001.5"))]).gross_receipts == D(1002)


def test_an_mg_split_between_titles_adds_up():
    parts = split_mg(D(10000), [1, 2, 3], 2)
    assert parts == {1: D("3333.34"), 2: D("3333.33"), 3: D("3333.33")} and sum(parts.values()) == D(10000)


amounts = st.decimals(min_value=0, max_value=100000, places=4, allow_nan=False, allow_infinity=False)


cents = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, max_size=8), amounts, cents, cents, st.decimals(0, 50, places=2), st.decimals(0, 30, places=2))
def test_every_waterfall_adds_up_to_the_cent(receipts, expenses, mg, cumulative, fee, withholding):
    terms = Terms("USD", 2, fee, (Tier(D(0), D(60)), Tier(D(50000), D(70))), expense_cap=D(20000),
                  withholding_percent=withholding)
    result = run_period(terms, Balances(mg_outstanding=mg, cumulative_net=cumulative), [Receipt(a) for a in receipts], expenses)
    for line in result.lines:
        assert line.amount == line.amount.quantize(D("0.01")) and line.amount >= 0
    assert result.net_receipts == result.gross_receipts - result.distribution_fee - result.expenses_recouped
    assert result.payable == result.participant_share - result.mg_recouped
    assert result.paid == result.payable - result.withholding
    assert result.closing.mg_outstanding == mg - result.mg_recouped >= 0
    incurred = expenses.quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert result.expenses_recouped + result.closing.unrecouped_expenses == result.opening.unrecouped_expenses + incurred - result.expenses_borne


def test_a_library_fee_is_split_to_the_cent():
    from rightsdesk.domain.royalties import allocate

    parts = allocate(D("1000.00"), {1: D(95), 2: D(100), 3: D(100)}, 2)
    assert sum(parts.values()) == D("1000.00")
    # 322.033..., 338.983..., 338.983...: the cent left over goes to the largest remainder
    assert parts == {1: D("322.04"), 2: D("338.98"), 3: D("338.98")}
    assert allocate(D("10"), {1: D(0), 2: D(0), 3: D(0)}, 2) == {1: D("3.34"), 2: D("3.33"), 3: D("3.33")}
    assert sum(allocate(D("7.005"), {1: D(1), 2: D(2)}, 2).values()) == D("7.005")


def test_adjustments_change_the_payable_and_an_overpayment_is_recovered_later():
    terms = Terms("USD", 2, D(0), (Tier(D(0), D(50)),), withholding_percent=D(10))
    more = run_period(terms, Balances(), [Receipt(D(1000))], adjustments=[(D("120.004"), "late report")])
    assert [l.amount for l in more.lines if l.kind is K.ADJUSTMENT] == [D("120.00")]
    assert (more.payable, more.withholding, more.paid) == (D(620), D(62), D(558))
    less = run_period(terms, Balances(), [Receipt(D(1000))], adjustments=[(D(-800), "overpaid in Q2")])
    assert (less.payable, less.closing.deficit) == (D(0), D(300))
    later = run_period(terms, less.closing, [Receipt(D(1000))])
    assert (later.payable, later.closing.deficit) == (D(200), D(0))


SIMPLE = Terms("USD", 2, D(25), (Tier(D(0), D(60)),))


def _periods(terms, grosses, *, starts=None, mg_paid=None):
    """Run consecutive quarters from 2026-Q1; reserves are released two quarters later."""
    from datetime import date

    from dateutil.relativedelta import relativedelta

    balances, results = Balances(), []
    for number, gross in enumerate(grosses):
        start = date(2026, 1, 1) + relativedelta(months=3 * number)
        result = run_period(terms, balances, [Receipt(D(gross))], period_start=start,
                            reserve_release_from=start + relativedelta(months=3 * terms.reserve_periods),
                            mg_paid=(mg_paid or {}).get(number, ()))
        results.append(result)
        balances = result.closing
    return results


def test_a_refund_period_is_a_deficit_that_later_shares_repay_before_anything_is_paid():
    q1, q2, q3 = _periods(SIMPLE, [1000, -1000, 1000])
    assert [q.payable for q in (q1, q2, q3)] == [D(450), D(0), D(0)]
    assert (q2.distribution_fee, q2.net_receipts, q2.participant_share) == (D(-250), D(-750), D(-450))
    assert (q2.opening.deficit, q2.closing.deficit, q2.deficit_carried) == (D(0), D(450), D(450))
    assert (q3.deficit_recovered, q3.closing.deficit) == (D(450), D(0))
    assert [q.closing.cumulative_net for q in (q1, q2, q3)] == [D(750), D(0), D(750)]


def test_refunds_unwind_the_tiers_they_were_earned_in():
    terms = Terms("USD", 2, D(0), (Tier(D(0), D(50)), Tier(D(1000), D(80))))
    up, down = _periods(terms, [1500, -1000])
    assert up.participant_share == D(900)  # 500 + 400
    assert [l.amount for l in down.lines if l.kind is K.PARTICIPANT_SHARE] == [D(-400), D(-250)]
    assert down.closing.cumulative_net == D(500) and down.closing.deficit == D(650)


def test_a_reserve_is_held_for_its_periods_then_released():
    terms = Terms("USD", 2, D(0), (Tier(D(0), D(100)),), reserve_percent=D(20), reserve_periods=2)
    q1, q2, q3, q4 = _periods(terms, [1000, 0, 0, 0])
    assert [q.payable for q in (q1, q2, q3, q4)] == [D(800), D(0), D(200), D(0)]
    assert (q1.reserve_held, q2.closing.reserve, q3.reserve_released, q3.closing.reserve) == (D(200), D(200), D(200), D(0))


def test_refunds_use_a_reserve_before_it_is_released():
    terms = Terms("USD", 2, D(0), (Tier(D(0), D(100)),), reserve_percent=D(20), reserve_periods=2)
    q1, q2, q3 = _periods(terms, [1000, -150, 0])
    assert (q2.reserve_applied, q2.deficit_carried, q2.closing.deficit) == (D(150), D(0), D(0))
    assert (q3.reserve_released, q3.payable) == (D(50), D(50))
    assert q1.payable + q2.payable + q3.payable == D(850)


def test_an_mg_paid_later_counts_from_its_period():
    from datetime import date

    from rightsdesk.domain.royalties import MgPayment

    q3, q4 = _periods(SIMPLE, [4000, 20000], mg_paid={1: [MgPayment(D(10000), date(2026, 11, 15))]})
    assert (q3.payable, q4.payable, q4.closing.mg_outstanding, q4.mg_paid) == (D(1800), D(0), D(1000), D(10000))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.decimals(min_value=-5000, max_value=5000, places=2, allow_nan=False, allow_infinity=False),
                min_size=1, max_size=10),
       st.sampled_from([D(0), D(10), D(25)]), st.sampled_from([0, 1, 2]))
def test_no_sequence_of_refunds_pays_the_same_money_twice(grosses, reserve, periods):
    terms = Terms("USD", 2, D(25), (Tier(D(0), D(60)), Tier(D(3000), D(70))), reserve_percent=reserve,
                  reserve_periods=periods)
    results = _periods(terms, grosses)
    paid = sum((r.payable for r in results), D(0))
    share = sum((r.participant_share for r in results), D(0))
    last = results[-1].closing
    # what was earned is paid, held in reserve, or (when refunds outran it) owed back
    assert paid + last.reserve - last.deficit == share
    for result in results:
        assert result.payable >= 0 and result.closing.deficit >= 0
        assert not (result.closing.deficit and result.closing.reserve)
        signed = sum((sign * result.total(kind) for kind, sign in PAYABLE_SIGNS.items()), D(0))
        assert signed == result.payable
