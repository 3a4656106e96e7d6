from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.persistence.models import Title
from rightsdesk.services import catalogue
from rightsdesk.ui.catalogue.page import CataloguePage
from rightsdesk.ui.catalogue.title_editor import TitleEditor


def make_title(database) -> int:
    with database.transaction() as session:
        return catalogue.save_title(
            session,
            TitleDraft(original_name="เจ้าสาวตัวแทน", original_language="th", country_of_origin="TH",
                       episodes=[EpisodeDraft(1, "ตอนที่ 1", 95), EpisodeDraft(2, "ตอนที่ 2", 100)]),
            user="li",
        )


def click_save(qtbot, editor):
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_editing_a_title_in_the_gui_saves_it_to_the_database(qtbot, database):
    title_id = make_title(database)
    editor = TitleEditor(database, title_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.name.end(False)
    qtbot.keyClicks(editor.name, " II")  # QTest types ASCII only; the Thai name is already there
    editor.country.setCurrentIndex(editor.country.findData("ID"))
    runtime = editor.episodes.index(1, 2)
    editor.episodes.setData(runtime, "2:30")
    click_save(qtbot, editor)

    assert editor.result() == TitleEditor.DialogCode.Accepted
    with database.read() as session:
        saved = catalogue.load_title(session, title_id)
    assert saved.original_name == "เจ้าสาวตัวแทน II"
    assert saved.country_of_origin == "ID"
    assert [e.runtime_seconds for e in saved.episodes] == [95, 150]


def test_a_new_title_with_episodes_added_in_the_gui(qtbot, database):
    editor = TitleEditor(database)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.name, "The CEO's Substitute Bride")
    editor.add_episode()
    editor.add_episode()
    click_save(qtbot, editor)
    with database.read() as session:
        title = session.scalars(select(Title)).one()
        assert title.original_name == "The CEO's Substitute Bride"
        assert [e.number for e in title.episodes] == [1, 2]


def test_bad_input_is_shown_in_the_editor_and_nothing_is_saved(qtbot, database, answer_dialogs):
    answer_dialogs(QMessageBox.StandardButton.Discard)  # when the test closes the dirty editor
    title_id = make_title(database)
    editor = TitleEditor(database, title_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.name.clear()
    editor.episodes.setData(editor.episodes.index(1, 0), "1")  # duplicate episode number
    click_save(qtbot, editor)

    assert editor.isVisible()
    assert "a title needs a name" in editor.problems.text()
    assert "used twice" in editor.problems.text()
    with database.read() as session:
        assert catalogue.load_title(session, title_id).original_name == "เจ้าสาวตัวแทน"


def test_leaving_with_unsaved_changes_asks_first(qtbot, database, monkeypatch):
    title_id = make_title(database)
    editor = TitleEditor(database, title_id)
    qtbot.addWidget(editor)
    editor.show()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: asked.append(args[2]) or QMessageBox.StandardButton.Cancel)
    editor.reject()
    assert asked == []  # nothing changed: no question
    assert not editor.isVisible()

    editor = TitleEditor(database, title_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.genre.setText("Revenge")
    editor.reject()
    assert asked == ["Discard your changes to this title?"]
    assert editor.isVisible()  # the user chose to keep editing


def test_the_catalogue_page_filters_and_shows_the_selected_titles_episodes(qtbot, demo_database, shown):
    page = CataloguePage(demo_database)
    qtbot.addWidget(page)
    assert page.titles.model.rowCount() == 0  # nothing read before the screen is shown
    shown(page)
    titles = page.titles
    assert titles.model.rowCount() == 60
    titles.view.selectRow(0)
    assert page.episodes.rowCount() >= 40
    assert page.edit_action.isEnabled()

    qtbot.keyClicks(titles.filter_box, "no such series anywhere")
    qtbot.waitUntil(lambda: titles.model.rowCount() == 0)
    assert titles.stack.currentWidget() is titles.empty_label
    assert "No titles match" in titles.empty_label.text()


def test_an_empty_catalogue_says_what_to_do(qtbot, database, shown):
    page = CataloguePage(database)
    qtbot.addWidget(page)
    assert page.titles.stack.currentWidget() is page.titles.view  # not "no titles" before they are read
    shown(page)
    assert page.titles.stack.currentWidget() is page.titles.empty_label
    assert "New title (Ctrl+N)" in page.titles.empty_label.text()


def test_deleting_a_title_asks_for_confirmation(qtbot, database, answer_dialogs, shown):
    title_id = make_title(database)
    page = shown(CataloguePage(database))
    qtbot.addWidget(page)
    asked = answer_dialogs(QMessageBox.StandardButton.Cancel)
    page.delete_title(title_id)
    assert "cannot be undone" in asked[0]
    assert page.titles.model.rowCount() == 1

    answer_dialogs(QMessageBox.StandardButton.Yes)
    page.delete_title(title_id)
    assert page.titles.model.rowCount() == 0
