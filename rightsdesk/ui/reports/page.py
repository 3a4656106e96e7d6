"""The reports area: every report with its options, a preview of its PDF inside the app, saving
as PDF or Excel, the statements of a period in one go and the general-ledger journal.

Reports are built in a worker thread (a catalogue-wide report can run to hundreds of pages);
each report's last options are remembered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import StatementFrequency
from rightsdesk.persistence.database import Database
from rightsdesk.reports import batch, document, journal
from rightsdesk.services import licensing_reports as licensing
from rightsdesk.services.licensing_reports import Option
from rightsdesk.services import deals, period_statements, statements
from rightsdesk.services.statement_documents import letterhead
from rightsdesk.ui import settings
from rightsdesk.ui.actions import follow
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import date_edit, date_of, set_date
from rightsdesk.ui.operations import Operation, Report
from rightsdesk.domain.words import plural


@dataclass(frozen=True)
class Entry:
    """A line of the reports list: a licensing report, or one of the period's accounting outputs."""

    key: str
    title: str
    description: str
    options: tuple[Option, ...]
    outputs: tuple[str, ...]  # pdf, xlsx, csv, batch


def _last_quarter() -> str:
    label, _, _ = statements.period_of(StatementFrequency.QUARTERLY, date.today().replace(day=1) - timedelta(days=80))
    return label


PERIOD = Option("period", "Period", required=True, default="", help="2026-Q3, 2026-07, 2026-H2 or 2026")
ENTRIES = [Entry(k.name, k.title, k.description, k.options, ("pdf", "xlsx")) for k in licensing.REPORTS.values()] + [
    Entry("statements", "Statements of a period", "Every statement of a period: a PDF per participant in a folder, "
          "and one workbook for the accountants.", (PERIOD,), ("batch",)),
    Entry("journal", "General-ledger journal", "One balanced entry per statement of the period, for the accounts.",
          (PERIOD, Option("drafts", "Include drafts", "bool", help="statements not yet issued")), ("csv", "xlsx")),
]
OUTPUT_LABELS = {"pdf": "Save PDF…", "xlsx": "Save Excel…", "csv": "Save CSV…", "batch": "Export the period…"}


def _remembered(key: str) -> settings.Setting[str]:
    return settings.Setting(f"reports/{key}", "")


class ReportsPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.operation: Operation | None = None
        self.entry: Entry | None = None
        self.fields: dict[str, QWidget] = {}
        self.pdf_bytes = b""
        self.last_saved: Path | None = None

        self.filter = QLineEdit(objectName="reports-filter", placeholderText="Filter reports…", clearButtonEnabled=True)
        self.filter.textChanged.connect(self._filter)
        self.list = QListWidget(objectName="reports-list")
        for entry in ENTRIES:
            item = QListWidgetItem(entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setToolTip(entry.description)
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._choose)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.list)

        self.heading = QLabel(objectName="reports-heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.description = QLabel(objectName="reports-description", wordWrap=True)
        self.form = QFormLayout()
        self.preview_button = QPushButton("Preview  (Ctrl+Enter)", objectName="reports-preview")
        self.preview_button.clicked.connect(self.preview)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.preview)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self._first_output())
        self.output_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        for output, label in OUTPUT_LABELS.items():
            button = QPushButton(label, objectName=f"reports-save-{output}")
            button.clicked.connect(lambda _=False, o=output: self.save(o))
            self.output_buttons[output] = button
            buttons.addWidget(button)
        buttons.addStretch()
        self.saved_label = QLabel(objectName="reports-saved")
        self.open_folder = QPushButton("Open containing folder", objectName="reports-open-folder")
        self.open_folder.clicked.connect(self.open_containing_folder)
        self.open_folder.hide()
        saved = QHBoxLayout()
        saved.addWidget(self.saved_label, 1)
        saved.addWidget(self.open_folder)

        self.pdf = QPdfDocument(self)
        self.pdf_view = QPdfView(objectName="reports-pdf-view")
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.empty = QLabel("Choose a report, set its options and press Preview (Ctrl+Enter).\n"
                            "Save it as PDF or Excel from the buttons above.",
                            objectName="reports-empty", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(self.empty)
        self.preview_stack.addWidget(self.pdf_view)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.description)
        right_layout.addLayout(self.form)
        right_layout.addLayout(buttons)
        right_layout.addLayout(saved)
        right_layout.addWidget(self.preview_stack, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        state = settings.view_state("reports-splitter").get()
        if not state.isEmpty():
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([230, 900])
        self.splitter.splitterMoved.connect(lambda *_: settings.view_state("reports-splitter").set(self.splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.list.setCurrentRow(0)
        follow(self, {"library", "deal"}, self._refresh_choices)  # the lists of libraries and deals offered

    # -- choosing a report and its options ----------------------------------------------------

    def _filter(self, text: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            entry = ENTRIES[row]
            item.setHidden(text.casefold() not in f"{entry.title} {entry.description}".casefold())

    def _choose(self, row: int) -> None:
        if not 0 <= row < len(ENTRIES):
            return
        self.entry = entry = ENTRIES[row]
        self.heading.setText(entry.title)
        self.description.setText(entry.description)
        while self.form.rowCount():
            self.form.removeRow(0)
        remembered = self._remembered_values(entry)
        self.fields = {}
        with self.database.read() as session:
            libraries = deals.library_choices(session)
            references = deals.deal_references(session)
        for option in entry.options:
            widget = self._field(option, remembered.get(option.name, option.default), libraries, references)
            widget.setObjectName(f"reports-option-{option.name}")
            widget.setToolTip(option.help)
            self.fields[option.name] = widget
            self.form.addRow(option.label + (" *" if option.required else ""), widget)
        self.preview_button.setVisible("pdf" in entry.outputs)
        for output, button in self.output_buttons.items():
            button.setVisible(output in entry.outputs)
        self.preview_stack.setCurrentWidget(self.empty)

    def _refresh_choices(self) -> None:
        """The libraries and deals offered as saved now, each field keeping what it holds."""
        with self.database.read() as session:
            libraries = deals.library_choices(session)
            references = deals.deal_references(session)
        typed = self.values()
        for option in self.entry.options:
            if option.kind in ("library", "deal"):
                old = self.fields[option.name]
                new = self._field(option, typed.get(option.name, ""), libraries, references)
                new.setObjectName(old.objectName())
                new.setToolTip(old.toolTip())
                self.form.replaceWidget(old, new)
                old.deleteLater()
                self.fields[option.name] = new

    def _field(self, option: Option, value: str, libraries: list[tuple[int, str, str]], references: list[str]) -> QWidget:
        if option.kind == "bool":
            return QCheckBox(checked=value in ("yes", "true", "1"))
        if option.kind == "date":
            return date_edit(_date_or_none(value), "")
        if option.kind in ("choice", "library", "deal"):
            box = QComboBox(editable=option.kind == "deal")
            if option.kind == "choice":
                for choice in option.choices:
                    box.addItem(choice, choice)
            elif option.kind == "library":
                box.addItem("(any)", "")
                for _, code, name in libraries:
                    box.addItem(f"{code} — {name}", code)
            else:
                box.addItem("" if option.required else "(any)", "")
                for reference in references:
                    box.addItem(reference, reference)
            found = box.findData(value)
            if found >= 0:
                box.setCurrentIndex(found)
            elif option.kind == "deal":
                box.setEditText(value)
            return box
        edit = QLineEdit(value, placeholderText=option.help)
        if option.name == "period" and not value:
            edit.setText(_last_quarter())
        return edit

    def values(self) -> dict[str, str]:
        """The options as typed, as the report builders read them."""
        typed: dict[str, str] = {}
        for name, widget in self.fields.items():
            if isinstance(widget, QCheckBox):
                typed[name] = "yes" if widget.isChecked() else ""
            elif isinstance(widget, QComboBox):
                # an editable list (deals) also takes a typed reference that is not among its items
                listed = widget.findText(widget.currentText())
                typed[name] = str(widget.itemData(listed) or "") if listed >= 0 else widget.currentText().strip()
            elif isinstance(widget, QLineEdit):
                typed[name] = widget.text().strip()
            else:
                day = date_of(widget)  # type: ignore[arg-type]
                typed[name] = day.isoformat() if day else ""
        return typed

    def set_value(self, name: str, value: str) -> None:
        """Fill in one option as a user would (used by tests and by remembered options)."""
        widget = self.fields[name]
        if isinstance(widget, QCheckBox):
            widget.setChecked(value in ("yes", "true", "1"))
        elif isinstance(widget, QComboBox):
            found = widget.findData(value)
            widget.setCurrentIndex(found) if found >= 0 else widget.setEditText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)
        else:
            set_date(widget, _date_or_none(value))  # type: ignore[arg-type]

    def _remembered_values(self, entry: Entry) -> dict[str, str]:
        try:
            stored = json.loads(_remembered(entry.key).get() or "{}")
        except ValueError:
            return {}
        return stored if isinstance(stored, dict) else {}

    def _remember(self) -> None:
        if self.entry is not None:
            _remembered(self.entry.key).set(json.dumps(self.values()))

    # -- building and saving ------------------------------------------------------------------

    def _run(self, title: str, work: Callable[[Report], Any], done: Callable[[Any], None]) -> Operation | None:
        if self.operation is not None:
            return None
        self._remember()
        self.operation = Operation(self, title, work).on_success(done)
        self.operation.finished.connect(self._finished)
        return self.operation.run_in_background()

    def _finished(self) -> None:
        self.operation = None

    def _build(self, entry: Entry, typed: dict[str, str]) -> Callable[[Report], document.Report]:
        def work(progress: Report) -> document.Report:
            progress("Reading the database", 10)
            with self.database.read() as session:
                return licensing.build(entry.key, typed, session)
        return work

    def _company(self) -> str:
        with self.database.read() as session:
            return letterhead(session).name

    def preview(self) -> Operation | None:
        entry = self.entry
        if entry is None or "pdf" not in entry.outputs:
            return None
        build = self._build(entry, self.values())
        company = self._company()

        def work(progress: Report) -> bytes:
            report = build(progress)
            progress(f"Laying out {report.row_count()} rows", 50)
            return document.report_pdf(report, company=company)

        return self._run(f"Preparing {entry.title}", work, self._show_pdf)

    def _show_pdf(self, content: bytes) -> None:
        self.pdf_bytes = content
        self.pdf.close()
        previous = getattr(self, "_buffer", None)
        if previous is not None:  # the document closed no longer reads it: one buffer a page, not one an export
            previous.deleteLater()
        self._buffer = QBuffer(self)  # kept: the document reads from it while shown
        self._buffer.setData(QByteArray(content))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        self.preview_stack.setCurrentWidget(self.pdf_view)

    def save(self, output: str) -> Operation | None:
        entry = self.entry
        if entry is None or self.operation is not None:
            return None
        if output == "batch":
            return self._export_period(entry)
        suffix = {"pdf": "PDF (*.pdf)", "xlsx": "Excel workbook (*.xlsx)", "csv": "CSV (*.csv)"}[output]
        typed = self.values()
        name = f"{entry.key}-{typed.get('period') or date.today()}.{output}"
        path, _ = QFileDialog.getSaveFileName(self, f"Save {entry.title}", str(self._folder() / name), suffix)
        if not path:
            return None
        target = Path(path)
        if entry.key == "journal":
            work = self._journal(typed, output)
        else:
            build = self._build(entry, typed)
            company = self._company()

            def work(progress: Report) -> bytes:
                report = build(progress)
                progress(f"Writing {report.row_count()} rows", 50)
                return document.report_pdf(report, company=company) if output == "pdf" else document.report_workbook(report)

        def done(content: bytes) -> None:
            try:
                target.write_bytes(content)
            except OSError as error:
                show_user_error(self, error, "Cannot write the file")
                return
            self._saved(target, f"Saved {target.name}")
            if output == "pdf":
                self._show_pdf(content)

        return self._run(f"Saving {entry.title}", work, done)

    def _journal(self, typed: dict[str, str], output: str) -> Callable[[Report], bytes]:
        def work(progress: Report) -> bytes:
            progress("Reading the statements", 10)
            documents = period_statements.journal_documents(self.database, typed.get("period", ""),
                                                            drafts=bool(typed.get("drafts")))
            return journal.journal_csv(documents) if output == "csv" else journal.journal_workbook(documents)
        return work

    def _export_period(self, entry: Entry) -> Operation | None:
        period = self.values().get("period", "")
        folder = QFileDialog.getExistingDirectory(self, f"Folder for the statements of {period}", str(self._folder()))
        if not folder:
            return None
        pdf_dir = Path(folder) / batch.safe_file_name(period, suffix="")
        workbook = Path(folder) / batch.safe_file_name(period, "statements", suffix=".xlsx")

        def work(progress: Report) -> batch.ExportResult:
            progress("Reading statements", 0)
            statements_of = period_statements.for_export(self.database, period, unstated=True)
            return batch.export_period(statements_of, pdf_dir=pdf_dir, workbook=workbook, progress=progress)

        def done(result: batch.ExportResult) -> None:
            self._saved(workbook, f"Wrote {plural(len(result.pdfs), 'PDF')} to {pdf_dir.name}/ and {workbook.name}")

        return self._run(f"Exporting {period}", work, done)

    def _saved(self, path: Path, message: str) -> None:
        self.last_saved = path
        self.saved_label.setText(message)
        self.open_folder.show()
        settings.Setting("reports/folder", "").set(str(path.parent))

    def _folder(self) -> Path:
        folder = Path(settings.Setting("reports/folder", "").get() or Path.home())
        return folder if folder.is_dir() else Path.home()

    def _first_output(self) -> None:
        if self.entry is not None:
            self.save(self.entry.outputs[0])

    def open_containing_folder(self) -> None:
        if self.last_saved is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_saved.parent)))


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
