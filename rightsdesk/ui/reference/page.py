"""Reference data: the territory groups and the media everything else names, edited here."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from rightsdesk.persistence.database import Database
from rightsdesk.ui.reference.groups import GroupsTab
from rightsdesk.ui.reference.media import MediaTab


class ReferencePage(QWidget):
    """Each tab follows what it shows (ui.actions.follow): a grant naming a group, a window
    naming a medium, saved anywhere, is counted when the tab is next seen."""

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.groups = GroupsTab(database, self)
        self.media = MediaTab(database, self)
        self.tabs = QTabWidget(objectName="reference-tabs")
        self.tabs.addTab(self.groups, "&Territory groups")
        self.tabs.addTab(self.media, "&Media")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def stop(self) -> None:
        self.groups.list.stop()
        self.media.stop()
