"""The statements screen: run a period, read the waterfall, issue after confirming."""

from PySide6.QtWidgets import QMessageBox
from rightsdesk.ui.statements.page import StatementsPage


def test_running_reviewing_and_issuing(qtbot, database, worked, answer_dialogs, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB"),
                                                ("2026-08", "US", "T000002", "30000", "USD"),
                                                ("2026-09", "US", "Somebody Else's Show", "99.99", "USD")], "q3.csv")
    page = StatementsPage(database)
    qtbot.addWidget(page)
    assert page.empty.isVisibleTo(page)
    page.period.setText("2026-Q3")
    page.run_period()
    qtbot.waitUntil(lambda: page.operation is None, timeout=5000)
    assert "1 statement(s) drafted for 2026-Q3" in page.outcome.text()
    assert "Not on any statement: $99.99" in page.outcome.text()
    assert page.list.rowCount() == 1 and page.list.item(0, 0).text() == "draft"
    assert page.list.item(0, 5).text() == "$40,000.00" and page.list.item(0, 7).text() == "$0.00"
    page.list.selectRow(0)
    steps = [page.lines.item(r, 1).text() for r in range(page.lines.rowCount())]
    assert any("THB400,000.00 at 0.025, rate of 2026-09-30" in s for s in steps)
    assert "MG outstanding $20,000.00 → $5,000.00" in page.balances.text()
    assert page.history.rowCount() == 1 and page.history.item(0, 5).text() == "$5,000.00"

    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    page.issue_selected()
    assert "locked" in asked[0]
    assert page.list.item(0, 0).text().startswith("ST-2026-") and page.list.item(0, 9).text() == "Issued"
    assert not page.issue_button.isEnabled()
    if database.path:  # issuing cannot be undone, so a database file is copied just before
        saved = list((database.path.parent / "backups").glob("*-before-issue.db"))
        assert len(saved) == 1 and str(saved[0]) in page.outcome.text()
