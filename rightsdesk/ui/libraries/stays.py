"""A library's titles as the editor shows them: every stay, current and past (the history of
its membership), and the dialogs that add titles and ask a last day in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from rightsdesk.domain.libraries import Stay
from rightsdesk.persistence.database import Database
from rightsdesk.services import catalogue
from rightsdesk.services.catalogue import TitleRow
from rightsdesk.ui.forms import date_edit, date_of, lay_out_dialog
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel
from rightsdesk.domain.words import plural

AnyIndex = QModelIndex | QPersistentModelIndex
STAY_HEADERS = ("Internal ID", "Name", "Joined on", "Last day in", "Today")


@dataclass(frozen=True)
class TitleName:
    internal_id: str
    name: str


def title_names(database: Database, title_ids: set[int]) -> dict[int, TitleName]:
    """Internal ID and name (English when there is one) of each title, for the stays list."""
    if not title_ids:
        return {}
    with database.read() as session:
        rows = catalogue.title_rows(session, sorted(title_ids))
    return {i: TitleName(r.internal_id, r.english_name or r.original_name) for i, r in rows.items()}


def stay_state(stay: Stay, today: date) -> str:
    if stay.added_on > today:
        return "joins later"
    return "in" if stay.holds(today) else "left"


class StayTableModel(QAbstractTableModel):
    """The stays of a draft library, with each title's internal ID and name; filtered and
    sorted through a proxy."""

    def __init__(self, today: date, parent: Any = None):
        super().__init__(parent)
        self.today = today
        self.stays: list[Stay] = []
        self.names: dict[int, TitleName] = {}

    def set_stays(self, stays: list[Stay], names: dict[int, TitleName]) -> None:
        self.beginResetModel()
        self.stays = list(stays)
        self.names = {**self.names, **names}
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.stays)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(STAY_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(STAY_HEADERS):
            return STAY_HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.stays):
            return None
        stay = self.stays[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return index.row()
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        name = self.names.get(stay.title_id, TitleName(f"#{stay.title_id}", ""))
        values = (name.internal_id, name.name, stay.added_on.isoformat(),
                  stay.removed_on.isoformat() if stay.removed_on else "", stay_state(stay, self.today))
        if role == Qt.ItemDataRole.ToolTipRole:
            return name.name if index.column() == 1 else None
        return values[index.column()]

    def stay_at(self, row: int) -> Stay | None:
        return self.stays[row] if 0 <= row < len(self.stays) else None


TITLE_CHOICE_COLUMNS: list[Column[TitleRow]] = [
    Column("internal_id", "Internal ID", lambda r: r.internal_id),
    Column("original_name", "Original name", lambda r: r.original_name, tooltip=lambda r: r.original_name),
    Column("english_name", "English name", lambda r: r.english_name, tooltip=lambda r: r.english_name),
    Column("genre", "Genre", lambda r: r.genre),
    Column("producer", "Producer", lambda r: r.producer),
]


class AddTitlesDialog(QDialog):
    """Catalogue titles to choose (many at once, with a filter box) and the day they join."""

    def __init__(self, database: Database, library: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Add titles to {library}" if library else "Add titles")
        self.setObjectName("add-titles")
        self.database = database
        self.resize(820, 560)
        model = ServiceTableModel(database, TITLE_CHOICE_COLUMNS, catalogue.find_title_ids, catalogue.title_rows,
                                  parent=self)
        self.titles = RecordList("library-add-titles", model, noun="titles", multi=True, sort_column=0,
                                 empty_hint="The catalogue has no titles yet.\nAdd them in the Catalogue area.")
        self.titles.activated.connect(lambda _: self.accept())
        self.joins_on = date_edit(date.today(), "joins_on")
        self.joins_on.setMaximumWidth(160)
        self.joins_on.setMinimumDate(date_edit(None, "").minimumDate().addDays(1))  # a day is required
        hint = QLabel("Select many with Shift or Ctrl. A title already in the library on that day is left as it is.",
                      wordWrap=True)
        form = QFormLayout()
        form.addRow(self.titles)
        form.addRow(hint)
        form.addRow("&Joins on", self.joins_on)
        buttons = lay_out_dialog(self, form, ok_text="Add")
        self.add_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setObjectName("add")
        self.titles.view.selectionModel().selectionChanged.connect(self._update)
        self._update()

    def _update(self, *_: Any) -> None:
        count = len(self.titles.selected_ids())
        self.add_button.setEnabled(count > 0)
        self.add_button.setText(f"Add {plural(count, 'title')}" if count else "Add")

    def chosen(self) -> tuple[list[int], dict[int, TitleName], date]:
        """The titles chosen, their names, and the day they join."""
        ids = self.titles.selected_ids()
        return ids, title_names(self.database, set(ids)), date_of(self.joins_on) or date.today()


class LastDayDialog(QDialog):
    """The last day in the library of the titles leaving it."""

    def __init__(self, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Remove from library")
        self.setObjectName("last-day")
        self.last_day = date_edit(date.today(), "last_day")
        self.last_day.setMinimumDate(date_edit(None, "").minimumDate().addDays(1))
        text = QLabel(f"{plural(count, 'title')} leave the library after their last day in it. Grants of the library "
                      "stop covering them from the day after; their past stay stays in the history.", wordWrap=True)
        form = QFormLayout()
        form.addRow(text)
        form.addRow("&Last day in", self.last_day)
        lay_out_dialog(self, form, ok_text="Remove")
        self.layout().setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)

    def day(self) -> date:
        return date_of(self.last_day) or date.today()
