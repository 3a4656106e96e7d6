"""The cue sheet report: the societies' layout in PDF, and a workbook that imports back."""

from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import CreditRole, UsageCode
from rightsdesk.domain.music import CueDraft
from rightsdesk.persistence.models import MusicTrack, TrackCredit
from rightsdesk.services import licensing_reports as licensing
from rightsdesk.reports.document import report_pdf, report_workbook
from rightsdesk.services import catalogue, cue_sheets


def make_series(database):
    with database.transaction() as session:
        title_id = catalogue.save_title(session, TitleDraft("Moonlit Vows", episodes=[
            EpisodeDraft(n, f"Part {n}", 120) for n in (1, 2)]), user="ana")
        first, second = (e.episode_id for e in cue_sheets.episodes_with_music(session, title_id))
        cue_sheets.save_cue_sheet(session, first, [CueDraft("Moon Theme", UsageCode.MT, 0, 15_000),
                                                   CueDraft("Rain", UsageCode.BI, 20_000, 50_500)], user="ana")
        cue_sheets.save_cue_sheet(session, second, [CueDraft("Moon Theme", UsageCode.MT, 0, 15_000)], user="ana")
        theme = session.scalars(select(MusicTrack).where(MusicTrack.title == "Moon Theme")).one()
        theme.credits += [TrackCredit(role=CreditRole.COMPOSER, name="Ana Ruiz", share_percent=50, society="SGAE"),
                          TrackCredit(role=CreditRole.PUBLISHER, name="Moon Music", share_percent=50, society="SACM")]
        return catalogue.load_title(session, title_id).internal_id, (first, second)


def test_the_pdf_lists_each_episode_with_credits_and_totals_by_usage(database, pdf_text):
    internal_id, _ = make_series(database)
    with database.read() as session:
        report = licensing.build("cue_sheet", {"title": "moonlit vows"}, session)
    text = pdf_text(report_pdf(report))
    assert "Episode 1 · Part 1 · runtime 02:00 · music 00:45.500" in text
    assert "Ana Ruiz (SGAE) 50%" in text and "Moon Music (SACM) 50%" in text
    totals = {row[0]: row[2:] for row in report.tables[2].rows}
    assert totals["MT"][:2] == (2, "00:30") and totals["BI"][:2] == (1, "00:30.500")
    # only the episodes asked for
    with database.read() as session:
        just_two = licensing.build("cue_sheet", {"title": internal_id, "episodes": "2"}, session)
    assert [r[2] for r in just_two.tables[0].rows] == [2]


def test_the_workbook_imports_back_to_the_same_cue_sheets(database):
    internal_id, episodes = make_series(database)
    with database.read() as session:
        before = [[(c.track_id, c.usage, c.in_ms, c.out_ms) for c in cue_sheets.load_cue_sheet(session, e).cues] for e in episodes]
        workbook = report_workbook(licensing.build("cue_sheet", {"title": internal_id}, session))
    with database.transaction() as session:
        for episode in episodes:
            cue_sheets.save_cue_sheet(session, episode, [], user="ana")
        done = cue_sheets.import_cue_sheets(session, "export.xlsx", workbook, user="ana")
    assert (done.episodes, done.cues, done.new_tracks) == (2, 3, [])
    with database.read() as session:
        after = [[(c.track_id, c.usage, c.in_ms, c.out_ms) for c in cue_sheets.load_cue_sheet(session, e).cues] for e in episodes]
    assert after == before
