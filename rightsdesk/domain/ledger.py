"""The general-ledger journal of royalty statements: what an accountant posts for each one.

Each statement becomes one balanced entry in its own currency:

- the participant's share is royalty expense (debit), and any adjustment of an earlier
  statement is booked to its own expense account (debit, or credit when it reduces);
- what the share recoups of a minimum guarantee reduces the advance paid at signing (credit);
- what is paid is owed to the participant (credit royalties payable) and the tax withheld is
  owed to the tax authority (credit withholding tax payable);
- when an earlier overpayment is recovered, or a new one arises, the participant's receivable
  moves (credit when recovered, debit when it grows): the figure that balances the lines above;
- recoupable expenses recovered this period are released from the asset they were carried in
  (credit) to cost (debit); expenses beyond the cap are borne by the sales house: written off
  from that asset (credit) to their own cost account (debit);
- a reserve held against returns is owed to the participant later (credit reserves held); a
  release, or a reserve used up by refunds, takes it back (debit).

Accounts have default codes that a chart of accounts can override (`Accounts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Account:
    code: str
    name: str


@dataclass(frozen=True)
class Accounts:
    royalty_expense: Account = Account("5100", "Royalty expense")
    royalty_adjustments: Account = Account("5110", "Royalty adjustments")
    recouped_expenses: Account = Account("5200", "Recouped distribution expenses")
    royalty_advances: Account = Account("1410", "Royalty advances (minimum guarantees)")
    recoupable_expenses: Account = Account("1420", "Recoupable expenses")
    participant_overpayments: Account = Account("1430", "Overpayments to participants")
    royalties_payable: Account = Account("2100", "Royalties payable")
    withholding_payable: Account = Account("2200", "Withholding tax payable")
    reserves_held: Account = Account("2300", "Royalty reserves held against returns")
    expenses_borne: Account = Account("5210", "Distribution expenses borne (beyond the cap)")


@dataclass(frozen=True)
class StatementTotals:
    """The figures of one statement a journal entry needs, in the statement's currency."""

    reference: str  # the statement number, or DRAFT-<id>
    posted_on: date
    currency: str
    description: str
    participant_share: Decimal
    adjustments: Decimal
    mg_recouped: Decimal
    expenses_recouped: Decimal
    payable: Decimal
    withholding: Decimal
    paid: Decimal
    reserve_held: Decimal = ZERO
    reserve_released: Decimal = ZERO  # released to the participant, or used up by refunds
    expenses_borne: Decimal = ZERO


@dataclass(frozen=True)
class JournalLine:
    posted_on: date
    reference: str
    account: Account
    debit: Decimal
    credit: Decimal
    currency: str
    description: str


def journal_entry(totals: StatementTotals, accounts: Accounts = Accounts()) -> list[JournalLine]:
    """The balanced entry for one statement; lines of zero are left out."""
    reserve = totals.reserve_held - totals.reserve_released
    # what the share does not pay, hold or recoup: a deficit recovered (credit) or carried (debit)
    overpayment_recovered = (totals.participant_share + totals.adjustments - totals.mg_recouped - reserve
                             - totals.payable)
    movements = [  # (account, amount): positive is a debit, negative a credit
        (accounts.royalty_expense, totals.participant_share),
        (accounts.royalty_adjustments, totals.adjustments),
        (accounts.royalty_advances, -totals.mg_recouped),
        (accounts.reserves_held, -reserve),
        (accounts.participant_overpayments, -overpayment_recovered),
        (accounts.royalties_payable, -totals.paid),
        (accounts.withholding_payable, -totals.withholding),
        (accounts.recouped_expenses, totals.expenses_recouped),
        (accounts.recoupable_expenses, -totals.expenses_recouped),
        (accounts.expenses_borne, totals.expenses_borne),
        (accounts.recoupable_expenses, -totals.expenses_borne),
    ]
    if totals.payable != totals.paid + totals.withholding:
        raise ValueError(f"statement {totals.reference}: payable {totals.payable} is not paid {totals.paid} "
                         f"plus withholding {totals.withholding}")
    by_account: dict[Account, Decimal] = {}  # one line an account, in the order above
    for account, amount in movements:
        by_account[account] = by_account.get(account, ZERO) + amount
    return [JournalLine(totals.posted_on, totals.reference, account, max(amount, ZERO), max(-amount, ZERO),
                        totals.currency, totals.description)
            for account, amount in by_account.items() if amount]
