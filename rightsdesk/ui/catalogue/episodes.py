"""A title's episodes as a table: read-only on the catalogue page, editable in the editor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableView

from rightsdesk.domain.catalogue import EpisodeDraft
from rightsdesk.domain.words import parse_runtime, runtime

AnyIndex = QModelIndex | QPersistentModelIndex
NUMBER, NAME, RUNTIME = range(3)
HEADERS = ("No.", "Name", "Runtime")


def fit_columns(view: QTableView) -> None:
    """Number and runtime as wide as what they show, the name the rest: in a narrow panel (the
    catalogue's, at 1280 × 720) the fixed default widths left the name "Epi…" and no runtime."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(RUNTIME, QHeaderView.ResizeMode.ResizeToContents)


class EpisodeTableModel(QAbstractTableModel):
    edit_refused = Signal(str)  # why an edit was not taken

    def __init__(self, episodes: list[EpisodeDraft] | None = None, *, editable: bool = False, parent: Any = None):
        super().__init__(parent)
        self.episodes = list(episodes or [])
        self.editable = editable

    def set_episodes(self, episodes: list[EpisodeDraft]) -> None:
        self.beginResetModel()
        self.episodes = list(episodes)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.episodes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if self.editable else flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.episodes):
            return None
        episode = self.episodes[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignLeft if column == NAME else Qt.AlignmentFlag.AlignRight
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NUMBER:
                return str(episode.number)
            if column == NAME:
                return episode.name
            if column == RUNTIME:
                return runtime(episode.runtime_seconds) or "0:00"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.editable or role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        episode = self.episodes[index.row()]
        try:
            if index.column() == NUMBER:
                episode.number = int(str(value).strip())
            elif index.column() == NAME:
                episode.name = str(value)
            elif index.column() == RUNTIME:
                episode.runtime_seconds = parse_runtime(str(value))
            else:
                return False
        except ValueError as error:
            self.edit_refused.emit(str(error) if "runtime" in str(error) else f"'{value}' is not a whole number")
            return False
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def append(self, episodes: list[EpisodeDraft]) -> None:
        if not episodes:
            return
        first = len(self.episodes)
        self.beginInsertRows(QModelIndex(), first, first + len(episodes) - 1)
        self.episodes.extend(episodes)
        self.endInsertRows()

    def remove_rows(self, rows: list[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self.episodes):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.episodes[row]
                self.endRemoveRows()

    def next_number(self) -> int:
        return max((e.number for e in self.episodes), default=0) + 1
