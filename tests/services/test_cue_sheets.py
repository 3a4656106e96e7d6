"""Cue sheets: edited cue by cue, imported from CSV or XLSX all or nothing, tracks shared."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import CreditRole, UsageCode
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.domain.music import CueDraft
from rightsdesk.persistence.models import AuditEntry, Cue, MusicTrack, TrackCredit
from rightsdesk.services import catalogue, cue_sheets
from rightsdesk.services.revenue import ImportRefused


@pytest.fixture
def series(database):
    """A three-episode series of two-minute episodes, and the worked example's two titles."""
    with database.transaction() as session:
        title_id = catalogue.save_title(session, TitleDraft("Moonlit Vows", episodes=[
            EpisodeDraft(n, f"Part {n}", 120) for n in (1, 2, 3)]), user="ana")
        episodes = [e.episode_id for e in cue_sheets.episodes_with_music(session, title_id)]
        internal_id = catalogue.load_title(session, title_id).internal_id
    return {"title": title_id, "episodes": episodes, "internal_id": internal_id}


def cues_of(database, episode_id):
    with database.read() as session:
        return [(c.track_title, c.usage, c.in_ms, c.out_ms) for c in cue_sheets.load_cue_sheet(session, episode_id).cues]


def test_saving_a_cue_sheet_keeps_the_order_and_shares_tracks_by_title(database, series):
    first, second, _ = series["episodes"]
    with database.transaction() as session:
        cue_sheets.save_cue_sheet(session, first, [
            CueDraft("Moon Theme", UsageCode.MT, 0, 15_000), CueDraft("Rain", UsageCode.BI, 20_000, 50_000),
            CueDraft("moon theme ", UsageCode.ET, 100_000, 120_000)], user="ana")
        cue_sheets.save_cue_sheet(session, second, [CueDraft("MOON THEME", UsageCode.MT, 0, 15_000)], user="ben")
    assert cues_of(database, first) == [("Moon Theme", UsageCode.MT, 0, 15_000), ("Rain", UsageCode.BI, 20_000, 50_000),
                                        ("Moon Theme", UsageCode.ET, 100_000, 120_000)]
    with database.read() as session:
        assert session.scalar(select(func.count(MusicTrack.id))) == 2  # one theme, used three times in two episodes
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "cue_sheet", AuditEntry.entity_id == first)).one()
        assert entry.user_name == "ana" and entry.before == {"cues": []}
        assert entry.after["cues"][1] == "Rain BI 00:20–00:50"

    # reordered and one removed: exactly what the editor holds is kept
    with database.transaction() as session:
        sheet = cue_sheets.load_cue_sheet(session, first)
        cue_sheets.save_cue_sheet(session, first, [sheet.cues[1], sheet.cues[0]], user="ana")
    assert [c[0] for c in cues_of(database, first)] == ["Rain", "Moon Theme"]


def test_a_cue_sheet_with_problems_is_refused_and_the_old_one_kept(database, series):
    first = series["episodes"][0]
    with database.transaction() as session:
        cue_sheets.save_cue_sheet(session, first, [CueDraft("Rain", UsageCode.BI, 0, 5_000)], user="ana")
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        cue_sheets.save_cue_sheet(session, first, [
            CueDraft("Ok", UsageCode.BI, 0, 1_000), CueDraft("Backwards", UsageCode.BI, 9_000, 8_000),
            CueDraft("", UsageCode.BI, 0, 1_000), CueDraft("Too long", UsageCode.ET, 110_000, 125_000)], user="ana")
    assert [str(p) for p in refused.value.problems] == [
        "cue 2: out 00:08 is not after in 00:09", "cue 3: needs a track",
        "cue 4: out 02:05 is after the episode ends (02:00)"]
    assert cues_of(database, first) == [("Rain", UsageCode.BI, 0, 5_000)]


CSV = """Series,Episode,Cue No,Track Title,Composers,Publishers,Usage,In,Out
{id},1,1,Moon Theme,Ana Ruiz (SGAE) 50%; Lee Park (KOMCA) 50%,Moon Music (SGAE) 100%,MT,00:00,00:15
{id},1,2,Rain,Kim Soo (KOMCA),,background instrumental,00:20.500,00:50
{id},2,1,Moon Theme,,,MT,0:00,0:15
Heiress,1,1,Moon Theme,,,ET,01:00,01:20
"""


def test_a_csv_cue_sheet_replaces_the_episodes_it_names_and_creates_tracks_once(database, series, worked):
    first, second, third = series["episodes"]
    with database.transaction() as session:
        cue_sheets.save_cue_sheet(session, third, [CueDraft("Untouched", UsageCode.BI, 0, 5_000)], user="ana")
        cue_sheets.save_cue_sheet(session, first, [CueDraft("Replaced", UsageCode.BI, 0, 5_000)], user="ana")
        done = cue_sheets.import_cue_sheets(session, "cues.csv", CSV.format(id=series["internal_id"]).encode(), user="ana")
    assert (done.episodes, done.cues, sorted(done.new_tracks)) == (3, 4, ["Moon Theme", "Rain"])
    assert cues_of(database, first) == [("Moon Theme", UsageCode.MT, 0, 15_000), ("Rain", UsageCode.BI, 20_500, 50_000)]
    assert cues_of(database, second) == [("Moon Theme", UsageCode.MT, 0, 15_000)]
    assert cues_of(database, third) == [("Untouched", UsageCode.BI, 0, 5_000)]
    with database.read() as session:
        theme = session.scalars(select(MusicTrack).where(MusicTrack.title == "Moon Theme")).one()
        assert {(c.role, c.name, c.share_percent, c.society) for c in theme.credits} == {
            (CreditRole.COMPOSER, "Ana Ruiz", 50, "SGAE"), (CreditRole.COMPOSER, "Lee Park", 50, "KOMCA"),
            (CreditRole.PUBLISHER, "Moon Music", 100, "SGAE")}
        # the Heiress (found by its name) uses the same track record as Moonlit Vows
        assert session.scalar(select(func.count(Cue.id)).where(Cue.track_id == theme.id)) == 3


def test_a_cue_sheet_file_with_problems_writes_nothing_and_lists_each_by_row_and_column(database, series):
    first = series["episodes"][0]
    with database.transaction() as session:
        cue_sheets.save_cue_sheet(session, first, [CueDraft("Rain", UsageCode.BI, 0, 5_000)], user="ana")
    bad = (f"Title,Episode,Track,Usage,In,Out,Composers\n"
           f"{series['internal_id']},1,Fine,BI,00:00,00:10,\n"
           f"{series['internal_id']},9,Ghost,BI,00:00,00:10,\n"
           f"T999999,1,Lost,BI,00:00,00:10,\n"
           f"{series['internal_id']},2,Odd,XX,1:2,00:10,\n"
           f"{series['internal_id']},3,Late,ET,01:50,02:30,\n"
           f"{series['internal_id']},3,,BI,00:10,00:05,Someone 150%\n")
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        cue_sheets.import_cue_sheets(session, "bad.csv", bad.encode(), user="ana")
    found = {(p.row, p.column) for p in refused.value.problems}
    assert found == {(3, "episode"), (4, "title"), (5, "usage"), (5, "in"), (6, "out"), (7, "track"), (7, "composers")}
    assert "02:30 is after the episode ends (02:00)" in str(refused.value)
    assert cues_of(database, first) == [("Rain", UsageCode.BI, 0, 5_000)]
    with database.read() as session:
        assert session.scalar(select(func.count(MusicTrack.id))) == 1


def test_an_xlsx_cue_sheet_with_durations_instead_of_out_times(database, series):
    book = Workbook()
    sheet = book.active
    sheet.append(["Title", "Episode", "Cue", "Track", "Usage", "In", "Duration"])
    sheet.append([series["internal_id"], 2, 2, "Second", "VV", "00:30", "00:10"])
    sheet.append([series["internal_id"], 2, 1, "First", "SRC", "00:05", "00:20"])
    buffer = io.BytesIO()
    book.save(buffer)
    with database.transaction() as session:
        cue_sheets.import_cue_sheets(session, "cues.xlsx", buffer.getvalue(), user="ana")
    assert cues_of(database, series["episodes"][1]) == [("First", UsageCode.SRC, 5_000, 25_000),
                                                        ("Second", UsageCode.VV, 30_000, 40_000)]


def test_a_file_without_the_needed_columns_says_which(database, series):
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        cue_sheets.import_cue_sheets(session, "x.csv", b"Series,Track,Start\nA,B,00:01\n", user="ana")
    assert {p.column for p in refused.value.problems} == {"episode", "usage", "out (or duration)"}
    assert "the file's columns are Series, Track, Start" in str(refused.value)
    with database.read() as session:
        assert session.scalar(select(func.count(TrackCredit.id))) == 0


def test_values_a_cue_sheet_cannot_hold_are_row_errors_with_the_files_own_rows(database, series):
    code = series["internal_id"]
    bad = (f"Title,Episode,Cue,Track,Usage,In,Out\n"
           f"{code},1,nan,Rain,BI,00:00,00:10\n"
           f"\n"
           f"{code},1,inf,Rain,BI,00:00,00:10\n"
           f"{code},²,1,Rain,BI,00:00,00:10\n"
           f"{code},1,2,Evil\u202etxt,BI,00:00,00:10\n")
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        cue_sheets.import_cue_sheets(session, "bad.csv", bad.encode(), user="ana")
    assert {(p.row, p.column) for p in refused.value.problems} == {(2, "cue"), (4, "cue"), (5, "episode"), (6, "track")}
    assert "holds a control character (U+202E)" in str(refused.value)


def test_a_cue_file_in_another_encoding_is_read_when_declared_and_refused_otherwise(database, series):
    content = f"Title,Episode,Track,Usage,In,Out\n{series['internal_id']},1,Canción de cuna,BI,00:00,00:10\n".encode("cp1252")
    with pytest.raises(UserError, match="byte 0xF3 is not UTF-8"), database.transaction() as session:
        cue_sheets.import_cue_sheets(session, "cues.csv", content, user="ana")
    with database.transaction() as session:
        cue_sheets.import_cue_sheets(session, "cues.csv", content, user="ana", encoding="windows-1252")
    assert cues_of(database, series["episodes"][0]) == [("Canción de cuna", UsageCode.BI, 0, 10_000)]
