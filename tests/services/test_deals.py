"""Deals through the service: validation, audit, concurrency, conflicts, and avails from the database."""

from datetime import date

import pytest
from sqlalchemy import select

from rightsdesk.domain.avails import Status
from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import AuditAction, DealDirection, DealStatus, PartyKind, WindowStatus
from rightsdesk.domain.errors import Conflict, ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft, HoldbackDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import AuditEntry, Library, LibraryMember, ReleaseWindow
from rightsdesk.services import audit, avails, catalogue, deals, parties

USER = "ana"
IN, OUT = DealDirection.IN, DealDirection.OUT


def scope(text):
    words = text.replace(",", " ").split()
    groups = {"WORLD", "SEA", "LATAM", "GREATER_CHINA", "EU"}
    return TerritoryScope(tuple(ScopeItem(w.lstrip("-"), w.lstrip("-") in groups, w.startswith("-")) for w in words))


@pytest.fixture
def catalogue_(database):
    """Two titles of 80 episodes, a producer and two platforms."""
    with database.transaction() as session:
        ids = {
            "producer": parties.save_party(session, PartyDraft("Golden Reel Pictures", PartyKind.PRODUCER), user=USER),
            "shortmax": parties.save_party(session, PartyDraft("ShortMax", PartyKind.PLATFORM), user=USER),
            "kwai": parties.save_party(session, PartyDraft("Kwai Drama", PartyKind.PLATFORM), user=USER),
        }
        for key, name in (("bride", "The CEO's Substitute Bride"), ("heiress", "The Hidden Heiress")):
            ids[key] = catalogue.save_title(session, TitleDraft(
                name, episodes=[EpisodeDraft(n, "", 90) for n in range(1, 81)]), user=USER)
    return ids


def save(database, draft):
    with database.transaction() as session:
        return deals.save_deal(session, draft, user=USER)


def acquire(database, ids, **grant):
    values = dict(titles=[GrantTitleDraft(ids["bride"]), GrantTitleDraft(ids["heiress"])],
                  territories=scope("WORLD -GREATER_CHINA"), media=["APP", "AVOD", "FAST", "SOCIAL_CLIPS"],
                  term_start=date(2025, 1, 1), term_end=date(2030, 12, 31), exclusive=True, sublicensing_allowed=True)
    values.update(grant)
    return save(database, DealDraft(IN, ids["producer"], "IN-2025-0001", date(2024, 12, 1), DealStatus.SIGNED,
                                    grants=[GrantDraft(**values)])).deal_id


def licence(ids, reference="OUT-2026-0001", party="shortmax", status=DealStatus.SIGNED, **grant):
    values = dict(titles=[GrantTitleDraft(ids["bride"])], territories=scope("SEA"), media=["APP"],
                  term_start=date(2026, 1, 1), term_end=date(2026, 12, 31), exclusive=True)
    values.update(grant)
    return DealDraft(OUT, ids[party], reference, date(2025, 12, 1), status, grants=[GrantDraft(**values)])


def ask(database, **request):
    values = dict(territories="TH", start=date(2026, 1, 1), end=date(2026, 12, 31), media=("APP",))
    values.update(request)
    with database.read() as session:
        return avails.ask(session, avails.AvailsRequest(**values))


def test_a_deal_round_trips_and_is_audited(database, catalogue_):
    deal_id = acquire(database, catalogue_)
    with database.read() as session:
        loaded = deals.load_deal(session, deal_id)
        entry = audit.last_change(session, "deal", deal_id)
    grant = loaded.grants[0]
    assert grant.territories.describe() == "WORLD excluding GREATER_CHINA"
    assert grant.media == ["APP", "AVOD", "FAST", "SOCIAL_CLIPS"]
    assert [t.title_id for t in grant.titles] == sorted([catalogue_["bride"], catalogue_["heiress"]])
    assert entry.action is AuditAction.CREATE and entry.user_name == USER
    assert entry.after["grants"][0]["territories"] == "WORLD excluding GREATER_CHINA"

    loaded.grants[0].term_end = None
    save(database, loaded)
    with database.read() as session:
        entry = audit.last_change(session, "deal", deal_id)
        assert deals.load_deal(session, deal_id).grants[0].term_end is None
    assert entry.action is AuditAction.UPDATE
    assert (entry.before["grants"][0]["term_end"], entry.after["grants"][0]["term_end"]) == ("2030-12-31", None)


def test_bad_deals_are_refused_with_every_problem(database, catalogue_):
    draft = DealDraft(OUT, None, " ", status=DealStatus.SIGNED, currency="XYZ", grants=[GrantDraft(
        territories=scope("SEA -ZZ"), media=["APP", "HOLOGRAM"], languages=["not a tag!"],
        term_start=date(2026, 2, 1), term_end=date(2026, 1, 1),
        titles=[GrantTitleDraft(catalogue_["bride"], 50, 10)],
        holdbacks=[HoldbackDraft(["FAST"], scope("SEA"), after_release_of="APP")])])
    with pytest.raises(ValidationError) as refused:
        save(database, draft)
    text = str(refused.value)
    for expected in ("needs a reference", "choose who", "'XYZ' is not an ISO 4217", "signature date",
                     "'ZZ' is not an ISO 3166-1", "'HOLOGRAM' is not a known media", "BCP 47",
                     "ends (2026-01-01) before it starts", "50-10 runs backwards", "both the media and the number of days"):
        assert expected in text


def test_a_second_save_over_a_newer_change_is_refused(database, catalogue_):
    deal_id = acquire(database, catalogue_)
    with database.read() as session:
        mine, theirs = deals.load_deal(session, deal_id), deals.load_deal(session, deal_id)
    theirs.grants[0].media = ["APP"]
    save(database, theirs)
    mine.notes = "my edit"
    with pytest.raises(Conflict, match=f"changed by {USER}"):
        save(database, mine)


def test_a_save_from_another_process_is_not_overwritten(database, catalogue_):
    """Two desks: this process opens the deal, another saves a change to it (as ben), then this
    save is refused naming ben, and the differences show both versions."""
    import os
    import subprocess
    import sys

    deal_id = acquire(database, catalogue_)
    with database.read() as session:
        mine = deals.load_deal(session, deal_id)
    other_desk = (
        "import sys; from rightsdesk.persistence.database import Database; from rightsdesk.services import deals\n"
        "database = Database(sys.argv[1])\n"
        "with database.transaction() as session:\n"
        "    draft = deals.load_deal(session, int(sys.argv[2])); draft.grants[0].media = ['APP']\n"
        "    deals.save_deal(session, draft, user='ben')\n")
    subprocess.run([sys.executable, "-c", other_desk, database.location, str(deal_id)], check=True,
                   env={**os.environ}, timeout=60)
    mine.notes = "my edit"
    with pytest.raises(Conflict, match=r"changed by ben (\(signed in as \w+\) )?at ") as refused:
        save(database, mine)
    assert refused.value.changed_by == "ben" and refused.value.changed_at is not None
    with database.read() as session:
        found = deals.compare_with_saved(session, mine)
        assert deals.load_deal(session, deal_id).notes == ""  # nothing of mine was written
    assert [(d.field, d.before, d.after) for d in found] == [
        ("notes", "", "my edit"), ("grant 1 › media", "APP", ", ".join(mine.grants[0].media))]


def test_an_exclusive_clash_is_refused_for_a_signed_deal_and_kept_as_a_draft_warning(database, catalogue_):
    acquire(database, catalogue_)
    save(database, licence(catalogue_))
    clashing = licence(catalogue_, "OUT-2026-0002", "kwai", territories=scope("TH, US"), media=["APP", "AVOD"],
                       term_start=date(2026, 6, 1), term_end=None, exclusive=False)
    with pytest.raises(deals.RightsConflict) as refused:
        save(database, clashing)
    exclusive, beyond = refused.value.clashes
    assert "Licensed out exclusively: The CEO's Substitute Bride" in exclusive
    assert "TH, APP, 2026-06-01 to 2026-12-31" in exclusive and "OUT-2026-0001" in exclusive and "ShortMax" in exclusive
    # open-ended, it also outlives the rights acquired (to 2030-12-31)
    assert "Not acquired" in beyond and "TH, US, APP, AVOD, 2031-01-01 to open end" in beyond

    clashing.status = DealStatus.DRAFT
    kept = save(database, clashing)
    assert len(kept.clashes) == 2
    # a draft deal does not count in avails: TH APP after 2026 is still open
    assert ask(database, titles=(catalogue_["bride"],), start=date(2027, 1, 1), end=date(2030, 12, 31)).result.cell(
        catalogue_["bride"], "TH", "APP").available


def test_an_out_grant_beyond_what_was_acquired_is_refused(database, catalogue_):
    acquire(database, catalogue_, term_end=date(2026, 6, 30), languages=["th", "en"],
            titles=[GrantTitleDraft(catalogue_["bride"], 1, 40)])
    with pytest.raises(deals.RightsConflict) as refused:
        save(database, licence(catalogue_, territories=scope("SEA, CN"), media=["APP", "SVOD"]))
    text = str(refused.value)
    assert "Not acquired" in text
    assert "CN" in text and "SVOD" in text and "2026-07-01 to 2026-12-31" in text
    assert "only in en, th" in text and "only episodes 1-40" in text


def test_an_exclusive_request_clashes_with_a_non_exclusive_grant(database, catalogue_):
    acquire(database, catalogue_)
    save(database, licence(catalogue_, exclusive=False, media=["AVOD"]))
    with pytest.raises(deals.RightsConflict, match="Non-exclusive only"):
        save(database, licence(catalogue_, "OUT-2026-0002", "kwai", media=["AVOD"], territories=scope("TH")))
    save(database, licence(catalogue_, "OUT-2026-0003", "kwai", media=["AVOD"], territories=scope("TH"),
                           exclusive=False))


def test_a_holdback_counts_from_the_release_and_blocks_other_deals(database, catalogue_):
    acquire(database, catalogue_)
    save(database, licence(catalogue_, holdbacks=[HoldbackDraft(
        ["AVOD", "FAST"], scope("SEA"), after_release_of="APP", days_after_release=90)]))
    bride = catalogue_["bride"]
    unplanned = ask(database, titles=(bride,), media=("AVOD",)).result.cell(bride, "TH", "AVOD")
    assert unplanned.status is Status.HOLDBACK and "not planned yet" in unplanned.reasons[0].explanation
    with database.transaction() as session:
        session.add(ReleaseWindow(title_id=bride, territory_code="TH", media_code="APP", status=WindowStatus.RELEASED,
                                  planned_start=date(2026, 2, 1), actual_start=date(2026, 2, 10)))
    cell = ask(database, titles=(bride,), media=("AVOD",)).result.cell(bride, "TH", "AVOD")
    assert [(s.start, s.end, s.status) for s in cell.segments] == [
        (date(2026, 1, 1), date(2026, 5, 10), Status.HOLDBACK),
        (date(2026, 5, 11), date(2026, 12, 31), Status.AVAILABLE)]
    assert "OUT-2026-0001" in cell.reasons[0].explanation
    with pytest.raises(deals.RightsConflict, match="Under holdback"):
        save(database, licence(catalogue_, "OUT-2026-0002", "kwai", media=["FAST"], territories=scope("TH"),
                               exclusive=False))


def test_a_library_grant_follows_the_library_membership(database, catalogue_):
    acquire(database, catalogue_)
    with database.transaction() as session:
        library = Library(code="VL-ROMANCE", name="Romance vertical library")
        session.add(library)
        session.flush()
        session.add(LibraryMember(library_id=library.id, title_id=catalogue_["bride"], added_on=date(2025, 1, 1)))
        session.add(LibraryMember(library_id=library.id, title_id=catalogue_["heiress"], added_on=date(2026, 7, 1)))
        library_id = library.id
    save(database, licence(catalogue_, titles=[], libraries=[library_id], media=["FAST"], exclusive=False))
    result = ask(database, library_id=library_id, media=("FAST",), exclusive=True).result
    assert result.query.titles == (catalogue_["bride"], catalogue_["heiress"])
    assert result.cell(catalogue_["bride"], "TH", "FAST").status is Status.LICENSED_NON_EXCLUSIVE
    heiress = result.cell(catalogue_["heiress"], "TH", "FAST")
    assert [(s.start, s.status) for s in heiress.segments] == [
        (date(2026, 1, 1), Status.AVAILABLE), (date(2026, 7, 1), Status.LICENSED_NON_EXCLUSIVE)]
    assert "through library VL-ROMANCE" in heiress.segments[1].reasons[0].explanation


def test_deleting_a_deal_is_audited(database, catalogue_):
    deal_id = save(database, licence(catalogue_, status=DealStatus.DRAFT)).deal_id
    with database.transaction() as session:
        deals.delete_deal(session, deal_id, user=USER)
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "deal").order_by(AuditEntry.id.desc())).first()
        assert entry.action is AuditAction.DELETE and entry.before["reference"] == "OUT-2026-0001"
        assert deals.find_deal_ids(session) == []


def test_a_holdback_naming_a_media_twice_saves_it_once(database, catalogue_):
    acquire(database, catalogue_)
    deal_id = save(database, licence(catalogue_, holdbacks=[HoldbackDraft(
        ["avod", "AVOD ", "FAST"], scope("SEA"), after_release_of="APP", days_after_release=90)]))
    with database.read() as session:
        saved = deals.load_deal(session, deal_id.deal_id)
    assert saved.grants[0].holdbacks[0].media == ["AVOD", "FAST"]


def test_a_signed_deal_whose_rights_are_untouched_saves_a_notes_edit_with_its_clashes_as_warnings(database, catalogue_):
    """Issue 18: something signed later (here forced in, as an older program or an import might
    have) clashes with a signed deal; editing that deal's notes is saved with the clash as a
    warning, while changing its grants is still refused."""
    from rightsdesk.persistence.models import Deal

    acquire(database, catalogue_)
    first = save(database, licence(catalogue_)).deal_id
    later = licence(catalogue_, "OUT-2026-0002", "kwai", territories=scope("TH"), status=DealStatus.DRAFT)
    later_id = save(database, later).deal_id
    with database.transaction() as session:
        session.get(Deal, later_id).status = DealStatus.SIGNED  # signed behind the clash check's back
    with database.read() as session:
        draft = deals.load_deal(session, first)
    draft.notes = "Renewal talks in March"
    kept = save(database, draft)
    assert any("OUT-2026-0002" in clash for clash in kept.clashes)
    with database.read() as session:
        draft = deals.load_deal(session, first)
    assert draft.notes == "Renewal talks in March"
    draft.grants[0].media = ["APP", "AVOD"]
    with pytest.raises(deals.RightsConflict):
        save(database, draft)
