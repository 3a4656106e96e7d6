"""Media: the table of right types (code, name, EMA licence type, in use, retired), adding,
renaming and retiring them. A code something uses is shown fixed; retiring asks first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPersistentModelIndex,
                            QSortFilterProxyModel, Qt)
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPlainTextEdit, QTableView, QToolBar, QVBoxLayout, QWidget)

from rightsdesk.domain import ema
from rightsdesk.domain.errors import Problem
from rightsdesk.persistence.database import Database
from rightsdesk.services import media as media_service
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import current_user
from rightsdesk.services.media import MediaDraft, MediaRow
from rightsdesk.ui.actions import act, follow, run
from rightsdesk.ui.forms import DraftEditor, confirm, screen_action
from rightsdesk.ui.operations import LatestReading

RETIRED_COLOUR = QColor("#808080")
HEADERS = ("Code", "Name", "EMA licence type", "Used", "Status")
AnyIndex = QModelIndex | QPersistentModelIndex


def _cells(row: MediaRow) -> tuple[str, ...]:
    ema_type = row.ema_license_type or f"{row.exported_as} (standard)"
    return (row.code, row.name, ema_type, "yes" if row.used else "", "offered" if row.active else "retired")


class MediaTableModel(QAbstractTableModel):
    """The media as rows (a desk has tens): read whole, filtered and sorted by a proxy."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[MediaRow] = []

    def set_rows(self, rows: list[MediaRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _cells(row)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return row.code
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return RETIRED_COLOUR
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def row_of(self, code: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.code == code), None)


class MediaEditor(DraftEditor):
    noun = "medium"

    def __init__(self, database: Database, code: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        with database.read() as session:
            self.original = media_service.load_media(session, code) if code else MediaDraft("", "")
            used = media_service.uses(session, code) if code else {}
        self.saved_code: str | None = None
        self.setWindowTitle(f"Medium {code}" if code else "New medium")
        self.code = QLineEdit(self.original.code, objectName="code", placeholderText="e.g. inflight")
        self.code.setToolTip("Kept as typed; every screen, file and command finds it whatever the case, "
                             "so no two codes differ only by case")
        if used:
            self.code.setReadOnly(True)
            self.code.setToolTip("Grants, windows or revenue name this code: it cannot change. Rename the medium instead.")
        self.name = QLineEdit(self.original.name, objectName="name", placeholderText="e.g. Inflight entertainment")
        self.description = QPlainTextEdit(self.original.description, objectName="description")
        self.description.setMaximumHeight(70)
        self.ema_type = QComboBox(objectName="ema-type")
        standard = ema.license_type(self.original.code) if self.original.code else ema.OTHER_LICENSE_TYPE
        self.ema_type.addItem(f"Standard mapping ({standard})", "")
        for value in ema.LICENSE_TYPES:
            self.ema_type.addItem(value, value)
        self.ema_type.setCurrentIndex(max(0, self.ema_type.findData(self.original.ema_license_type)))
        self.active = QCheckBox("Offered in pickers (untick to retire it)", objectName="active")
        self.active.setChecked(self.original.active)
        form = QFormLayout()
        form.addRow("&Code", self.code)
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        form.addRow("&EMA licence type", self.ema_type)
        form.addRow("", self.active)
        if used:
            form.addRow("", QLabel("Used by " + ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in used.items())
                                   + ": the code is fixed.", wordWrap=True))
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.save_action = screen_action(self, "&Save", QKeySequence.StandardKey.Save, self.save, changes_data=True)

    def draft_checked(self, problems: list[Problem]) -> MediaDraft:
        return MediaDraft(self.code.text().strip(), " ".join(self.name.text().split()),
                          self.description.toPlainText().strip(), self.ema_type.currentData() or "",
                          self.active.isChecked(), self.original.original_code, self.original.version)

    def write(self, draft: object) -> int:
        self.saved_code = run(self.database, media_service.save_media, draft, user=current_user())
        return 0

    def load_saved(self, session: UnitOfWork) -> object | None:
        return media_service.load_media(session, self.original.original_code) if self.original.original_code else None


# What the table shows: the media, and whether anything names each (its 'Used' column).
SHOWN_KINDS = frozenset({"media", "grant_media", "holdback_media", "fee_rate", "music_licence_media",
                         "release_window", "revenue_line", "statement_line", "window_template_step"})


class MediaTab(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.model = MediaTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit(objectName="media-filter", placeholderText="Filter media (Ctrl+F)", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_retired = QCheckBox("Show retired", objectName="show-retired", checked=True)
        self.show_retired.toggled.connect(lambda _: self.load())
        self.view = QTableView(objectName="media-table")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the pickers' order until a header is clicked
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _: self.edit_current())
        self.view.activated.connect(lambda _: self.edit_current())
        self.new_action = screen_action(self, "&New medium", QKeySequence.StandardKey.New, lambda: self.run_editor(None),
                                        changes_data=True)
        self.edit_action = screen_action(self, "&Edit medium", "Ctrl+E", self.edit_current)
        self.retire_action = screen_action(self, "&Retire or bring back", "Ctrl+R", self.toggle_retired, changes_data=True)
        self.filter_action = screen_action(self, "Filter", QKeySequence.StandardKey.Find, self.filter.setFocus)
        toolbar = QToolBar()
        toolbar.addActions([self.new_action, self.edit_action, self.retire_action])
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.show_retired)
        hint = QLabel("Media are the right types grants, windows and revenue name. A code in use never changes; "
                      "retired media leave the pickers and stay readable where they were used. The EMA licence type "
                      "is what EMA Avails offers write for each.", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.reading = LatestReading(self, self.load)
        self.load()
        follow(self, SHOWN_KINDS, self.load)

    def load(self) -> None:
        """Read the media off the UI thread (whether each is used looks through every revenue
        and statement line: 0.1 s at the 20 000-title demo), keeping the one chosen. Asked again
        while reading, it reads once more when this reading ends."""
        if self.reading.later():
            return
        database, retired = self.database, self.show_retired.isChecked()

        def read() -> list[MediaRow]:
            with database.read() as session:
                return media_service.media_rows(session, retired=retired)

        self.reading.start(read, self._show_rows)

    def wait_for_rows(self) -> None:
        """Until the media read last are shown (tests; the screen never waits)."""
        self.reading.wait()

    def stop(self) -> None:
        self.reading.stop()

    def reload(self, *_: object, keep: str | None = None) -> None:
        """Read the media again now (after the user's own change: the one changed is chosen)."""
        with self.database.read() as session:
            self._show_rows(media_service.media_rows(session, retired=self.show_retired.isChecked()), keep)

    def _show_rows(self, rows: list[MediaRow], keep: str | None = None) -> None:
        keep = keep or self.current_code()
        self.model.set_rows(rows)
        if keep is not None:
            self.select(keep)

    def current_code(self) -> str | None:
        index = self.view.currentIndex()
        return self.proxy.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select(self, code: str) -> None:
        row = self.model.row_of(code)
        if row is not None:
            self.view.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def edit_current(self) -> None:
        if self.current_code() is not None:
            self.run_editor(self.current_code())

    def run_editor(self, code: str | None) -> str | None:
        while True:
            editor = MediaEditor(self.database, code, self)
            if editor.exec() and editor.saved_code is not None:
                self.reload(keep=editor.saved_code)
                return editor.saved_code
            if not editor.reload_requested:
                return None

    def toggle_retired(self) -> None:
        code = self.current_code()
        if code is None:
            return
        row = self.model.rows[self.model.row_of(code)]  # type: ignore[index]
        if row.active and not confirm(self, "Retire medium", f"Retire {row.code} {row.name}? It leaves the pickers; "
                                                              "grants, windows and revenue naming it keep it."):
            return
        act(self, "Cannot change the medium", self.database, media_service.retire, code, user=current_user(),
            active=not row.active)
        self.reload(keep=code)
