"""Paying participants from the Statements screen (issue 20): record a payment against an issued
statement, and a payment run: what each participant is owed, the bank file (pain.001) and/or
lists and remittance advice written to a folder, the run recorded (every statement paid, or none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import PaymentMethod
from rightsdesk.domain.errors import Problem, UserError, ValidationError
from rightsdesk.persistence.database import Database
from rightsdesk.services import payment_runs
from rightsdesk.services import payments, remittance
from rightsdesk.services.audit import current_user
from rightsdesk.services.payments import RunPlan
from rightsdesk.ui.actions import Changes, announce, run
from rightsdesk.domain.words import plural
from rightsdesk.ui.date_field import NO_DATE, DateField
from rightsdesk.ui.formatting import decimal_text, money
from rightsdesk.ui.forms import confirm, explain_number, lay_out_dialog, number_of, problems_label, show_problems
from rightsdesk.ui.operations import Operation, Report

FOLDER_SETTING = "payments/folder"
# What recording a payment run writes: the run, its payments, the account paid from.
RUN_WRITES = Changes({"payment_run": frozenset(), "payment": frozenset(), "app_setting": frozenset()})


def _day(edit: DateField, what: str) -> date:
    """The day a required date field holds; UserError saying why when it holds none (empty, or
    typed so that it cannot be read: never the day it held before)."""
    problem = edit.problem() or ("" if edit.date() != NO_DATE else "type the day, e.g. 2026-11-01")
    if problem:
        raise UserError(f"{what}: {problem}")
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _date_edit(name: str) -> DateField:
    """Today, typed over or picked (ui.date_field: a typed year is never changed)."""
    return DateField(date.today(), name)


class RecordPaymentDialog(QDialog):
    """Amount (what is still owed, to start with), date, reference and method of a payment made
    against one issued statement; more than is owed only with "This is an overpayment" ticked."""

    def __init__(self, database: Database, statement_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.statement_id = statement_id
        self.saved_id: int | None = None
        with database.read() as session:
            [self.due] = payments.standing(session, today=date.today(), statement_ids=[statement_id])
        due = self.due
        self.setWindowTitle(f"Record a payment of {due.number}")
        self.setMinimumWidth(460)
        paid = f"; {money(due.paid, due.currency)} paid so far" if due.paid else ""
        intro = QLabel(f"{due.participant}, {due.deal}, {due.period}: {money(due.to_pay, due.currency)} to pay{paid}, "
                       f"<b>{money(due.owed, due.currency)} still owed</b>, due {due.due_on}"
                       + (" (overdue)." if due.overdue else "."), wordWrap=True)
        self.amount = QLineEdit(decimal_text(max(due.owed, Decimal(0))), objectName="payment-amount")
        explain_number(self.amount)
        self.paid_on = _date_edit("payment-date")
        self.reference = QLineEdit(objectName="payment-reference", placeholderText="the bank's or the cheque's reference")
        self.method = QComboBox(objectName="payment-method")
        for method, name in payments.METHOD_NAMES.items():
            self.method.addItem(name, method)
        self.overpay = QCheckBox("This is an &overpayment (more than is still owed)", objectName="payment-overpay")
        self.note = QLineEdit(objectName="payment-note")
        self.problems = problems_label("payment-problems")
        form = QFormLayout()
        form.addRow(intro)
        form.addRow(f"&Amount ({due.currency})", self.amount)
        form.addRow("&Date paid", self.paid_on)
        form.addRow("&Reference", self.reference)
        form.addRow("&Method", self.method)
        form.addRow("", self.overpay)
        form.addRow("&Note", self.note)
        lay_out_dialog(self, form, self.problems, ok_text="Record payment")

    def accept(self) -> None:
        problems: list[Problem] = []
        amount = number_of(self.amount.text(), "Amount", problems, empty=None)
        if amount is None and not problems:
            problems.append(Problem("Amount", "write the amount paid"))
        try:
            paid_on = _day(self.paid_on, "Date paid")
        except UserError as error:
            problems.append(Problem("Date paid", str(error).split(": ", 1)[1]))
        if problems or amount is None:
            show_problems(self.problems, problems)
            return
        draft = payments.PaymentDraft(amount, paid_on, self.reference.text(), PaymentMethod(self.method.currentData()),
                                      note=self.note.text())
        try:
            self.saved_id = run(self.database, payments.record_payment, self.statement_id, draft, user=current_user(),
                                overpay=self.overpay.isChecked(), today=payments.today())
        except UserError as error:
            show_problems(self.problems, str(error))
            return
        super().accept()


@dataclass(frozen=True)
class RunRequest:
    period: str | None
    statement_ids: list[int] | None
    execution_date: date
    label: str
    iban: str
    bic: str
    folder: Path
    pain: bool
    csv: bool
    xlsx: bool
    advice: bool


def make_run(database: Database, request: RunRequest, report: Report,
             approved: RunPlan | None = None) -> tuple[RunPlan, list[Path]]:
    """The run made as the command line makes it (rightsdesk.services.payment_runs): files
    staged as `.partial` beside their targets before the commit and renamed after it. `approved`:
    the plan previewed; the run is refused if what is owed changed since ("prepare the run again")."""
    from rightsdesk.reports.payment_runs import run_files  # (the writers load with the first run, not the screen)

    return payment_runs.make_run(
        database, execution_date=request.execution_date, period=request.period, statement_ids=request.statement_ids,
        label=request.label, bank=request.pain, user=current_user(), report=report, approved=approved,
        payer_account=(request.iban, request.bic) if request.pain else None,
        outputs=lambda plan: payment_runs.RunOutputs.in_folder(request.folder, plan.label, pain=request.pain,
                                                               csv=request.csv, xlsx=request.xlsx, advice=request.advice),
        render=run_files)


class PaymentRunDialog(QDialog):
    """A payment run for a period (or the statements chosen): preview every transfer with its
    masked account and the totals per currency, then write the files and record the run."""

    def __init__(self, database: Database, period: str = "", statement_ids: list[int] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.statement_ids = statement_ids or None
        self.plan: RunPlan | None = None
        self.outcome: tuple[RunPlan, list[Path]] | None = None
        self.operation: Operation | None = None
        self.setWindowTitle("Payment run")
        self.setObjectName("payment-run")
        self.resize(860, 560)
        with database.read() as session:
            payer = payments.payer(session)
        self.period = QLineEdit(period, objectName="run-period", placeholderText="2026-Q3, 2026-07, 2026-H2 or 2026")
        self.period.setEnabled(self.statement_ids is None)
        self.execution_date = _date_edit("run-date")
        self.label = QLineEdit(objectName="run-label", placeholderText="default: '<period> royalties'")
        self.iban = QLineEdit(payer.iban, objectName="run-iban", placeholderText="the account the bank pays from")
        self.iban.setToolTip("Checked, and remembered for the next run once this one is recorded")
        self.bic = QLineEdit(payer.bic, objectName="run-bic")
        self.folder = QLineEdit(str(QSettings().value(FOLDER_SETTING, str(Path.home()))), objectName="run-folder")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        self.pain = QCheckBox("Bank file (ISO 20022 pain.001)", objectName="run-pain", checked=True)
        self.csv = QCheckBox("CSV list", objectName="run-csv")
        self.xlsx = QCheckBox("Excel list", objectName="run-xlsx", checked=True)
        self.advice = QCheckBox("Remittance advice PDFs", objectName="run-advice", checked=True)
        self.transfers = QTableWidget(0, 6, objectName="run-transfers")
        self.transfers.setHorizontalHeaderLabels(["Participant", "Account", "Currency", "Amount", "Statements", "Reference"])
        self.transfers.verticalHeader().hide()
        self.transfers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.transfers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.transfers.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.filter = QLineEdit(objectName="run-filter", placeholderText="Filter transfers")
        self.filter.textChanged.connect(self._filter)
        self.totals = QLabel(objectName="run-totals", wordWrap=True)
        self.problems = problems_label("run-problems")

        form = QFormLayout()
        which = QLabel(f"{plural(len(self.statement_ids), 'statement')} chosen") if self.statement_ids else self.period
        form.addRow("&Period" if not self.statement_ids else "Statements", which)
        form.addRow("Pay &on", self.execution_date)
        form.addRow("&Label", self.label)
        account = QHBoxLayout()
        account.addWidget(self.iban, 2)
        account.addWidget(QLabel("BIC"))
        account.addWidget(self.bic, 1)
        form.addRow("Pay from (IBAN)", account)
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(browse)
        form.addRow("Write to", folder)
        outputs = QHBoxLayout()
        for box in (self.pain, self.csv, self.xlsx, self.advice):
            outputs.addWidget(box)
        outputs.addStretch(1)
        form.addRow("Files", outputs)

        self.preview_button = QPushButton("&Preview", objectName="run-preview", shortcut=QKeySequence("Ctrl+P"))
        self.preview_button.clicked.connect(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.record_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record_button.setText("Write files and &record run")
        self.record_button.setEnabled(False)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        for edit in (self.period, self.label):
            edit.textChanged.connect(self._stale)
        self.execution_date.dateChanged.connect(self._stale)
        self.pain.toggled.connect(self._stale)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(self.filter)
        layout.addWidget(self.transfers, 1)
        layout.addWidget(self.totals)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Write the payment files to", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _stale(self, *_: object) -> None:
        self.plan = None
        self.record_button.setEnabled(False)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.transfers.rowCount()):
            haystack = " ".join(self.transfers.item(row, c).text() for c in range(self.transfers.columnCount()))
            self.transfers.setRowHidden(row, bool(needle) and needle not in haystack.casefold())

    def request(self) -> RunRequest:
        period = self.period.text().strip() or None
        if self.statement_ids is None and period is None:
            raise UserError("say which period to pay (e.g. 2026-Q3)")
        if not any(box.isChecked() for box in (self.pain, self.csv, self.xlsx, self.advice)):
            raise UserError("tick at least one file to write")
        return RunRequest(None if self.statement_ids else period, self.statement_ids, _day(self.execution_date, "Pay on"),
                          self.label.text(), self.iban.text(), self.bic.text(), Path(self.folder.text().strip() or "."),
                          self.pain.isChecked(), self.csv.isChecked(), self.xlsx.isChecked(), self.advice.isChecked())

    def preview(self) -> None:
        self.problems.hide()
        try:
            request = self.request()
            with self.database.read() as session:
                self.plan = payments.plan_run(session, execution_date=request.execution_date, period=request.period,
                                              statement_ids=request.statement_ids, label=request.label, bank=request.pain)
        except ValidationError as error:
            show_problems(self.problems, error.problems, "Cannot pay:")
            self._show(None)
            return
        except UserError as error:
            show_problems(self.problems, str(error))
            self._show(None)
            return
        self._show(self.plan)

    def _show(self, plan: RunPlan | None) -> None:
        self.transfers.setRowCount(0)
        self.totals.clear()
        self.record_button.setEnabled(plan is not None)
        if plan is None:
            return
        for transfer in plan.transfers:
            row = self.transfers.rowCount()
            self.transfers.insertRow(row)
            values = (transfer.participant, transfer.account_shown or "—", transfer.currency,
                      money(transfer.amount, transfer.currency), ", ".join(s.number for s in transfer.statements),
                      transfer.reference)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.transfers.setItem(row, column, item)
        count = len(plan.statement_ids)
        totals = ", ".join(money(total, currency) for currency, total in plan.totals.items())
        self.totals.setText(f"<b>{plural(len(plan.transfers), 'transfer')} for {plural(count, 'statement')}: {totals}</b> "
                            f"— '{plan.label}', paid on {plan.execution_date}.")
        self._filter(self.filter.text())

    def record(self) -> None:
        if self.plan is None or self.operation is not None:
            return
        try:
            request = self.request()
        except UserError as error:
            show_problems(self.problems, str(error))
            return
        totals = ", ".join(money(total, currency) for currency, total in self.plan.totals.items())
        if not confirm(self, "Record the payment run",
                       f"Write the files to {request.folder} and record {plural(len(self.plan.statement_ids), 'statement')} as "
                       f"paid ({totals})? A recorded payment stays on the statements."):
            return
        QSettings().setValue(FOLDER_SETTING, str(request.folder))
        self.record_button.setEnabled(False)
        database = self.database  # the worker thread touches no widget, not even to read an attribute

        approved = self.plan  # what the preview showed is what the user approved, transfer references and all

        def work(report: Report) -> tuple[RunPlan, list[Path]]:
            return make_run(database, request, report, approved)

        self.operation = Operation(self, "Payment run", work)
        self.operation.on_success(self._recorded)
        self.operation.finished.connect(self._finished)
        self.operation.run_in_background()

    def _finished(self) -> None:
        self.operation = None
        if self.outcome is None:  # refused or failed (the message said why): nothing was recorded
            self.plan = None  # what was approved is stale, or may be: preview again before recording
            self.record_button.setEnabled(False)
            show_problems(self.problems, "Nothing was recorded: preview the run again before recording it.")
        else:  # closed once the operation has wound down, not from inside its signal
            QTimer.singleShot(0, self.accept)

    def _recorded(self, result: tuple[RunPlan, list[Path]]) -> None:
        self.outcome = result
        # The run commits before its files are put in place (services.payment_runs), so it cannot
        # be one use case given a unit of work: it says itself what it wrote.
        announce(RUN_WRITES)


class StatementPayments(QWidget):
    """The payments recorded against one statement (a tab under the Statements list), each with
    its remittance advice as a PDF on request."""

    HEADERS = ("Paid on", "Amount", "Reference", "Method", "Payment run", "Recorded by")

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.rows: list[payments.PaymentRow] = []
        self.operation: Operation | None = None
        self.table = QTableWidget(0, len(self.HEADERS), objectName="statement-payments")
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.summary = QLabel(objectName="statement-payments-summary")
        self.advice_button = QPushButton("Remittance &advice…", objectName="remittance-advice", enabled=False)
        self.advice_button.clicked.connect(self.save_advice)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.advice_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def show_statement(self, statement_id: int | None) -> None:
        """Read a statement's payments now and show them (None clears the tab)."""
        if statement_id is None:
            self.show_payments([], None, draft=False)
            return
        with self.database.read() as session:
            rows = payments.payments(session, statement_ids=[statement_id])
            dues = payments.standing(session, today=date.today(), statement_ids=[statement_id])
        self.show_payments(rows, dues[0] if dues else None)

    def show_payments(self, rows: list[payments.PaymentRow], due: payments.StatementDue | None, *,
                      draft: bool = True) -> None:
        """Show payments read already (statement_screen.statement_view): `due` None is a draft
        (said so when `draft`), or no statement."""
        self.table.setRowCount(0)
        self.rows = []
        self.summary.clear()
        self.advice_button.setEnabled(False)
        if due is None:
            if draft:
                self.summary.setText("A draft: payments are recorded once it is issued.")
            return
        self.rows = rows
        carried = ""
        if due.brought_forward or due.carried_forward:
            carried = (f" (with {money(due.brought_forward, due.currency)} brought forward and "
                       f"{money(due.carried_forward, due.currency)} carried forward under the minimum payout)")
        state = "overdue" if due.overdue else f"due {due.due_on}"
        self.summary.setText(f"To pay {money(due.to_pay, due.currency)}{carried}; paid {money(due.paid, due.currency)}; "
                             f"still owed {money(due.owed, due.currency)}" + (f", {state}" if due.owed > 0 else ""))
        for payment in self.rows:
            r = self.table.rowCount()
            self.table.insertRow(r)
            values = (str(payment.paid_on), money(payment.amount, payment.currency), payment.reference,
                      payments.METHOD_NAMES[payment.method], payment.run, payment.recorded_by)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, column, item)
        if self.rows:
            self.table.selectRow(0)

    def _selected(self) -> None:
        self.advice_button.setEnabled(self.table.currentRow() >= 0 and self.operation is None)

    def save_advice(self, path: str = "") -> Operation | None:
        """Ask where (unless given), then write the selected payment's remittance advice off the UI thread."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            return None
        payment_id = self.rows[row].id
        database = self.database
        with database.read() as session:
            name = remittance.advice_of_payment(session, payment_id).file_name
        if not path:
            folder = str(QSettings().value(FOLDER_SETTING, str(Path.home())))
            path, _ = QFileDialog.getSaveFileName(self, "Save the remittance advice", str(Path(folder) / name),
                                                  "PDF (*.pdf)")
            if not path:
                return None
        target = Path(path)

        def work(report: Report) -> Path:
            from rightsdesk.reports.remittance_pdf import remittance_pdf  # (reportlab: with the first advice)

            report("writing the remittance advice", 30)
            with database.read() as session:
                advice = remittance.advice_of_payment(session, payment_id)
            target.write_bytes(remittance_pdf(advice))
            return target

        self.advice_button.setEnabled(False)
        self.operation = Operation(self, "Remittance advice", work)
        self.operation.on_success(lambda written: self.summary.setText(f"Saved {written}"))
        self.operation.finished.connect(self._advice_done)
        return self.operation.run_in_background()

    def _advice_done(self) -> None:
        self.operation = None
        self._selected()
