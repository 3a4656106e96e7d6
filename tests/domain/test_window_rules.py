from datetime import date

from rightsdesk.domain.avails import Coverage, Restriction, RightsGrant, Status, TitleRights
from rightsdesk.domain.enums import DealDirection
from rightsdesk.domain.windows import TemplateStep, plan, template_problems, window_flags

APP_FIRST = [TemplateStep("APP", 0, 0, None, 91, True), TemplateStep("AVOD", 0, 91), TemplateStep("FAST", 0, 180)]


def test_a_template_plans_windows_by_offsets():
    windows = plan(APP_FIRST, date(2026, 3, 1))
    assert [(w.media, w.start, w.end, w.exclusive) for w in windows] == [
        ("APP", date(2026, 3, 1), date(2026, 5, 30), True),  # day 0 to day 90, inclusive
        ("AVOD", date(2026, 5, 31), None, False),
        ("FAST", date(2026, 8, 28), None, False),
    ]


def test_month_offsets_are_calendar_months():
    [window] = plan([TemplateStep("SVOD", 1, 0, 1, 0)], date(2026, 1, 31))
    # both ends from the template's start: +1 month (28 Feb), up to the day before +2 months (31 Mar)
    assert (window.start, window.end) == (date(2026, 2, 28), date(2026, 3, 30))


def test_consecutive_windows_meet_in_every_month():
    """From 31 August: APP 6 months, SVOD 12 months, then FAST; no day uncovered (28 Feb 2028 was)."""
    steps = [TemplateStep("APP", 0, 0, 6, 0), TemplateStep("SVOD", 6, 0, 12, 0), TemplateStep("FAST", 18, 0)]
    app, svod, fast = plan(steps, date(2026, 8, 31))
    assert (app.end, svod.start, svod.end, fast.start) == (date(2027, 2, 27), date(2027, 2, 28), date(2028, 2, 28),
                                                          date(2028, 2, 29))
    for year in (2026, 2027, 2028):
        for month in range(1, 13):
            for day in (1, 28, 29, 30, 31):
                try:
                    start = date(year, month, day)
                except ValueError:
                    continue
                windows = plan(steps, start)
                for before, after in zip(windows, windows[1:]):
                    assert (after.start - before.end).days == 1, (start, before, after)


def test_template_rules():
    problems = template_problems("", [TemplateStep("HOLO", -1, 0, 0, 0)], {"APP"})
    text = " ".join(str(p) for p in problems)
    for expected in ("needs a name", "'HOLO' is not a known media", "count forward", "at least a day"):
        assert expected in text


def rights(*restrictions):
    held = RightsGrant(1, 1, "IN-1", "Golden Reel", DealDirection.IN, True, frozenset({"TH"}), frozenset({"APP", "AVOD"}),
                       start=date(2026, 1, 1), end=date(2026, 12, 31))
    return TitleRights(7, 80, [Coverage(held, None, None)], list(restrictions))


def test_a_window_outside_the_rights_held_is_flagged_with_its_days():
    [flag] = window_flags(rights(), "TH", "APP", date(2026, 11, 1), None)
    assert flag.status is Status.NOT_ACQUIRED and flag.start == date(2027, 1, 1) and flag.end is None
    assert flag.describe().startswith("2027-01-01 to open end: outside the rights held")
    assert window_flags(rights(), "VN", "APP", date(2026, 1, 1), date(2026, 1, 31))[0].status is Status.NOT_ACQUIRED
    assert window_flags(rights(), "TH", "APP", date(2026, 1, 1), date(2026, 12, 31)) == []


def test_a_window_that_breaks_a_holdback_is_flagged():
    holdback = Restriction(Status.HOLDBACK, frozenset({"TH"}), frozenset({"AVOD"}), date(2026, 1, 1), date(2026, 5, 30),
                           "no AVOD until 90 days after the APP release", 2, 2, "OUT-2")
    [flag] = window_flags(rights(holdback), "TH", "AVOD", date(2026, 5, 1), date(2026, 9, 30))
    assert (flag.status, flag.start, flag.end) == (Status.HOLDBACK, date(2026, 5, 1), date(2026, 5, 30))
    assert "breaks a holdback" in flag.explanation and "90 days after" in flag.explanation
    assert window_flags(rights(holdback), "TH", "AVOD", date(2026, 5, 31), date(2026, 9, 30)) == []
