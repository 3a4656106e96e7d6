"""Reading platform revenue reports by the conventions their source's mapping declares (issue
16): its decimal separator, its date order, its text encoding and the words it uses for revenue
types; and the mapping of a report's columns to what a revenue line needs. A value that reads
two ways under what is declared is refused, never guessed (rightsdesk.domain.reading).

Everything here is pure: a file's rows and a mapping in, rows of plain values or a list of
every problem (row, column, value, reason) out. A whole report at volume: revenue_report.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rightsdesk.domain import reading
from rightsdesk.domain.enums import RevenueType
from rightsdesk.domain.media import media_codes
from rightsdesk.domain.reading import Refused, clean_text, month_of, shown

# The fields a mapping can fill; "amount" and an identifier are required.
FIELDS = ("period", "period_start", "period_end", "territory", "media", "revenue_type", "title_id", "eidr",
          "title_name", "library", "episode", "units", "gross_amount", "platform_fees", "taxes", "currency")
REQUIRED = ("gross_amount",)
IDENTIFIERS = ("title_id", "eidr", "title_name", "library")
# Words platforms commonly use for each revenue type: only a *proposal* (propose_revenue_types)
# the wizard and the command line offer; a report's words are read by its mapping's own list.
REVENUE_WORDS = {
    RevenueType.UNLOCKS: ("unlock", "unlocks", "coins", "coin", "episode unlock", "iap", "microtransaction"),
    RevenueType.SUBSCRIPTION: ("subscription", "svod", "sub", "membership", "vip"),
    RevenueType.ADS: ("ads", "ad", "advertising", "avod", "fast", "ad revenue"),
    RevenueType.TIPS: ("tips", "tip", "gifts", "gift"),
    RevenueType.LICENCE_FEE: ("licence fee", "license fee", "flat fee", "licence", "license", "mg"),
}
DECIMALS = ("auto", ".", ",")  # "auto": only numbers that read one way (reading.parse_decimal)
DATE_ORDERS = reading.DATE_ORDERS  # "iso": ISO and written months only; "dmy", "mdy": 01.07.2026 too


@dataclass(frozen=True)
class Options:
    """How a source writes its files; saved with its column mapping."""

    decimal: str = "auto"  # ".", "," or "auto" (a number that reads two ways is refused)
    dates: str = "iso"  # "iso", "dmy" (01.07.2026 is 1 July) or "mdy" (7/1/2026 is 1 July)
    currency: str = ""  # for files without a currency column
    revenue_type: RevenueType = RevenueType.OTHER  # for files without a type column, and blank cells
    sheet: str = ""  # XLSX: the sheet to read (default: the first)
    encoding: str = ""  # CSV: the text encoding ("": UTF-8, or what a BOM says)
    # the source's words for revenue types (lower case) -> the type; a word not here is refused
    revenue_types: Mapping[str, RevenueType] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.decimal not in DECIMALS:
            raise ValueError(f"decimal must be one of {', '.join(DECIMALS)} (not {self.decimal!r})")
        if self.dates not in DATE_ORDERS:
            raise ValueError(f"dates must be one of {', '.join(DATE_ORDERS)} (not {self.dates!r})")
        words = {str(word).strip().lower(): RevenueType(kind) for word, kind in dict(self.revenue_types).items()
                 if str(word).strip()}
        object.__setattr__(self, "revenue_types", words)
        object.__setattr__(self, "encoding", (self.encoding or "").strip())


@dataclass(frozen=True)
class FileProblem:
    row: int  # the file's own row number (the header is usually row 1)
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


def _separator(decimal: str) -> str | None:
    return None if decimal == "auto" else decimal


def parse_number(text: object, decimal: str = "auto", currency: str | None = None) -> Decimal:
    """A Decimal from '1,234.56', '1.234,56', '1 234,56', '(12.50)', '12.50-', 'R$ 1.234,56' or a
    spreadsheet number, by the declared decimal separator ("auto": refused when it reads two
    ways); a currency symbol or code must be `currency`'s. Raises Refused (a ValueError) with
    the reason."""
    return reading.parse_decimal(text, _separator(decimal), currency=currency or None)


_UNDECLARED_ORDER = ("reads day-first or month-first: the source's mapping must declare its date order (Dates: day "
                     "first or month first; --dates dmy or mdy); ISO 2026-07-01 needs none")


def parse_day(value: object, dates: str = "iso") -> date:
    """A day: a spreadsheet date, ISO 8601, a written month, or numbers only in the declared order."""
    try:
        return reading.parse_date(value, dates)
    except Refused as refused:
        if str(refused).startswith("reads day-first or month-first"):
            raise Refused(_UNDECLARED_ORDER) from None
        raise


_YEAR = re.compile(r"\s*\d{4}\s*")


def parse_period(value: object, dates: str = "iso") -> tuple[date, date]:
    """The first and last day of '2026-Q3', '2026-07', '2026-H2', 'July 2026' or a date's month;
    a period without a four-digit year ('Sep-25'), or a year alone, is refused."""
    if isinstance(value, str) and _YEAR.fullmatch(value):
        raise Refused("is a year, not a reporting period: write its month (2030-06), quarter (2030-Q2) or half (2030-H1)")
    try:
        return reading.parse_period(value, dates)
    except Refused as refused:
        if str(refused).startswith("reads day-first or month-first"):
            raise Refused(_UNDECLARED_ORDER) from None
        raise


def revenue_type(value: object, default: RevenueType, words: Mapping[str, RevenueType] | None = None) -> RevenueType:
    """The type a report's word means by its mapping (`words`, lower case), or by RightsDesk's own
    names of the types; `default` for a blank cell. Refused for any other word: never 'other'."""
    word = clean_text(value).lower()
    if not word:
        return default
    if words and word in words:
        return words[word]
    for kind in RevenueType:
        if word == kind.value or word == kind.value.replace("_", " "):
            return kind
    raise Refused("is not a revenue type the source's mapping names: map the word to a type "
                  f"({', '.join(k.value for k in RevenueType)})")


def propose_revenue_types(words: Iterable[object]) -> dict[str, RevenueType]:
    """A proposal, for the user to confirm, of the types a report's words mean (REVENUE_WORDS);
    words it cannot place are left out, for the user to map."""
    proposed: dict[str, RevenueType] = {}
    for value in words:
        word = str(value or "").strip().lower()
        if not word or word in proposed or any(word == kind.value for kind in RevenueType):
            continue
        for kind, known in REVENUE_WORDS.items():
            if word in known or any(w in word for w in known if len(w) > 3):
                proposed[word] = kind
                break
    return proposed


@functools.lru_cache(maxsize=4096)
def currency_on(code: str, day: date) -> str | None:
    """Why `code` cannot be the currency of a line whose period ends on `day` (replaced before
    it, naming the successor); None when it can (reference.currency_problem, cached)."""
    from rightsdesk.domain.reference import currency_problem

    return currency_problem(code, day)


def territory_code(value: object) -> str | None:
    """A territory cell as a code: trimmed, upper case, a declared alias read as its code (UK is GB)."""
    from rightsdesk.domain.reference import TERRITORY_ALIASES

    code = clean_text(value).upper()
    return TERRITORY_ALIASES.get(code, code) or None


def episode_number(value: object) -> int | None:
    """An episode number: a whole number, or None for a blank cell."""
    reading.refuse_formula(value)
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        number = reading.parse_decimal(text, ".")
    except Refused:
        raise Refused("is not an episode number") from None
    if number != number.to_integral_value() or number < 0:
        raise Refused("is not an episode number")
    return int(number)


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


def parse_rows(headers: list[str], rows: Sequence[list[object]], mapping: dict[str, str], options: Options,
               *, currencies: set[str], countries: set[str], media: Collection[str],
               numbers: Sequence[int] | None = None) -> ParsedFile:
    """Every data row as a revenue line, or every problem found (row, column, value, reason).
    `numbers`: each row's own number in the file (default: from row 2 on, blank rows counted);
    blank rows are skipped. For a preview or a few rows; LineReader reads a whole report."""
    parsed = ParsedFile(headers, problems=mapping_problems(headers, mapping, options))
    if parsed.problems:
        return parsed
    index = {h.strip(): n for n, h in enumerate(headers)}
    media = media_codes(media)  # found whatever the case, once for the file
    for number, row in zip(numbers if numbers is not None else range(2, len(rows) + 2), rows, strict=True):
        if is_blank(row):
            continue
        line = parse_row(number, row, index, mapping, options, parsed.problems,
                         currencies=currencies, countries=countries, media=media)
        if line is not None:
            parsed.lines.append(line)
    return parsed


def is_blank(row: Sequence[object]) -> bool:
    return not any(cell is not None and str(cell).strip() for cell in row)


def parse_row(number: int, row: Sequence[object], index: dict[str, int], mapping: dict[str, str], options: Options,
              problems: list[FileProblem], *, currencies: set[str], countries: set[str],
              media: Collection[str]) -> ParsedLine | None:
    """One row as a line, or its problems added to `problems` (in a fixed order: amounts,
    period, currency, territory, media, identifier, episode, revenue type)."""
    before = len(problems)

    def cell(field_name: str) -> object:
        column = mapping.get(field_name)
        if not column:
            return None
        position = index[column]
        return row[position] if position < len(row) else None

    def problem(field_name: str, value: object, reason: str) -> None:
        problems.append(FileProblem(number, mapping.get(field_name, field_name), "" if value is None else shown(value),
                                    reason))

    width = max(index.values(), default=-1) + 1
    beyond = [cell for cell in row[width:] if cell is not None and str(cell).strip()]
    if beyond:  # a value holding the delimiter, unquoted, shifts what follows it: nothing is read by guess
        problems.append(FileProblem(number, "", shown(beyond[0]), f"is beyond the header's {width} columns: a value "
                                                                  "holding the delimiter must be in double quotes"))
    # the line's currency first: a symbol in an amount must agree with it
    currency_cell = cell("currency")
    currency, currency_refused = "", ""
    try:
        currency = clean_text(currency_cell if str(currency_cell or "").strip() else options.currency).upper()
    except Refused as refused:
        currency_refused = str(refused)

    def amount(field_name: str, *, required: bool = False) -> Decimal | None:
        value = cell(field_name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problem(field_name, value, "is empty")
            return None
        places = UNITS_PLACES if field_name == "units" else AMOUNT_PLACES
        try:  # checked as stored: amounts to AMOUNT_PLACES, units to UNITS_PLACES
            scaled = scaled_number(value, options.decimal, places, currency if currency in currencies else None)
        except ValueError as error:
            problem(field_name, value, str(error))
            return None
        return Decimal(scaled).scaleb(-places)

    gross = amount("gross_amount", required=True)
    fees = amount("platform_fees") or Decimal(0)
    taxes = amount("taxes") or Decimal(0)
    units = amount("units")
    start = end = None
    if mapping.get("period"):
        try:
            start, end = parse_period(cell("period"), options.dates)
        except ValueError as error:
            problem("period", cell("period"), str(error))
    else:
        try:
            start = parse_day(cell("period_start"), options.dates)
        except ValueError as error:
            problem("period_start", cell("period_start"), str(error))
        if mapping.get("period_end"):
            try:
                end = parse_day(cell("period_end"), options.dates)
            except ValueError as error:
                problem("period_end", cell("period_end"), str(error))
        elif start is not None:
            end = month_of(start)[1]
        if start is not None and end is not None and end < start:
            problem("period_end", cell("period_end"), f"ends before the period starts ({start})")
            end = None
    if currency_refused:
        problem("currency", currency_cell, currency_refused)
    elif currency not in currencies:
        problem("currency", currency, "is not an ISO 4217 currency")
    elif end is not None and (why := currency_on(currency, end)):
        problem("currency", currency, why.removeprefix(f"{currency} "))
    territory = medium = None
    try:
        territory = territory_code(cell("territory"))
        if territory and territory not in countries:
            problem("territory", cell("territory"), "is not an ISO 3166-1 country code")
    except Refused as refused:
        problem("territory", cell("territory"), str(refused))
    try:
        medium = media_codes(media).as_stored(clean_text(cell("media"))) or None  # 'INFLIGHT' is inflight
        if medium and medium not in media:
            problem("media", medium, "is not a known media")
    except Refused as refused:
        problem("media", cell("media"), str(refused))
    identifier, kind, refused_identifier = "", "", False
    for candidate in IDENTIFIERS:
        try:
            value = clean_text(cell(candidate))
        except Refused as refused:
            problem(candidate, cell(candidate), str(refused))
            refused_identifier = True
            break
        if value:
            identifier, kind = value, candidate
            break
    if not identifier and not refused_identifier:
        problems.append(FileProblem(number, "", "", "no title identifier in this row"))
    episode = None
    try:
        episode = episode_number(cell("episode"))
    except Refused as refused:
        problem("episode", cell("episode"), str(refused))
    kind_of_revenue = options.revenue_type
    try:
        kind_of_revenue = revenue_type(cell("revenue_type"), options.revenue_type, options.revenue_types)
    except Refused as refused:
        problem("revenue_type", cell("revenue_type"), str(refused))
    if len(problems) > before:
        return None
    return ParsedLine(number, start, end, gross, currency, kind_of_revenue,  # type: ignore[arg-type]
                      identifier, kind, territory, medium, episode, units, fees, taxes)


# Amounts as the database stores them: integers of 10**-places.
AMOUNT_PLACES = 6  # amounts are kept as integer millionths (persistence's Amount)
UNITS_PLACES = 4  # units as integer ten-thousandths (persistence's Quantity)
_PLAIN = {".": re.compile(r"-?[0-9]+(?:\.[0-9]*)?"), ",": re.compile(r"-?[0-9]+(?:,[0-9]*)?")}
_LIMIT = int(reading.LARGEST_AMOUNT)  # amounts stop below 9 000 000 000 000 (an int64 of millionths)


def scaled_number(value: object, decimal: str, places: int, currency: str | None = None) -> int:
    """`value` as a count of 10**-places (1.5 with 6 places is 1 500 000). Plain numbers ('-12.5')
    are read without Decimal, the rest as parse_number reads them (under "auto", '12.500' is
    refused, as reading two ways). Raises ValueError with the reason, also for more decimal
    places than `places` or a number too large to store."""
    if type(value) is str:
        separator = "," if decimal == "," else "."
        if _PLAIN[separator].fullmatch(value):
            whole, _, fraction = value.partition(separator)
            if len(fraction) <= places and (decimal != "auto" or len(fraction) != 3 or not whole.strip("-0")):
                scaled = int(whole + fraction.ljust(places, "0"))
                if -_LIMIT * 10**places < scaled < _LIMIT * 10**places:
                    return scaled
    exact = parse_number(value, decimal, currency).scaleb(places)
    if exact != exact.to_integral_value():
        raise Refused(f"has more than {places} decimal places")
    return int(exact)
