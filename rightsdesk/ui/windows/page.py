"""Windows: a title's or a territory's release windows on a timeline and in a table, flagged where
the rights do not allow them; planning from templates and editing windows (their dialogs are in
windows/editors.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.avails import term_text
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.words import plural
from rightsdesk.persistence.database import Database
from rightsdesk.services import catalogue, windows
from rightsdesk.services.audit import current_user
from rightsdesk.services.windows import WindowView
from rightsdesk.ui import settings
from rightsdesk.ui.actions import follow, run
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import confirm, edits
from rightsdesk.ui.windows.editors import PlanDialog, TemplateDialog, WindowDialog, flag_brush
from rightsdesk.ui.windows.timeline import Timeline

__all__ = ["PlanDialog", "TemplateDialog", "WindowDialog", "WindowsPage"]

HEADERS = ("Title", "Territory", "Media", "Status", "Planned", "Actual", "Exclusive", "Deal", "Problems")


class WindowsPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.views: list[WindowView] = []
        self.shown: tuple[str, int | str] | None = None  # by "title" (its ID) or "territory" (its code)
        self.mode = QComboBox(objectName="windows-mode")
        self.mode.addItem("By title", "title")
        self.mode.addItem("By territory", "territory")
        self.subject = QLineEdit(objectName="windows-subject", placeholderText="Title ID or name (or a country code)")
        self.subject.returnPressed.connect(self.show_subject)
        show = QPushButton("Show", objectName="windows-show")
        show.clicked.connect(self.show_subject)
        self.templates_button = QPushButton("Templates…", objectName="windows-templates")
        self.templates_button.clicked.connect(lambda: TemplateDialog(self.database, self).exec())
        self.plan_button = QPushButton("Plan from template…", objectName="windows-plan")
        self.plan_button.clicked.connect(self.plan_from_template)
        self.edit_button = QPushButton("Edit window…", objectName="windows-edit")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete window", objectName="windows-delete")
        edits(self.plan_button, self.delete_button)
        self.delete_button.clicked.connect(self.delete_selected)
        self.summary = QLabel(objectName="windows-summary")
        bar = QHBoxLayout()
        for widget in (self.mode, self.subject, show, self.templates_button, self.plan_button, self.edit_button,
                       self.delete_button):
            bar.addWidget(widget)
        bar.addWidget(self.summary, 1)

        self.timeline = Timeline()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        self.table = QTableWidget(0, len(HEADERS), objectName="windows-table")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._update_actions)
        self._update_actions()
        timeline_panel = QWidget()  # the legend stays in view under the timeline, however far it scrolls
        timeline_layout = QVBoxLayout(timeline_panel)
        timeline_layout.setContentsMargins(0, 0, 0, 0)
        timeline_layout.setSpacing(2)
        timeline_layout.addWidget(scroll, 1)
        timeline_layout.addWidget(self.timeline.legend_bar)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(timeline_panel)
        self.splitter.addWidget(self.table)
        state = settings.view_state("windows-splitter").get()
        if not state.isEmpty():
            self.splitter.restoreState(state)
        else:  # the timeline as tall as the table: a title's dozen windows in view at 1280 × 720
            self.splitter.setSizes([320, 320])
        self.splitter.splitterMoved.connect(lambda *_: settings.view_state("windows-splitter").set(self.splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.timeline.show_windows([], by="title")
        # windows shown with their titles' names and flags from the rights, music and localization
        follow(self, {"release_window", "title", "deal", "grant", "holdback", "music_licence", "cue",
                      "localization_task"}, self.refresh)

    def _update_actions(self) -> None:
        """Edit and Delete act on the window selected: with none, they are off."""
        chosen = bool(self.table.selectionModel().selectedRows())
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def refresh(self) -> None:
        """The windows shown, as saved now: of the same title (even renamed) or territory;
        nothing is read while nothing is shown."""
        if self.shown is None:
            return
        by, subject = self.shown
        try:
            self.views = self._read(by, subject)
        except UserError:  # the title was deleted meanwhile
            self.views = []
        self._show_views()

    # -- showing ------------------------------------------------------------------------------

    def show_subject(self) -> None:
        """The windows of the title or territory typed."""
        text = self.subject.text().strip()
        if not text:
            return
        by = self.mode.currentData()
        try:
            with self.database.read() as session:
                subject: int | str = text if by == "territory" else windows.title_named(session, text)
            self.views = self._read(by, subject)
        except UserError as error:
            show_user_error(self, error, "Windows")
            return
        self.shown = (by, subject)
        self._show_views()

    def _read(self, by: str, subject: int | str) -> list[WindowView]:
        with self.database.read() as session:
            if by == "territory":
                return windows.window_views(session, territory=str(subject))
            return windows.window_views(session, title_id=int(subject))

    def _show_views(self) -> None:
        self.timeline.show_windows(self.views, by=self.shown[0] if self.shown else "title")
        self.table.setRowCount(len(self.views))
        for row, view in enumerate(self.views):
            window = view.window
            actual = (term_text(window.actual_start, window.actual_end) if window.actual_end
                      else f"since {window.actual_start}" if window.actual_start else "")
            values = (view.title_name, window.territory, window.media, window.status.value.title(),
                      term_text(window.planned_start, window.planned_end), actual, "yes" if window.exclusive else "",
                      view.deal_reference, "; ".join(f.describe() for f in view.flags))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if view.flags:
                    item.setForeground(flag_brush(self))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        flagged = sum(1 for v in self.views if v.flags)
        self.summary.setText(f"  {plural(len(self.views), 'window')}, {flagged} flagged" if self.views
                             else "  No windows")

    def open_window(self, window_id: int) -> None:
        """Show a window among its title's and open it (from the home screen)."""
        with self.database.read() as session:
            title_id = windows.load_window(session, window_id).title_id
            internal_id = catalogue.load_title(session, title_id).internal_id
        self.mode.setCurrentIndex(self.mode.findData("title"))
        self.subject.setText(internal_id)
        self.show_subject()
        row = next((n for n, v in enumerate(self.views) if v.window.id == window_id), None)
        if row is not None:
            self.table.selectRow(row)
            self.edit_selected()

    def selected(self) -> WindowView | None:
        row = self.table.currentRow()
        return self.views[row] if 0 <= row < len(self.views) else None

    # -- changing -----------------------------------------------------------------------------

    def plan_from_template(self) -> None:
        dialog = PlanDialog(self.database, self.subject.text() if self.mode.currentData() == "title" else "", self)
        if dialog.exec():
            self.mode.setCurrentIndex(0)
            self.subject.setText(dialog.title_text.text())
            self.show_subject()

    def edit_selected(self) -> None:
        view = self.selected()
        if view is None:
            return
        try:
            dialog = WindowDialog(self.database, view, self)
        except UserError as error:  # deleted meanwhile
            show_user_error(self, error, "Windows")
            self.refresh()
            return
        dialog.exec()  # (what it saves is announced: the page follows windows)

    def delete_selected(self) -> None:
        view = self.selected()
        if view is None:
            return
        window = view.window
        if not confirm(self, "Delete window", f"Delete the {window.media} window of {view.title_name} in {window.territory}? "
            "This cannot be undone.") or window.id is None:
            return
        try:
            run(self.database, windows.delete_window, window.id, user=current_user())
        except UserError as error:
            show_user_error(self, error, "Cannot delete the window")
            self.refresh()
