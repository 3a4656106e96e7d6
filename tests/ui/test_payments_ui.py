"""Paying from the Statements screen (issue 20): paid and owed columns, a payment recorded in a
dialog (too much refused until called an overpayment), and a payment run writing its files."""

from datetime import date
from decimal import Decimal as D

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from rightsdesk.domain.errors import UserError
from rightsdesk.reports import payment_file
from rightsdesk.services import payments
from rightsdesk.ui.statements.page import StatementsPage
from rightsdesk.ui.statements.statement_list import SETTLED

from payment_fixtures import paid_quarter  # noqa: F401  (a fixture)


def row_of(page, number):
    return next(r for r in range(page.model.rowCount()) if page.text(r, 0) == number)


def test_a_payment_is_recorded_from_the_statements_screen(qtbot, database, paid_quarter, monkeypatch):
    monkeypatch.setattr(payments, "today", lambda: date(2027, 3, 1))
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.show()  # a screen in view follows the payments written (ui.actions.follow)
    page.wait_for_list()
    row = row_of(page, paid_quarter["number"])
    assert (page.text(row, SETTLED), page.text(row, SETTLED + 1)) == ("$0.00", "$7,650.00")
    page.list.selectRow(row)
    page.wait_for_detail()
    assert page.pay_button.isEnabled()
    dialog = page.record_payment()
    qtbot.addWidget(dialog)
    assert dialog.amount.text().replace(",", "").startswith("7650")  # what is owed, to start with
    dialog.paid_on.setDate(QDate(2030, 4, 1))
    dialog.accept()
    assert dialog.problems.isVisible() and "in the future" in dialog.problems.text()
    dialog.paid_on.setDate(QDate(2027, 1, 9))
    dialog.accept()
    assert "issued on 2027-01-10" in dialog.problems.text()
    dialog.paid_on.setDate(QDate(2027, 1, 15))
    dialog.amount.setText("8000")
    dialog.reference.setText("TRX-1")
    dialog.accept()
    assert dialog.problems.isVisible() and "overpayment" in dialog.problems.text()
    dialog.amount.setText("5000")
    dialog.accept()
    assert dialog.saved_id is not None
    page.wait_for_list()
    row = row_of(page, paid_quarter["number"])
    assert (page.text(row, SETTLED), page.text(row, SETTLED + 1)) == ("$5,000.00", "$2,650.00")


def payment_run_of_q4(qtbot, database):
    """The Statements screen, shown, and its payment run for 2026-Q4 (both returned: the test
    must hold them, qtbot holds widgets weakly)."""
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.show()
    page.period.setText("2026-Q4")
    dialog = page.payment_run()
    qtbot.addWidget(dialog)
    return page, dialog


def test_a_payment_run_previews_writes_its_files_and_records(qtbot, database, paid_quarter, tmp_path, answer_dialogs):
    page, dialog = payment_run_of_q4(qtbot, database)
    dialog.execution_date.setDate(QDate(2027, 1, 25))
    dialog.folder.setText(str(tmp_path))
    dialog.preview()
    assert "account the bank pays from" in dialog.iban.placeholderText()
    assert dialog.transfers.rowCount() == 1 and dialog.transfers.item(0, 1).text() == "IBAN DE•••• 3000"
    assert "1 transfer for 1 statement: $7,650.00" in dialog.totals.text()
    dialog.iban.setText("GB29 NWBK 6016 1331 9268 19")
    answer_dialogs(QMessageBox.StandardButton.Yes)
    dialog.record()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=10000)
    plan, files = dialog.outcome
    previewed = dialog.transfers.item(0, 5).text()
    assert [t.reference for t in plan.transfers] == [previewed]  # the preview's reference is the file's
    assert f"<EndToEndId>{previewed}</EndToEndId>".encode() in (tmp_path / "2026-Q4_royalties.xml").read_bytes()
    names = sorted(p.relative_to(tmp_path).as_posix() for p in files)
    assert names[0] == "2026-Q4_royalties.xlsx" and "2026-Q4_royalties.xml" in names
    assert any(n.startswith("remittance/") and n.endswith(".pdf") for n in names)
    assert payment_file.validate((tmp_path / "2026-Q4_royalties.xml").read_bytes()) == []
    assert not list(tmp_path.rglob("*.partial"))
    with database.read() as session:
        assert payments.standing(session, today=date(2027, 1, 26), owed_only=True) == []
    page.wait_for_list()
    qtbot.waitUntil(lambda: page.text(row_of(page, paid_quarter["number"]), SETTLED + 1) == "$0.00", timeout=5000)


def test_a_run_is_refused_when_a_payment_was_recorded_after_its_preview(qtbot, database, paid_quarter, tmp_path,
                                                                       answer_dialogs):
    page, dialog = payment_run_of_q4(qtbot, database)
    dialog.execution_date.setDate(QDate(2027, 1, 25))
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.iban.setText("GB29 NWBK 6016 1331 9268 19")
    dialog.preview()
    assert "$7,650.00" in dialog.totals.text()
    with database.transaction() as session:  # another desk, after the preview
        payments.record_payment(session, paid_quarter["q4"], payments.PaymentDraft(D("6.73"), date(2027, 1, 15)),
                                user="li")
    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    dialog.record()
    qtbot.waitUntil(lambda: dialog.operation is None, timeout=10000)
    assert dialog.outcome is None and any("prepare the run again" in text for text in asked)
    assert not dialog.record_button.isEnabled() and "preview the run again" in dialog.problems.text()
    assert not (tmp_path / "out").exists()
    with database.read() as session:
        [due] = payments.standing(session, today=date(2027, 1, 26), statement_ids=[paid_quarter["q4"]])
    assert due.owed == D("7643.27")  # only the other desk's payment


def test_a_payment_s_remittance_advice_is_saved_from_the_payments_tab(qtbot, database, paid_quarter, tmp_path):
    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], payments.PaymentDraft(D("650.00"), date(2027, 1, 15), "TRX-9"),
                                user="ana")
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    page.list.selectRow(row_of(page, paid_quarter["number"]))
    page.wait_for_detail()
    tab = page.payments_tab
    assert tab.table.rowCount() == 1 and tab.table.item(0, 2).text() == "TRX-9"
    assert "still owed $7,000.00" in tab.summary.text()
    tab.save_advice(str(tmp_path / "advice.pdf"))
    qtbot.waitUntil(lambda: tab.operation is None, timeout=10000)
    assert (tmp_path / "advice.pdf").read_bytes().startswith(b"%PDF")


def test_the_statement_list_with_its_payment_columns_passes_the_model_tester(qtmodeltester, database, paid_quarter):
    with database.transaction() as session:
        payments.record_payment(session, paid_quarter["q4"], payments.PaymentDraft(D("650.00"), date(2027, 1, 15)), user="ana")
    page = StatementsPage(database)
    page.wait_for_list()
    assert any(page.text(r, SETTLED) == "$650.00" for r in range(page.model.rowCount()))
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)  # the list as filtered


def test_a_payment_recorded_elsewhere_shows_on_the_statements_screen(qtbot, database, paid_quarter):
    """Another screen records a payment through ui.actions.run: the list in view shows it at once;
    hidden, it reads again when shown."""
    from rightsdesk.ui.actions import run

    page = StatementsPage(database)
    qtbot.addWidget(page)

    page.wait_for_list()
    page.show()
    number = paid_quarter["number"]
    page.wait_for_list()
    page.list.selectRow(row_of(page, number))
    page.wait_for_detail()
    run(database, payments.record_payment, paid_quarter["q4"], payments.PaymentDraft(D("650.00"), date(2027, 1, 15), "TRX-7"),
        user="li", today=date(2027, 3, 1))
    page.wait_for_list()
    row = row_of(page, number)
    assert (page.text(row, SETTLED), page.text(row, SETTLED + 1)) == ("$650.00", "$7,000.00")
    assert page.selected_id() == paid_quarter["q4"] and page.payments_tab.table.item(0, 2).text() == "TRX-7"

    page.hide()
    run(database, payments.record_payment, paid_quarter["q4"], payments.PaymentDraft(D("7000.00"), date(2027, 1, 16)),
        user="li", today=date(2027, 3, 1))
    assert page.text(row, SETTLED + 1) == "$7,000.00"  # nobody sees it: nothing read yet
    page.show()
    page.wait_for_list()
    qtbot.waitUntil(lambda: page.text(row_of(page, number), SETTLED + 1) == "$0.00")


def test_payment_dates_take_the_year_typed(qtbot, database, paid_quarter):
    """Up, Ctrl+A, then a day typed: the day typed, never a year moved by the Up (issue 18)."""
    from PySide6.QtCore import Qt

    from rightsdesk.ui.statements.payments import RecordPaymentDialog

    page, run_dialog = payment_run_of_q4(qtbot, database)
    record_dialog = RecordPaymentDialog(database, paid_quarter["q4"])
    qtbot.addWidget(record_dialog)
    for dialog, field in ((run_dialog, run_dialog.execution_date), (record_dialog, record_dialog.paid_on)):
        dialog.show()
        field.setFocus()
        qtbot.keyClick(field.edit, Qt.Key.Key_Up)
        qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field.edit, "2027-01-25")
        qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
        assert field.date() == QDate(2027, 1, 25)
    assert run_dialog.request().execution_date == date(2027, 1, 25)
    run_dialog.execution_date.edit.setText("25/13/2027")  # not a day: said, never the day it held before
    with pytest.raises(UserError, match="Pay on: .*not a day"):
        run_dialog.request()
