"""Reading CSV and spreadsheet files for imports: every row with the file's own row numbers, and a
formula whose result was never saved marked as such (rightsdesk.domain.reading.Formula), never
read as an empty cell (issue 16)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from rightsdesk.domain.words import plural_word
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.reading import FORMULA_REASON, Formula, Refused, csv_records, decode, overflowing
from rightsdesk.domain.revenue import FileProblem

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


# The first bytes of an OLE2 compound file: an .xls workbook, or an .xlsx encrypted with a password.
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")


class Spreadsheet:
    """A workbook opened for reading: the saved values, and the formulas behind empty ones."""

    def __init__(self, content: bytes):
        if content.startswith(OLE2):
            raise UserError("this is an Excel 97-2003 workbook (.xls) or a password-protected one, which cannot be read: "
                            "save it as an Excel Workbook (.xlsx), without a password")
        # (openpyxl, and numpy with it, ~0.3 s to load: loaded when a workbook is read, not with
        # every screen and command whose module reaches this one)
        from openpyxl import load_workbook

        try:
            self.values: Workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
            self._formulas: Workbook = load_workbook(BytesIO(content), read_only=True, data_only=False)
        except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds for a bad file)
            raise UserError(f"this is not an Excel workbook that can be read ({error})") from error

    @property
    def sheet_names(self) -> list[str]:
        return list(self.values.sheetnames)

    def rows(self, sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(row number as the spreadsheet shows it, cell values) of every row of `sheet` (the
        first when None), blank rows included so numbers never shift; a formula cell with no
        saved result is a Formula."""
        name = sheet or self.values.sheetnames[0]
        saved = self.values[name].iter_rows(values_only=True)
        written = self._formulas[name].iter_rows(values_only=True)
        for number, (values, formulas) in enumerate(zip_longest(saved, written, fillvalue=()), start=1):
            cells = list(values)
            for index, formula in enumerate(formulas or ()):
                if isinstance(formula, str) and formula.startswith("=") and (index >= len(cells) or cells[index] is None):
                    cells += [None] * (index + 1 - len(cells))
                    cells[index] = Formula(formula)
            yield number, cells

    def close(self) -> None:
        self.values.close()
        self._formulas.close()


@dataclass(frozen=True)
class Records:
    """A file's header and its filled data rows, each with the file's own row number."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]


def read_records(content: bytes, file_name: str, *, sheet: str = "", encoding: str | None = None) -> Records:
    """The header (the first filled row) and the filled rows below it of a CSV or XLSX file.
    CSV text is read in its declared `encoding` (UTF-8 or a BOM when None), strictly. Raises
    UserError for a file that cannot be read, has no such sheet, or holds no rows."""
    if content[:2] == b"PK" or content.startswith(OLE2) or file_name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        book = Spreadsheet(content)
        try:
            if sheet and sheet not in book.sheet_names:
                raise UserError(f"{file_name} has no sheet '{sheet}' (it has {', '.join(book.sheet_names)})")
            rows = [(n, values) for n, values in book.rows(sheet or None)
                    if any(v is not None and str(v).strip() for v in values)]
        finally:
            book.close()
    else:
        try:
            rows = [(n, list(values)) for n, values in csv_records(decode(content, encoding))]
        except Refused as refused:
            raise UserError(f"{file_name} cannot be read: {refused}") from None
        if rows and (why := overflowing(rows[1:], len(rows[0][1]))):
            raise UserError(f"{file_name} cannot be read: {why}")
    if not rows:
        raise UserError(f"{file_name} holds no rows")
    header_row, header = rows[0]
    return Records([str(h).strip() if h is not None else "" for h in header], header_row, rows[1:])


def sheet_table(book: Spreadsheet, name: str, columns: tuple[str, ...], problems: list[FileProblem],
                optional: tuple[str, ...] = ()) -> list[tuple[int, dict[str, Any]]]:
    """A template sheet's filled rows as (row number in the sheet, {column: value}), the header
    being its first filled row (a row of blanks, spaces included, is no row). A missing column
    is a problem (with the header's row); a missing optional one reads as empty. A formula with
    no saved result is a problem in every column (text ones too: never read as the formula's
    text), and reads as empty."""
    rows = [(n, values) for n, values in book.rows(name) if any(str(v).strip() for v in values if v is not None)]
    if not rows:
        return []
    header_row, header = rows[0]
    headers = [str(h).strip() if h is not None else "" for h in header]
    absent = [c for c in columns if c not in headers]
    if absent:
        problems.append(FileProblem(header_row, name, "", f"missing {plural_word(len(absent), 'column')}: {', '.join(absent)}"))
        return []
    found = []
    for number, values in rows[1:]:
        cells = {c: values[headers.index(c)] if c in headers and headers.index(c) < len(values) else None
                 for c in columns + optional}
        for column, value in cells.items():
            if isinstance(value, Formula):
                problems.append(FileProblem(number, f"{name}!{column}", "", FORMULA_REASON.format(formula=value.text)))
                cells[column] = None
        found.append((number, cells))
    return found
