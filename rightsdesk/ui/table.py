"""Lists over the real database: a lazy table model and the filterable list widget around it.

The model holds only the IDs that match the filter, in order, and fetches the rows it is asked
to show a page at a time (after Anki's browser table). Sorting and filtering happen in SQL, so
a catalogue of 20 000 titles opens as fast as one of 20.

A list is filled when it is first shown, its IDs found off the UI thread (sorting 20 000 titles
by a joined column takes a few hundred milliseconds), and its columns sized from the rows in
view, unless the user's own widths are remembered. Code that asks for the rows first (a record
to select) fills it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)


from rightsdesk.domain.errors import NotFound
from rightsdesk.persistence.database import Database
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.listing import ListQuery
from rightsdesk.ui import settings
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.formatting import number
from rightsdesk.ui.operations import Quiet

log = logging.getLogger(__name__)
R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    key: str  # the service's sort key
    header: str
    value: Callable[[R], Any]
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None


class LazyTableModel(QAbstractTableModel, Generic[R]):
    PAGE = 200

    def __init__(
        self,
        columns: Sequence[Column[R]],
        find_ids: Callable[[ListQuery], list[int]],
        fetch_rows: Callable[[Sequence[int]], dict[int, R]],
        parent: Any = None,
    ):
        super().__init__(parent)
        self.columns = list(columns)
        self._find_ids = find_ids
        self._fetch_rows = fetch_rows
        self.query = ListQuery()
        self._ids: list[int] = []
        self._rows: dict[int, R] = {}
        self.filled = False  # the IDs were found once
        self.holding_sort = False  # while the list's header is set up: the order is kept for the first fill
        self.background: Quiet | None = None
        self._generation = 0  # a later reload makes a background one still running stale

    # -- what the view asks -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Never raise from here: a failing lookup shows an empty cell and goes to the log.
        try:
            if not index.isValid() or index.row() >= len(self._ids):
                return None
            column = self.columns[index.column()]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
                return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.UserRole:
                return self._ids[index.row()]
            if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return None
            row = self.row_at(index.row())
            if row is None:
                return None
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.tooltip(row) if column.tooltip else None
            value = column.value(row)
            return "" if value is None else str(value)
        except Exception:  # noqa: BLE001
            log.exception("cannot show row %s", index.row())
            return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.columns):
                return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.query = replace(
            self.query,
            sort=self.columns[column].key,
            descending=order == Qt.SortOrder.DescendingOrder,
        )
        if not self.holding_sort:
            self.reload()

    # -- what the screen asks ---------------------------------------------------------------

    def set_filter_text(self, text: str) -> None:
        if text != self.query.text:
            self.query = replace(self.query, text=text)
            self.reload()

    def reload(self) -> None:
        self._generation += 1
        self._show_ids(self._find(self.query))

    def reload_in_background(self, owner: QWidget, done: Callable[[], None] | None = None) -> None:
        """Find the IDs off the UI thread, then show them (and call `done`); a reload asked for
        meanwhile wins over this one. The rows are still fetched a page at a time as shown."""
        self._generation += 1
        generation, query = self._generation, self.query

        def find() -> tuple[list[int], dict[int, R]]:
            ids = self._find(query)
            try:
                return ids, self._fetch_rows(ids[: self.PAGE])  # the first screenful, read here too
            except Exception:  # noqa: BLE001  (fetched again when shown)
                log.exception("cannot read the first rows")
                return ids, {}

        def show(found: tuple[list[int], dict[int, R]]) -> None:
            if generation == self._generation:
                self._show_ids(*found)
                if done is not None:
                    done()

        self.background = Quiet(owner, find, show)

    def loading(self) -> bool:
        return self.background is not None and self.background.running()

    def stop(self) -> None:
        """Wait for a background fill; the list is about to go."""
        if self.background is not None:
            self.background.wait()

    def _find(self, query: ListQuery) -> list[int]:
        try:
            return self._find_ids(query)
        except Exception:  # noqa: BLE001  (the list empties rather than the app dying)
            log.exception("cannot list records")
            return []

    def _show_ids(self, ids: list[int], rows: dict[int, R] | None = None) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows = dict(rows or {})
        self.filled = True
        self.endResetModel()

    def fill(self) -> None:
        """Find the IDs now if they never were (code asking for a record before the list showed)."""
        if not self.filled:
            self.reload()

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int | None:
        self.fill()
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def row_at(self, position: int) -> R | None:
        record_id = self._ids[position]
        if record_id not in self._rows:
            start = max(0, position - self.PAGE // 4)
            page = [i for i in self._ids[start : start + self.PAGE] if i not in self._rows]
            self._rows.update(self._fetch_rows(page))
        return self._rows.get(record_id)


class ServiceTableModel(LazyTableModel[R]):
    """A lazy table over a service's list functions, each call in a read session of its own.
    `find_ids(session, query[, extra])` lists the matching IDs, `rows(session, ids)` fetches rows;
    with `filtered`, the value of set_filter() (a party kind, a deal direction) is passed on."""

    def __init__(self, database: Database, columns: Sequence[Column[R]], find_ids: Callable[..., list[int]],
                 rows: Callable[[UnitOfWork, Sequence[int]], dict[int, R]], *, filtered: bool = False, parent: Any = None):
        self.extra_filter: Any = None

        def find(query: ListQuery) -> list[int]:
            with database.read() as session:
                return find_ids(session, query, self.extra_filter) if filtered else find_ids(session, query)

        def fetch(ids: Sequence[int]) -> dict[int, R]:
            with database.read() as session:
                return rows(session, ids)

        super().__init__(columns, find, fetch, parent)

    def set_filter(self, value: Any) -> None:
        if value != self.extra_filter:
            self.extra_filter = value
            self.reload()


class RecordList(QWidget):
    """A filter box over a sortable table, with an empty state and remembered columns."""

    activated = Signal(int)  # a record was opened (double-click or Enter)
    current_changed = Signal(object)  # the selected record's ID, or None

    def __init__(self, name: str, model: LazyTableModel[Any], *, noun: str, empty_hint: str, multi: bool = False,
                 sort_column: int | None = None, one: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.model = model
        self.noun = noun  # plural, e.g. "titles"
        self.one = one  # singular, e.g. "title", for a count of 1 ("1 title", not "1 titles")
        self.empty_hint = empty_hint

        self.filter_box = QLineEdit(placeholderText=f"Filter {noun}…  (Ctrl+F)")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setObjectName(f"{name}-filter")
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.view = QTableView()
        self.view.setObjectName(f"{name}-table")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                                   else QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.doubleClicked.connect(lambda index: self._open(index.row()))
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.current_changed.emit(self.model.id_at(current.row()))
        )
        model.modelReset.connect(self._update_state)
        model.modelReset.connect(lambda: self.current_changed.emit(None))

        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty_label.setObjectName(f"{name}-empty")
        self.empty_label.setStyleSheet("color: palette(placeholder-text); font-size: 14px; padding: 24px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty_label)

        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(lambda: self.model.set_filter_text(self.filter_box.text()))
        self.filter_box.textChanged.connect(self._debounce.start)
        self.filter_box.returnPressed.connect(self._apply_filter_now)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_filter)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.view, activated=self._open_current,
                  context=Qt.ShortcutContext.WidgetShortcut)

        state = settings.view_state(name).get()
        self.sized = not state.isEmpty() and header.restoreState(state)  # the user's own widths
        if not self.sized:
            # By default the second column: the first is usually an ID.
            first = sort_column if sort_column is not None else 1 if len(model.columns) > 1 else 0
            header.setSortIndicator(first, Qt.SortOrder.AscendingOrder)
        model.holding_sort = True  # the header hands its order to the model, which loads when shown
        self.view.setSortingEnabled(True)
        model.holding_sort = False
        for sizing in (header, self.view.verticalHeader()):
            sizing.setResizeContentsPrecision(0)  # the rows in view, not the first thousand
        header.sectionResized.connect(self.save_layout)
        header.sectionMoved.connect(self.save_layout)
        header.sortIndicatorChanged.connect(self.save_layout)
        self._update_state()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.model.filled and not self.model.loading():
            self._update_state()
            self.model.reload_in_background(self, self.size_columns)
        elif self.model.filled:
            self.size_columns()

    def stop(self) -> None:
        """Wait for a fill under way; the list is about to go."""
        self.model.stop()

    def size_columns(self) -> None:
        """Widths to fit the rows in view, once, when the user has none of their own; a list
        not shown yet is sized when it is (Qt would read every row of a hidden one)."""
        if self.sized or not self.isVisible() or not self.model.rowCount():
            return
        self.sized = True
        header = self.view.horizontalHeader()
        with _not_saving(header, self.save_layout):
            self.view.resizeColumnsToContents()
            for column in range(header.count()):
                header.resizeSection(column, min(max(header.sectionSize(column), 70), 320))

    def save_layout(self, *_: Any) -> None:
        settings.view_state(self.name).set(self.view.horizontalHeader().saveState())

    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def _apply_filter_now(self) -> None:
        self._debounce.stop()
        self.model.set_filter_text(self.filter_box.text())

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        """Every selected record (many when the list allows it), in list order."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [i for i in (self.model.id_at(r) for r in rows) if i is not None]

    def select_id(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def reload(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.current_id()
        self.model.reload()
        if keep is not None:
            self.select_id(keep)
        self.size_columns()

    def run_editor(self, make: Callable[[], Any]) -> int | None:
        """Open an editor (a dialog with `saved_id`) on a record of this list and show the list
        again on what it saved; a record deleted meanwhile is said so and the list reloaded.
        The saved record's ID, or None when nothing was saved."""
        while True:
            try:
                editor = make()
            except NotFound as error:
                show_user_error(self, error)
                self.reload()
                return None
            if editor.exec() and editor.saved_id is not None:
                self.reload(keep=editor.saved_id)
                return editor.saved_id
            if not getattr(editor, "reload_requested", False):  # someone saved first: open theirs
                return None

    def _open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._open(index.row())

    def _open(self, row: int) -> None:
        record_id = self.model.id_at(row)
        if record_id is not None:
            self.activated.emit(record_id)

    def _update_state(self) -> None:
        count = self.model.rowCount()
        text = self.model.query.text.strip()
        noun = self.one if count == 1 and self.one else self.noun
        self.count_label.setText(f"{number(count)} {noun}")
        self.empty_label.setText(f"No {self.noun} match “{text}”." if text else self.empty_hint)
        if not self.model.filled:
            self.count_label.setText(f"Loading {self.noun}…")
        self.stack.setCurrentWidget(self.view if count or not self.model.filled else self.empty_label)


class _not_saving:
    """Sizing columns by program is not the user choosing widths: nothing is remembered."""

    def __init__(self, header: QHeaderView, slot: Callable[..., None]):
        self.header, self.slot = header, slot

    def __enter__(self) -> None:
        self.header.sectionResized.disconnect(self.slot)

    def __exit__(self, *_: Any) -> None:
        self.header.sectionResized.connect(self.slot)
