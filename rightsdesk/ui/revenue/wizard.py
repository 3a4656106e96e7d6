"""Revenue > Import report: a wizard from the file, through its column mapping with a live
preview and the problems found, to the import, with progress.

A report may be a million lines: the wizard reads only its first rows for the preview, and
checks the whole file off the UI thread, which reading is the import's (check_file, then
import_checked writes what was checked, through ui.actions like every action)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from rightsdesk.domain import revenue as rules
from rightsdesk.domain.enums import RevenueType
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.revenue import Options
from rightsdesk.domain.words import plural
from rightsdesk.persistence.database import Database
from rightsdesk.services import revenue, revenue_mapping, revenue_screen
from rightsdesk.services.audit import current_user
from rightsdesk.services.revenue_mapping import propose_mapping
from rightsdesk.ui.actions import act_in_background
from rightsdesk.ui.formatting import money
from rightsdesk.ui.forms import problems_label, show_problems
from rightsdesk.ui.operations import Operation, Report

PREVIEW_ROWS = 20
ENCODINGS = ("utf-8", "utf-16", "windows-1252", "gb18030", "big5", "shift_jis", "cp932", "euc-kr", "cp949")
NONE = "(none)"
FIELD_LABELS = {
    "period": "Period (2026-Q3, 2026-07…)", "period_start": "Period start", "period_end": "Period end",
    "territory": "Territory", "media": "Media", "revenue_type": "Revenue type", "title_id": "Title ID",
    "eidr": "EIDR", "title_name": "Title name", "library": "Library code", "episode": "Episode",
    "units": "Units / views", "gross_amount": "Gross amount", "platform_fees": "Platform fees", "taxes": "Taxes",
    "currency": "Currency",
}


class ImportWizard(QWizard):
    """File -> column mapping with a live preview -> problems -> import with progress."""

    def __init__(self, database: Database, source_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("Import a revenue report")
        self.setObjectName("import-wizard")
        self.resize(1000, 680)
        self.table: revenue.Table | None = None  # the header and first rows, for the preview
        self.checked: revenue.CheckedFile | None = None  # the whole file, read once, as it will be written
        self.checked_for: tuple[Any, ...] | None = None  # the file, mapping and options it was checked with
        self.report: revenue.ImportReport | None = None
        self.operation: Operation | None = None

        # page 1: the file and its source
        self.file_page = QWizardPage()
        self.file_page.setTitle("Which report?")
        self.path = QLineEdit(objectName="import-path", placeholderText="a CSV or XLSX file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.source = QComboBox(objectName="import-source")
        self.saved_mapping = QComboBox(objectName="import-mapping")
        self.sheet = QLineEdit(objectName="import-sheet", placeholderText="first sheet")
        with database.read() as work:
            for source_id, name in revenue_screen.sources(work):
                self.source.addItem(name, source_id)
        if source_id is not None:
            self.source.setCurrentIndex(max(0, self.source.findData(source_id)))
        self.source.currentIndexChanged.connect(self._list_mappings)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        file_form = QFormLayout(self.file_page)
        file_label = QLabel("&File")  # (a row of two widgets: the label needs its buddy named, or shows the '&')
        file_label.setBuddy(self.path)
        file_form.addRow(file_label, file_row)
        file_form.addRow("&Source", self.source)
        file_form.addRow("Saved &mapping", self.saved_mapping)
        file_form.addRow("S&heet (XLSX)", self.sheet)
        self.file_problems = problems_label("import-file-problems")
        file_form.addRow(self.file_problems)
        self.file_page.validatePage = self.read_file  # type: ignore[method-assign]
        self._list_mappings()

        # page 2: mapping and options, with a live preview
        self.mapping_page = QWizardPage()
        self.mapping_page.setTitle("Which column is what?")
        self.mapping_page.setSubTitle("The preview shows how the first rows read with this mapping.")
        self.columns: dict[str, QComboBox] = {}
        grid = QFormLayout()
        for field in rules.FIELDS:
            combo = QComboBox(objectName=f"map-{field}")
            combo.currentIndexChanged.connect(self.preview)
            self.columns[field] = combo
            grid.addRow(FIELD_LABELS[field], combo)
        self.decimal = QComboBox(objectName="import-decimal")
        for label, value in (("Not declared (2.500 is refused)", "auto"), ("1,234.56", "."), ("1.234,56", ",")):
            self.decimal.addItem(label, value)
        self.decimal.currentIndexChanged.connect(self.preview)
        self.dates = QComboBox(objectName="import-dates")
        for label, value in (("ISO only (2026-12-31, 31 Dec 2026)", "iso"), ("Day first (31.12.2026)", "dmy"),
                             ("Month first (12/31/2026)", "mdy")):
            self.dates.addItem(label, value)
        self.dates.currentIndexChanged.connect(self.preview)
        # the file's text encoding: proposed from its bytes (charset-normalizer), confirmed by the user
        # from the decoded text below it; saved with the mapping
        self.encoding = QComboBox(objectName="import-encoding", editable=True)
        for name in ENCODINGS:
            self.encoding.addItem(name, name)
        self.encoding.currentTextChanged.connect(self.encoding_changed)
        self.decoded = QPlainTextEdit(objectName="import-decoded", readOnly=True)
        self.decoded.setMaximumHeight(90)
        # the source's words for revenue types -> the type (proposed from common words, confirmed)
        self.type_words = QTableWidget(0, 2, objectName="import-type-words")
        self.type_words.setHorizontalHeaderLabels(["Word in the file", "Revenue type"])
        self.type_words.verticalHeader().hide()
        self.type_words.setMaximumHeight(120)
        self.file_currency = QLineEdit(objectName="import-currency", placeholderText="when the file has no currency column")
        self.file_currency.textChanged.connect(self.preview)
        self.revenue_type = QComboBox(objectName="import-revenue-type")
        for kind in RevenueType:
            self.revenue_type.addItem(kind.value.replace("_", " "), kind)
        self.save_as = QLineEdit(objectName="import-save-mapping", placeholderText="save this mapping as… (optional)")
        grid.addRow("Numbers", self.decimal)
        grid.addRow("Dates", self.dates)
        grid.addRow("Text encoding", self.encoding)
        grid.addRow(self.decoded)
        grid.addRow("Revenue type words", self.type_words)
        grid.addRow("Currency of the file", self.file_currency)
        grid.addRow("Revenue type of the file", self.revenue_type)
        grid.addRow("Save mapping as", self.save_as)
        self.preview_table = QTableWidget(objectName="import-preview")
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().hide()  # the Row column holds the file's own row numbers
        self.preview_problems = problems_label("import-preview-problems")
        left = QWidget()
        left.setLayout(grid)
        right = QVBoxLayout()
        right.addWidget(self.preview_table, 1)
        right.addWidget(self.preview_problems)
        mapping_layout = QHBoxLayout(self.mapping_page)
        mapping_layout.addWidget(left)
        mapping_layout.addLayout(right, 1)
        self.mapping_page.validatePage = self.check_all  # type: ignore[method-assign]

        # page 3: the import itself
        self.import_page = QWizardPage()
        self.import_page.setTitle("Import")
        self.replace = QCheckBox("This file was imported before: replace that batch", objectName="import-replace")
        self.replace.hide()
        self.outcome = QLabel(objectName="import-outcome", wordWrap=True)
        import_layout = QVBoxLayout(self.import_page)
        import_layout.addWidget(self.replace)
        import_layout.addWidget(self.outcome, 1)
        self.import_page.validatePage = self.run_import  # type: ignore[method-assign]

        for page in (self.file_page, self.mapping_page, self.import_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")

    # -- page 1 -------------------------------------------------------------------------------

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Revenue report", str(Path.home()), "Reports (*.csv *.xlsx *.txt)")
        if path:
            self.path.setText(path)

    def _list_mappings(self) -> None:
        self.saved_mapping.clear()
        self.saved_mapping.addItem("(propose from the headers)", None)
        with self.database.read() as work:
            for mapping_id, name in revenue_screen.mappings(work, self.source.currentData()):
                self.saved_mapping.addItem(name, mapping_id)

    def read_file(self) -> bool:
        if self.source.currentData() is None:
            show_problems(self.file_problems, "Add a revenue source first (the platform or channel the report is from).")
            return False
        self.checked = self.checked_for = None
        path = Path(self.path.text().strip())
        mapping: dict[str, str] | None = None
        options = Options()
        if self.saved_mapping.currentData() is not None:
            with self.database.read() as session:
                mapping, options = revenue.load_mapping(session, self.saved_mapping.currentData())
        try:
            encoding = options.encoding or revenue.proposed_encoding(path)
            self.table = revenue.read_head(path, self.path.text(), self.sheet.text().strip(), rows=PREVIEW_ROWS,
                                           encoding=encoding)
        except OSError as error:
            show_problems(self.file_problems, f"Cannot read the file: {error.strerror or error}")
            return False
        except UserError as error:
            show_problems(self.file_problems, error)
            return False
        if mapping is None:
            mapping = propose_mapping(self.table.headers)
            proposed = revenue_mapping.type_words(self.table, mapping)
            options = replace(options, revenue_types={word: kind for word, kind in proposed.items() if kind})
        self.show_mapping(mapping, replace(options, encoding=encoding))
        return True

    def encoding_changed(self, name: str) -> None:
        """The file read again in the encoding chosen: its first lines as they decode, and the preview."""
        if self.table is None or self._showing:
            return
        path = Path(self.path.text().strip())
        try:
            self.table = revenue.read_head(path, self.path.text(), self.sheet.text().strip(), rows=PREVIEW_ROWS,
                                           encoding=name.strip())
        except (OSError, UserError) as error:
            self.decoded.setPlainText(str(error))
            return
        self.show_mapping(self.mapping(), self.options())

    # -- page 2 -------------------------------------------------------------------------------

    _showing = False

    def show_mapping(self, mapping: dict[str, str], options: Options) -> None:
        assert self.table is not None
        self._showing = True
        for field, combo in self.columns.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NONE, "")
            for header in self.table.headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(field, ""))))
            combo.blockSignals(False)
        self.decimal.setCurrentIndex(max(0, self.decimal.findData(options.decimal)))
        self.dates.setCurrentIndex(max(0, self.dates.findData(options.dates)))
        self.encoding.setCurrentText(options.encoding)
        is_text = bool(self.table.encoding)
        self.encoding.setEnabled(is_text)
        self.decoded.setVisible(is_text)
        if is_text:
            self.decoded.setPlainText(revenue.decoded_head(Path(self.path.text().strip()), options.encoding))
        self.file_currency.setText(options.currency)
        self.revenue_type.setCurrentIndex(max(0, self.revenue_type.findData(options.revenue_type)))
        self.show_type_words(mapping, options.revenue_types)
        self._showing = False
        self.preview()

    def show_type_words(self, mapping: dict[str, str], words: dict[str, Any]) -> None:
        """A row per word of the type column (in the rows read, and the mapping's own), each with its
        type or none chosen: a word left without a type refuses its rows."""
        assert self.table is not None
        found = {**revenue_mapping.type_words(self.table, mapping), **words}
        self.type_words.setRowCount(len(found))
        for row, (word, kind) in enumerate(sorted(found.items())):
            self.type_words.setItem(row, 0, QTableWidgetItem(word))
            combo = QComboBox(objectName=f"import-type-{word}")
            combo.addItem("(choose)", None)
            for choice in RevenueType:
                combo.addItem(choice.value.replace("_", " "), choice)
            combo.setCurrentIndex(max(0, combo.findData(kind)))
            combo.currentIndexChanged.connect(self.preview)
            self.type_words.setCellWidget(row, 1, combo)

    def chosen_types(self) -> dict[str, RevenueType]:
        chosen = {}
        for row in range(self.type_words.rowCount()):
            combo = self.type_words.cellWidget(row, 1)
            if isinstance(combo, QComboBox) and combo.currentData() is not None:
                chosen[self.type_words.item(row, 0).text()] = RevenueType(combo.currentData())
        return chosen

    def mapping(self) -> dict[str, str]:
        return {field: combo.currentData() for field, combo in self.columns.items() if combo.currentData()}

    def options(self) -> Options:
        return Options(decimal=self.decimal.currentData(), dates=self.dates.currentData(),
                       currency=self.file_currency.text().strip().upper(),
                       revenue_type=RevenueType(self.revenue_type.currentData()), sheet=self.sheet.text().strip(),
                       encoding=self.encoding.currentText().strip() if self.encoding.isEnabled() else "",
                       revenue_types=self.chosen_types())

    def preview(self) -> None:
        if self.table is None or self._showing:
            return
        with self.database.read() as session:
            parsed = revenue.parse(session, self.table, self.mapping(), self.options())
        headers = ["Row", "Period", "Title", "Territory", "Media", "Type", "Gross", "Currency"]
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(headers))
        self.preview_table.setHorizontalHeaderLabels(headers)
        self.preview_table.setRowCount(len(parsed.lines))
        for row, line in enumerate(parsed.lines):
            values = (line.row, f"{line.period_start} to {line.period_end}", line.identifier, line.territory or "",
                      line.media or "", line.revenue_type.value, f"{line.gross_amount:,}", line.currency)
            for column, value in enumerate(values):
                self.preview_table.setItem(row, column, QTableWidgetItem(str(value)))
        self.preview_table.resizeColumnsToContents()
        if parsed.problems:
            show_problems(self.preview_problems, [str(p) for p in parsed.problems[:12]])
        else:
            self.preview_problems.hide()

    def check_all(self) -> bool:
        """Every row, not just the preview, read off the UI thread: the import is refused whole
        if any row is wrong. The wizard moves on once the check is done and found nothing."""
        assert self.table is not None
        wanted = (self.path.text().strip(), tuple(sorted(self.mapping().items())), self.options())
        if self.checked is not None and self.checked_for == wanted:
            return True
        if self.operation is not None:
            return False
        path, name, mapping, options = Path(wanted[0]), Path(wanted[0]).name, self.mapping(), self.options()

        def work(progress: Report) -> revenue.CheckedFile:
            with self.database.read() as session:
                return revenue.check_file(session, name, path, mapping, options, progress=progress)

        def done(checked: revenue.CheckedFile) -> None:
            if checked.problem_count:
                shown = [str(p) for p in checked.problems[:40]]
                if checked.problem_count > 40:
                    shown.append(f"… and {checked.problem_count - 40:,} more")
                show_problems(self.preview_problems, [f"Nothing can be imported until these are fixed "
                                                      f"({checked.problem_count:,}):"] + shown)
                return
            self.checked, self.checked_for = checked, wanted
            duplicate = checked.earlier_batch
            self.replace.setVisible(duplicate is not None)
            count = len(checked.lines)
            self.outcome.setText(f"{plural(count, 'line')} {'is' if count == 1 else 'are'} ready to import"
                                 + (f". This file was imported before as batch {duplicate}." if duplicate else "."))
            self.next()

        self.operation = Operation(self, "Checking the report", work).on_success(done)
        self.operation.finished.connect(self._finished)
        self.operation.run_in_background()
        return False

    # -- page 3 -------------------------------------------------------------------------------

    def run_import(self) -> bool:
        if self.report is not None:
            return True
        if self.operation is not None:
            return False
        if self.checked is None:
            return False
        source_id, checked = self.source.currentData(), self.checked
        mapping, options, replace = self.mapping(), self.options(), self.replace.isChecked()
        save_as = self.save_as.text().strip()

        def done(report: revenue.ImportReport) -> None:
            self.report, self.checked = report, None  # (the lines checked are written: let them go)
            totals = ", ".join(money(amount, currency) for currency, amount in sorted(report.totals.items()))
            late = "".join(f" {plural(count, 'line')} {'falls' if count == 1 else 'fall'} in periods already issued: "
                           f"{'it goes' if count == 1 else 'they go'} on the next statement of {where}."
                           for where, count in report.late.items())
            self.outcome.setText(f"Imported batch {report.batch_id}: {plural(report.lines, 'line')} ({totals}); "
                                 f"{report.matched:,} matched, {report.unmatched:,} waiting in Unmatched.{late}")
            self.setButtonText(QWizard.WizardButton.FinishButton, "Close")

        self.operation = act_in_background(self, "Importing", self.database, revenue_screen.import_report, source_id,
                                           checked, mapping=mapping, options=options, save_as=save_as,
                                           replace=replace, user=current_user(), on_done=done)
        self.operation.finished.connect(self._finished)
        return False

    def _finished(self) -> None:
        self.operation = None
