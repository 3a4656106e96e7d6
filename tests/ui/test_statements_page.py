"""The statements screen: run a period, read the waterfall, issue after confirming."""

from PySide6.QtWidgets import QMessageBox
from rightsdesk.ui.statements.page import StatementsPage

from payment_fixtures import paid_quarter  # noqa: F401  (a fixture)


def test_running_reviewing_and_issuing(qtbot, database, worked, answer_dialogs, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB"),
                                                ("2026-08", "US", "T000002", "30000", "USD"),
                                                ("2026-09", "US", "Somebody Else's Show", "99.99", "USD")], "q3.csv")
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    assert page.empty.isVisibleTo(page)
    assert page.balances.text().startswith("Choose a statement in the list")  # none chosen: says so
    page.period.setText("2026-Q3")
    page.run_period()
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)
    page.wait_for_list()
    assert "1 statement drafted for 2026-Q3" in page.outcome.text()
    assert "Not on any statement: $99.99" in page.outcome.text()
    assert page.model.rowCount() == 1 and page.text(0, 0) == "draft"
    assert page.text(0, 5) == "$40,000.00" and page.text(0, 7) == "$0.00"
    page.list.selectRow(0)
    page.wait_for_detail()
    steps = [page.lines.item(r, 1).text() for r in range(page.lines.rowCount())]
    assert any("THB400,000.00 at 0.025, rate of 2026-09-30" in s for s in steps)
    assert "MG outstanding $0.00 → $5,000.00" in page.balances.text()  # paid at signing, counted from Q3
    assert "Minimum guarantee paid 2026-01-10" in steps
    assert page.history.rowCount() == 1 and page.history.item(0, 5).text() == "$5,000.00"

    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(page.issue_button.isEnabled, timeout=10000)  # as a user clicks it: once it is on
    page.issue_selected()
    qtbot.waitUntil(lambda: page.operation is None, timeout=10000)
    page.wait_for_list()
    assert "locked" in asked[0]
    assert "• IN-1 · Golden Reel · 2026-Q3 · to pay" in asked[0]  # which statement it is about
    assert page.text(0, 0).startswith("ST-2026-") and page.text(0, 9) == "Issued"
    assert not page.issue_button.isEnabled()
    if database.path:  # issuing cannot be undone, so a database file is copied just before
        saved = list((database.path.parent / "backups").glob("*-before-issue.db"))
        assert len(saved) == 1 and str(saved[0]) in page.outcome.text()


def issued_q3_and_draft_q4(database, worked, import_revenue):
    from rightsdesk.services import issuing, statements

    import_revenue(database, worked["source"], [("2026-08", "US", "T000002", "30000", "USD"),
                                                ("2026-11", "US", "T000001", "1000", "USD")], "h2.csv")
    with database.transaction() as session:
        q3 = statements.run(session, "2026-Q3", user="ana").statements[0]
        number = issuing.issue(session, q3, user="ana")
        statements.run(session, "2026-Q4", user="ana")
    return q3, number


def answering_correction(monkeypatch, amount, reason):
    """Fill the Correct… dialog and press its OK button instead of waiting for a person."""
    from PySide6.QtWidgets import QDialogButtonBox

    from rightsdesk.ui.statements.correction import CorrectionDialog

    opened = []

    def exec_(dialog):
        opened.append(dialog)
        dialog.amount.setText(amount)
        dialog.reason.setText(reason)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        return dialog.result()

    monkeypatch.setattr(CorrectionDialog, "exec", exec_)
    return opened


def adjustments(database):
    from sqlalchemy import select

    from rightsdesk.persistence.models import StatementAdjustment

    with database.read() as session:
        return [(a.adjusts_statement_id, a.amount, a.reason, a.created_by)
                for a in session.scalars(select(StatementAdjustment).order_by(StatementAdjustment.id))]


def test_an_issued_statement_is_corrected_and_the_next_run_carries_it(qtbot, database, worked, import_revenue,
                                                                       monkeypatch, answer_dialogs):
    from decimal import Decimal

    from rightsdesk.services.audit import current_user
    from rightsdesk.ui.statements.page import CORRECT_DRAFT

    q3, number = issued_q3_and_draft_q4(database, worked, import_revenue)
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    assert [page.text(r, 1) for r in range(2)] == ["2026-Q4", "2026-Q3"]
    page.list.selectRow(0)  # the Q4 draft
    page.wait_for_detail()
    assert not page.correct_button.isEnabled() and page.correct_button.toolTip() == CORRECT_DRAFT
    page.list.selectRow(1)
    page.wait_for_detail()
    assert page.correct_button.isEnabled()

    asked = answer_dialogs()
    opened = answering_correction(monkeypatch, "-120.50", "   ")
    page.correct_selected()
    assert opened[0].windowTitle() == f"Correct {number} (2026-Q3, IN-1)"
    assert "Reason: say why" in opened[0].problems.text() and not opened[0].problems.isHidden()
    assert adjustments(database) == [] and asked == []

    opened = answering_correction(monkeypatch, "0", "Rounding")
    page.correct_selected()
    assert "Amount: a correction of zero changes nothing" in opened[0].problems.text()
    assert adjustments(database) == []

    opened = answering_correction(monkeypatch, "-120.50", "Refunds reported late by ShortMax")
    page.correct_selected()
    assert adjustments(database) == [(q3, Decimal("-120.50"), "Refunds reported late by ShortMax", current_user())]
    assert page.outcome.text() == (f"Correction of -$120.50 to {number} recorded. "
                                   "The next statement run for deal IN-1 carries it.")
    assert page.selected_id() == q3

    page.period.setText("2026-Q4")
    page.run_period()
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)
    page.wait_for_list()
    page.list.selectRow(0)
    page.wait_for_detail()
    steps = {page.lines.item(r, 1).text(): page.lines.item(r, 5).text() for r in range(page.lines.rowCount())}
    assert steps[f"Adjustment to statement {number}: Refunds reported late by ShortMax"] == "-$120.50"


def test_correct_is_hidden_on_a_read_only_database(qtbot, database, worked, import_revenue):
    from rightsdesk.ui.read_only import hide_edits

    issued_q3_and_draft_q4(database, worked, import_revenue)
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.show()
    page.list.selectRow(1)
    page.wait_for_detail()
    assert page.correct_button.isVisible() and page.correct_button.isEnabled()
    hide_edits(page)
    assert not page.correct_button.isVisible()


def test_the_run_message_leads_to_revenue_not_on_a_statement(qtbot, database, worked, import_revenue):
    from rightsdesk.ui.main_window import MainWindow

    import_revenue(database, worked["source"], [("2026-08", "US", "T000002", "30000", "USD"),
                                                ("2026-09", "US", "NOT-OURS", "99.99", "USD")], "q3.csv")
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    window.show_area("statements")
    page = window.statements
    page.period.setText("2026-Q3")
    page.run_period()
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)
    page.wait_for_list()
    assert 'see <a href="unstated">Revenue &gt; Not on a statement</a>.' in page.outcome.text()
    page.outcome.linkActivated.emit("unstated")
    assert window.area_key() == "revenue" and window.revenue.tabs.currentWidget() is window.revenue.unstated
    view = window.revenue.unstated
    # (the view reads, then fills its list off the UI thread: wait for what it lists)
    qtbot.waitUntil(lambda: [view.model.index(r, 2).data() for r in range(view.model.rowCount())] == ["NOT-OURS"],
                    timeout=10000)
    window.close()


def test_a_run_says_what_came_late_and_which_rate_is_older_than_the_period(qtbot, database, worked, import_revenue):
    from datetime import date
    from decimal import Decimal

    from rightsdesk.services import fx, issuing, statements

    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "100", "USD")], "q3.csv")
    with database.transaction() as session:
        issuing.issue(session, statements.run(session, "2026-Q3", user="ana").statements[0], user="ana")
        fx.save_rate(session, "MXN", "USD", date(2025, 6, 30), Decimal("0.05"))
    late = import_revenue(database, worked["source"], [("2026-09", "US", "T000002", "50", "USD"),
                                                      ("2026-10", "MX", "T000001", "1000", "MXN")], "q4.csv")
    assert late.late == {"IN-1 (2026-Q3 is issued)": 1}
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.period.setText("2026-Q4")
    page.run_period()
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)
    page.wait_for_list()
    shown = page.outcome.text()
    assert "1 line of earlier periods are on these statements" in shown
    assert "Rate older than the period used: 1 MXN = 0.05 USD (rate of 2025-06-30) for IN-1" in shown


def test_the_list_says_what_each_statement_asks_to_be_paid(qtbot, database, worked, import_revenue):
    """'To pay' in money (it once showed the stored integer, a million times too large)."""
    from rightsdesk.services import statements

    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB"),
                                                ("2026-08", "US", "T000001", "15000", "USD"),
                                                ("2026-09", "BR", "T000002", "15000", "USD"),
                                                ("2026-10", "US", "T000001", "30000", "USD")], "q3q4.csv")
    with database.transaction() as session:
        statements.run(session, "2026-Q3", user="ana")
        statements.run(session, "2026-Q4", user="ana")
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    assert page.text(0, 1) == "2026-Q4" and page.text(0, 8) == "$7,650.00"  # DOMAIN.md's worked example


# -- issue 18: the list filtered, a statement previewed and saved, a screen that follows -----------


def two_statements(qtbot, database, worked, import_revenue):
    """The Q4 draft above the issued Q3, on a page in view with the list focused."""
    q3, number = issued_q3_and_draft_q4(database, worked, import_revenue)
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.resize(1200, 700)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # shortcuts go to the active window
    page.list.setFocus()
    return page, q3, number


def listed(page):
    return [page.text(r, 1) for r in range(page.proxy.rowCount())]


def test_the_filter_searches_the_columns_the_list_shows(qtbot, database, worked, import_revenue):
    from PySide6.QtCore import Qt

    page, q3, number = two_statements(qtbot, database, worked, import_revenue)
    assert listed(page) == ["2026-Q4", "2026-Q3"]
    qtbot.keyClick(page.list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.filter.hasFocus()
    page.list.selectRow(0)  # the Q4 draft, about to be filtered out
    page.wait_for_detail()
    qtbot.keyClicks(page.filter, number.lower())  # the number, whatever the case
    assert listed(page) == ["2026-Q3"]
    assert page.selected_id() == q3 and page.list.selectionModel().isRowSelected(0)  # what the detail shows
    page.filter.clear()
    qtbot.keyClicks(page.filter, "DRAFT")  # the status
    assert listed(page) == ["2026-Q4"]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "golden in-1 2026-q3")  # participant, deal and period: every word
    assert listed(page) == ["2026-Q3"]
    qtbot.keyClick(page.filter, Qt.Key.Key_Return)  # on to what was found
    assert page.list.hasFocus() and page.selected_id() == q3
    page.filter.clear()
    qtbot.keyClicks(page.filter, "usd")  # the currency is no statement's name
    assert listed(page) == []
    assert not page.preview_button.isEnabled()
    assert page.count.text() == "0 of 2 statements"
    page.filter.clear()
    assert page.count.text() == "2 statements"


def test_the_list_and_the_statement_in_view_share_the_screen_as_the_user_left_them(qtbot, database, worked,
                                                                                   import_revenue):
    page, _, _ = two_statements(qtbot, database, worked, import_revenue)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    listed_height, detail_height = page.splitter.sizes()
    assert listed_height > detail_height  # the list first, three to two
    page.splitter.moveSplitter(200, 1)
    page.splitter.splitterMoved.emit(200, 1)  # (as a drag does; moveSplitter alone does not say so)
    moved = page.splitter.sizes()
    again = StatementsPage(database)
    qtbot.addWidget(again)
    again.wait_for_list()
    again.resize(1000, 700)
    again.show()
    qtbot.waitExposed(again)
    try:
        assert again.splitter.sizes() == moved
    finally:  # (the other tests' screens as a new user's)
        from PySide6.QtCore import QByteArray

        from rightsdesk.ui import settings

        settings.view_state("statements-splitter").set(QByteArray())


def test_space_previews_the_statement_as_its_pdf_with_pages_and_zoom(qtbot, database, worked, import_revenue,
                                                                     monkeypatch, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    page, q3, number = two_statements(qtbot, database, worked, import_revenue)
    page.list.selectRow(1)
    page.wait_for_detail()
    qtbot.keyClick(page.list, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=20000)
    preview = page.preview
    assert page.selected_id() == q3  # Space previewed; it did not change the selection
    qtbot.waitUntil(lambda: preview.document.status() is QPdfDocument.Status.Ready, timeout=10000)
    pages = preview.document.pageCount()
    assert pages >= 1 and preview.page_label.text() == f"Page 1 of {pages}"
    assert number in preview.windowTitle() and "Golden Reel" in preview.windowTitle()
    assert preview.rendered.pdf.startswith(b"%PDF") and preview.rendered.name == f"2026-Q3_Golden Reel_{number}.pdf"
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    assert preview.view.zoomMode() is QPdfView.ZoomMode.FitToWidth
    qtbot.keyClick(preview.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() is QPdfView.ZoomMode.Custom and preview.zoom_label.text().endswith("%")
    zoomed = preview.view.zoomFactor()
    qtbot.keyClick(preview.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomFactor() < zoomed
    qtbot.keyClick(preview.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert preview.view.zoomMode() is QPdfView.ZoomMode.FitToWidth and preview.zoom_label.text() == "fit to width"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, caption, suggested, filters: (str(tmp_path / "q3"), "PDF (*.pdf)")))
    qtbot.keyClick(preview.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save as… from the preview
    qtbot.waitUntil(lambda: preview.operation is None and preview.outcome.isVisible(), timeout=10000)
    assert (tmp_path / "q3.pdf").read_bytes() == preview.rendered.pdf  # what is shown is what is saved
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.preview is None)

    page.list.setFocus()
    page.list.selectRow(0)
    page.wait_for_detail()
    qtbot.keyClick(page.list, Qt.Key.Key_Return)  # Return previews too (the Q4 draft)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible(), timeout=20000)
    assert page.preview.windowTitle().startswith("Statement Draft · Golden Reel · 2026-Q4")
    page.preview.close()


def pdf_text(path):
    import subprocess

    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_one_statement_is_saved_as_pdf_or_excel_under_the_export_s_name(qtbot, database, paid_quarter, tmp_path,
                                                                         monkeypatch):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    from rightsdesk.ui.statements import preview

    page = StatementsPage(database)
    qtbot.addWidget(page)

    page.wait_for_list()
    number = paid_quarter["number"]
    row = next(r for r in range(page.proxy.rowCount()) if page.text(r, 0) == number)
    page.list.selectRow(row)
    page.wait_for_detail()
    to_pay = page.text(row, 8)
    assert to_pay == "$7,650.00"
    offered = []

    def choose(kind):
        def ask(parent, caption, suggested, filters):
            offered.append(suggested)
            return str(tmp_path / ("chosen" + (".xlsx" if kind == preview.EXCEL_FILTER else ".pdf"))), kind
        return ask

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose(preview.PDF_FILTER)))
    page.save_selected()
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)
    page.wait_for_list()
    assert offered[0].endswith(f"2026-Q4_Golden Reel_{number}.pdf")  # as the period's export names it
    text = pdf_text(tmp_path / "chosen.pdf")
    assert number in text and "7,650.00" in text and "Golden Reel" in text
    assert f"Saved {tmp_path / 'chosen.pdf'}" in page.outcome.text()

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose(preview.EXCEL_FILTER)))
    page.save_selected()
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)
    page.wait_for_list()
    book = openpyxl.load_workbook(tmp_path / "chosen.xlsx")
    cells = {str(cell.value) for sheet in book.worksheets for line in sheet.iter_rows() for cell in line if cell.value}
    assert number in cells and any(value in ("7650", "7650.00", "7650.0") for value in cells)


def test_the_screen_in_view_shows_a_run_made_elsewhere(qtbot, database, worked, import_revenue):
    """Another screen (or the assistant) drafts a period through ui.actions.run: the list shows it."""
    from rightsdesk.services import statement_screen
    from rightsdesk.ui.actions import run

    import_revenue(database, worked["source"], [("2026-08", "US", "T000002", "30000", "USD")], "q3.csv")
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.show()
    assert page.model.rowCount() == 0 and page.empty.isVisible()
    run(database, statement_screen.run_period, "2026-Q3", user="li")
    assert page.list_reading.busy()  # read again off the UI thread
    page.wait_for_list()
    assert page.model.rowCount() == 1 and page.text(0, 1) == "2026-Q3" and not page.empty.isVisible()


def test_a_run_cancelled_from_its_progress_leaves_nothing_drafted(qtbot, database, worked, import_revenue):
    from datetime import date

    from rightsdesk.services import statement_screen

    import_revenue(database, worked["source"], [("2026-08", "US", "T000002", "30000", "USD")], "q3.csv")
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.show()
    page.period.setText("2026-Q3")
    operation = page.run_period()
    operation.dialog.canceled.emit()  # the progress dialog's Cancel, pressed while the waterfalls run
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)
    page.wait_for_list()
    assert page.model.rowCount() == 0 and page.outcome.text() == "" and page.run_button.isEnabled()
    with database.read() as session:
        assert statement_screen.statement_rows(session, today=date(2026, 10, 5))[0] == []


def test_the_preview_pages_with_the_keyboard(qtbot, database):
    """Page Down and Up, End and Home through a PDF of three pages; the buttons follow."""
    import io

    from PySide6.QtCore import Qt
    from reportlab.pdfgen.canvas import Canvas

    from rightsdesk.ui.statements.preview import Rendered, StatementPreview

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in range(1, 4):
        canvas.drawString(72, 720, f"Page {page}")
        canvas.showPage()
    canvas.save()
    preview = StatementPreview(database, 1, Rendered("x.pdf", "ST-2026-000001 · Golden Reel · 2026-Q3", buffer.getvalue()))
    qtbot.addWidget(preview)
    preview.show()
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 1 of 3")
    assert not preview.previous_button.isEnabled() and preview.next_button.isEnabled()
    qtbot.keyClick(preview.view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 2 of 3")
    assert preview.previous_button.isEnabled()
    qtbot.keyClick(preview.view, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 3 of 3")
    assert not preview.next_button.isEnabled()
    qtbot.keyClick(preview.view, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: preview.page() == 1)
    qtbot.keyClick(preview.view, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: preview.page_label.text() == "Page 1 of 3")


def test_ctrl_f_in_the_window_goes_to_the_statements_filter(qtbot, database):
    from PySide6.QtCore import Qt

    from rightsdesk.ui.main_window import MainWindow

    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show()
    window.show_area("statements")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.navigation.setFocus()  # the list of areas, outside the screen
    qtbot.keyClick(window.navigation, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.statements.filter.hasFocus()
    window.close()


def test_save_as_names_the_file_for_the_kind_chosen(qtbot, monkeypatch, tmp_path):
    """A name typed without its ending, or with the other kind's, gets the ending of the filter chosen."""
    from PySide6.QtWidgets import QFileDialog, QWidget

    from rightsdesk.ui.statements.preview import EXCEL_FILTER, PDF_FILTER, ask_where

    parent = QWidget()
    qtbot.addWidget(parent)
    for typed, kind, saved in (("q3", EXCEL_FILTER, "q3.xlsx"), ("q3.pdf", EXCEL_FILTER, "q3.xlsx"),
                               ("q3", PDF_FILTER, "q3.pdf"), ("q3.XLSX", EXCEL_FILTER, "q3.XLSX")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *_args, t=typed, k=kind: (str(tmp_path / t), k)))
        assert ask_where(parent, "2026-Q3_Golden Reel_ST-2026-000001.pdf") == tmp_path / saved
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_args: ("", "")))
    assert ask_where(parent, "x.pdf") is None  # cancelled


def test_the_statement_chosen_is_read_off_the_ui_thread_and_its_commands_wait_for_it(qtbot, database, worked,
                                                                                     import_revenue):
    """Its waterfall, its deal's history and its payments are read in the background (a long
    statement stalled the window on every choice); until they are in, nothing that another
    statement's status allowed stays on."""
    issued_q3_and_draft_q4(database, worked, import_revenue)
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.list.selectRow(1)  # the issued Q3
    page.wait_for_detail()
    assert page.correct_button.isEnabled() and page.lines.rowCount() > 0
    page.list.selectRow(0)  # the Q4 draft: asked for, not read yet
    assert page.detail_reading.busy()
    assert not page.correct_button.isEnabled() and not page.pay_button.isEnabled()
    page.wait_for_detail()
    assert page.issue_button.isEnabled() and page.history.rowCount() == 2


def test_a_period_s_drafts_are_selected_as_one_range(qtbot, database, worked, import_revenue):
    """Qt looks through a selection's ranges for every cell it paints: a period's drafts, listed
    together, are one range, not one a row."""
    issued_q3_and_draft_q4(database, worked, import_revenue)
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.period.setText("2026-Q4")
    assert page.select_period_drafts() == 1
    assert len(page.list.selectionModel().selection()) == 1
    assert [page.id_at(index.row()) for index in page.list.selectionModel().selectedRows()] == [page.id_at(0)]
    assert page.list.currentIndex().row() == 0
    # The column headers never ask whether a column is wholly selected: through every row of
    # the list, at each paint, that was a fifth of a second with a period's drafts selected.
    assert not page.list.horizontalHeader().selectionModel().hasSelection()
    page.period.setText("2026-Q3")  # issued: no draft to choose
    assert page.select_period_drafts() == 0 and not page.list.selectionModel().hasSelection()
