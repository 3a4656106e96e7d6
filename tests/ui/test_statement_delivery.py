"""Statements by email on screen (issue 20): mail settings with a test message, sending a period
with progress and cancel, and a statement's sent log with Resend; against aiosmtpd on the loopback."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from mail_server import REFUSED, mailing, memory_keyring, smtp_server  # noqa: F401 (fixtures)
from rightsdesk.domain.delivery import Security
from rightsdesk.domain.enums import DeliveryResult
from rightsdesk.persistence.models import AppSetting, AuditEntry, StatementDelivery
from rightsdesk.reports.statement_mail import attachments
from rightsdesk.services import delivery, mail_settings
from rightsdesk.ui.statements.delivery import DeliveryLogDialog, MailSettingsDialog, SendStatementsDialog
from rightsdesk.ui.statements.page import StatementsPage

# The screens' side; the service under them is tested on both databases (tests/services/test_delivery.py).
pytestmark = pytest.mark.sqlite_only


def configure(database, settings):
    with database.transaction() as session:
        mail_settings.save_settings(session, settings, user="ana")


def cells(model, column):
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_mail_settings_keep_the_password_in_the_keyring_only(qtbot, database, smtp_server, memory_keyring):
    dialog = MailSettingsDialog(database)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.security.setCurrentIndex(list(Security).index(Security.NONE))
    assert dialog.port.value() == 25  # the security's usual port
    dialog.port.setValue(smtp_server.port)
    dialog.user.setText("royalties")
    dialog.password.setText("Very-Secret-42")
    dialog.sender.setText("royalties@sales.example")
    dialog.subject.setText("Statement for {payee}")
    dialog.save()
    assert not dialog.problems.isHidden() and "{payee} is not a placeholder" in dialog.problems.text()
    with database.read() as session:
        assert session.scalars(select(AppSetting)).all() == []
    assert memory_keyring.passwords == {}

    dialog.subject.setText("Statement {statement_number} for {participant}")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    with database.read() as session:
        settings = mail_settings.load_settings(session)
        kept = [str(v) for v in session.scalars(select(AppSetting.value))]
        kept += [str(e.after) for e in session.scalars(select(AuditEntry))]
    assert (settings.host, settings.port, settings.security, settings.user) == ("127.0.0.1", smtp_server.port,
                                                                                 Security.NONE, "royalties")
    assert list(memory_keyring.passwords.values()) == ["Very-Secret-42"]
    QSettings().sync()
    in_settings_file = [str(QSettings().value(key)) for key in QSettings().allKeys()]
    path = Path(QSettings().fileName())
    if path.is_file():
        in_settings_file.append(path.read_text(errors="replace"))
    assert not any("Very-Secret" in text for text in kept + in_settings_file)

    again = MailSettingsDialog(database)
    qtbot.addWidget(again)
    assert again.host.text() == "127.0.0.1" and again.password.text() == ""  # never shown back


def test_a_test_message_goes_out_with_the_settings_as_typed(qtbot, database, smtp_server, memory_keyring):
    dialog = MailSettingsDialog(database)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.security.setCurrentIndex(list(Security).index(Security.NONE))
    dialog.port.setValue(smtp_server.port)
    dialog.sender.setText("royalties@sales.example")
    dialog.test_to.setText("me@sales.example")
    dialog.send_test()
    qtbot.waitUntil(lambda: dialog.operation is None, timeout=10000)
    assert "Test message sent to me@sales.example" in dialog.outcome.text()
    [received] = smtp_server.catcher.received
    assert received.recipients == ["me@sales.example"]


def test_sending_a_period_lists_everyone_and_goes_on_after_a_refused_address(
        qtbot, qtmodeltester, database, mailing, smtp_server, answer_dialogs):
    configure(database, smtp_server.settings())
    dialog = SendStatementsDialog(database, "2026-Q3")
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert cells(dialog.model, 1) == ["Blue Lotus", "Golden Reel", "Refused Films", "Silent Partner"]
    silent = cells(dialog.model, 1).index("Silent Partner")
    assert cells(dialog.model, 6)[silent].startswith("Not sent: no email address") and silent in dialog.model.marked
    assert "no contact is ticked" in cells(dialog.model, 4)[0]
    assert cells(dialog.model, 5)[1] == "PDF and workbook" and cells(dialog.model, 3)[1] == "$7,650.00"
    assert "3 to send" in dialog.summary.text() and "1 draft not issued" in dialog.summary.text()
    assert dialog.send_button.text() == "&Send 3 statements"
    dialog.filter.setText("lotus")
    assert dialog.proxy.rowCount() == 1
    dialog.filter.clear()

    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    dialog.send()
    qtbot.waitUntil(lambda: dialog.operation is None, timeout=15000)
    assert "Send these 3 statements of 2026-Q3" in asked[0]
    statuses = dict(zip(cells(dialog.model, 1), cells(dialog.model, 6)))
    assert statuses["Blue Lotus"] == "Sent just now" and statuses["Golden Reel"] == "Sent just now"
    assert statuses["Refused Films"].startswith("Failed: not sent: ") and "550" in statuses["Refused Films"]
    assert "2 sent now, 1 failed" in dialog.summary.text()
    assert len(smtp_server.catcher.received) == 2
    assert dialog.send_button.text() == "&Send 1 statement"  # the failed one may be tried again
    dialog.load()  # listed again: what went is sent, what failed waits
    statuses = dict(zip(cells(dialog.model, 1), cells(dialog.model, 6)))
    assert statuses["Golden Reel"] == "Sent just now" and "1 to send" in dialog.summary.text()
    dialog.period.setText("2026-Q4")
    dialog.load()
    assert dialog.model.rowCount() == 0 and dialog.summary.text() == "No issued statements for 2026-Q4."


def test_cancelling_keeps_what_went_and_stops_the_rest(qtbot, database, mailing, smtp_server, answer_dialogs):
    configure(database, smtp_server.settings())
    dialog = SendStatementsDialog(database, "2026-Q3")
    qtbot.addWidget(dialog)
    answer_dialogs(QMessageBox.StandardButton.Yes)
    catcher = smtp_server.catcher
    taken = catcher.handle_DATA

    async def cancel_after_the_first(server, session, envelope):
        answer = await taken(server, session, envelope)
        dialog.operation.cancel()  # as the user presses Cancel while the first message goes out
        return answer

    catcher.handle_DATA = cancel_after_the_first
    dialog.send()
    qtbot.waitUntil(lambda: dialog.operation is None, timeout=15000)
    assert dialog.summary.text().startswith("Cancelled; what was sent before is logged.")
    assert len(catcher.received) == 1
    with database.read() as session:
        assert [r.result for r in session.scalars(select(StatementDelivery))] == [DeliveryResult.SENT]
    assert "1 sent now, 0 failed" in dialog.summary.text() and "2 to send" in dialog.summary.text()


def test_the_sent_log_shows_each_attempt_and_resends(qtbot, qtmodeltester, database, mailing, smtp_server, answer_dialogs):
    configure(database, smtp_server.settings())
    with database.read() as session:
        items = [i for i in delivery.plan_period(session, "2026-Q3").items if i.participant == "Golden Reel"]
    list(delivery.send(database, items, smtp_server.settings(), None, attachments, user="ana"))
    dialog = DeliveryLogDialog(database, mailing["Golden Reel"], "ST-2026-000001 (Golden Reel)")
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1 and cells(dialog.model, 3) == ["Sent"]
    assert cells(dialog.model, 2) == ["li.wei@goldenreel.example"] and cells(dialog.model, 5)[0].startswith("<")
    assert "A resend goes to li.wei@goldenreel.example" in dialog.where.text()
    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    dialog.resend()
    qtbot.waitUntil(lambda: dialog.operation is None, timeout=10000)
    assert "again to li.wei@goldenreel.example" in asked[0]
    assert dialog.model.rowCount() == 2 and len(smtp_server.catcher.received) == 2

    silent = DeliveryLogDialog(database, mailing["Silent Partner"], "ST-2026-000004 (Silent Partner)")
    qtbot.addWidget(silent)
    assert "Cannot be sent: no email address" in silent.where.text() and not silent.resend_button.isEnabled()


def test_the_statements_screen_opens_sending_for_its_period_and_the_sent_log(qtbot, database, mailing):
    page = StatementsPage(database)
    qtbot.addWidget(page)
    page.wait_for_list()
    numbers = [page.text(row, 0) for row in range(page.model.rowCount())]
    page.list.selectRow(numbers.index("draft"))
    page.wait_for_detail()
    assert not page.sent_log_button.isEnabled()
    page.list.selectRow(numbers.index("ST-2026-000001"))
    page.wait_for_detail()
    assert page.sent_log_button.isEnabled()
    log = page.show_sent_log()
    assert "Never sent" in log.where.text() and "li.wei@goldenreel.example" in log.where.text()
    log.close()
    sending = page.send_by_email()
    assert sending.period.text() == "2026-Q3" and sending.model.rowCount() == 4
    sending.close()
