"""Territory groups: the list, and the editor with the tree picker.

The editor says, as the group is changed and again before it is saved, which grants, holdbacks
and music licences would cover other countries because of the change; a group in use cannot be
deleted (the list says what uses it)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QToolBar, QVBoxLayout, QWidget

from rightsdesk.domain.errors import Problem, UserError
from rightsdesk.domain.territory_groups import Definition, GroupDraft, definition_of, holders
from rightsdesk.persistence.database import Database
from rightsdesk.services import territory_groups
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import current_user
from rightsdesk.services.territory_groups import AffectedRight, GroupRow
from rightsdesk.ui.actions import act, follow, run
from rightsdesk.ui.formatting import number
from rightsdesk.ui.forms import DraftEditor, confirm, screen_action
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel
from rightsdesk.ui.territory_picker import TerritoryPicker, countries_text

GROUP_COLUMNS: list[Column[GroupRow]] = [
    Column("code", "Code", lambda r: r.code),
    Column("name", "Name", lambda r: r.name, tooltip=lambda r: r.name),
    Column("countries", "Countries", lambda r: number(r.countries), numeric=True),
    Column("used_by", "Rights naming it", lambda r: number(r.used_by), numeric=True),
    Column("standard", "Standard", lambda r: "yes" if r.standard else ""),
    Column("inside", "Inside", lambda r: ", ".join(r.inside), tooltip=lambda r: ", ".join(r.inside)),
    # last, so it takes the room left: the longest column
    Column("subgroups", "Groups inside", lambda r: ", ".join(r.subgroups), tooltip=lambda r: ", ".join(r.subgroups)),
]
MAX_LISTED = 12


def describe_changes(affected: list[AffectedRight]) -> str:
    """The rights a change moves, in words: 'Saving changes what 2 grants cover: ...'."""
    if not affected:
        return "No grant, holdback or music licence covers other countries because of this change."
    lines = [f"• {a.describe()}" for a in affected[:MAX_LISTED]]
    if len(affected) > MAX_LISTED:
        lines.append(f"• and {len(affected) - MAX_LISTED} more")
    noun = "right" if len(affected) == 1 else "rights"
    return f"Saving changes what {len(affected)} {noun} cover:\n" + "\n".join(lines)


class GroupEditor(DraftEditor):
    noun = "territory group"

    def __init__(self, database: Database, group_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        with database.read() as session:
            self.original = (territory_groups.load_group(session, group_id) if group_id is not None
                             else GroupDraft("", ""))
            tree = territory_groups.picker_tree(session)
        self.setWindowTitle(f"Territory group {self.original.code}" if group_id else "New territory group")
        self.code = QLineEdit(self.original.code, objectName="code", placeholderText="e.g. EMEA_SALES")
        self.name = QLineEdit(self.original.name, objectName="name", placeholderText="e.g. EMEA sales territories")
        covered = tree.covered()
        # The groups this one may hold whole: not itself, nor a group that holds it (a cycle);
        # nor may its short form name them ('EMEA_SALES excluding FR' while editing EMEA_SALES).
        definitions = {c: Definition(frozenset(g.countries), frozenset(g.subgroups)) for c, g in tree.groups.items()}
        above = holders(definitions, self.original.code) if self.original.code else set()
        self.picker = TerritoryPicker(tree, self, naming={c: v for c, v in covered.items()
                                                          if c not in above | {self.original.code}})
        self.picker.set_countries(set(self.original.countries).union(*(covered.get(s, ()) for s in self.original.subgroups)))
        self.candidates = {c: v for c, v in covered.items() if c not in above | {self.original.code, "WORLD"}}
        self.structure = QLabel(objectName="structure", wordWrap=True)
        self.effect = QLabel(objectName="effect", wordWrap=True)
        self.effect.setStyleSheet("color: #8a4b00;")
        self.affected: list[AffectedRight] = []
        self.timer = QTimer(self, singleShot=True, interval=300)
        self.timer.timeout.connect(self.check_effect)
        for signal in (self.picker.changed, self.code.textChanged):
            signal.connect(self._changed)
        form = QFormLayout()
        form.addRow("&Code", self.code)
        form.addRow("&Name", self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.structure)
        layout.addWidget(self.effect)
        layout.addWidget(self.buttons)
        self.save_action = screen_action(self, "&Save", QKeySequence.StandardKey.Save, self.save, changes_data=True)
        self.resize(560, 720)
        self._changed()
        self.check_effect()

    def draft_checked(self, problems: list[Problem]) -> GroupDraft:
        # The groups it held before stay groups while wholly ticked, so an unchanged group saves as
        # it was; regions ticked or typed whole join them; countries ticked one by one are its own.
        definition = definition_of(self.picker.countries(), self.candidates,
                                   whole=self.original.subgroups | self.picker.whole_groups())
        return dataclasses.replace(self.original, code=self.code.text().strip().upper(), name=" ".join(self.name.text().split()),
                                   countries=set(definition.countries), subgroups=set(definition.subgroups))

    def _changed(self) -> None:
        draft = self.draft_checked([])
        whole = ", ".join(sorted(draft.subgroups)) or "none"
        self.structure.setText(f"{countries_text(len(self.picker.countries()))}. Groups kept whole (this group follows "
                               f"them when they change): {whole}. Countries of its own: {len(draft.countries)}.")
        self.timer.start()

    def check_effect(self) -> list[AffectedRight]:
        """Which rights the change would move, shown below the tree (nothing is written)."""
        draft = self.draft_checked([])
        if self.original.id is None or draft == self.original:
            self.affected = []
            self.effect.setText("" if draft == self.original else "A new group: no grant names it yet.")
            return []
        try:
            with self.database.read() as session:
                self.affected = territory_groups.coverage_preview(session, draft)
        except UserError:  # the problems are listed on Save; say nothing of effects until it reads
            self.effect.setText("")
            return []
        self.effect.setText(describe_changes(self.affected))
        return self.affected

    def save(self) -> None:
        self.timer.stop()
        if self.check_effect() and not confirm(self, "Save territory group",
                                               describe_changes(self.affected) + "\n\nSave the group?"):
            return
        super().save()

    def write(self, draft: object) -> int:
        return run(self.database, territory_groups.save_group, draft, user=current_user())

    def load_saved(self, session: UnitOfWork) -> object | None:
        return territory_groups.load_group(session, self.original.id) if self.original.id else None


# What the list shows: the groups, what they hold, and the rights naming them (its 'used' count).
SHOWN_KINDS = frozenset({"territory_group", "territory_group_member", "territory_group_subgroup", "grant",
                         "grant_territory", "holdback", "holdback_territory", "music_licence",
                         "music_licence_territory"})


class GroupsTab(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.model = ServiceTableModel(database, GROUP_COLUMNS, territory_groups.find_group_ids,
                                       territory_groups.group_rows_of, parent=self)
        self.list = RecordList("territory-groups", self.model, noun="territory groups", sort_column=0, empty_hint=(
            "No territory groups match.\nMake one with New group (Ctrl+N)."))
        self.list.activated.connect(self.edit_group)
        self.list.current_changed.connect(self._selection_changed)
        self.new_action = screen_action(self, "&New group", QKeySequence.StandardKey.New, lambda: self._run_editor(None),
                                        changes_data=True)
        self.edit_action = screen_action(self, "&Edit group", "Ctrl+E", self._edit_current, enabled=False)
        self.delete_action = screen_action(self, "&Delete group", QKeySequence.StandardKey.Delete, self._delete_current,
                                           enabled=False, changes_data=True)
        toolbar = QToolBar()
        toolbar.addActions([self.new_action, self.edit_action, self.delete_action])
        hint = QLabel("A group holds countries and other groups; a grant of it covers what they cover on the day. "
                      "The world's regions (CLDR) are standard groups.", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        follow(self, SHOWN_KINDS, self.refresh)

    def refresh(self) -> None:
        """The groups as saved now, the same one chosen."""
        if self.model.filled:
            self.list.reload()

    def _selection_changed(self, group_id: int | None) -> None:
        self.edit_action.setEnabled(group_id is not None)
        self.delete_action.setEnabled(group_id is not None)

    def _edit_current(self) -> None:
        if self.list.current_id() is not None:
            self.edit_group(self.list.current_id())

    def _delete_current(self) -> None:
        if self.list.current_id() is not None:
            self.delete_group(self.list.current_id())

    def edit_group(self, group_id: int) -> None:
        self._run_editor(group_id)

    def _run_editor(self, group_id: int | None) -> None:
        self.list.run_editor(lambda: GroupEditor(self.database, group_id, self))

    def delete_group(self, group_id: int) -> None:
        position = self.model.row_of(group_id)
        row = self.model.row_at(position) if position is not None else None
        name = f"{row.code} {row.name}" if row else f"group {group_id}"
        if not confirm(self, "Delete territory group", f"Delete the territory group {name}? This cannot be undone."):
            return
        # Refused while in use or standard: the service says what uses it.
        act(self, "Cannot delete the territory group", self.database, territory_groups.delete_group, group_id,
            user=current_user())
