"""Music clearance rules: timecodes, a licence's life, and where a title's music is cleared."""

from datetime import date

import pytest

from rightsdesk.domain.avails import Status
from rightsdesk.domain.enums import LicenceStatus
from rightsdesk.domain.music import (
    LicenceScope,
    TrackUse,
    clearance_restrictions,
    format_timecode,
    parse_timecode,
    transition_problem,
)

COUNTRIES = frozenset({"US", "CA", "GB", "TH", "BR"})
MEDIA = frozenset({"APP", "AVOD", "FAST"})
CLEARED = LicenceStatus.CLEARED


def licence(track, territories=COUNTRIES, media=frozenset(), start=None, end=None, sync=True, master=True, status=CLEARED):
    return LicenceScope(track, status, sync, master, frozenset(territories), frozenset(media), start, end)


def restrictions(uses, licences):
    return clearance_restrictions(uses, licences, countries=COUNTRIES, media=MEDIA)


def test_timecodes_read_and_write_as_editors_type_them():
    assert parse_timecode("01:30") == 90_000
    assert parse_timecode("1:02:03.5") == 3_723_500
    assert parse_timecode(" 00:07,250 ") == 7_250
    assert format_timecode(90_000) == "01:30" and format_timecode(3_723_500) == "01:02:03.500"
    for bad in ("90", "1:60", "ab:cd", "01:30.1234", ""):
        with pytest.raises(ValueError, match="is not a timecode"):
            parse_timecode(bad)


def test_licence_statuses_move_only_forward_or_back_to_asking():
    assert transition_problem(LicenceStatus.NOT_REQUESTED, LicenceStatus.REQUESTED) is None
    assert transition_problem(LicenceStatus.QUOTED, LicenceStatus.CLEARED) is None
    assert transition_problem(LicenceStatus.DENIED, LicenceStatus.REQUESTED) is None
    assert transition_problem(LicenceStatus.NOT_REQUESTED, LicenceStatus.CLEARED) == (
        "a not requested licence cannot become cleared (it can become: requested)")
    assert "cannot become" in transition_problem(LicenceStatus.CLEARED, LicenceStatus.QUOTED)


def test_a_title_with_every_cue_licensed_everywhere_is_cleared():
    uses = [TrackUse(n, f"Track {n}", (1, 2)) for n in range(1, 11)]
    assert restrictions(uses, [licence(n) for n in range(1, 11)]) == []


def test_one_uncleared_cue_among_many_blocks_the_title_and_names_the_track_and_episodes():
    uses = [TrackUse(n, f"Track {n}", (n,)) for n in range(1, 11)] + [TrackUse(99, "Rain Waltz", (3, 4, 5, 9))]
    found = restrictions(uses, [licence(n) for n in range(1, 11)])
    assert len(found) == 1
    only = found[0]
    assert only.status is Status.MUSIC_NOT_CLEARED and only.territories == COUNTRIES and only.media == MEDIA
    assert (only.start, only.end) == (None, None)
    assert only.explanation == "music not cleared: “Rain Waltz” (episodes 3–5, 9)"


def test_a_licence_for_part_of_the_world_leaves_the_rest_uncleared():
    found = restrictions([TrackUse(1, "Theme", (1,))], [licence(1, {"US", "CA"})])
    assert [(r.territories, r.media) for r in found] == [(frozenset({"GB", "TH", "BR"}), MEDIA)]


def test_an_expired_licence_clears_only_its_term():
    found = restrictions([TrackUse(1, "Theme", (1,))], [licence(1, start=date(2025, 1, 1), end=date(2026, 6, 30))])
    assert sorted((r.start or date.min, r.end or date.max) for r in found) == [
        (date.min, date(2024, 12, 31)), (date(2026, 7, 1), date.max)]


def test_sync_without_master_is_not_cleared_and_media_limits_count():
    sync_only = restrictions([TrackUse(1, "Theme", (1,))], [licence(1, master=False)])
    assert sync_only and sync_only[0].territories == COUNTRIES
    both = restrictions([TrackUse(1, "Theme", (1,))], [licence(1, master=False), licence(1, sync=False, media={"APP"})])
    assert [(r.territories, r.media) for r in both] == [(COUNTRIES, frozenset({"AVOD", "FAST"}))]


def test_licences_not_yet_cleared_clear_nothing():
    for status in (LicenceStatus.REQUESTED, LicenceStatus.QUOTED, LicenceStatus.DENIED, LicenceStatus.EXPIRED):
        assert restrictions([TrackUse(1, "Theme", (1,))], [licence(1, status=status)])[0].territories == COUNTRIES


# -- cue sheets ----------------------------------------------------------------------------------


def test_credits_are_read_as_cue_sheets_write_them():
    from decimal import Decimal

    from rightsdesk.domain.enums import CreditRole
    from rightsdesk.domain.music import CreditDraft, parse_credits, share_problems

    credits = parse_credits("Ana Ruiz (sgae) 50%; Lee Park (KOMCA) 33,5 %;\nAC/DC", CreditRole.COMPOSER)
    assert credits == [CreditDraft(CreditRole.COMPOSER, "Ana Ruiz", Decimal(50), "SGAE"),
                       CreditDraft(CreditRole.COMPOSER, "Lee Park", Decimal("33.5"), "KOMCA"),
                       CreditDraft(CreditRole.COMPOSER, "AC/DC")]
    assert [c.describe() for c in credits] == ["Ana Ruiz (SGAE) 50%", "Lee Park (KOMCA) 33.5%", "AC/DC"]
    with pytest.raises(ValueError, match="more than 100%"):
        parse_credits("Greedy 120%", CreditRole.PUBLISHER)
    assert share_problems(credits) == []
    assert share_problems(credits + parse_credits("Extra 20%", CreditRole.LYRICIST)) == [
        "the writers' shares add up to 103.5%, more than 100%"]


def test_usage_codes_by_code_or_words_and_totals_in_the_societies_order():
    from rightsdesk.domain.enums import UsageCode
    from rightsdesk.domain.music import CueDraft, parse_usage, usage_totals

    assert parse_usage(" bi ") is UsageCode.BI and parse_usage("Main Title") is UsageCode.MT
    with pytest.raises(ValueError, match="not a usage code"):
        parse_usage("loud")
    cues = [CueDraft("a", UsageCode.ET, 100, 200), CueDraft("b", UsageCode.BI, 0, 1000),
            CueDraft("c", UsageCode.BI, 5000, 5500)]
    assert usage_totals(cues) == [(UsageCode.BI, 2, 1500), (UsageCode.ET, 1, 100)]


@pytest.mark.parametrize("written", ["Cy Do (VCPMC) inf%", "Di Ek (KOMCA) abc%", "Ed Fo (JASRAC) -5%", "Fa (X) (Y) 5%"])
def test_a_credit_whose_share_or_society_does_not_read_is_refused_not_kept_as_a_name(written):
    from rightsdesk.domain.enums import CreditRole
    from rightsdesk.domain.music import parse_credits

    with pytest.raises(ValueError, match="is not a credit"):
        parse_credits(written, CreditRole.COMPOSER)
