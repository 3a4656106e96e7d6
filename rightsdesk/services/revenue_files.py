"""Reading a revenue report file, CSV or XLSX, as rows: a whole small file (read_table), the
first rows (read_head), or a report of any size a chunk of rows at a time, hashed on its way
(read_report). A CSV is read in the encoding its source's mapping declares (UTF-8, or what a BOM
says, when none), strictly: a byte that does not decode refuses the file, naming its line and the
encoding it looks like (issue 16). Every row keeps its own number in the file; an XLSX formula
with no saved result is a reading.Formula, never an empty cell."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from itertools import islice
from typing import Any, BinaryIO

from rightsdesk.domain import reading
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.revenue import is_blank

# A report: its bytes, its path, or a binary file open on it (read from where it stands).
Report = bytes | str | os.PathLike[str] | BinaryIO

_HEAD_BYTES = 1 << 16  # enough to sniff the delimiter


@dataclass(frozen=True)
class Table:
    """A report's header and first data rows (not blank), with each row's number in the file."""

    headers: list[str]
    rows: list[list[Any]]
    numbers: list[int] = field(default_factory=list)
    encoding: str = ""  # the encoding the text was read in ("" for a workbook)


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
        yield BytesIO(report.read())  # (a pipe: a refused encoding reads it again to say where)


def _size(handle: BinaryIO) -> int:
    here = handle.tell()
    size = handle.seek(0, os.SEEK_END)
    handle.seek(here)
    return max(1, size - here)


def _is_workbook(head: bytes, file_name: str) -> bool:
    return head[:2] == b"PK" or head.startswith(_OLE2) or file_name.lower().endswith((".xlsx", ".xlsm", ".xls"))


_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")


def _encoding(head: bytes, declared: str) -> str:
    """What a CSV is read as: a BOM's encoding, else the declared one, else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            raise UserError(f"'{declared}' is not a text encoding (e.g. utf-8, windows-1252, gb18030, big5, "
                            "shift_jis, euc-kr)") from None
        return declared
    return "utf-8"


@dataclass
class Reading:
    """A report being read: its header (and its row), its other rows a chunk at a time with
    their numbers in the file, how far it has got."""

    headers: list[str]
    header_row: int
    chunks: Callable[[int], Iterator[tuple[Sequence[int], list[list[Any]]]]]  # (numbers, rows) of up to n rows
    percent: Callable[[], int]  # of the file read so far
    digest: Callable[[], str]  # SHA-256 of all its bytes, hex (reads what is left first)
    encoding: str = ""


def _line_breaks(row: list[str]) -> int:
    """Line breaks inside a CSV record's quoted values (each a line of the file)."""
    return sum(cell.count("\n") + cell.count("\r") - cell.count("\r\n") for cell in row)


def _csv_reading(handle: BinaryIO, head: bytes, encoding: str, size: int) -> Reading:
    hashing = _Hashing(handle)
    sample = head.decode(encoding, errors="ignore")[:20000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    text = io.TextIOWrapper(io.BufferedReader(hashing, 1 << 20), encoding=encoding, errors="strict", newline="")
    # Only the delimiter is sniffed: values are quoted with '"' (RFC 4180), as reading.csv_records reads them.
    rows = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True)

    def chunks(size: int) -> Iterator[tuple[Sequence[int], list[list[Any]]]]:
        while True:
            before = rows.line_num
            chunk = list(islice(rows, size))
            if not chunk:
                return
            after = rows.line_num
            if after - before == len(chunk):  # a line a record, the usual: numbered at once
                yield range(before + 1, after + 1), chunk
                continue
            numbers, line = [], before  # a value over several lines: each record from its first line
            for row in chunk:
                numbers.append(line + 1)
                line += 1 + _line_breaks(row)
            yield numbers, chunk

    def digest() -> str:
        while hashing.read(1 << 20):
            pass
        return hashing.sha.hexdigest()

    return Reading([], 0, chunks, lambda: min(99, 100 * hashing.read_bytes // size), digest, encoding)


def _workbook_reading(handle: BinaryIO, file_name: str, sheet: str) -> Reading:
    from rightsdesk.services.spreadsheets import Spreadsheet  # (a CSV never needs openpyxl)

    content = handle.read()
    sha = hashlib.sha256(content)
    try:
        book = Spreadsheet(content)
    except UserError as error:
        raise UserError(str(error).replace("this is", f"{file_name} is", 1)) from None
    if sheet and sheet not in book.sheet_names:
        book.close()
        raise UserError(f"{file_name} has no sheet '{sheet}' (it has {', '.join(book.sheet_names)})")
    total, done = max(1, book.values[sheet or book.sheet_names[0]].max_row or 1), [0]
    rows = book.rows(sheet or None)

    def chunks(size: int) -> Iterator[tuple[Sequence[int], list[list[Any]]]]:
        while True:
            chunk = list(islice(rows, size))
            if not chunk:
                return
            done[0] = chunk[-1][0]
            yield [n for n, _ in chunk], [cells for _, cells in chunk]

    return Reading([], 0, chunks, lambda: min(99, 100 * done[0] // total), sha.hexdigest)


def read_report(report: Report, file_name: str, sheet: str, use: Callable[[Reading], Any], *,
                encoding: str = "") -> Any:
    """Open a report and hand `use` its reading (the header read); `use`'s result. A CSV is read
    in `encoding` (a BOM's, else the declared one, else UTF-8): a byte that does not decode in it
    refuses the file (UserError naming the line, the byte and, undeclared, the likely encoding)."""
    with _opened(report) as handle:
        start = handle.tell()
        size = _size(handle)
        head = handle.read(_HEAD_BYTES)
        handle.seek(start)
        if _is_workbook(head, file_name):
            reading_ = _workbook_reading(handle, file_name, sheet)
            return use(_with_header(reading_, file_name))
        chosen = _encoding(head, encoding)
        try:
            return use(_with_header(_csv_reading(handle, head, chosen, size), file_name))
        except csv.Error as error:  # (a value longer than the csv module reads: a file that is no report)
            raise UserError(f"{file_name} cannot be read as CSV: {error}") from None
        except UnicodeError:
            handle.seek(start)
            try:
                reading.decode(handle.read(), encoding or None)
            except reading.Refused as refused:
                raise UserError(f"{file_name} cannot be read: {refused}") from None
            raise UserError(f"{file_name} cannot be read as {chosen}") from None


def _with_header(found: Reading, file_name: str) -> Reading:
    """The reading with its header taken: the first row not blank."""
    for numbers, rows in found.chunks(1):
        if not is_blank(rows[0]):
            found.headers = [str(h).strip() if h is not None else "" for h in rows[0]]
            found.header_row = numbers[0]
            return found
    raise UserError(f"{file_name} holds no rows")


def read_head(report: Report, file_name: str, sheet: str = "", rows: int = 20, *, encoding: str = "") -> Table:
    """The header and first `rows` rows of a report, not blank, read without reading the rest."""
    def first(found: Reading) -> Table:
        kept: list[tuple[int, list[Any]]] = []
        for numbers, chunk in found.chunks(rows):
            kept += [(n, row) for n, row in zip(numbers, chunk) if not is_blank(row)]
            if len(kept) >= rows:
                break
        kept = kept[:rows]
        return Table(found.headers, [row for _, row in kept], [n for n, _ in kept], found.encoding)

    return read_report(report, file_name, sheet, first, encoding=encoding)


def read_table(content: bytes, file_name: str, sheet: str = "", *, encoding: str = "") -> Table:
    """A whole small CSV or XLSX file as a table (a revenue report of any size is read by
    check_file, its first rows by read_head)."""
    return read_head(content, file_name, sheet, rows=1 << 62, encoding=encoding)


def decoded_head(report: Report, encoding: str, *, lines: int = 12) -> str:
    """The first lines of a CSV report as they read in `encoding` (for the user to see that the
    encoding proposed is right); a byte that does not decode shows as \ufffd."""
    with _opened(report) as handle:
        head = handle.read(_HEAD_BYTES)
    chosen = _encoding(head, encoding)
    return "\n".join(head.decode(chosen, errors="replace").splitlines()[:lines])


def proposed_encoding(report: Report) -> str:
    """The encoding a CSV report looks like (a BOM's, UTF-8, or charset-normalizer's best
    guess), for the user to confirm; "" for a workbook or when nothing fits."""
    with _opened(report) as handle:
        head = handle.read(1 << 20)
    if _is_workbook(head[:8], "") or not head:
        return ""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 4 and len(head) == 1 << 20:  # (a character cut at the end of the head)
            return "utf-8"
    return reading.detect_encoding(head) or ""
