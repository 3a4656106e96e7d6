import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from rightsdesk.ui.app import application


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
