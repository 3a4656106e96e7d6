"""Which statement each imported revenue line goes on, and what is on none (DOMAIN.md,
"Late revenue" and "No line is ever on no statement unseen").

Which deal governs a line: a signed IN deal whose grant covers the line's title (directly, or
through a library on the line's day) in the line's territory and media (when the report gives
them) on the last day of the line's period and has royalty terms (only such a deal has
statements); when several do, the oldest.

Which of that deal's statements takes it: the statement of the period that holds the line's
period end, unless that statement is issued; then the deal's next statement that is not issued
(the line is "revenue of an earlier period" there, with its own period). A line is never on
two statements and never dropped: what no statement holds is listed with its reason.

What a statement holds is recorded in `statement_revenue`, line by line (a gross receipts line
sums many revenue lines): the line, the title (a library's line is split to its titles) and
the amount, in the line's currency; and in `statement_title_revenue`, for a title whose lines
all go one way, by import batch and title (every line of the batch with that title whose
period ends within the statement's, in full). Everything here that asks "is it on a
statement" reads both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, delete, exists, func, insert, or_, select, type_coerce, union_all
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import BatchStatus, DealDirection, StatementStatus
from rightsdesk.persistence.models import (
    Deal,
    ImportBatch,
    LibraryMember,
    RevenueLine,
    RevenueSource,
    RoyaltyTerms,
    Statement,
    StatementRevenue,
    StatementTitleRevenue,
)
from rightsdesk.services import reference
from rightsdesk.services.avails import load_rights
from rightsdesk.services.listing import chunks

ZERO = Decimal(0)


def library_titles(session: Session, library_ids: Iterable[int | None], day: date) -> dict[int, list[int]]:
    """The titles each library holds on a day, by title id."""
    found: dict[int, list[int]] = defaultdict(list)
    wanted = [i for i in set(library_ids) if i]
    if not wanted:
        return found
    for library_id, title_id in session.execute(select(LibraryMember.library_id, LibraryMember.title_id).where(
            LibraryMember.library_id.in_(wanted), LibraryMember.added_on <= day,
            (LibraryMember.removed_on.is_(None)) | (LibraryMember.removed_on >= day)).order_by(LibraryMember.title_id)):
        found[library_id].append(title_id)
    return found


def library_titles_by_day(session: Session, lines: Iterable[Any]) -> dict[date, dict[int, list[int]]]:
    """For each day a library's line (a row read like a RevenueLine) ends, the titles each of
    those lines' libraries holds that day (library_titles): one query a day."""
    libraries_by_day: dict[date, set[int]] = defaultdict(set)
    for line in lines:
        if line.library_id is not None:
            libraries_by_day[line.period_end].add(line.library_id)
    return {day: library_titles(session, libraries, day) for day, libraries in libraries_by_day.items()}


def covering_deals(title_rights, line: RevenueLine) -> list[int]:  # type: ignore[no-untyped-def]
    """The signed IN deals whose grants cover a line's title on its period end, in its territory
    and media, oldest first."""
    if title_rights is None:
        return []
    day = line.period_end
    found = set()
    for coverage in title_rights.coverages:
        grant = coverage.grant
        if grant.direction is not DealDirection.IN:
            continue
        if (grant.start and day < grant.start) or (grant.end and day > grant.end):
            continue
        if line.territory_code and line.territory_code not in grant.territories:
            continue
        if line.media_code and line.media_code not in grant.media:
            continue
        found.add(grant.deal_id)
    return sorted(found)


def governing_deal(title_rights, line: RevenueLine, with_terms: Container[int]) -> int | None:  # type: ignore[no-untyped-def]
    """The deal whose statements take a line's title: the oldest covering deal with royalty terms."""
    return governing_of(covering_deals(title_rights, line), with_terms)


def governing_of(covering: Iterable[int], with_terms: Container[int]) -> int | None:
    """Of a line's covering deals (covering_deals: oldest first), the one that governs it."""
    return next((d for d in covering if d in with_terms), None)


class Governing:
    """`governing_deal` for many lines at once: each title's covering IN grants of deals with
    terms are sorted out once per day, then a (title, day, territory, media) is a lookup."""

    def __init__(self, rights: dict, with_terms: Container[int]):  # type: ignore[type-arg]
        self.rights, self.with_terms = rights, with_terms
        self.candidates: dict[tuple[int, date], list[tuple[int, frozenset[str], frozenset[str]]]] = {}
        self.found: dict[tuple[int, date, str | None, str | None], int | None] = {}

    def __call__(self, title_id: int, day: date, territory: str | None, media: str | None) -> int | None:
        key = (title_id, day, territory, media)
        found = self.found.get(key, self)
        if found is self:
            found = self.found[key] = self.resolve(title_id, day, territory, media)
        return found  # type: ignore[return-value]

    def resolve(self, title_id: int, day: date, territory: str | None, media: str | None) -> int | None:
        """The same, remembering nothing but the title's candidates (for keys asked once)."""
        candidates = self.candidates.get((title_id, day))
        if candidates is None:
            title_rights = self.rights.get(title_id)
            # the rule of covering_deals, less the territory and media, for the deals with terms
            candidates = sorted({(c.grant.deal_id, c.grant.territories, c.grant.media)
                                 for c in (title_rights.coverages if title_rights else [])
                                 if c.grant.direction is DealDirection.IN and c.grant.deal_id in self.with_terms
                                 and not (c.grant.start and day < c.grant.start) and not (c.grant.end and day > c.grant.end)},
                                key=lambda c: c[0])
            self.candidates[(title_id, day)] = candidates
        for deal_id, territories, media_codes in candidates:
            if (not territory or territory in territories) and (not media or media in media_codes):
                return deal_id
        return None


# The rule of statement_title_revenue, in two halves: a row names the lines of its batch and
# title, and its statement holds those whose period ends within the statement's.
def _lines_of_whole() -> Any:
    whole = StatementTitleRevenue
    return (whole.batch_id == RevenueLine.batch_id) & (whole.title_id == RevenueLine.title_id)


def _within_statement() -> Any:
    return (Statement.id == StatementTitleRevenue.statement_id) & RevenueLine.period_end.between(
        Statement.period_start, Statement.period_end)


def held_whole() -> Any:
    """The statements that hold a revenue line through `statement_title_revenue` (its batch
    and title, its period end within theirs), as a SELECT of their ids correlated to the
    RevenueLine of the query it is used in."""
    whole = StatementTitleRevenue
    return (select(whole.statement_id).select_from(whole).join(Statement, _within_statement())
            .where(_lines_of_whole()))


def _held_whole_join(query: Any) -> Any:
    """`query` (over RevenueLine) joined to the statements that hold its lines whole."""
    return (query.select_from(RevenueLine).join(StatementTitleRevenue, _lines_of_whole())
            .join(Statement, _within_statement()))


def _whole_lines() -> Any:
    """(statement_id, revenue_line_id, title_id, source_amount) of the lines statements hold
    whole, as statement_revenue would hold them line by line, as a SELECT."""
    return _held_whole_join(select(StatementTitleRevenue.statement_id, RevenueLine.id, RevenueLine.title_id,
                                   RevenueLine.gross_amount))


def issued_parts(session: Session, line_ids: list[int]) -> set[tuple[int, int]]:
    """(revenue line, deal) pairs already on an issued statement."""
    found: set[tuple[int, int]] = set()
    for chunk in chunks(line_ids):
        found.update(session.execute(
            select(StatementRevenue.revenue_line_id, Statement.deal_id).join(Statement)
            .where(StatementRevenue.revenue_line_id.in_(chunk), Statement.status == StatementStatus.ISSUED)))
        found.update(session.execute(_held_whole_join(select(RevenueLine.id, Statement.deal_id)).where(
            RevenueLine.id.in_(chunk), Statement.status == StatementStatus.ISSUED)))
    return found


def on_issued() -> Any:
    """Whether an issued statement holds (a part of) the revenue line, as a WHERE clause over
    RevenueLine."""
    return or_(exists().where(StatementRevenue.revenue_line_id == RevenueLine.id,
                              StatementRevenue.statement_id == Statement.id, Statement.status == StatementStatus.ISSUED),
               held_whole().where(Statement.status == StatementStatus.ISSUED).exists())


def statements_holding(line_ids: list[int]) -> Any:
    """The ids of the statements that hold any of the lines (or a part of one), as a SELECT."""
    return union_all(select(StatementRevenue.statement_id).where(StatementRevenue.revenue_line_id.in_(line_ids)),
                     _held_whole_join(select(Statement.id)).where(RevenueLine.id.in_(line_ids)))


def statements_using_batch(batch_id: int) -> Any:
    """The ids of the statements that hold any line (or a part of one) of an import batch, as a
    SELECT."""
    return union_all(select(StatementRevenue.statement_id).join(
        RevenueLine, RevenueLine.id == StatementRevenue.revenue_line_id).where(RevenueLine.batch_id == batch_id),
        select(StatementTitleRevenue.statement_id).where(StatementTitleRevenue.batch_id == batch_id))


def held_lines() -> Any:
    """Every (statement_id, revenue_line_id, title_id, source_amount) a statement holds, both
    ways it is recorded, as a SELECT: for reading a few statements' holdings or checking them
    whole (tests, migrations), not for asking about one line among a million."""
    return union_all(select(StatementRevenue.statement_id, StatementRevenue.revenue_line_id, StatementRevenue.title_id,
                            StatementRevenue.source_amount), _whole_lines())


def hold_line_by_line(session: Session, title_id: int, batch_ids: list[int]) -> None:
    """Before more lines of `batch_ids` are matched to `title_id` (an assignment): the
    statements that hold the title's lines of those batches whole hold the lines they hold now
    line by line instead, so that the lines matched next are not taken to be on them too."""
    whole = StatementTitleRevenue
    for chunk in chunks(batch_ids):
        chosen = (whole.title_id == title_id) & whole.batch_id.in_(chunk)
        session.execute(insert(StatementRevenue).from_select(
            ["statement_id", "revenue_line_id", "title_id", "source_amount"], _whole_lines().where(chosen)))
        session.execute(delete(whole).where(chosen))


# (statement_receipts unpacks rows in this order)
OPEN_LINE_COLUMNS = (RevenueLine.id, RevenueLine.batch_id, RevenueLine.row_number, RevenueLine.period_start,
                     RevenueLine.period_end, RevenueLine.territory_code, RevenueLine.media_code,
                     RevenueLine.revenue_type, RevenueLine.title_id, RevenueLine.library_id, RevenueLine.gross_amount,
                     RevenueLine.currency)


def open_lines(session: Session, end: date, start: date, *, titles_of_the_period: bool = True,
               where: Any = None) -> list[Any]:
    """Imported lines that may go on a statement of the period [start, end]: those of the period,
    and those of earlier periods that no issued statement holds yet. Rows (read like a
    RevenueLine, by attribute) rather than ORM objects: a month can be a million lines. Without
    `titles_of_the_period`, the period's lines of a title are left out (a run sums them in SQL).
    `where`: only the lines it selects (a condition on RevenueLine)."""
    lines = select(*OPEN_LINE_COLUMNS).join(ImportBatch).where(ImportBatch.status == BatchStatus.IMPORTED)
    if where is not None:
        lines = lines.where(where)
    of_the_period = lines.where(RevenueLine.period_end.between(start, end))
    if not titles_of_the_period:
        of_the_period = of_the_period.where(RevenueLine.title_id.is_(None), RevenueLine.library_id.is_not(None))
    # Two queries: one condition with OR would read every line of the period to find a few.
    found = list(session.execute(of_the_period)) + list(session.execute(
        lines.where(RevenueLine.period_end < start, ~on_issued())))
    return sorted(found, key=lambda line: line.id)


# -- what is on no statement ----------------------------------------------------------------------


class Unstated(NamedTuple):
    """An imported line, or the part of it, that no statement holds, and why. A named tuple: one
    object a line, where a dataclass's instance is two (it and its attributes' dict), and the
    Revenue screen holds a hundred thousand after a month-end import (issue 15)."""

    line_id: int
    source: str
    identifier: str
    period_start: date
    period_end: date
    territory: str
    currency: str
    amount: Decimal  # in the line's own currency
    reason: str


@dataclass
class Reconciliation:
    """Per currency, over all periods: imported = on statements + listed, to the cent."""

    imported: dict[str, Decimal] = field(default_factory=dict)
    on_statements: dict[str, Decimal] = field(default_factory=dict)
    listed: dict[str, Decimal] = field(default_factory=dict)
    lines: list[Unstated] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return all(self.imported.get(c, ZERO) == self.on_statements.get(c, ZERO) + self.listed.get(c, ZERO)
                   for c in self.currencies)

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.imported) | set(self.on_statements) | set(self.listed))


def reconcile(session: Session) -> Reconciliation:
    """Every imported line against the statements (drafts and issued) that hold it; what is not
    held in full is listed with the reason: no title matched, no signed grant covers it, the
    deal has no royalty terms, or the statement that will take it has not been run yet."""
    result = Reconciliation()
    held = (select(StatementRevenue.revenue_line_id.label("line_id"), func.sum(StatementRevenue.source_amount).label("held"))
            .group_by(StatementRevenue.revenue_line_id).subquery())
    # stored integers (millionths) throughout: sums and comparisons in SQL stay exact
    gross = type_coerce(RevenueLine.gross_amount, BigInteger)
    # a line held whole (statement_title_revenue) is held in full by each statement that does
    held_whole_times = held_whole().with_only_columns(func.count()).scalar_subquery()
    amount_held = func.coalesce(type_coerce(held.c.held, BigInteger), 0) + gross * held_whole_times
    imported = (select(RevenueLine.currency, func.sum(gross), func.sum(amount_held))
                .join(ImportBatch, ImportBatch.id == RevenueLine.batch_id)
                .outerjoin(held, held.c.line_id == RevenueLine.id).where(ImportBatch.status == BatchStatus.IMPORTED))
    # Sums in SQL (exact: stored integers), then only the lines not held in full as objects:
    # a month-end imports a million lines.
    for currency, total, on_statements in session.execute(imported.group_by(RevenueLine.currency)):
        result.imported[currency] = Decimal(int(total)).scaleb(-6)
        result.on_statements[currency] = Decimal(int(on_statements)).scaleb(-6)
    # Rows read like a RevenueLine, by attribute, not ORM objects: after a month-end's run a
    # few hundred thousand lines wait for other deals' statements (objects: ~40 % of the time).
    lines = session.execute(
        select(RevenueLine.id, RevenueLine.title_id, RevenueLine.library_id, RevenueLine.reported_identifier,
               RevenueLine.period_start, RevenueLine.period_end, RevenueLine.territory_code, RevenueLine.media_code,
               RevenueLine.currency, RevenueLine.gross_amount, RevenueSource.name.label("source"),
               amount_held.label("held"))
        .join(ImportBatch, ImportBatch.id == RevenueLine.batch_id)
        .join(RevenueSource, RevenueSource.id == ImportBatch.source_id)
        .outerjoin(held, held.c.line_id == RevenueLine.id).where(ImportBatch.status == BatchStatus.IMPORTED,
                                                                 amount_held != gross)
        .order_by(RevenueLine.id)).all()
    reasons = _reasons(session, lines)
    for line in lines:
        missing = line.gross_amount - Decimal(int(line.held)).scaleb(-6)
        result.listed[line.currency] = result.listed.get(line.currency, ZERO) + missing
        result.lines.append(Unstated(line.id, line.source, line.reported_identifier, line.period_start, line.period_end,
                                     line.territory_code or "", line.currency, missing, reasons[line.id]))
    return result


def _reasons(session: Session, lines: list[Any]) -> dict[int, str]:
    """Why each line (a row read like a RevenueLine) is not held in full, by line id."""
    if not lines:
        return {}
    groups = reference.territory_groups(session)
    members_by_day = library_titles_by_day(session, lines)
    members = {line.id: members_by_day[line.period_end].get(line.library_id, [])
               for line in lines if line.library_id is not None}
    title_ids = {l.title_id for l in lines if l.title_id} | {t for ts in members.values() for t in ts}
    rights = load_rights(session, title_ids, groups) if title_ids else {}
    with_terms = set(session.scalars(select(RoyaltyTerms.deal_id)))
    references = dict(session.execute(select(Deal.id, Deal.reference)).all())
    held: set[tuple[int, int]] = set()  # (line, title) parts a statement holds already
    for chunk in chunks([l.id for l in lines if l.library_id is not None]):
        held.update(session.execute(select(StatementRevenue.revenue_line_id, StatementRevenue.title_id).where(
            StatementRevenue.revenue_line_id.in_(chunk))).all())
    found = {}
    # the covering deals of a title on a day, in a territory and media (covering_deals), once:
    # after a month-end's run, two hundred thousand lines wait for other deals' statements
    covering: dict[tuple[int, date, str | None, str | None], list[int]] = {}
    for line in lines:
        if line.title_id is None and line.library_id is None:
            found[line.id] = "no title matched"
            continue
        titles = [t for t in ([line.title_id] if line.title_id is not None else members.get(line.id, []))
                  if (line.id, t) not in held]
        if not titles:
            found[line.id] = "the library held no titles on the line's day"
            continue
        uncovered, no_terms, not_run = 0, [], []
        for title_id in titles:
            key = (title_id, line.period_end, line.territory_code, line.media_code)
            deals = covering.get(key)
            if deals is None:
                deals = covering[key] = covering_deals(rights.get(title_id), line)
            governing = governing_of(deals, with_terms)
            if not deals:
                uncovered += 1
            elif governing is None:
                no_terms.append(references.get(deals[0], str(deals[0])))
            else:
                not_run.append(references.get(governing, str(governing)))
        reasons = []
        if uncovered:
            reasons.append("no signed grant covers it" if len(titles) == 1 else
                           f"no signed grant covers {uncovered} of its {len(titles)} titles")
        if no_terms:
            named = sorted(set(no_terms))
            reasons.append(f"deal{'s' if len(named) > 1 else ''} {', '.join(named)} "
                           f"{'have' if len(named) > 1 else 'has'} no royalty terms")
        if not_run:
            named = sorted(set(not_run))
            reasons.append(f"not run yet: the statement of deal{'s' if len(named) > 1 else ''} {', '.join(named)} "
                           "for this revenue")
        found[line.id] = "; ".join(reasons)
    return found


def late_lines(session: Session, batch_id: int) -> dict[str, int]:
    """Lines of a batch whose own period is already issued for the deal that governs them, by
    where they will go: "<deal reference> (next statement after <period>)"."""
    issued: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
    for deal_id, start, end, label in session.execute(select(
            Statement.deal_id, Statement.period_start, Statement.period_end, Statement.period_label)
            .where(Statement.status == StatementStatus.ISSUED)).all():
        issued[deal_id].append((start, end, label))
    if not issued:
        return {}
    # only lines of periods some statement has issued can be late (and most imports have none)
    last_issued = max(end for periods in issued.values() for _, end, _ in periods)
    lines = list(session.execute(select(RevenueLine.id, RevenueLine.title_id, RevenueLine.period_end,
                                        RevenueLine.territory_code, RevenueLine.media_code).where(
        RevenueLine.batch_id == batch_id, RevenueLine.title_id.is_not(None), RevenueLine.period_end <= last_issued)))
    if not lines:
        return {}
    rights = load_rights(session, {l.title_id for l in lines if l.title_id}, reference.territory_groups(session))
    with_terms = set(session.scalars(select(RoyaltyTerms.deal_id)))
    references = dict(session.execute(select(Deal.id, Deal.reference)).all())
    found: dict[str, int] = defaultdict(int)
    for line in lines:
        deal_id = governing_deal(rights.get(line.title_id), line, with_terms)
        label = next((label for start, end, label in issued.get(deal_id, []) if start <= line.period_end <= end), None)
        if label is not None:
            found[f"{references[deal_id]} ({label} is issued)"] += 1
    return dict(found)
