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


@pytest.mark.sqlite_only
def test_a_file_damaged_past_its_structure_is_found_after_opening_and_left_for_review(qtbot, demo_file, tmp_path,
                                                                                       answer_dialogs):
    """Issue 17: opening checks the structure only; the window then reads every page in the
    background. Until it has, a save is held back; a damaged file leaves the window for review,
    saying what is wrong and how to restore the last backup."""
    import shutil

    from rightsdesk.persistence.database import DatabaseBusy, ReadOnlyDatabase
    from rightsdesk.services import catalogue
    from rightsdesk.ui import file_check
    from tests.persistence.test_damaged_files import zero_a_page

    told = answer_dialogs()
    sound, damaged = tmp_path / "sound.db", tmp_path / "damaged.db"
    for path in (sound, damaged):
        shutil.copy(demo_file, path)
    zero_a_page(damaged)
    for path in (sound, damaged):
        window = MainWindow(Database(path))
        qtbot.addWidget(window)
        check = file_check.check_every_page(window)
        with pytest.raises(DatabaseBusy, match="is being checked"):  # nothing written before every page is read
            with window.database.transaction() as session:
                catalogue.save_title(session, catalogue.TitleDraft("New"), user="ana")
        qtbot.waitUntil(lambda: not window.database.writes_held, timeout=20000)
        check.wait()
        if path == sound:
            assert not window.database.read_only
        else:
            assert window.database.read_only and "is damaged" in told[-1] and "open for review only" in told[-1]
            assert not window.deals.new_out_action.isVisible()
            with pytest.raises(ReadOnlyDatabase, match="its file is damaged"):
                with window.database.transaction() as session:
                    catalogue.save_title(session, catalogue.TitleDraft("New"), user="ana")
        window.close()
        window.database.dispose()


@pytest.mark.sqlite_only
def test_a_share_whose_last_changes_cannot_be_read_is_refused_in_a_dialog(qtbot, demo_file, tmp_path, monkeypatch,
                                                                           answer_dialogs):
    """Started from the desktop, the refusal must be seen: it only went to the terminal."""
    import shutil

    from rightsdesk.persistence import database as database_module
    from rightsdesk.ui.app import open_window

    told = answer_dialogs()
    path = tmp_path / "share" / "rightsdesk.db"
    path.parent.mkdir()
    shutil.copy(demo_file, path)
    path.with_name("rightsdesk.db-wal").write_bytes(b"\0" * 4096)
    monkeypatch.setattr(database_module, "_writable", lambda _path: False)
    assert open_window(str(path), read_only=True) is None
    assert "has changes not yet written into it" in told[-1]
