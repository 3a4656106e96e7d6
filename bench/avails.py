"""Avails and conflict-check speed on the 20 000-title demo catalogue.

    .venv/bin/python bench/avails.py [--db bench/demo-20000.db] [--runs 15]

Builds the demo database on first use (about 20 s) and reuses it afterwards. Prints one
figure a line as `name: value unit`. The baseline answers the same questions cell by cell
with one plain SQL query per cell, as a straightforward implementation would.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rightsdesk.domain import conflicts  # noqa: E402
from rightsdesk.domain.enums import DealDirection, DealStatus  # noqa: E402
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft  # noqa: E402
from rightsdesk.domain.territories import ScopeItem, TerritoryScope  # noqa: E402
from rightsdesk.persistence import migrate  # noqa: E402
from rightsdesk.persistence.database import Database  # noqa: E402
from rightsdesk.persistence.models import Grant, Party, Title  # noqa: E402
from rightsdesk.services import avails, deals, reference  # noqa: E402
from rightsdesk.services.avails import AvailsRequest  # noqa: E402

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
LIBRARY_MEDIA = ("APP", "AVOD", "FAST", "SVOD")

CELL_SQL = text("""
SELECT d.direction, g.exclusive, g.term_start, g.term_end FROM "grant" g JOIN deal d ON d.id = g.deal_id
WHERE d.status = 'signed'
  AND (g.id IN (SELECT grant_id FROM grant_title WHERE title_id = :title)
       OR g.id IN (SELECT gl.grant_id FROM grant_library gl JOIN library_member lm ON lm.library_id = gl.library_id
                   WHERE lm.title_id = :title))
  AND EXISTS (SELECT 1 FROM grant_media gm WHERE gm.grant_id = g.id AND gm.media_code = :media)
  AND EXISTS (SELECT 1 FROM grant_territory gt WHERE gt.grant_id = g.id AND NOT gt.excluded AND (gt.territory_code = :country
              OR gt.group_id IN (SELECT group_id FROM territory_group_member WHERE territory_code = :country)))
  AND NOT EXISTS (SELECT 1 FROM grant_territory gt WHERE gt.grant_id = g.id AND gt.excluded AND (gt.territory_code = :country
              OR gt.group_id IN (SELECT group_id FROM territory_group_member WHERE territory_code = :country)))
  AND (g.term_start IS NULL OR g.term_start <= :last) AND (g.term_end IS NULL OR g.term_end >= :first)
""")


def sql_cell(session, title_id: int, country: str, media: str, first: date, last: date) -> bool:
    """One cell the plain way: held IN over the whole term, and no exclusive OUT overlapping."""
    held = blocked = False
    for direction, exclusive, start, end in session.execute(
            CELL_SQL, dict(title=title_id, media=media, country=country, first=first, last=last)):
        if direction == "in" and (start is None or str(start) <= str(first)) and (end is None or str(end) >= str(last)):
            held = True
        elif direction == "out" and exclusive:
            blocked = True
    return held and not blocked


def median_ms(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path(__file__).with_name("demo-20000.db"))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    database = Database(args.db)
    if not args.db.exists() or not migrate.check(database):
        from rightsdesk.services.demo import build_demo

        migrate.prepare(database)
        build_demo(database, titles=20000, seed=1)
    rng = random.Random(5)
    with database.read() as session:
        title_ids = list(session.scalars(select(Title.id)))
        countries = sorted(reference.country_codes(session))
        media = reference.media_codes(session)
        library_id = session.scalar(text("SELECT library_id FROM library_member GROUP BY library_id ORDER BY count(*) DESC LIMIT 1"))
        platform = session.scalar(select(Party.id).where(Party.kind == "platform").limit(1))
        groups = reference.territory_groups(session)
    sample = rng.sample(title_ids, args.runs * 2)

    with database.read() as session:
        avails.ask(session, AvailsRequest("WORLD", *YEAR, titles=(sample[0],)))  # warm up
        picks = iter(sample)
        one = median_ms(args.runs, lambda: avails.ask(session, AvailsRequest("WORLD", *YEAR, titles=(next(picks),))))
        cells_one = len(countries) * len(media)
        print(f"avails_one_title_median: {one:.1f} ms")
        print(f"avails_one_title_cells: {cells_one} cells")

        library = median_ms(3, lambda: avails.ask(session, AvailsRequest("WORLD", *YEAR, library_id=library_id, media=LIBRARY_MEDIA)))
        library_titles = len(avails.ask(session, AvailsRequest("WORLD", *YEAR, library_id=library_id, media=LIBRARY_MEDIA)).result.query.titles)
        print(f"avails_library_median: {library:.1f} ms")
        print(f"avails_library_cells: {library_titles * len(countries) * len(LIBRARY_MEDIA)} cells")

        started = time.perf_counter()
        for country in countries:
            for medium in media:
                sql_cell(session, sample[1], country, medium, *YEAR)
        baseline_one = (time.perf_counter() - started) * 1000
        print(f"baseline_sql_one_title: {baseline_one:.1f} ms")
        print(f"baseline_ratio_one_title: {baseline_one / one:.0f} x")

        members = list(session.scalars(text("SELECT title_id FROM library_member WHERE library_id = :l"), dict(l=library_id)))
        cells = [(rng.choice(members), rng.choice(countries), rng.choice(LIBRARY_MEDIA)) for _ in range(2000)]
        started = time.perf_counter()
        for cell in cells:
            sql_cell(session, *cell, *YEAR)
        per_cell = (time.perf_counter() - started) / len(cells)
        baseline_library = per_cell * library_titles * len(countries) * len(LIBRARY_MEDIA) * 1000
        print(f"baseline_sql_library_extrapolated: {baseline_library:.0f} ms")
        print(f"baseline_ratio_library: {baseline_library / library:.0f} x")

    # The conflict check of one new OUT grant, WORLD x 3 media, on one title, as a save makes it.
    timings, sql_timings = [], []
    for title_id in sample[args.runs:args.runs * 2]:
        with database.transaction() as session:
            saved = deals.save_deal(session, DealDraft(
                DealDirection.OUT, platform, f"BENCH-{title_id}", status=DealStatus.DRAFT, grants=[GrantDraft(
                    titles=[GrantTitleDraft(title_id)], territories=TerritoryScope((ScopeItem("WORLD", True),)),
                    media=["APP", "AVOD", "FAST"], term_start=YEAR[0], term_end=YEAR[1], exclusive=True)]), user="bench")
            started = time.perf_counter()
            grant_id = session.scalar(select(Grant.id).where(Grant.deal_id == saved.deal_id))
            reach = deals._reach(session, grant_id, groups)
            rights = avails.load_rights(session, reach, groups, include_deal=saved.deal_id, without_grants=[grant_id])
            conflicts.clashes(reach, rights)
            timings.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            for country in countries:
                for medium in ("APP", "AVOD", "FAST"):
                    sql_cell(session, title_id, country, medium, *YEAR)
            sql_timings.append((time.perf_counter() - started) * 1000)
            session.rollback()
    check = statistics.median(timings)
    print(f"conflict_check_world_3_media_median: {check:.1f} ms")
    print(f"baseline_sql_conflict_check: {statistics.median(sql_timings):.1f} ms")
    print(f"baseline_ratio_conflict_check: {statistics.median(sql_timings) / check:.0f} x")
    database.dispose()


if __name__ == "__main__":
    main()
