"""Statements: run a period, review each participant's waterfall, issue, correct an issued one,
see the balance history."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QTableView,
                               QVBoxLayout, QWidget)

from rightsdesk.domain.errors import NotFound
from rightsdesk.domain.enums import StatementStatus
from rightsdesk.persistence.database import Database
from rightsdesk.services import statement_screen
from rightsdesk.services.audit import current_user
from rightsdesk.services.statements import RunResult
from rightsdesk.ui import settings
from rightsdesk.ui.actions import act_in_background, follow
from rightsdesk.ui.history import HistoryDialog
from rightsdesk.ui.forms import confirm, edits
from rightsdesk.ui.formatting import money
from rightsdesk.ui.operations import LatestReading, Operation, Report
from rightsdesk.ui.statements.correction import CorrectionDialog
from rightsdesk.ui.statements.detail import StatementDetailView, read_only_rows
from rightsdesk.ui.statements.delivery import DeliveryLogDialog, SendStatementsDialog
from rightsdesk.ui.statements.payments import PaymentRunDialog, RecordPaymentDialog
from rightsdesk.ui.statements.statement_list import LIST_HEADERS, StatementFilter, StatementListModel
from rightsdesk.ui.statements.preview import Rendered, StatementPreview, ask_where, render, suggested_name, write_statement
from rightsdesk.domain.words import plural

# Records whose change the list, the waterfall, the balances or the payments tab show.
SHOWN_KINDS = {"statement", "statement_line", "statement_balance", "statement_adjustment", "payment", "payment_run",
               "statement_delivery", "deal", "party", "title", "royalty_terms"}
UNSTATED_LINK = "unstated"
CORRECT_ISSUED = "Record a correction of this issued statement; the deal's next statement run carries it"
CORRECT_DRAFT = "A draft is corrected by running its period again"


class _PreviewKeys(QObject):
    """Space, Return and Enter on the list preview the statement in view (Space as in a file
    browser's quick look), instead of moving the selection."""

    def __init__(self, page: StatementsPage):
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.page.preview_selected()
                return True
        return False


class _Outcome(QLabel):
    """What the last command came to: a line shown only while it says something."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class StatementsPage(QWidget):
    unstated_requested = Signal()  # the user asked to see the revenue on no statement

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.operation: Operation | None = None
        self.preview: StatementPreview | None = None
        self.period = QLineEdit(objectName="statements-period", placeholderText="2026-Q3, 2026-07, 2026-H2 or 2026")
        self.period.setMinimumWidth(200)
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
        # One statement as its participant reads it (issue 18): Space or Return on the list, or a double-click.
        self.preview_button = QPushButton("Pre&view", objectName="statements-preview", enabled=False)
        self.preview_button.setToolTip("The statement's PDF (Space or Return on the list, or double-click)")
        self.preview_button.clicked.connect(self.preview_selected)
        self.save_button = QPushButton("Save &as…", objectName="statements-save", enabled=False,
                                       shortcut=QKeySequence("Ctrl+Shift+S"))
        self.save_button.setToolTip("Save the statement as PDF or Excel (Ctrl+Shift+S)")
        self.save_button.clicked.connect(lambda: self.save_selected())
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
        self.outcome = _Outcome(objectName="statements-outcome", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.outcome.hide()
        self.outcome.linkActivated.connect(lambda link: link == UNSTATED_LINK and self.unstated_requested.emit())
        self.filter = QLineEdit(objectName="statements-filter", clearButtonEnabled=True,
                                placeholderText="Filter by number, period, deal, participant or status (Ctrl+F)")
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_filter)  # from anywhere in the window, as lists do
        # Two rows of commands: in one, the window would not fit a 1280 px screen.
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        top.addWidget(self.period)
        top.addWidget(self.run_button)
        top.addWidget(self.issue_button)
        top.addWidget(self.correct_button)
        top.addWidget(self.history_button)
        top.addWidget(self.preview_button)
        top.addWidget(self.save_button)
        top.addStretch(1)
        # How many the list holds, and of them how many the filter shows (a period's drafts are thousands)
        self.count = QLabel(objectName="statements-count")
        second = QHBoxLayout()
        second.addWidget(self.filter, 1)
        second.addWidget(self.count)
        second.addWidget(self.send_button)
        second.addWidget(self.sent_log_button)
        second.addWidget(self.pay_button)
        second.addWidget(self.run_payments_button)

        self.model = StatementListModel(self)
        self.proxy = StatementFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._to_list)
        self.list = QTableView(objectName="statements-list")
        self.list.setModel(self.proxy)
        self.list.setWordWrap(False)
        self.list.setAlternatingRowColors(True)
        self.list.horizontalHeader().setResizeContentsPrecision(0)  # widths from the rows in view
        # (a header that shows which columns are wholly selected asks every row at every paint:
        # seconds with a period's drafts selected)
        self.list.horizontalHeader().setHighlightSections(False)
        # Even so, for each column it paints it asks whether its neighbours are wholly selected
        # (to draw their edge): every row of every column through the filter, ~30 000 calls into
        # this model, 0.1-0.2 s on the UI thread at each change of a selection of a period's
        # drafts. The header keeps a selection of its own, always empty.
        self.list.horizontalHeader().setSelectionModel(QItemSelectionModel(self.proxy, self.list.horizontalHeader()))
        self.list.verticalHeader().setDefaultSectionSize(self.list.fontMetrics().height() + 8)
        self.list.installEventFilter(_PreviewKeys(self))
        self.list.doubleClicked.connect(lambda _index: self.preview_selected())
        self.sized = False
        read_only_rows(self.list)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # issue a period's drafts at once
        self.list.selectionModel().selectionChanged.connect(lambda *_: self.show_selected())
        self.detail = StatementDetailView(database)
        # (the parts of the detail, by their names on the screen)
        self.lines, self.balances, self.history = self.detail.lines, self.detail.balances, self.detail.history
        self.payments_tab = self.detail.payments_tab
        # The list above the statement in view, three to two (at 1280x720 the list showed seven
        # rows under an empty waterfall); where the user moves the divide is kept.
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="statements-splitter")
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        remembered = settings.view_state("statements-splitter")
        if not (state := remembered.get()).isEmpty():
            splitter.restoreState(state)
        else:  # (the stretch shares out only what the two ask beyond their own sizes)
            splitter.setSizes([3000, 2000])
        splitter.splitterMoved.connect(lambda *_: remembered.set(splitter.saveState()))
        self.splitter = splitter
        self.empty = QLabel("No statements yet. Import revenue, then run a period (e.g. 2026-Q3).",
                            alignment=Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.outcome)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        self.list_reading = LatestReading(self, lambda: self.refresh(self.keep))
        self.detail_reading = LatestReading(self, self.show_selected)  # the statement in view, under the list
        self.detail_shown: int | None = None
        self.keep: int | None = None
        self.statement_ids: list[int] = []
        self.refresh()
        # What another screen or desk changes (a payment, a deal's name, a run) shows here too.
        follow(self, SHOWN_KINDS, self.refresh)

    def refresh(self, keep: int | None = None) -> None:
        """Read the list again off the UI thread (every statement and where its payment stands:
        a third of a second and more at thousands), keeping `keep` (else the statement in view)
        selected. Asked again while reading, it reads once more when this reading ends."""
        self.keep = keep if keep is not None else self.keep if self.list_reading.busy() else self.selected_id()
        if self.list_reading.later():
            return
        database, today = self.database, date.today()

        def read() -> Any:
            with database.read() as session:
                return statement_screen.statement_rows(session, today=today)

        self.list_reading.start(read, self._show_rows)

    def wait_for_list(self) -> None:
        """Until the list read last, and the statement in view, are shown (tests; the window
        never waits)."""
        while self.list_reading.busy() or self.detail_reading.busy():
            self.list_reading.wait()
            self.detail_reading.wait()

    def _show_rows(self, read: Any) -> None:
        rows, settled = read
        keep, self.keep = self.keep, None
        self.statement_ids = [row.statement_id for row in rows]
        self.model.set_rows(rows, settled)
        self.empty.setVisible(not rows)
        self._count()
        self._size_columns()
        if keep is not None:
            self.select_statement(keep)
        self.show_selected()  # the rows were rebuilt under an unchanged selection

    def select_statement(self, statement_id: int) -> bool:
        """Select a statement in the list (shown, whatever the filter hid); whether it is there."""
        if statement_id not in self.statement_ids:
            return False
        source = self.model.index(self.statement_ids.index(statement_id), 0)
        if not self.proxy.mapFromSource(source).isValid():
            self.filter.clear()
        self.list.selectRow(self.proxy.mapFromSource(source).row())
        return True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._size_columns()

    def _size_columns(self) -> None:
        """Widths to fit the first rows in view, once shown (not over thousands of statements)."""
        if self.sized or not self.list.isVisible() or not self.model.rowCount():
            return
        self.sized = True
        self.list.resizeColumnsToContents()

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    def _count(self) -> None:
        shown, held = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(plural(held, "statement") if shown == held else f"{shown:,} of {plural(held, 'statement')}")

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self._count()
        # The statement in view filtered out: the first one found is shown, and selected (Qt
        # moves the current row without selecting it, so the detail would not match the list).
        if self.proxy.rowCount() and not self.list.selectionModel().hasSelection():
            self.list.selectRow(max(self.list.currentIndex().row(), 0))
        self.show_selected()

    def _to_list(self) -> None:
        """Return in the filter: on to the statements found."""
        if self.proxy.rowCount():
            if not self.list.currentIndex().isValid():
                self.list.selectRow(0)
            self.list.setFocus()

    def _source_row(self, row: int) -> int:
        return self.proxy.mapToSource(self.proxy.index(row, 0)).row() if 0 <= row < self.proxy.rowCount() else -1

    def text(self, row: int, column: int) -> str:
        """What the list shows in a cell (`row` as listed, after the filter)."""
        return self.model.text(self._source_row(row), column)

    def id_at(self, row: int) -> int | None:
        """The statement on a row as listed."""
        return self.model.id_at(self._source_row(row))

    def selected_rows(self) -> set[int]:
        """The rows selected, as listed: from the selection's ranges (Qt's selectedRows() asks
        the model of every cell of every row, a third of a second for a period's drafts)."""
        return {row for chosen in self.list.selectionModel().selection() for row in range(chosen.top(), chosen.bottom() + 1)}

    def selected_id(self) -> int | None:
        return self.id_at(self.list.currentIndex().row())

    def show_history(self) -> None:
        statement_id = self.selected_id()
        if statement_id is not None:
            row = self.list.currentIndex().row()
            name = f"{self.text(row, 0)} {self.text(row, 1)} {self.text(row, 2)}"
            HistoryDialog(self.database, "statement", statement_id, name, self).exec()

    def show_selected(self) -> None:
        """Show the statement in view under the list: read off the UI thread (its waterfall,
        its deal's history and its payments: a quarter's library deal is long), the commands
        that depend on its status enabled once it is in. Asked again while reading, it reads
        once more when this reading ends."""
        statement_id = self.selected_id()
        self.history_button.setEnabled(statement_id is not None)
        self.preview_button.setEnabled(statement_id is not None)
        self.save_button.setEnabled(statement_id is not None)
        if statement_id != self.detail_shown:  # (what another statement's status allowed, not this one's)
            for button in (self.issue_button, self.correct_button, self.sent_log_button, self.pay_button):
                button.setEnabled(False)
        if self.detail_reading.later():
            return
        if statement_id is None:
            self._show_detail(None)
            return
        database, today = self.database, date.today()

        def read() -> statement_screen.StatementView | None:
            try:
                with database.read() as session:
                    return statement_screen.statement_view(session, statement_id, today=today)
            except NotFound:  # run again meanwhile, on another desk: the list catches up when told
                return None

        self.detail_reading.start(read, self._show_detail)

    def wait_for_detail(self) -> None:
        """Until the statement in view read last is shown (tests; the window never waits)."""
        self.detail_reading.wait()

    def _show_detail(self, view: statement_screen.StatementView | None) -> None:
        self.detail_shown = view.detail.statement_id if view is not None else None
        self.detail.show_statement(view)
        status = view.detail.status if view is not None else None
        issued = status is StatementStatus.ISSUED
        self.issue_button.setEnabled(status is StatementStatus.DRAFT and self.operation is None)
        self.correct_button.setEnabled(issued)
        self.correct_button.setToolTip("" if status is None else CORRECT_ISSUED if issued else CORRECT_DRAFT)
        self.sent_log_button.setEnabled(issued)
        self.pay_button.setEnabled(issued)

    # -- one statement as its participant reads it --------------------------------------------------

    def preview_selected(self) -> Operation | None:
        """Draw the statement in view as its PDF off the UI thread, then show it."""
        statement_id = self.selected_id()
        if statement_id is None or self.operation is not None:
            return None
        database = self.database

        def work(report: Report) -> Rendered:
            return render(database, statement_id, report)

        self.operation = Operation(self, "Preview statement", work).on_success(
            lambda rendered: self._show_preview(statement_id, rendered))
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def _show_preview(self, statement_id: int, rendered: Rendered) -> None:
        if self.preview is not None:
            self.preview.close()
        self.preview = StatementPreview(self.database, statement_id, rendered, self)
        self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview.destroyed.connect(lambda *_: setattr(self, "preview", None))
        self.preview.open()

    def save_selected(self, path: str = "") -> Operation | None:
        """Save the statement in view as PDF or Excel: asks where (unless given), offering the
        name the period's export gives it; written off the UI thread."""
        statement_id = self.selected_id()
        if statement_id is None or self.operation is not None:
            return None
        try:
            target = Path(path) if path else ask_where(self, suggested_name(self.database, statement_id))
        except NotFound as error:
            self.outcome.setText(escape(str(error)[0].upper() + str(error)[1:] + ".", quote=False))
            return None
        if target is None:
            return None
        database = self.database

        def work(report: Report) -> Path:
            return write_statement(database, statement_id, target, report)

        def done(written: Path) -> None:
            self.outcome.setText(escape(f"Saved {written}.", quote=False))

        self.operation = Operation(self, "Save statement", work).on_success(done)
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def run_period(self) -> Operation | None:
        label = self.period.text().strip()
        if not label or self.operation is not None:
            return None

        def done(result: RunResult) -> None:
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
                text += (f" Not on any statement: {left} ({plural(len(result.unmatched_lines), 'unmatched line')}, "
                         f"{len(result.ungoverned_lines):,} no deal governs) — see ")
                link = f'<a href="{UNSTATED_LINK}">Revenue &gt; Not on a statement</a>.'
            self.outcome.setText(escape(text, quote=False) + link)
            self.refresh(keep=result.statements[0] if result.statements else None)

        self.run_button.setEnabled(False)
        self.operation = act_in_background(self, "Running statements", self.database, statement_screen.run_period,
                                           label, user=current_user(), compute_first=True, on_done=done)
        self.operation.finished.connect(self._finished)
        return self.operation

    def _finished(self) -> None:
        self.operation = None
        self.run_button.setEnabled(True)
        self.show_selected()  # the Issue button again, for what is selected now

    def select_period_drafts(self) -> int:
        """Select the drafts of the period in the Period box (to issue them together); how many."""
        label = self.period.text().strip()
        statements = self.model.rows
        rows = [row for row, source in enumerate(self.proxy.shown_rows())  # (those the filter shows)
                if statements[source].period == label and not statements[source].number]
        chosen = QItemSelection()
        # Rows next to each other as one range (a period's drafts are listed together): Qt looks
        # through the ranges for every cell it paints, and thousands of one-row ranges stalled it.
        starts = [row for n, row in enumerate(rows) if n == 0 or rows[n - 1] != row - 1]
        ends = [row for n, row in enumerate(rows) if n == len(rows) - 1 or rows[n + 1] != row + 1]
        for first, last in zip(starts, ends):
            chosen.select(self.proxy.index(first, 0), self.proxy.index(last, len(LIST_HEADERS) - 1))
        flags = QItemSelectionModel.SelectionFlag
        self.list.selectionModel().select(chosen, flags.ClearAndSelect | flags.Rows)  # one change, not one a row
        if rows:
            self.list.selectionModel().setCurrentIndex(self.proxy.index(rows[0], 0), flags.NoUpdate)
        return len(rows)

    def issue_selected(self) -> Operation | None:
        """Issue the selected drafts, all or nothing, off the UI thread: the database file is
        copied first, and a period's drafts are many at month-end."""
        rows = sorted(self.selected_rows(), reverse=True)
        if not rows and self.list.currentIndex().isValid():  # what the Issue button was enabled for
            rows = [self.list.currentIndex().row()]
        # Oldest period first (the list is newest first): a deal's statements are issued in order.
        # (the list's rows themselves: a period's drafts are thousands, and each cell's text
        # through the filter, its amount put in money, took a second)
        shown = self.proxy.shown_rows()
        chosen = [self.model.rows[shown[row]] for row in rows if 0 <= row < len(shown)]
        chosen = [statement for statement in chosen if not statement.number]
        drafts = [statement.statement_id for statement in chosen]
        if not drafts or self.operation is not None:
            return None
        # Which statements, in the words of the list: deal, participant, period and what each pays.
        named = [f"{s.deal} · {s.participant} · {s.period} · to pay {money(s.to_pay, s.currency)}" for s in chosen[:10]]
        listed = "\n".join(f"• {line}" for line in named) + (f"\n• and {len(chosen) - 10:,} more" if len(chosen) > 10 else "")
        what = "this statement" if len(drafts) == 1 else f"these {len(drafts):,} statements"
        if not confirm(self, "Issue statement" if len(drafts) == 1 else "Issue statements",
                       f"Issue {what}?\n\n{listed}\n\n{'It is' if len(drafts) == 1 else 'They are'} numbered and "
                       "locked: nothing on it can change afterwards; corrections go into a later period."):
            return None

        def done(result: statement_screen.IssueResult) -> None:
            issued, saved = result.issued, result.saved
            numbers = issued[0].number if len(issued) == 1 else f"{len(issued):,} statements ({issued[0].number} to {issued[-1].number})"
            self.outcome.setText(escape(f"Issued {numbers}." + (f" The database before it is saved at {saved}." if saved else ""),
                                        quote=False))
            self.refresh(keep=drafts[0])

        self.issue_button.setEnabled(False)
        self.operation = act_in_background(self, "Issuing statements", self.database, statement_screen.issue_drafts,
                                           drafts, user=current_user(), on_done=done)
        self.operation.finished.connect(self._finished)
        return self.operation

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
        dialog.open()
        return dialog

    def payment_run(self) -> PaymentRunDialog:
        """Pay the issued statements selected (two or more), else the period in the Period box."""
        chosen = sorted({self.id_at(row) for row in self.selected_rows()} - {None})
        chosen = [i for i in chosen if i in self.model.settled]
        period = self.period.text().strip()
        if not period and self.list.currentIndex().isValid():
            period = self.text(self.list.currentIndex().row(), 1)
        dialog = PaymentRunDialog(self.database, period, chosen if len(chosen) > 1 else None, self)
        dialog.open()
        return dialog
