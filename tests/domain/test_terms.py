"""Terms counted from an event and options to extend them: the date arithmetic and the rules."""

from datetime import date

import pytest

from rightsdesk.domain.enums import TermAnchor
from rightsdesk.domain.terms import (
    Duration,
    EventTerm,
    OptionDraft,
    computed_term,
    event_term_problems,
    exercise,
    exercise_problem,
    extended_end,
    parse_anchor,
    parse_duration,
    term_end,
)


@pytest.mark.parametrize("typed, expected", [
    ("P5Y", Duration(5)), ("p18m", Duration(months=18)), ("P2Y6M", Duration(2, 6)), ("P0D", Duration()),
    ("P90D", Duration(days=90)), ("P2W", Duration(days=14)), ("5 years", Duration(5)), ("1 year", Duration(1)),
    ("18 months", Duration(months=18)), ("2 years 6 months", Duration(2, 6)), ("1 year and 6 months", Duration(1, 6)),
    ("2y6m", Duration(2, 6)), (" 90 days ", Duration(days=90)), ("2 weeks", Duration(days=14)),
])
def test_lengths_read_as_iso_8601_or_words(typed, expected):
    assert parse_duration(typed) == expected


@pytest.mark.parametrize("typed", ["", "P", "5", "five years", "5 yrs x", "-5 years", "5 yearsx", "PT5H", "P100Y"])
def test_a_length_that_does_not_read_is_refused_saying_what_to_write(typed):
    with pytest.raises(ValueError, match="length of time|longer than 99 years"):
        parse_duration(typed)


def test_lengths_write_back_as_iso_and_read_in_words():
    assert [Duration(5).iso(), Duration(months=18).iso(), Duration(1, 6).iso(), Duration().iso()] == ["P5Y", "P18M", "P1Y6M", "P0D"]
    assert [Duration(5).describe(), Duration(1).describe(), Duration(1, 6).describe()] == ["5 years", "1 year", "1 year 6 months"]


@pytest.mark.parametrize("start, length, end", [
    (date(2026, 3, 1), Duration(5), date(2031, 2, 28)),  # the rule the product promises
    (date(2026, 1, 1), Duration(1), date(2026, 12, 31)),
    (date(2024, 2, 29), Duration(1), date(2025, 2, 28)),  # leap day: no 29 February in 2025
    (date(2024, 2, 29), Duration(4), date(2028, 2, 28)),  # and in a leap year, the day before
    (date(2024, 2, 28), Duration(1), date(2025, 2, 27)),
    (date(2026, 1, 31), Duration(months=1), date(2026, 2, 28)),  # month end: no 31 February
    (date(2028, 1, 31), Duration(months=1), date(2028, 2, 29)),
    (date(2026, 3, 31), Duration(months=1), date(2026, 4, 30)),
    (date(2026, 8, 31), Duration(months=18), date(2028, 2, 29)),
    (date(2026, 4, 1), Duration(months=18), date(2027, 9, 30)),
    (date(2026, 1, 1), Duration(days=90), date(2026, 3, 31)),
])
def test_a_term_ends_the_day_before_its_anniversary(start, length, end):
    assert term_end(start, length) == end


def test_a_zero_length_term_is_refused():
    with pytest.raises(ValueError):
        term_end(date(2026, 1, 1), Duration())


def test_an_extension_is_a_second_term_starting_the_day_after():
    assert extended_end(date(2031, 2, 28), Duration(2)) == date(2033, 2, 28)
    assert extended_end(date(2026, 2, 28), Duration(months=1)) == date(2026, 3, 31)


def test_a_term_from_delivery_is_pending_until_delivered_then_computed():
    term = EventTerm(TermAnchor.DELIVERY, start_offset=Duration(), length=Duration(5))
    pending = computed_term(term, None, None, None, [])
    assert (pending.start, pending.end, pending.pending) == (None, None, "term starts on delivery, not yet delivered")
    dated = computed_term(term, date(2026, 3, 1), None, None, [])
    assert (dated.start, dated.end, dated.pending) == (date(2026, 3, 1), date(2031, 2, 28), "")
    extended = computed_term(term, date(2026, 3, 1), None, None, [Duration(2)])
    assert extended.end == date(2033, 2, 28)


def test_a_fixed_start_with_an_end_counted_from_the_first_release():
    term = EventTerm(TermAnchor.FIRST_RELEASE, "APP", None, Duration(months=18))
    assert term.pending_text() == "term ends 18 months after the first APP release, not yet released"
    assert computed_term(term, None, date(2026, 1, 1), None, []).start == date(2026, 1, 1)
    assert computed_term(term, date(2026, 4, 1), date(2026, 1, 1), None, []).end == date(2027, 9, 30)
    assert term.describe() == "18 months from the first APP release"


def test_a_start_offset_moves_the_start_and_the_length_counts_from_it():
    term = EventTerm(TermAnchor.DELIVERY, None, Duration(months=1), Duration(1))
    assert term.pending_text() == "term starts 1 month after delivery, not yet delivered"
    dated = computed_term(term, date(2026, 1, 31), None, None, [])
    assert (dated.start, dated.end) == (date(2026, 2, 28), date(2027, 2, 27))


def test_inconsistent_event_terms_are_refused_with_a_reason():
    def problems(**kw):
        values = dict(anchor=TermAnchor.DELIVERY, media=None, start_offset="P0D", length="P5Y", event_on=None,
                      fixed_start=None, fixed_end=None, known_media={"APP"})
        values.update(kw)
        return [p.message for p in event_term_problems(**values)]

    assert problems() == []
    assert problems(anchor=TermAnchor.FIRST_RELEASE) == ["say which media's first release the term is counted from"]
    assert problems(anchor=TermAnchor.FIRST_RELEASE, media="XYZ") == ["'XYZ' is not a known media"]
    assert problems(media="APP") == ["a term counted from delivery names no media"]
    assert problems(start_offset=None, length=None) == ["say how long the term runs from delivery"]
    assert problems(length="five") == ["the term's length: 'five' is not a length of time: write e.g. 5 years, 18 months, 90 days"]
    assert problems(length="P0D") == ["a term must last at least a day"]
    assert problems(fixed_end=date(2030, 1, 1)) == [
        "the end is counted from delivery: leave the end date empty until it has a date"]
    assert problems(fixed_end=date(2030, 1, 1), event_on=date(2026, 1, 1)) == []
    assert problems(anchor=None) == ["choose the event the term is counted from, or clear the counting"]


def test_an_option_is_exercised_once_and_by_its_notice_deadline():
    option = OptionDraft("P2Y", exercise_by=date(2030, 12, 31), notice_days=90)
    assert option.notice_deadline == date(2030, 10, 2)
    late = exercise_problem(option, date(2030, 10, 3), date(2031, 2, 28))
    assert late == ("exercised on 2030-10-03, too late: it had to be exercised by 2030-12-31 with 90 days' notice, "
                    "so by 2030-10-02")
    assert exercise_problem(option, date(2030, 1, 1), None) == "the term has an open end: there is nothing to extend"
    assert "not known yet" in exercise_problem(option, date(2030, 1, 1), None, "term starts on delivery, not yet delivered")
    assert exercise(option, date(2030, 10, 2), "ana", date(2031, 2, 28)) == date(2033, 2, 28)
    assert (option.exercised_on, option.exercised_by) == (date(2030, 10, 2), "ana")
    with pytest.raises(ValueError, match="already exercised on 2030-10-02 by ana"):
        exercise(option, date(2030, 10, 2), "ana", date(2033, 2, 28))


@pytest.mark.parametrize("typed, expected", [
    ("delivery", (TermAnchor.DELIVERY, None)), (" Signature ", (TermAnchor.SIGNATURE, None)),
    ("signing", (TermAnchor.SIGNATURE, None)), ("first release APP", (TermAnchor.FIRST_RELEASE, "APP")),
    ("First release on  app", (TermAnchor.FIRST_RELEASE, "app")), ("first_release SOCIAL_CLIPS", (TermAnchor.FIRST_RELEASE, "SOCIAL_CLIPS")),
    ("first release Inflight", (TermAnchor.FIRST_RELEASE, "Inflight")),  # as typed: saving finds the medium

])
def test_the_event_a_term_counts_from_reads_as_typed(typed, expected):
    assert parse_anchor(typed) == expected


@pytest.mark.parametrize("typed", ["", "first release", "delivery APP", "release", "signature on APP"])
def test_an_event_that_does_not_read_is_refused(typed):
    with pytest.raises(ValueError, match="is not an event a term counts from"):
        parse_anchor(typed)
