"""The avails screen: ask (titles or a library, territories, media, term), see the grid coloured
by status, click a cell for its reasons, export to Excel or PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.avails import AvailsResult, DateMatch, Status, term_text
from rightsdesk.persistence.database import Database
from rightsdesk.services import avails, deals, ema, reference
from rightsdesk.services.avails import AvailsAnswer, AvailsRequest
from rightsdesk.services.avails_report import STATUS_COLOURS
from rightsdesk.ui import settings
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import date_edit, date_of
from rightsdesk.ui.actions import follow
from rightsdesk.ui.operations import Operation, Quiet, Report
from rightsdesk.ui.territory_picker import with_pick_button

AnyIndex = QModelIndex | QPersistentModelIndex
DEFAULT_MEDIA = ("APP", "AVOD", "FAST", "SVOD")
# What an answer on screen depends on: rights (deals, grants and what they name), titles and
# libraries, holdbacks, groups; with 'Music cleared' or 'Localized in', cues, licences and tasks.
SHOWN_KINDS = frozenset({"deal", "grant", "grant_option", "grant_title", "grant_library", "grant_territory",
                         "grant_media", "grant_language", "holdback", "holdback_media", "holdback_territory",
                         "title", "episode", "library", "library_member", "territory_group",
                         "territory_group_member", "territory_group_subgroup", "media", "cue", "music_licence",
                         "music_licence_territory", "music_licence_media", "localization_task"})
MARKS = {Status.AVAILABLE: "✓", Status.ACQUIRED_NON_EXCLUSIVE: "~", Status.LICENSED_NON_EXCLUSIVE: "~",
         Status.NOT_LOCALIZED: "L", Status.MUSIC_NOT_CLEARED: "M", Status.HOLDBACK: "H", Status.LICENSED_EXCLUSIVE: "✗", Status.NOT_ACQUIRED: "–"}


class AvailsGridModel(QAbstractTableModel):
    """Titles down, territories across, for one media at a time; cells coloured by status."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.answer: AvailsAnswer | None = None
        self.media = ""

    @property
    def result(self) -> AvailsResult | None:
        return self.answer.result if self.answer else None

    def show(self, answer: AvailsAnswer | None, media: str) -> None:
        self.beginResetModel()
        self.answer, self.media = answer, media
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.result is None else len(self.result.query.titles)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.result is None else len(self.result.query.territories)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.result is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        query = self.result.query
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(query.territories):
            return query.territories[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(query.titles):
            title_id = query.titles[section]
            return f"{self.answer.title_names.get(title_id, title_id)}  ({self.answer.title_codes.get(title_id, '')})"  # type: ignore[union-attr]
        return None

    def cell_at(self, index: AnyIndex) -> tuple[int, str] | None:
        if self.result is None or not index.isValid():
            return None
        query = self.result.query
        if index.row() >= len(query.titles) or index.column() >= len(query.territories):
            return None
        return query.titles[index.row()], query.territories[index.column()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        where = self.cell_at(index)
        if where is None or self.result is None or not self.media:
            return None
        cell = self.result.cell(where[0], where[1], self.media)
        if role == Qt.ItemDataRole.DisplayRole:
            return MARKS[cell.status] + ("*" if cell.partial else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATUS_COLOURS[cell.status]))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#1d1d1d"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{where[1]} · {self.media}: {cell.status.label}" + (" (changes inside the term)" if cell.partial else "")
        return None


class AvailsPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.answer: AvailsAnswer | None = None
        self.asked: tuple[AvailsRequest, str] | None = None  # the question the answer shown is to
        self.operation: Operation | None = None
        self.asking_again: Quiet | None = None
        self.again = False  # something changed while an answer was on its way: ask again then
        with database.read() as session:
            libraries = deals.library_choices(session)
            media = reference.media(session)

        self.titles = QLineEdit(objectName="avails-titles", placeholderText="IDs (T000123 T000456, by spaces or commas) or words of the names")
        self.library = QComboBox(objectName="avails-library")
        self._show_libraries(libraries)
        self.territories = QLineEdit("WORLD", objectName="avails-territories",
                                     placeholderText="e.g. WORLD excluding CN, HK, MO, TW")
        self.media_boxes: dict[str, QCheckBox] = {}
        self.media_row = media_row = QHBoxLayout()
        media_row.addStretch()
        self._show_media(media)
        self.languages = QLineEdit(objectName="avails-languages", placeholderText="every language; or th, en, es-419")
        today = date.today()
        self.start = date_edit(date(today.year + 1, 1, 1), "avails-from")
        self.end = date_edit(date(today.year + 1, 12, 31), "avails-to")
        self.exclusive = QCheckBox("Exclusive", objectName="avails-exclusive")
        self.music = QCheckBox("Music cleared", objectName="avails-music")
        self.music.setToolTip("Also require every cue of every episode to be covered by a cleared licence")
        self.localized_in = QLineEdit(objectName="avails-localized-in", placeholderText="no requirement; or th, es-419")
        self.localized_in.setToolTip("Languages the licensee requires subtitles or a dub in")
        self.match = QComboBox(objectName="avails-match")
        self.match.addItem("Whole term must be available", DateMatch.WHOLE_TERM)
        self.match.addItem("Any part of the term", DateMatch.ANY_PART)
        self.run_button = QPushButton("Check avails  (Ctrl+Enter)", objectName="avails-run")
        self.run_button.clicked.connect(self.run)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.run)
        term = QHBoxLayout()
        for widget in (self.start, QLabel("to"), self.end, self.exclusive, self.match, self.music):
            term.addWidget(widget)
        term.addStretch()
        form = QFormLayout()
        form.addRow("&Titles", self.titles)
        form.addRow("or &library", self.library)
        form.addRow("Te&rritories", with_pick_button(self.territories, database, "avails-territories"))
        form.addRow("Media", media_row)
        form.addRow("Lan&guages", self.languages)
        form.addRow("Locali&zed in", self.localized_in)
        form.addRow("Term", term)
        form.addRow("", self.run_button)

        self.shown_media = QComboBox(objectName="avails-shown-media")
        self.shown_media.currentTextChanged.connect(lambda m: self.grid_model.show(self.answer, m))
        self.summary = QLabel(objectName="avails-summary")
        self.export_xlsx = QPushButton("Export to Excel…", objectName="avails-export-xlsx", enabled=False)
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.export_pdf = QPushButton("Export to PDF…", objectName="avails-export-pdf", enabled=False)
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self.export_ema = QPushButton("Export EMA offer…", objectName="avails-export-ema", enabled=False)
        self.export_ema.setToolTip("What is available for this request, as an EMA Avails 1.9 workbook for a licensee")
        self.export_ema.clicked.connect(lambda: self.export("ema"))
        # Dark text on the light status colours whatever the palette (white on pale green was
        # unreadable in a dark theme), and wrapped: on one line it made the window 1 500 px wide.
        legend = QLabel("  ".join(f'<span style="background:{STATUS_COLOURS[s]}; color:#000000">&nbsp;{MARKS[s]}'
                                  f'&nbsp;</span>&nbsp;{s.label}' for s in Status) + "  &nbsp;* changes inside the term",
                        objectName="avails-legend", wordWrap=True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Showing media:"))
        bar.addWidget(self.shown_media)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.export_xlsx)
        bar.addWidget(self.export_pdf)
        bar.addWidget(self.export_ema)

        self.grid_model = AvailsGridModel(self)
        self.grid = QTableView(objectName="avails-grid")
        self.grid.setModel(self.grid_model)
        self.grid.horizontalHeader().setDefaultSectionSize(38)
        self.grid.clicked.connect(self.show_reasons)
        self.grid.selectionModel().currentChanged.connect(lambda current, _: self.show_reasons(current))
        self.reasons = QPlainTextEdit(objectName="avails-reasons", readOnly=True)
        self.reasons.setPlaceholderText("Run a query, then click a cell to see why it has its status: "
                                        "the deals and grants behind it, day by day.")
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.grid)
        self.splitter.addWidget(self.reasons)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        state = settings.view_state("avails-splitter").get()
        if not state.isEmpty():
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: settings.view_state("avails-splitter").set(self.splitter.saveState()))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(bar)
        layout.addWidget(legend)
        layout.addWidget(self.splitter, 1)
        follow(self, SHOWN_KINDS, self.refresh)

    def _show_media(self, media: list[tuple[str, str]]) -> None:
        """A box per medium offered (a new one unticked, the usual ones ticked at first); a
        retired medium's box goes unticked out of sight."""
        offered = dict(media)
        for code, name in media:
            box = self.media_boxes.get(code)
            if box is None:
                box = QCheckBox(code, objectName=f"avails-media-{code}", checked=code in DEFAULT_MEDIA)
                self.media_boxes[code] = box
                self.media_row.insertWidget(self.media_row.count() - 1, box)  # before the stretch
            box.setToolTip(name)
            box.setVisible(True)
        for code, box in self.media_boxes.items():
            if code not in offered:
                box.setChecked(False)
                box.setVisible(False)

    def _show_libraries(self, libraries: list[tuple[int, str, str]]) -> None:
        chosen = self.library.currentData()
        self.library.blockSignals(True)
        self.library.clear()
        self.library.addItem("(titles above)", None)
        for library_id, code, name in libraries:
            self.library.addItem(f"{code} — {name}", library_id)
        self.library.setCurrentIndex(max(self.library.findData(chosen), 0))
        self.library.blockSignals(False)

    # -- staying current --------------------------------------------------------------------

    def refresh(self) -> None:
        """Rights or titles changed somewhere: the libraries offered as saved now, and the answer
        shown asked again (the same question, not what the form holds since), off the UI thread."""
        with self.database.read() as session:
            self._show_libraries(deals.library_choices(session))
            self._show_media(reference.media(session))
        if self.asked is None:
            return
        if self.operation is not None or (self.asking_again is not None and self.asking_again.running()):
            self.again = True  # asked once the answer on its way has come
            return
        request, typed = self.asked
        self.again = False
        self.asking_again = Quiet(self, lambda: self._ask(request, typed), self._answered_again)

    def _answered_again(self, answer: AvailsAnswer) -> None:
        self._show_answer(answer)
        if self.again:
            self.refresh()

    def stop(self) -> None:
        """Wait for an answer on its way; the page is about to go."""
        if self.asking_again is not None:
            self.asking_again.wait()

    # -- asking -----------------------------------------------------------------------------

    def request(self) -> AvailsRequest:
        """The question the form asks, read in the UI thread; typed titles are resolved later."""
        return AvailsRequest(
            territories=self.territories.text(), start=date_of(self.start) or date.today(), end=date_of(self.end),
            library_id=self.library.currentData(),
            media=tuple(code for code, box in self.media_boxes.items() if box.isChecked()),
            languages=tuple(self.languages.text().replace(",", " ").split()), exclusive=self.exclusive.isChecked(),
            match=DateMatch(self.match.currentData()), music=self.music.isChecked(),
            localized_in=tuple(self.localized_in.text().replace(",", " ").split()),
        )

    def run(self) -> Operation | None:
        """Ask in a worker thread (a library over WORLD is a few hundred milliseconds)."""
        if self.operation is not None:
            return None
        request, typed = self.request(), self.titles.text()

        def work(progress: Report) -> AvailsAnswer:
            progress("Reading rights", 10)
            return self._ask(request, typed)

        def answered(answer: AvailsAnswer) -> None:
            self.asked = (request, typed)
            self._show_answer(answer)

        self.run_button.setEnabled(False)
        self.operation = Operation(self, "Checking avails", work).on_success(answered)
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def _ask(self, request: AvailsRequest, typed: str) -> AvailsAnswer:
        """The answer as the rights stand now (in a worker thread: its own unit of work)."""
        with self.database.read() as session:
            return avails.ask_typed(session, request, typed)

    def _finished(self) -> None:
        self.operation = None
        self.run_button.setEnabled(True)
        if self.again:
            self.refresh()

    def _show_answer(self, answer: AvailsAnswer) -> None:
        self.answer = answer
        shown = self.shown_media.currentText()
        self.shown_media.blockSignals(True)
        self.shown_media.clear()
        self.shown_media.addItems(list(answer.result.query.media))
        if shown in answer.result.query.media:
            self.shown_media.setCurrentText(shown)
        self.shown_media.blockSignals(False)
        self.grid_model.show(answer, self.shown_media.currentText())
        cells = sum(len(b.territories) for b in answer.result.blocks)
        self.summary.setText(f"  {answer.result.available_count():,} of {cells:,} cells available")
        self.reasons.clear()
        for button in (self.export_xlsx, self.export_pdf, self.export_ema):
            button.setEnabled(True)

    def show_reasons(self, index: QModelIndex) -> None:
        where = self.grid_model.cell_at(index)
        if where is None or self.answer is None:
            return
        title_id, territory = where
        media = self.grid_model.media
        cell = self.answer.result.cell(title_id, territory, media)
        lines = [f"{self.answer.title_names.get(title_id, title_id)} · {territory} · {media}: {cell.status.label}"
                 + (" — available for this request" if cell.available else " — not available for this request"), ""]
        for segment in cell.segments:
            lines.append(f"{term_text(segment.start, segment.end)}: {segment.status.label}")
            lines += [f"    {reason.explanation}" for reason in segment.reasons]
        self.reasons.setPlainText("\n".join(lines))

    # -- exporting --------------------------------------------------------------------------

    def export(self, kind: str) -> None:
        if self.answer is None:
            return
        licensee = ""
        if kind == "ema":
            licensee, ok = QInputDialog.getText(self, "EMA offer", "Who is the offer for (licensee)?")
            if not ok:
                return
        suffix = "pdf" if kind == "pdf" else "xlsx"
        suggested = str(Path.home() / f"{'offer' if kind == 'ema' else 'avails'}-{date.today()}.{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, "Export avails", suggested,
                                              "PDF (*.pdf)" if kind == "pdf" else "Excel workbook (*.xlsx)")
        if not path:
            return
        try:
            Path(path).write_bytes(self.document(kind, licensee))
        except OSError as error:
            show_user_error(self, error, "Cannot write the file")

    def document(self, kind: str, licensee: str = "") -> bytes:
        """The current answer as a workbook, a PDF, or an EMA Avails offer."""
        # (the writers load openpyxl and reportlab: when asked, not with the screen, ~0.7 s)
        from rightsdesk.reports import avails as report
        from rightsdesk.reports import ema as ema_report

        assert self.answer is not None
        if kind == "ema":
            with self.database.read() as session:
                return ema_report.offer_workbook(ema.offer_rows(session, self.answer, licensee=licensee))
        return report.workbook(self.answer) if kind == "xlsx" else report.pdf_document(self.answer)
