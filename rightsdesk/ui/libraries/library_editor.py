"""The library editor: its code, name, description and retirement; the titles in it, joining and
leaving on dated days (every stay, current and past); the deals granting it and what it earned.

Titles added or removed here change the draft; Save writes it all at once (one save path, with
the "someone saved first" comparison)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.errors import Problem
from rightsdesk.domain.libraries import LibraryDraft, join, leave, members_on
from rightsdesk.persistence.database import Database
from rightsdesk.services import libraries
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import current_user
from rightsdesk.ui.actions import run
from rightsdesk.ui.formatting import money
from rightsdesk.ui.forms import DraftEditor, add_history_button, date_edit, date_of, edits, screen_action
from rightsdesk.ui.libraries.stays import AddTitlesDialog, LastDayDialog, StayTableModel, title_names
from rightsdesk.domain.words import plural

COVER_NOTE = "A grant of this library covers a title from the day it joins to its last day in it."
DEAL_HEADERS = ("Deal", "Direction", "Status", "Grant from", "Grant to")
REVENUE_HEADERS = ("Period end", "Currency", "Gross")


def read_only_table(headers: tuple[str, ...], object_name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=object_name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: list[tuple[str, ...]], numeric: tuple[int, ...] = ()) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


class LibraryEditor(DraftEditor):
    noun = "library"

    def load_saved(self, session: UnitOfWork) -> object | None:
        return libraries.load_library(session, self.original.id) if self.original.id else None

    def __init__(self, database: Database, library_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.today = date.today()
        with database.read() as session:
            self.original = libraries.load_library(session, library_id) if library_id else LibraryDraft("", "")
            deals = libraries.granting_deals(session, library_id) if library_id else []
            revenue = libraries.library_revenue(session, library_id) if library_id else []
        self.original.stays = list(self.original.stays)
        self.setWindowTitle(f"Library: {self.original.code} {self.original.name}" if library_id else "New library")
        self.setObjectName("library-editor")
        self.resize(900, 680)
        add_history_button(self, self.buttons, database, "library", library_id, self.original.code)

        self.code = QLineEdit(self.original.code, objectName="code", placeholderText="e.g. VL-ROMANCE")
        self.code.setMaxLength(32)
        self.name = QLineEdit(self.original.name, objectName="name", placeholderText="e.g. Romance vertical library")
        self.description = QPlainTextEdit(self.original.description, objectName="description", maximumHeight=60)
        self.retired_on = date_edit(self.original.retired_on, "retired_on")
        self.retired_on.setMaximumWidth(160)
        if self.original.retired_on is None:  # (the calendar opens on this month, not on January 1900)
            self.retired_on.calendarWidget().setCurrentPage(self.today.year, self.today.month)
        self.retired_on.setToolTip("No longer offered from this day; leave it at — while the library is offered")
        form = QFormLayout()
        form.addRow("&Code", self.code)
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        form.addRow("&Retired on", self.retired_on)
        note = QLabel(COVER_NOTE, objectName="cover-note", wordWrap=True)
        note.setStyleSheet("font-style: italic;")

        self.tabs = QTabWidget(objectName="tabs")
        self.tabs.addTab(self._titles_tab(), "")
        self.deals = read_only_table(DEAL_HEADERS, "deals")
        fill_table(self.deals, [(d["reference"], d["direction"], d["status"].replace("_", " "),
                                 d["start"].isoformat() if d["start"] else "", d["end"].isoformat() if d["end"] else "")
                                for d in deals])
        self.tabs.addTab(self._tab(self.deals, "No deal grants this library yet.", not deals),
                         f"Deals granting it ({len({d['deal_id'] for d in deals})})")
        self.revenue = read_only_table(REVENUE_HEADERS, "revenue")
        fill_table(self.revenue, [(day.isoformat(), currency, money(gross, currency)) for day, currency, gross in revenue],
                   numeric=(2,))
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for _, currency, gross in revenue:
            totals[currency] += gross
        total_text = ("Total: " + ", ".join(money(v, c) for c, v in sorted(totals.items()))) if totals else \
            "No revenue reported for this library as a whole yet (platform lines that name the library)."
        self.revenue_total = QLabel(total_text, objectName="revenue-total")
        self.tabs.addTab(self._tab(self.revenue, "", False, self.revenue_total), "Revenue")

        self.save_action = screen_action(self, "&Save", QKeySequence.StandardKey.Save, self.save, changes_data=True)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self._show_stays(self.original.stays, title_names(database, {s.title_id for s in self.original.stays}))

    # -- the titles ---------------------------------------------------------------------------

    def _titles_tab(self) -> QWidget:
        self.stays = StayTableModel(self.today, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.stays)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.stay_filter = QLineEdit(objectName="stays-filter", clearButtonEnabled=True,
                                     placeholderText="Filter by internal ID, name, date or in / left…")
        self.stay_filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.stay_filter.textChanged.connect(lambda _: self._update_titles())
        self.stay_view = QTableView(objectName="stays")
        self.stay_view.setModel(self.proxy)
        self.stay_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.stay_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.stay_view.setAlternatingRowColors(True)
        self.stay_view.setWordWrap(False)
        self.stay_view.verticalHeader().hide()
        self.stay_view.verticalHeader().setDefaultSectionSize(self.stay_view.fontMetrics().height() + 8)
        self.stay_view.setSortingEnabled(True)
        self.stay_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.stay_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 320, 100, 100)):
            header.resizeSection(column, width)
        self.add_button = QPushButton("&Add titles…", objectName="add-titles")
        self.add_button.setToolTip("Titles from the catalogue join the library on a day (Ctrl+Shift+A)")
        self.add_button.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.add_button.clicked.connect(self.add_titles)
        self.remove_button = QPushButton("Remove &from library…", objectName="remove-titles", enabled=False)
        self.remove_button.setToolTip("The selected titles leave after a last day in (Del)")
        self.remove_button.clicked.connect(self.remove_titles)
        remove_key = screen_action(self.stay_view, "Remove from library", QKeySequence.StandardKey.Delete,
                                   self.remove_titles, changes_data=True)
        remove_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edits(self.add_button, self.remove_button)
        self.stay_view.selectionModel().selectionChanged.connect(
            lambda *_: self.remove_button.setEnabled(bool(self.selected_stays())))
        self.titles_summary = QLabel(objectName="titles-summary")
        self.titles_message = QLabel(objectName="titles-message", wordWrap=True)
        self.titles_message.hide()
        top = QHBoxLayout()
        top.addWidget(self.stay_filter, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(top)
        layout.addWidget(self.titles_message)
        layout.addWidget(self.stay_view, 1)
        layout.addWidget(self.titles_summary)
        return tab

    @staticmethod
    def _tab(table: QTableWidget, empty: str, is_empty: bool, below: QLabel | None = None) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        if is_empty and empty:
            layout.addWidget(QLabel(empty, wordWrap=True))
        layout.addWidget(table, 1)
        if below is not None:
            layout.addWidget(below)
        return tab

    def _show_stays(self, stays: list[Any], names: dict[int, Any]) -> None:
        self.stays.set_stays(stays, names)
        self._update_titles()

    def _update_titles(self) -> None:
        stays = self.stays.stays
        now = len(members_on(stays, self.today))
        self.tabs.setTabText(0, f"Titles ({now} in today)")
        if not stays:
            text = "No titles yet: add them from the catalogue with Add titles… (Ctrl+Shift+A)."
        else:
            shown = self.proxy.rowCount()
            text = (f"{plural(now, 'title')} in the library today · {plural(len(stays), 'stay')}, current and past"
                    + (f" · {shown} shown" if shown != len(stays) else ""))
        self.titles_summary.setText(text)

    def selected_stays(self) -> list[Any]:
        rows = {self.proxy.mapToSource(index).row() for index in self.stay_view.selectionModel().selectedRows()}
        return [stay for stay in (self.stays.stay_at(r) for r in sorted(rows)) if stay is not None]

    def _say(self, text: str) -> None:
        self.titles_message.setText(text)
        self.titles_message.setVisible(bool(text))

    def add_titles(self) -> None:
        dialog = AddTitlesDialog(self.database, self.code.text().strip().upper(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.add(*dialog.chosen())

    def add(self, title_ids: list[int], names: dict[int, Any], joined_on: date) -> None:
        """Titles join the draft on a day (saved with the library); those in it then are left."""
        before = len(self.stays.stays)
        stays, already = join(self.stays.stays, title_ids, joined_on)
        self._show_stays(stays, names)
        added = len(stays) - before
        skipped = ", ".join(self._shown(t) for t in already)
        self._say(f"{plural(added, 'title')} join on {joined_on.isoformat()} (not saved yet)."
                  + (f" Already in on that day, left as they were: {skipped}." if skipped else ""))

    def remove_titles(self) -> None:
        chosen = self.selected_stays()
        if not chosen:
            return
        title_ids = list(dict.fromkeys(s.title_id for s in chosen))
        dialog = LastDayDialog(len(title_ids), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.remove(title_ids, dialog.day())

    def remove(self, title_ids: list[int], last_day: date) -> None:
        """Titles leave the draft after their last day in (saved with the library)."""
        stays, missed = leave(self.stays.stays, title_ids, last_day)
        self._show_stays(stays, {})
        left = len(set(title_ids) - set(missed))
        skipped = ", ".join(self._shown(t) for t in missed)
        self._say(f"{plural(left, 'title')} leave after {last_day.isoformat()} (not saved yet)."
                  + (f" Not in the library on that day, left as they were: {skipped}." if skipped else ""))

    def _shown(self, title_id: int) -> str:
        name = self.stays.names.get(title_id)
        return name.internal_id if name else f"#{title_id}"

    # -- the draft ----------------------------------------------------------------------------

    def draft_checked(self, problems: list[Problem]) -> LibraryDraft:
        return dataclasses.replace(self.original, code=self.code.text().strip(), name=self.name.text().strip(),
                                   description=self.description.toPlainText().strip(),
                                   retired_on=date_of(self.retired_on), stays=list(self.stays.stays))

    def write(self, draft: object) -> int:
        assert isinstance(draft, LibraryDraft)
        return run(self.database, libraries.save_library, dataclasses.replace(draft, stays=list(draft.stays)),
                   user=current_user())
