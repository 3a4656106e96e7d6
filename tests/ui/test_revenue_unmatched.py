"""The Unmatched tab as an accountant works it: amounts in money, identifiers in full, likely
titles with their IDs, an assignment made with the keyboard and taken back with Ctrl+Z (issue 18)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.revenue import Options
from rightsdesk.services import catalogue, history, revenue
from rightsdesk.ui.revenue.page import RevenuePage

LONG = "Brida Pengganti — Temporada 2 (dub Bahasa Indonesia) EP 1-80 / bundle SEA-2026-Q3"
MAPPING = {"period": "Month", "territory": "Country", "title_name": "Series", "gross_amount": "Revenue",
           "currency": "Currency"}


def parked(database):
    with database.transaction() as session:
        title = catalogue.save_title(session, TitleDraft("Brida Pengganti Temporada 2 dub Bahasa Indonesia", internal_id="T000042",
                                                         episodes=[EpisodeDraft(1, "", 90)]), user="li")
        source = revenue.save_source(session, "ShortMax")
        csv = f"Month,Country,Series,Revenue,Currency\n2026-07,US,{LONG},1234.5,USD\n2026-07,TH,{LONG},10,USD\n"
        revenue.import_file(session, source, "july.csv", csv.encode(), MAPPING, Options(), user="li")
    return title


def test_an_assignment_by_keyboard_is_undone_with_ctrl_z_and_both_are_in_the_titles_history(qtbot, database,
                                                                                             answer_dialogs, kept,
                                                                                             qtmodeltester):
    asked = answer_dialogs()
    title = parked(database)
    page = RevenuePage(database)
    kept.append(page)
    page.resize(1280, 600)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not page.reading(), timeout=20000)  # read off the UI thread
    assert page.unmatched_model.index(0, 3).data() == "$1,244.50"  # money, in the desk's locale
    assert page.unmatched_model.index(0, 2).data() == "2"
    assert page.unmatched_model.index(0, 1).data() == LONG
    qtbot.waitUntil(lambda: page.chooser(0) is not None
                    and page.chooser(0).itemText(1) == "T000042  Brida Pengganti Temporada 2 dub Bahasa Indonesia",
                    timeout=20000)
    width = page.unmatched.fontMetrics().horizontalAdvance(LONG)
    assert page.unmatched.columnWidth(1) >= width  # in full, not cut off (sized by the rows in view)
    assert page.undo_button.isHidden() and not page.undo_action.isEnabled()
    qtmodeltester.check(page.unmatched.model(), force_py=True)

    chooser = page.chooser(0)
    chooser.setFocus()
    qtbot.keyClick(chooser, Qt.Key.Key_Down)  # the first likely title, chosen with the keyboard
    assert page.acting()  # written off the UI thread, then the lists read again
    settled(qtbot, page)
    assert page.unmatched.isHidden() and page.tabs.tabText(1) == "Unmatched"
    assert page.assigned_label.text() == (f"2 lines reported as “{LONG}” assigned to "
                                          "T000042 Brida Pengganti Temporada 2 dub Bahasa Indonesia.")
    assert not page.undo_button.isHidden()

    page.setFocus()
    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settled(qtbot, page)
    assert page.tabs.tabText(1) == "Unmatched (1)" and page.unmatched_model.index(0, 1).data() == LONG
    assert page.assigned_label.text() == f"Assignment undone: 2 lines reported as “{LONG}” are unmatched again."
    assert page.undo_button.isHidden() and not page.undo_action.isEnabled()
    with database.read() as session:
        entries = {c.entry_id: c.summary for c in history.changes(session, kind="title", record_id=title)
                   if "revenue" in c.summary}
    summaries = list(entries.values())
    assert len(summaries) == 2 and summaries[1].startswith("assignment undone: 2 revenue lines from ShortMax")
    assert asked == []
    page.stop()


def test_the_title_editor_shows_revenue_assigned_to_the_title_in_its_history(qtbot, database, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    from rightsdesk.ui.catalogue.title_editor import TitleEditor
    from rightsdesk.ui.history import HistoryDialog

    title = parked(database)
    with database.transaction() as session:
        revenue.assign_identifier(session, 1, LONG, title, user="ana")
    opened = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: opened.append(self) or 0)
    editor = TitleEditor(database, title)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.mouseClick(editor.findChild(QPushButton, "history"), Qt.MouseButton.LeftButton)
    [dialog] = opened
    summaries = {dialog.table.item(row, 4).text() for row in range(dialog.table.rowCount())}
    assert f"2 revenue lines from ShortMax reported as “{LONG}” assigned to this title" in summaries
    assert isinstance(editor.buttons, QDialogButtonBox)


def settled(qtbot, page):
    qtbot.waitUntil(lambda: not page.acting() and not page.reading(), timeout=20000)


@pytest.fixture
def kept():
    """Widgets kept until after the model tester's own teardown (it disconnects from their
    models then); qtbot would delete them before."""
    widgets = []
    yield widgets
    for widget in widgets:
        widget.close()
        widget.deleteLater()
