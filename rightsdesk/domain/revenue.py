"""Reading platform revenue reports: text encodings, numbers, dates and periods as platforms
write them, and the mapping of a report's columns to what a revenue line needs.

Everything here is pure: a file's bytes and a mapping in, rows of plain values or a list of
every problem (row, column, value, reason) out. A whole report at volume: revenue_report.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dateutil import parser as date_parser

from rightsdesk.domain.enums import RevenueType

# The fields a mapping can fill; "amount" and an identifier are required.
FIELDS = ("period", "period_start", "period_end", "territory", "media", "revenue_type", "title_id", "eidr",
          "title_name", "library", "episode", "units", "gross_amount", "platform_fees", "taxes", "currency")
REQUIRED = ("gross_amount",)
IDENTIFIERS = ("title_id", "eidr", "title_name", "library")
REVENUE_WORDS = {
    RevenueType.UNLOCKS: ("unlock", "unlocks", "coins", "coin", "episode unlock", "iap", "microtransaction"),
    RevenueType.SUBSCRIPTION: ("subscription", "svod", "sub", "membership", "vip"),
    RevenueType.ADS: ("ads", "ad", "advertising", "avod", "fast", "ad revenue"),
    RevenueType.TIPS: ("tips", "tip", "gifts", "gift"),
    RevenueType.LICENCE_FEE: ("licence fee", "license fee", "flat fee", "licence", "license", "mg"),
}


@dataclass(frozen=True)
class Options:
    """How a source writes its files; saved with its column mapping."""

    decimal: str = "auto"  # ".", "," or "auto"
    day_first: bool = False  # 03/04/2026 is 3 April when True
    currency: str = ""  # for files without a currency column
    revenue_type: RevenueType = RevenueType.OTHER  # for files without a type column
    sheet: str = ""  # XLSX: the sheet to read (default: the first)


@dataclass(frozen=True)
class FileProblem:
    row: int  # the spreadsheet's own row number (header is row 1)
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column '{self.column}'" if self.column else "")
        shown = f" '{self.value}'" if self.value else ""
        return f"{where}:{shown} {self.reason}"


@dataclass
class ParsedLine:
    row: int
    period_start: date
    period_end: date
    gross_amount: Decimal
    currency: str
    revenue_type: RevenueType
    identifier: str  # what the report calls the title (ID, EIDR, name or library)
    identifier_kind: str  # which of IDENTIFIERS it came from
    territory: str | None = None
    media: str | None = None
    episode: int | None = None
    units: Decimal | None = None
    platform_fees: Decimal = Decimal(0)
    taxes: Decimal = Decimal(0)


@dataclass
class ParsedFile:
    headers: list[str]
    lines: list[ParsedLine] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


def decode(content: bytes) -> str:
    """Text from UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):].decode("utf-8")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252")


def csv_rows(content: bytes) -> list[list[str]]:
    """The rows of a CSV file, whatever its encoding and delimiter (, ; tab |)."""
    text = decode(content)
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


_NUMBER = re.compile(r"^[+-]?[\d.,' \u00a0\u202f]*\d[\d.,' \u00a0\u202f]*$")


def parse_number(text: object, decimal: str = "auto") -> Decimal:
    """A Decimal from '1,234.56', '1.234,56', '1 234,56', '(12.50)', '12.50-' or a spreadsheet number.
    Raises ValueError with the reason."""
    if isinstance(text, bool):
        raise ValueError("not a number")
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))  # the shortest text that round-trips: 0.1 stays 0.1
    raw = str(text).strip().replace("\u2212", "-")
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        raw, negative = raw[1:-1].strip(), True
    if raw.endswith("-"):
        raw, negative = raw[:-1].strip(), True
    for symbol in ("$", "€", "£", "¥", "฿", "R$", "Rp", "₫", "₱"):
        raw = raw.replace(symbol, "")
    raw = raw.strip()
    if not raw or not _NUMBER.match(raw):
        raise ValueError("not a number")
    separator = decimal if decimal in (".", ",") else _guess_decimal(raw)
    thousands = "," if separator == "." else "."
    cleaned = raw
    for mark in (thousands, " ", "'", "\u00a0", "\u202f"):
        cleaned = cleaned.replace(mark, "")
    if cleaned.count(separator) > 1:
        raise ValueError("more than one decimal separator")
    cleaned = cleaned.replace(separator, ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("not a number") from None
    return -value if negative else value


def _guess_decimal(raw: str) -> str:
    """The decimal separator of a number written without saying: the last of '.' and ',' when
    both appear; a lone ',' followed by other than three digits is decimal."""
    digits = raw.lstrip("+-")
    if "," in digits and "." in digits:
        return "," if digits.rfind(",") > digits.rfind(".") else "."
    if digits.count(",") == 1 and not re.search(r",\d{3}$", digits):
        return ","
    return "."


_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_HALF = re.compile(r"^(\d{4})\s*[-/ ]?\s*H([12])$", re.IGNORECASE)


def parse_day(value: object, day_first: bool = False) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        raise ValueError("no date")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return date_parser.parse(text, dayfirst=day_first).date()
    except (ValueError, OverflowError):
        raise ValueError("not a date") from None


def parse_period(value: object, day_first: bool = False) -> tuple[date, date]:
    """The first and last day of '2026-Q3', '2026-07', '2026-H2', 'July 2026' or a date's month."""
    text = str(value).strip() if not isinstance(value, date) else ""
    for pattern, months in ((_QUARTER, 3), (_HALF, 6)):
        match = pattern.match(text)
        if match:
            year, part = int(match.group(1)), int(match.group(2))
            first_month = (part - 1) * months + 1
            return date(year, first_month, 1), _month_end(year, first_month + months - 1)
    match = _MONTH.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return date(year, month, 1), _month_end(year, month)
    day = parse_day(value, day_first)
    return date(day.year, day.month, 1), _month_end(day.year, day.month)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def revenue_type(text: object, default: RevenueType) -> RevenueType:
    word = str(text or "").strip().lower()
    if not word:
        return default
    for kind in RevenueType:
        if word == kind.value:
            return kind
    for kind, words in REVENUE_WORDS.items():
        if word in words or any(w in word for w in words if len(w) > 3):
            return kind
    return RevenueType.OTHER


def mapping_problems(headers: list[str], mapping: dict[str, str], options: Options) -> list[FileProblem]:
    """What a mapping lacks before any row is read (row 1: the header)."""
    problems = []
    index = {h.strip() for h in headers}
    missing = [f"'{mapping[f]}' (for {f})" for f in mapping if mapping[f] and mapping[f] not in index]
    for missing_column in missing:
        problems.append(FileProblem(1, "", "", f"no column {missing_column} in the file"))
    for required in REQUIRED:
        if not mapping.get(required):
            problems.append(FileProblem(1, "", "", f"choose the column for {required.replace('_', ' ')}"))
    if not any(mapping.get(i) for i in IDENTIFIERS):
        problems.append(FileProblem(1, "", "", "choose a column that identifies the title (ID, EIDR, name or library)"))
    if not (mapping.get("period") or mapping.get("period_start")):
        problems.append(FileProblem(1, "", "", "choose the column of the period (or its start date)"))
    if not mapping.get("currency") and not options.currency:
        problems.append(FileProblem(1, "", "", "choose the currency column, or the currency of the whole file"))
    return problems


def parse_rows(headers: list[str], rows: list[list[object]], mapping: dict[str, str], options: Options,
               *, currencies: set[str], countries: set[str], media: set[str]) -> ParsedFile:
    """Every data row as a revenue line, or every problem found (row, column, value, reason).
    For a preview or a few rows; LineReader reads a whole report."""
    parsed = ParsedFile(headers, problems=mapping_problems(headers, mapping, options))
    if parsed.problems:
        return parsed
    index = {h.strip(): n for n, h in enumerate(headers)}
    for offset, row in enumerate(rows):
        number = offset + 2
        line = parse_row(number, row, index, mapping, options, parsed.problems,
                          currencies=currencies, countries=countries, media=media)
        if line is not None:
            parsed.lines.append(line)
    return parsed


def parse_row(number: int, row: list[object], index: dict[str, int], mapping: dict[str, str], options: Options,
               problems: list[FileProblem], *, currencies: set[str], countries: set[str], media: set[str]) -> ParsedLine | None:
    before = len(problems)

    def cell(field_name: str) -> object:
        column = mapping.get(field_name)
        if not column:
            return None
        position = index[column]
        return row[position] if position < len(row) else None

    def problem(field_name: str, value: object, reason: str) -> None:
        problems.append(FileProblem(number, mapping.get(field_name, field_name), "" if value is None else str(value), reason))

    def amount(field_name: str, *, required: bool = False) -> Decimal | None:
        value = cell(field_name)
        if value is None or str(value).strip() == "":
            if required:
                problem(field_name, value, "is empty")
            return None
        try:
            # checked as stored: amounts to AMOUNT_PLACES, units to UNITS_PLACES
            scaled_number(value, options.decimal, UNITS_PLACES if field_name == "units" else AMOUNT_PLACES)
            return parse_number(value, options.decimal)
        except ValueError as error:
            problem(field_name, value, str(error))
            return None

    gross = amount("gross_amount", required=True)
    fees = amount("platform_fees") or Decimal(0)
    taxes = amount("taxes") or Decimal(0)
    units = amount("units")
    start = end = None
    try:
        if mapping.get("period"):
            start, end = parse_period(cell("period"), options.day_first)
        else:
            start = parse_day(cell("period_start"), options.day_first)
            end = parse_day(cell("period_end"), options.day_first) if mapping.get("period_end") else parse_period(start)[1]
        if end < start:
            problem("period_end", cell("period_end"), f"ends before the period starts ({start})")
    except ValueError as error:
        field_name = "period" if mapping.get("period") else "period_start"
        problem(field_name, cell(field_name), str(error))
    currency = str(cell("currency") or options.currency).strip().upper()
    if currency not in currencies:
        problem("currency", currency, "is not an ISO 4217 currency")
    territory = str(cell("territory") or "").strip().upper() or None
    if territory and territory not in countries:
        problem("territory", territory, "is not an ISO 3166-1 country code")
    medium = str(cell("media") or "").strip().upper() or None
    if medium and medium not in media:
        problem("media", medium, "is not a known media")
    identifier, kind = "", ""
    for candidate in IDENTIFIERS:
        value = str(cell(candidate) or "").strip()
        if value:
            identifier, kind = value, candidate
            break
    if not identifier:
        problems.append(FileProblem(number, "", "", "no title identifier in this row"))
    episode = None
    episode_text = str(cell("episode") or "").strip()
    if episode_text:
        try:
            episode = int(parse_number(episode_text, "."))
        except ValueError:
            problem("episode", episode_text, "is not an episode number")
    if len(problems) > before:
        return None
    return ParsedLine(number, start, end, gross, currency, revenue_type(cell("revenue_type"), options.revenue_type),  # type: ignore[arg-type]
                      identifier, kind, territory, medium, episode, units, fees, taxes)


# Amounts as the database stores them: integers of 10**-places.
AMOUNT_PLACES = 6  # amounts are kept as integer millionths (persistence's Amount)
UNITS_PLACES = 4  # units as integer ten-thousandths (persistence's Quantity)
_LARGEST = 2**63 - 1
_PLAIN = {".": re.compile(r"-?[0-9]+(?:\.[0-9]*)?"), ",": re.compile(r"-?[0-9]+(?:,[0-9]*)?")}


def scaled_number(value: object, decimal: str, places: int) -> int:
    """`value` as a count of 10**-places (1.5 with 6 places is 1 500 000). Plain numbers ('-12.5')
    are read without Decimal, the rest as parse_number reads them. Raises ValueError with the
    reason, also for more decimal places than `places` or a number too large to store."""
    if type(value) is str:
        separator = "," if decimal == "," else "."
        if _PLAIN[separator].fullmatch(value):
            whole, _, fraction = value.partition(separator)
            if len(fraction) <= places:
                scaled = int(whole + fraction.ljust(places, "0"))
                if -_LARGEST <= scaled <= _LARGEST:
                    return scaled
    exact = parse_number(value, decimal).scaleb(places)
    if exact != exact.to_integral_value():
        raise ValueError(f"has more than {places} decimal places")
    if not -_LARGEST <= exact <= _LARGEST:
        raise ValueError("is too large")
    return int(exact)
