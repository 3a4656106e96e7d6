"""One statement under the Statements list: its balances opening and closing, the waterfall
step by step, the deal's balance history, and the payments recorded against it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableView, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from rightsdesk.persistence.database import Database
from rightsdesk.services.statement_screen import HistoryRow, StatementDetail, StatementView
from rightsdesk.ui.formatting import money
from rightsdesk.ui.statements.payments import StatementPayments


def read_only_rows(table: QTableView) -> None:
    """A table read row by row: nothing edited in place, no row numbers, columns the user sizes."""
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setResizeContentsPrecision(0)  # widths from the rows in view, not every row


NONE_CHOSEN = "Choose a statement in the list to see its balances, its waterfall step by step, the deal's " \
              "balance history and its payments."


class StatementDetailView(QWidget):
    """The statement chosen in the list, or nothing."""

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.lines = QTableWidget(0, 6, objectName="statement-lines")
        self.lines.setHorizontalHeaderLabels(["Step", "Description", "Title", "Media", "Territory", "Amount"])
        self.balances = QLabel(NONE_CHOSEN, objectName="statement-balances", wordWrap=True)
        self.history = QTableWidget(0, 7, objectName="statement-history")
        self.history.setHorizontalHeaderLabels(["Period", "Number", "Status", "Net receipts", "Paid",
                                                "MG outstanding (closing)", "Unrecouped expenses (closing)"])
        for table in (self.lines, self.history):
            read_only_rows(table)
        self.payments_tab = StatementPayments(database)
        tabs = QTabWidget()
        tabs.addTab(self.lines, "Waterfall")
        tabs.addTab(self.history, "Balance history of the deal")
        tabs.addTab(self.payments_tab, "Payments")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.balances)
        layout.addWidget(tabs, 1)

    def show_statement(self, view: StatementView | None) -> None:
        """Show a statement as read (statement_screen.statement_view: the reading is the
        caller's, off the UI thread), or clear it for None."""
        self.lines.setRowCount(0)
        self.balances.clear()
        if view is None:
            self.balances.setText(NONE_CHOSEN)
            self.history.setRowCount(0)
            self.payments_tab.show_statement(None)
            return
        detail = view.detail
        self.payments_tab.show_payments(view.payments, view.due)
        self._show_lines(detail)
        parts = []
        for balance in detail.balances:
            figures = "; ".join(f"{name} {money(opening, detail.currency)} → {money(closing, detail.currency)}"
                                for name, opening, closing in balance.figures)
            parts.append(f"{balance.title or 'Deal'}: {figures}")
        self.balances.setText("Balances, opening → closing. " + " · ".join(parts))
        self._show_history(view.history)

    def _show_lines(self, detail: StatementDetail) -> None:
        bold = QFont()
        bold.setBold(True)
        self.lines.setRowCount(len(detail.lines))
        for row, line in enumerate(detail.lines):
            description = line.description
            if line.library_share:
                description += f" ({line.library_share})"
            if line.source_amount is not None and line.fx_rate is not None:
                description += (f" ({money(line.source_amount, line.source_currency)} at {line.fx_rate.normalize():f}, "
                                f"rate of {line.fx_date})")
            values = (line.step, description, line.title, line.media, line.territory, money(line.amount, detail.currency))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if line.is_step:
                    item.setFont(bold)
                self.lines.setItem(row, column, item)
        self.lines.resizeColumnsToContents()

    def _show_history(self, earlier: list[HistoryRow]) -> None:
        """Every statement of the deal, oldest first, with what it carried forward."""
        self.history.setRowCount(len(earlier))
        for row, statement in enumerate(earlier):
            currency = statement.currency
            values = (statement.period, statement.number or "draft", statement.status.value.title(),
                      money(statement.net_receipts, currency), money(statement.paid, currency),
                      money(statement.mg_outstanding, currency), money(statement.unrecouped_expenses, currency))
            for column, value in enumerate(values):
                self.history.setItem(row, column, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()
