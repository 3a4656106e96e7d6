"""Keys that behave the same in every form (issue 18), installed once on the application:

- Return in a combo box, a field with a completer, or a search/filter box does what it does
  there (choose, complete, search) and never also submits the dialog: Qt passes a Return the
  field ignores on to the dialog's default button, which saved a half-filled title after
  "CN" was typed into Country.
- Ctrl+S (the platform's Save) saves in every editor: the dialog's Save button, else its OK.
- Tab leaves a multi-line field (notes, synopsis) instead of typing a tab into it; Ctrl+Tab
  still types one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog, QDialogButtonBox, QLineEdit,
                               QPlainTextEdit, QTextEdit, QWidget)

SEARCH_WORDS = ("search", "filter", "find")
RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def return_stays_in(widget: QWidget | None) -> bool:
    """Whether Return in `widget` belongs to it and must not submit its dialog."""
    if widget is None:
        return False
    if isinstance(widget, QComboBox) or isinstance(widget.parentWidget(), QComboBox):
        return True
    if isinstance(widget, QLineEdit):
        if widget.completer() is not None or widget.property("return_stays"):
            return True
        words = f"{widget.objectName()} {widget.placeholderText()}".lower()
        return any(word in words for word in SEARCH_WORDS)
    return False


def save_button(dialog: QDialog) -> QAbstractButton | None:
    """The button that saves the dialog: its Save, else its OK."""
    for box in dialog.findChildren(QDialogButtonBox):
        if box.window() is not dialog:
            continue
        for which in (QDialogButtonBox.StandardButton.Save, QDialogButtonBox.StandardButton.Ok):
            button = box.button(which)
            if button is not None and button.isVisible():
                return button
    return None


class FormKeys(QObject):
    """The event filter that gives every dialog those keys. It watches only the dialogs the
    user is in and their fields that have had focus, not every event of the application: an
    application-wide filter in Python ran for each of the thousands of events a window handles
    (paints, timers, hovers), each one waiting for the interpreter while a background task held
    it, and was most of the window's stalls at volume (issue 15)."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        app.focusChanged.connect(self.focus_moved)

    def focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Watch a dialog from when the user is first in it, and each of its fields from when it
        first has focus: a key goes to the field with focus, then to its dialog."""
        if new is None or not isinstance(dialog := new.window(), QDialog):
            return
        for widget in (dialog, new):
            if widget.property(WATCHED) is not self:
                widget.setProperty(WATCHED, self)
                widget.installEventFilter(self)
        if isinstance(new, (QPlainTextEdit, QTextEdit)):
            new.setTabChangesFocus(True)  # before the first Tab reaches it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        dialog = watched.window()
        if not isinstance(dialog, QDialog):
            return False
        # Ctrl+S is taken before the field sees it: a combo box would take it for a letter
        # typed to find a choice, and it would never reach the dialog.
        if event.matches(QKeySequence.StandardKey.Save):
            button = save_button(dialog)
            if button is not None and button.isEnabled():
                button.click()
            return True
        # A Return a field ignored, passed on to its dialog.
        return watched is dialog and event.key() in RETURN_KEYS and return_stays_in(watched.focusWidget())


WATCHED = "rightsdesk_form_keys"  # (a widget's property: the filter installed on it, once)
_installed: FormKeys | None = None


def install(app: QApplication) -> None:
    """Give every dialog of `app` the keys above (once)."""
    global _installed
    if _installed is None:
        _installed = FormKeys(app)
