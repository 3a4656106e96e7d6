"""Music clearance and localization feeding avails and windows, from the database."""

from datetime import date

from sqlalchemy import select

from rightsdesk.domain.avails import Status
from rightsdesk.domain.enums import LicenceStatus, LocalizationKind, LocalizationStatus
from rightsdesk.persistence.models import Deal, Grant, LocalizationTask, MusicLicence, MusicTrack
from rightsdesk.services import avails, windows


def ask(database, **flags):
    with database.read() as session:
        answer = avails.ask(session, avails.AvailsRequest("US CA", date(2026, 9, 1), date(2026, 12, 31),
                                                          titles=(1, 2), media=("APP",), **flags))
    return {(t, c): cell for t, c, m, cell in answer.result.cells()}


def test_music_is_only_checked_when_asked(database, cue_sheet):
    assert all(cell.status is Status.AVAILABLE for cell in ask(database).values())


def test_uncleared_music_blocks_each_title_where_its_tracks_are_not_cleared(database, cue_sheet):
    cells = ask(database, music=True)
    bride, heiress = cue_sheet["titles"]
    # the Bride: one track never licensed, one quoted, one whose licence ended in June
    assert cells[(bride, "US")].status is Status.MUSIC_NOT_CLEARED
    why = " ".join(r.explanation for s in cells[(bride, "US")].segments for r in s.reasons)
    assert "“Nobody's Song” (episode 1)" in why and "“Old Sting” (episode 1)" in why and "Quoted Song" in why
    assert "Shared Theme" not in why
    # the Heiress uses only the shared theme, cleared in the US alone
    assert cells[(heiress, "US")].status is Status.AVAILABLE
    assert cells[(heiress, "CA")].status is Status.MUSIC_NOT_CLEARED


def test_a_track_shared_by_two_series_blocks_both_when_its_licence_is_denied(database, cue_sheet):
    with database.transaction() as session:
        shared = session.scalar(select(MusicTrack.id).where(MusicTrack.title == "Shared Theme"))
        session.scalars(select(MusicLicence).where(MusicLicence.track_id == shared)).one().status = LicenceStatus.DENIED
    cells = ask(database, music=True)
    for title in cue_sheet["titles"]:
        assert cells[(title, "US")].status is Status.MUSIC_NOT_CLEARED
        assert "Shared Theme" in cells[(title, "US")].segments[0].reasons[0].explanation


def test_titles_not_localized_in_a_required_language_are_not_available(database, worked):
    bride, heiress = worked["titles"]
    with database.transaction() as session:
        session.add(LocalizationTask(title_id=heiress, language_tag="th", kind=LocalizationKind.SUBTITLES,
                                     status=LocalizationStatus.DELIVERED, delivered_on=date(2026, 10, 15)))
        session.add(LocalizationTask(title_id=bride, language_tag="th", kind=LocalizationKind.DUB,
                                     status=LocalizationStatus.IN_QC))
    cells = ask(database, localized_in=("th",))
    assert cells[(bride, "US")].status is Status.NOT_LOCALIZED
    assert "not localized in th: no subtitles; dub in QC" in cells[(bride, "US")].segments[0].reasons[0].explanation
    # the Heiress is localized from its delivery on 15 October: not for the whole term asked
    heiress_cell = cells[(heiress, "US")]
    assert not heiress_cell.available
    assert [(s.start, s.end, s.status) for s in heiress_cell.segments] == [
        (date(2026, 9, 1), date(2026, 10, 14), Status.NOT_LOCALIZED), (date(2026, 10, 15), date(2026, 12, 31), Status.AVAILABLE)]


def test_windows_warn_where_music_is_not_cleared(database, cue_sheet):
    heiress = cue_sheet["titles"][1]
    with database.transaction() as session:
        for territory in ("US", "CA"):
            windows.save_window(session, windows.WindowDraft(heiress, territory, "APP", date(2026, 9, 1), date(2026, 12, 31)),
                                user="ana")
    with database.read() as session:
        views = {v.window.territory: v for v in windows.window_views(session, title_id=heiress)}
    assert not [f for f in views["US"].flags if f.status is Status.MUSIC_NOT_CLEARED]
    flag = next(f for f in views["CA"].flags if f.status is Status.MUSIC_NOT_CLEARED)
    assert flag.explanation == "music not cleared: “Shared Theme” (episode 1)"


def test_windows_warn_when_the_title_is_not_localized_in_a_language_their_grant_requires(database, worked):
    from rightsdesk.domain.enums import DealDirection, DealStatus
    from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
    from rightsdesk.domain.territories import ScopeItem, TerritoryScope
    from rightsdesk.services import deals

    heiress = worked["titles"][1]
    with database.transaction() as session:
        licensee = session.get(Deal, worked["deal"]).counterparty_id
        saved = deals.save_deal(session, DealDraft(DealDirection.OUT, licensee, "OUT-TH", date(2026, 8, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(heiress)], territories=TerritoryScope((ScopeItem("TH"),)), media=["APP"],
                       languages=["th"], term_start=date(2026, 9, 1), term_end=date(2027, 8, 31))]), user="ana")
        grant = session.scalar(select(Grant.id).where(Grant.deal_id == saved.deal_id))
        windows.save_window(session, windows.WindowDraft(heiress, "TH", "APP", date(2026, 9, 1), date(2026, 12, 31),
                                                         grant_id=grant), user="ana")
    with database.read() as session:
        [view] = windows.window_views(session, title_id=heiress)
    assert [f.explanation for f in view.flags] == ["not localized in th: no subtitles; no dub"]
