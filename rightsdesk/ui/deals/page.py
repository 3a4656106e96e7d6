"""Deals: rights bought in and licensed out, as a filterable list with the deal editor behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QVBoxLayout, QWidget

from rightsdesk.domain.avails import term_text
from rightsdesk.domain.enums import DealDirection
from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.database import Database
from rightsdesk.services import deals
from rightsdesk.services.audit import current_user
from rightsdesk.services.deals import DealRow
from rightsdesk.ui.actions import follow, run
from rightsdesk.ui.deals.deal_editor import DealEditor
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import confirm, edits
from rightsdesk.ui.formatting import day, number
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel

DEAL_COLUMNS: list[Column[DealRow]] = [
    Column("reference", "Reference", lambda r: r.reference),
    Column("direction", "Direction", lambda r: r.direction.value.upper()),
    Column("counterparty", "Counterparty", lambda r: r.counterparty, tooltip=lambda r: r.counterparty),
    Column("status", "Status", lambda r: r.status.value.title()),
    Column("signed_on", "Signed", lambda r: day(r.signed_on)),
    Column("currency", "Currency", lambda r: r.currency),
    Column("grant_count", "Grants", lambda r: number(r.grant_count), numeric=True),
    Column("term", "Term", lambda r: (term_text(r.term_start, None if r.open_ended else r.term_end) + (
        f" ({r.pending} waiting for an event)" if r.pending else "")) if r.grant_count else ""),
]


class DealTableModel(ServiceTableModel[DealRow]):
    """Deals, optionally of one direction (set_filter(DealDirection.IN))."""

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(database, DEAL_COLUMNS, deals.find_deal_ids, deals.deal_rows, filtered=True, parent=parent)


class DealsPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.model = DealTableModel(database, self)
        self.list = RecordList("deals", self.model, noun="deals",
                               empty_hint="No deals yet.\nAdd what you acquired with New IN deal, "
                                          "and what you licensed with New OUT deal (Ctrl+N).")
        self.list.activated.connect(self.edit_deal)
        self.list.current_changed.connect(self._selection_changed)

        self.direction_filter = QComboBox(objectName="deal-direction-filter")
        self.direction_filter.addItem("IN and OUT", None)
        self.direction_filter.addItem("IN (acquired)", DealDirection.IN)
        self.direction_filter.addItem("OUT (licensed)", DealDirection.OUT)
        self.direction_filter.currentIndexChanged.connect(
            lambda _: self.model.set_filter(self.direction_filter.currentData()))

        self.new_out_action = QAction("New &OUT deal", self, shortcut=QKeySequence.StandardKey.New)
        self.new_out_action.triggered.connect(lambda: self._run_editor(None, DealDirection.OUT))
        self.new_in_action = QAction("New &IN deal", self, shortcut=QKeySequence("Ctrl+Shift+I"))
        self.new_in_action.triggered.connect(lambda: self._run_editor(None, DealDirection.IN))
        self.edit_action = QAction("&Edit deal", self, shortcut=QKeySequence("Ctrl+E"), enabled=False)
        self.edit_action.triggered.connect(lambda: self.list.current_id() and self.edit_deal(self.list.current_id()))
        self.delete_action = QAction("&Delete deal", self, shortcut=QKeySequence.StandardKey.Delete, enabled=False)
        self.delete_action.triggered.connect(lambda: self.list.current_id() and self.delete_deal(self.list.current_id()))
        toolbar = QToolBar()
        for action in (self.new_out_action, self.new_in_action, self.edit_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            toolbar.addAction(action)
        edits(self.new_out_action, self.new_in_action, self.delete_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Show: "))
        toolbar.addWidget(self.direction_filter)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.list, 1)
        # the list shows each deal's counterparty, grants and their terms
        follow(self, {"deal", "grant", "grant_option", "party"}, self.list.reload)

    def _selection_changed(self, deal_id: int | None) -> None:
        self.edit_action.setEnabled(deal_id is not None)
        self.delete_action.setEnabled(deal_id is not None)

    def edit_deal(self, deal_id: int) -> None:
        self._run_editor(deal_id, DealDirection.OUT)

    def _run_editor(self, deal_id: int | None, direction: DealDirection) -> None:
        self.list.run_editor(lambda: DealEditor(self.database, deal_id, direction=direction, parent=self))

    def delete_deal(self, deal_id: int) -> None:
        row = self.model.row_at(self.model.row_of(deal_id) or 0)
        name = row.reference if row else f"deal {deal_id}"
        if not confirm(self, "Delete deal", f"Delete {name} and all its grants? This cannot be undone."):
            return
        try:
            run(self.database, deals.delete_deal, deal_id, user=current_user())
        except UserError as error:
            show_user_error(self, error, "Cannot delete the deal")
