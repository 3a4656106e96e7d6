"""Two people edit the same deal: the second save is refused with who and when, the
differences are shown, and the user reloads the saved deal or keeps editing."""

import pytest
from PySide6.QtWidgets import QDialog

from rightsdesk.services import deals
from rightsdesk.ui.conflicts import ConflictDialog
from rightsdesk.ui.deals.deal_editor import DealEditor


@pytest.fixture
def stale_editor(qtbot, database, worked):
    """A deal editor opened before ben saved a change to the same deal."""
    editor = DealEditor(database, worked["deal"])
    qtbot.addWidget(editor)
    with database.transaction() as session:
        theirs = deals.load_deal(session, worked["deal"])
        theirs.grants[0].media = ["APP"]
        theirs.notes = "ben's note"
        deals.save_deal(session, theirs, user="ben")
    editor.notes.setPlainText("my note")
    return editor


def answer_conflict(monkeypatch, answer):
    shown: list[ConflictDialog] = []
    monkeypatch.setattr(ConflictDialog, "exec", lambda self: shown.append(self) or answer)
    return shown


def cells(dialog):
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_reloading_shows_the_saved_deal(monkeypatch, stale_editor, database, worked):
    shown = answer_conflict(monkeypatch, QDialog.DialogCode.Accepted)
    stale_editor.save()
    dialog = shown[0]
    assert "ben saved this deal at " in dialog.message.text()
    assert ("Notes", "ben's note", "my note") in cells(dialog)
    assert ("Grant 1 › media", "APP", "APP, AVOD") in cells(dialog)
    assert stale_editor.result() != QDialog.DialogCode.Accepted  # still open, nothing saved
    assert stale_editor.notes.toPlainText() == "ben's note" and stale_editor.grants[0].media == ["APP"]
    assert not stale_editor.is_dirty()

    stale_editor.notes.setPlainText("my note, again")  # now it saves over ben's version knowingly
    stale_editor.save()
    with database.read() as session:
        assert deals.load_deal(session, worked["deal"]).notes == "my note, again"


def test_keeping_on_editing_keeps_my_changes_and_saves_nothing(monkeypatch, stale_editor, database, worked):
    answer_conflict(monkeypatch, QDialog.DialogCode.Rejected)
    stale_editor.save()
    assert stale_editor.notes.toPlainText() == "my note"
    with database.read() as session:
        assert deals.load_deal(session, worked["deal"]).notes == "ben's note"
