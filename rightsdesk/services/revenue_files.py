"""Reading a revenue report file, CSV or XLSX, as rows: a whole small file (read_table), the
first rows (read_head), or a report of any size an iterator of rows at a time, hashed on its way
(read_report), in whatever encoding and delimiter it was written."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from itertools import islice
from typing import Any, BinaryIO

from rightsdesk.domain import revenue
from rightsdesk.domain.errors import UserError

# A report: its bytes, its path, or a binary file open on it (read from where it stands).
Report = bytes | str | os.PathLike[str] | BinaryIO

_HEAD_BYTES = 1 << 16  # enough to tell the encoding and sniff the delimiter


@dataclass(frozen=True)
class Table:
    """A report's header and data rows, as read from CSV or XLSX."""

    headers: list[str]
    rows: list[list[Any]]


def read_table(content: bytes, file_name: str, sheet: str = "") -> Table:
    """A whole CSV or XLSX file as a table (for files of hundreds of rows; a revenue report of any
    size is read by check_file, its first rows by read_head)."""
    if content[:2] == b"PK" or file_name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook  # (a CSV never needs it)

        try:
            book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds for a bad file)
            raise UserError(f"{file_name} is not a workbook that can be read ({error})") from error
        if sheet and sheet not in book.sheetnames:
            raise UserError(f"{file_name} has no sheet '{sheet}' (it has {', '.join(book.sheetnames)})")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)
                if any(v is not None and str(v).strip() for v in row)]
    else:
        rows = revenue.csv_rows(content)  # type: ignore[assignment]
    if not rows:
        raise UserError(f"{file_name} holds no rows")
    return Table([str(h).strip() if h is not None else "" for h in rows[0]], rows[1:])


class _Hashing(io.RawIOBase):
    """Reads through a binary file, hashing and counting the bytes on their way."""

    def __init__(self, raw: BinaryIO):
        self.raw, self.sha, self.read_bytes = raw, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self.sha.update(memoryview(buffer)[:count])
            self.read_bytes += count
        return count or 0


@contextmanager
def _opened(report: Report) -> Iterator[BinaryIO]:
    if isinstance(report, bytes | bytearray):
        yield BytesIO(report)
    elif isinstance(report, str | os.PathLike):
        with open(report, "rb") as handle:
            yield handle
    elif report.seekable():
        yield report
    else:
        yield BytesIO(report.read())  # (a pipe: the encoding may need a second reading)


def _size(handle: BinaryIO) -> int:
    here = handle.tell()
    size = handle.seek(0, os.SEEK_END)
    handle.seek(here)
    return max(1, size - here)


def _is_workbook(head: bytes, file_name: str) -> bool:
    return head[:2] == b"PK" or file_name.lower().endswith((".xlsx", ".xlsm"))


def _encodings(head: bytes) -> list[str]:
    """What to read a CSV as (revenue.decode's order): the next is tried when one fails."""
    if head.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig"]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    return ["utf-8", "cp1252"]


@dataclass
class Reading:
    """A report being read: its header, an iterator of its other rows, how far it has got."""

    headers: list[str]
    rows: Iterator[list[Any]]
    percent: Callable[[], int]  # of the file read so far
    digest: Callable[[], str]  # SHA-256 of all its bytes, hex (reads what is left first)


def _csv_reading(handle: BinaryIO, head: bytes, encoding: str, size: int) -> Reading:
    hashing = _Hashing(handle)
    sample = head.decode(encoding, errors="ignore")[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    text = io.TextIOWrapper(io.BufferedReader(hashing, 1 << 20), encoding=encoding, newline="")
    rows = csv.reader(text, dialect)

    def digest() -> str:
        while hashing.read(1 << 20):
            pass
        return hashing.sha.hexdigest()

    return Reading([], rows, lambda: min(99, 100 * hashing.read_bytes // size), digest)


def _workbook_reading(handle: BinaryIO, file_name: str, sheet: str) -> Reading:
    from openpyxl import load_workbook  # (a CSV never needs it)

    start, sha = handle.tell(), hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        sha.update(block)
    handle.seek(start)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds for a bad file)
        raise UserError(f"{file_name} is not a workbook that can be read ({error})") from error
    if sheet and sheet not in book.sheetnames:
        raise UserError(f"{file_name} has no sheet '{sheet}' (it has {', '.join(book.sheetnames)})")
    worksheet = book[sheet] if sheet else book.worksheets[0]
    total, done = max(1, worksheet.max_row or 1), [0]

    def rows() -> Iterator[list[Any]]:
        for row in worksheet.iter_rows(values_only=True):
            done[0] += 1
            yield list(row)

    return Reading([], rows(), lambda: min(99, 100 * done[0] // total), sha.hexdigest)


def _blank(row: list[Any]) -> bool:
    return not any(cell is not None and str(cell).strip() for cell in row)


def read_report(report: Report, file_name: str, sheet: str, use: Callable[[Reading], Any]) -> Any:
    """Open a report and hand `use` its reading (the header read), again with the next encoding
    if a CSV turns out not to be in the one tried; `use`'s result."""
    with _opened(report) as handle:
        start = handle.tell()
        size = _size(handle)
        head = handle.read(_HEAD_BYTES)
        workbook = _is_workbook(head, file_name)
        encodings = [""] if workbook else _encodings(head)
        for encoding in encodings:
            handle.seek(start)
            try:
                reading = (_workbook_reading(handle, file_name, sheet) if workbook
                           else _csv_reading(handle, head, encoding, size))
                header = next((row for row in reading.rows if not _blank(row)), None)
                if header is None:
                    raise UserError(f"{file_name} holds no rows")
                reading.headers = [str(h).strip() if h is not None else "" for h in header]
                return use(reading)
            except UnicodeDecodeError:
                if encoding == encodings[-1]:
                    raise UserError(f"{file_name} is not text that can be read (UTF-8, UTF-16 or Windows-1252)") from None
    raise AssertionError("unreachable")


def read_head(report: Report, file_name: str, sheet: str = "", rows: int = 20) -> Table:
    """The header and first `rows` rows of a report, not blank, read without reading the rest."""
    def first(reading: Reading) -> Table:
        return Table(reading.headers, list(islice((row for row in reading.rows if not _blank(row)), rows)))

    return read_report(report, file_name, sheet, first)
