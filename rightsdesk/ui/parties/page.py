"""Parties: producers, platforms, channels, broadcasters, publishers and vendors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QVBoxLayout, QWidget

from rightsdesk.persistence.database import Database
from rightsdesk.services import parties
from rightsdesk.services.parties import PartyRow
from rightsdesk.ui.actions import follow
from rightsdesk.ui.formatting import number
from rightsdesk.ui.parties.party_editor import KIND_NAMES, PartyEditor
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel
from rightsdesk.ui.forms import edits

PARTY_COLUMNS: list[Column[PartyRow]] = [
    Column("name", "Name", lambda r: r.name, tooltip=lambda r: r.name),
    Column("kind", "Kind", lambda r: KIND_NAMES[r.kind]),
    Column("tax_residence", "Tax residence", lambda r: f"{r.tax_residence} {r.country_name}".strip()),
    Column("currency", "Currency", lambda r: r.currency),
    Column("contact_name", "Contact", lambda r: r.contact_name),
    Column("email", "E-mail", lambda r: r.email),
    Column("deal_count", "Deals", lambda r: number(r.deal_count), numeric=True),
    Column("title_count", "Titles produced", lambda r: number(r.title_count), numeric=True),
    Column("account", "Paid to", lambda r: r.account, tooltip=lambda r: r.account or "No bank details: a bank payment run "
                                                                                     "cannot pay this party"),
]


class PartyTableModel(ServiceTableModel[PartyRow]):
    """Parties, optionally of one kind (set_filter(PartyKind.PRODUCER))."""

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(database, PARTY_COLUMNS, parties.find_party_ids, parties.party_rows, filtered=True, parent=parent)


class PartiesPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.model = PartyTableModel(database, self)
        self.list = RecordList("parties", self.model, noun="parties",
                               empty_hint="No parties yet.\nAdd producers, platforms and channels with New party (Ctrl+N).")
        self.list.activated.connect(self.edit_party)
        self.list.current_changed.connect(lambda party_id: self.edit_action.setEnabled(party_id is not None))

        self.kind_filter = QComboBox(objectName="party-kind-filter")
        self.kind_filter.addItem("All kinds", None)
        for kind, label in KIND_NAMES.items():
            self.kind_filter.addItem(label, kind)
        self.kind_filter.currentIndexChanged.connect(lambda _: self.model.set_filter(self.kind_filter.currentData()))

        self.new_action = QAction("&New party", self, shortcut=QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(lambda: self._run_editor(None))
        self.edit_action = QAction("&Edit party", self, shortcut=QKeySequence("Ctrl+E"), enabled=False)
        self.edit_action.triggered.connect(lambda: self.list.current_id() and self.edit_party(self.list.current_id()))
        for action in (self.new_action, self.edit_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        edits(self.new_action)
        toolbar = QToolBar()
        toolbar.addActions([self.new_action, self.edit_action])
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Show: "))
        toolbar.addWidget(self.kind_filter)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.list, 1)
        # the list counts each party's deals and titles, and shows where it is paid
        follow(self, {"party", "party_contact", "deal", "title"}, self.list.reload)

    def edit_party(self, party_id: int) -> None:
        self._run_editor(party_id)

    def _run_editor(self, party_id: int | None) -> None:
        self.list.run_editor(lambda: PartyEditor(self.database, party_id, self))
