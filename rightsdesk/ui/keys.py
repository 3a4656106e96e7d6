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
    """The application-wide event filter that gives every dialog those keys."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QDialog):
            for kind_of_text in (QPlainTextEdit, QTextEdit):
                for text in watched.findChildren(kind_of_text):
                    text.setTabChangesFocus(True)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(watched, QWidget):
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
            if watched is dialog and event.key() in RETURN_KEYS and return_stays_in(watched.focusWidget()):
                return True
        return False


_installed: FormKeys | None = None


def install(app: QApplication) -> None:
    """Give every dialog of `app` the keys above (once)."""
    global _installed
    if _installed is None:
        _installed = FormKeys(app)
        app.installEventFilter(_installed)
