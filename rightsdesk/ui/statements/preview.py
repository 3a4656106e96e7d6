"""One statement as its participant will read it: the PDF the export writes, drawn in the app
(QtPdf) with page navigation and zoom, and saved as PDF or Excel from there or from the list.

The PDF is rendered in memory by the export's own renderer (reports.statement_pdf), off the UI
thread; only the finished bytes reach the widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSettings, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from rightsdesk.persistence.database import Database
from rightsdesk.services.statement_documents import StatementDocument, load_document
from rightsdesk.ui.operations import Operation, Report

FOLDER_SETTING = "statements/save-folder"
PDF_FILTER = "PDF (*.pdf)"
EXCEL_FILTER = "Excel workbook (*.xlsx)"
ZOOM_STEP = 1.25
ZOOM_LIMITS = (0.25, 6.0)


@dataclass(frozen=True)
class Rendered:
    """A statement drawn as its PDF: what to call it and its bytes."""

    name: str  # as the export names it: <period>_<participant>_<number>.pdf
    title: str  # "ST-2026-000012 · Golden Reel · 2026-Q3"
    pdf: bytes


def _title(document: StatementDocument) -> str:
    return f"{document.number or 'Draft'} · {document.participant} · {document.period}"


def render(database: Database, statement_id: int, report: Report) -> Rendered:
    """Read the statement and draw its PDF (worker thread: touches no widget)."""
    from rightsdesk.reports.batch import file_name
    from rightsdesk.reports.statement_pdf import statement_pdf

    report("reading the statement", 10)
    with database.read() as session:
        document = load_document(session, statement_id)
    report("drawing the PDF", 40)
    return Rendered(file_name(document), _title(document), statement_pdf(document))


def suggested_name(database: Database, statement_id: int) -> str:
    """The file name the export gives the statement's PDF."""
    from rightsdesk.reports.batch import file_name

    with database.read() as session:
        return file_name(load_document(session, statement_id))


def write_statement(database: Database, statement_id: int, target: Path, report: Report) -> Path:
    """Write one statement to `target`: its Excel workbook when the name ends .xlsx, else its
    PDF, both as the period's export draws them (worker thread)."""
    from rightsdesk.reports.statement_pdf import statement_pdf
    from rightsdesk.reports.statement_workbook import statement_workbook

    report("reading the statement", 10)
    with database.read() as session:
        document = load_document(session, statement_id)
    report(f"writing {target.name}", 40)
    content = statement_workbook([document]) if target.suffix.lower() == ".xlsx" else statement_pdf(document)
    target.write_bytes(content)
    return target


def ask_where(parent: QWidget, name: str) -> Path | None:
    """Ask where to save a statement, offering `name` (its PDF's) in the folder used last; the
    Excel filter turns it into a workbook's name. None when the person cancels."""
    folder = Path(str(QSettings().value(FOLDER_SETTING, str(Path.home()))))
    chosen, kind = QFileDialog.getSaveFileName(parent, "Save the statement as", str(folder / name),
                                               f"{PDF_FILTER};;{EXCEL_FILTER}")
    if not chosen:
        return None
    target = Path(chosen)
    wanted = ".xlsx" if kind == EXCEL_FILTER else ".pdf"
    if target.suffix.lower() not in (".pdf", ".xlsx"):
        target = target.with_name(target.name + wanted)
    elif kind and target.suffix.lower() != wanted:
        target = target.with_suffix(wanted)
    QSettings().setValue(FOLDER_SETTING, str(target.parent))
    return target


class StatementPreview(QDialog):
    """The statement's PDF with Previous/Next page (Page Up/Down), zoom in and out (Ctrl++ and
    Ctrl+-), fit to width (Ctrl+0), and Save as… (Ctrl+S)."""

    def __init__(self, database: Database, statement_id: int, rendered: Rendered, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.statement_id = statement_id
        self.rendered = rendered
        self.operation: Operation | None = None
        self.setObjectName("statement-preview")
        self.setWindowTitle(f"Statement {rendered.title}")
        # The bytes stay in this buffer for as long as the document reads them.
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(rendered.pdf))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("statement-preview-view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.navigator = self.view.pageNavigator()
        self.document.pageCountChanged.connect(self._show_page)
        self.navigator.currentPageChanged.connect(self._show_page)

        self.previous_button = QPushButton("◀ Previous page", objectName="preview-previous")
        self.previous_button.setToolTip("Page Up")
        self.previous_button.clicked.connect(lambda: self.go_to(self.page() - 1))
        self.next_button = QPushButton("Next page ▶", objectName="preview-next")
        self.next_button.setToolTip("Page Down")
        self.next_button.clicked.connect(lambda: self.go_to(self.page() + 1))
        self.page_label = QLabel(objectName="preview-page")
        zoom_out = QPushButton("−", objectName="preview-zoom-out", toolTip="Zoom out (Ctrl+-)")
        zoom_out.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        zoom_in = QPushButton("+", objectName="preview-zoom-in", toolTip="Zoom in (Ctrl++)")
        zoom_in.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        fit = QPushButton("Fit &width", objectName="preview-fit", toolTip="Ctrl+0")
        fit.clicked.connect(self.fit_width)
        for button in (zoom_out, zoom_in):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("MM") + 16)
        self.zoom_label = QLabel(objectName="preview-zoom")
        self.save_button = QPushButton("&Save as…", objectName="preview-save", shortcut=QKeySequence.StandardKey.Save)
        self.save_button.setToolTip("Save this statement as PDF or Excel (Ctrl+S)")
        self.save_button.clicked.connect(lambda: self.save_as())
        close = QPushButton("Close", objectName="preview-close")
        close.clicked.connect(self.reject)
        for button in (self.previous_button, self.next_button, zoom_out, zoom_in, fit, self.save_button, close):
            button.setAutoDefault(False)  # Return in the dialog submits nothing

        keys = ((QKeySequence.StandardKey.ZoomIn, lambda: self.zoom(ZOOM_STEP)),
                (QKeySequence("Ctrl+="), lambda: self.zoom(ZOOM_STEP)),
                (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom(1 / ZOOM_STEP)),
                (QKeySequence("Ctrl+0"), self.fit_width),
                (QKeySequence(Qt.Key.Key_PageDown), lambda: self.go_to(self.page() + 1)),
                (QKeySequence(Qt.Key.Key_PageUp), lambda: self.go_to(self.page() - 1)),
                (QKeySequence(Qt.Key.Key_Home), lambda: self.go_to(0)),
                (QKeySequence(Qt.Key.Key_End), lambda: self.go_to(self.document.pageCount() - 1)))
        for sequence, slot in keys:
            QShortcut(sequence, self, activated=slot)

        bar = QHBoxLayout()
        bar.addWidget(self.previous_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        bar.addWidget(zoom_out)
        bar.addWidget(self.zoom_label)
        bar.addWidget(zoom_in)
        bar.addWidget(fit)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        self.outcome = QLabel(objectName="preview-outcome", wordWrap=True)
        self.outcome.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.outcome)
        self._fit_to_screen()
        self.view.zoomFactorChanged.connect(self._show_zoom)
        self.view.zoomModeChanged.connect(self._show_zoom)
        self.document.load(self.buffer)
        self._show_page()
        self._show_zoom()
        self.view.setFocus()

    def _fit_to_screen(self) -> None:
        """As tall as the screen allows (with room for the window's frame), a page wide: 820 × 640
        on a 1280 × 720 screen."""
        screen = (self.parentWidget() or self).screen().availableGeometry()
        height = max(480, min(int(screen.height() * 0.88), 1100))
        self.resize(max(640, min(int(screen.width() * 0.9), int(height * 0.8) + 300, 1000)), height)

    def page(self) -> int:
        """The page in view, from 0."""
        return self.navigator.currentPage()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.document.pageCount():
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())

    def zoom(self, by: float) -> None:
        factor = min(max(self.view.zoomFactor() * by, ZOOM_LIMITS[0]), ZOOM_LIMITS[1])
        if self.view.zoomMode() is not QPdfView.ZoomMode.Custom:
            factor = min(max(self._fitted_factor() * by, ZOOM_LIMITS[0]), ZOOM_LIMITS[1])
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)

    def _fitted_factor(self) -> float:
        """The zoom that fit to width shows now (the view reports 1.0 while fitting)."""
        if self.document.pageCount() == 0:
            return 1.0
        points = self.document.pagePointSize(0).width()
        pixels = points * self.view.logicalDpiX() / 72
        return max(0.1, (self.view.viewport().width() - 2 * self.view.documentMargins().left()) / pixels) if pixels else 1.0

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def done(self, result: int) -> None:
        """Closed: the document and view say nothing more to a dialog about to be deleted."""
        for signal, slot in ((self.document.pageCountChanged, self._show_page),
                             (self.navigator.currentPageChanged, self._show_page),
                             (self.view.zoomFactorChanged, self._show_zoom), (self.view.zoomModeChanged, self._show_zoom)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # already gone
                pass
        super().done(result)

    def _show_page(self, *_: object) -> None:
        count = self.document.pageCount()
        page = min(self.page(), max(count - 1, 0))
        self.page_label.setText(f"Page {page + 1} of {count}" if count else "")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < count)

    def _show_zoom(self, *_: object) -> None:
        fitting = self.view.zoomMode() is not QPdfView.ZoomMode.Custom
        self.zoom_label.setText("fit to width" if fitting else f"{self.view.zoomFactor():.0%}")

    def save_as(self, path: str = "") -> Operation | None:
        """Ask where (unless given), then write the statement as PDF or Excel off the UI thread."""
        if self.operation is not None:
            return None
        target = Path(path) if path else ask_where(self, self.rendered.name)
        if target is None:
            return None
        database, statement_id = self.database, self.statement_id
        if target.suffix.lower() == ".pdf":  # the bytes shown are the file
            pdf = self.rendered.pdf

            def work(report: Report) -> Path:
                report(f"writing {target.name}", 50)
                target.write_bytes(pdf)
                return target
        else:
            def work(report: Report) -> Path:
                return write_statement(database, statement_id, target, report)

        self.operation = Operation(self, "Save statement", work)
        self.operation.on_success(self._saved)
        self.operation.finished.connect(self._done)
        return self.operation.run_in_background()

    def _saved(self, written: Path) -> None:
        self.outcome.setText(f"Saved {written}")
        self.outcome.show()

    def _done(self) -> None:
        self.operation = None
