"""Read-only mode in the GUI: nothing that changes data is offered, editors open for reading."""

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from rightsdesk.persistence.database import Database
from rightsdesk.ui.deals.deal_editor import DealEditor
from rightsdesk.ui.main_window import MainWindow


@pytest.fixture
def review_window(qtbot, database, worked):
    window = MainWindow(Database(database.location, read_only=True))
    qtbot.addWidget(window)
    yield window
    window.database.dispose()


def test_editing_actions_are_hidden_and_the_window_says_read_only(review_window):
    window = review_window
    assert window.windowTitle().endswith("(read-only)")
    assert "read-only: nothing can be changed" in window.database_label.text()
    hidden = [window.deals.new_out_action, window.deals.new_in_action, window.deals.delete_action,
              window.catalogue.new_action, window.catalogue.delete_action, window.demo_action,
              window.statements.run_button, window.statements.issue_button, window.statements.correct_button]
    assert not any(control.isVisible() for control in hidden)
    assert window.deals.edit_action.isVisible()  # opening a deal to read it stays


def test_an_editor_opens_for_reading_with_save_switched_off(qtbot, review_window, worked):
    editor = DealEditor(review_window.database, worked["deal"], parent=review_window)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.windowTitle() == "Deal IN-1 (read-only)"
    assert not editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert editor.findChild(object, "history").isEnabled()  # the history is for reading
    assert not editor.findChild(object, "add-grant").isVisible() and not editor.findChild(object, "remove-grant").isVisible()


def test_a_writable_database_offers_everything(qtbot, database, worked):
    window = MainWindow(database)
    qtbot.addWidget(window)
    editor = DealEditor(database, worked["deal"], parent=window)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.windowTitle().endswith("(read-only)")
    assert editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert window.deals.new_out_action.isVisible() and window.statements.run_button.isVisibleTo(window.statements)
