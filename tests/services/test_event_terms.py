"""Terms counted from an event and options to extend them, through the services: saving,
entering the event's date, exercising an option, and what avails, clash checks, windows and
Home make of a term still waiting for its event."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.avails import Status
from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind, TermAnchor
from rightsdesk.domain.errors import ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.terms import OptionDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import AuditEntry
from rightsdesk.services import attention, avails, catalogue, deals, parties, windows

USER = "ana"
IN, OUT = DealDirection.IN, DealDirection.OUT
SEA = TerritoryScope((ScopeItem("SEA", True),))
PENDING_DELIVERY = "term starts on delivery, not yet delivered"


@pytest.fixture
def ids(database):
    with database.transaction() as session:
        found = {
            "producer": parties.save_party(session, PartyDraft("Golden Reel Pictures", PartyKind.PRODUCER), user=USER),
            "shortmax": parties.save_party(session, PartyDraft("ShortMax", PartyKind.PLATFORM), user=USER),
            "bride": catalogue.save_title(session, TitleDraft("The CEO's Substitute Bride",
                                                              episodes=[EpisodeDraft(1, "", 90)]), user=USER),
        }
    return found


def save(database, draft):
    with database.transaction() as session:
        return deals.save_deal(session, draft, user=USER)


def from_delivery(ids, direction=IN, reference="IN-2026-0001", party="producer", **grant):
    values = dict(titles=[GrantTitleDraft(ids["bride"])], territories=SEA, media=["APP"], exclusive=True,
                  term_anchor=TermAnchor.DELIVERY, term_start_offset="0 days", term_duration="5 years")
    values.update(grant)
    return DealDraft(direction, ids[party], reference, date(2025, 12, 1), DealStatus.SIGNED, grants=[GrantDraft(**values)])


def grant_of(database, deal_id):
    with database.read() as session:
        return deals.load_deal(session, deal_id).grants[0]


def ask(database, ids, start=date(2026, 6, 1), end=date(2026, 6, 30)):
    with database.read() as session:
        answer = avails.ask(session, avails.AvailsRequest("TH", start, end, titles=(ids["bride"],), media=("APP",)))
    return answer.result.cells().__next__()[3]


def test_a_term_from_delivery_is_stored_in_iso_and_pending_until_delivered(database, ids):
    deal_id = save(database, from_delivery(ids)).deal_id
    grant = grant_of(database, deal_id)
    assert (grant.term_duration, grant.term_start_offset) == ("P5Y", "P0D")
    assert (grant.term_start, grant.term_end, grant.pending) == (None, None, PENDING_DELIVERY)


def test_avails_do_not_count_a_term_waiting_for_delivery_and_say_why(database, ids):
    save(database, from_delivery(ids))
    cell = ask(database, ids)
    assert cell.status is Status.NOT_ACQUIRED and not cell.available
    assert [r.explanation for r in cell.reasons] == [
        "acquired exclusively from Golden Reel Pictures under IN-2026-0001, "
        f"{PENDING_DELIVERY}"]


def test_entering_the_delivery_date_computes_the_term_and_audits_it(database, ids):
    deal_id = save(database, from_delivery(ids)).deal_id
    grant_id = grant_of(database, deal_id).id
    with database.transaction() as session:
        deals.enter_event_date(session, grant_id, date(2026, 3, 1), user=USER)
    grant = grant_of(database, deal_id)
    assert (grant.term_anchor_on, grant.term_start, grant.term_end, grant.pending) == (
        date(2026, 3, 1), date(2026, 3, 1), date(2031, 2, 28), "")
    with database.read() as session:
        summaries = list(session.scalars(select(AuditEntry.summary).where(AuditEntry.entity == "deal").order_by(AuditEntry.id)))
    assert summaries[-1] == ("IN-2026-0001: delivery on 2026-03-01, its grant runs 2026-03-01 to 2031-02-28 "
                             "(5 years from delivery)")
    assert ask(database, ids).status is Status.AVAILABLE
    assert not ask(database, ids, date(2031, 3, 1), date(2031, 3, 31)).available


def test_a_term_from_signature_takes_the_deals_date(database, ids):
    deal_id = save(database, from_delivery(ids, term_anchor=TermAnchor.SIGNATURE, term_duration="P1Y")).deal_id
    grant = grant_of(database, deal_id)
    assert (grant.term_start, grant.term_end) == (date(2025, 12, 1), date(2026, 11, 30))


@pytest.mark.parametrize("grant, message", [
    (dict(term_anchor=TermAnchor.FIRST_RELEASE), "say which media's first release the term is counted from"),
    (dict(term_anchor_media="APP"), "a term counted from delivery names no media"),
    (dict(term_duration="five years"), "the term's length: 'five years' is not a length of time"),
    (dict(term_end=date(2030, 1, 1)), "the end is counted from delivery: leave the end date empty"),
    (dict(options=[OptionDraft("sometime", date(2030, 1, 1))]), "'sometime' is not a length of time"),
])
def test_an_inconsistent_event_term_is_refused_and_nothing_is_written(database, ids, grant, message):
    with pytest.raises(ValidationError, match=message):
        save(database, from_delivery(ids, **grant))
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "deal")) == 0


def optioned(database, ids, **option):
    values = dict(extend_by="2 years", exercise_by=date(2030, 12, 31), notice_days=90)
    values.update(option)
    deal_id = save(database, from_delivery(ids, term_anchor_on=date(2026, 3, 1),
                                           options=[OptionDraft(**values)])).deal_id
    return deal_id, grant_of(database, deal_id).options[0].id


def test_exercising_an_option_extends_the_term_and_is_audited(database, ids):
    deal_id, option_id = optioned(database, ids)
    with database.transaction() as session:
        deals.exercise_option(session, option_id, on=date(2030, 10, 2), user="ben")
    grant = grant_of(database, deal_id)
    assert grant.term_end == date(2033, 2, 28)
    assert (grant.options[0].exercised_on, grant.options[0].exercised_by, grant.options[0].extend_by) == (
        date(2030, 10, 2), "ben", "P2Y")
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.user_name == "ben"
    assert entry.summary == ("IN-2026-0001: option exercised on 2030-10-02 by ben, its grant extended by "
                             "2 years to 2033-02-28")
    assert (entry.before["term_end"], entry.after["term_end"]) == ("2031-02-28", "2033-02-28")
    # saved again as it is, the term stays extended
    with database.transaction() as session:
        deals.save_deal(session, deals.load_deal(session, deal_id), user=USER)
    assert grant_of(database, deal_id).term_end == date(2033, 2, 28)


def test_an_option_is_not_exercised_twice_nor_after_its_notice_deadline(database, ids):
    deal_id, option_id = optioned(database, ids)
    with database.transaction() as session, pytest.raises(ValidationError, match="too late: .* so by 2030-10-02"):
        deals.exercise_option(session, option_id, on=date(2030, 10, 3), user=USER)
    assert grant_of(database, deal_id).term_end == date(2031, 2, 28)
    with database.transaction() as session:
        deals.exercise_option(session, option_id, on=date(2030, 1, 1), user=USER)
    with database.transaction() as session, pytest.raises(ValidationError, match="already exercised on 2030-01-01"):
        deals.exercise_option(session, option_id, on=date(2030, 1, 2), user=USER)
    assert grant_of(database, deal_id).term_end == date(2033, 2, 28)


def test_an_exercised_option_cannot_be_removed_from_the_grant(database, ids):
    deal_id, option_id = optioned(database, ids)
    with database.transaction() as session:
        deals.exercise_option(session, option_id, on=date(2030, 1, 1), user=USER)
    with database.transaction() as session:
        draft = deals.load_deal(session, deal_id)
        draft.grants[0].options = []
        with pytest.raises(ValidationError, match="cannot be removed"):
            deals.save_deal(session, draft, user=USER)


def test_an_option_on_a_term_waiting_for_delivery_cannot_be_exercised(database, ids):
    deal_id = save(database, from_delivery(ids, options=[OptionDraft("P1Y", date(2030, 12, 31))])).deal_id
    option_id = grant_of(database, deal_id).options[0].id
    with database.transaction() as session, pytest.raises(ValidationError, match="not known yet"):
        deals.exercise_option(session, option_id, on=date(2026, 1, 1), user=USER)


def test_a_fixed_term_is_extended_by_its_option(database, ids):
    deal_id = save(database, from_delivery(ids, term_anchor=None, term_start_offset=None, term_duration=None,
                                           term_start=date(2026, 1, 1), term_end=date(2026, 12, 31),
                                           options=[OptionDraft("P6M", date(2026, 12, 1))])).deal_id
    with database.transaction() as session:
        deals.exercise_option(session, grant_of(database, deal_id).options[0].id, on=date(2026, 11, 1), user=USER)
    assert grant_of(database, deal_id).term_end == date(2027, 6, 30)


def test_home_lists_options_whose_deadline_comes_within_60_days_not_61(database, ids):
    deal_id, option_id = optioned(database, ids)  # deadline: 2030-10-02 (2030-12-31 less 90 days)
    with database.read() as session:
        due = [i for s in attention.attention(session, date(2030, 8, 3)) if s.key == "options" for i in s.items]
        later = [i for s in attention.attention(session, date(2030, 8, 2)) if s.key == "options" for i in s.items]
    assert [(i.when, i.record, i.record_id) for i in due] == [(date(2030, 10, 2), "deal", deal_id)]
    assert "extend by 2 years" in due[0].detail and "exercise by 2030-12-31 with 90 days' notice" in due[0].detail
    assert later == []
    with database.transaction() as session:
        deals.exercise_option(session, option_id, on=date(2030, 8, 3), user=USER)
    with database.read() as session:
        assert [i for s in attention.attention(session, date(2030, 8, 3)) if s.key == "options" for i in s.items] == []


def test_a_licence_out_waiting_for_delivery_blocks_avails_and_says_so(database, ids):
    save(database, from_delivery(ids, term_anchor=None, term_start_offset=None, term_duration=None,
                                 term_start=date(2025, 1, 1), term_end=None))
    save(database, from_delivery(ids, OUT, "OUT-2026-0001", "shortmax"))
    cell = ask(database, ids, date(2040, 1, 1), date(2040, 1, 31))
    assert cell.status is Status.LICENSED_EXCLUSIVE
    assert cell.reasons[0].explanation.endswith(
        f"{PENDING_DELIVERY}: counted as licensed 2025-12-01 to open end until it is")


def test_the_clash_check_of_a_grant_waiting_for_delivery_says_how_it_counted(database, ids):
    save(database, from_delivery(ids, term_anchor=None, term_start_offset=None, term_duration=None,
                                 term_start=date(2025, 1, 1), term_end=date(2035, 12, 31)))
    with pytest.raises(deals.RightsConflict) as refused:
        save(database, from_delivery(ids, OUT, "OUT-2026-0001", "shortmax"))
    assert len(refused.value.clashes) == 1
    assert refused.value.clashes[0].startswith("Not acquired: ")  # one grant: no "Grant 1:" before it
    assert "Not acquired" in refused.value.clashes[0] and "2036-01-01 to open end" in refused.value.clashes[0]
    assert refused.value.clashes[0].endswith(
        f"(this grant's {PENDING_DELIVERY}: checked as running from 2025-12-01 with no end until it is)")
    # as a draft it is kept, and once delivered inside the rights held it signs
    draft = from_delivery(ids, OUT, "OUT-2026-0001", "shortmax")
    draft.status = DealStatus.DRAFT
    saved = save(database, draft)
    assert [c.split(": ", 1)[1] for c in saved.clashes] == [c.split(": ", 1)[1] for c in refused.value.clashes]
    deal_id = saved.deal_id
    with database.transaction() as session:
        deals.enter_event_date(session, grant_of(database, deal_id).id, date(2026, 3, 1), user=USER)
        draft = deals.load_deal(session, deal_id)
        draft.status = DealStatus.SIGNED
        assert deals.save_deal(session, draft, user=USER).clashes == []


def test_a_window_under_a_grant_waiting_for_delivery_is_flagged(database, ids):
    save(database, from_delivery(ids, term_anchor=None, term_start_offset=None, term_duration=None,
                                 term_start=date(2025, 1, 1), term_end=None))
    deal_id = save(database, from_delivery(ids, OUT, "OUT-2026-0001", "shortmax")).deal_id
    grant_id = grant_of(database, deal_id).id
    with database.transaction() as session:
        windows.save_window(session, windows.WindowDraft(ids["bride"], "TH", "APP", date(2026, 6, 1), grant_id=grant_id),
                            user=USER)
    with database.read() as session:
        view = windows.window_views(session, title_id=ids["bride"])[0]
    assert [f.explanation for f in view.flags] == [
        f"OUT-2026-0001: {PENDING_DELIVERY}, so its days may fall outside the term"]


def test_the_first_release_on_the_anchor_media_is_proposed_as_the_event_date(database, ids):
    from rightsdesk.domain.enums import WindowStatus

    grant = GrantDraft(titles=[GrantTitleDraft(ids["bride"])], term_anchor=TermAnchor.FIRST_RELEASE,
                       term_anchor_media="APP", term_duration="P18M")
    with database.transaction() as session:
        assert deals.proposed_event_date(session, grant) is None
        for start, status in ((date(2026, 5, 1), WindowStatus.RELEASED), (date(2026, 4, 1), WindowStatus.PLANNED)):
            windows.save_window(session, windows.WindowDraft(ids["bride"], "TH", "APP", start, actual_start=start
                                                             if status is WindowStatus.RELEASED else None, status=status),
                                user=USER)
        assert deals.proposed_event_date(session, grant) == date(2026, 5, 1)


def test_the_demo_holds_a_term_from_delivery_an_option_and_one_waiting_for_delivery(demo_database):
    from rightsdesk.persistence.models import Deal

    with demo_database.read() as session:
        def deal(reference):
            return deals.load_deal(session, session.scalar(select(Deal.id).where(Deal.reference == reference)))

        dated, waiting = deal("IN-2025-0001").grants[0], deal("IN-2026-NT01").grants[0]
        title = waiting.titles[0].title_id
        cell = next(avails.ask(session, avails.AvailsRequest("FR", date(2027, 1, 1), date(2027, 1, 31), titles=(title,),
                                                             media=("NON_THEATRICAL",))).result.cells())[3]
        groups = avails.reference.territory_groups(session)
        clashes = [c for deal_id in session.scalars(select(Deal.id).where(Deal.direction == OUT,
                                                                          Deal.status == DealStatus.SIGNED))
                   for c in deals.check_deal(session, deal_id, groups)]
    assert (dated.term_anchor, dated.term_duration, dated.pending) == (TermAnchor.DELIVERY, "P8Y", "")
    assert dated.term_end == dated.term_start.replace(year=dated.term_start.year + 8) - timedelta(days=1)
    assert [(o.extend_by, o.notice_deadline) for o in dated.options] == [("P2Y", date(2026, 12, 30))]
    assert waiting.pending == PENDING_DELIVERY and waiting.options
    assert cell.status is Status.NOT_ACQUIRED and cell.reasons[0].explanation.endswith(PENDING_DELIVERY)
    # the licences out never lean on a term from delivery (some holdbacks of the demo clash, not these)
    assert not [c for c in clashes if "IN-2025-0001" in c or "IN-2026-NT01" in c or "delivery" in c]


def test_the_deal_summary_and_the_deals_list_say_what_waits_for_delivery(database, ids):
    from rightsdesk.services import licensing_reports as licensing
    from rightsdesk.services.listing import ListQuery

    deal_id = save(database, from_delivery(ids, options=[OptionDraft("P2Y", date(2030, 12, 31), 90)])).deal_id
    with database.read() as session:
        report = licensing.build("deal", {"deal": "IN-2026-0001"}, session, date(2026, 11, 30))
        row = deals.deal_rows(session, deals.find_deal_ids(session, ListQuery()))[deal_id]
    tables = {t.heading: t.rows for t in report.tables}
    assert tables["Grants"][0][-2:] == ("not yet known", "not yet known")
    assert [r[1:] for r in tables["Terms counted from an event"]] == [("5 years from delivery", PENDING_DELIVERY)]
    assert [r[1:] for r in tables["Options to extend"]] == [
        ("option to extend by 2 years, to exercise by 2030-12-31 with 90 days' notice", date(2030, 10, 2), "open")]
    assert row.pending == 1


def template_with(grants):
    import io

    from openpyxl import load_workbook

    from rightsdesk.reports.deal_template import template

    book = load_workbook(io.BytesIO(template()))
    assert [c.value for c in book["Grants"][1]][-3:] == ["Counted from", "Lasts", "Event on"]
    deals_sheet, grants_sheet = book["Deals"], book["Grants"]
    for sheet in (deals_sheet, grants_sheet, book["MG payments"]):
        sheet.delete_rows(2, sheet.max_row)
    deals_sheet.append(["IN-2026-0001", "IN", "Golden Reel Pictures", "signed", date(2025, 12, 1), "USD"])
    for row in grants:
        grants_sheet.append(["IN-2026-0001", "T000001", "", "SEA", "APP", ""] + row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_deals_template_takes_a_term_counted_from_an_event(database, ids):
    from rightsdesk.services import deal_template

    content = template_with([[None, None, "yes", "no", "", "delivery", "5 years", date(2026, 3, 1)],
                             [date(2026, 1, 1), None, "yes", "no", "", "first release on app", "P18M", None]])
    with database.transaction() as session:
        deal_template.import_deals(session, content, user=USER)
    with database.read() as session:
        delivered, released = deals.load_deal(session, deals.find_deal_ids(session)[0]).grants
    assert (delivered.term_anchor, delivered.term_start, delivered.term_end) == (
        TermAnchor.DELIVERY, date(2026, 3, 1), date(2031, 2, 28))
    assert (released.term_anchor_media, released.term_start_offset, released.term_start, released.pending) == (
        "APP", None, date(2026, 1, 1), "term ends 18 months after the first APP release, not yet released")


def test_the_deals_template_names_the_cell_of_an_inconsistent_event_term(database, ids):
    from rightsdesk.services import deal_template

    content = template_with([[None, date(2030, 1, 1), "yes", "no", "", "delivery", "5 years", None],
                             [None, None, "yes", "no", "", "first release", "5 years", None],
                             [None, None, "yes", "no", "", "", "5 years", None],
                             [None, None, "yes", "no", "", "signature", "five", date(2026, 1, 1)]])
    with database.transaction() as session, pytest.raises(ValidationError) as refused:
        deal_template.import_deals(session, content, user=USER)
    assert [str(p) for p in refused.value.problems] == [
        "Grants!End, row 2: '2030-01-01' and Lasts both end the term: give one of them",
        "Grants!Counted from, row 3: 'first release' is not an event a term counts from: write signature, delivery, "
        "or first release and a media (first release APP)",
        "Grants!Lasts, row 4: '5 years' needs Counted from: the event the term counts from",
        "Grants!Lasts, row 5: 'five' is not a length of time: write e.g. 5 years, 18 months, 90 days",
        "Grants!Event on, row 5: '2026-01-01' is the deal's Signed on for a term from signature: leave it empty",
    ]
    with database.read() as session:
        assert deals.find_deal_ids(session) == []
