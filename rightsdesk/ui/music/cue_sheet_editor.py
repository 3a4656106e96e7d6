"""An episode's cue sheet as an editable table: add, edit, remove and reorder cues; timecodes
are checked as they are typed and durations follow from them."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QComboBox,
    QCompleter,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import UsageCode
from rightsdesk.domain.changes import differences
from rightsdesk.domain.errors import Conflict, UserError, ValidationError
from rightsdesk.domain.music import USAGE_WORDS, CueDraft, format_timecode, parse_timecode
from rightsdesk.persistence.database import Database
from rightsdesk.services import cue_sheets, music
from rightsdesk.services.audit import current_user
from rightsdesk.services.cue_sheets import CueSheet
from rightsdesk.ui.actions import run
from rightsdesk.ui.conflicts import ConflictDialog
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import problems_label, screen_action, show_problems
from rightsdesk.domain.words import plural

AnyIndex = QModelIndex | QPersistentModelIndex
NUMBER, TRACK, USAGE, IN, OUT, DURATION = range(6)
HEADERS = ("Cue", "Track", "Usage", "In", "Out", "Duration")


class CueTableModel(QAbstractTableModel):
    edit_refused = Signal(str)  # why a typed value was not taken
    edited = Signal()

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.cues: list[CueDraft] = []

    def set_cues(self, cues: list[CueDraft]) -> None:
        self.beginResetModel()
        self.cues = [dataclasses.replace(c) for c in cues]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.cues)

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
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() != NUMBER else flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.cues):
            return None
        cue, column = self.cues[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignLeft if column in (TRACK, USAGE) else Qt.AlignmentFlag.AlignRight
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == USAGE:
            return USAGE_WORDS[cue.usage]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        return {NUMBER: str(index.row() + 1), TRACK: cue.track_title, USAGE: cue.usage.value,
                IN: format_timecode(cue.in_ms), OUT: format_timecode(cue.out_ms),
                DURATION: format_timecode(max(cue.duration_ms, 0))}[column]

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        cue, column, text = self.cues[index.row()], index.column(), str(value).strip()
        try:
            if column == TRACK:
                if text != cue.track_title:  # another track: found or created by title on save
                    cue.track_title, cue.track_id = text, None
            elif column == USAGE:
                cue.usage = UsageCode(text.split()[0].upper())
            elif column == IN:
                cue.in_ms = parse_timecode(text)
            elif column == OUT:
                cue.out_ms = parse_timecode(text)
            elif column == DURATION:  # typing a duration moves the out point
                cue.out_ms = cue.in_ms + parse_timecode(text)
            else:
                return False
        except (ValueError, IndexError):
            self.edit_refused.emit(f"'{text}' is not a usage code" if column == USAGE
                                   else f"'{text}' is not a timecode (MM:SS or HH:MM:SS, optionally .mmm)")
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        self.edited.emit()
        return True

    # -- whole cues ---------------------------------------------------------------------------

    def add_cue(self, after: int | None = None) -> int:
        """A new cue after the given row (at the end when None), starting where that one stops."""
        row = len(self.cues) if after is None else after + 1
        previous = self.cues[row - 1] if row > 0 else None
        start = previous.out_ms if previous else 0
        self.beginInsertRows(QModelIndex(), row, row)
        self.cues.insert(row, CueDraft("", UsageCode.BI, start, start + 10_000))
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_cue(self, row: int) -> None:
        if 0 <= row < len(self.cues):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.cues[row]
            self.endRemoveRows()
            self.edited.emit()

    def move_cue(self, row: int, offset: int) -> int:
        """Move a cue up (-1) or down (+1); returns where it is now."""
        target = row + offset
        if not (0 <= row < len(self.cues) and 0 <= target < len(self.cues)):
            return row
        self.beginResetModel()
        self.cues[row], self.cues[target] = self.cues[target], self.cues[row]
        self.endResetModel()
        self.edited.emit()
        return target


class UsageDelegate(QStyledItemDelegate):
    """Usage is chosen from the societies' codes, each with its meaning."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        box = QComboBox(parent)
        for code in UsageCode:
            box.addItem(f"{code.value} — {USAGE_WORDS[code]}", code.value)
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class TrackDelegate(QStyledItemDelegate):
    """A track is typed; the tracks already known are offered as it is typed."""

    def __init__(self, titles: list[str], parent: Any = None):
        super().__init__(parent)
        self.titles = titles

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        edit = QLineEdit(parent)
        completer = QCompleter(self.titles, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        return edit


class CueSheetEditor(QWidget):
    saved = Signal(int)  # the episode whose sheet was saved

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.sheet: CueSheet | None = None
        self.model = CueTableModel(self)
        self.model.edited.connect(self._update_state)
        self.heading = QLabel(objectName="cue-sheet-heading")
        self.heading.setStyleSheet("font-weight: 600;")
        self.problems = problems_label("cue-problems")
        self.model.edit_refused.connect(lambda why: show_problems(self.problems, why))

        self.view = QTableView(objectName="cue-table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.verticalHeader().hide()
        self.view.setItemDelegateForColumn(USAGE, UsageDelegate(self.view))
        with database.read() as session:
            self.track_delegate = TrackDelegate([t for _, t in music.track_choices(session, limit=5000)], self.view)
        self.view.setItemDelegateForColumn(TRACK, self.track_delegate)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((NUMBER, 44), (TRACK, 260), (USAGE, 70), (IN, 80), (OUT, 80)):
            header.resizeSection(column, width)


        self.add_action = screen_action(self, "&Add cue", "Ctrl+Shift+A", self.add_cue, changes_data=True)
        self.remove_action = screen_action(self, "&Remove cue", QKeySequence.StandardKey.Delete, self.remove_cue, changes_data=True)
        self.up_action = screen_action(self, "Move &up", "Alt+Up", lambda: self.move_cue(-1), changes_data=True)
        self.down_action = screen_action(self, "Move &down", "Alt+Down", lambda: self.move_cue(1), changes_data=True)
        self.save_action = screen_action(self, "&Save cue sheet", QKeySequence.StandardKey.Save, self.save, changes_data=True)
        self.revert_action = screen_action(self, "Re&vert", "Ctrl+Shift+Z", self.revert, changes_data=True)
        toolbar = QToolBar()
        toolbar.addActions([self.add_action, self.remove_action, self.up_action, self.down_action])
        toolbar.addSeparator()
        toolbar.addActions([self.save_action, self.revert_action])
        self.totals = QLabel(objectName="cue-totals")
        self.empty = QLabel("Choose a title and an episode to see its cue sheet.", objectName="cue-empty",
                            alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 14px; padding: 24px;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(toolbar)
        layout.addWidget(self.problems)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.totals)
        self._original: list[CueDraft] = []
        self._update_state()

    # -- loading and saving --------------------------------------------------------------------

    def load(self, episode_id: int | None) -> None:
        if episode_id is None:
            self.sheet = None
            self._original = []
            self.model.set_cues([])
        else:
            with self.database.read() as session:
                self.sheet = cue_sheets.load_cue_sheet(session, episode_id)
            self._original = [dataclasses.replace(c) for c in self.sheet.cues]
            self.model.set_cues(self.sheet.cues)
        self.problems.hide()
        self._update_state()

    def is_dirty(self) -> bool:
        return self.sheet is not None and self.model.cues != self._original

    def save(self) -> bool:
        if self.sheet is None:
            return True
        try:
            run(self.database, cue_sheets.save_cue_sheet, self.sheet.episode_id, self.model.cues,
                user=current_user(), version=self.sheet.version)
        except ValidationError as error:
            show_problems(self.problems, error.problems, "The cue sheet was not saved:")
            return False
        except Conflict as error:  # someone saved the sheet first: what differs, and Reload (as every editor)
            self.resolve_conflict(error)
            return False
        except UserError as error:
            show_user_error(self, error, "Cannot save the cue sheet")
            return False
        episode_id = self.sheet.episode_id
        self.load(episode_id)
        self.saved.emit(episode_id)
        return True

    def resolve_conflict(self, error: Conflict) -> None:
        """The sheet as saved now beside the edits, cue by cue; Reload shows it as saved."""
        if self.sheet is None:
            return
        with self.database.read() as work:
            saved = cue_sheets.load_cue_sheet(work, self.sheet.episode_id)
        found = differences(_cues_as_fields(saved.cues), _cues_as_fields(self.model.cues))
        if ConflictDialog("cue sheet", error, found, self).exec() == QDialog.DialogCode.Accepted:
            self.load(self.sheet.episode_id)

    def revert(self) -> None:
        if self.is_dirty() and self.confirm_discard():
            self.load(self.sheet.episode_id if self.sheet else None)

    def confirm_discard(self) -> bool:
        """True when there is nothing unsaved, or the user saves or discards it."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self, "Unsaved cue sheet", "Save your changes to this cue sheet first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- editing -------------------------------------------------------------------------------

    def current_row(self) -> int | None:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else None

    def add_cue(self) -> None:
        if self.sheet is None:
            return
        row = self.model.add_cue(self.current_row())
        self.view.setCurrentIndex(self.model.index(row, TRACK))
        self.view.edit(self.model.index(row, TRACK))

    def remove_cue(self) -> None:
        row = self.current_row()
        if row is not None:
            self.model.remove_cue(row)
            if self.model.cues:
                self.view.selectRow(min(row, len(self.model.cues) - 1))

    def move_cue(self, offset: int) -> None:
        row = self.current_row()
        if row is not None:
            self.view.selectRow(self.model.move_cue(row, offset))

    def _update_state(self) -> None:
        has_sheet = self.sheet is not None
        self.view.setVisible(has_sheet and bool(self.model.cues))
        self.empty.setVisible(not (has_sheet and self.model.cues))
        if has_sheet and not self.model.cues:
            self.empty.setText("This episode has no cues yet.\nAdd one with Add cue (Ctrl+Shift+A), "
                               "or import cue sheets from a spreadsheet.")
        for made in (self.add_action, self.remove_action, self.up_action, self.down_action):
            made.setEnabled(has_sheet)
        self.save_action.setEnabled(self.is_dirty())
        self.revert_action.setEnabled(self.is_dirty())
        if self.sheet is None:
            self.heading.setText("")
            self.totals.setText("")
            return
        sheet = self.sheet
        name = f" · {sheet.episode_name}" if sheet.episode_name else ""
        self.heading.setText(f"{sheet.series} ({sheet.internal_id}) — episode {sheet.episode_number}{name} · "
                             f"runtime {format_timecode(sheet.runtime_ms)}" + ("  (unsaved)" if self.is_dirty() else ""))
        music_ms = sum(max(c.duration_ms, 0) for c in self.model.cues)
        self.totals.setText(f"{plural(len(self.model.cues), 'cue')} · music {format_timecode(music_ms)}")


def _cues_as_fields(cues: list[CueDraft]) -> dict[str, str]:
    """A sheet as the comparison lists it: 'cue 3' -> 'Dawn Theme, background, 00:10–00:45'."""
    return {f"cue {number}": f"{cue.track_title}, {USAGE_WORDS.get(cue.usage, cue.usage)}, "
                                f"{format_timecode(cue.in_ms)}–{format_timecode(cue.out_ms)}"
            for number, cue in enumerate(cues, start=1)}
