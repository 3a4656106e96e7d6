"""The royalty waterfall of DOMAIN.md, one period of one pool at a time, exact to the cent.

Gross receipts -> distribution fee -> recoupable expenses (capped) -> net receipts ->
participant share (tiers on cumulative net receipts; a period that crosses a tier is split) ->
deficit recovered -> minimum guarantee recouped -> adjustments -> reserve held / released ->
payable -> withholding tax -> paid.

What real months bring (DOMAIN.md, "What real months bring"):
- Refunds arrive as negative receipts. The fee follows gross, so a refund returns fee too; net
  receipts may be negative and cumulative net receipts go down with them. The share of a
  negative period is negative (unwound at the tiers it was earned in) and becomes a **deficit**
  carried forward: later shares repay it before anything is payable or any MG is recouped, so
  the same money is never paid twice.
- A **reserve** holds back a % of the positive share that would be paid, for N periods; it is
  released in the Nth period after, unless a deficit (refunds) used it first.
- **MG payments** count from the period that holds their date (`mg_paid`), adding to what is
  outstanding from then on.

A pool is the whole deal (cross-collateralized) or one title that stands alone. Every amount
is a Decimal; each line is rounded half-up to the currency's minor unit and every total is the
sum of its rounded lines, so a statement always adds up:

    payable = share + adjustments - deficit recovered + deficit carried - MG recouped
              - reserve held + reserve released + reserve applied to refunds   (>= 0)
    paid    = payable - withholding
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.domain.money import round_to_minor_unit

ZERO = Decimal(0)
HUNDRED = Decimal(100)
K = StatementLineKind

# How each kind of line counts towards what is payable (the formula in the module docstring).
PAYABLE_SIGNS: dict[StatementLineKind, int] = {
    K.PARTICIPANT_SHARE: 1, K.ADJUSTMENT: 1, K.DEFICIT_RECOVERED: -1, K.DEFICIT_CARRIED: 1, K.MG_RECOUPED: -1,
    K.RESERVE_HELD: -1, K.RESERVE_RELEASED: 1, K.RESERVE_APPLIED: 1,
}


@dataclass(frozen=True)
class FeeRule:
    """A fee for a media and/or a territory; the most specific rule that matches applies."""

    percent: Decimal
    media: str | None = None
    territory: str | None = None


@dataclass(frozen=True)
class Tier:
    from_cumulative_net: Decimal
    percent: Decimal


@dataclass(frozen=True)
class Terms:
    """A deal's royalty terms as one pool's waterfall needs them. `expense_cap` applies to this
    pool alone; a cap shared by several pools is admitted by the caller (`admit_expenses`)."""

    currency: str
    minor_units: int
    default_fee_percent: Decimal
    tiers: tuple[Tier, ...]
    fee_rules: tuple[FeeRule, ...] = ()
    expense_cap: Decimal | None = None  # None: no cap (or admitted by the caller)
    withholding_percent: Decimal = ZERO
    reserve_percent: Decimal = ZERO  # of the share that would be paid
    reserve_periods: int = 0  # statement periods a reserve is held before it is released

    def fee_percent(self, media: str | None, territory: str | None) -> Decimal:
        best: tuple[int, Decimal] | None = None
        for rule in self.fee_rules:
            if rule.media not in (None, media) or rule.territory not in (None, territory):
                continue
            specificity = (rule.media is not None) + (rule.territory is not None)
            if best is None or specificity > best[0]:
                best = (specificity, rule.percent)
        return best[1] if best else self.default_fee_percent


@dataclass(frozen=True)
class Receipt:
    """Revenue of the period, already in the deal's currency (unrounded); negative for a refund."""

    amount: Decimal
    title_id: int | None = None
    media: str | None = None
    territory: str | None = None
    description: str = ""
    source: object = None  # what the line came from (a revenue line ID...), carried through


@dataclass(frozen=True)
class MgPayment:
    """A minimum-guarantee payment counted in this period (its date falls in it, or it was
    entered after its own period was issued)."""

    amount: Decimal
    paid_on: date


@dataclass(frozen=True)
class ReserveLayer:
    """A reserve held in one period: released in the period that starts on `release_from`."""

    release_from: date
    amount: Decimal


@dataclass(frozen=True)
class Balances:
    """What one pool's waterfall carries from a period to the next."""

    mg_outstanding: Decimal = ZERO
    unrecouped_expenses: Decimal = ZERO  # admitted under the cap, not yet recouped
    expenses_admitted_to_date: Decimal = ZERO  # counts against the cap
    cumulative_net: Decimal = ZERO  # goes down with refunds
    deficit: Decimal = ZERO  # share owed back (refunds, overpayments), repaid before anything is payable
    reserves: tuple[ReserveLayer, ...] = ()
    mg_paid_to_date: Decimal = ZERO  # MG payments counted so far

    @property
    def reserve(self) -> Decimal:
        return sum((layer.amount for layer in self.reserves), ZERO)


@dataclass(frozen=True)
class Line:
    kind: StatementLineKind
    amount: Decimal
    description: str
    title_id: int | None = None
    media: str | None = None
    territory: str | None = None
    source: object = None


@dataclass
class Waterfall:
    """One period of one pool: every step as lines, the totals, and the balances."""

    opening: Balances
    closing: Balances
    lines: list[Line] = field(default_factory=list)

    def total(self, kind: StatementLineKind) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind is kind), ZERO)

    def __getattr__(self, name: str) -> Decimal:
        # waterfall.payable, waterfall.reserve_held...: the total of that kind of line
        try:
            kind = StatementLineKind(name)
        except ValueError:
            raise AttributeError(name) from None
        return self.total(kind)


def admit_expenses(cap: Decimal | None, admitted_to_date: Decimal, incurred: Decimal) -> tuple[Decimal, Decimal]:
    """(admitted, borne): what fits under a cap over the deal's life, and what exceeds it and is
    borne by the sales house (DOMAIN.md step 3). No cap admits everything."""
    if cap is None:
        return incurred, ZERO
    admitted = min(incurred, max(ZERO, cap - admitted_to_date))
    return admitted, incurred - admitted


def run_period(terms: Terms, opening: Balances, receipts: list[Receipt], expenses_incurred: Decimal = ZERO,
               adjustments: Sequence[tuple[Decimal, str]] = (), *, mg_paid: Sequence[MgPayment] = (),
               expenses_borne: Decimal = ZERO, period_start: date | None = None,
               reserve_release_from: date | None = None) -> Waterfall:
    """The waterfall of one period from the opening balances.

    `expenses_incurred`: recoupable expenses of the period in the deal's currency (admitted
    under `terms.expense_cap`, or already admitted by the caller, who then passes what it
    found beyond a shared cap as `expenses_borne`). `adjustments`: (amount, reason)
    corrections of issued statements, positive when more is owed. `period_start`: reserves due
    from then are released; `reserve_release_from`: the first day of the period in which a
    reserve held now is released (required when the terms hold a reserve)."""
    rounded = lambda amount: round_to_minor_unit(amount, terms.minor_units)  # noqa: E731
    lines: list[Line] = []

    # Gross receipts, a rounded line per receipt; the fee, a rounded line per rate and media/territory.
    gross = ZERO
    fee_bases: dict[tuple[Decimal, str | None, str | None], Decimal] = defaultdict(lambda: ZERO)
    specific = any(r.media or r.territory for r in terms.fee_rules)
    for receipt in receipts:
        amount = rounded(receipt.amount)
        gross += amount
        lines.append(Line(K.GROSS_RECEIPTS, amount, receipt.description or "Gross receipts",
                          receipt.title_id, receipt.media, receipt.territory, receipt.source))
        percent = terms.fee_percent(receipt.media, receipt.territory)
        fee_bases[(percent, receipt.media if specific else None, receipt.territory if specific else None)] += amount
    fee = ZERO
    for (percent, media, territory), base in sorted(fee_bases.items(), key=lambda item: (str(item[0][1]), str(item[0][2]))):
        amount = rounded(base * percent / HUNDRED)
        fee += amount
        where = " ".join(p for p in (media, territory) if p)
        lines.append(Line(K.DISTRIBUTION_FEE, amount, f"Distribution fee {_percent(percent)} of {_amount(base, terms)}"
                          + (f" on {where}" if where else ""), media=media, territory=territory))

    # Expenses: admitted up to the cap, recouped from what the fee leaves (never from a refund).
    incurred = rounded(expenses_incurred)
    admitted, borne = admit_expenses(terms.expense_cap, opening.expenses_admitted_to_date, incurred)
    borne += rounded(expenses_borne)
    recoupable = opening.unrecouped_expenses + admitted
    recouped = min(recoupable, max(ZERO, gross - fee))
    lines.append(Line(K.EXPENSES_RECOUPED, recouped, f"Recoupable expenses recouped (of {_amount(recoupable, terms)} "
                                                     "admitted and unrecouped)"))
    if borne:
        lines.append(Line(K.EXPENSES_BORNE, borne, "Expenses beyond the cap, borne by the sales house"))
    net = gross - fee - recouped
    lines.append(Line(K.NET_RECEIPTS, net, "Net receipts"))

    # The participant's share, tier by tier on cumulative net receipts (unwound by refunds).
    share = ZERO
    for percent, base, low in _tier_slices(terms.tiers, opening.cumulative_net, net):
        amount = rounded(base * percent / HUNDRED)
        share += amount
        lines.append(Line(K.PARTICIPANT_SHARE, amount, f"Share {_percent(percent)} of {_amount(base, terms)}"
                                                       f" (tier from cumulative net {_amount(low, terms)})"))

    # A deficit is repaid first, then the MG; corrections of issued statements come after.
    for payment in mg_paid:
        lines.append(Line(K.MG_PAID, rounded(payment.amount), f"Minimum guarantee paid {payment.paid_on.isoformat()}"))
    mg_outstanding = opening.mg_outstanding + sum((rounded(p.amount) for p in mg_paid), ZERO)
    recovered = min(opening.deficit, max(ZERO, share))
    if recovered:
        lines.append(Line(K.DEFICIT_RECOVERED, recovered, "Deficit of earlier periods recovered"))
    available = share - recovered  # negative: a refund period
    mg_recouped = min(mg_outstanding, max(ZERO, available))
    lines.append(Line(K.MG_RECOUPED, mg_recouped, "Minimum guarantee recouped"))
    available -= mg_recouped
    for amount, description in adjustments:
        amount = rounded(amount)
        available += amount
        lines.append(Line(K.ADJUSTMENT, amount, description))
    deficit = opening.deficit - recovered

    # Reserves: refunds use them first; those due are released; a share paid has one held.
    reserves = list(opening.reserves)
    if available < 0:
        shortfall = -available
        applied = ZERO
        for index, layer in enumerate(reserves):
            take = min(layer.amount, shortfall - applied)
            applied += take
            reserves[index] = replace(layer, amount=layer.amount - take)
        if applied:
            lines.append(Line(K.RESERVE_APPLIED, applied, "Reserve applied to refunds"))
        if shortfall - applied:
            lines.append(Line(K.DEFICIT_CARRIED, shortfall - applied, "Deficit carried forward"))
        deficit += shortfall - applied
        available = ZERO
    due = [layer for layer in reserves if period_start is not None and layer.release_from <= period_start]
    released = sum((layer.amount for layer in due), ZERO)
    if released:
        lines.append(Line(K.RESERVE_RELEASED, released, "Reserve released"))
    reserves = [layer for layer in reserves if layer not in due and layer.amount]
    held = ZERO
    if terms.reserve_percent and available > 0:
        if reserve_release_from is None:
            raise ValueError("the terms hold a reserve: say when it is released")
        held = min(available, rounded(max(ZERO, share) * terms.reserve_percent / HUNDRED))
        if held:
            lines.append(Line(K.RESERVE_HELD, held, f"Reserve {_percent(terms.reserve_percent)} of the share, "
                                                    f"released from {reserve_release_from.isoformat()}"))
            reserves.append(ReserveLayer(reserve_release_from, held))
    payable = available - held + released
    lines.append(Line(K.PAYABLE, payable, "Payable"))
    withholding = rounded(payable * terms.withholding_percent / HUNDRED)
    lines.append(Line(K.WITHHOLDING, withholding, f"Withholding tax {_percent(terms.withholding_percent)}"))
    lines.append(Line(K.PAID, payable - withholding, "Paid"))

    closing = Balances(
        mg_outstanding=mg_outstanding - mg_recouped,
        unrecouped_expenses=recoupable - recouped,
        expenses_admitted_to_date=opening.expenses_admitted_to_date + admitted,
        cumulative_net=opening.cumulative_net + net,
        deficit=deficit,
        reserves=tuple(reserves),
        mg_paid_to_date=opening.mg_paid_to_date + sum((rounded(p.amount) for p in mg_paid), ZERO),
    )
    return Waterfall(opening, closing, lines)


def _tier_slices(tiers: tuple[Tier, ...], cumulative: Decimal, net: Decimal) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(percent, the part of this period's net in the tier, the tier's floor) for every tier the
    period touches; a period that crosses a boundary is split at it. Negative net receipts
    unwind from the top down, at the tiers they were earned in; the first tier also holds
    cumulative net below zero."""
    ordered = sorted(tiers, key=lambda t: t.from_cumulative_net)
    if not ordered:
        return []
    if net == 0:
        return [(ordered[0].percent, ZERO, ordered[0].from_cumulative_net)]
    low_end, high_end = sorted((cumulative, cumulative + net))
    sign = 1 if net > 0 else -1
    slices = []
    for number, tier in enumerate(ordered):
        ceiling = ordered[number + 1].from_cumulative_net if number + 1 < len(ordered) else None
        low = low_end if number == 0 else max(low_end, tier.from_cumulative_net)
        high = high_end if ceiling is None else min(high_end, ceiling)
        if high > low:
            slices.append((tier.percent, sign * (high - low), tier.from_cumulative_net))
    return slices if sign > 0 else slices[::-1]


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %"


def _amount(value: Decimal, terms: Terms) -> str:
    return f"{value:,.{terms.minor_units}f}"


def split_mg(amount: Decimal, titles: list[int], minor_units: int) -> dict[int, Decimal]:
    """A deal's MG shared equally by titles that stand alone; the rounding remainder goes to
    the first title, so the parts add up to the MG exactly."""
    if not titles:
        return {}
    part = round_to_minor_unit(amount / len(titles), minor_units)
    parts = {title: part for title in titles}
    parts[titles[0]] += amount - part * len(titles)
    return parts


def allocate(amount: Decimal, weights: dict[int, Decimal], minor_units: int) -> dict[int, Decimal]:
    """Split an amount by weights into parts in the currency's minor unit that add up to it
    exactly (largest remainder); no weight at all splits equally."""
    if not weights:
        return {}
    if not any(w > 0 for w in weights.values()):
        weights = dict.fromkeys(weights, Decimal(1))
    unit = Decimal(1).scaleb(-minor_units)
    total_units = (amount / unit).to_integral_value()
    remainder_units = amount - total_units * unit  # sub-minor-unit residue of an unrounded amount
    total_weight = sum(weights.values(), ZERO)
    exact = {key: total_units * w / total_weight for key, w in weights.items()}
    floors = {key: value.to_integral_value(rounding="ROUND_FLOOR") for key, value in exact.items()}
    left = int(total_units - sum(floors.values(), ZERO))
    by_remainder = sorted(weights, key=lambda key: (-(exact[key] - floors[key]), key))
    for key in by_remainder[:left]:
        floors[key] += 1
    parts = {key: units * unit for key, units in floors.items()}
    first = min(parts)
    parts[first] += remainder_units
    return parts
