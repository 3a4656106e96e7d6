"""Revenue > Exchange rates: the latest rates, newest first, each row formatted when shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from rightsdesk.services.revenue_screen import Rate

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Date", "Base", "Quote", "Rate (quote per base)", "Source")


class RatesModel(QAbstractTableModel):
    """Rates as services.revenue_screen.overview reads them; the rate with every place it has
    and none added (0.0275, 5.42)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rates: list[Rate] = []

    def set_rates(self, rates: list[Rate]) -> None:
        if rates == self.rates:
            return  # (read again after an assignment: the same, and the view keeps its place)
        self.beginResetModel()
        self.rates = list(rates)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rates)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid() or not 0 <= index.row() < len(self.rates):
            return None
        rate = self.rates[index.row()]
        values = (str(rate.day), rate.base, rate.quote, f"{rate.rate.normalize():f}", rate.source)
        return values[index.column()] if 0 <= index.column() < len(values) else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None
