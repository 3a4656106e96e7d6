"""Statements: run a period, review each participant's waterfall, issue, correct an issued one,
see the balance history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rightsdesk.domain.enums import StatementLineKind, StatementStatus
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.payments import to_pay
from rightsdesk.persistence.database import Database
from rightsdesk.persistence.models import Deal, Party, Statement, Title
from rightsdesk.services import issuing, payments, statements
from rightsdesk.services.audit import current_user
from rightsdesk.ui.history import HistoryDialog
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import confirm, edits
from rightsdesk.ui.formatting import money
from rightsdesk.ui.operations import Operation, Report
from rightsdesk.ui.statements.correction import CorrectionDialog
from rightsdesk.ui.statements.delivery import DeliveryLogDialog, SendStatementsDialog
from rightsdesk.ui.statements.payments import PaymentRunDialog, RecordPaymentDialog, StatementPayments
from rightsdesk.domain.words import plural

# "To pay": what the statement asks to be paid (its Paid step, with what a minimum payout
# carried in or out); "Payments recorded": money that left.
LIST_HEADERS = ("Number", "Period", "Deal", "Participant", "Currency", "Gross receipts", "Net receipts", "Payable",
                "To pay", "Status", "Payments recorded", "Still owed")
SETTLED = 10  # the first column of what was paid against a statement (issue 20)
STEPS = {StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID, StatementLineKind.TO_PAY}
UNSTATED_LINK = "unstated"
CORRECT_ISSUED = "Record a correction of this issued statement; the deal's next statement run carries it"
CORRECT_DRAFT = "A draft is corrected by running its period again"


class StatementListModel(QAbstractTableModel):
    """Every statement as one small row (figures as stored, formatted when shown): a quarter at
    month-end is thousands of statements, and a cell made for each would stall the window."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[Any] = []
        self.settled: dict[int, Any] = {}  # issued statement -> payments.StatementDue

    def set_rows(self, rows: list[Any], settled: dict[int, Any] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.settled = settled or {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(LIST_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(LIST_HEADERS):
            return LIST_HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and (5 <= column <= 8 or column >= SETTLED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == SETTLED + 1:
            due = self.settled.get(self.rows[index.row()][0])
            return QColor("#b00020") if due is not None and due.overdue else None
        if role == Qt.ItemDataRole.ToolTipRole and column == SETTLED + 1:
            due = self.settled.get(self.rows[index.row()][0])
            return (f"Due {due.due_on}" + (" — overdue" if due.overdue else "")) if due is not None and due.owed > 0 else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.text(index.row(), column)

    def text(self, row: int, column: int) -> str:
        (statement_id, number, period, reference, participant, currency, gross, net, payable, paid, status) = self.rows[row]
        if column >= SETTLED:  # nothing is paid against a draft
            due = self.settled.get(statement_id)
            return "" if due is None else money(due.paid if column == SETTLED else due.owed, currency)
        if 5 <= column <= 8:
            return money((gross, net, payable, paid)[column - 5], currency)
        return (number or "draft", period, reference, participant, currency)[column] if column < 5 else status.value.title()

    def id_at(self, row: int) -> int | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None


class StatementsPage(QWidget):
    changed = Signal()  # statements were run, issued or corrected
    unstated_requested = Signal()  # the user asked to see the revenue on no statement

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.operation: Operation | None = None
        self.period = QLineEdit(objectName="statements-period", placeholderText="2026-Q3, 2026-07, 2026-H2 or 2026")
        self.period.setMinimumWidth(220)
        self.period.returnPressed.connect(self.run_period)
        self.run_button = QPushButton("Run period", objectName="statements-run")
        self.run_button.clicked.connect(self.run_period)
        self.issue_button = QPushButton("Issue…", objectName="statements-issue", enabled=False)
        self.issue_button.clicked.connect(self.issue_selected)
        self.history_button = QPushButton("&History…", objectName="statements-history", enabled=False,
                                          shortcut=QKeySequence("Ctrl+H"))
        self.history_button.clicked.connect(self.show_history)
        self.correct_button = QPushButton("Correct…", objectName="statements-correct", enabled=False)
        self.correct_button.clicked.connect(self.correct_selected)
        edits(self.run_button, self.issue_button, self.correct_button)
        # Statements by email (issue 20): a period's issued statements, and one statement's sent log.
        self.send_button = QPushButton("Send by &email…", objectName="statements-send",
                                       shortcut=QKeySequence("Ctrl+Shift+E"))
        self.send_button.clicked.connect(self.send_by_email)
        self.sent_log_button = QPushButton("Sent &log…", objectName="statements-sent-log", enabled=False,
                                           shortcut=QKeySequence("Ctrl+Shift+L"))
        self.sent_log_button.clicked.connect(self.show_sent_log)
        # Payments (issue 20): one against the selected issued statement; a run for a period or a selection.
        self.pay_button = QPushButton("Record &payment…", objectName="statements-pay", enabled=False,
                                      shortcut=QKeySequence("Ctrl+Shift+P"))
        self.pay_button.clicked.connect(self.record_payment)
        self.run_payments_button = QPushButton("Payment r&un…", objectName="statements-payment-run",
                                               shortcut=QKeySequence("Ctrl+Shift+U"))
        self.run_payments_button.clicked.connect(self.payment_run)
        edits(self.pay_button, self.run_payments_button)
        self.outcome = QLabel(objectName="statements-outcome", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.outcome.linkActivated.connect(lambda link: link == UNSTATED_LINK and self.unstated_requested.emit())
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period)
        top.addWidget(self.run_button)
        top.addWidget(self.issue_button)
        top.addWidget(self.correct_button)
        top.addWidget(self.history_button)
        top.addWidget(self.send_button)
        top.addWidget(self.sent_log_button)
        top.addWidget(self.pay_button)
        top.addWidget(self.run_payments_button)
        top.addWidget(self.outcome, 1)

        self.model = StatementListModel(self)
        self.list = QTableView(objectName="statements-list")
        self.list.setModel(self.model)
        self.list.setWordWrap(False)
        self.list.setAlternatingRowColors(True)
        self.list.horizontalHeader().setResizeContentsPrecision(0)  # widths from the rows in view
        self.list.verticalHeader().setDefaultSectionSize(self.list.fontMetrics().height() + 8)
        self.sized = False
        self.lines = QTableWidget(0, 6, objectName="statement-lines")
        self.lines.setHorizontalHeaderLabels(["Step", "Description", "Title", "Media", "Territory", "Amount"])
        self.balances = QLabel(objectName="statement-balances", wordWrap=True)
        self.history = QTableWidget(0, 7, objectName="statement-history")
        self.history.setHorizontalHeaderLabels(["Period", "Number", "Status", "Net receipts", "Paid",
                                                "MG outstanding (closing)", "Unrecouped expenses (closing)"])
        for table in (self.list, self.lines, self.history):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            table.horizontalHeader().setStretchLastSection(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # issue a period's drafts at once
        self.list.selectionModel().selectionChanged.connect(lambda *_: self.show_selected())
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.balances)
        detail_tabs = QTabWidget()
        detail_tabs.addTab(self.lines, "Waterfall")
        detail_tabs.addTab(self.history, "Balance history of the deal")
        self.payments_tab = StatementPayments(database)
        detail_tabs.addTab(self.payments_tab, "Payments")
        detail_layout.addWidget(detail_tabs, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        self.empty = QLabel("No statements yet. Import revenue, then run a period (e.g. 2026-Q3).",
                            alignment=Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        self.refresh()

    def refresh(self, keep: int | None = None) -> None:
        with self.database.read() as session:
            rows = session.execute(
                select(Statement.id, Statement.number, Statement.period_label, Deal.reference, Party.name,
                       Statement.currency, Statement.gross_receipts, Statement.net_receipts, Statement.payable,
                       Statement.paid, Statement.status, Statement.brought_forward, Statement.carried_forward)
                .join(Deal, Deal.id == Statement.deal_id).join(Party, Party.id == Statement.participant_id)
                .order_by(Statement.period_start.desc(), Deal.reference)).all()
            settled = {due.statement_id: due for due in payments.standing(session, today=date.today())}
        # what each asks to be paid (added here: in SQL the scaled integers would come back unscaled)
        rows = [(*row[:9], to_pay(row[9], row[11], row[12]), row[10]) for row in rows]
        self.statement_ids = [row[0] for row in rows]
        self.model.set_rows(rows, settled)
        self.empty.setVisible(not rows)
        self._size_columns()
        if keep in self.statement_ids:
            self.list.selectRow(self.statement_ids.index(keep))
        self.show_selected()  # the rows were rebuilt under an unchanged selection

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._size_columns()

    def _size_columns(self) -> None:
        """Widths to fit the first rows in view, once shown (not over thousands of statements)."""
        if self.sized or not self.list.isVisible() or not self.model.rowCount():
            return
        self.sized = True
        self.list.resizeColumnsToContents()

    def text(self, row: int, column: int) -> str:
        """What the list shows in a cell."""
        return self.model.text(row, column)

    def selected_id(self) -> int | None:
        return self.model.id_at(self.list.currentIndex().row())

    def show_history(self) -> None:
        statement_id = self.selected_id()
        if statement_id is not None:
            row = self.list.currentIndex().row()
            name = f"{self.text(row, 0)} {self.text(row, 1)} {self.text(row, 2)}"
            HistoryDialog(self.database, "statement", statement_id, name, self).exec()

    def show_selected(self) -> None:
        statement_id = self.selected_id()
        self.history_button.setEnabled(statement_id is not None)
        self.lines.setRowCount(0)
        self.balances.clear()
        if statement_id is None:
            self.issue_button.setEnabled(False)
            self.correct_button.setEnabled(False)
            self.correct_button.setToolTip("")
            self.sent_log_button.setEnabled(False)
            self.pay_button.setEnabled(False)
            self.payments_tab.show_statement(None)
            return
        with self.database.read() as session:
            statement = session.get(Statement, statement_id, options=[selectinload(Statement.lines), selectinload(Statement.balances)])
            names = dict(session.execute(select(Title.id, Title.original_name).where(
                Title.id.in_({l.title_id for l in statement.lines if l.title_id}))).all())
        self.issue_button.setEnabled(statement.status is StatementStatus.DRAFT and self.operation is None)
        issued = statement.status is StatementStatus.ISSUED
        self.correct_button.setEnabled(issued)
        self.sent_log_button.setEnabled(issued)
        self.pay_button.setEnabled(issued)
        self.payments_tab.show_statement(statement_id)
        self.correct_button.setToolTip(CORRECT_ISSUED if issued else CORRECT_DRAFT)
        bold = QFont()
        bold.setBold(True)
        self.lines.setRowCount(len(statement.lines))
        for row, line in enumerate(statement.lines):
            description = line.description
            if line.library_id is not None:
                description += f" (library split, this title's basis {line.split_basis.normalize():f})"
            if line.source_currency and line.source_currency != statement.currency:
                description += f" ({money(line.source_amount, line.source_currency)} at {line.fx_rate.normalize():f}, rate of {line.fx_date})"
            values = (line.kind.value.replace("_", " "), description, names.get(line.title_id, ""), line.media_code or "",
                      line.territory_code or "", money(line.amount, statement.currency))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if line.kind in STEPS:
                    item.setFont(bold)
                self.lines.setItem(row, column, item)
        self.lines.resizeColumnsToContents()
        parts = []
        for balance in statement.balances:
            who = names.get(balance.title_id, "Title") if balance.title_id else "Deal"
            figures = []
            for name, field in (("MG outstanding", "mg_outstanding"), ("unrecouped expenses", "unrecouped_expenses"),
                                ("cumulative net", "cumulative_net"), ("deficit", "deficit"), ("reserve", "reserve")):
                opening, closing = getattr(balance, f"opening_{field}"), getattr(balance, f"closing_{field}")
                if opening or closing or field not in ("deficit", "reserve"):  # those two only when there is one
                    figures.append(f"{name} {money(opening, statement.currency)} → {money(closing, statement.currency)}")
            parts.append(f"{who}: " + "; ".join(figures))
        self.balances.setText("Balances, opening → closing. " + " · ".join(parts))
        self._show_history(statement.deal_id)

    def _show_history(self, deal_id: int) -> None:
        """Every statement of the deal, oldest first, with what it carried forward."""
        with self.database.read() as session:
            earlier = session.scalars(select(Statement).where(Statement.deal_id == deal_id)
                                      .options(selectinload(Statement.balances)).order_by(Statement.period_start)).all()
        self.history.setRowCount(len(earlier))
        for row, statement in enumerate(earlier):
            mg = sum((b.closing_mg_outstanding for b in statement.balances), Decimal(0))
            unrecouped = sum((b.closing_unrecouped_expenses for b in statement.balances), Decimal(0))
            values = (statement.period_label, statement.number or "draft", statement.status.value.title(),
                      money(statement.net_receipts, statement.currency), money(statement.paid, statement.currency),
                      money(mg, statement.currency), money(unrecouped, statement.currency))
            for column, value in enumerate(values):
                self.history.setItem(row, column, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()

    def run_period(self) -> Operation | None:
        label = self.period.text().strip()
        if not label or self.operation is not None:
            return None

        def work(progress: Report) -> statements.RunResult:
            progress("Running the waterfalls", 10)
            return self.database.compute_then_write(lambda session: statements.run(session, label, user=current_user()))

        def done(result: statements.RunResult) -> None:
            left = ", ".join(f"{money(a, c)}" for c, a in sorted(result.left_out.items()) if a)
            text = f"{plural(len(result.statements), 'statement')} drafted for {result.period}."
            if result.skipped_issued:
                text += f" Already issued, left as they are: {', '.join(result.skipped_issued)}."
            if result.closed:
                text += (f" Not drafted where a later period is issued (its revenue goes on the next statement): "
                         f"{', '.join(result.closed)}.")
            if result.redrafted:
                text += f" Later drafts of the same deals drafted again on top: {len(result.redrafted)}."
            if result.late_lines:
                text += f" {plural(len(result.late_lines), 'line')} of earlier periods are on these statements."
            for stale in result.stale_rates:
                text += f" Rate older than the period used: {stale}; enter the period's rate and run again."
            link = ""
            if left:
                text += (f" Not on any statement: {left} ({len(result.unmatched_lines)} unmatched line(s), "
                         f"{len(result.ungoverned_lines)} no deal governs) — see ")
                link = f'<a href="{UNSTATED_LINK}">Revenue &gt; Not on a statement</a>.'
            self.outcome.setText(escape(text, quote=False) + link)
            self.refresh(keep=result.statements[0] if result.statements else None)
            self.changed.emit()

        self.run_button.setEnabled(False)
        self.operation = Operation(self, "Running statements", work).on_success(done)
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def _finished(self) -> None:
        self.operation = None
        self.run_button.setEnabled(True)
        self.show_selected()  # the Issue button again, for what is selected now

    def select_period_drafts(self) -> int:
        """Select the drafts of the period in the Period box (to issue them together); how many."""
        label = self.period.text().strip()
        chosen = QItemSelection()
        for row in range(self.model.rowCount()):
            if self.text(row, 1) == label and self.text(row, 0) == "draft":
                chosen.select(self.model.index(row, 0), self.model.index(row, len(LIST_HEADERS) - 1))
        flags = QItemSelectionModel.SelectionFlag
        self.list.selectionModel().select(chosen, flags.ClearAndSelect | flags.Rows)  # one change, not one a row
        if chosen.indexes():
            self.list.selectionModel().setCurrentIndex(chosen.indexes()[0], flags.NoUpdate)
        return len({index.row() for index in chosen.indexes()})

    def issue_selected(self) -> Operation | None:
        """Issue the selected drafts, all or nothing, off the UI thread: the database file is
        copied first, and a period's drafts are many at month-end."""
        rows = sorted({index.row() for index in self.list.selectionModel().selectedRows()}, reverse=True)
        if not rows and self.list.currentIndex().isValid():  # what the Issue button was enabled for
            rows = [self.list.currentIndex().row()]
        # Oldest period first (the list is newest first): a deal's statements are issued in order.
        drafts = [self.statement_ids[r] for r in rows if self.text(r, 0) == "draft"]
        if not drafts or self.operation is not None:
            return None
        # Which statements, in the words of the list: deal, participant, period and what each pays.
        named = [f"{self.text(r, 2)} · {self.text(r, 3)} · {self.text(r, 1)} · to pay {self.text(r, 8)}"
                 for r in rows if self.text(r, 0) == "draft"]
        listed = "\n".join(f"• {line}" for line in named[:10]) + (f"\n• and {len(named) - 10:,} more" if len(named) > 10 else "")
        what = "this statement" if len(drafts) == 1 else f"these {len(drafts):,} statements"
        if not confirm(self, "Issue statement" if len(drafts) == 1 else "Issue statements",
                       f"Issue {what}?\n\n{listed}\n\n{'It is' if len(drafts) == 1 else 'They are'} numbered and "
                       "locked: nothing on it can change afterwards; corrections go into a later period."):
            return None
        database, user = self.database, current_user()

        def work(progress: Report) -> tuple[list[issuing.Issued], object]:
            progress("Saving a copy of the database, then numbering", 10)
            try:
                return issuing.issue_statements(database, drafts, user=user)
            except OSError as error:
                raise UserError(str(error)) from error

        def done(result: tuple[list[issuing.Issued], object]) -> None:
            issued, saved = result
            numbers = issued[0].number if len(issued) == 1 else f"{len(issued):,} statements ({issued[0].number} to {issued[-1].number})"
            self.outcome.setText(escape(f"Issued {numbers}." + (f" The database before it is saved at {saved}." if saved else ""),
                                        quote=False))
            self.refresh(keep=drafts[0])
            self.changed.emit()

        self.issue_button.setEnabled(False)
        self.operation = Operation(self, "Issuing statements", work).on_success(done)
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def correct_selected(self) -> None:
        """An issued statement is corrected by an adjustment that its deal's next run carries."""
        statement_id = self.selected_id()
        if statement_id is None or not self.correct_button.isEnabled():
            return
        row = self.list.currentIndex().row()
        number, period, deal, currency = (self.text(row, c) for c in (0, 1, 2, 4))
        dialog = CorrectionDialog(self.database, statement_id, f"{number} ({period}, {deal})", currency, self)
        if not dialog.exec() or dialog.saved_id is None:
            return
        self.outcome.setText(escape(f"Correction of {money(dialog.amount_saved, currency)} to {number} recorded. "
                                    f"The next statement run for deal {deal} carries it.", quote=False))
        self.refresh(keep=statement_id)
        self.changed.emit()

    def send_by_email(self) -> SendStatementsDialog:
        """The period in the Period box (else the selected statement's), its issued statements to send."""
        period = self.period.text().strip()
        if not period and self.list.currentIndex().isValid():
            period = self.text(self.list.currentIndex().row(), 1)
        dialog = SendStatementsDialog(self.database, period, self)
        dialog.open()
        return dialog

    def show_sent_log(self) -> DeliveryLogDialog | None:
        statement_id = self.selected_id()
        if statement_id is None or not self.sent_log_button.isEnabled():
            return None
        row = self.list.currentIndex().row()
        dialog = DeliveryLogDialog(self.database, statement_id, f"{self.text(row, 0)} ({self.text(row, 3)})", self)
        dialog.open()
        return dialog

    def record_payment(self) -> RecordPaymentDialog | None:
        """Record a payment against the selected issued statement."""
        statement_id = self.selected_id()
        if statement_id is None or not self.pay_button.isEnabled():
            return None
        dialog = RecordPaymentDialog(self.database, statement_id, self)
        dialog.accepted.connect(lambda: (self.refresh(keep=statement_id), self.changed.emit()))
        dialog.open()
        return dialog

    def payment_run(self) -> PaymentRunDialog:
        """Pay the issued statements selected (two or more), else the period in the Period box."""
        chosen = sorted({self.model.id_at(index.row()) for index in self.list.selectionModel().selectedRows()} - {None})
        chosen = [i for i in chosen if i in self.model.settled]
        period = self.period.text().strip()
        if not period and self.list.currentIndex().isValid():
            period = self.text(self.list.currentIndex().row(), 1)
        dialog = PaymentRunDialog(self.database, period, chosen if len(chosen) > 1 else None, self)
        dialog.accepted.connect(lambda: (self.refresh(keep=self.selected_id()), self.changed.emit()))
        dialog.open()
        return dialog
