"""Revenue: import platform reports (wizard.py), resolve what did not match (unmatched.py),
roll back a batch, keep exchange rates (rates.py), and see what is on no statement (unstated.py).

Every action goes through ui.actions, and the screen follows the records it shows. Its lists are
read off the UI thread; likely titles for unmatched identifiers are found off it for the rows
in view, over a title index built once (SuggestionFinder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.words import plural
from rightsdesk.persistence.database import Database
from rightsdesk.services import fx, revenue, revenue_screen
from rightsdesk.services.audit import current_user
from rightsdesk.ui.actions import act, act_in_background, follow
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import confirm, edits
from rightsdesk.ui.operations import LatestReading, Operation
from rightsdesk.ui.revenue.rates import RatesModel
from rightsdesk.ui.revenue.unmatched import CHOOSER, SuggestionFinder, UnmatchedModel
from rightsdesk.ui.revenue.unstated import UnstatedView
from rightsdesk.ui.revenue.wizard import ImportWizard

__all__ = ["ImportWizard", "RevenuePage"]  # (the wizard is opened from here, and named from here)

READING = "Reading the unmatched lines…"
CHOOSERS_A_TURN = 2
ALL_MATCHED = "Every imported line is matched to a title or library."


class RevenuePage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.parked: list[revenue.Unmatched] = []
        self.reading_lists = LatestReading(self, self._read)
        self._batches_shown: list[revenue_screen.Batch] | None = None
        self._refresh_soon = QTimer(self, singleShot=True, interval=0)
        self._refresh_soon.timeout.connect(self._read)
        self.operation: Operation | None = None  # an assignment, its undo or a rollback under way
        self.suggestions = SuggestionFinder(database, self)
        self.suggestions.found.connect(self._show_suggestions)
        self._in_view_timer = QTimer(self, singleShot=True, interval=120)
        self._in_view_timer.timeout.connect(self._suggest_in_view)
        self._rows_to_choose: list[int] = []  # rows in view still without a chooser
        self._chooser_timer = QTimer(self, interval=0)
        self._chooser_timer.timeout.connect(self._add_choosers)
        self.import_button = QPushButton("Import report…  (Ctrl+I)", objectName="revenue-import")
        self.import_button.setShortcut("Ctrl+I")
        self.import_button.clicked.connect(self.import_report)
        edits(self.import_button)
        new_source = QPushButton("New source…", objectName="revenue-new-source")
        new_source.clicked.connect(self.new_source)
        self.rollback_button = QPushButton("Roll back batch…", objectName="revenue-rollback")
        self.rollback_button.clicked.connect(self.rollback_selected)
        top = QHBoxLayout()
        for button in (self.import_button, new_source, self.rollback_button):
            top.addWidget(button)
        top.addStretch()

        self.batches = QTableWidget(0, 7, objectName="revenue-batches")
        self.batches.setHorizontalHeaderLabels(["Batch", "Source", "File", "Imported", "By", "Lines", "Status"])
        self.unmatched_model = UnmatchedModel(self)
        self.unmatched = QTableView(objectName="revenue-unmatched")
        self.unmatched.setModel(self.unmatched_model)
        self.unmatched.horizontalHeader().setResizeContentsPrecision(0)  # sized by the rows in view
        self._size_unmatched = False  # to size its columns once the rows read last are in view
        self.unmatched.verticalScrollBar().valueChanged.connect(lambda _: self._in_view_timer.start())
        # Undo of the last assignment, right after it (Ctrl+Z anywhere on the screen, or the button)
        self.last_assignment: revenue.Assignment | None = None
        self.undo_action = QAction("Undo assignment", self, shortcut=QKeySequence.StandardKey.Undo, enabled=False,
                                   shortcutContext=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo_assignment)
        self.addAction(self.undo_action)
        self.assigned_label = QLabel(objectName="revenue-assigned", wordWrap=True)
        self.undo_button = QPushButton("Undo  (Ctrl+Z)", objectName="revenue-undo")
        self.undo_button.clicked.connect(self.undo_assignment)
        edits(self.undo_action, self.undo_button)
        for table in (self.batches, self.unmatched):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().hide()
            table.horizontalHeader().setStretchLastSection(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.unmatched_empty = QLabel(READING, alignment=Qt.AlignmentFlag.AlignCenter)
        self.unmatched.hide()
        unmatched_tab = QWidget()
        unmatched_layout = QVBoxLayout(unmatched_tab)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.assigned_label, 1)
        undo_row.addWidget(self.undo_button)
        unmatched_layout.addLayout(undo_row)
        self._show_last_assignment("")
        unmatched_layout.addWidget(self.unmatched)
        unmatched_layout.addWidget(self.unmatched_empty)
        self.rates_model = RatesModel(self)
        self.rates = QTableView(objectName="revenue-rates")
        self.rates.setModel(self.rates_model)
        self.rates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rates.verticalHeader().hide()
        self.rates.horizontalHeader().setStretchLastSection(True)
        import_rates = QPushButton("Import rates (CSV)…", objectName="rates-import")
        import_rates.clicked.connect(self.import_rates)
        add_rate = QPushButton("Add rate…", objectName="rates-add")
        add_rate.clicked.connect(self.add_rate)
        rate_buttons = QHBoxLayout()
        edits(new_source, self.rollback_button, import_rates, add_rate)
        rate_buttons.addWidget(import_rates)
        rate_buttons.addWidget(add_rate)
        rate_buttons.addStretch()
        self.rates_tab = rates_tab = QWidget()
        rates_layout = QVBoxLayout(rates_tab)
        rates_layout.addLayout(rate_buttons)
        rates_layout.addWidget(self.rates)
        self.unstated = UnstatedView(database)
        self.unstated.loaded.connect(self._count_unstated)
        self.unstated.unmatched_requested.connect(lambda: self.tabs.setCurrentIndex(1))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.batches, "Imported batches")
        self.tabs.addTab(unmatched_tab, "Unmatched")
        self.tabs.addTab(self.unstated, "Not on a statement")
        self.tabs.addTab(rates_tab, "Exchange rates")
        self.tabs.currentChanged.connect(lambda _: self._in_view_timer.start())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        # What the screen lists, kept current whoever changes it (an import from the command
        # line's twin in another screen, a title renamed in Catalogue: its likely titles).
        follow(self, {"import_batch", "revenue_line", "revenue_source", "title_alias", "exchange_rate",
                      "column_mapping", "title", "title_localized_name"}, self.refresh)
        # (the tab's count is the screen's, whichever tab is in front)
        follow(self, UnstatedView.FOLLOWS, self._refresh_unstated)
        self.refresh()


    def _refresh_unstated(self) -> None:
        self.unstated.refresh(now=True)
    def refresh(self) -> None:
        """Read the lists again, off the UI thread (at a million lines the unmatched groups take
        seconds). Calls in one turn of the event loop make one read (an action's own refresh and
        what it announced); a call during a read makes one more after it."""
        self._refresh_soon.start()

    def reading(self) -> bool:
        """Whether the lists are being read again (or about to be), until they are shown."""
        return self._refresh_soon.isActive() or self.reading_lists.busy()

    def _read(self) -> None:
        if self.reading_lists.later():
            return
        database = self.database

        def read() -> revenue_screen.Overview:
            with database.read() as work:
                return revenue_screen.overview(work)

        self.reading_lists.start(read, self._show)

    def _show(self, shown: revenue_screen.Overview) -> None:
        self._show_batches(shown.batches)
        self._show_unmatched(shown.unmatched, shown.source_names)
        self._show_rates(shown.rates)

    def _show_batches(self, batches: list[revenue_screen.Batch]) -> None:
        if batches == self._batches_shown:
            return  # (read again after an assignment: the same, and the selection stays)
        self._batches_shown = batches
        self.batches.setRowCount(len(batches))
        for row, batch in enumerate(batches):
            values = (batch.id, batch.source, batch.file_name, f"{batch.imported_at:%Y-%m-%d %H:%M}", batch.imported_by,
                      f"{batch.lines:,}", batch.status.value.replace("_", " "))
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setData(Qt.ItemDataRole.UserRole, batch.id)
                self.batches.setItem(row, column, item)
        self.batches.resizeColumnsToContents()  # a batch a file: few rows, each column as wide as it reads

    def _show_unmatched(self, parked: list[revenue.Unmatched], names: dict[int, str]) -> None:
        self.parked = parked
        self.unmatched_model.set_groups(parked, names)  # (its choosers go with the rows they were in)
        self._size_unmatched = bool(parked)
        self._suggest_in_view(recheck=True)
        self.unmatched.setVisible(bool(parked))
        self.unmatched_empty.setText(ALL_MATCHED)
        self.unmatched_empty.setVisible(not parked)
        self.tabs.setTabText(1, f"Unmatched ({len(parked)})" if parked else "Unmatched")

    def _show_rates(self, rates: list[revenue_screen.Rate]) -> None:
        self.rates_model.set_rates(rates)

    def _rows_in_view(self) -> range:
        table, count = self.unmatched, self.unmatched_model.rowCount()
        if not count:
            return range(0)
        first = max(0, table.rowAt(0))
        last = table.rowAt(table.viewport().height() - 1)
        return range(first, (count - 1 if last < 0 else last) + 1)

    def _suggest_in_view(self, *, recheck: bool = False) -> None:
        """A chooser for each unmatched row in view, and its likely titles found in the
        background (only while the Unmatched tab is in front)."""
        if not self.isVisible() or self.tabs.currentIndex() != 1:
            return
        if self._size_unmatched:  # the identifiers in view as the platform wrote them, all of them
            self._size_unmatched = False
            for column in range(CHOOSER):
                self.unmatched.resizeColumnToContents(column)
        rows = self._rows_in_view()
        self._rows_to_choose = [row for row in rows if self.chooser(row) is None]
        if self._rows_to_choose:
            self._chooser_timer.start()
        self.suggestions.ask([self.parked[row].identifier for row in rows], recheck=recheck)

    def _add_choosers(self) -> None:
        """A few choosers a turn of the event loop: each costs milliseconds to make and style,
        and a screenful made at once stalled the window."""
        count = len(self.parked)
        for row in self._rows_to_choose[:CHOOSERS_A_TURN]:
            if row < count and self.chooser(row) is None:
                self._add_chooser(row)
        del self._rows_to_choose[:CHOOSERS_A_TURN]
        if not self._rows_to_choose:
            self._chooser_timer.stop()

    def chooser(self, row: int) -> QComboBox | None:
        """The chooser of a title on an unmatched row (made once the row has been in view)."""
        found = self.unmatched.indexWidget(self.unmatched_model.index(row, CHOOSER))
        return found if isinstance(found, QComboBox) else None

    def _add_chooser(self, row: int) -> None:
        chooser = QComboBox(objectName=f"assign-{row}")
        chooser.activated.connect(lambda _, r=row, c=chooser: self.assign(r, c.currentData()))
        self.unmatched.setIndexWidget(self.unmatched_model.index(row, CHOOSER), chooser)
        self._fill_chooser(chooser, self.suggestions.known.get(self.parked[row].identifier))

    @staticmethod
    def _fill_chooser(chooser: QComboBox, suggestions: list[revenue.Suggestion] | None) -> None:
        chooser.clear()
        chooser.addItem("choose a title…", None)
        if suggestions is None:
            chooser.addItem("finding likely titles…", None)
        for title_id, internal_id, name in suggestions or []:
            chooser.addItem(f"{internal_id}  {name}", title_id)
        chooser.addItem("another title (by ID)…", "other")

    def _show_suggestions(self, found: dict[str, list[revenue.Suggestion]]) -> None:
        for row in self._rows_in_view():
            chooser = self.chooser(row)
            if chooser is not None and row < len(self.parked) and self.parked[row].identifier in found:
                self._fill_chooser(chooser, found[self.parked[row].identifier])

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._in_view_timer.start()
        if self.unstated.stale:  # never checked yet
            self.unstated.load()

    def show_unstated(self) -> None:
        """Bring the Not on a statement tab to the front, checked again (a check under way
        is already a fresh one: it started after the last change it was told of)."""
        self.tabs.setCurrentWidget(self.unstated)
        if not self.unstated.running():
            self.unstated.refresh(now=True)

    def stop(self) -> None:
        """Wait for the work under way in the background; the screen is about to go."""
        self._refresh_soon.stop()
        self.reading_lists.stop()
        if self.operation is not None:
            self.operation.worker.wait()
        self.unstated.stop()
        self.suggestions.stop()

    def closeEvent(self, event: Any) -> None:
        self.stop()
        super().closeEvent(event)

    def _count_unstated(self, count: int) -> None:
        index = self.tabs.indexOf(self.unstated)
        self.tabs.setTabText(index, f"Not on a statement ({count})" if count else "Not on a statement")

    # -- actions ----------------------------------------------------------------------------------
    # Each is a use case run through ui.actions, which announces what it wrote: this screen (and
    # any other following those records) reads its lists again from that.

    def import_rates(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Exchange rates", str(Path.home()), "CSV (*.csv *.txt)")
        if not path:
            return
        try:
            content = Path(path).read_bytes()
        except OSError as error:
            show_user_error(self, error, "Cannot read the file")
            return
        count = act(self, "Exchange rates", self.database, fx.import_rates, content, source=Path(path).name)
        if count is None:
            return
        self.refresh()
        self.tabs.setCurrentWidget(self.rates_tab)
        QMessageBox.information(self, "Exchange rates", f"Imported {plural(count, 'rate')}.")

    def add_rate(self) -> None:
        text, ok = QInputDialog.getText(self, "Add an exchange rate",
                                        "Date, base, quote and rate, e.g. 2026-09-30 THB USD 0.0275:")
        if ok and text.strip():
            act(self, "Exchange rates", self.database, revenue_screen.add_rate, text)
            self.refresh()

    def import_report(self) -> None:
        wizard = ImportWizard(self.database, parent=self)
        wizard.exec()
        if wizard.report is not None:
            self._forget_last_assignment()
            self.refresh()

    def new_source(self) -> None:
        name, ok = QInputDialog.getText(self, "New revenue source", "Platform or channel name:")
        if ok and name.strip():
            act(self, "New revenue source", self.database, revenue.save_source, name)

    def acting(self) -> bool:
        """Whether an assignment, its undo or a rollback is under way (one at a time)."""
        return self.operation is not None

    def _in_background(self, title: str, use_case: Any, *args: Any, on_done: Any, **kwargs: Any) -> None:
        self.operation = act_in_background(self, title, self.database, use_case, *args, on_done=on_done, **kwargs)
        self.operation.finished.connect(self._acted)

    def _acted(self) -> None:
        self.operation = None
        self.refresh()  # (refused too: what the refusal was about may have changed meanwhile)

    def assign(self, row: int, choice: Any) -> None:
        """Assign the unmatched row's identifier to the title chosen (its id), or to one typed
        by ID ("other"); in the background (over a million lines, seconds)."""
        if choice is None or not 0 <= row < len(self.parked) or self.acting():
            return
        item = self.parked[row]
        if choice == "other":
            text, ok = QInputDialog.getText(self, "Assign to a title", f"Title ID for “{item.identifier}” (e.g. T000123):")
            if not ok or not text.strip():
                return
            choice = text

        def assigned(done: revenue.Assignment) -> None:
            self.last_assignment = done
            self._show_last_assignment(f"{plural(done.lines, 'line')} reported as “{item.identifier}” "
                                       f"assigned to {done.title}.")

        self._in_background("Assign to a title", revenue_screen.assign, item.source_id, item.identifier, choice,
                            user=current_user(), on_done=assigned)

    def undo_assignment(self) -> None:
        """Take the last assignment back (its lines unmatched again, its alias forgotten)."""
        done = self.last_assignment
        if done is None or self.acting():
            return
        self.last_assignment = None  # (once: refused or done, there is nothing left to undo)
        shown = self.assigned_label.text()
        self._show_last_assignment(shown, undoable=False)

        def undone(count: int) -> None:
            self._show_last_assignment(f"Assignment undone: {plural(count, 'line')} reported as “{done.identifier}” "
                                       f"{'is' if count == 1 else 'are'} unmatched again.", undoable=False)

        self._in_background("Undo the assignment", revenue_screen.undo_assignment, done,
                            user=current_user(), on_done=undone)

    def _forget_last_assignment(self) -> None:
        """Undo is for right after assigning: an import or a rollback since ends it."""
        self.last_assignment = None
        self._show_last_assignment("")

    def _show_last_assignment(self, text: str, *, undoable: bool = True) -> None:
        can_undo = undoable and self.last_assignment is not None
        self.assigned_label.setText(text)
        self.assigned_label.setVisible(bool(text))
        self.undo_button.setVisible(can_undo)
        self.undo_action.setEnabled(can_undo)

    def rollback_selected(self) -> None:
        row = self.batches.currentRow()
        if row < 0 or self.acting():
            return
        batch_id = self.batches.item(row, 0).data(Qt.ItemDataRole.UserRole)
        if not confirm(self, "Roll back batch", f"Remove every line of batch {batch_id}? Draft statements "
                                      "built on it are deleted too. This cannot be undone."):
            return
        self._forget_last_assignment()
        self._in_background("Roll back batch", revenue_screen.rollback_batch, batch_id, user=current_user(),
                            on_done=lambda _: None)
