"""A record's history in the GUI: every change, who and when, filtered and exported."""

from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog, QFileDialog

from rightsdesk.services import deals
from rightsdesk.ui.deals.deal_editor import DealEditor
from rightsdesk.ui.history import HistoryDialog


def test_the_deal_editor_shows_the_deals_history_and_exports_it(qtbot, monkeypatch, database, worked, tmp_path):
    with database.transaction() as session:
        draft = deals.load_deal(session, worked["deal"])
        draft.grants[0].media = ["APP"]
        deals.save_deal(session, draft, user="ben")

    shown: list[HistoryDialog] = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Rejected)
    editor = DealEditor(database, worked["deal"])
    qtbot.addWidget(editor)
    editor.findChild(object, "history").click()
    history = shown[0]
    table = history.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert ["ben", "update", f"Deal {worked['deal']}", "IN-1", "grant 1 › media", "APP, AVOD", "APP"] in [r[1:8] for r in rows]  # the last column: the database login
    assert {r[3].split(" ")[0] for r in rows} >= {"Deal", "Royalty", "Expense"}  # the deal's parts too
    assert "by 2 people" in history.summary.text()

    history.filter_box.setText("ben media")
    visible = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert len(visible) == 1

    target = tmp_path / "history.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert history.export() == target
    sheet = load_workbook(target).worksheets[-1]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    # When, Who, Action, Record, Summary, Field, Before, After, Database login (empty on a file)
    assert any(row[1:8] == ["ben", "update", f"Deal {worked['deal']}", "IN-1", "grant 1 › media", "APP, AVOD", "APP"]
               for row in cells if len(row) == 9)
    assert sum(1 for row in cells if len(row) == 9 and row[1] in ("ana", "ben")) == 1  # only what the filter showed


def test_a_record_without_changes_says_so(qtbot, database, worked):
    dialog = HistoryDialog(database, "music_licence", 999, "none")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and "No changes recorded" in dialog.summary.text()
    assert not dialog.findChild(object, "export").isEnabled()
