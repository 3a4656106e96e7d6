"""A record's history: every change to it (and its parts), who made it and when, before and after."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.persistence.database import Database
from rightsdesk.services import audit_log_report as audit_log
from rightsdesk.services import history
from rightsdesk.services.history import RECORD_KINDS, Change
from rightsdesk.ui import settings
from rightsdesk.ui.formatting import moment
from rightsdesk.domain.words import plural

HEADERS = ("When", "Who", "Action", "Record", "Summary", "Field", "Before", "After", "Database login")


class HistoryDialog(QDialog):
    def __init__(self, database: Database, kind: str, record_id: int, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setWindowTitle(f"History of {RECORD_KINDS.get(kind, kind).lower()} {name}")
        self.setObjectName("history")
        self.resize(1100, 560)
        with database.read() as session:
            self.changes = history.changes(session, kind=kind, record_id=record_id)

        self.filter_box = QLineEdit(objectName="filter", placeholderText="Filter by person, field or value (Ctrl+F)",
                                    clearButtonEnabled=True)
        self.filter_box.textChanged.connect(self.apply_filter)
        find = QPushButton("", self, visible=False, shortcut=QKeySequence.StandardKey.Find)
        find.clicked.connect(self.filter_box.setFocus)
        self.table = QTableWidget(len(self.changes), len(HEADERS), objectName="changes")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for row, change in enumerate(self.changes):
            values = (moment(change.at), change.user, change.action.value, change.record, change.summary, change.field,
                      change.before, change.after, change.role)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        if not header.restoreState(settings.view_state("history").get()):
            self.table.resizeColumnsToContents()
            for column in range(header.count()):
                header.resizeSection(column, min(header.sectionSize(column), 260))
        header.sectionResized.connect(lambda *_: settings.view_state("history").set(header.saveState()))

        people = len({c.user for c in self.changes})
        entries = len({c.entry_id for c in self.changes})
        self.summary = QLabel(objectName="summary")
        self.summary.setText(f"{plural(entries, 'change')} by {plural(people, 'person', 'people')}, oldest first." if self.changes else
                             "No changes recorded. Changes are logged from the first time a record is saved here.")
        export = QPushButton("&Export to Excel…", objectName="export")
        export.clicked.connect(self.export)
        export.setEnabled(bool(self.changes))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        for row, change in enumerate(self.changes):
            haystack = " ".join((change.user, change.record, change.summary, change.field, change.before,
                                 change.after)).casefold()
            self.table.setRowHidden(row, not all(word in haystack for word in words))

    def shown_changes(self) -> list[Change]:
        return [c for row, c in enumerate(self.changes) if not self.table.isRowHidden(row)]

    def export(self) -> Path | None:
        suggestion = Path.home() / f"History {self.name}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Export history", str(suggestion), "Excel workbook (*.xlsx)")
        if not path:
            return None
        from rightsdesk.reports.document import report_workbook  # (openpyxl and reportlab: loaded when asked for)

        report = audit_log.report(self.shown_changes(), self.windowTitle())
        Path(path).write_bytes(report_workbook(report))
        return Path(path)


def show_history(database: Database, kind: str, record_id: int | None, name: str, parent: QWidget) -> None:
    if record_id is not None:
        HistoryDialog(database, kind, record_id, name, parent).exec()

