"""The pictures on Home: where revenue comes from, which rights run out soon, how far
localization has got. Plain figures, read in one unit of work; the home screen draws them.

- Revenue by platform and quarter: the gross of every imported revenue line (rolled-back files
  left out), by the platform that reported it and the calendar quarter its period ends in, over
  the last `REVENUE_QUARTERS` quarters that have any revenue, up to today. All in one currency,
  `REPORTING_CURRENCY`: each platform's quarter converted at the rate of the quarter's last day
  (services/fx's rule: the latest rate on or before it). A currency with no rate is left out of
  the picture and named in `RevenueChart.without_rate`, never added in at a made-up rate.
  The platforms with the most revenue are shown by name, the rest together as "Others".
- Rights expiring: grants of draft and signed deals whose term ends in each of the next
  `EXPIRING_MONTHS` months (this month first), bought in (IN) and licensed out (OUT) apart.
  A term still pending (counted from an event with no date) has no end yet and is not counted.
- Localization readiness: localization tasks by status, in the order work goes through them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import BatchStatus, DealDirection, DealStatus, LocalizationStatus
from rightsdesk.domain.localization import LABELS
from rightsdesk.persistence.models import Deal, Grant, ImportBatch, LocalizationTask, RevenueLine, RevenueSource
from rightsdesk.services import fx

REPORTING_CURRENCY = "USD"  # the currency the demo's and most desks' exchange rates are quoted in
REVENUE_QUARTERS = 4
PLATFORMS_SHOWN = 6  # more platforms than this: the smallest go together as "Others"
EXPIRING_MONTHS = 12
OTHERS = "Others"
STATUS_ORDER = (LocalizationStatus.NOT_STARTED, LocalizationStatus.IN_PROGRESS, LocalizationStatus.IN_QC,
                LocalizationStatus.REJECTED, LocalizationStatus.DELIVERED)


@dataclass(frozen=True)
class RevenueChart:
    currency: str
    quarters: list[str]  # "2026-Q3", oldest first
    # platform -> gross per quarter (same order as `quarters`), in `currency`; biggest platform first
    by_platform: dict[str, list[Decimal]]
    without_rate: list[str] = field(default_factory=list)  # currencies left out: no exchange rate

    @property
    def total(self) -> Decimal:
        return sum((sum(amounts, Decimal(0)) for amounts in self.by_platform.values()), Decimal(0))


@dataclass(frozen=True)
class ExpiringChart:
    months: list[str]  # "2026-11", this month first
    bought_in: list[int]  # grants of IN deals ending in each month
    licensed_out: list[int]  # grants of OUT deals ending in each month


@dataclass(frozen=True)
class ReadinessChart:
    by_status: list[tuple[str, int]]  # (status in words, tasks), in STATUS_ORDER, every status listed

    @property
    def total(self) -> int:
        return sum(count for _, count in self.by_status)


@dataclass(frozen=True)
class Overview:
    revenue: RevenueChart
    expiring: ExpiringChart
    readiness: ReadinessChart


def overview(session: Session, today: date) -> Overview:
    return Overview(revenue_by_platform(session, today), rights_expiring(session, today),
                    localization_readiness(session))


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_end(year: int, quarter: int) -> date:
    return _month_end(year, quarter * 3)


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def revenue_by_platform(session: Session, today: date, *, quarters: int = REVENUE_QUARTERS,
                        currency: str = REPORTING_CURRENCY) -> RevenueChart:
    """Gross revenue by platform and quarter, in `currency` (see the module's rule)."""
    rows = session.execute(
        select(RevenueSource.name, RevenueLine.currency, RevenueLine.period_end, func.sum(RevenueLine.gross_amount))
        .join(ImportBatch, ImportBatch.id == RevenueLine.batch_id)
        .join(RevenueSource, RevenueSource.id == ImportBatch.source_id)
        .where(ImportBatch.status == BatchStatus.IMPORTED, RevenueLine.period_end <= today)
        .group_by(RevenueSource.name, RevenueLine.currency, RevenueLine.period_end)
    ).all()
    shown = sorted({_quarter(period_end) for _, _, period_end, _ in rows})[-quarters:]
    sums: dict[tuple[str, str, tuple[int, int]], Decimal] = defaultdict(Decimal)
    for platform, line_currency, period_end, gross in rows:
        if _quarter(period_end) in shown:
            sums[platform, line_currency, _quarter(period_end)] += Decimal(gross or 0)
    converted: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(shown))
    without_rate: set[str] = set()
    for (platform, line_currency, quarter), gross in sums.items():
        try:
            rate = fx.quote(session, line_currency, currency, _quarter_end(*quarter))
        except fx.MissingRate:
            without_rate.add(line_currency)
            continue
        converted[platform][shown.index(quarter)] += rate.convert(gross)
    ranked = sorted(converted, key=lambda name: (-sum(converted[name]), name))
    by_platform = {name: [amount.quantize(Decimal("0.01")) for amount in converted[name]] for name in ranked[:PLATFORMS_SHOWN]}
    if len(ranked) > PLATFORMS_SHOWN:
        by_platform[OTHERS] = [sum((converted[name][n] for name in ranked[PLATFORMS_SHOWN:]), Decimal(0)).quantize(Decimal("0.01"))
                               for n in range(len(shown))]
    return RevenueChart(currency, [f"{year}-Q{quarter}" for year, quarter in shown], by_platform, sorted(without_rate))


def rights_expiring(session: Session, today: date, *, months: int = EXPIRING_MONTHS) -> ExpiringChart:
    """Grants of live deals ending in each of the next `months` months, IN and OUT apart."""
    first = today.replace(day=1)
    keys = [(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1) for n in range(months)]
    last = _month_end(*keys[-1])
    rows = session.execute(
        select(Deal.direction, Grant.term_end).join(Deal, Deal.id == Grant.deal_id)
        .where(Deal.status.in_([DealStatus.DRAFT, DealStatus.SIGNED]), Grant.term_end >= today, Grant.term_end <= last)
    ).all()
    counts = {direction: [0] * months for direction in DealDirection}
    for direction, term_end in rows:
        counts[direction][keys.index((term_end.year, term_end.month))] += 1
    return ExpiringChart([f"{year}-{month:02d}" for year, month in keys],
                         counts[DealDirection.IN], counts[DealDirection.OUT])


def localization_readiness(session: Session) -> ReadinessChart:
    """Localization tasks by status, every status listed (zero included)."""
    counts = dict(session.execute(select(LocalizationTask.status, func.count()).group_by(LocalizationTask.status)).all())
    return ReadinessChart([(LABELS[status], counts.get(status, 0)) for status in STATUS_ORDER])
