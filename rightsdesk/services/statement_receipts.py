"""The revenue a statement run takes, set-wise: a month-end is a million imported lines.

A statement's gross receipts line is a sum: the revenue lines of one title (or the parts of a
library's lines split to it), media, territory, revenue type, period and currency, converted at
one rate, rounded once (DOMAIN.md: round at each statement line). Which lines each statement
holds is written exactly: by import batch and title where all of a title's lines of the period
go to one statement (`statement_title_revenue`, most titles), else line by line
(`statement_revenue`).

The period's lines of a title are summed in SQL on the stored scaled integers (exact) and the
deal that governs each (title, day, territory, media) is decided once (statement_revenue.
Governing); which lines that makes is written with one INSERT ... SELECT. A library's lines
(split by weights) and lines of earlier periods (late revenue, checked against issued and
earlier draft statements) are few and read one by one, by the rules of statement_revenue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from rightsdesk.domain import royalties
from rightsdesk.domain.enums import BatchStatus, LibrarySplitRule, StatementStatus
from rightsdesk.persistence.models import (
    Deal,
    Episode,
    Grant,
    GrantLibrary,
    GrantTitle,
    ImportBatch,
    LibraryMember,
    RevenueLine,
    RoyaltyTerms,
    Statement,
    StatementRevenue,
    StatementTitleRevenue,
)
from rightsdesk.persistence.bulk import Snapshot, insert_plain, plain_day, query_beside
from rightsdesk.services import fx, reference
from rightsdesk.services.avails import load_rights
from rightsdesk.services.listing import chunks
from rightsdesk.services.statement_revenue import Governing, issued_parts, library_titles_by_day, open_lines

ZERO = Decimal(0)

# (title, library, split basis, media, territory, revenue type, period start, period end,
# currency, of this period): what one gross receipts line sums
GroupKey = tuple[int, int | None, Decimal | None, str | None, str | None, str, date, date, str, bool]


@dataclass(slots=True)
class Group:
    amount: int = 0  # in the lines' currency, in millionths (as stored: persistence.base.ScaledDecimal)
    lines: int = 0
    first_line: int = 0  # the revenue line, when the group is one line


@dataclass
class Revenue:
    """What the due deals' statements take: groups by deal, the parts read line by line
    (deal, line, title, amount) and the (title, day, territory, media) keys whose lines of the
    period were summed in SQL, with their deal."""

    groups: dict[int, dict[GroupKey, Group]] = field(default_factory=lambda: defaultdict(dict))
    parts: list[tuple[int, int, int, int]] = field(default_factory=list)  # amounts in millionths
    late: list[int] = field(default_factory=list)  # lines of earlier periods the drafts take
    keys: dict[tuple[int, str | None, str | None, date], int | None] = field(default_factory=dict)  # None: ungoverned
    # A title whose period's lines all go one way (one deal's statement, or none governs them),
    # as most do, is held by import batch (`batches`) or listed by its id alone; only the lines
    # of a title that goes several ways (`mixed`) are joined on the whole key, which costs
    # several times more.
    one_way: dict[int, int | None] = field(default_factory=dict)
    mixed: set[int] = field(default_factory=set)
    # (title, import batch) of the period's lines summed in SQL that go to a drafting deal
    batches: set[tuple[int, int]] = field(default_factory=set)
    ungoverned: bool = False  # some of the period's lines of a title no deal with terms governs
    # The run's figures by currency: the period's lines imported and, of those summed in SQL,
    # those allocated (in millionths); of those read line by line, those allocated.
    imported: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    summed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    allocated: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def merge(self, other: Revenue) -> None:
        """Take in what another process gathered of the same period for its share of the
        deals (Share): its titles are none of these, its groups are drafted there."""
        self.one_way.update(other.one_way)
        self.mixed |= other.mixed
        self.keys.update(other.keys)
        self.batches |= other.batches
        self.ungoverned = self.ungoverned or other.ungoverned
        self.parts += other.parts
        self.late = sorted(self.late + other.late)
        for mine, theirs in ((self.imported, other.imported), (self.summed, other.summed),
                             (self.allocated, other.allocated)):
            for currency, amount in theirs.items():
                mine[currency] += amount

    def figures(self, result: Any) -> None:
        """The run's imported, allocated and left-out totals, by currency."""
        allocated = defaultdict(Decimal, self.allocated)
        for currency, amount in self.summed.items():
            allocated[currency] += Decimal(amount).scaleb(-6)
        result.imported = {currency: Decimal(amount).scaleb(-6) for currency, amount in sorted(self.imported.items())}
        result.allocated = dict(allocated)
        result.left_out = {c: a - allocated.get(c, ZERO) for c, a in result.imported.items()}
        result.late_lines = self.late

    def settle(self, title_id: int, territory: str | None, media: str | None, day: date, deal_id: int | None,
               drafting: bool) -> None:
        """Note which way a (title, territory, media, day) of the period goes: to a drafting
        deal (its lines are then in that deal's groups), to no deal, or elsewhere."""
        way = deal_id if drafting or deal_id is None else -1  # -1: another deal's (or an issued) statement
        if title_id in self.mixed:
            pass
        elif title_id not in self.one_way:
            self.one_way[title_id] = way
        elif self.one_way[title_id] != way:
            self.mixed.add(title_id)
        if deal_id is None:
            # A drafting deal's keys are read back from its groups (keep_mixed_keys): a key
            # per group of a million lines is memory and time spent for the rare mixed title.
            self.keys[(title_id, territory, media, day)] = None
            self.ungoverned = True

    def keep_mixed_keys(self) -> None:
        """The keys (and their deal) of the titles whose lines go several ways, the only ones
        joined on the whole key; called once the period's sums are in the groups."""
        mixed = self.mixed
        keys = {key: deal_id for key, deal_id in self.keys.items() if key[0] in mixed}
        if mixed:
            for deal_id, groups in self.groups.items():
                for title_id, library_id, _, media, territory, _, _, day, _, in_period in groups:
                    if title_id in mixed and library_id is None and in_period:  # a group summed in SQL
                        keys[(title_id, territory, media, day)] = deal_id
        self.keys = keys


class Quotes:
    """fx.quote, once per currency pair and day."""

    def __init__(self, session: Session):
        self.session, self.found = session, {}  # type: ignore[var-annotated]

    def __call__(self, base: str, quote: str, day: date) -> fx.Quote:
        key = (base, quote, day)
        if key not in self.found:
            self.found[key] = fx.quote(self.session, base, quote, day)
        return self.found[key]


def period_lines(start: date, end: date) -> Any:
    return (ImportBatch.status == BatchStatus.IMPORTED) & RevenueLine.period_end.between(start, end)


@dataclass(frozen=True)
class Share:
    """The deals a second process drafts (statements: a month-end on both cores), as whole
    groups of deals no title is granted across, so that each process sums (and reads the late
    lines of) its own titles and no such line's deal is the other's. `beside`: this is the
    process drafting them; else it is the one drafting every other deal, whose titles are all
    the rest (titles no deal governs, lines that matched none), and which splits every
    library's lines."""

    deal_ids: frozenset[int]
    beside: bool
    # In the process drafting the rest: how the groups of the libraries' lines that go to the
    # share's deals reach the other (which does not read those lines).
    hand_over: Callable[[dict[int, dict[GroupKey, Group]]], None] | None = field(default=None, compare=False)

    def keeps(self, deal_id: int) -> bool:
        """Whether this process drafts the deal."""
        return (deal_id in self.deal_ids) == self.beside

    def lines(self) -> Any:
        """Which revenue lines this process sums (a condition on RevenueLine)."""
        titles = _granted(sorted(self.deal_ids))
        if self.beside:
            # (+ 0: the lines are found by their period, not title by title through every
            # period's lines: SQLite would take the title index for an IN)
            return (RevenueLine.title_id + 0).in_(titles)
        return RevenueLine.title_id.is_(None) | RevenueLine.title_id.not_in(titles)


def gather(session: Session, terms_by_deal: dict[int, RoyaltyTerms], drafting: dict[int, RoyaltyTerms],
           drafted_to: dict[int, date], start: date, end: date, result: Any, minor: dict[str, int],
           share: Share | None = None, snapshot: Snapshot | None = None) -> Revenue:
    """The revenue each drafting deal's statement of [start, end] takes (those of this
    process's `share`, when two draft a month-end); fills the run's unmatched and ungoverned
    lines, and the Revenue's figures (Revenue.figures). `snapshot`: the session's, taken
    before it wrote its temporary tables (bulk.query_beside)."""
    revenue = Revenue()
    in_period = period_lines(start, end)
    mine = share.lines() if share is not None else None  # (the lines of this process's titles)
    # Plain values (the stored integers, the enum's value, the day as the driver gives it):
    # there can be a row for every line.
    raw = lambda column, kind: sa.type_coerce(column, kind)  # noqa: E731
    sums = (select(RevenueLine.title_id, RevenueLine.territory_code, RevenueLine.media_code,
                   raw(RevenueLine.revenue_type, sa.String), raw(RevenueLine.period_start, sa.String),
                   raw(RevenueLine.period_end, sa.String), RevenueLine.currency,
                   # (an integer on PostgreSQL too, where the sum of bigints is a numeric: a
                   # Decimal a row; one out of range is refused, never rounded)
                   sa.cast(func.sum(raw(RevenueLine.gross_amount, sa.BigInteger)), sa.BigInteger), func.count(),
                   func.min(RevenueLine.id), RevenueLine.batch_id)
            # all the period's lines (of this process's share): what was imported is summed here too
            .join(ImportBatch).where(in_period if mine is None else in_period & mine)
            # (by import batch too: a title's lines that go one way are held by batch, record_holdings)
            .group_by(RevenueLine.title_id, RevenueLine.territory_code, RevenueLine.media_code,
                      RevenueLine.revenue_type, RevenueLine.period_start, RevenueLine.period_end, RevenueLine.currency,
                      RevenueLine.batch_id))
    # The database sorts and sums the period's lines on the other core (query_beside) while the
    # rest is read and the libraries' and late lines are split, line by line.
    with query_beside(session, sums, snapshot) as summed:
        beside = share is not None and share.beside
        if not beside:
            result.unmatched_lines = list(session.scalars(select(RevenueLine.id).join(ImportBatch).where(
                in_period, RevenueLine.title_id.is_(None), RevenueLine.library_id.is_(None)).order_by(RevenueLine.id)))
        # Libraries' lines (split by the process drafting the rest, which hands the share's
        # groups of them over), and earlier periods' (each process those of its own titles).
        lines = open_lines(session, end, start, titles_of_the_period=False, where=mine)
        groups = reference.territory_groups(session)
        members_by_day = library_titles_by_day(session, lines)
        # Only a title some deal with terms was granted can have a governing deal (of this
        # process's share: its lines are summed here).
        governors = [d for d in terms_by_deal if share is None or share.keeps(d)]
        title_ids = _granted_titles(session, governors) | {l.title_id for l in lines if l.title_id} | {
            t for found in members_by_day.values() for ts in found.values() for t in ts}
        rights = load_rights(session, title_ids, groups, grants_only=True) if title_ids else {}
        governing = Governing(rights, terms_by_deal)
        _line_by_line(session, lines, terms_by_deal, drafting, drafted_to, start, members_by_day, rights, governing,
                      revenue, result, minor)
        if share is not None and share.hand_over is not None:
            share.hand_over({d: revenue.groups.pop(d) for d in [d for d in revenue.groups if not share.keeps(d)]})
        del lines, members_by_day  # (tens of MB at a month-end, which the sums below can take instead)
        days: dict[Any, date] = {}

        def day(value: Any) -> date:  # SQLite hands dates back as ISO text
            if value not in days:
                days[value] = date.fromisoformat(value) if isinstance(value, str) else value
            return days[value]

        micros, imported = revenue.summed, revenue.imported
        # A row per group, and a month-end can have hundreds of thousands: plain values, streamed.
        resolve, settle, groups_by_deal, batches = governing.resolve, revenue.settle, revenue.groups, revenue.batches
        same: Callable[[Any, Any], Any] = {}.setdefault
        for title_id, territory, media, kind, period_start, period_end, currency, amount, count, first, batch in summed():
            amount = int(amount)
            imported[currency] += amount
            if title_id is None:
                continue  # libraries' lines (split above) and lines that matched no title, summed together
            period_end = days.get(period_end) or day(period_end)
            deal_id = resolve(title_id, period_end, territory, media)
            drafted = deal_id in drafting
            settle(title_id, territory, media, period_end, deal_id, drafted)
            if not drafted:
                continue  # no deal with terms governs it, another deal's period, or a statement issued already
            batches.add((title_id, batch))
            key = (title_id, None, None, media, territory, kind, days.get(period_start) or day(period_start),
                   period_end, currency, True)
            groups = groups_by_deal[deal_id]
            group = groups.get(key)
            if group is None:
                # The key kept holds one object for each text and title (the driver makes new
                # ones every row): ~230 bytes a group, 90 MB at a month-end
                key = (same(title_id, title_id), None, None, same(media, media), same(territory, territory),
                       same(kind, kind), key[6], period_end, same(currency, currency), True)
                groups[key] = Group(amount, count, first)
            else:
                group.amount += amount
                group.lines += count
            micros[currency] += amount
    revenue.keep_mixed_keys()
    return revenue


def _grants(deal_ids: list[int]) -> tuple[Any, Any]:
    """(deal, title) for each title the deals were granted: directly, and through a library
    (ever a member); two SELECTs."""
    return (select(Grant.deal_id, GrantTitle.title_id).join(Grant).where(Grant.deal_id.in_(deal_ids)),
            select(Grant.deal_id, LibraryMember.title_id).join(
                GrantLibrary, GrantLibrary.library_id == LibraryMember.library_id)
            .join(Grant, Grant.id == GrantLibrary.grant_id).where(Grant.deal_id.in_(deal_ids)))


def _granted(deal_ids: list[int]) -> Any:
    """The titles the deals were granted (_grants): a SELECT."""
    return sa.union(*(grants.with_only_columns(grants.selected_columns[1]) for grants in _grants(deal_ids)))


def _granted_titles(session: Session, deal_ids: list[int]) -> set[int]:
    """The titles the deals were granted (_grants), read."""
    return {title_id for chunk in chunks(deal_ids) for title_id in session.scalars(_granted(chunk))}


def granted_pairs(session: Session, deal_ids: list[int]) -> Iterator[tuple[int, int]]:
    """(deal, title) for each title the deals were granted (_grants), read."""
    for chunk in chunks(deal_ids):
        for grants in _grants(chunk):
            yield from session.execute(grants)  # type: ignore[misc]


def _line_by_line(session: Session, lines: list[Any], terms_by_deal: dict[int, RoyaltyTerms],
                  drafting: dict[int, RoyaltyTerms], drafted_to: dict[int, date], start: date,
                  members_by_day: dict[date, dict[int, list[int]]], rights: dict, governing: Governing,  # type: ignore[type-arg]
                  revenue: Revenue, result: Any, minor: dict[str, int]) -> None:
    """Libraries' lines (split to their titles) and lines of earlier periods no issued statement
    holds (late revenue, unless an earlier draft of the deal takes it)."""
    issued = issued_parts(session, [l.id for l in lines if l.period_end < start])
    weights_by: dict[tuple[Any, ...], dict[int, Decimal]] = {}
    measures = _Measures(session, {t for found in members_by_day.values() for ts in found.values() for t in ts})
    late: set[int] = set()
    ungoverned: list[int] = []
    groups_by_deal, holdings, allocated = revenue.groups, revenue.parts, revenue.allocated
    # Each row unpacked once (a row's attributes cost a lookup each, ten per part of a line)
    for (line_id, _, _, period_start, period_end, territory, media, kind, title_id, library_id, gross,
         currency) in lines:
        in_period = period_end >= start
        if title_id is not None:
            parts: dict[int, tuple[Decimal, int | None, Decimal | None]] = {title_id: (gross, None, None)}
        else:
            members = members_by_day.get(period_end, {}).get(library_id, [])
            rule = _split_rule(terms_by_deal, members, rights)
            cache_key = (library_id, period_end, rule)
            if cache_key not in weights_by:
                weights_by[cache_key] = measures.weights(members, rule, period_end)
            weights = weights_by[cache_key]
            split = royalties.allocate(gross, weights, minor.get(currency, 2))
            parts = {title: (amount, library_id, weights[title]) for title, amount in split.items()}
        governed_any = False
        for part_title, (amount, part_library, basis) in parts.items():
            deal_id = governing(part_title, period_end, territory, media)
            if deal_id is None:
                continue
            governed_any = True
            if deal_id not in drafting:
                continue  # another deal's period, or a statement issued already
            if (line_id, deal_id) in issued or (not in_period and deal_id in drafted_to
                                                and period_end <= drafted_to[deal_id]):
                continue  # on an issued statement already, or an earlier draft takes it
            key = (part_title, part_library, basis, media, territory, kind.value, period_start, period_end, currency,
                   in_period)
            groups = groups_by_deal[deal_id]
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group()
            micros = int(amount.scaleb(6))  # a part has the line's places at most (six)
            group.amount += micros
            group.lines += 1
            group.first_line = line_id
            holdings.append((deal_id, line_id, part_title, micros))
            if in_period:
                allocated[currency] += amount
            else:
                late.add(line_id)
        if not governed_any and in_period:
            ungoverned.append(line_id)
    revenue.late = sorted(late)
    result.ungoverned_lines = ungoverned


def _split_rule(terms_by_deal: dict[int, RoyaltyTerms], members: list[int], rights: dict) -> LibrarySplitRule:  # type: ignore[type-arg]
    """The rule of the deal that governs the library's titles (the first one found)."""
    for title_id in members:
        for coverage in rights.get(title_id).coverages if rights.get(title_id) else []:
            terms = terms_by_deal.get(coverage.grant.deal_id)
            if terms is not None:
                return terms.library_split_rule
    return LibrarySplitRule.RUNTIME


class _Measures:
    """A library's split weights (LibrarySplitRule): runtimes and episode counts read once for
    all the libraries' titles, views once per day."""

    def __init__(self, session: Session, title_ids: set[int]):
        self.session, self.title_ids = session, sorted(title_ids)
        self.found: dict[Any, dict[int, Any]] = {}

    def weights(self, titles: list[int], rule: LibrarySplitRule, day: date) -> dict[int, Decimal]:
        if not titles:
            return {}
        if rule is LibrarySplitRule.EQUAL:
            return dict.fromkeys(titles, Decimal(1))
        key = (rule, day) if rule is LibrarySplitRule.VIEWS else rule
        if key not in self.found:
            self.found[key] = {}
            if rule is LibrarySplitRule.VIEWS:
                query = select(RevenueLine.title_id, func.sum(RevenueLine.units)).where(RevenueLine.period_end == day)
                column = RevenueLine.title_id
            else:
                measure = func.sum(Episode.runtime_seconds) if rule is LibrarySplitRule.RUNTIME else func.count(Episode.id)
                query, column = select(Episode.title_id, measure), Episode.title_id
            for chunk in chunks(self.title_ids):
                self.found[key].update(self.session.execute(query.where(column.in_(chunk)).group_by(column)).all())
        found = self.found[key]
        return {t: Decimal(found.get(t) or 0) for t in titles}


def quote_for(session: Session, quotes: Quotes, terms: RoyaltyTerms, group: Group, currency: str, day: date) -> fx.Quote:
    """The rate a group is converted at (the day by the deal's FX date rule); a missing rate
    names a line of the group."""
    try:
        return quotes(currency, terms.currency, day)
    except fx.MissingRate as missing:
        deal = session.get(Deal, terms.deal_id)
        row, batch = session.execute(select(RevenueLine.row_number, RevenueLine.batch_id).where(
            RevenueLine.id == group.first_line)).one()
        raise fx.MissingRate(f"{missing} (deal {deal.reference if deal else terms.deal_id}: row {row} "
                             f"of import batch {batch})") from missing


# -- which lines each statement holds ---------------------------------------------------------

def record_holdings(session: Session, revenue: Revenue, statement_of: dict[int, int], start: date, end: date,
                    result: Any) -> None:
    """Write which lines each new statement holds, and list the period's lines of a title no
    deal with terms governs. A title whose lines of the period all go to one statement is held
    by import batch and title (StatementTitleRevenue: the batches its sums came from, nothing
    read again). The period's lines of a title that go several ways are joined to a temporary
    table of the run's decisions on the whole key and held line by line; those of a title no
    deal governs, to a table of such titles, and listed."""
    if revenue.parts:
        insert_plain(session, "statement_revenue", ("statement_id", "revenue_line_id", "title_id", "source_amount"),
                     [(statement_of[deal_id], line_id, title_id, amount) for deal_id, line_id, title_id, amount in revenue.parts])
    mixed, one_way = revenue.mixed, revenue.one_way
    # (a title of `batches` that goes one way goes to the drafting deal its pairs were noted for)
    whole = [(statement_of[one_way[title_id]], batch_id, title_id)  # type: ignore[index]
             for title_id, batch_id in sorted(revenue.batches) if title_id not in mixed]
    if whole:
        insert_plain(session, StatementTitleRevenue.__tablename__, ("statement_id", "batch_id", "title_id"), whole)
    connection = session.connection()
    plain = plain_day(session)
    ungoverned_titles = [(title_id, None) for title_id, way in one_way.items() if way is None and title_id not in mixed]
    by_key = [(t, territory or "", media or "", plain(day), statement_of.get(deal_id))  # type: ignore[arg-type]
              for (t, territory, media, day), deal_id in revenue.keys.items() if t in mixed]
    lines = (select(RevenueLine.id).join(ImportBatch, ImportBatch.id == RevenueLine.batch_id)
             .where(period_lines(start, end)))
    ungoverned: list[int] = []

    def hold(table: sa.Table, rows: list[tuple[Any, ...]], on: Any) -> None:
        """The period's lines joined to the run's decisions in `table`: held line by line by
        their statement, or listed as ungoverned."""
        insert_plain(session, table.name, tuple(column.name for column in table.c), rows)
        joined = lines.join(table, on)
        if any(row[-1] is not None for row in rows):
            connection.execute(insert(StatementRevenue).from_select(
                ["statement_id", "revenue_line_id", "title_id", "source_amount"],
                joined.with_only_columns(table.c.statement_id, RevenueLine.id, RevenueLine.title_id,
                                         RevenueLine.gross_amount).where(table.c.statement_id.is_not(None))))
        if revenue.ungoverned:
            ungoverned.extend(session.scalars(joined.where(table.c.statement_id.is_(None))))
        connection.execute(table.delete())

    # Each join reads every line of the period (a million at a month-end): one with nothing
    # to join (no title goes several ways or ungoverned, the usual month) is not run at all.
    if ungoverned_titles:
        connection.exec_driver_sql("CREATE TEMPORARY TABLE IF NOT EXISTS run_title (title_id INTEGER PRIMARY KEY, "
                                   "statement_id INTEGER)")
        hold(RUN_TITLE, ungoverned_titles, RUN_TITLE.c.title_id == RevenueLine.title_id)
    if by_key:
        connection.exec_driver_sql("CREATE TEMPORARY TABLE IF NOT EXISTS run_key (title_id INTEGER, territory_code "
                                   "VARCHAR(32), media_code VARCHAR(32), period_end DATE, statement_id INTEGER)")
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_run_key ON run_key (title_id, period_end)")
        key = RUN_KEY.c
        hold(RUN_KEY, by_key, (key.title_id == RevenueLine.title_id) & (key.period_end == RevenueLine.period_end)
             & (key.territory_code == func.coalesce(RevenueLine.territory_code, ""))
             & (key.media_code == func.coalesce(RevenueLine.media_code, "")))
    result.ungoverned_lines = sorted(result.ungoverned_lines + ungoverned)


RUN_TITLE = sa.Table("run_title", sa.MetaData(), sa.Column("title_id", sa.Integer), sa.Column("statement_id", sa.Integer))
RUN_KEY = sa.Table("run_key", sa.MetaData(), sa.Column("title_id", sa.Integer), sa.Column("territory_code", sa.String),
                   sa.Column("media_code", sa.String), sa.Column("period_end", sa.Date),
                   sa.Column("statement_id", sa.Integer))


def earlier_drafts_end(session: Session, deal_ids: list[int], start: date) -> dict[int, date]:
    """For each deal with drafts before `start`, the last day the latest of them covers."""
    return dict(session.execute(select(Statement.deal_id, func.max(Statement.period_end)).where(
        Statement.deal_id.in_(deal_ids), Statement.period_start < start, Statement.status == StatementStatus.DRAFT)
        .group_by(Statement.deal_id)).all())
