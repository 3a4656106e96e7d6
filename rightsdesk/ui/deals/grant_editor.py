"""The grant editor: titles or libraries, territories, media, languages, term, exclusivity, holdbacks."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.errors import Problem
from rightsdesk.domain.media import media_codes
from rightsdesk.domain.rights import GrantDraft, GrantTitleDraft, HoldbackDraft, Known, grant_problems
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.persistence.database import Database
from rightsdesk.services import catalogue, deals, reference, territory_groups
from rightsdesk.services.territory_groups import PickerTree
from rightsdesk.services.listing import ListQuery
from rightsdesk.ui.deals.term_fields import EventTermField, OptionsBox
from rightsdesk.ui.forms import DraftEditor, date_edit, date_of, scrolling, size_for_screen
from rightsdesk.ui.territory_picker import TerritoryPickerDialog

SEARCH_LIMIT = 50


class TerritoryField(QWidget):
    """A territory scope typed in its short form ('WORLD excluding CN, HK') or built from a
    picker of groups and countries, with what it covers shown as you type."""

    def __init__(self, known: Known, countries: list[tuple[str, str]], scope: TerritoryScope, name: str,
                 parent: QWidget | None = None, tree: Callable[[], PickerTree] | None = None):
        super().__init__(parent)
        self.known = known
        self.tree = tree  # the regions for the tree picker (Pick…), read when it is opened
        self.text = QLineEdit(scope.describe() if scope.items else "", objectName=name,
                              placeholderText="e.g. WORLD excluding CN, HK, MO, TW")
        self.picker = QComboBox(objectName=f"{name}-picker")
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code in sorted(known.groups, key=lambda c: (c != "WORLD", c)):
            self.picker.addItem(f"{code} — group of {len(known.groups[code])}", code)
        for code, country in countries:
            self.picker.addItem(f"{code} — {country}", code)
        include = QPushButton("Include", objectName=f"{name}-include")
        include.clicked.connect(lambda: self._add(excluded=False))
        exclude = QPushButton("Exclude", objectName=f"{name}-exclude")
        exclude.clicked.connect(lambda: self._add(excluded=True))
        self.coverage = QLabel(objectName=f"{name}-coverage")
        self.coverage.setStyleSheet("color: palette(placeholder-text);")
        self.text.textChanged.connect(self._show_coverage)
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(include)
        row.addWidget(exclude)
        if tree is not None:
            pick = QPushButton("Pick…", objectName=f"{name}-tree")
            pick.setToolTip("Tick regions and countries in a tree; the field gets the short form")
            pick.clicked.connect(self.pick)
            row.addWidget(pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addWidget(self.coverage)
        self._show_coverage()

    def scope(self) -> TerritoryScope:
        return TerritoryScope.parse(self.text.text(), self.known.groups)

    def pick(self) -> None:
        dialog = TerritoryPickerDialog(self.tree(), self.text.text(), self)  # type: ignore[misc]
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.text.setText(dialog.chosen_text())

    def _add(self, *, excluded: bool) -> None:
        code = self.picker.currentData() or self.picker.currentText().split(" ")[0].upper()
        scope = self.scope()
        if excluded and not scope.excluded:
            text = f"{self.text.text().strip()} excluding {code}"
        elif excluded:
            text = f"{self.text.text().strip()}, {code}"
        elif scope.excluded:  # includes go before the exclusions
            included = ", ".join([i.code for i in scope.included] + [code])
            text = f"{included} excluding {', '.join(i.code for i in scope.excluded)}"
        else:
            text = ", ".join([i.code for i in scope.included] + [code])
        self.text.setText(text.strip(", "))

    def _show_coverage(self) -> None:
        scope = self.scope()
        unknown = [i.code for i in scope.items if not i.is_group and i.code not in self.known.countries]
        if unknown:
            self.coverage.setText(f"Unknown: {', '.join(unknown)}")
        elif scope.is_empty():
            self.coverage.setText("No territory yet")
        else:
            self.coverage.setText(f"Covers {len(scope.countries(self.known.groups))} countries")


def _picker_tree(database: Database) -> PickerTree:
    with database.read() as session:
        return territory_groups.picker_tree(session)


class GrantEditor(DraftEditor):
    """Edits one grant of a deal. It saves through its parent: OK (or Ctrl+S) checks the grant
    and hands it to the deal editor (`result_grant`), which saves it with the deal, where
    someone having saved the deal first is shown."""

    noun = "grant"

    def __init__(self, database: Database, grant: GrantDraft, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.original = grant
        self.result_grant: GrantDraft | None = None
        with database.read() as session:
            self.known = reference.known(session)
            countries = reference.countries(session)
            self.media_choices = reference.media(session, keep=grant.media)  # a retired medium it names stays
            self.libraries = deals.library_choices(session)
            names = deals.title_names(session, [t.title_id for t in grant.titles])
        self.setWindowTitle("Grant")
        self.setObjectName("grant-editor")
        size_for_screen(self, 1000, 880)

        # titles: search on the left, chosen (with episode ranges) on the right
        self.search = QLineEdit(objectName="title-search", placeholderText="Find titles by name or ID…")
        self.search.textChanged.connect(self._search_titles)
        self.found = QListWidget(objectName="title-results")
        self.found.itemDoubleClicked.connect(self._choose_title)
        add_title = QPushButton("Add →", objectName="add-title")
        add_title.clicked.connect(lambda: self.found.currentItem() and self._choose_title(self.found.currentItem()))
        self.titles = QTableWidget(0, 3, objectName="grant-titles")
        self.titles.setHorizontalHeaderLabels(["Title", "From episode", "To episode"])
        self.titles.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.titles.verticalHeader().hide()
        remove_title = QPushButton("Remove title")
        remove_title.clicked.connect(lambda: self.titles.removeRow(self.titles.currentRow()))
        for item in grant.titles:
            self._add_title_row(item.title_id, names.get(item.title_id, str(item.title_id)), item.first_episode, item.last_episode)
        self.library_list = QListWidget(objectName="grant-libraries")
        for library_id, code, name in self.libraries:
            entry = QListWidgetItem(f"{code} — {name}")
            entry.setData(Qt.ItemDataRole.UserRole, library_id)
            entry.setCheckState(Qt.CheckState.Checked if library_id in grant.libraries else Qt.CheckState.Unchecked)
            self.library_list.addItem(entry)
        self.found.setMinimumHeight(150)
        self.titles.setMinimumHeight(150)
        self.library_list.setMaximumHeight(110)
        what = QGroupBox("Titles and libraries")
        grid = QGridLayout(what)
        grid.addWidget(self.search, 0, 0)
        grid.addWidget(QLabel("Chosen titles (leave episodes empty for all)"), 0, 1)
        grid.addWidget(self.found, 1, 0)
        grid.addWidget(self.titles, 1, 1)
        grid.addWidget(add_title, 2, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(remove_title, 2, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(QLabel("Libraries (a library grant covers its titles while they are in it)"), 3, 0, 1, 2)
        grid.addWidget(self.library_list, 4, 0, 1, 2)

        self.territories = TerritoryField(self.known, countries, grant.territories, "territories",
                                          tree=lambda: _picker_tree(database))
        self.media: dict[str, QCheckBox] = {}
        media_row = QGridLayout()
        for number, (code, name) in enumerate(self.media_choices):
            box = QCheckBox(code, objectName=f"media-{code}", checked=code in grant.media)
            box.setToolTip(name)
            self.media[code] = box
            media_row.addWidget(box, number // 5, number % 5)
        self.languages = QLineEdit(", ".join(grant.languages), objectName="languages",
                                   placeholderText="every language; or BCP 47 tags such as th, en, es-419")
        self.term_start = date_edit(grant.term_start, "term-start")
        self.term_end = date_edit(grant.term_end, "term-end")
        self.term_end.setToolTip("— means an open end")
        self.exclusive = QCheckBox("Exclusive", objectName="exclusive", checked=grant.exclusive)
        self.sublicensing = QCheckBox("Sublicensing allowed", objectName="sublicensing",
                                      checked=grant.sublicensing_allowed)
        self.notes = QPlainTextEdit(grant.notes, objectName="grant-notes")
        self.notes.setMaximumHeight(50)
        term = QHBoxLayout()
        term.addWidget(self.term_start)
        term.addWidget(QLabel("to"))
        term.addWidget(self.term_end)
        term.addWidget(self.exclusive)
        term.addWidget(self.sublicensing)
        term.addStretch()
        # A term counted from an event, and options to extend it (term_fields.py)
        self.options = OptionsBox(grant.options)
        self.event_term = EventTermField(grant, self.media_choices, self.term_start, self.term_end,
                                         self.options.exercised, self._proposed_event_date)
        self.options.term = self.event_term
        form = QFormLayout()
        form.addRow("&Territories", self.territories)
        form.addRow("Media", media_row)
        form.addRow("&Languages", self.languages)
        form.addRow("Term (inclusive)", term)
        form.addRow("Term &counted from", self.event_term)
        form.addRow("&Notes", self.notes)

        self.holdbacks = QTableWidget(0, 5, objectName="holdbacks")
        self.holdbacks.setHorizontalHeaderLabels(
            ["No media (codes)", "In territories", "Until (fixed date)", "Or after release of", "+ days"])
        self.holdbacks.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.holdbacks.verticalHeader().hide()
        self._holdback_ids: list[int | None] = []
        for holdback in grant.holdbacks:
            self._add_holdback_row(holdback)
        add_holdback = QPushButton("Add holdback", objectName="add-holdback")
        add_holdback.clicked.connect(lambda: self._add_holdback_row(None))
        remove_holdback = QPushButton("Remove holdback")
        remove_holdback.clicked.connect(self._remove_holdback)
        held = QGroupBox("Holdbacks (what this grant forbids: e.g. no AVOD, FAST in SEA until 90 days after the APP release)")
        held_layout = QVBoxLayout(held)
        held_layout.addWidget(self.holdbacks)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add_holdback)
        buttons_row.addWidget(remove_holdback)
        buttons_row.addStretch()
        held_layout.addLayout(buttons_row)

        self.problems.setObjectName("grant-problems")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(what, 2)
        body_layout.addLayout(form)
        rules = QHBoxLayout()  # side by side: the dialog already fills a laptop's height
        rules.addWidget(held, 1)
        rules.addWidget(self.options, 1)
        body_layout.addLayout(rules, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addWidget(scrolling(body), 1)  # (taller than a 1280 × 720 screen: it scrolls there)
        layout.addWidget(self.buttons)
        self._search_titles("")

    # -- titles -----------------------------------------------------------------------------

    def _search_titles(self, text: str) -> None:
        with self.database.read() as session:
            ids = catalogue.find_title_ids(session, ListQuery(text=text, sort="original_name"))[:SEARCH_LIMIT]
            names = deals.title_names(session, ids)
        self.found.clear()
        for title_id in ids:
            entry = QListWidgetItem(names[title_id])
            entry.setData(Qt.ItemDataRole.UserRole, title_id)
            self.found.addItem(entry)

    def _choose_title(self, entry: QListWidgetItem) -> None:
        title_id = entry.data(Qt.ItemDataRole.UserRole)
        if title_id not in self._chosen_title_ids():
            self._add_title_row(title_id, entry.text(), None, None)

    def _chosen_title_ids(self) -> list[int]:
        return [self.titles.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(self.titles.rowCount())]

    def _add_title_row(self, title_id: int, name: str, first: int | None, last: int | None) -> None:
        row = self.titles.rowCount()
        self.titles.insertRow(row)
        label = QTableWidgetItem(name)
        label.setData(Qt.ItemDataRole.UserRole, title_id)
        label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.titles.setItem(row, 0, label)
        self.titles.setItem(row, 1, QTableWidgetItem("" if first is None else str(first)))
        self.titles.setItem(row, 2, QTableWidgetItem("" if last is None else str(last)))

    # -- holdbacks --------------------------------------------------------------------------

    def _add_holdback_row(self, holdback: HoldbackDraft | None) -> None:
        row = self.holdbacks.rowCount()
        self.holdbacks.insertRow(row)
        self._holdback_ids.append(holdback.id if holdback else None)
        values = ["AVOD, FAST", "", "", "APP", "90"] if holdback is None else [
            ", ".join(holdback.media), holdback.territories.describe(), str(holdback.ends_on or ""),
            holdback.after_release_of or "", "" if holdback.days_after_release is None else str(holdback.days_after_release)]
        for column, value in enumerate(values):
            self.holdbacks.setItem(row, column, QTableWidgetItem(value))

    def _remove_holdback(self) -> None:
        row = self.holdbacks.currentRow()
        if row >= 0:
            self.holdbacks.removeRow(row)
            del self._holdback_ids[row]

    # -- the draft --------------------------------------------------------------------------

    def grant(self) -> tuple[GrantDraft, list[Problem]]:
        """What the form holds as a grant, and what could not be read from it."""
        unreadable: list[Problem] = []

        def cell(table: QTableWidget, row: int, column: int) -> str:
            item = table.item(row, column)
            return item.text().strip() if item else ""

        def whole(text: str, where: str) -> int | None:
            if not text:
                return None
            if text.isdigit():
                return int(text)
            unreadable.append(Problem(where, f"'{text}' is not a whole number"))
            return None

        titles = [GrantTitleDraft(self.titles.item(row, 0).data(Qt.ItemDataRole.UserRole),
                                  whole(cell(self.titles, row, 1), "episodes"), whole(cell(self.titles, row, 2), "episodes"))
                  for row in range(self.titles.rowCount())]
        holdbacks = []
        known_media = media_codes(self.known.media)  # typed in any case, kept as the medium's code
        for row in range(self.holdbacks.rowCount()):
            where = f"holdback {row + 1}"
            until = cell(self.holdbacks, row, 2)
            try:
                ends_on = date.fromisoformat(until) if until else None
            except ValueError:
                unreadable.append(Problem(where, f"'{until}' is not a date (YYYY-MM-DD)"))
                ends_on = None
            anchor = known_media.as_stored(cell(self.holdbacks, row, 3)) or None
            # What the table does not show (a start date, a description) is kept as it was.
            kept = next((h for h in self.original.holdbacks if h.id is not None and h.id == self._holdback_ids[row]), None)
            holdbacks.append(HoldbackDraft(
                starts_on=kept.starts_on if kept else None, description=kept.description if kept else "",
                media=known_media.all_as_stored(cell(self.holdbacks, row, 0).replace(",", " ").split()),
                territories=TerritoryScope.parse(cell(self.holdbacks, row, 1), self.known.groups),
                ends_on=ends_on, after_release_of=anchor,
                days_after_release=whole(cell(self.holdbacks, row, 4), where) if anchor else None,
                id=self._holdback_ids[row]))
        draft = copy.copy(self.original)
        draft.titles = titles
        draft.libraries = [self.library_list.item(i).data(Qt.ItemDataRole.UserRole)
                           for i in range(self.library_list.count())
                           if self.library_list.item(i).checkState() == Qt.CheckState.Checked]
        draft.territories = self.territories.scope()
        draft.media = [code for code, box in self.media.items() if box.isChecked()]
        draft.languages = [t for t in self.languages.text().replace(",", " ").split() if t]
        draft.term_start, draft.term_end = date_of(self.term_start), date_of(self.term_end)
        draft.exclusive, draft.sublicensing_allowed = self.exclusive.isChecked(), self.sublicensing.isChecked()
        draft.notes = self.notes.toPlainText()
        draft.holdbacks = holdbacks
        (draft.term_anchor, draft.term_anchor_media, draft.term_start_offset, draft.term_duration,
         draft.term_anchor_on) = self.event_term.values()
        draft.options = self.options.options(unreadable)
        return draft, unreadable

    def _proposed_event_date(self) -> date | None:
        """The first release on the term's media of the titles as the form holds them."""
        draft, _ = self.grant()
        with self.database.read() as session:
            return deals.proposed_event_date(session, draft)

    def draft_checked(self, problems: list[Problem]) -> GrantDraft:
        draft, unreadable = self.grant()
        problems += unreadable + grant_problems(draft, self.known)
        return draft

    def is_dirty(self) -> bool:
        return self.grant()[0] != self.original

    def write(self, draft: GrantDraft) -> None:
        """Handed to the deal editor, which saves it with the deal."""
        self.result_grant = draft
        return None
