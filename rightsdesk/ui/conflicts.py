"""When a save is refused because someone else saved the record first: who and when, what
differs between their saved version and yours, and the choice to reload theirs or keep editing."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.changes import Difference
from rightsdesk.domain.errors import Conflict
from rightsdesk.ui.formatting import moment


class ConflictDialog(QDialog):
    """exec() returns Accepted when the user chose to reload the saved version."""

    def __init__(self, noun: str, error: Conflict, found: list[Difference], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Someone else saved this {noun}")
        self.setObjectName("conflict")
        self.resize(760, 420)
        who = error.changed_by or "someone else"
        when = f" at {moment(error.changed_at)}" if error.changed_at else ""
        self.message = QLabel(
            f"<b>{who} saved this {noun}{when}</b>, after you opened it. Your changes were not saved, so "
            f"that nothing of theirs is overwritten.<br>Reload to see their version (your edits are lost), or keep "
            f"editing and copy what you need first.", objectName="message", wordWrap=True)
        self.table = QTableWidget(len(found), 3, objectName="differences")
        self.table.setHorizontalHeaderLabels(["Field", f"Saved by {who}", "Yours"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, difference in enumerate(found):
            field = difference.field[:1].upper() + difference.field[1:]  # a label, as the form writes its own
            for column, value in enumerate((field, difference.before, difference.after)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        same = QLabel("Your version and theirs now hold the same values.", objectName="same")
        same.setVisible(not found)
        buttons = QDialogButtonBox()
        reload = buttons.addButton(f"&Reload their {noun}", QDialogButtonBox.ButtonRole.AcceptRole)
        reload.setObjectName("reload")
        reload.setAutoDefault(False)
        keep = buttons.addButton("&Keep editing", QDialogButtonBox.ButtonRole.RejectRole)
        keep.setDefault(True)  # nothing is thrown away by pressing Enter
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("What differs:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(same)
        layout.addWidget(buttons)
