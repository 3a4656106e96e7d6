"""Read-only mode in the GUI: what changes data is hidden, and editors open for reading only.

The services refuse to write to a read-only database whatever the GUI does (see
persistence.database.Database); this spares the reviewer buttons that could only be refused.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QDialog, QDialogButtonBox, QWidget

from rightsdesk.ui.forms import EDITS

SUFFIX = " (read-only)"


def hide_edits(root: QWidget) -> None:
    """Hide every action and button marked as changing data (a hidden action's shortcut is off too)."""
    for control in [*root.findChildren(QAction), *root.findChildren(QAbstractButton)]:
        if control.property(EDITS):
            control.setVisible(False)


def lock(dialog: QDialog) -> None:
    """An editor opened for reading: Save disabled, the title says why."""
    for box in dialog.findChildren(QDialogButtonBox):
        save = box.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(False)
            save.setToolTip("The database is open read-only")
    hide_edits(dialog)
    if not dialog.windowTitle().endswith(SUFFIX):
        dialog.setWindowTitle(dialog.windowTitle() + SUFFIX)


class ReadOnlyGuard(QObject):
    """Installed on the application while a read-only database is open in `window`: locks each
    of the window's dialogs as it shows."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and self._opened_from_window(watched):
            lock(watched)
        return False

    def _opened_from_window(self, dialog: QWidget) -> bool:
        parent = dialog.parentWidget()  # (isAncestorOf stops at a dialog's own window)
        while parent is not None and parent is not self.window:
            parent = parent.parentWidget()
        return parent is self.window
