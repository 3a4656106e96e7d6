"""The catalogue: every title, filterable and sortable, with the selected title's episodes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.words import plural, runtime
from rightsdesk.persistence.database import Database
from rightsdesk.services import catalogue
from rightsdesk.services.audit import current_user
from rightsdesk.services.catalogue import TitleRow
from rightsdesk.ui import settings
from rightsdesk.ui.catalogue.episodes import EpisodeTableModel, fit_columns
from rightsdesk.ui.catalogue.title_editor import TitleEditor
from rightsdesk.ui.actions import follow, run
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.formatting import number
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel
from rightsdesk.ui.forms import edits

TITLE_COLUMNS: list[Column[TitleRow]] = [
    Column("internal_id", "ID", lambda r: r.internal_id),
    Column("original_name", "Original name", lambda r: r.original_name, tooltip=lambda r: r.original_name),
    Column("english_name", "English name", lambda r: r.english_name, tooltip=lambda r: r.english_name),
    Column("original_language", "Language", lambda r: r.original_language),
    Column("country_of_origin", "Country", lambda r: r.country_of_origin),
    Column("genre", "Genre", lambda r: r.genre),
    Column("production_year", "Year", lambda r: r.production_year, numeric=True),
    Column("producer", "Producer", lambda r: r.producer),
    Column("episode_count", "Episodes", lambda r: number(r.episode_count), numeric=True),
    Column("runtime", "Runtime", lambda r: runtime(r.runtime_seconds), numeric=True),
]


class TitleTableModel(ServiceTableModel[TitleRow]):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(database, TITLE_COLUMNS, catalogue.find_title_ids, catalogue.title_rows, parent=parent)


class CataloguePage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.titles = RecordList(
            "titles",
            TitleTableModel(database, self),
            noun="titles",
            one="title",
            empty_hint="No titles yet.\nAdd one with New title (Ctrl+N), or load the demo "
            "catalogue from the File menu.",
        )
        self.titles.activated.connect(self.edit_title)
        self.titles.current_changed.connect(self._show_episodes)

        self.episodes = EpisodeTableModel(parent=self)
        self.episode_heading = QLabel("Select a title to see its episodes.")
        self.episode_heading.setWordWrap(True)
        self.episode_view = QTableView(objectName="title-episodes")
        self.episode_view.setModel(self.episodes)
        self.episode_view.verticalHeader().hide()
        self.episode_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        fit_columns(self.episode_view)
        episodes_panel = QWidget()
        episodes_layout = QVBoxLayout(episodes_panel)
        episodes_layout.setContentsMargins(0, 0, 0, 0)
        episodes_layout.addWidget(self.episode_heading)
        episodes_layout.addWidget(self.episode_view, 1)

        self.new_action = QAction("&New title", self, shortcut=QKeySequence.StandardKey.New,
                                  statusTip="Add a series to the catalogue")
        self.new_action.triggered.connect(self.new_title)
        self.edit_action = QAction("&Edit title", self, shortcut=QKeySequence("Ctrl+E"), enabled=False)
        self.edit_action.triggered.connect(lambda: self._with_current(self.edit_title))
        self.delete_action = QAction("&Delete title…", self, shortcut=QKeySequence.StandardKey.Delete, enabled=False)
        self.delete_action.triggered.connect(lambda: self._with_current(self.delete_title))
        for action in (self.new_action, self.edit_action, self.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        edits(self.new_action, self.delete_action)
        toolbar = QToolBar()
        toolbar.addActions([self.new_action, self.edit_action, self.delete_action])

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="catalogue-splitter")
        self.splitter.addWidget(self.titles)
        self.splitter.addWidget(episodes_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        state = settings.view_state("catalogue-splitter").get()
        if not state.isEmpty():
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: settings.view_state("catalogue-splitter").set(self.splitter.saveState())
        )
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.splitter, 1)
        # the list shows titles with their episodes and producer, saved here or anywhere else
        follow(self, {"title", "episode", "title_localized_name", "party"}, self.refresh)

    def refresh(self) -> None:
        """The titles and the selected title's episodes as saved now."""
        self.titles.reload()
        self._show_episodes(self.titles.current_id())

    def _with_current(self, action) -> None:  # type: ignore[no-untyped-def]
        title_id = self.titles.current_id()
        if title_id is not None:
            action(title_id)

    def _show_episodes(self, title_id: int | None) -> None:
        self.edit_action.setEnabled(title_id is not None)
        self.delete_action.setEnabled(title_id is not None)
        if title_id is None:
            self.episodes.set_episodes([])
            self.episode_heading.setText("Select a title to see its episodes.")
            return
        try:
            with self.database.read() as session:
                draft = catalogue.load_title(session, title_id)
        except NotFound:
            self.titles.reload()
            return
        self.episodes.set_episodes(draft.episodes)
        total = sum(e.runtime_seconds for e in draft.episodes)
        self.episode_heading.setText(
            f"<b>{_escape(draft.original_name)}</b><br>{plural(len(draft.episodes), 'episode')}, {runtime(total)}"
        )

    def new_title(self) -> None:
        self._run_editor(None)

    def edit_title(self, title_id: int) -> None:
        self._run_editor(title_id)

    def _run_editor(self, title_id: int | None) -> None:
        saved_id = self.titles.run_editor(lambda: TitleEditor(self.database, title_id, self))
        if saved_id is not None:  # (the list was refreshed when the save was announced)
            self._show_episodes(saved_id)

    def delete_title(self, title_id: int) -> None:
        with self.database.read() as session:
            draft = catalogue.load_title(session, title_id)
        answer = QMessageBox.warning(
            self, "Delete title",
            f"Delete “{draft.original_name}” and its {plural(len(draft.episodes), 'episode')}?\n"
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            run(self.database, catalogue.delete_title, title_id, user=current_user())
        except UserError as error:
            show_user_error(self, error, "Cannot delete the title")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
