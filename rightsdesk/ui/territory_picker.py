"""The territory tree picker: regions down to countries, ticked with three-state checks, with a
filter box, the number of countries covered as you tick, and the short form it writes
('EUROPE excluding GB'), which can also be typed.

What is chosen is a set of countries; every box shows how much of its region is chosen (all,
some, none), so a country that sits in several groups (France in EUROPE, WESTERN_EUROPE and EU)
is ticked everywhere at once. Ticking a region that is partly chosen chooses all of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QTreeView, QVBoxLayout, QWidget)

from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.domain.territory_groups import short_form
from rightsdesk.persistence.database import Database
from rightsdesk.services.territory_groups import PickerTree, picker_tree

CODE = Qt.ItemDataRole.UserRole + 1  # the item's group or country code
IS_GROUP = Qt.ItemDataRole.UserRole + 2


def countries_text(count: int) -> str:
    return f"{count:,} {'country' if count == 1 else 'countries'}"


class TerritoryTreeModel(QStandardItemModel):
    """Regions and countries as checkable items; what is ticked is `chosen` (country codes)."""

    chosen_changed = Signal()

    def __init__(self, tree: PickerTree, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = tree
        self.chosen: set[str] = set()
        self.ticked_whole: set[str] = set()  # regions ticked (or named) as a whole, by code
        self._syncing = False
        self.setHorizontalHeaderLabels(["Territory"])
        for code in tree.roots:
            self.appendRow(self._group_item(code, frozenset()))
        self.itemChanged.connect(self._ticked)

    def _group_item(self, code: str, above: frozenset[str]) -> QStandardItem:
        group = self.tree.groups[code]
        item = self._item(f"{group.name} ({code})", code, True)
        item.setToolTip(f"{group.name}: {countries_text(len(group.covers))}")
        for sub in group.subgroups:
            if sub not in above:  # a damaged database's cycle is shown once, not for ever
                item.appendRow(self._group_item(sub, above | {code}))
        for country in group.countries:
            item.appendRow(self._item(f"{self.tree.countries.get(country, country)} ({country})", country, False))
        return item

    @staticmethod
    def _item(text: str, code: str, is_group: bool) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(code, CODE)
        item.setData(is_group, IS_GROUP)
        item.setEditable(False)
        item.setCheckable(True)
        item.setCheckState(Qt.CheckState.Unchecked)
        return item

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if role == Qt.ItemDataRole.CheckStateRole and isinstance(value, int):
            return Qt.CheckState(value)  # the item keeps a number; views and testers expect the state
        return value

    def countries_of(self, item: QStandardItem) -> frozenset[str]:
        code = item.data(CODE)
        return self.tree.groups[code].covers if item.data(IS_GROUP) else frozenset({code})

    def set_chosen(self, countries: Iterable[str]) -> None:
        self.chosen = set(countries)
        self._sync()
        self.chosen_changed.emit()

    def _ticked(self, item: QStandardItem) -> None:
        if self._syncing:
            return
        countries = self.countries_of(item)
        if item.checkState() == Qt.CheckState.Checked:
            self.chosen |= countries
            if item.data(IS_GROUP):
                self.ticked_whole.add(item.data(CODE))
        else:
            self.chosen -= countries
            self.ticked_whole.discard(item.data(CODE))
        self._sync()
        self.chosen_changed.emit()

    def _sync(self) -> None:
        """Every box as the choice now stands: all, some or none of its countries chosen."""
        self._syncing = True
        try:
            stack = [self.item(row) for row in range(self.rowCount())]
            while stack:
                item = stack.pop()
                countries = self.countries_of(item)
                inside = len(countries & self.chosen)
                state = (Qt.CheckState.Checked if countries and inside == len(countries) else
                         Qt.CheckState.PartiallyChecked if inside else Qt.CheckState.Unchecked)
                if item.checkState() != state:
                    item.setCheckState(state)
                stack.extend(item.child(row) for row in range(item.rowCount()))
        finally:
            self._syncing = False


class ShortFormEdit(QLineEdit):
    """The short form field: Enter applies what was typed to the tree, and goes no further (in a
    dialog it would otherwise press Save)."""

    applied = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.applied.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class TerritoryPicker(QWidget):
    """The tree with its filter box, the count of countries covered and the short form.
    `changed` is emitted on every tick and on every short form typed that reads."""

    changed = Signal()

    def __init__(self, tree: PickerTree, parent: QWidget | None = None, *, naming: Mapping[str, frozenset[str]] | None = None):
        """`naming`: the groups the short form may name (all by default; a group's own editor
        leaves out the group and those holding it, which would describe it by itself)."""
        super().__init__(parent)
        self.tree = tree
        self.groups = dict(naming) if naming is not None else tree.covered()
        self.model = TerritoryTreeModel(tree, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)  # a region that matches shows its countries
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(objectName="territory-filter", placeholderText="Filter regions and countries (Ctrl+F)",
                                clearButtonEnabled=True)
        self.filter.textChanged.connect(self._filter)
        find = QShortcut(QKeySequence.StandardKey.Find, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(lambda: (self.filter.setFocus(), self.filter.selectAll()))
        self.view = QTreeView(objectName="territory-tree")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformRowHeights(True)
        self.coverage = QLabel(objectName="coverage")
        self.coverage.setStyleSheet("font-weight: 600;")
        self.scope = ShortFormEdit(objectName="short-form", placeholderText="e.g. EUROPE excluding GB, +IE")
        self.scope.setToolTip("The territories in words, as grants and commands take them; type here and press Enter "
                              "to tick them in the tree")
        self.scope.editingFinished.connect(self._typed)
        self.scope.applied.connect(self._typed)
        self.problem = QLabel(objectName="short-form-problem", wordWrap=True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.coverage)
        layout.addWidget(self.scope)
        layout.addWidget(self.problem)
        self.model.chosen_changed.connect(self._show_choice)
        self._show_choice()

    # -- what it holds ------------------------------------------------------------------------

    def countries(self) -> frozenset[str]:
        return frozenset(self.model.chosen)

    def set_countries(self, countries: Iterable[str]) -> None:
        self.model.set_chosen(countries)

    def short_form(self) -> str:
        return short_form(self.model.chosen, self.groups)

    def whole_groups(self) -> set[str]:
        """The regions ticked or named as a whole that are still wholly chosen."""
        return {code for code in self.model.ticked_whole if self.groups.get(code, frozenset()) <= self.model.chosen}

    def set_short_form(self, text: str) -> bool:
        """Tick what a short form names; False (and the reason shown) when a code is unknown."""
        scope = TerritoryScope.parse(text, self.groups)
        unknown = [i.code for i in scope.items if not i.is_group and i.code not in self.tree.countries]
        if unknown:
            self.problem.setText(f"{', '.join(unknown)} {'is not a country or a group' if len(unknown) == 1 else 'are not countries or groups'}")
            self.problem.show()
            return False
        self.problem.hide()
        self.model.ticked_whole |= {i.code for i in scope.included if i.is_group}
        self.model.set_chosen(scope.countries(self.groups))
        return True

    # -- reacting -----------------------------------------------------------------------------

    def _show_choice(self) -> None:
        self.coverage.setText(f"Covers {countries_text(len(self.model.chosen))}")
        if not self.scope.hasFocus():
            self.scope.setText(self.short_form())
        self.changed.emit()

    def _typed(self) -> None:
        if self.scope.text().strip() != self.short_form() and self.set_short_form(self.scope.text()):
            self.scope.setText(self.short_form())

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.view.expandAll()
        else:
            self.view.collapseAll()


class TerritoryPickerDialog(QDialog):
    """The picker in a dialog of its own, for a territory field: OK writes its short form."""

    def __init__(self, tree: PickerTree, short_form_text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Pick territories")
        self.picker = TerritoryPicker(tree, self)
        if short_form_text.strip():
            self.picker.set_short_form(short_form_text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        self.resize(520, 640)

    def chosen_text(self) -> str:
        return self.picker.short_form()


def load_tree(database: Database) -> PickerTree:
    """The regions as they are now, read when a picker opens."""
    with database.read() as session:
        return picker_tree(session)


def with_pick_button(edit: QLineEdit, database: Database, name: str) -> QWidget:
    """A territories field with Pick… beside it: the tree picker opens on what the field says,
    and OK writes its short form into the field."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    button = QPushButton("Pick…", objectName=f"{name}-tree")
    button.setToolTip("Tick regions and countries in a tree; the field gets the short form")

    def pick() -> None:
        dialog = TerritoryPickerDialog(load_tree(database), edit.text(), holder)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            edit.setText(dialog.chosen_text())

    button.clicked.connect(pick)
    row.addWidget(edit, 1)
    row.addWidget(button)
    holder.setFocusProxy(edit)  # the form label's mnemonic reaches the field
    return holder
