"""Statements of a period as a workbook accountants can audit: a summary sheet (a row per
statement) whose figures are live formulas over a detail sheet per statement, where each step's
total is a SUMIF over that statement's own lines.

The workbook is written as statements arrive (`StatementWorkbook.add`), with XlsxWriter's
constant-memory mode: each row goes to disk once the next begins, so a thousand statements of a
hundred lines each take no more memory than one, and about half the time of openpyxl's
write-only mode (bench/reports.py measures both). openpyxl still reads workbooks.
Rows are written whole (`_Sheet.put_row`), the XML XlsxWriter writes cell by cell.
Every formula carries the value it computes to, so a viewer that does not recalculate shows
the right figures too.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from openpyxl.utils import get_column_letter, quote_sheetname
from xlsxwriter import Workbook
from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate
from xlsxwriter.format import Format
from xlsxwriter.url import Url
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.xmlwriter import XMLwriter

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.reports import excel
from rightsdesk.services.statement_documents import SUMMARY, StatementDocument
from rightsdesk.services.statement_revenue import Unstated

# Every step of the waterfall, in the order it runs (the PDF's summary, all of it).
STEPS = tuple((kind, label) for kind, label, _ in SUMMARY)
BOLD_STEPS = {StatementLineKind.NET_RECEIPTS, StatementLineKind.PAYABLE, StatementLineKind.PAID, StatementLineKind.TO_PAY}
DETAIL_HEADERS = ("Step", "Description", "Title", "Media", "Territory", "Amount", "Revenue period", "Reported late",
                  "Source amount", "Source currency", "FX rate", "Rate of")
UNSTATED_HEADERS = ("Line", "Source", "Identifier", "Period start", "Period end", "Territory", "Currency", "Amount",
                    "Reason")
SUMMARY_HEADERS = ("Statement", "Status", "Period", "Period start", "Period end", "Deal", "Participant", "Currency") + tuple(
    label for _, label in STEPS) + ("Detail sheet",)
FIRST_AMOUNT_COLUMN = 9  # I: gross receipts on the summary
STEP_ROW = 3  # the first step's total on a detail sheet
FIRST_LINE = STEP_ROW + len(STEPS) + 2  # the first line, under its header row
SUMMARY_WIDTHS = [18, 9, 9, 12, 12, 16, 36, 9] + [16] * len(STEPS) + [30]
DETAIL_WIDTHS = (22, 48, 36, 10, 10, 16, 12, 10, 16, 10, 14, 12)
UNSTATED_WIDTHS = (8, 18, 24, 12, 12, 10, 10, 16, 60)
SOURCE_AMOUNT = "#,##0.00"
FX_RATE = "0.0000######"


UNSTATED_LATER = object()  # see StatementWorkbook


def number_format(minor_units: int) -> str:
    decimals = "." + "0" * minor_units if minor_units else ""
    return f"#,##0{decimals};[Red]-#,##0{decimals}"


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula cell for put_row: the formula (with or without its "=") and the value it
    computes to, shown by viewers that do not recalculate."""

    formula: str
    value: float


@dataclass(frozen=True, slots=True)
class Link:
    """A link cell for put_row: its text and where it leads ("internal:'Sheet'!A1" or a URL)."""

    text: str
    target: str


Cell = tuple[int, "str | float | date | Formula | Link", "Format | None"]  # column, value, format


class _Sheet(Worksheet):
    """A worksheet whose formulas are written as given, and whose rows can be written whole.

    XlsxWriter rewrites every formula with ~30 regular expressions, naming the functions newer
    Excel added (FILTER, XLOOKUP…): a quarter of the workbook's time at a thousand statements.
    Ours use references and SUMIF only.

    put_row writes a row's cells as XlsxWriter writes them in constant-memory mode, the same
    XML byte for byte, but as one string per row: through write_string and the like, each
    cell is checked, stored, looked up again and written through a dozen calls, which was
    most of the workbook's time (a statement's lines are ~230 000 cells at a thousand)."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula

    def put_row(self, row: int, cells: Iterable[Cell]) -> None:
        """One row's cells (column, value, format; in column order, none empty), written to
        the sheet's row file now. Text is always text (never a formula or rich text, whatever
        it holds; cut to Excel's 32 767 characters), a float or int a number, a date a date (in
        the sheet's default date format when it has none), a Formula a formula with its value.
        The row must come after every row written so far; raises ValueError otherwise, or when
        a cell is outside a worksheet."""
        cells = list(cells)
        if not cells:
            return
        if not self.constant_memory:
            raise ValueError("put_row writes rows in constant-memory mode only")
        if row < self.previous_row or (row == self.previous_row and self.table.get(row)):
            raise ValueError(f"row {row} is written already: rows go down the sheet")
        if self._check_dimensions(row, cells[0][0]) or self._check_dimensions(row, cells[-1][0]):
            raise ValueError(f"row {row}, columns {cells[0][0]} to {cells[-1][0]} are outside a worksheet")
        self._write_single_row(row)  # whatever was written cell by cell before it
        self.previous_row = row + 1  # nothing more goes into this row
        reference = str(row + 1)
        parts = [f'<row r="{reference}">']
        for column, value, cell_format in cells:
            kind = type(value)
            if cell_format is None and isinstance(value, date):
                cell_format = self.default_date_format
            style = cell_format._get_xf_index() if cell_format is not None else self._column_style(column)
            head = f'<c r="{_column_name(column)}{reference}"' + (f' s="{style}"' if style else "")
            if kind is Link:
                self._link(row, column, value)  # type: ignore[arg-type]
                value, kind = value.text, str  # type: ignore[union-attr]
            if kind is str or isinstance(value, str):
                parts.append(head + _inline_text(value, self.xls_strmax))  # type: ignore[arg-type]
            elif kind is float or kind is int:
                parts.append(f"{head}><v>{value:.16G}</v></c>")
            elif kind is Formula:
                formula = self._escape_data(self._prepare_formula(value.formula))  # type: ignore[union-attr]
                parts.append(f"{head}><f>{formula}</f><v>{value.value}</v></c>")  # type: ignore[union-attr]
            elif isinstance(value, date):
                parts.append(f"{head}><v>{self._convert_date_time(value):.16G}</v></c>")
            else:
                parts.append(f"{head}><v>{value:.16G}</v></c>")
        parts.append("</row>")
        self.fh.write("".join(parts))

    def _link(self, row: int, column: int, link: Link) -> None:
        """What write_url records of a link beside its text (which put_row writes)."""
        url = Url(link.target)
        url.text = link.text
        self.hlink_count += 1
        if self.hlink_count > 65530:
            raise ValueError("a worksheet holds at most 65 530 links")
        self.hyperlinks[row][column] = url

    def _column_style(self, column: int) -> int:
        """The format index a cell without a format of its own takes from its column (0: none)."""
        info = self.col_info.get(column)
        return info.column_format._get_xf_index() if info is not None and info.column_format is not None else 0


_XML = XMLwriter()  # for its escaping, which uses nothing of the writer


@lru_cache(maxsize=65536)
def _inline_text(value: str, longest: int) -> str:
    """The rest of a text cell's XML after its reference and style, as XlsxWriter writes it in
    constant-memory mode (cut to `longest` UTF-16 units, control characters as Excel escapes
    them, blank edges kept), never as rich text. Cached: titles, media, territories and
    periods repeat on every statement's lines."""
    if len(value) > longest // 2 and _utf16_len(value) > longest:
        value = _utf16_truncate(value, longest)
    value = _XML._escape_control_characters(value)
    space = ' xml:space="preserve"' if _preserve_whitespace(value) else ""
    return f' t="inlineStr"><is><t{space}>{_XML._escape_data(value)}</t></is></c>'


@lru_cache(maxsize=64)
def _column_name(column: int) -> str:
    return get_column_letter(column + 1)


_NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\]")  # what Excel refuses in a sheet's name


class _Book(Workbook):
    """XlsxWriter's workbook with a set of the sheet names taken. XlsxWriter compares each new
    name with every sheet's: quadratic, and seconds at a couple of thousand statements. Any
    name not plainly valid and new still gets XlsxWriter's own check, and its message."""

    worksheet_class = _Sheet

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._taken: set[str] = set()

    def _check_sheetname(self, sheetname: str | None, is_chartsheet: bool = False) -> str:
        plain = (not is_chartsheet and bool(sheetname) and sheetname.lower() not in self._taken  # type: ignore[union-attr]
                 and len(sheetname.encode("utf-16-le")) <= 62 and not _NOT_IN_NAMES.search(sheetname)  # type: ignore[union-attr]
                 and not sheetname.startswith("'") and not sheetname.endswith("'"))  # type: ignore[union-attr]
        if plain:
            self.sheetname_count += 1
        else:
            sheetname = super()._check_sheetname(sheetname, is_chartsheet)
        self._taken.add(sheetname.lower())  # type: ignore[union-attr]
        return sheetname  # type: ignore[return-value]


def statement_workbook(documents: Iterable[StatementDocument], unstated: list[Unstated] | None = None) -> bytes:
    """The summary, a sheet per statement and, when given, "Not on a statement": every imported
    line (or part) no statement holds, with its reason, so the period reconciles."""
    buffer = io.BytesIO()
    with StatementWorkbook(buffer, unstated) as book:
        for document in documents:
            book.add(document)
    return buffer.getvalue()


class StatementWorkbook:
    """The statement workbook written one statement at a time: `add()` each, then `close()`
    (or use it as a context manager). The summary comes first, then "Not on a statement" when
    `unstated` is given, then a detail sheet per statement in the order they were added.
    `unstated` may be UNSTATED_LATER: the sheet has its place, and its lines are given to
    add_unstated() before closing (they may be read while the statements are added)."""

    def __init__(self, target: Path | IO[bytes], unstated: list[Unstated] | object | None = None) -> None:
        # XlsxWriter's temporary files (a sheet's rows until close) in a folder of our own, gone with the workbook
        self._scratch = tempfile.TemporaryDirectory(prefix="rightsdesk-workbook-", dir=_scratch_parent())
        self.book = _Book(target if isinstance(target, io.IOBase) else str(target),
                          {"constant_memory": True, "tmpdir": self._scratch.name})
        self._formats: dict[tuple[Any, ...], Format] = {}
        self._names = excel.SheetNames(["Summary", "Not on a statement"])
        self.count = 0
        self.closed = False
        self._totals: dict[str, list[Decimal]] = {}  # currency -> each step's total, for the summary's cached values
        self._minor_units: dict[str, int] = {}
        self.summary = self._summary_sheet()
        self._unstated_sheet: _Sheet | None = None
        if unstated is not None:
            self._unstated_sheet = self._unstated_header()
            if unstated is not UNSTATED_LATER:
                self.add_unstated(unstated)  # type: ignore[arg-type]

    def __enter__(self) -> StatementWorkbook:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()

    def abandon(self) -> None:
        """Stop without writing the file (nothing has been written to the target yet)."""
        if not self.closed:
            self.closed = True
            self.book.fileclosed = True
            self._scratch.cleanup()

    def format(self, number_format: str | None = None, *, bold: bool = False, header: bool = False,
               size: float | None = None, link: bool = False) -> Format:
        key = (number_format, bold, header, size, link)
        if key not in self._formats:
            properties: dict[str, Any] = {}
            if number_format:
                properties["num_format"] = number_format
            if bold or header:
                properties["bold"] = True
            if header:
                properties |= {"pattern": 1, "bg_color": f"#{excel.HEADER_COLOUR}"}
            if size:
                properties["font_size"] = size
            if link:
                properties |= {"font_color": "#1F4E79", "underline": 1}
            self._formats[key] = self.book.add_format(properties)
        return self._formats[key]

    def add(self, document: StatementDocument) -> None:
        """The statement's row on the summary and its own sheet."""
        name = self._names.take(f"{document.number or 'DRAFT'} {document.participant}")
        totals = [document.total(kind) for kind, _ in STEPS]
        self._summary_row(document, name, totals)
        self._detail(document, name, totals)
        self.count += 1
        sums = self._totals.setdefault(document.currency, [Decimal(0)] * len(STEPS))
        self._totals[document.currency] = [a + b for a, b in zip(sums, totals)]
        self._minor_units.setdefault(document.currency, document.minor_units)

    def close(self) -> None:
        """The summary's totals per currency and its filter, then the file."""
        if self.closed:
            return
        self.closed = True
        sheet, last = self.summary, self.count + 1
        sheet.autofilter(0, 0, last - 1, len(SUMMARY_HEADERS) - 1)
        # Totals per currency: SUMIFs over the rows above, so they stay right when rows are filtered or edited.
        for row, currency in enumerate(sorted(self._totals), start=last + 1):
            money = self.format(number_format(self._minor_units[currency]), bold=True)
            text(sheet, row, 6, f"Total {currency}", self.format(bold=True))
            text(sheet, row, 7, currency)
            for offset, total in enumerate(self._totals[currency]):
                column = get_column_letter(FIRST_AMOUNT_COLUMN + offset)
                sheet.write_formula(row, FIRST_AMOUNT_COLUMN - 1 + offset,
                                    f'=SUMIF($H$2:$H${last},"{currency}",{column}$2:{column}${last})', money, float(total))
        try:
            self.book.close()
        finally:
            self._scratch.cleanup()

    def _summary_sheet(self) -> Worksheet:
        sheet = self.book.add_worksheet("Summary")
        for column, width in enumerate(SUMMARY_WIDTHS):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        sheet.repeat_rows(0)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        header = self.format(header=True)
        for column, title in enumerate(SUMMARY_HEADERS):
            sheet.write_string(0, column, title, header)
        return sheet

    def _summary_row(self, document: StatementDocument, name: str, totals: list[Decimal]) -> None:
        day, money = self.format(excel.DATE_FORMAT), self.format(number_format(document.minor_units))
        reference = quote_sheetname(name)
        cells: list[Cell] = [*_texts(enumerate((document.number or "DRAFT", document.status.value, document.period))),
                             (3, document.period_start, day), (4, document.period_end, day),
                             *_texts(enumerate((document.deal_reference, document.participant, document.currency),
                                               start=5))]
        cells += [(FIRST_AMOUNT_COLUMN - 1 + offset, Formula(f"{reference}!$C${STEP_ROW + offset}", float(total)), money)
                  for offset, total in enumerate(totals)]
        cells.append((len(SUMMARY_HEADERS) - 1, Link(name, f"internal:{reference}!A1"), self.format(link=True)))
        self.summary.put_row(self.count + 1, cells)

    def _detail(self, document: StatementDocument, name: str, totals: list[Decimal]) -> None:
        sheet = self.book.add_worksheet(name)
        money = self.format(number_format(document.minor_units))
        last_line = FIRST_LINE + max(len(document.lines), 1) - 1
        for column, width in enumerate(DETAIL_WIDTHS):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(FIRST_LINE - 1, 0)
        sheet.autofilter(FIRST_LINE - 2, 0, last_line - 1, len(DETAIL_HEADERS) - 1)
        sheet.repeat_rows(FIRST_LINE - 2)
        sheet.fit_to_pages(1, 0)
        sheet.put_row(0, _texts([(0, f"{document.participant} · {document.deal_reference} · {document.period} · "
                                     f"{document.currency}")], self.format(bold=True, size=12)))
        bold = self.format(bold=True)
        sheet.put_row(1, [(column, title, bold) for column, title in enumerate(("Step", "Line kind", "Total"))])
        lines = f"${FIRST_LINE}:$A${last_line}"
        bold_money = self.format(number_format(document.minor_units), bold=True)
        for offset, ((kind, label), total) in enumerate(zip(STEPS, totals)):
            row = STEP_ROW + offset  # in Excel's numbering; XlsxWriter counts from 0
            heavy = kind in BOLD_STEPS
            sheet.put_row(row - 1, [(0, label, bold if heavy else None), (1, kind.value, None),
                                    (2, Formula(f"SUMIF($A{lines},$B{row},$F${FIRST_LINE}:$F${last_line})",
                                                float(total)), bold_money if heavy else money)])
        header = self.format(header=True)
        # a blank row between the totals and the lines they add up
        sheet.put_row(FIRST_LINE - 2, [(column, title, header) for column, title in enumerate(DETAIL_HEADERS)])
        source, rate, day = self.format(SOURCE_AMOUNT), self.format(FX_RATE), self.format(excel.DATE_FORMAT)
        for row, line in enumerate(document.lines, start=FIRST_LINE - 1):
            cells = _texts(enumerate((line.kind.value, line.description, line.title, line.media, line.territory)))
            cells.append((5, float(line.amount), money))
            cells += _texts([(6, line.period)])
            if line.late:
                cells.append((7, "yes", None))
            if line.conversion:
                cells.append((8, float(line.source_amount or 0), source))
                cells += _texts([(9, line.source_currency)])
                cells.append((10, float(line.fx_rate or 0), rate))
                if line.fx_date is not None:
                    cells.append((11, line.fx_date, day))
            sheet.put_row(row, cells)
        _put_away(sheet)

    def _unstated_header(self) -> _Sheet:
        sheet = self.book.add_worksheet("Not on a statement")
        for column, width in enumerate(UNSTATED_WIDTHS):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        header = self.format(header=True)
        for column, title in enumerate(UNSTATED_HEADERS):
            sheet.write_string(0, column, title, header)
        return sheet

    def add_unstated(self, lines: list[Unstated]) -> None:
        """The lines of "Not on a statement" (its sheet made when the workbook was, given
        `unstated`); once only. ValueError when there is no such sheet or it is filled."""
        for _ in self.adding_unstated(lines):
            pass

    def adding_unstated(self, lines: list[Unstated], rows_at_once: int = 250) -> Iterator[None]:
        """add_unstated a part at a time, for an export that writes the sheet between its
        statements: each step of the iterator writes up to `rows_at_once` rows, the last one
        finishes the sheet. The sheet counts as filled from this call (ValueError as
        add_unstated), whether or not every part is written."""
        sheet = self._unstated_sheet
        if sheet is None:
            raise ValueError('this workbook has no "Not on a statement" sheet, or it is filled already')
        self._unstated_sheet = None
        return self._unstated_parts(sheet, lines, rows_at_once)

    def _unstated_parts(self, sheet: _Sheet, lines: list[Unstated], rows_at_once: int) -> Iterator[None]:
        sheet.autofilter(0, 0, max(len(lines), 1), len(UNSTATED_HEADERS) - 1)
        day, money = self.format(excel.DATE_FORMAT), self.format("#,##0.00;[Red]-#,##0.00")
        # (a row at a time: at a month-end of a million lines, 200 000 rows, written cell by
        # cell in 9 s at the end of the export, on one core; see put_row)
        for row, line in enumerate(lines, start=1):
            sheet.put_row(row, [(0, line.line_id, None), *_texts([(1, line.source), (2, line.identifier)]),
                                *[(column, value, day) for column, value in ((3, line.period_start), (4, line.period_end))
                                  if isinstance(value, date)],
                                *_texts([(5, line.territory), (6, line.currency)]), (7, float(line.amount), money),
                                *_texts([(8, line.reason)])])
            if row % rows_at_once == 0:
                yield
        if not lines:
            sheet.write_string(1, 0, "Every imported line is on a statement.")
        _put_away(sheet)
        yield


def _scratch_parent() -> str | None:
    """Where XlsxWriter's temporary files go: a folder in memory (Linux's /dev/shm) when there
    is one, else the system's temporary folder (None). A workbook of a thousand statements makes
    two thousand of them (each sheet's rows until close, then each part before it is zipped),
    each created, written, read back and deleted: on a disk each asks the file system's journal,
    and on a machine busy writing other files that cost 1-2 s of the workbook's ~5 s of CPU
    (issue 15). They hold about 20 KB a statement, twice that while the workbook is packed."""
    shared = Path("/dev/shm")
    return str(shared) if shared.is_dir() and os.access(shared, os.W_OK | os.X_OK) else None


def _put_away(sheet: Worksheet) -> None:
    """Done with this sheet: its rows wait on disk for close() without holding a file open each
    (a period of a few thousand statements would pass the limit of open files). XlsxWriter does
    this itself for every sheet when the workbook closes, and reopens each as it packs it."""
    close = getattr(sheet, "_opt_close", None)
    if close is not None:
        close()


def _texts(cells: Iterable[tuple[int, str | None]], cell_format: Format | None = None) -> list[Cell]:
    """User text as put_row's cells (see text): without the characters XML cannot hold, and
    none for an empty value."""
    return [(column, _clean_text(value), cell_format) for column, value in cells if value]


_clean_text = lru_cache(maxsize=65536)(excel.clean_text)  # a statement's lines repeat their texts


def text(sheet: Worksheet, row: int, column: int, value: str | None, cell_format: Format | None = None) -> None:
    """User text, always as text (never a formula, whatever it starts with), without the
    characters XML cannot hold; nothing for an empty value."""
    if value:
        sheet.write_string(row, column, excel.clean_text(value), cell_format)
