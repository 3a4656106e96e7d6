"""The music area: editing an episode's cue sheet, importing and exporting, licences per track."""

import dataclasses
from datetime import date
from decimal import Decimal as D

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import LicenceStatus, UsageCode
from rightsdesk.domain.music import CueDraft, LicenceDraft
from rightsdesk.persistence.models import Expense, MusicTrack
from rightsdesk.services import catalogue, cue_sheets, music
from rightsdesk.ui.actions import run
from rightsdesk.ui.music.cue_sheet_editor import DURATION, IN, OUT, TRACK, USAGE
from rightsdesk.ui.music.editors import BookExpenseDialog, LicenceEditor
from rightsdesk.ui.music.page import MusicPage


def make_series(database):
    with database.transaction() as session:
        title_id = catalogue.save_title(session, TitleDraft("Moonlit Vows", episodes=[
            EpisodeDraft(n, f"Part {n}", 120) for n in (1, 2)]), user="ana")
        first, second = (e.episode_id for e in cue_sheets.episodes_with_music(session, title_id))
        cue_sheets.save_cue_sheet(session, first, [CueDraft("Moon Theme", UsageCode.MT, 0, 15_000)], user="ana")
    return title_id, first, second


def open_page(qtbot, database, title_id):
    page = MusicPage(database)
    qtbot.addWidget(page)
    page.show()
    page.cue_sheets.titles.select_id(title_id)
    return page


def test_cues_are_added_edited_reordered_and_saved(qtbot, database, answer_dialogs):
    title_id, first, _ = make_series(database)
    page = open_page(qtbot, database, title_id)
    editor = page.cue_sheets.editor
    assert editor.sheet.episode_id == first and editor.model.rowCount() == 1
    assert page.cue_sheets.episodes.item(0).text().endswith("1 cue")
    assert not editor.save_action.isEnabled()  # nothing to save yet

    editor.view.selectRow(0)
    editor.add_cue()  # after the theme, starting where it stops
    model = editor.model
    assert (model.cues[1].in_ms, model.cues[1].out_ms) == (15_000, 25_000)
    model.setData(model.index(1, TRACK), "Rain")
    model.setData(model.index(1, USAGE), "BV")
    model.setData(model.index(1, IN), "00:20")
    model.setData(model.index(1, DURATION), "00:30")  # a duration moves the out point
    assert model.index(1, OUT).data() == "00:50"
    assert editor.save_action.isEnabled() and "(unsaved)" in editor.heading.text()
    assert editor.totals.text() == "2 cues · music 00:45"

    # a bad timecode is refused with the reason, and the cue keeps its time
    assert not model.setData(model.index(1, IN), "twenty")
    assert "'twenty' is not a timecode" in editor.problems.text()
    assert model.cues[1].in_ms == 20_000

    editor.view.selectRow(1)
    editor.move_cue(-1)
    assert [c.track_title for c in model.cues] == ["Rain", "Moon Theme"]
    assert editor.save()
    with database.read() as session:
        saved = cue_sheets.load_cue_sheet(session, first).cues
    assert [(c.track_title, c.usage, c.in_ms, c.out_ms) for c in saved] == [
        ("Rain", UsageCode.BV, 20_000, 50_000), ("Moon Theme", UsageCode.MT, 0, 15_000)]
    assert page.cue_sheets.episodes.item(0).text().endswith("2 cues")


def test_a_cue_past_the_end_of_the_episode_is_refused_on_save(qtbot, database, answer_dialogs):
    title_id, first, _ = make_series(database)
    page = open_page(qtbot, database, title_id)  # (held: qtbot keeps only a weak reference)
    editor = page.cue_sheets.editor
    editor.model.setData(editor.model.index(0, OUT), "02:10")
    assert not editor.save()
    assert "cue 1: out 02:10 is after the episode ends (02:00)" in editor.problems.text()
    with database.read() as session:
        assert cue_sheets.load_cue_sheet(session, first).cues[0].out_ms == 15_000


def test_leaving_an_edited_sheet_asks_first(qtbot, database, answer_dialogs):
    title_id, first, second = make_series(database)
    page = open_page(qtbot, database, title_id)
    editor = page.cue_sheets.editor
    editor.view.selectRow(0)
    editor.remove_cue()
    asked = answer_dialogs(QMessageBox.StandardButton.Cancel)
    page.cue_sheets.episodes.setCurrentRow(1)
    assert asked == ["Save your changes to this cue sheet first?"]
    assert editor.sheet.episode_id == first and page.cue_sheets.episodes.currentRow() == 0  # stayed
    answer_dialogs(QMessageBox.StandardButton.Discard)
    page.cue_sheets.episodes.setCurrentRow(1)
    assert editor.sheet.episode_id == second
    with database.read() as session:
        assert len(cue_sheets.load_cue_sheet(session, first).cues) == 1  # the removal was discarded


def test_import_and_export_from_the_screen(qtbot, database, tmp_path, answer_dialogs, monkeypatch):
    title_id, first, second = make_series(database)
    page = open_page(qtbot, database, title_id)
    internal_id = page.cue_sheets.titles.model.row_at(0).internal_id
    good = tmp_path / "cues.csv"
    good.write_text(f"Title,Episode,Track,Usage,In,Out\n{internal_id},2,Rain,BI,00:05,00:25\n")
    done = page.cue_sheets.import_path(good)
    assert (done.episodes, done.cues) == (1, 1)
    assert "Imported 1 cue for 1 episode" in page.cue_sheets.message.text()
    assert page.cue_sheets.episodes.item(1).text().endswith("1 cue")

    asked = answer_dialogs()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"Title,Episode,Track,Usage,In,Out\n{internal_id},2,Rain,ZZ,00:05,00:25\n")
    assert page.cue_sheets.import_path(bad) is None
    assert "row 2, column 'usage'" in asked[-1]

    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    assert page.cue_sheets.export("pdf") == target and target.read_bytes().startswith(b"%PDF")


def test_a_licence_is_added_to_a_track_and_its_fee_booked(qtbot, database, cue_sheet, answer_dialogs):
    page = MusicPage(database)
    qtbot.addWidget(page)
    tracks = page.tracks
    with database.read() as session:
        nobody = session.scalar(select(MusicTrack.id).where(MusicTrack.title == "Nobody's Song"))
    tracks.list.select_id(nobody)
    assert tracks.track_id == nobody and tracks.licences.rowCount() == 0
    assert "has no licence yet" in tracks.licence_label.text()

    editor = LicenceEditor(database, nobody, None, tracks)
    qtbot.addWidget(editor)
    editor.status.setCurrentIndex(editor.status.findData(LicenceStatus.CLEARED))
    editor.territories.setText("WORLD excluding CN")
    editor.media.setText("app, avod")
    editor.fee.setText("1,250.00")  # in the desk's locale (en_US here)
    editor.save()
    assert not editor.problems.isVisible()
    editor.currency.setCurrentIndex(editor.currency.findData("EUR"))
    editor.save()
    assert editor.saved_id is not None, editor.problems.text()
    tracks.show_licences(nobody)
    assert tracks.licences.rowCount() == 1 and tracks.licences.item(0, 0).text() == "cleared"
    assert tracks.licences.item(0, 2).text() == "WORLD excluding CN" and tracks.licences.item(0, 3).text() == "APP AVOD"

    with database.transaction() as session:
        licence_id = editor.saved_id
        book = BookExpenseDialog(database, "fee", lambda deal, day, recoup: music.book_licence_fee(
            session, licence_id, deal, user="ana", incurred_on=day, recoupable=recoup), tracks)
        qtbot.addWidget(book)
        book.deal.setCurrentText("NO-SUCH-DEAL")
        book.accept()
        assert "There is no deal 'NO-SUCH-DEAL'" in book.problems.text()
        book.deal.setCurrentText("IN-1")
        book.incurred_on.setDate(date(2026, 9, 1))
        book.accept()
    with database.read() as session:
        expense = session.get(Expense, book.expense_id)
        assert (expense.amount, expense.currency, expense.music_licence_id) == (D("1250.00"), "EUR", licence_id)


def test_the_licence_editor_offers_only_the_next_steps_of_the_workflow(qtbot, database, cue_sheet):
    with database.read() as session:
        quoted = session.scalar(select(MusicTrack.id).where(MusicTrack.title == "Quoted Song"))
        licence = music.licences_of_track(session, quoted)[0]
    editor = LicenceEditor(database, quoted, licence.id)
    qtbot.addWidget(editor)
    offered = [editor.status.itemData(n) for n in range(editor.status.count())]
    assert offered == [LicenceStatus.QUOTED, LicenceStatus.REQUESTED, LicenceStatus.CLEARED, LicenceStatus.DENIED]
    assert editor.status.currentData() == LicenceStatus.QUOTED


def test_a_title_saved_elsewhere_shows_its_new_episode_count_and_episodes(qtbot, database):
    """Music follows titles and episodes: one more episode saved (as Catalogue saves it) is
    listed at once, with no refresh asked for, and the episode being looked at stays chosen."""
    title_id, first, _ = make_series(database)
    page = open_page(qtbot, database, title_id)
    titles = page.cue_sheets.titles
    column = [c.key for c in titles.model.columns].index("episode_count")
    assert titles.model.index(titles.model.row_of(title_id), column).data() == "2"

    with database.read() as session:
        draft = catalogue.load_title(session, title_id)
    draft.episodes = [EpisodeDraft(1, "Prologue", 90)] + [  # listed before the episode being looked at
        dataclasses.replace(e, number=e.number + 1) for e in draft.episodes]
    run(database, catalogue.save_title, draft, user="ana")  # as the title editor does

    assert titles.model.index(titles.model.row_of(title_id), column).data() == "3"
    episodes = page.cue_sheets.episodes
    assert episodes.count() == 3 and page.cue_sheets.title_id == title_id
    assert page.cue_sheets.editor.sheet.episode_id == first
    assert episodes.currentItem().data(Qt.ItemDataRole.UserRole) == first  # the list points at it still


def test_a_track_licensed_elsewhere_shows_its_licence_when_music_is_next_shown(qtbot, database):
    title_id, _, _ = make_series(database)
    page = open_page(qtbot, database, title_id)
    page.tabs.setCurrentWidget(page.tracks)
    qtbot.waitUntil(lambda: page.tracks.list.model.filled)
    with database.read() as session:
        track_id = music.find_track_ids(session, page.tracks.list.model.query)[0]
    page.tracks.list.select_id(track_id)
    assert page.tracks.licences.rowCount() == 0
    page.hide()

    run(database, music.save_licence, LicenceDraft(track_id), user="ana")
    assert page.tracks.licences.rowCount() == 0  # hidden: nothing read for nobody

    page.show()
    qtbot.waitUntil(lambda: page.tracks.licences.rowCount() == 1)
    assert page.tracks.track_id == track_id


def test_the_cue_sheet_titles_show_their_names_in_full_at_1280_by_720(qtbot, database):
    # The walkthrough at 1280 × 720 (issue 18): the list had room for "A esposa de contrato da prom",
    # so the seasons of one series could not be told apart.
    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("A esposa de contrato da promessa Temporada 18"), user="ana")
    page = MusicPage(database)
    qtbot.addWidget(page)
    page.resize(1090, 640)  # the area's room in a maximized window, beside the navigation
    page.show()
    titles = page.cue_sheets.titles
    qtbot.waitUntil(lambda: titles.model.rowCount() == 1 and titles.sized)
    header = titles.view.horizontalHeader()
    name = header.logicalIndex(1)
    assert titles.model.index(0, name).data() == "A esposa de contrato da promessa Temporada 18"
    assert header.sectionSize(name) >= titles.view.sizeHintForColumn(name)  # (sized to the name)
    assert header.sectionViewportPosition(name) + header.sectionSize(name) <= titles.view.viewport().width()


def test_a_sheet_saved_by_someone_else_first_is_compared_and_reloaded(qtbot, database, monkeypatch):
    """The cue sheet saves through the same 'someone saved first' answer as every editor."""
    from PySide6.QtWidgets import QDialog

    from rightsdesk.ui.conflicts import ConflictDialog

    title_id, first, _ = make_series(database)
    page = open_page(qtbot, database, title_id)
    editor = page.cue_sheets.editor
    editor.model.setData(editor.model.index(0, OUT), "00:20")
    with database.transaction() as session:  # another desk, meanwhile
        sheet = cue_sheets.load_cue_sheet(session, first)
        cue_sheets.save_cue_sheet(session, first, [CueDraft("Moon Theme", UsageCode.MT, 0, 30_000)], user="ben",
                                  version=sheet.version)
    shown: list[list[tuple[str, str, str]]] = []

    def reload(dialog: ConflictDialog) -> int:
        shown.append([tuple(dialog.table.item(r, c).text() for c in range(3)) for r in range(dialog.table.rowCount())])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", reload)
    assert not editor.save()
    assert shown and shown[0][0][0] == "Cue 1" and "00:30" in shown[0][0][1] and "00:20" in shown[0][0][2]
    assert editor.model.cues[0].out_ms == 30_000 and not editor.is_dirty()  # reloaded as ben saved it
