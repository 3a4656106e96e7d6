"""Music: each episode's cue sheet, and the tracks with the licences that clear them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import LicenceStatus
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.music import LicenceDraft, standing
from rightsdesk.persistence.database import Database
from rightsdesk.services import catalogue, cue_sheets, music
from rightsdesk.services.audit import current_user
from rightsdesk.services.music import TrackRow
from rightsdesk.ui import settings
from rightsdesk.ui.actions import follow, run
from rightsdesk.ui.catalogue.page import TitleTableModel
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.formatting import money, number
from rightsdesk.ui.forms import screen_action
from rightsdesk.ui.music.cue_sheet_editor import CueSheetEditor
from rightsdesk.ui.music.editors import STATUS_NAMES, BookExpenseDialog, LicenceEditor, TrackEditor
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel
from rightsdesk.domain.words import plural, runtime

# The colours the licensing reports use for the same states.
STATUS_COLOURS = {LicenceStatus.CLEARED: "#C8E6C9", LicenceStatus.REQUESTED: "#FFE0B2", LicenceStatus.QUOTED: "#FFE0B2",
                  LicenceStatus.DENIED: "#F8B4B4", LicenceStatus.EXPIRED: "#F8B4B4", LicenceStatus.NOT_REQUESTED: "#F8B4B4"}

TRACK_COLUMNS: list[Column[TrackRow]] = [
    Column("title", "Track", lambda r: r.title, tooltip=lambda r: r.title),
    Column("isrc", "ISRC", lambda r: r.isrc),
    Column("writers", "Writers", lambda r: r.writers, tooltip=lambda r: r.writers),
    Column("publishers", "Publishers", lambda r: r.publishers, tooltip=lambda r: r.publishers),
    Column("titles", "Series", lambda r: number(r.titles), numeric=True),
    Column("cues", "Cues", lambda r: number(r.cues), numeric=True),
    Column("clearance", "Best licence", lambda r: r.clearance),
]
# The records Music shows, which it reads again when an action anywhere writes one of them.
SHOWN_KINDS = frozenset({"title", "episode", "music_track", "track_credit", "cue", "music_licence",
                         "music_licence_territory", "music_licence_media"})
LICENCE_HEADERS = ("Status", "Rights", "Territories", "Media", "Term", "Fee", "Requested", "Answered", "Document")


def reload_quietly(records: RecordList) -> None:
    """Read a list again keeping its chosen record, without saying the choice went and came
    back (which would load the record's details twice, or ask about unsaved edits)."""
    records.blockSignals(True)
    try:
        records.reload()
    finally:
        records.blockSignals(False)


class MusicPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.tabs = QTabWidget(objectName="music-tabs")
        self.cue_sheets = CueSheetsTab(database)
        self.tracks = TracksTab(database)
        self.tabs.addTab(self.cue_sheets, "&Cue sheets")
        self.tabs.addTab(self.tracks, "&Tracks and licences")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        # What the page shows of records written anywhere (a title saved in Catalogue with one
        # more episode, a cue sheet saved here and its track's count of cues): read again.
        follow(self, SHOWN_KINDS, self.refresh)

    def refresh(self) -> None:
        """Show again what was written since: titles and their episodes, the tracks and the
        chosen track's licences; a cue sheet being edited is left as it is."""
        self.cue_sheets.refresh()
        self.tracks.refresh()

    def open_licence(self, licence_id: int) -> None:
        """Show a licence's track and open the licence (from the home screen)."""
        with self.database.read() as session:
            track_id = music.load_licence(session, licence_id).track_id
        self.tabs.setCurrentWidget(self.tracks)
        self.tracks.list.filter_box.clear()
        self.tracks.list.reload(keep=track_id)
        self.tracks.show_licences(track_id)
        self.tracks.edit_licence(licence_id)


class CueSheetsTab(QWidget):
    """Titles, then the chosen title's episodes, then the chosen episode's cue sheet."""

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.title_id: int | None = None
        self.titles = RecordList("music-titles", TitleTableModel(database, self), noun="titles",
                                 empty_hint="No titles yet. Cue sheets belong to a title's episodes.")
        self.titles.current_changed.connect(self.show_title)
        self.episodes = QListWidget(objectName="cue-episodes")
        self.episodes.currentRowChanged.connect(self._episode_chosen)
        self.editor = CueSheetEditor(database)
        self.editor.saved.connect(lambda _: self._refresh_episodes())

        self.import_action = screen_action(self, "&Import cue sheets…", "Ctrl+I", self.import_file, changes_data=True)
        self.pdf_action = screen_action(self, "Export &PDF…", None, lambda: self.export("pdf"), enabled=False)
        self.excel_action = screen_action(self, "Export &Excel…", None, lambda: self.export("xlsx"), enabled=False)
        toolbar = QToolBar()
        toolbar.addActions([self.import_action, self.pdf_action, self.excel_action])
        self.message = QLabel(objectName="cue-import-message")
        toolbar.addWidget(self.message)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(QLabel("Episodes"))
        middle_layout.addWidget(self.episodes, 1)
        self.splitter = QSplitter(objectName="music-splitter")
        self.splitter.addWidget(self.titles)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(2, 3)
        state = settings.view_state("music-splitter").get()
        if not state.isEmpty():
            self.splitter.restoreState(state)
        else:  # room for a title's ID and whole name ("… Temporada 18"), episodes kept narrow
            self.splitter.setSizes([400, 170, 520])
        self.splitter.splitterMoved.connect(lambda *_: settings.view_state("music-splitter").set(self.splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addWidget(self.splitter, 1)

    def show_title(self, title_id: int | None) -> None:
        if title_id == self.title_id:
            return
        if not self.editor.confirm_discard():
            if self.title_id is not None:  # stay on the sheet being edited
                self.titles.view.selectionModel().blockSignals(True)
                self.titles.select_id(self.title_id)
                self.titles.view.selectionModel().blockSignals(False)
            return
        self.title_id = title_id
        self.pdf_action.setEnabled(title_id is not None)
        self.excel_action.setEnabled(title_id is not None)
        self._refresh_episodes(first=True)

    def refresh(self) -> None:
        """The titles and the chosen title's episodes as saved now, the same ones chosen; a
        title deleted meanwhile is no longer shown (an unsaved cue sheet is asked about)."""
        if self.titles.model.filled:
            reload_quietly(self.titles)
            if self.titles.current_id() != self.title_id:
                self.show_title(self.titles.current_id())
                return
        self._refresh_episodes()

    def _refresh_episodes(self, first: bool = False) -> None:
        keep = self.episodes.currentRow()
        self.episodes.blockSignals(True)
        self.episodes.clear()
        if self.title_id is not None:
            with self.database.read() as session:
                found = cue_sheets.episodes_with_music(session, self.title_id)
            for episode in found:
                text = f"{episode.number}. {episode.name or 'Episode ' + str(episode.number)}"
                item = QListWidgetItem(f"{text}\n    {runtime(episode.runtime_seconds)} · {plural(episode.cues, 'cue')}")
                item.setData(Qt.ItemDataRole.UserRole, episode.episode_id)
                if not episode.cues:
                    item.setForeground(QColor("#9a6700"))
                self.episodes.addItem(item)
        self.episodes.blockSignals(False)
        held = None if first else self._row_of_sheet()  # the open sheet's episode, wherever it is now
        row = 0 if first else keep if held is None else held
        if self.episodes.count():
            self.episodes.setCurrentRow(min(max(row, 0), self.episodes.count() - 1))
            if first or keep < 0:
                self._load_current()
        else:
            self.editor.load(None)

    def _episode_chosen(self, row: int) -> None:
        shown = self._row_of_sheet()
        if row == shown:
            return
        if not self.editor.confirm_discard():  # stay on the sheet being edited
            self.episodes.blockSignals(True)
            self.episodes.setCurrentRow(shown if shown is not None else -1)
            self.episodes.blockSignals(False)
            return
        self._load_current()

    def _row_of_sheet(self) -> int | None:
        """The row of the episode whose sheet the editor holds."""
        sheet = self.editor.sheet
        return next((n for n in range(self.episodes.count()) if sheet is not None
                     and self.episodes.item(n).data(Qt.ItemDataRole.UserRole) == sheet.episode_id), None)

    def _load_current(self) -> None:
        item = self.episodes.currentItem()
        try:
            self.editor.load(item.data(Qt.ItemDataRole.UserRole) if item else None)
        except NotFound as error:
            show_user_error(self, error)
            self._refresh_episodes(first=True)

    def import_file(self) -> None:
        if not self.editor.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import cue sheets", str(Path.home()),
                                              "Cue sheets (*.csv *.xlsx);;All files (*)")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> cue_sheets.ImportedCues | None:
        try:
            done = run(self.database, cue_sheets.import_cue_sheets, path.name, path.read_bytes(), user=current_user())
        except (UserError, OSError) as error:  # ImportRefused lists the file's problems
            show_user_error(self, error if isinstance(error, UserError) else UserError(str(error)),
                            "Nothing was imported")
            return None
        new = f"; new tracks: {', '.join(done.new_tracks[:10])}" if done.new_tracks else ""
        self.message.setText(f"Imported {plural(done.cues, 'cue')} for {plural(done.episodes, 'episode')} from {path.name}{new}.")
        self.editor.load(None)
        self._refresh_episodes(first=True)
        return done

    def export(self, kind: str) -> Path | None:
        if self.title_id is None:
            return None
        # (the report's modules, reportlab and openpyxl with them: ~0.7 s, loaded when asked for,
        # not with the screen, which may be the one the window starts on)
        from rightsdesk.reports.document import report_pdf, report_workbook
        from rightsdesk.services import licensing_reports

        with self.database.read() as session:
            internal_id = catalogue.load_title(session, self.title_id).internal_id
            report = licensing_reports.build("cue_sheet", {"title": internal_id}, session)
        suggestion = Path.home() / f"Cue sheet {internal_id}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, "Export cue sheet", str(suggestion),
                                              "PDF (*.pdf)" if kind == "pdf" else "Excel workbook (*.xlsx)")
        if not path:
            return None
        Path(path).write_bytes(report_pdf(report) if kind == "pdf" else report_workbook(report))
        return Path(path)


class TrackTableModel(ServiceTableModel[TrackRow]):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(database, TRACK_COLUMNS, music.find_track_ids, music.track_rows, parent=parent)


class TracksTab(QWidget):
    """Every track, and the selected track's licences."""

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.track_id: int | None = None
        self.list = RecordList("tracks", TrackTableModel(database, self), noun="tracks", sort_column=0,
                               empty_hint="No tracks yet.\nTracks come from cue sheets, or add one with New track.")
        self.list.activated.connect(self.edit_track)
        self.list.current_changed.connect(self.show_licences)
        self.licences = QTableWidget(0, len(LICENCE_HEADERS), objectName="licences")
        self.licences.setHorizontalHeaderLabels(LICENCE_HEADERS)
        self.licences.verticalHeader().hide()
        self.licences.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.licences.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.licences.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.licences.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.licences.horizontalHeader().setStretchLastSection(True)
        self.licences.cellDoubleClicked.connect(lambda row, _: self.edit_licence(self._licence_at(row)))
        self.licences.itemSelectionChanged.connect(self._update_actions)
        self.licence_label = QLabel("Licences", objectName="licence-label")


        self.new_track_action = screen_action(self, "&New track", QKeySequence.StandardKey.New, lambda: self._run_track_editor(None), changes_data=True)
        self.edit_track_action = screen_action(self, "&Edit track", "Ctrl+E", lambda: self.track_id and self.edit_track(self.track_id), enabled=False)
        self.new_licence_action = screen_action(self, "New &licence", "Ctrl+L", lambda: self.edit_licence(None), enabled=False, changes_data=True)
        self.edit_licence_action = screen_action(self, "Edit l&icence", "Ctrl+Shift+E", lambda: self.edit_licence(self._licence_at()), enabled=False)
        self.book_action = screen_action(self, "&Book fee as expense…", None, self.book_fee, enabled=False, changes_data=True)
        toolbar = QToolBar()
        toolbar.addActions([self.new_track_action, self.edit_track_action])
        toolbar.addSeparator()
        toolbar.addActions([self.new_licence_action, self.edit_licence_action, self.book_action])
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.licence_label)
        lower_layout.addWidget(self.licences, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addWidget(splitter, 1)
        self._licence_drafts: list[LicenceDraft] = []

    def refresh(self) -> None:
        """The tracks and the chosen track's licences as saved now."""
        if self.list.model.filled:
            reload_quietly(self.list)
            if self.list.current_id() != self.track_id:
                self.track_id = self.list.current_id()
        self.show_licences(self.track_id)

    def show_licences(self, track_id: int | None) -> None:
        self.track_id = track_id
        self.licences.setRowCount(0)
        self._licence_drafts = []
        if track_id is not None:
            with self.database.read() as session:
                self._licence_drafts = music.licences_of_track(session, track_id)
                title = music.load_track(session, track_id).title
            self.licence_label.setText(f"Licences for “{title}”" if self._licence_drafts
                                       else f"“{title}” has no licence yet: add one with New licence (Ctrl+L).")
        else:
            self.licence_label.setText("Licences: choose a track.")
        for row, licence in enumerate(self._licence_drafts):
            self.licences.insertRow(row)
            rights = " + ".join(r for r, held in (("sync", licence.covers_sync), ("master", licence.covers_master)) if held)
            term = f"{licence.term_start or '…'} – {licence.term_end or 'open'}"
            now = standing(licence.status, licence.term_end, date.today())
            shown = STATUS_NAMES[now] + (" (term ended; record it)" if now is not licence.status else "")
            cells = (shown, rights, licence.territories.describe(), " ".join(licence.media) or "all media",
                     term, money(licence.fee, licence.currency), str(licence.requested_on or ""),
                     str(licence.answered_on or ""), licence.document_reference)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setBackground(QColor(STATUS_COLOURS[now]))
                self.licences.setItem(row, column, item)
        self._update_actions()

    def _licence_at(self, row: int | None = None) -> int | None:
        row = self.licences.currentRow() if row is None else row
        return self._licence_drafts[row].id if 0 <= row < len(self._licence_drafts) else None

    def _update_actions(self) -> None:
        self.edit_track_action.setEnabled(self.track_id is not None)
        self.new_licence_action.setEnabled(self.track_id is not None)
        chosen = self._licence_at() is not None
        self.edit_licence_action.setEnabled(chosen)
        self.book_action.setEnabled(chosen)

    def edit_track(self, track_id: int) -> None:
        self._run_track_editor(track_id)

    def _run_track_editor(self, track_id: int | None) -> None:
        self.list.run_editor(lambda: TrackEditor(self.database, track_id, self))

    def edit_licence(self, licence_id: int | None) -> None:
        if self.track_id is None:
            return
        while True:
            try:
                editor = LicenceEditor(self.database, self.track_id, licence_id, self)
            except NotFound as error:
                show_user_error(self, error)
                self.show_licences(self.track_id)
                return
            editor.exec()  # (what it saved is shown by the page's refresh: it follows licences)
            if not editor.reload_requested:  # someone saved first: open theirs
                return

    def book_fee(self) -> None:
        licence_id = self._licence_at()
        if licence_id is None:
            return
        licence = next(d for d in self._licence_drafts if d.id == licence_id)

        def book(deal_id: int, incurred_on, recoupable: bool) -> int:  # type: ignore[no-untyped-def]
            return run(self.database, music.book_licence_fee, licence_id, deal_id, user=current_user(),
                       incurred_on=incurred_on, recoupable=recoupable)

        BookExpenseDialog(self.database, f"Licence fee {money(licence.fee, licence.currency) or '(none entered)'}",
                          book, self).exec()
