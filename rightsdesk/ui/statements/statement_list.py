"""The Statements screen's list: every statement as one small row, and the filter over the
columns that say which statement it is."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from rightsdesk.services.statement_screen import StatementRow
from rightsdesk.ui.formatting import money

# "To pay": what the statement asks to be paid (its Paid step, with what a minimum payout
# carried in or out); "Payments recorded": money that left.
LIST_HEADERS = ("Number", "Period", "Deal", "Participant", "Currency", "Gross receipts", "Net receipts", "Payable",
                "To pay", "Status", "Payments recorded", "Still owed")
SETTLED = 10  # the first column of what was paid against a statement (issue 20)
# What the filter box searches: the columns that say which statement it is.
SEARCHED = (0, 1, 2, 3, 9)  # number, period, deal, participant, status
MOST_AMOUNTS_KEPT = 50_000  # (a few megabytes; forgotten all at once beyond)


class StatementListModel(QAbstractTableModel):
    """Every statement as one small row (figures as stored, formatted when shown): a quarter at
    month-end is thousands of statements, and a cell made for each would stall the window."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[StatementRow] = []
        self.settled: dict[int, Any] = {}  # issued statement -> payments.StatementDue
        # Each amount as shown, by amount and currency, kept across readings: babel takes ~0.2 ms
        # an amount, and a screenful is ~200 of them at every repaint (the list repaints while a
        # month-end's issue runs beside it, and after each reading).
        self.amounts: dict[tuple[Decimal, str], str] = {}

    def set_rows(self, rows: list[StatementRow], settled: dict[int, Any] | None = None) -> None:
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
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(LIST_HEADERS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and (5 <= column <= 8 or column >= SETTLED):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == SETTLED + 1:
            due = self.settled.get(self.rows[index.row()].statement_id)
            return QColor("#b00020") if due is not None and due.overdue else None
        if role == Qt.ItemDataRole.ToolTipRole and column == SETTLED + 1:
            due = self.settled.get(self.rows[index.row()].statement_id)
            return (f"Due {due.due_on}" + (" — overdue" if due.overdue else "")) if due is not None and due.owed > 0 else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.text(index.row(), column)

    def text(self, row: int, column: int) -> str:
        statement = self.rows[row]
        if column >= SETTLED:  # nothing is paid against a draft
            due = self.settled.get(statement.statement_id)
            return "" if due is None else self._money(due.paid if column == SETTLED else due.owed, statement.currency)
        if 5 <= column <= 8:
            figures = (statement.gross_receipts, statement.net_receipts, statement.payable, statement.to_pay)
            return self._money(figures[column - 5], statement.currency)
        if column == 9:
            return statement.status.value.title()
        return (statement.number or "draft", statement.period, statement.deal, statement.participant,
                statement.currency)[column]

    def _money(self, amount: Decimal, currency: str) -> str:
        shown = self.amounts.get((amount, currency))
        if shown is None:
            if len(self.amounts) >= MOST_AMOUNTS_KEPT:
                self.amounts.clear()
            shown = self.amounts[amount, currency] = money(amount, currency)
        return shown

    def id_at(self, row: int) -> int | None:
        return self.rows[row].statement_id if 0 <= row < len(self.rows) else None


class StatementFilter(QSortFilterProxyModel):
    """The statements whose number, period, deal, participant or status hold every word typed,
    whatever the case ("golden q3 draft")."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.words:
            return True
        model = self.sourceModel()
        if not isinstance(model, StatementListModel) or source_row >= model.rowCount():
            return False
        shown = " ".join(model.text(source_row, column) for column in SEARCHED).casefold()
        return all(word in shown for word in self.words)

    def shown_rows(self) -> list[int]:
        """The list's rows (source rows) in the order shown, found here in Python: asking Qt to
        map each of thousands of rows through the filter calls into the model several times a
        row (a period's drafts chosen to issue were 50 ms of such calls)."""
        model = self.sourceModel()
        count = model.rowCount() if model is not None else 0
        if not self.words:
            return list(range(count))  # (the filter never sorts: the rows as read)
        return [row for row in range(count) if self.filterAcceptsRow(row, QModelIndex())]
