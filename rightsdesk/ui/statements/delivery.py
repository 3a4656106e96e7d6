"""Statements by email (issue 20): the team's mail settings with a test message, sending a
period's issued statements with progress and cancel, and each statement's sent log with Resend.

Sending and the test message run off the UI thread (rightsdesk.ui.operations); the password is
read from and kept in the system keyring there too, since a keyring may stop to ask for its own
password."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox,
                               QTableView, QVBoxLayout, QWidget)

from rightsdesk.domain.delivery import PLACEHOLDERS, MailSettings, Security, settings_problems
from rightsdesk.domain.enums import DeliveryResult
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.persistence.database import Database
from rightsdesk.services import delivery, mail_settings
from rightsdesk.services.audit import current_user
from rightsdesk.ui.actions import Changes, announce, run
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.formatting import money, moment
from rightsdesk.ui.forms import confirm, edits, problems_label, show_problems
from rightsdesk.ui.operations import Operation, Report
from rightsdesk.domain.words import plural

RECIPIENT_RULE = ("Each statement goes to the party's contacts ticked to receive statements; when none is ticked, "
                  "to the party's own email address. A participant with neither is listed and not sent.")
ALERT = QColor("#b00020")
# Sending logs each message in its own unit of work as it goes (a message sent cannot be called
# back, so its log must stay whatever happens to the next one): sending says itself what it wrote.
SENT = Changes({"statement_delivery": frozenset()})


class TextRows(QAbstractTableModel):
    """Rows of text for a short list held in memory; a row may be marked (shown in red)."""

    def __init__(self, headers: Sequence[str], parent: Any = None):
        super().__init__(parent)
        self.headers = tuple(headers)
        self.rows: list[tuple[str, ...]] = []
        self.marked: set[int] = set()

    def set_rows(self, rows: list[tuple[str, ...]], marked: set[int] | None = None) -> None:
        self.beginResetModel()
        self.rows, self.marked = rows, marked or set()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(self.headers):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.row() in self.marked:
            return QBrush(ALERT)
        return None


def _filtered_table(model: TextRows, name: str) -> tuple[QLineEdit, QTableView, QSortFilterProxyModel]:
    """A read-only table over `model` with a filter box that matches any column."""
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    box = QLineEdit(objectName=f"{name}-filter", placeholderText="Filter (Ctrl+F)", clearButtonEnabled=True)
    box.textChanged.connect(proxy.setFilterFixedString)
    table = QTableView(objectName=name)
    table.setModel(proxy)
    proxy.setParent(table)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the list's own order until a click
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return box, table, proxy


def _find_shortcut(dialog: QDialog, box: QLineEdit) -> None:
    QShortcut(QKeySequence.StandardKey.Find, dialog, activated=box.setFocus)


# -- mail settings ---------------------------------------------------------------------------------


class MailSettingsDialog(QDialog):
    """The team's mail server and statement message; the password goes to this computer's keyring."""

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Mail server and message for statements")
        self.database = database
        self.operation: Operation | None = None
        with database.read() as session:
            current = mail_settings.load_settings(session)
        self.host = QLineEdit(current.host, objectName="mail-host", placeholderText="smtp.example.com")
        self.port = QSpinBox(objectName="mail-port", minimum=1, maximum=65535, value=current.port)
        self.security = QComboBox(objectName="mail-security")
        for option in Security:
            self.security.addItem(option.label, option)
        self.security.setCurrentIndex(list(Security).index(current.security))
        self.security.currentIndexChanged.connect(lambda _: self.port.setValue(self._security().default_port))
        self.user = QLineEdit(current.user, objectName="mail-user", placeholderText="empty: the server asks for no sign-in")
        self.password = QLineEdit(objectName="mail-password", echoMode=QLineEdit.EchoMode.Password,
                                  placeholderText="kept in this computer's keyring; leave empty to keep the one kept")
        self.forget = QCheckBox("Forget the password kept on this computer", objectName="mail-forget")
        self.sender = QLineEdit(current.sender, objectName="mail-sender", placeholderText="royalties@your-company.com")
        self.sender_name = QLineEdit(current.sender_name, objectName="mail-sender-name")
        self.subject = QLineEdit(current.subject, objectName="mail-subject")
        self.body = QPlainTextEdit(current.body, objectName="mail-body")
        self.body.setMinimumHeight(120)
        names = "  ".join("{" + name + "}" for name in PLACEHOLDERS)
        hint = QLabel(f"Placeholders: {names}. Write {{{{ for a brace itself.", wordWrap=True)
        hint.setToolTip("\n".join(f"{{{name}}}: {meaning}" for name, meaning in PLACEHOLDERS.items()))
        self.test_to = QLineEdit(objectName="mail-test-to", placeholderText="the From address")
        self.test_button = QPushButton("Send a &test message", objectName="mail-test")
        self.test_button.clicked.connect(self.send_test)
        self.outcome = QLabel(objectName="mail-outcome", wordWrap=True)
        self.problems = problems_label("mail-problems")
        form = QFormLayout()
        form.addRow("Server:", self.host)
        form.addRow("Port:", self.port)
        form.addRow("Security:", self.security)
        form.addRow("User:", self.user)
        form.addRow("Password:", self.password)
        form.addRow("", self.forget)
        form.addRow("From address:", self.sender)
        form.addRow("From name:", self.sender_name)
        form.addRow("Subject:", self.subject)
        form.addRow("Message:", self.body)
        form.addRow("", hint)
        test = QHBoxLayout()
        test.addWidget(self.test_to, 1)
        test.addWidget(self.test_button)
        form.addRow("Test to:", test)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        edits(buttons.button(QDialogButtonBox.StandardButton.Save))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Shared by everyone on this database; the password stays on this computer.", wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.resize(620, 580)

    def _security(self) -> Security:
        return Security(self.security.currentData())

    def typed(self) -> MailSettings:
        return MailSettings(self.host.text().strip(), self.port.value(), self._security(), self.user.text().strip(),
                            self.sender.text().strip(), self.sender_name.text().strip(), self.subject.text(),
                            self.body.toPlainText())

    def save(self) -> None:
        settings, password = self.typed(), self.password.text()
        try:
            run(self.database, mail_settings.save_settings, settings, user=current_user(), password_given=bool(password))
            if password or self.forget.isChecked():
                mail_settings.store_password(settings, password)
        except ValidationError as error:
            show_problems(self.problems, error.problems, "Not saved:")
            return
        except UserError as error:  # the keyring, the database
            show_user_error(self, error, "Mail settings")
            return
        self.accept()

    def send_test(self) -> Operation | None:
        """Send a test message with the settings as typed (not yet saved), off the UI thread."""
        if self.operation is not None:
            return None
        settings, typed_password = self.typed(), self.password.text()
        to = self.test_to.text().strip() or settings.sender
        problems = settings_problems(settings, password_given=bool(typed_password))
        if problems:
            show_problems(self.problems, problems, "Not sent:")
            return None
        self.problems.hide()
        database = self.database

        def work(progress: Report) -> str:
            progress(f"Sending to {to}", 20)
            password = typed_password or mail_settings.stored_password(settings)
            with database.read() as session:
                return delivery.send_test(session, settings, password, to)

        def done(message_id: str) -> None:
            self.outcome.setText(f"Test message sent to {to} (message id {message_id}). Check that it arrived.")

        self.test_button.setEnabled(False)
        self.operation = Operation(self, "Test message", work).on_success(done)
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def _finished(self) -> None:
        self.operation = None
        self.test_button.setEnabled(True)


# -- sending a period ------------------------------------------------------------------------------

PLAN_HEADERS = ("Statement", "Participant", "Deal", "Amount", "To", "Files", "Status")


class SendStatementsDialog(QDialog):
    """A period's issued statements, who gets each and what comes of sending them."""

    def __init__(self, database: Database, period: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Send statements by email")
        self.database = database
        self.operation: Operation | None = None
        self.plan: delivery.DeliveryPlan | None = None
        self.results: dict[int, delivery.Outcome] = {}
        self.was_cancelled = False
        self.period = QLineEdit(period, objectName="send-period", placeholderText="2026-Q3, 2026-07, 2026-H2 or 2026")
        self.period.returnPressed.connect(self.load)
        self.again = QCheckBox("Also those already sent", objectName="send-again")
        self.again.toggled.connect(lambda _: self.load())
        list_button = QPushButton("&List", objectName="send-list")
        list_button.clicked.connect(self.load)
        self.settings_button = QPushButton("&Mail server…", objectName="send-settings")
        self.settings_button.clicked.connect(self.edit_settings)
        self.model = TextRows(PLAN_HEADERS, self)
        self.filter, self.table, self.proxy = _filtered_table(self.model, "send-plan")
        _find_shortcut(self, self.filter)
        self.summary = QLabel(objectName="send-summary", wordWrap=True)
        self.send_button = QPushButton("&Send", objectName="send-go", enabled=False, shortcut=QKeySequence("Ctrl+Return"))
        self.send_button.clicked.connect(self.send)
        edits(self.send_button)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period)
        top.addWidget(list_button)
        top.addWidget(self.again)
        top.addStretch(1)
        top.addWidget(self.settings_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.send_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(RECIPIENT_RULE, wordWrap=True))
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1100, 560)
        if period:
            self.load()

    def load(self) -> None:
        """List the period's issued statements and where each goes."""
        label = self.period.text().strip()
        if not label or self.operation is not None:
            return
        try:
            with self.database.read() as session:
                self.plan = delivery.plan_period(session, label, again=self.again.isChecked())
                self.settings = mail_settings.load_settings(session)
        except UserError as error:
            show_user_error(self, error, "Send statements")
            return
        if {item.statement_id for item in self.plan.items}.isdisjoint(self.results):
            self.results = {}  # another period: what was sent now belongs to the one before
        self._show()

    def _status(self, item: delivery.PlannedSend) -> str:
        outcome = self.results.get(item.statement_id)
        if outcome is not None:
            if outcome.skipped:
                return outcome.error[0].upper() + outcome.error[1:]
            if outcome.result is DeliveryResult.SENT:
                return "Sent just now" + (f"; {outcome.error}" if outcome.error else "")
            return f"Failed: {outcome.error}"
        if item.problem:
            return f"Not sent: {item.problem}"
        if item.will_send:
            earlier = (f" (last try failed: {item.last.error})" if item.last and item.last.result is DeliveryResult.FAILED
                       else f" again (sent {moment(item.sent_before)})" if item.sent_before else "")
            return "To be sent" + earlier
        return f"Already sent {moment(item.sent_before)} to {item.last.recipients}" if item.sent_before and item.last else ""

    def _show(self) -> None:
        plan = self.plan
        if plan is None:
            return
        rows, marked = [], set()
        for row, item in enumerate(plan.items):
            status = self._status(item)
            rows.append((item.number, item.participant, item.deal, money(item.amount, item.currency), item.where,
                         "PDF and workbook" if item.workbook else "PDF", status))
            if item.problem or status.startswith("Failed"):
                marked.add(row)
        self.model.set_rows(rows, marked)
        self.table.resizeColumnsToContents()
        for column in (4, 6):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 360))
        waiting = self._waiting()
        parts = [f"{len(waiting)} to send", f"{len(plan.already_sent)} already sent",
                 f"{len(plan.without_address)} without a usable address (in red)"]
        if plan.drafts:
            parts.append(f"{plural(plan.drafts, 'draft')} not issued, never sent")
        if self.results:
            failed = sum(1 for o in self.results.values() if o.result is not DeliveryResult.SENT)
            elsewhere = sum(1 for o in self.results.values() if o.skipped)
            parts.insert(0, f"{len(self.results) - failed - elsewhere} sent now, {failed} failed"
                         + (f", {elsewhere} sent meanwhile from another desk" if elsewhere else ""))
        if not plan.items:
            parts = [f"No issued statements for {plan.period}" + (f" ({plural(plan.drafts, 'draft')}: issue them first)"
                                                                   if plan.drafts else "")]
        if not self.settings.configured:
            parts.append("no mail server is set: Mail server… first")
        self.summary.setText("; ".join(parts) + ".")
        self.send_button.setText(f"&Send {len(waiting)} statement{'s' if len(waiting) != 1 else ''}")
        self.send_button.setEnabled(bool(waiting) and self.operation is None)

    def _waiting(self) -> list[delivery.PlannedSend]:
        """What Send sends: the plan's, less what went in this dialog (a failure may be tried again)."""
        sent = {i for i, outcome in self.results.items() if outcome.result is DeliveryResult.SENT}
        return [item for item in self.plan.to_send if item.statement_id not in sent] if self.plan else []

    def edit_settings(self) -> None:
        if MailSettingsDialog(self.database, self).exec():
            self.load()

    def send(self) -> Operation | None:
        plan = self.plan
        if plan is None or self.operation is not None:
            return None
        items = self._waiting()
        if not items:
            return None
        if not self.settings.configured:
            self.edit_settings()
            return None
        many = f"these {len(items)} statements" if len(items) > 1 else "this statement"
        if not confirm(self, "Send statements", f"Send {many} of {plan.period} by email to the participants? "
                                                 "Each message is logged; what has gone cannot be called back."):
            return None
        database, settings, user = self.database, self.settings, current_user()
        results = self.results

        def work(progress: Report) -> None:
            from rightsdesk.reports.statement_mail import attachments  # (the writers: with the first sending)

            progress("Connecting to the mail server", 0)
            password = mail_settings.stored_password(settings)
            with closing(delivery.send(database, items, settings, password, attachments, user=user)) as sending:
                for done, outcome in enumerate(sending, start=1):
                    results[outcome.statement_id] = outcome
                    progress(f"{done} of {len(items)} sent ({outcome.participant})", done * 100 // len(items))

        self.send_button.setEnabled(False)
        self.was_cancelled = False
        self.operation = (Operation(self, "Sending statements", work).on_success(lambda _: self._show())
                          .on_cancel(self._cancelled))
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def _cancelled(self) -> None:
        self.was_cancelled = True

    def _finished(self) -> None:
        self.operation = None
        if self.results:
            announce(SENT)
        self._show()
        text = self.summary.text()
        if self.was_cancelled:
            text = f"Cancelled; what was sent before is logged. {text}"
        if any(o.result is not DeliveryResult.SENT for o in self.results.values()):
            text += " Fix what failed, then List and Send again."
        self.summary.setText(text)


# -- the sent log of one statement -----------------------------------------------------------------

LOG_HEADERS = ("When", "By", "To", "Result", "Error", "Message id", "Files")


class DeliveryLogDialog(QDialog):
    """Every attempt to send one issued statement, and Resend."""

    def __init__(self, database: Database, statement_id: int, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Sent log of {name}")
        self.database, self.statement_id, self.name = database, statement_id, name
        self.operation: Operation | None = None
        self.model = TextRows(LOG_HEADERS, self)
        self.filter, self.table, _ = _filtered_table(self.model, "delivery-log")
        _find_shortcut(self, self.filter)
        self.where = QLabel(objectName="delivery-where", wordWrap=True)
        self.resend_button = QPushButton("&Resend…", objectName="delivery-resend", shortcut=QKeySequence("Ctrl+R"))
        self.resend_button.clicked.connect(self.resend)
        edits(self.resend_button)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.where, 1)
        bottom.addWidget(self.resend_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(980, 420)
        self.refresh()

    def refresh(self) -> None:
        with self.database.read() as session:
            log = delivery.delivery_log(session, self.statement_id)
            try:
                self.item: delivery.PlannedSend | None = delivery.plan_statement(session, self.statement_id)
            except UserError as error:  # a draft: nothing to send
                self.item, problem = None, str(error)
            else:
                problem = self.item.problem
        rows = [(moment(entry.at), entry.by, entry.recipients, "Sent" if entry.result is DeliveryResult.SENT else "Failed",
                 entry.error, entry.message_id, entry.attachments) for entry in reversed(log)]
        self.model.set_rows(rows, {row for row, entry in enumerate(reversed(log)) if entry.result is DeliveryResult.FAILED})
        self.table.resizeColumnsToContents()
        for column in range(len(LOG_HEADERS)):  # long errors and file lists: the whole text in the tooltip
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 320))
        if not log:
            self.where.setText("Never sent." + (f" It would go to {self.item.where}." if self.item and self.item.where else ""))
        elif self.item and self.item.where:
            self.where.setText(f"A resend goes to {self.item.where}.")
        if problem:
            self.where.setText(f"Cannot be sent: {problem}")
        self.resend_button.setText("&Resend…" if log else "&Send…")
        self.resend_button.setEnabled(self.item is not None and not problem and self.operation is None)

    def resend(self) -> Operation | None:
        item = self.item
        if item is None or self.operation is not None or not self.resend_button.isEnabled():
            return None
        again = " again" if self.model.rowCount() else ""
        if not confirm(self, "Send statement", f"Send {self.name}{again} to {', '.join(item.recipients)}?"):
            return None
        database, user = self.database, current_user()

        def work(progress: Report) -> delivery.Outcome | None:
            from rightsdesk.reports.statement_mail import attachments  # (the writers: with the first sending)

            progress(f"Sending to {', '.join(item.recipients)}", 20)
            with database.read() as session:
                settings = mail_settings.load_settings(session)
            if not settings.configured:
                raise UserError("no mail server is set: Statements > Send by email > Mail server…")
            with closing(delivery.send(database, [item], settings, mail_settings.stored_password(settings), attachments,
                                       user=user)) as sending:
                return next(iter(sending), None)

        self.resend_button.setEnabled(False)
        self.operation = Operation(self, "Resending statement", work).on_success(lambda _: announce(SENT))
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def _finished(self) -> None:
        self.operation = None
        self.refresh()

