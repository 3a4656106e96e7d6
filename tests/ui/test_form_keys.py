"""Keys behave the same in every form (issue 18), sent as real key events to the dialog the user
is in: Return in a combo box or a search field never submits the dialog, Ctrl+S saves every
editor, Tab leaves multi-line fields."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import func, select

from rightsdesk.persistence.models import Title
from rightsdesk.services.deals import GrantDraft
from rightsdesk.ui.catalogue.title_editor import TitleEditor
from rightsdesk.ui.deals.grant_editor import GrantEditor


def titles(database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Title.id)))


def test_return_after_typing_into_country_chooses_the_country_and_does_not_save(qtbot, database, answer_dialogs,
                                                                                in_dialog):
    answer_dialogs(QMessageBox.StandardButton.Discard)  # closing the unsaved editor at the end
    editor = TitleEditor(database)
    qtbot.addWidget(editor)
    editor.show()
    in_dialog(editor)
    qtbot.keyClicks(editor.name, "The Substitute Bride")
    editor.country.setFocus()
    qtbot.keyClicks(editor.country, "CN")
    qtbot.keyClick(editor.country, Qt.Key.Key_Return)
    assert editor.isVisible() and editor.result() == 0  # still open, nothing submitted
    assert editor.country.currentData() == "CN" and titles(database) == 0


def test_ctrl_s_saves_the_editor_from_any_field(qtbot, database, answer_dialogs, in_dialog):
    answer_dialogs()
    editor = TitleEditor(database)
    qtbot.addWidget(editor)
    editor.show()
    in_dialog(editor)
    qtbot.keyClicks(editor.name, "The Substitute Bride")
    editor.synopsis.setFocus()
    qtbot.keyClicks(editor.synopsis, "A bride")
    qtbot.keySequence(editor.synopsis, QKeySequence(QKeySequence.StandardKey.Save))
    assert editor.result() == TitleEditor.DialogCode.Accepted and titles(database) == 1


def test_tab_leaves_a_multi_line_field_instead_of_typing_a_tab(qtbot, database, answer_dialogs, in_dialog):
    answer_dialogs(QMessageBox.StandardButton.Discard)
    editor = TitleEditor(database)
    qtbot.addWidget(editor)
    editor.show()
    in_dialog(editor)
    editor.synopsis.setFocus()
    qtbot.keyClicks(editor.synopsis, "One line")
    qtbot.keyClick(editor.synopsis, Qt.Key.Key_Tab)
    assert "\t" not in editor.synopsis.toPlainText()
    assert QApplication.focusWidget() is not editor.synopsis


def test_return_in_the_grant_editors_title_search_does_not_close_it(qtbot, database, in_dialog):
    grant = GrantEditor(database, GrantDraft())
    qtbot.addWidget(grant)
    grant.show()
    in_dialog(grant)
    grant.search.setFocus()
    qtbot.keyClicks(grant.search, "Bride")
    qtbot.keyClick(grant.search, Qt.Key.Key_Return)
    assert grant.isVisible() and grant.result() == 0


def test_ctrl_s_saves_from_a_combo_box_too(qtbot, database, answer_dialogs, in_dialog):
    # A combo box takes a key with text for a choice to find: Ctrl+S never reached the dialog.
    answer_dialogs()
    editor = TitleEditor(database)
    qtbot.addWidget(editor)
    editor.show()
    in_dialog(editor)
    qtbot.keyClicks(editor.name, "The Substitute Bride")
    editor.country.setFocus()
    qtbot.keyClick(editor.country, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.result() == TitleEditor.DialogCode.Accepted and titles(database) == 1


def test_the_keys_watch_only_the_dialog_the_user_is_in(qtbot, database, answer_dialogs, in_dialog):
    # An application-wide filter in Python saw every event of every window, each waiting for the
    # interpreter while a background task held it: most of the window's stalls at volume (issue 15).
    from rightsdesk.ui import keys

    seen = []

    class Watching(keys.FormKeys):
        def eventFilter(self, watched, event):  # noqa: N802
            seen.append(watched)
            return super().eventFilter(watched, event)

    answer_dialogs()
    watching = Watching(QApplication.instance())
    try:
        plain = QWidget()
        qtbot.addWidget(plain)
        plain.show()
        qtbot.waitExposed(plain)
        plain.repaint()
        assert plain not in seen  # (an application-wide filter sees its show and paint)
        editor = TitleEditor(database)
        qtbot.addWidget(editor)
        editor.show()
        in_dialog(editor)
        qtbot.keyClicks(editor.name, "The Substitute Bride")
        qtbot.keyClick(editor.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert editor.name in seen and plain not in seen and titles(database) == 1
    finally:
        watching.deleteLater()
