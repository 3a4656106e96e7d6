"""The royalty waterfall of DOMAIN.md, one period at a time, exact to the cent.

Gross receipts -> distribution fee -> recoupable expenses (capped over the deal's life) ->
net receipts -> participant share (tiers on cumulative net receipts, a period that crosses a
tier split) -> minimum guarantee recouped -> payable -> withholding tax -> paid.

Every amount is a Decimal. Each statement line is rounded half-up to the currency's minor
unit, and every total is the sum of its rounded lines, so a statement always adds up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.domain.money import round_to_minor_unit

ZERO = Decimal(0)
HUNDRED = Decimal(100)


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
    currency: str
    minor_units: int
    default_fee_percent: Decimal
    tiers: tuple[Tier, ...]
    fee_rules: tuple[FeeRule, ...] = ()
    expense_cap: Decimal | None = None  # None: no cap
    mg_amount: Decimal = ZERO
    withholding_percent: Decimal = ZERO

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
    """Revenue of the period, already in the deal's currency (unrounded)."""

    amount: Decimal
    title_id: int | None = None
    media: str | None = None
    territory: str | None = None
    description: str = ""
    source: object = None  # what the line came from (a revenue line ID...), carried through


@dataclass(frozen=True)
class Balances:
    """What one waterfall carries from a period to the next."""

    mg_outstanding: Decimal = ZERO
    unrecouped_expenses: Decimal = ZERO  # admitted under the cap, not yet recouped
    expenses_admitted_to_date: Decimal = ZERO  # counts against the cap
    cumulative_net: Decimal = ZERO
    deficit: Decimal = ZERO  # overpaid earlier (a negative adjustment), recovered from later payables


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
    """One period of one waterfall: every step as lines, the totals, and the balances."""

    opening: Balances
    closing: Balances
    lines: list[Line] = field(default_factory=list)
    expenses_borne: Decimal = ZERO  # incurred beyond the cap: the sales house's

    def total(self, kind: StatementLineKind) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind is kind), ZERO)

    @property
    def gross_receipts(self) -> Decimal:
        return self.total(StatementLineKind.GROSS_RECEIPTS)

    @property
    def distribution_fee(self) -> Decimal:
        return self.total(StatementLineKind.DISTRIBUTION_FEE)

    @property
    def expenses_recouped(self) -> Decimal:
        return self.total(StatementLineKind.EXPENSES_RECOUPED)

    @property
    def net_receipts(self) -> Decimal:
        return self.total(StatementLineKind.NET_RECEIPTS)

    @property
    def participant_share(self) -> Decimal:
        return self.total(StatementLineKind.PARTICIPANT_SHARE)

    @property
    def mg_recouped(self) -> Decimal:
        return self.total(StatementLineKind.MG_RECOUPED)

    @property
    def payable(self) -> Decimal:
        return self.total(StatementLineKind.PAYABLE)

    @property
    def withholding(self) -> Decimal:
        return self.total(StatementLineKind.WITHHOLDING)

    @property
    def paid(self) -> Decimal:
        return self.total(StatementLineKind.PAID)


def run_period(terms: Terms, opening: Balances, receipts: list[Receipt], expenses_incurred: Decimal = ZERO,
               adjustments: Sequence[tuple[Decimal, str]] = ()) -> Waterfall:
    """The waterfall of one period from the opening balances. Adjustments (corrections of
    issued statements) add to or take from what is payable; what cannot be taken this period
    carries forward as a deficit against later payables."""
    rounded = lambda amount: round_to_minor_unit(amount, terms.minor_units)  # noqa: E731
    lines: list[Line] = []
    kind = StatementLineKind

    # Gross receipts, a rounded line per receipt; the fee, a rounded line per rate and media/territory.
    gross = ZERO
    fee_bases: dict[tuple[Decimal, str | None, str | None], Decimal] = defaultdict(lambda: ZERO)
    for receipt in receipts:
        amount = rounded(receipt.amount)
        gross += amount
        lines.append(Line(kind.GROSS_RECEIPTS, amount, receipt.description or "Gross receipts",
                          receipt.title_id, receipt.media, receipt.territory, receipt.source))
        percent = terms.fee_percent(receipt.media, receipt.territory)
        specific = any(r.media or r.territory for r in terms.fee_rules)
        fee_bases[(percent, receipt.media if specific else None, receipt.territory if specific else None)] += amount
    fee = ZERO
    for (percent, media, territory), base in sorted(fee_bases.items(), key=lambda item: (str(item[0][1]), str(item[0][2]))):
        amount = rounded(base * percent / HUNDRED)
        fee += amount
        where = " ".join(p for p in (media, territory) if p)
        lines.append(Line(kind.DISTRIBUTION_FEE, amount, f"Distribution fee {_percent(percent)}" + (f" on {where}" if where else ""),
                          media=media, territory=territory))

    # Expenses: admitted up to the cap over the deal's life, recouped from what the fee leaves.
    expenses_incurred = rounded(expenses_incurred)
    room = None if terms.expense_cap is None else max(ZERO, terms.expense_cap - opening.expenses_admitted_to_date)
    admitted = expenses_incurred if room is None else min(expenses_incurred, room)
    borne = expenses_incurred - admitted
    recoupable = opening.unrecouped_expenses + admitted
    recouped = min(recoupable, max(ZERO, gross - fee))
    lines.append(Line(kind.EXPENSES_RECOUPED, recouped, "Recoupable expenses recouped"))
    net = gross - fee - recouped
    lines.append(Line(kind.NET_RECEIPTS, net, "Net receipts"))

    # The participant's share, tier by tier on cumulative net receipts.
    share = ZERO
    for percent, base, low in _tier_slices(terms.tiers, opening.cumulative_net, net):
        amount = rounded(base * percent / HUNDRED)
        share += amount
        lines.append(Line(kind.PARTICIPANT_SHARE, amount, f"Share {_percent(percent)} of {base:,.{terms.minor_units}f}"
                                                           f" (cumulative net from {low:,.0f})"))
    mg_recouped = min(opening.mg_outstanding, share)
    lines.append(Line(kind.MG_RECOUPED, mg_recouped, "Minimum guarantee recouped"))
    corrected = share - mg_recouped - opening.deficit
    for amount, description in adjustments:
        amount = rounded(amount)
        corrected += amount
        lines.append(Line(kind.ADJUSTMENT, amount, description))
    payable = max(ZERO, corrected)
    lines.append(Line(kind.PAYABLE, payable, "Payable" + (" after recovering an earlier overpayment" if opening.deficit else "")))
    withholding = rounded(payable * terms.withholding_percent / HUNDRED)
    lines.append(Line(kind.WITHHOLDING, withholding, f"Withholding tax {_percent(terms.withholding_percent)}"))
    lines.append(Line(kind.PAID, payable - withholding, "Paid"))

    closing = replace(
        opening,
        mg_outstanding=opening.mg_outstanding - mg_recouped,
        unrecouped_expenses=recoupable - recouped,
        expenses_admitted_to_date=opening.expenses_admitted_to_date + admitted,
        cumulative_net=opening.cumulative_net + net,
        deficit=payable - corrected,  # what is still to be recovered, never negative
    )
    return Waterfall(opening, closing, lines, borne)


def _tier_slices(tiers: tuple[Tier, ...], cumulative: Decimal, net: Decimal) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(percent, the part of this period's net in the tier, the tier's floor) for every tier the
    period touches; a period that crosses a boundary is split at it."""
    ordered = sorted(tiers, key=lambda t: t.from_cumulative_net)
    if not ordered or net <= 0:
        return [(ordered[0].percent if ordered else ZERO, ZERO, ZERO)] if net == 0 and ordered else []
    slices = []
    start, end = cumulative, cumulative + net
    for number, tier in enumerate(ordered):
        ceiling = ordered[number + 1].from_cumulative_net if number + 1 < len(ordered) else None
        low = max(start, tier.from_cumulative_net)
        high = end if ceiling is None else min(end, ceiling)
        if high > low:
            slices.append((tier.percent, high - low, tier.from_cumulative_net))
    return slices


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %"


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
