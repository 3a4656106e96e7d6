"""Issuing statements and what follows: the lock (number, local date, content hash), the order
of issue, corrections of issued statements, and a statement's figures as plain data.

An issued statement never changes (DOMAIN.md): its content hash is checked by `verify`, a
correction is an adjustment carried by the deal's next statement (`adjust`), and its PDF is the
same bytes whenever it is exported again.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain.words import plural_word
from rightsdesk.domain.enums import AuditAction, StatementLineKind, StatementStatus
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.money import round_to_minor_unit
from rightsdesk.persistence.backup import backup_sqlite, default_backup_path
from rightsdesk.persistence.database import Database, take_turns
from rightsdesk.persistence.models import Deal, Party, RoyaltyTerms, Statement, StatementAdjustment, StatementLine
from rightsdesk.services import audit, reference
from rightsdesk.services.listing import chunks
from rightsdesk.services.statements import parse_label, period_of


def _chosen(session: Session, statement_id: int, *, whole: bool = False) -> Statement:
    """The statement a desk chose (with its lines and balances if `whole`); NotFound when a run
    of its period replaced it meanwhile (a draft's id does not survive a re-run)."""
    options = [selectinload(Statement.lines), selectinload(Statement.balances)] if whole else []
    statement = session.get(Statement, statement_id, options=options)
    if statement is None:
        raise NotFound("a statement chosen no longer exists: its period was run again meanwhile; look at the list as it is now")
    return statement


def adjust(session: Session, statement_id: int, amount: Decimal, reason: str, *, user: str) -> int:
    """Record a correction of an issued statement; the deal's next statement run carries it."""
    statement = _chosen(session, statement_id)
    if statement.status is not StatementStatus.ISSUED:
        raise UserError("a draft statement is corrected by running its period again, not by an adjustment")
    if amount == 0 or not reason.strip():
        raise UserError("an adjustment needs an amount other than zero and a reason")
    places = reference.minor_units(session).get(statement.currency, 2)
    if amount != round_to_minor_unit(amount, places):
        raise UserError(f"{amount} has more decimals than {statement.currency} has ({places}); "
                        "say the amount the participant is owed or overpaid exactly")
    adjustment = StatementAdjustment(deal_id=statement.deal_id, adjusts_statement_id=statement.id, amount=amount,
                                     reason=reason.strip(), created_by=user)
    session.add(adjustment)
    session.flush()
    audit.record(session, user=user, action=AuditAction.CREATE, entity="statement_adjustment", entity_id=adjustment.id,
                 summary=f"adjusts {statement.number}", before=None,
                 after={"statement": statement.number, "amount": str(amount), "reason": reason.strip()})
    return adjustment.id


# -- issuing ------------------------------------------------------------------------------------


def content_of(statement: Statement) -> dict[str, object]:
    """What an issued statement says, canonically: the figures its hash protects."""
    return {
        "deal_id": statement.deal_id, "participant_id": statement.participant_id, "period": statement.period_label,
        "currency": statement.currency,
        "totals": {k: str(getattr(statement, k)) for k in ("gross_receipts", "distribution_fee", "expenses_recouped",
                                                          "net_receipts", "participant_share", "mg_recouped", "payable",
                                                          "withholding", "paid")},
        "lines": [[l.position, l.kind.value, l.description, l.title_id, l.media_code, l.territory_code, str(l.amount),
                   l.revenue_line_id, None if l.fx_rate is None else str(l.fx_rate)] for l in statement.lines],
        "balances": [[b.title_id, str(b.closing_mg_outstanding), str(b.closing_unrecouped_expenses),
                      str(b.closing_cumulative_net)] for b in statement.balances],
    }


def content_hash(statement: Statement) -> str:
    return hashlib.sha256(json.dumps(content_of(statement), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def issue(session: Session, statement_id: int, *, user: str, on: date | None = None, now: datetime | None = None) -> str:
    """Lock a draft: give it its number and record its content hash. Returns the number.

    The statement is dated (and posted) on the accountant's local date: `on` when given, else
    the date of `now` (default: this moment) in the desk's time zone, which is stored with the
    instant. Numbers are ST-<year of that date>-<n>, gap-free per year; two desks issuing at
    once take turns (a transaction lock on PostgreSQL; SQLite writes one at a time). Refused
    while an earlier statement of the deal is a draft or was never run."""
    statement = _chosen(session, statement_id, whole=True)
    if statement.status is StatementStatus.ISSUED:
        raise UserError(f"statement {statement.number} is already issued and cannot change")
    _check_earlier_issued(session, statement)
    moment = (now or datetime.now(UTC)).astimezone() if now is None or now.tzinfo is None else now
    take_turns(session, "statement_number")
    statement.issued_on = on or moment.date()
    if statement.issued_on < statement.period_end:
        raise UserError(f"{statement.period_label} ends on {statement.period_end}: a statement is issued once its "
                        f"period is over, not on {statement.issued_on}")
    prefix = f"ST-{statement.issued_on.year}-"
    last = session.scalar(select(func.max(Statement.number)).where(Statement.number.like(f"{prefix}%")))
    statement.number = f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:06d}"
    statement.status = StatementStatus.ISSUED
    statement.issued_at, statement.issued_by = moment.astimezone(UTC), user
    statement.issued_tz = _zone_name(moment)
    statement.content_hash = content_hash(statement)
    audit.record(session, user=user, action=AuditAction.UPDATE, entity="statement", entity_id=statement.id,
                 summary=f"issued {statement.number}", before={"status": "draft"},
                 after={"status": "issued", "number": statement.number, "hash": statement.content_hash,
                        "issued_on": statement.issued_on.isoformat()})
    session.flush()
    return statement.number


@dataclass(frozen=True)
class Issued:
    deal: str
    number: str
    issued_on: date


def issue_statements(database: Database, statement_ids: list[int], *, user: str, on: date | None = None,
                     now: datetime | None = None) -> tuple[list[Issued], Path | None]:
    """Issue drafts all or nothing, after copying a database file (issuing cannot be undone).
    Returns what was issued and where the copy is (None for a server database). A refusal
    names the deal it is about."""
    saved = backup_sqlite(database.path, default_backup_path(database.path, "before-issue")) if database.path else None
    with database.transaction() as session:
        done = issue_in_order(session, statement_ids, user=user, on=on, now=now)
    return done, saved


def issue_in_order(session: Session, statement_ids: list[int], *, user: str, on: date | None = None,
                   now: datetime | None = None) -> list[Issued]:
    """Issue drafts in the order given, all or nothing (the caller's unit of work); a refusal
    (UserError) names the deal it is about."""
    done = []
    for statement_id in statement_ids:
        statement = session.get(Statement, statement_id)
        deal = session.get(Deal, statement.deal_id) if statement else None
        try:
            number = issue(session, statement_id, user=user, on=on, now=now)
        except UserError as error:
            raise UserError(f"deal {deal.reference if deal else '?'}: {error}") from error
        done.append(Issued(deal.reference if deal else "", number, statement.issued_on))  # type: ignore[union-attr,arg-type]
    return done


def _zone_name(moment: datetime) -> str:
    zone = moment.tzinfo
    key = getattr(zone, "key", None)  # a zoneinfo.ZoneInfo knows its IANA name
    return str(key or moment.strftime("%Z%z") or "UTC")[:64]


def _check_earlier_issued(session: Session, statement: Statement) -> None:
    """A statement's opening balances are its predecessor's closing ones: issue in order, from
    the terms' first period (when they name one) or the deal's first statement, none missing."""
    earlier = {start: (label, status) for start, label, status in session.execute(select(
        Statement.period_start, Statement.period_label, Statement.status).where(
        Statement.deal_id == statement.deal_id, Statement.period_start < statement.period_start))}
    drafts = [label for _, (label, status) in sorted(earlier.items()) if status is StatementStatus.DRAFT]
    if drafts:
        raise UserError(f"issue the deal's earlier {plural_word(len(drafts), 'statement')} first: {', '.join(drafts)}")
    terms = session.scalar(select(RoyaltyTerms).where(RoyaltyTerms.deal_id == statement.deal_id))
    if terms is None:
        return
    first = min(earlier, default=statement.period_start)
    if terms.first_period_start is not None:
        first = min(first, period_of(terms.frequency, terms.first_period_start)[1])
    day = first
    while day < statement.period_start:
        label, start, end = period_of(terms.frequency, day)
        if start not in earlier:
            raise UserError(f"the deal has no statement for {label}: run and issue it before {statement.period_label}")
        day = end + relativedelta(days=1)


def verify(session: Session, statement_id: int) -> bool:
    """Whether an issued statement still says exactly what it said when issued."""
    statement = _chosen(session, statement_id, whole=True)
    return statement.content_hash is not None and statement.content_hash == content_hash(statement)


# -- what a statement says, as plain data -------------------------------------------------------

SUMMARY_KINDS = {
    "gross_receipts": StatementLineKind.GROSS_RECEIPTS, "distribution_fee": StatementLineKind.DISTRIBUTION_FEE,
    "expenses_recouped": StatementLineKind.EXPENSES_RECOUPED, "expenses_borne": StatementLineKind.EXPENSES_BORNE,
    "net_receipts": StatementLineKind.NET_RECEIPTS, "participant_share": StatementLineKind.PARTICIPANT_SHARE,
    "deficit_recovered": StatementLineKind.DEFICIT_RECOVERED, "mg_paid": StatementLineKind.MG_PAID,
    "mg_recouped": StatementLineKind.MG_RECOUPED, "adjustments": StatementLineKind.ADJUSTMENT,
    "reserve_held": StatementLineKind.RESERVE_HELD, "reserve_released": StatementLineKind.RESERVE_RELEASED,
    "reserve_applied": StatementLineKind.RESERVE_APPLIED, "deficit_carried": StatementLineKind.DEFICIT_CARRIED,
    "payable": StatementLineKind.PAYABLE, "withholding": StatementLineKind.WITHHOLDING, "paid": StatementLineKind.PAID,
    "brought_forward": StatementLineKind.BROUGHT_FORWARD, "carried_forward": StatementLineKind.CARRIED_FORWARD,
    "to_pay": StatementLineKind.TO_PAY,
}
BALANCES = ("mg_outstanding", "unrecouped_expenses", "cumulative_net", "deficit", "reserve", "mg_paid_to_date")


def summaries(session: Session, *, statement_ids: list[int] | None = None, period: str | None = None) -> list[dict[str, object]]:
    """Statements (those given, those of a period, or all) as plain data, in period then number
    order: who, which deal and period, every step's total and the balances opening and closing
    (deal-wide sums of the titles' balances when titles stand alone), amounts as decimal strings
    in the statement's currency. `expenses_carried` is what stays unrecouped at the close."""
    query = select(Statement).options(selectinload(Statement.balances))
    if statement_ids is not None:
        query = query.where(Statement.id.in_(statement_ids))
    if period is not None:
        start, end = parse_label(period)
        query = query.where(Statement.period_start == start, Statement.period_end == end)
    found = list(session.scalars(query.order_by(Statement.period_start, Statement.deal_id)))
    names = dict(session.execute(select(Deal.id, Deal.reference)).all())
    parties = dict(session.execute(select(Party.id, Party.name).where(
        Party.id.in_({s.participant_id for s in found}))).all()) if found else {}
    minor = reference.minor_units(session)
    # Each step's total summed in SQL (exact: scaled integers): a month-end's statements hold
    # half a million lines, which as objects took 20 s and 400 MB to add up.
    totals_of: dict[int, dict[StatementLineKind, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for chunk in chunks([statement.id for statement in found]):
        for statement_id, kind, amount in session.execute(
                select(StatementLine.statement_id, StatementLine.kind, func.sum(StatementLine.amount))
                .where(StatementLine.statement_id.in_(chunk)).group_by(StatementLine.statement_id, StatementLine.kind)):
            totals_of[statement_id][kind] = amount
    result = []
    for statement in found:
        unit = Decimal(1).scaleb(-minor.get(statement.currency, 2))

        def money(amount: Decimal) -> str:  # every statement amount is rounded to the minor unit already
            return str(amount.quantize(unit))

        totals = totals_of[statement.id]
        if StatementLineKind.TO_PAY not in totals:  # no minimum payout moved anything: it pays what it earned
            totals[StatementLineKind.TO_PAY] = totals[StatementLineKind.PAID]
        balances = {}
        for name in BALANCES:
            for side in ("opening", "closing"):
                balances[f"{side}_{name}"] = money(sum((getattr(b, f"{side}_{name}") for b in statement.balances), Decimal(0)))
        result.append({
            "id": statement.id, "number": statement.number, "status": statement.status.value,
            "participant": parties.get(statement.participant_id, ""), "deal": names.get(statement.deal_id, ""),
            "period": statement.period_label, "currency": statement.currency,
            "issued_on": statement.issued_on.isoformat() if statement.issued_on else None,
            **{name: money(totals[kind]) for name, kind in SUMMARY_KINDS.items()},
            "expenses_carried": balances["closing_unrecouped_expenses"],
            "mg_outstanding": balances["closing_mg_outstanding"],
            "deficit": balances["closing_deficit"],
            "reserve": balances["closing_reserve"],
            "balances": balances,
        })
    return result


def period_statements(session: Session, period: str) -> list[tuple[int, str, StatementStatus]]:
    """(id, deal reference, status) of a period's statements, in deal order; no figures."""
    start, end = parse_label(period)
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(Statement.id, Deal.reference, Statement.status).join(Deal, Deal.id == Statement.deal_id)
        .where(Statement.period_start == start, Statement.period_end == end).order_by(Statement.deal_id))]


def statement_numbered(session: Session, number: str) -> int:
    """The id of the statement with that number; NotFound names what exists nearby."""
    found = session.scalar(select(Statement.id).where(Statement.number == number.strip()))
    if found is None:
        raise NotFound(f"there is no issued statement numbered '{number}' (rightsdesk statements list)")
    return found
