"""Revenue > Unmatched: the identifiers no title or library matched, grouped by source, and the
likely titles for them.

A group's gross is put in money only when its row is shown (babel takes 1-2 ms a group: over a
thousand groups, seconds, on the UI thread or, in a worker, of the interpreter lock); likely titles are found off the UI thread for the rows in view,
over a title index built once (SuggestionFinder).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from rightsdesk.persistence.database import Database
from rightsdesk.services import revenue
from rightsdesk.ui.formatting import money
from rightsdesk.ui.operations import Quiet

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Source", "Reported as", "Lines", "Gross", "Assign to")
CHOOSER = 4  # the column holding each row's chooser of a title


def gross_text(group: revenue.Unmatched) -> str:
    """A group's gross in money, per currency: "$1,244.50, ฿10.00"."""
    return ", ".join(money(amount, currency) for currency, amount in sorted(group.gross.items()))


class UnmatchedModel(QAbstractTableModel):
    """The unmatched groups, one a row: source, identifier as reported, lines, gross per
    currency; the last column is left to the view's choosers. Rows are formatted when asked."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.groups: list[revenue.Unmatched] = []
        self.names: dict[int, str] = {}  # source id -> name
        self._texts: dict[int, tuple[str, str, str, str]] = {}

    def set_groups(self, groups: list[revenue.Unmatched], names: dict[int, str]) -> None:
        self.beginResetModel()
        self.groups, self.names, self._texts = list(groups), dict(names), {}
        self.endResetModel()

    def texts(self, row: int) -> tuple[str, str, str, str]:
        """The row as shown: source, identifier, lines, gross (money per currency)."""
        if row not in self._texts:
            group = self.groups[row]
            self._texts[row] = (self.names.get(group.source_id, ""), group.identifier, f"{group.lines:,}",
                                gross_text(group))
        return self._texts[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.groups)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.groups) or index.column() >= CHOOSER:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.texts(index.row())[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None


class SuggestionFinder(QObject):
    """Likely titles for unmatched identifiers, found off the UI thread, a few at a time (the
    rows in view), over one TitleIndex built once and again only when the titles change."""

    found = Signal(dict)  # identifier -> [(title id, internal ID, name)], as they come
    SUGGESTIONS = 5

    def __init__(self, database: Database, parent: QWidget):
        super().__init__(parent)
        self.database = database
        self.owner = parent
        self.known: dict[str, list[revenue.Suggestion]] = {}
        self.index: revenue.TitleIndex | None = None
        self.titles_version: tuple[Any, ...] | None = None
        self.background: Quiet | None = None
        self._wanted: list[str] = []
        self._recheck = False

    def ask(self, identifiers: list[str], *, recheck: bool = False) -> None:
        """Find suggestions for these identifiers (those not known yet); `recheck` first looks
        whether the titles changed since the index was built (then every suggestion is found again)."""
        self._wanted = list(dict.fromkeys(identifiers))
        self._recheck = self._recheck or recheck
        self._start()

    def running(self) -> bool:
        return self.background is not None and self.background.running()

    def stop(self) -> None:
        self._wanted = []
        if self.background is not None:
            self.background.wait()

    def _start(self) -> None:
        if self.running():
            return  # (_done starts again with what is wanted then)
        recheck, wanted = self._recheck, self._wanted
        missing = wanted if recheck else [i for i in wanted if i not in self.known]
        self._wanted, self._recheck = [], False
        if not missing:
            return
        index, version, database, limit = self.index, self.titles_version, self.database, self.SUGGESTIONS
        known = set(self.known)

        def work() -> tuple[Any, revenue.TitleIndex, dict[str, list[revenue.Suggestion]]]:
            with database.read() as session:
                now = revenue.TitleIndex.titles_version(session) if recheck or index is None else version
                if index is None or now != version:
                    built, asked = revenue.TitleIndex(session), missing
                else:  # the same titles: what was found still stands (an assignment, a rollback)
                    built, asked = index, [i for i in missing if i not in known]
            return now, built, dict(zip(asked, built.suggest(asked, limit))) if asked else {}

        self.background = Quiet(self.owner, work, self._done)

    def _done(self, result: tuple[Any, revenue.TitleIndex, dict[str, list[revenue.Suggestion]]]) -> None:
        version, index, found = result
        if version != self.titles_version:
            self.known.clear()  # found over other titles
        self.titles_version, self.index = version, index
        self.known.update(found)
        self.found.emit(found)
        self._start()
