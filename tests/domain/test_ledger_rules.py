"""The journal entry of a statement: balanced, and each figure on the account it belongs to."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rightsdesk.domain.ledger import Accounts, StatementTotals, journal_entry

ACCOUNTS = Accounts()


def totals(**figures):
    base = dict(reference="ST-1", posted_on=date(2026, 12, 31), currency="USD", description="Royalties",
                participant_share=D(0), adjustments=D(0), mg_recouped=D(0), expenses_recouped=D(0),
                payable=D(0), withholding=D(0), paid=D(0))
    return StatementTotals(**{**base, **figures})


def by_account(lines):
    return {line.account: (line.debit, line.credit) for line in lines}


def test_worked_example_q4_pays_after_recouping_the_rest_of_the_mg():
    # DOMAIN.md 2026-Q4: share 13 500, 5 000 recoups the MG, 8 500 payable, 850 withheld, 7 650 paid.
    lines = journal_entry(totals(participant_share=D("13500"), mg_recouped=D("5000"), payable=D("8500"),
                                 withholding=D("850"), paid=D("7650")))
    assert by_account(lines) == {
        ACCOUNTS.royalty_expense: (D("13500"), 0),
        ACCOUNTS.royalty_advances: (0, D("5000")),
        ACCOUNTS.royalties_payable: (0, D("7650")),
        ACCOUNTS.withholding_payable: (0, D("850")),
    }


def test_worked_example_q3_recoups_mg_and_expenses_and_pays_nothing():
    lines = journal_entry(totals(participant_share=D("15000"), mg_recouped=D("15000"), expenses_recouped=D("5000")))
    assert by_account(lines) == {
        ACCOUNTS.royalty_expense: (D("15000"), 0),
        ACCOUNTS.royalty_advances: (0, D("15000")),
        ACCOUNTS.recouped_expenses: (D("5000"), 0),
        ACCOUNTS.recoupable_expenses: (0, D("5000")),
    }


def test_a_negative_adjustment_beyond_the_share_becomes_a_receivable_from_the_participant():
    # share 100, adjustment -300: nothing payable, 200 overpaid to recover later
    lines = journal_entry(totals(participant_share=D("100"), adjustments=D("-300")))
    assert by_account(lines) == {
        ACCOUNTS.royalty_expense: (D("100"), 0),
        ACCOUNTS.royalty_adjustments: (0, D("300")),
        ACCOUNTS.participant_overpayments: (D("200"), 0),
    }


def test_recovering_an_earlier_overpayment_credits_the_receivable():
    # share 500 with 200 still to recover: 300 payable
    lines = journal_entry(totals(participant_share=D("500"), payable=D("300"), paid=D("300")))
    assert by_account(lines)[ACCOUNTS.participant_overpayments] == (0, D("200"))


def test_a_reserve_is_owed_later_and_expenses_beyond_the_cap_are_the_sales_houses_cost():
    # share 1 000: 200 held against returns, 800 paid; 5 000 recouped, 1 000 beyond the cap
    lines = journal_entry(totals(participant_share=D("1000"), reserve_held=D("200"), payable=D("800"), paid=D("800"),
                                 expenses_recouped=D("5000"), expenses_borne=D("1000")))
    assert by_account(lines) == {
        ACCOUNTS.royalty_expense: (D("1000"), 0),
        ACCOUNTS.reserves_held: (0, D("200")),
        ACCOUNTS.royalties_payable: (0, D("800")),
        ACCOUNTS.recouped_expenses: (D("5000"), 0),
        ACCOUNTS.recoupable_expenses: (0, D("6000")),
        ACCOUNTS.expenses_borne: (D("1000"), 0),
    }


def test_a_refund_period_takes_back_share_and_reserve_and_leaves_a_deficit():
    # share -450: 200 of reserve used up, 250 carried as a deficit (owed back by the participant)
    lines = journal_entry(totals(participant_share=D("-450"), reserve_released=D("200")))
    assert by_account(lines) == {
        ACCOUNTS.royalty_expense: (0, D("450")),
        ACCOUNTS.reserves_held: (D("200"), 0),
        ACCOUNTS.participant_overpayments: (D("250"), 0),
    }


def test_figures_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="payable 100 is not paid 90 plus withholding 0"):
        journal_entry(totals(participant_share=D("100"), payable=D("100"), paid=D("90")))


money = st.decimals(min_value=0, max_value=10**7, places=2)


@given(share=money, adjustment=st.decimals(min_value=-10**6, max_value=10**6, places=2), mg=money, payable=money,
       withholding=money, expenses=money)
def test_every_entry_balances(share, adjustment, mg, payable, withholding, expenses):
    withholding = min(withholding, payable)
    lines = journal_entry(totals(participant_share=share, adjustments=adjustment, mg_recouped=mg, payable=payable,
                                 withholding=withholding, paid=payable - withholding, expenses_recouped=expenses))
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines)
    assert all(line.debit >= 0 and line.credit >= 0 and (line.debit == 0) != (line.credit == 0) for line in lines)
