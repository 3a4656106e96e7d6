"""The home screen's list of what needs attention today."""

from datetime import date, timedelta

from sqlalchemy import select

from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus
from rightsdesk.persistence.models import Grant, LocalizationTask
from rightsdesk.services import attention, windows

from payment_fixtures import paid_quarter  # noqa: F401  (a fixture)

TODAY = date(2026, 11, 25)


def sections(database):
    with database.read() as session:
        return {s.key: s for s in attention.attention(session, TODAY)}


def test_each_section_lists_what_needs_doing_and_names_its_record(database, cue_sheet):
    bride, heiress = cue_sheet["titles"]
    with database.transaction() as session:
        session.scalars(select(Grant)).first().term_end = TODAY + timedelta(days=10)
        soon = windows.save_window(session, windows.WindowDraft(bride, "US", "APP", TODAY + timedelta(days=5)), user="ana")
        windows.save_window(session, windows.WindowDraft(bride, "US", "AVOD", TODAY + timedelta(days=60)), user="ana")
        session.add_all([
            LocalizationTask(title_id=heiress, language_tag="th", kind=LocalizationKind.DUB, due_on=TODAY - timedelta(days=3),
                             status=LocalizationStatus.IN_QC),
            LocalizationTask(title_id=heiress, language_tag="vi", kind=LocalizationKind.DUB, due_on=TODAY - timedelta(days=3),
                             status=LocalizationStatus.DELIVERED),
            LocalizationTask(title_id=heiress, language_tag="id", kind=LocalizationKind.DUB, due_on=TODAY + timedelta(days=3))])
    found = sections(database)

    expiring = found["expiring"].items
    assert [(i.record, i.record_id, i.when) for i in expiring] == [("deal", cue_sheet["deal"], TODAY + timedelta(days=10))]
    assert expiring[0].text.startswith("IN-1 · ")  # the reference says IN already

    # the window starting in five days uses music nobody cleared; the one in sixty days is not due yet
    blocked = found["blocked"].items
    assert [(i.record, i.record_id) for i in blocked] == [("window", soon)]
    assert "music not cleared: “Nobody's Song” (episode 1)" in blocked[0].detail
    assert "licensed" not in blocked[0].detail  # only music and localization reasons

    licences = found["licences"].items
    assert [i.text for i in licences] == ["“Quoted Song”"] and licences[0].detail == "quoted: to accept or refuse"

    overdue = found["overdue"].items
    assert [(i.text, i.detail) for i in overdue] == [("Heiress · th dub", "in QC, 3 days late")]

    statements = found["statements"].items
    assert [(i.record, i.record_id, i.period, i.detail) for i in statements] == [
        ("period", cue_sheet["deal"], "2026-Q3", "not run yet")]


def test_a_long_section_is_cut_but_counts_everything(database, worked, monkeypatch):
    monkeypatch.setattr(attention, "SHOWN", 2)
    with database.transaction() as session:
        session.add_all(LocalizationTask(title_id=worked["titles"][0], language_tag=tag, kind=LocalizationKind.SUBTITLES,
                                         due_on=TODAY - timedelta(days=1)) for tag in ("th", "vi", "id"))
    overdue = sections(database)["overdue"]
    assert len(overdue.items) == 2 and overdue.total == 3


def test_statements_owed_are_listed_overdue_first_with_what_is_left(database, paid_quarter):
    from decimal import Decimal

    from rightsdesk.services import payments

    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], payments.PaymentDraft(Decimal("650.00"), date(2027, 1, 20)),
                                user="ana")
    with database.read() as session:
        before_due = {s.key: s for s in attention.attention(session, date(2027, 2, 24))}["owed"]
        late = {s.key: s for s in attention.attention(session, date(2027, 2, 27))}["owed"]
    [item] = before_due.items
    assert (item.record, item.record_id, item.when) == ("statement", paid_quarter["q4"], date(2027, 2, 24))
    assert item.detail == "7,000.00 USD owed (650.00 paid of 7,650.00), due 2027-02-24"
    assert late.items[0].detail.endswith("overdue by 3 days") and late.total == 1
    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], payments.PaymentDraft(Decimal("7000.00"), date(2027, 3, 1)),
                                user="ana")
    with database.read() as session:
        assert {s.key: s for s in attention.attention(session, date(2027, 3, 2))}["owed"].total == 0


def test_a_deal_reference_that_does_not_say_its_direction_gets_it() -> None:
    from rightsdesk.services.attention import _deal_named

    assert _deal_named("OUT-2025-0272", "out") == "OUT-2025-0272"
    assert _deal_named("INDIE-5", "out") == "INDIE-5 (OUT)"
    assert _deal_named("INDIE-5", "in") == "INDIE-5 (IN)"
