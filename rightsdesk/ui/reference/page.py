"""Reference data: the territory groups and the media everything else names, edited here."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from rightsdesk.persistence.database import Database
from rightsdesk.ui.reference.groups import GroupsTab
from rightsdesk.ui.reference.media import MediaTab


class ReferencePage(QWidget):
    changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.groups = GroupsTab(database, self)
        self.media = MediaTab(database, self)
        self.tabs = QTabWidget(objectName="reference-tabs")
        self.tabs.addTab(self.groups, "&Territory groups")
        self.tabs.addTab(self.media, "&Media")
        for tab in (self.groups, self.media):
            tab.changed.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def showEvent(self, event: object) -> None:
        # Uses change elsewhere (a grant naming a group, a window naming a medium): read again
        # each time the screen comes to the front; there are tens of groups and media.
        if self.groups.model.filled and not self.groups.model.loading():
            self.groups.list.reload()
        self.media.reload()
        super().showEvent(event)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.groups.list.stop()
