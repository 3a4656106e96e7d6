import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from rightsdesk.ui.app import application
from rightsdesk.ui.table import RecordList


@pytest.fixture
def backend() -> str:
    """Screens are tested on SQLite only: what they do in the database goes through the services,
    whose tests run on SQLite and PostgreSQL alike (tests/services, tests/persistence); the team
    server's own screen has its tests (test_team_database.py). It keeps the suite within its
    10 minutes on 2 cores."""
    return "sqlite"


@pytest.fixture(autouse=True)
def fresh_settings(qapp):
    application()
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def answer_dialogs(monkeypatch):
    """Answer message boxes without showing them; records what was asked."""
    asked: list[str] = []

    def answering(answer):
        def ask(parent, title, text, *args, **kwargs):
            asked.append(text)
            return answer
        return ask

    def set_answer(answer=QMessageBox.StandardButton.Yes):
        for name in ("question", "warning", "information", "critical"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(answering(answer)))
        monkeypatch.setattr(QMessageBox, "exec", lambda self: asked.append(self.text()) or 0)
        return asked

    return set_answer


@pytest.fixture
def shown(qtbot):
    """Show a screen and wait for the lists in view to fill (they fill off the UI thread when
    first shown)."""
    def show(widget):
        widget.show()
        lists = [found for found in widget.findChildren(RecordList) if found.isVisible()]
        qtbot.waitUntil(lambda: all(found.model.filled for found in lists), timeout=5000)
        return widget

    return show
