"""The first start: the demo in a database of its own, or the user's own database empty; asked once."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from rightsdesk.persistence import migrate
from rightsdesk.persistence.database import Database, default_database_path, demo_database_path
from rightsdesk.persistence.models import Title
from rightsdesk.services import catalogue
from rightsdesk.domain.catalogue import TitleDraft
from rightsdesk.ui import main_window, settings
from rightsdesk.ui.app import open_window
from rightsdesk.ui.main_window import MainWindow
from rightsdesk.ui.welcome import WelcomeDialog


@pytest.fixture(autouse=True)
def fresh_data_folder(monkeypatch, tmp_path):
    """A desk where RightsDesk never ran: an empty data folder, no RIGHTSDESK_DB, a small demo."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("RIGHTSDESK_DB", raising=False)
    monkeypatch.setattr(main_window, "DEMO_TITLES", 3)
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.wait_for_background()
        window.close()
        window.database.dispose()


def titles_in(path: Path) -> int:
    database = Database(path)
    try:
        with database.read() as session:
            return session.scalar(select(func.count(Title.id))) or 0
    finally:
        database.dispose()


def answer_with_keys(monkeypatch, qtbot, *keys):
    """Answer the welcome dialog as a person would: shown, then keys pressed on what has focus."""
    asked = []

    def exec_(dialog):
        asked.append(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitExposed(dialog)
        for key in keys:
            qtbot.keyClick(dialog.focusWidget() or dialog, key)
        return dialog.result()

    monkeypatch.setattr(WelcomeDialog, "exec", exec_)
    return asked


def never_asked(monkeypatch):
    monkeypatch.setattr(WelcomeDialog, "exec", lambda dialog: pytest.fail("asked again"))


def started(qtbot, windows, window):
    assert window is not None
    qtbot.addWidget(window)
    windows.append(window)
    if window.operation is not None:
        with qtbot.waitSignal(window.operation.finished, timeout=60000):
            pass
    return window


def test_return_opens_the_demo_in_its_own_database_and_the_next_start_opens_it_again(qtbot, monkeypatch, fresh_data_folder):
    asked = answer_with_keys(monkeypatch, qtbot, Qt.Key.Key_Return)
    window = started(qtbot, fresh_data_folder, open_window(None))
    assert len(asked) == 1
    assert window.database.path == demo_database_path() != default_database_path()
    assert "demo catalogue" in window.windowTitle()
    assert titles_in(demo_database_path()) == 3
    assert not default_database_path().exists()  # the user's own database: not touched
    assert not window.demo_action.isEnabled() and window.own_database_action.isVisible()

    never_asked(monkeypatch)
    again = started(qtbot, fresh_data_folder, open_window(None))
    assert again.database.path == demo_database_path() and again.operation is None  # (not built twice)
    assert titles_in(demo_database_path()) == 3


def test_down_then_return_starts_with_the_empty_catalogue_and_is_not_asked_again(qtbot, monkeypatch, fresh_data_folder):
    answer_with_keys(monkeypatch, qtbot, Qt.Key.Key_Down, Qt.Key.Key_Return)
    window = started(qtbot, fresh_data_folder, open_window(None))
    assert window.database.path == default_database_path() and window.operation is None
    assert titles_in(default_database_path()) == 0
    assert not demo_database_path().exists()
    assert "demo" not in window.windowTitle() and not window.own_database_action.isVisible()

    never_asked(monkeypatch)
    settings.FIRST_START_ANSWERED.set(False)  # (the existing database alone is enough not to ask)
    again = started(qtbot, fresh_data_folder, open_window(None))
    assert again.database.path == default_database_path()


def test_escape_starts_empty_too(qtbot, monkeypatch, fresh_data_folder):
    answer_with_keys(monkeypatch, qtbot, Qt.Key.Key_Escape)
    window = started(qtbot, fresh_data_folder, open_window(None))
    assert window.database.path == default_database_path() and window.operation is None
    assert settings.FIRST_START_ANSWERED.get() and settings.START_DATABASE.get() == ""
    assert not demo_database_path().exists()


def test_a_chosen_database_is_opened_without_asking(qtbot, monkeypatch, fresh_data_folder, tmp_path):
    never_asked(monkeypatch)
    window = started(qtbot, fresh_data_folder, open_window(str(tmp_path / "mine.db")))
    assert window.database.path == tmp_path / "mine.db" and window.operation is None
    assert titles_in(tmp_path / "mine.db") == 0


def test_file_open_demo_never_fills_the_database_in_use_and_your_database_comes_back(qtbot, monkeypatch, fresh_data_folder):
    never_asked(monkeypatch)
    own = Database(default_database_path())
    migrate.prepare(own)
    with own.transaction() as session:
        catalogue.save_title(session, TitleDraft("My Only Series"), user="ana")
    own.dispose()
    window = started(qtbot, fresh_data_folder, open_window(None))
    assert window.demo_action.isEnabled()

    window.demo_action.trigger()
    started(qtbot, [], window)
    assert window.is_demo and titles_in(demo_database_path()) == 3
    assert titles_in(default_database_path()) == 1
    assert settings.START_DATABASE.get() == ""  # (opened from the menu: the next start is where you work)

    window.own_database_action.trigger()
    assert window.database.path == default_database_path() and not window.is_demo


def test_leaving_the_demo_chosen_at_first_start_makes_the_next_start_open_your_database(qtbot, monkeypatch, fresh_data_folder):
    answer_with_keys(monkeypatch, qtbot, Qt.Key.Key_Return)
    window = started(qtbot, fresh_data_folder, open_window(None))
    assert settings.START_DATABASE.get() == str(demo_database_path())
    window.own_database_action.trigger()
    assert settings.START_DATABASE.get() == ""
    never_asked(monkeypatch)
    again = started(qtbot, fresh_data_folder, open_window(None))
    assert again.database.path == default_database_path()


def test_a_demo_cancelled_while_built_leaves_nothing_and_is_built_at_the_next_start(qtbot, monkeypatch, fresh_data_folder):
    answer_with_keys(monkeypatch, qtbot, Qt.Key.Key_Return)
    window = open_window(None)
    qtbot.addWidget(window)
    fresh_data_folder.append(window)
    assert window.operation is not None and "demo" in window.windowTitle()
    with qtbot.waitSignal(window.operation.finished, timeout=60000):
        window.operation.cancel()  # (what the progress dialog's Cancel does)
    assert window.statusBar().currentMessage() == "Demo catalogue cancelled; nothing was written."
    assert titles_in(demo_database_path()) == 0 and not default_database_path().exists()

    never_asked(monkeypatch)
    again = started(qtbot, fresh_data_folder, open_window(None))
    assert again.is_demo and titles_in(demo_database_path()) == 3


def test_a_packaging_check_that_starts_and_quits_is_not_asked(qtbot, monkeypatch, fresh_data_folder):
    never_asked(monkeypatch)
    monkeypatch.setenv("RIGHTSDESK_QUIT_AFTER_START", "2")
    window = started(qtbot, fresh_data_folder, open_window(None))
    assert window.database.path == default_database_path() and window.operation is None
