"""The first start: a demo catalogue to look around in, or the user's own catalogue, empty.

Asked once, when RightsDesk starts with nothing chosen for it (no --db, no RIGHTSDESK_DB, no
database opened on start) and the user's database does not exist yet. The demo has a database
of its own (`demo_database_path()`), so trying the product never puts made-up titles and deals
in the database the user will work in.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCommandLinkButton, QDialog, QLabel, QVBoxLayout, QWidget

from rightsdesk import APP_NAME
from rightsdesk.persistence.database import default_database_path
from rightsdesk.ui import settings


class FirstStart(enum.Enum):
    DEMO = "demo"
    EMPTY = "empty"


def is_first_start() -> bool:
    """Nothing was ever chosen on this desk: the question was not answered, and the user's
    database does not exist (someone who used RightsDesk before it asked is not asked)."""
    return not settings.FIRST_START_ANSWERED.get() and not default_database_path().exists()


class WelcomeDialog(QDialog):
    """Two choices, each a button with a line saying what it does; Up/Down or Tab moves between
    them, Return takes the one in focus (the demo, at first). Closing the dialog (Escape) starts
    with the empty catalogue: nothing is ever put in a database unasked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.choice = FirstStart.EMPTY
        intro = QLabel(
            f"<h3>Welcome to {APP_NAME}</h3>"
            "<p>Rights, avails, windows and royalties for microdrama. How would you like to start?</p>",
            wordWrap=True,
        )
        self.demo_button = QCommandLinkButton(
            "Open the &demo catalogue",
            "A realistic catalogue of 300 series with producers, platforms, deals, windows and "
            "revenue to look around in. It lives in a demo database of its own; your catalogue stays empty.",
            objectName="welcome-demo",
        )
        self.empty_button = QCommandLinkButton(
            "Start with an &empty catalogue",
            f"Your own database, ready for your titles and deals:\n{default_database_path()}",
            objectName="welcome-empty",
        )
        later = QLabel("You can open the demo at any time with File > Open demo catalogue.", objectName="welcome-later")
        later.setStyleSheet("color: palette(placeholder-text);")
        self.demo_button.clicked.connect(lambda: self._choose(FirstStart.DEMO))
        self.empty_button.clicked.connect(lambda: self._choose(FirstStart.EMPTY))
        for button in (self.demo_button, self.empty_button):
            button.setAutoDefault(True)  # Return presses the button in focus
        self.demo_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.empty_button)
        layout.addWidget(later)
        self.setMinimumWidth(520)
        self.demo_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # The first window of the program: ask for the keyboard (a bare X server, or a window
        # manager slow to give it, would leave Return going nowhere).
        super().showEvent(event)
        self.activateWindow()

    def _choose(self, choice: FirstStart) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> FirstStart:
        """Show the dialog and remember that the question was answered; the choice."""
        dialog = cls(parent)
        dialog.exec()
        settings.FIRST_START_ANSWERED.set(True)
        return dialog.choice
