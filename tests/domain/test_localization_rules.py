"""Localization readiness: the least advanced task decides, and it feeds avails."""

from datetime import date

from rightsdesk.domain.avails import Status
from rightsdesk.domain.enums import LocalizationKind as Kind
from rightsdesk.domain.enums import LocalizationStatus as S
from rightsdesk.domain.localization import Task, localization_restrictions, readiness, ready_from, transition_problem


def test_readiness_is_the_least_advanced_task():
    assert readiness([S.DELIVERED, S.IN_QC, S.DELIVERED]) is S.IN_QC
    assert readiness([S.DELIVERED, S.REJECTED, S.NOT_STARTED]) is S.REJECTED
    assert readiness([]) is None


def test_status_changes_follow_the_workflow():
    assert transition_problem(S.NOT_STARTED, S.IN_PROGRESS) is None
    assert transition_problem(S.IN_QC, S.REJECTED) is None and transition_problem(S.REJECTED, S.IN_PROGRESS) is None
    assert transition_problem(S.NOT_STARTED, S.DELIVERED) == (
        "a task not started cannot go to delivered (it can go to: in progress)")


def test_subtitles_or_a_dub_delivered_in_full_localize_a_title_from_the_last_delivery():
    tasks = [Task("th", Kind.SUBTITLES, S.DELIVERED, date(2026, 3, 1)), Task("th", Kind.SUBTITLES, S.DELIVERED, date(2026, 4, 1)),
             Task("th", Kind.DUB, S.IN_PROGRESS)]
    assert ready_from(tasks, "th") == (date(2026, 4, 1), True, "")
    assert ready_from(tasks + [Task("th", Kind.SUBTITLES, S.REJECTED)], "th") == (
        None, False, "subtitles rejected; dub in progress")
    assert ready_from([Task("es-419", Kind.DUB, S.DELIVERED)], "es") == (None, True, "")
    # a delivery covers a narrower request as a grant does (issue 19: one matcher for both)
    assert ready_from([Task("es", Kind.DUB, S.DELIVERED)], "es-419")[1] is True
    assert ready_from([Task("zh-Hant", Kind.SUBTITLES, S.DELIVERED)], "zh-Hant-TW")[1] is True
    assert ready_from([Task("zh-Hans", Kind.SUBTITLES, S.DELIVERED)], "zh-Hant-TW")[1] is False


def test_restrictions_cover_the_days_before_delivery_or_all_days():
    tasks = [Task("th", Kind.SUBTITLES, S.DELIVERED, date(2026, 4, 1))]
    found = localization_restrictions(tasks, ["th", "vi"], countries={"TH", "VN"}, media={"APP"})
    assert [(r.status, r.start, r.end, r.explanation) for r in found] == [
        (Status.NOT_LOCALIZED, None, date(2026, 3, 31), "not localized in th: delivered 2026-04-01"),
        (Status.NOT_LOCALIZED, None, None, "not localized in vi: no subtitles; no dub"),
    ]


def test_delivered_languages_are_matched_as_bcp_47_tags_whatever_their_case():
    assert ready_from([Task("zh-hant-tw", Kind.SUBTITLES, S.DELIVERED)], "zh-Hant")[1] is True
    assert ready_from([Task("ZH-HANT", Kind.SUBTITLES, S.DELIVERED)], "zh-Hant")[1] is True
    assert ready_from([Task("zh-Hans", Kind.SUBTITLES, S.DELIVERED)], "zh-Hant")[1] is False
