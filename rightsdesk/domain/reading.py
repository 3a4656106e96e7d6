"""Reading values out of files by a declared convention, or refusing them (issue 16).

Every reader (revenue, FX, deals template, expenses, cue sheets, EMA) reads a cell through one
of these functions. Each either returns the value by a convention that is *declared* (the
source's mapping, the template's own format, an ISO form) or raises `Refused` with the reason,
which the reader reports with the file's own row and column. Nothing that reads two ways is
guessed:

- numbers: the decimal separator is the mapping's; undeclared, a number that reads two ways
  (`2.500`: 2.5 or 2 500) is refused; currency symbols and codes are recognised from CLDR
  (babel) and must agree with the line's currency;
- dates: ISO 8601 or a real spreadsheet date always; `01.07.2026` only when the mapping says
  day-first or month-first; a date without a year is refused, never completed from today;
- yes/no: yes, no, true, false, 1, 0, x (and blank where optional), nothing else;
- text: the file's declared encoding, strictly; control characters refused;
- spreadsheet formulas with no saved value are named, not read as empty.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from dateutil import parser as date_parser

# A stored amount is an int64 count of millionths (rightsdesk.persistence.base.ScaledDecimal).
LARGEST_AMOUNT = Decimal(9_000_000_000_000)

DATE_ORDERS = ("iso", "dmy", "mdy")  # what a source may declare for dates written with numbers only


class Refused(ValueError):
    """A value the declared convention does not read; the message is the reason."""


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell that holds a formula whose result was never saved (a workbook written
    by a script, never opened in a spreadsheet program): its value is unknown, not empty."""

    text: str

    def __str__(self) -> str:
        return self.text


FORMULA_REASON = ("holds a formula ({formula}) with no saved result: the workbook was written by a program that "
                  "does not calculate; open and save it in a spreadsheet program, or type the value")


def refuse_formula(value: object) -> None:
    if isinstance(value, Formula):
        raise Refused(FORMULA_REASON.format(formula=value.text))


# ---------------------------------------------------------------- numbers

_SPACES = (" ", "\u00a0", "\u202f", "\u2009", "'", "\u2019")  # thousands marks that are never decimal
_NUMBER = re.compile(r"^[\d.,' \u00a0\u202f\u2009\u2019]*\d[\d.,' \u00a0\u202f\u2009\u2019]*$")
_AFFIX = re.compile(r"^(?P<before>[^\d.,]*?)\s*(?P<number>[\d.,' \u00a0\u202f\u2009\u2019]*\d[\d.,' \u00a0\u202f\u2009\u2019]*)"
                    r"\s*(?P<after>[^\d]*)$")
# Locales whose currency symbols platforms print (CLDR differs by locale: $ is USD in en_US, CA$
# in en, US$ in en_CA); every symbol any of them gives is recognised.
_SYMBOL_LOCALES = ("en", "en_US", "en_CA", "en_AU", "en_GB", "en_IN", "en_SG", "en_PH", "en_NZ", "pt_BR", "pt",
                   "es", "es_MX", "es_AR", "es_CO", "es_CL", "id", "vi", "th", "fil", "ms", "ja", "zh", "zh_Hant",
                   "ko", "de", "fr", "it", "tr", "ar", "hi", "ru", "pl", "nl", "sv", "he")


def parse_decimal(value: object, decimal: str | None = None, *, currency: str | None = None) -> Decimal:
    """A Decimal from a cell: a spreadsheet number, or text such as '1,234.56', '1.234,56',
    '1 234,56', '(12.50)', '12.50-', 'R$ 1.234,56', 'USD 12.50'.

    `decimal`: the source's declared decimal separator ('.' or ','); None reads only what
    cannot be read two ways ('2.500' and '2,500' are refused, '2.50', '1,234.56' and
    '1.234.567' are not). `currency`: the line's currency (ISO 4217); a symbol or code in the
    cell that is not that currency's is refused. Thousands groups must have three digits.
    Raises Refused (not a number, NaN, infinity, too large, ambiguous, wrong currency)."""
    refuse_formula(value)
    if isinstance(value, bool) or value is None:
        raise Refused("is not a number")
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return _checked(number)
    # No NFKC: it would read a superscript ² as 2, full-width digits as digits; a cell holds plain digits.
    raw = str(value).strip().replace("\u2212", "-")
    if not raw:
        raise Refused("is empty: a number is needed")
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        raw, negative = raw[1:-1].strip(), True
    if raw.endswith("-"):
        raw, negative = raw[:-1].strip(), True
    if raw.startswith(("-", "+")):
        negative ^= raw[0] == "-"
        raw = raw[1:].strip()
    match = _AFFIX.match(raw)
    if not match:
        raise Refused("is not a number")
    before, after = match.group("before").strip(), match.group("after").strip()
    if before.endswith(("-", "+")):  # 'R$ -12,50'
        negative ^= before[-1] == "-"
        before = before[:-1].strip()
    for affix in (before, after):
        if affix:
            _check_currency(affix, currency)
    text = match.group("number").strip()
    if not _NUMBER.match(text):
        raise Refused("is not a number")
    number = _read_digits(text, decimal)
    return _checked(-number if negative else number)


def _checked(number: Decimal) -> Decimal:
    if not number.is_finite():
        raise Refused("is not a number (NaN or infinity)")
    if abs(number) >= LARGEST_AMOUNT:
        raise Refused(f"is too large: amounts stop below {LARGEST_AMOUNT:,.0f}")
    return number


def _read_digits(text: str, decimal: str | None) -> Decimal:
    for mark in _SPACES:
        text = text.replace(mark, "")
    if decimal not in (".", ",", None):
        raise ValueError(f"decimal separator must be '.' or ',' (not {decimal!r})")
    if decimal is None:
        decimal = _unambiguous_decimal(text)
    thousands = "," if decimal == "." else "."
    whole, _, fraction = text.partition(decimal)
    groups = whole.split(thousands)
    # A first group of zeros ('0,025' with ',' between thousands) is no thousands grouping: a
    # decimal comma in a file that declared '.', never 25.
    if decimal in fraction or thousands in fraction or (
            len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or not groups[0].strip("0")
                                 or any(len(g) != 3 for g in groups[1:]))):
        raise Refused(f"is not a number written with '{decimal}' as the decimal separator and '{thousands}' "
                      "between groups of three digits")
    try:
        return Decimal("".join(groups) + ("." + fraction if fraction else ""))
    except InvalidOperation:
        raise Refused("is not a number") from None


def _unambiguous_decimal(text: str) -> str:
    """The decimal separator of a number whose source did not declare one, when only one
    reading exists; Refused when '.' or ',' could be either."""
    if "." in text and "," in text:
        return "," if text.rfind(",") > text.rfind(".") else "."
    mark = "." if "." in text else "," if "," in text else None
    if mark is None:
        return "."
    if text.count(mark) > 1:
        return "," if mark == "." else "."  # only thousands repeat
    whole, fraction = text.split(mark)
    if len(fraction) == 3 and whole.strip("0"):
        other = "," if mark == "." else "."
        small, large = Decimal(f"{whole}.{fraction}").normalize(), int(whole + fraction)
        raise Refused(f"reads as {small:f} or as {large}: the source must declare "
                      f"its decimal separator ('{mark}' or '{other}')")
    return mark


@functools.cache
def currency_symbols() -> dict[str, frozenset[str]]:
    """CLDR currency symbols (babel), upper-cased, to the ISO 4217 codes they may stand for."""
    from babel.numbers import get_currency_symbol, list_currencies

    found: dict[str, set[str]] = {}
    codes = list_currencies()
    for locale in _SYMBOL_LOCALES:
        for code in codes:
            symbol = get_currency_symbol(code, locale)
            if symbol and symbol != code:
                found.setdefault(symbol.upper(), set()).add(code)
    return {symbol: frozenset(codes) for symbol, codes in found.items()}


@functools.cache
def _currency_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _check_currency(affix: str, currency: str | None) -> None:
    mark = affix.upper()
    if mark in _currency_codes():
        meant = frozenset({mark})
    elif mark in currency_symbols():
        meant = currency_symbols()[mark]
    else:
        raise Refused(f"has '{affix}', neither a number nor a currency symbol or code")
    if currency and currency.upper() not in meant:
        raise Refused(f"has '{affix}', which is {' or '.join(sorted(meant)) if len(meant) < 4 else 'not ' + currency.upper()}, "
                      f"but the line's currency is {currency.upper()}")


# ---------------------------------------------------------------- dates and periods

# A time of day may follow (a timestamp's day is the day), but a real one: '2026-09-30T25:99' is refused.
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
                      r"(?:Z|[+-]\d{2}:?\d{2})?)?$")
_NUMERIC_DAY = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_MONTH_NAME = re.compile(r"[^\W\d_]{3,}")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def parse_date(value: object, order: str = "iso") -> date:
    """A day from a real spreadsheet date, ISO 8601 text (2026-07-01), a written month
    ('1 July 2026', 'Jul 1, 2026', '01-Jul-2026') or, when the source declares its `order`
    ('dmy' or 'mdy'), numbers only ('01.07.2026', '7/1/2026').

    Refused: no year, a two-digit year, an incomplete date, numbers only under 'iso', a day
    that does not exist."""
    refuse_formula(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if order not in DATE_ORDERS:
        raise ValueError(f"date order must be one of {', '.join(DATE_ORDERS)}")
    text = str(value or "").strip()
    if not text:
        raise Refused("is empty: a date is needed")
    iso = _ISO_DAY.match(text)
    if iso:
        return _day(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    numeric = _NUMERIC_DAY.match(text)
    if numeric:
        first, second, third = numeric.groups()
        if len(first) == 4:  # 2026/07/01: year first is never day-first
            return _day(int(first), int(second), int(third))
        if len(third) != 4:
            raise Refused("has a two-digit year: write the year with four digits")
        if order == "iso":
            raise Refused("reads day-first or month-first: the source must declare which "
                          "(ISO 2026-07-01 needs no declaration)")
        day, month = (first, second) if order == "dmy" else (second, first)
        return _day(int(third), int(month), int(day))
    if not _MONTH_NAME.search(text):
        raise Refused("is not a date")
    return _written(text, need_day=True)


def _written(text: str, *, need_day: bool) -> date:
    """A date with its month written as a word; every part present, the year in four digits."""
    try:
        # Parsed against two different defaults: a part the text lacks shows as a difference.
        one = date_parser.parse(text, default=datetime(2001, 1, 1))
        two = date_parser.parse(text, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        raise Refused("is not a date") from None  # 'someday' is no date, rather than one without a year
    if not _FOUR_DIGIT_YEAR.search(text):
        raise Refused("has no year (write it with four digits)")
    if one.year != two.year:
        raise Refused("has no year")
    if one.month != two.month:
        raise Refused("has no month")
    if need_day and one.day != two.day:
        raise Refused("has no day")
    return one.date()


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Refused("is not a day of the calendar") from None


_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*Q([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})\s*[-/ ]?\s*H([12])$", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")


def parse_period(value: object, order: str = "iso") -> tuple[date, date]:
    """The first and last day of a reporting period: '2026-Q3', '2026-H2', '2026-07', '07/2026',
    'July 2026', 'Sep-2025', or any date `parse_date` reads (its month).

    Refused: a period without a four-digit year ('Sep-25'), anything `parse_date` refuses."""
    refuse_formula(value)
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return month_of(day)
    text = str(value or "").strip()
    if not text:
        raise Refused("is empty: a period is needed")
    for pattern, months in ((_QUARTER, 3), (_HALF, 6)):
        match = pattern.match(text)
        if match:
            year, part = int(match.group(1)), int(match.group(2))
            first = date(year, (part - 1) * months + 1, 1)
            return first, month_of(_add_months(first, months - 1))[1]
    for pattern, year_group in ((_YEAR_MONTH, 1), (_MONTH_YEAR, 2)):
        match = pattern.match(text)
        if match:
            year, month = int(match.group(year_group)), int(match.group(3 - year_group))
            if not 1 <= month <= 12:
                raise Refused("is not a month of the year")
            return month_of(date(year, month, 1))
    if _MONTH_NAME.search(text) and not re.search(r"\d{1,2}\D+\d{1,2}\D+\d{4}|\d{4}\D+\d{1,2}\D+\d{1,2}", text):
        day = _written(text, need_day=False)
        return month_of(day)
    return month_of(parse_date(text, order))


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of the month holding `day`."""
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


# ---------------------------------------------------------------- yes/no, text, encodings

YES = frozenset({"yes", "true", "1", "x", "y"})
NO = frozenset({"no", "false", "0", "n"})


def parse_yes_no(value: object, *, optional: bool = True) -> bool | None:
    """True for yes/true/1/x/y, False for no/false/0/n (any case, or a spreadsheet TRUE/FALSE);
    None for a blank cell when `optional`. Anything else is Refused."""
    refuse_formula(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return bool(value)
    word = str(value if value is not None else "").strip().lower()
    if not word:
        if optional:
            return None
        raise Refused("is empty: yes or no is needed")
    if word in YES:
        return True
    if word in NO:
        return False
    raise Refused("is not yes or no (yes, no, true, false, 1, 0 or x)")


def clean_text(value: object) -> str:
    """A cell's text, trimmed; Refused when it holds control characters (a right-to-left
    override, a NUL...) that would change how it reads elsewhere."""
    refuse_formula(value)
    text = "" if value is None else str(value).strip()
    for character in text:
        if unicodedata.category(character) in ("Cc", "Cf") and character not in "\u200c\u200d":
            raise Refused(f"holds a control character (U+{ord(character):04X})")
    return text


def shown(value: object) -> str:
    """A cell's text for a problem message: control and format characters written as escapes
    (\\u202e, \\x00), so the message itself is not reversed or cut by the character it reports."""
    text = "" if value is None else str(value)
    return "".join(ascii(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)


ENCODINGS = ("utf-8", "utf-16", "windows-1252", "gb18030", "big5", "shift_jis", "euc-kr")


def decode(content: bytes, encoding: str | None = None) -> str:
    """The text of a file in its declared `encoding` (a BOM wins); undeclared, UTF-8 (with or
    without BOM) or UTF-16 with a BOM. Refused, with the line and the byte, when the bytes do
    not decode cleanly; an undeclared file that is not UTF-8 names the encoding it looks like."""
    if content.startswith(codecs.BOM_UTF8):
        return _strict(content[len(codecs.BOM_UTF8):], "utf-8", content)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(content, "utf-16", content)
    if encoding:
        return _strict(content, encoding, content)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        guess = detect_encoding(content)
        # declared where the import asks for it: a revenue source's mapping, --encoding...
        hint = f"; it looks like {guess}: declare the file's encoding to import it" if guess else (
            "; declare the file's encoding to import it")
        raise Refused(f"line {_line_of(content, error.start)}: byte 0x{content[error.start]:02X} is not "
                      f"UTF-8{hint}") from None


def _strict(data: bytes, encoding: str, content: bytes) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise Refused(f"'{encoding}' is not a text encoding") from None
    except UnicodeDecodeError as error:
        offset = error.start + (len(content) - len(data))
        raise Refused(f"line {_line_of(content, offset)}: byte 0x{content[offset]:02X} does not decode "
                      f"as {encoding}") from None


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def detect_encoding(content: bytes) -> str | None:
    """The encoding charset-normalizer finds most likely for a file (a proposal for the user to
    confirm, never used unconfirmed), as a Python codec name; None when it finds none."""
    from charset_normalizer import from_bytes

    found = from_bytes(content[:200_000])
    best = found.best()
    if best is None:
        return None
    # A tie goes to Windows-1252, by far the likelier: a short Portuguese line reads as well in
    # Windows-1250 to charset-normalizer (cotação / cotaçăo), which it may list first.
    best = next((m for m in found if m.encoding == "cp1252" and m.chaos <= best.chaos and m.coherence >= best.coherence),
                best)
    name = codecs.lookup(best.encoding).name
    # named as users declare it (--encoding), which Python reads under either name
    return f"windows-{name[2:]}" if name.startswith("cp125") else name


# ---------------------------------------------------------------- identifiers

_EIDR_FORMS = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:|md:cid:eidr-[sx]:|urn:eidr:)?(?:10\.5240/)?"
                         r"([0-9A-Fa-f]{4}(?:-[0-9A-Fa-f]{4}){4}-[0-9A-Za-z])$", re.IGNORECASE)


def normalise_eidr(text: str) -> str:
    """An EIDR content ID in its canonical form `10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C` from any
    written form (`md:cid:eidr-s:…`, `doi:10.5240/…`, `https://doi.org/10.5240/…`); other text
    is returned trimmed and upper-cased, for the caller's own check to refuse."""
    cleaned = text.strip()
    match = _EIDR_FORMS.match(cleaned)
    if match:
        return "10.5240/" + match.group(1).upper()
    return cleaned.upper()


def csv_records(text: str) -> list[tuple[int, list[str]]]:
    """The records of CSV text (delimiter , ; tab or |, sniffed) with the file's own line number
    of each, blank lines skipped but counted, so a problem names the row a user sees."""
    try:
        delimiter = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is sniffed: values are quoted with '"' (RFC 4180). A sniffed quote
    # character read "'Bride' poster" as "Bride poster" and cut "'Heiress' poster, 'teaser'" in two.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True, skipinitialspace=False)
    records = []
    line = 1
    for record in reader:
        if any(cell.strip() for cell in record):
            records.append((line, record))
        line = reader.line_num + 1
    return records


def overflowing(records: list[tuple[int, list[str]]], width: int, *, most: int = 10) -> str | None:
    """Why CSV records with a value beyond the header's `width` columns cannot be read (a value
    holding the delimiter unquoted, which shifts or drops what follows it), naming the first rows;
    None when none has one. Empty cells past the header (trailing delimiters) are not values."""
    rows = [(number, len(record)) for number, record in records if any(c.strip() for c in record[width:])]
    if not rows:
        return None
    shown = ", ".join(f"row {number} has {count}" for number, count in rows[:most]) + (" …" if len(rows) > most else "")
    return (f"{shown} values where the header has {width} columns: a value holding the delimiter must be in "
            "double quotes")
