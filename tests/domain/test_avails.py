"""The avails engine, scenario by scenario, and against a day-by-day oracle."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsdesk.domain.avails import (
    AvailsQuery,
    Coverage,
    DateMatch,
    Restriction,
    RightsGrant,
    Status,
    TitleRights,
    answer,
)
from rightsdesk.domain.enums import DealDirection

IN, OUT = DealDirection.IN, DealDirection.OUT
SEA = frozenset({"TH", "ID", "VN", "PH", "MY"})
_ids = iter(range(1, 10**6))


def grant(direction, territories, media, start=None, end=None, *, exclusive=True, languages=(), party="Party"):
    grant_id = next(_ids)
    return RightsGrant(grant_id, grant_id, f"{direction.value.upper()}-{grant_id}", party, direction, exclusive,
                       frozenset(territories), frozenset(media), frozenset(languages), start, end)


def title(*grants, restrictions=(), episodes=80, coverage=None):
    coverage = coverage or {}
    return TitleRights(1, episodes, [coverage.get(g, Coverage(g, None, None)) for g in grants], list(restrictions))


def ask(rights, territories=("TH",), media=("APP",), start=date(2026, 1, 1), end=date(2026, 12, 31), **options):
    query = AvailsQuery((1,), tuple(territories), tuple(media), start, end, **options)
    return answer(query, [rights])


ACQUIRED = grant(IN, SEA | {"US", "BR"}, {"APP", "AVOD", "FAST"}, date(2025, 1, 1), None, party="Golden Reel")


def test_a_right_acquired_in_and_not_licensed_out_is_available():
    cell = ask(title(ACQUIRED)).cell(1, "TH", "APP")
    assert cell.status is Status.AVAILABLE and cell.available
    assert "acquired exclusively from Golden Reel" in cell.reasons[0].explanation


def test_without_an_in_grant_nothing_is_available():
    result = ask(title(ACQUIRED), territories=("FR",), media=("APP", "SVOD"))
    assert result.cell(1, "FR", "APP").status is Status.NOT_ACQUIRED
    assert result.cell(1, "FR", "SVOD").status is Status.NOT_ACQUIRED
    assert not result.cell(1, "FR", "APP").available


def test_an_exclusive_out_grant_blocks_every_request_and_names_its_deal():
    sold = grant(OUT, SEA, {"APP"}, date(2026, 3, 1), date(2027, 2, 28), party="ShortMax")
    cell = ask(title(ACQUIRED, sold), exclusive=False).cell(1, "TH", "APP")
    assert cell.status is Status.LICENSED_EXCLUSIVE and not cell.available
    blocked = [s for s in cell.segments if s.status is Status.LICENSED_EXCLUSIVE]
    assert blocked[0].start == date(2026, 3, 1) and blocked[0].end == date(2026, 12, 31)
    assert blocked[0].reasons[0].deal_reference == sold.deal_reference
    assert blocked[0].reasons[0].grant_id == sold.grant_id
    assert "ShortMax" in blocked[0].reasons[0].explanation
    # the status changes inside the asked term: available until the OUT grant starts
    assert cell.segments[0].status is Status.AVAILABLE and cell.segments[0].end == date(2026, 2, 28)


def test_a_non_exclusive_out_grant_leaves_non_exclusive_avails_only():
    sold = grant(OUT, {"TH"}, {"AVOD"}, date(2026, 1, 1), date(2026, 12, 31), exclusive=False)
    rights = title(ACQUIRED, sold)
    non_exclusive = ask(rights, media=("AVOD",), exclusive=False).cell(1, "TH", "AVOD")
    exclusive = ask(rights, media=("AVOD",), exclusive=True).cell(1, "TH", "AVOD")
    assert non_exclusive.status is exclusive.status is Status.LICENSED_NON_EXCLUSIVE
    assert non_exclusive.available and not exclusive.available


def test_rights_held_non_exclusively_can_only_be_licensed_non_exclusively():
    held = grant(IN, {"US"}, {"FAST"}, date(2025, 1, 1), date(2030, 12, 31), exclusive=False)
    rights = title(held)
    assert ask(rights, territories=("US",), media=("FAST",)).cell(1, "US", "FAST").available
    cell = ask(rights, territories=("US",), media=("FAST",), exclusive=True).cell(1, "US", "FAST")
    assert cell.status is Status.ACQUIRED_NON_EXCLUSIVE and not cell.available


def test_term_ends_are_inclusive_days():
    ends = grant(IN, {"TH"}, {"APP"}, date(2026, 1, 1), date(2026, 6, 30))
    rights = title(ends)
    assert ask(rights, start=date(2026, 6, 30), end=date(2026, 6, 30)).cell(1, "TH", "APP").available
    assert not ask(rights, start=date(2026, 7, 1), end=date(2026, 7, 1)).cell(1, "TH", "APP").available
    out = grant(OUT, {"TH"}, {"APP"}, date(2026, 3, 1), date(2026, 3, 31))
    cell = ask(title(ends, out), start=date(2026, 3, 31), end=date(2026, 4, 1)).cell(1, "TH", "APP")
    assert [(s.start, s.end, s.status) for s in cell.segments] == [
        (date(2026, 3, 31), date(2026, 3, 31), Status.LICENSED_EXCLUSIVE),
        (date(2026, 4, 1), date(2026, 4, 1), Status.AVAILABLE),
    ]


def test_open_ended_terms_stay_open():
    forever = grant(OUT, {"TH"}, {"APP"}, date(2026, 6, 1), None)
    cell = ask(title(ACQUIRED, forever), start=date(2040, 1, 1), end=None).cell(1, "TH", "APP")
    assert cell.status is Status.LICENSED_EXCLUSIVE
    assert cell.segments[-1].end is None
    assert "open end" in cell.reasons[0].explanation


def test_whole_term_against_any_part_matching():
    ends = grant(IN, {"TH"}, {"APP"}, date(2026, 1, 1), date(2026, 6, 30))
    rights = title(ends)
    whole = ask(rights, match=DateMatch.WHOLE_TERM).cell(1, "TH", "APP")
    part = ask(rights, match=DateMatch.ANY_PART).cell(1, "TH", "APP")
    assert (whole.status, whole.available) == (Status.NOT_ACQUIRED, False)
    assert (part.status, part.available) == (Status.AVAILABLE, True)
    assert part.partial and part.segments[1].start == date(2026, 7, 1)


def test_holdback_blocks_its_media_and_territories_only():
    holdback = Restriction(Status.HOLDBACK, frozenset({"TH"}), frozenset({"AVOD", "FAST"}), date(2026, 1, 1),
                           date(2026, 4, 1), "no AVOD or FAST until 90 days after the APP release", 9, 9, "OUT-9")
    result = ask(title(ACQUIRED, restrictions=[holdback]), territories=("TH", "ID"), media=("APP", "AVOD"))
    assert result.cell(1, "TH", "AVOD").status is Status.HOLDBACK
    assert result.cell(1, "TH", "AVOD").reasons[0].deal_reference == "OUT-9"
    assert result.cell(1, "TH", "APP").status is Status.AVAILABLE
    assert result.cell(1, "ID", "AVOD").status is Status.AVAILABLE
    segments = result.cell(1, "TH", "AVOD").segments
    assert segments[1].start == date(2026, 4, 2) and segments[1].status is Status.AVAILABLE


def test_languages_limit_what_was_acquired_and_what_blocks():
    thai_only = grant(IN, {"TH"}, {"APP"}, date(2025, 1, 1), None, languages={"th"})
    assert ask(title(thai_only), languages=frozenset({"th"})).cell(1, "TH", "APP").available
    cell = ask(title(thai_only), languages=frozenset({"en"})).cell(1, "TH", "APP")
    assert cell.status is Status.NOT_ACQUIRED and "only in th" in cell.reasons[0].explanation
    # an English-only OUT grant does not block a Thai request
    english_sold = grant(OUT, {"TH"}, {"APP"}, date(2025, 1, 1), None, languages={"en"})
    assert ask(title(ACQUIRED, english_sold), languages=frozenset({"th"})).cell(1, "TH", "APP").available
    assert not ask(title(ACQUIRED, english_sold)).cell(1, "TH", "APP").available


@pytest.mark.parametrize(("granted", "asked", "available"), [
    ("zh-Hant", "zh-hant", True), ("zh-Hant", "zh-Hant-TW", True), ("ZH-HANT", "zh-Hant-TW", True),
    ("es", "es-419", True), ("es-419", "es", False), ("es-419", "es-ES", False), ("zh-Hant", "zh-Hans", False),
    ("pt", "pt-BR", True),
])
def test_languages_are_matched_as_bcp_47_tags(granted, asked, available):
    """RFC 4647 basic filtering, case-insensitive: a grant in a tag covers its more specific tags."""
    held = grant(IN, {"TH"}, {"APP"}, date(2025, 1, 1), None, languages={granted})
    assert ask(title(held), languages=frozenset({asked})).cell(1, "TH", "APP").available is available


@pytest.mark.parametrize(("sold_in", "asked", "blocked"), [
    ("zh-Hant", "zh-hant-tw", True), ("es-419", "es", True), ("es-419", "es-ES", False), ("zh-Hans", "zh-Hant", False),
])
def test_a_language_sold_blocks_the_requests_it_meets(sold_in, asked, blocked):
    sold = grant(OUT, {"TH"}, {"APP"}, date(2025, 1, 1), None, languages={sold_in})
    assert ask(title(ACQUIRED, sold), languages=frozenset({asked})).cell(1, "TH", "APP").available is not blocked


def test_episode_ranges():
    first_half = grant(IN, {"TH"}, {"APP"}, date(2025, 1, 1), None)
    rights = title(first_half, coverage={first_half: Coverage(first_half, None, None, episodes=(1, 40))})
    assert not ask(rights).cell(1, "TH", "APP").available  # the whole title was asked
    assert "only episodes 1-40" in ask(rights).cell(1, "TH", "APP").reasons[0].explanation
    assert ask(rights, episodes=(1, 40)).cell(1, "TH", "APP").available
    sold = grant(OUT, {"TH"}, {"APP"}, date(2025, 1, 1), None)
    rights = title(ACQUIRED, sold, coverage={sold: Coverage(sold, None, None, episodes=(1, 10))})
    assert not ask(rights, episodes=(5, 20)).cell(1, "TH", "APP").available
    assert ask(rights, episodes=(11, 80)).cell(1, "TH", "APP").available


def test_a_library_grant_reaches_a_title_only_while_it_is_in_the_library():
    library_deal = grant(OUT, {"TH"}, {"FAST"}, date(2026, 1, 1), date(2027, 12, 31))
    joined = Coverage(library_deal, date(2026, 7, 1), None, library="VL-ROMANCE")
    cell = ask(title(ACQUIRED, library_deal, coverage={library_deal: joined}), media=("FAST",)).cell(1, "TH", "FAST")
    assert [(s.start, s.status) for s in cell.segments] == [
        (date(2026, 1, 1), Status.AVAILABLE), (date(2026, 7, 1), Status.LICENSED_EXCLUSIVE)]
    assert "through library VL-ROMANCE" in cell.segments[1].reasons[0].explanation


def test_cells_reached_by_the_same_grants_share_one_answer():
    sold = grant(OUT, {"TH", "VN"}, {"APP"}, date(2026, 1, 1), date(2026, 12, 31))
    result = ask(title(ACQUIRED, sold), territories=sorted(SEA | {"FR"}), media=("APP", "AVOD"))
    assert result.cell(1, "TH", "APP") is result.cell(1, "VN", "APP")
    assert result.cell(1, "ID", "APP") is result.cell(1, "MY", "APP") is result.cell(1, "ID", "AVOD")
    counts = result.count()
    assert counts[Status.LICENSED_EXCLUSIVE] == 2 and counts[Status.NOT_ACQUIRED] == 2
    assert counts[Status.AVAILABLE] == 8
    assert sum(counts.values()) == len(list(result.cells())) == 12


# -- against a brute-force oracle ------------------------------------------------------------

DAY0 = date(2026, 1, 1)
TERRITORIES = ("AA", "BB", "CC")
MEDIA = ("M1", "M2")
LANGS = ("en", "th")


def day(n):
    return None if n is None else DAY0 + timedelta(days=n)


@st.composite
def terms(draw):
    start = draw(st.one_of(st.none(), st.integers(0, 25)))
    length = draw(st.one_of(st.none(), st.integers(0, 20)))
    end = None if length is None else (start or 0) + length
    return day(start), day(end)


@st.composite
def grants(draw):
    start, end = draw(terms())
    return grant(
        draw(st.sampled_from([IN, OUT])), draw(st.sets(st.sampled_from(TERRITORIES), min_size=1)),
        draw(st.sets(st.sampled_from(MEDIA), min_size=1)), start, end, exclusive=draw(st.booleans()),
        languages=draw(st.sets(st.sampled_from(LANGS), max_size=2)),
    )


@st.composite
def catalogues(draw):
    titles = []
    for title_id in (1, 2):
        coverages = []
        for g in draw(st.lists(grants(), max_size=5)):
            start, end = draw(terms())
            episodes = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(3, 5))))
            coverages.append(Coverage(g, start, end, episodes))
        restrictions = [
            Restriction(Status.HOLDBACK, frozenset(draw(st.sets(st.sampled_from(TERRITORIES), min_size=1))),
                        frozenset(draw(st.sets(st.sampled_from(MEDIA), min_size=1))), *draw(terms()), "holdback")
            for _ in range(draw(st.integers(0, 2)))
        ]
        titles.append(TitleRights(title_id, 5, coverages, restrictions))
    start = draw(st.integers(0, 30))
    query = AvailsQuery(
        (1, 2), TERRITORIES, MEDIA, day(start), day(start + draw(st.integers(0, 15))),
        languages=frozenset(draw(st.sets(st.sampled_from(LANGS), max_size=2))), exclusive=draw(st.booleans()),
        match=draw(st.sampled_from(list(DateMatch))),
        episodes=draw(st.one_of(st.none(), st.just((2, 4)))),
    )
    return titles, query


def within(d, start, end):
    return (start is None or start <= d) and (end is None or d <= end)


def oracle_status(rights, query, territory, media, d):
    asked = query.episodes or (1, rights.episode_count)
    held, out_excl, out_non, held_excl = False, False, False, False
    for c in rights.coverages:
        g = c.grant
        if not (territory in g.territories and media in g.media and within(d, g.start, g.end) and within(d, c.start, c.end)):
            continue
        if g.direction is IN:
            langs_ok = not g.languages or (query.languages and query.languages <= g.languages)
            eps_ok = c.episodes is None or (c.episodes[0] <= asked[0] and asked[1] <= c.episodes[1])
            if langs_ok and eps_ok:
                held = True
                held_excl |= g.exclusive
        else:
            langs = not g.languages or not query.languages or g.languages & query.languages
            eps = c.episodes is None or (c.episodes[0] <= asked[1] and asked[0] <= c.episodes[1])
            if langs and eps:
                out_excl |= g.exclusive
                out_non |= not g.exclusive
    if not held:
        return Status.NOT_ACQUIRED
    if out_excl:
        return Status.LICENSED_EXCLUSIVE
    if any(territory in r.territories and media in r.media and within(d, r.start, r.end) for r in rights.restrictions):
        return Status.HOLDBACK
    if out_non:
        return Status.LICENSED_NON_EXCLUSIVE
    return Status.AVAILABLE if held_excl else Status.ACQUIRED_NON_EXCLUSIVE


@settings(max_examples=300, deadline=None)
@given(catalogues())
def test_the_engine_agrees_with_a_day_by_day_oracle(catalogue):
    titles, query = catalogue
    result = answer(query, titles)
    by_id = {t.title_id: t for t in titles}
    days = [query.start + timedelta(days=n) for n in range((query.end - query.start).days + 1)]
    for title_id, territory, media, cell in result.cells():
        expected = [oracle_status(by_id[title_id], query, territory, media, d) for d in days]
        got = []
        for segment in cell.segments:
            got += [segment.status] * (((segment.end or query.end) - (segment.start or query.start)).days + 1)
        assert got == expected, (title_id, territory, media)
        # adjacent segments differ, and the segments tile the asked term exactly
        assert all(a.status != b.status or a.reasons != b.reasons for a, b in zip(cell.segments, cell.segments[1:]))
        allowed = [s.allows(query.exclusive) for s in expected]
        assert cell.available == (all(allowed) if query.match is DateMatch.WHOLE_TERM else any(allowed))
