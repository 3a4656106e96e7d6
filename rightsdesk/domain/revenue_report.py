"""A whole platform report at volume (a month of a large catalogue is a million lines): its
lines kept as columns of integers (ReportLines), and the reader that fills them a chunk at a
time (LineReader).

LineReader gives the lines and problems parse_rows gives, but reads a chunk of plain rows a
column at a time (maps of dictionary lookups, str methods and int, at C speed), each distinct
period, currency, territory, media, type, episode and identifier once, and plain amounts
straight to the integer the database stores. A row it has any doubt about is read again by
parse_row, which decides and lists the row's problems in parse_rows' order.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import repeat
from operator import add, itemgetter
from typing import Any

from rightsdesk.domain.media import media_codes
from rightsdesk.domain.reading import Refused, clean_text, month_of
from rightsdesk.domain.revenue import (
    AMOUNT_PLACES,
    FIELDS,
    IDENTIFIERS,
    UNITS_PLACES,
    FileProblem,
    Options,
    ParsedLine,
    currency_on,
    episode_number,
    is_blank,
    mapping_problems,
    parse_day,
    parse_period,
    parse_row,
    revenue_type,
    scaled_number,
    territory_code,
)

MAX_PROBLEMS = 10_000  # listed; a file with more has a wrong mapping (all are counted)
NO_UNITS = -(2**63)  # the units of a line whose report gives none
_REFUSED = -1  # the code of a cell value that is not valid


class Distinct:
    """The distinct values of one column of a report; its lines hold a value's code (position)."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._codes: dict[Any, int] = {}

    def code(self, value: Any) -> int:
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found


_COLUMNS = ("periods", "currencies", "identifiers", "territories", "media", "revenue_types", "episodes")


class ReportLines:
    """A report's lines as columns, some 50 to 80 bytes a line where a line of objects takes ten times
    that: row numbers; gross, fees and taxes as integer millionths (AMOUNT_PLACES); units as
    ten-thousandths (NO_UNITS when none); the other columns as codes into `values[column]`
    (`periods`: (start, end); `identifiers`: (identifier, kind of IDENTIFIERS)). Numbers are
    arrays of machine integers; codes are lists, of the few int objects the distinct values
    share (as small as an array, and extended by a copy).

    A column the mapping leaves out holds no codes: every line has its one value, `values[column][0]`
    (fees and taxes 0, units none)."""

    def __init__(self, constant: dict[str, Any]):
        self.rows = array("q")
        self.gross, self.fees, self.taxes, self.units = array("q"), array("q"), array("q"), array("q")
        self.codes: dict[str, list[int]] = {column: [] for column in _COLUMNS}
        self.values = {column: Distinct() for column in _COLUMNS}
        for column, value in constant.items():
            self.values[column].code(value)

    def __len__(self) -> int:
        return len(self.rows)

    def totals(self) -> dict[str, Decimal]:
        """Gross by currency."""
        currencies = self.values["currencies"].values
        if not len(self):
            return {}
        if len(currencies) == 1:  # one currency, the usual: summed at C speed
            return {currencies[0]: Decimal(sum(self.gross)).scaleb(-AMOUNT_PLACES)}
        sums: dict[int, int] = {}
        for code, gross in zip(self.codes["currencies"], self.gross, strict=True):
            sums[code] = sums.get(code, 0) + gross
        return {currencies[code]: Decimal(total).scaleb(-AMOUNT_PLACES) for code, total in sums.items()}

    def line(self, n: int) -> ParsedLine:
        """The n-th line as parse_rows gives it (for a preview or a test, not at volume)."""
        value = {c: self.values[c].values[self.codes[c][n] if self.codes[c] else 0] for c in _COLUMNS}
        units = self.units[n] if self.units else NO_UNITS
        return ParsedLine(
            self.rows[n], *value["periods"], Decimal(self.gross[n]).scaleb(-AMOUNT_PLACES), value["currencies"],
            value["revenue_types"], *value["identifiers"], value["territories"], value["media"], value["episodes"],
            None if units == NO_UNITS else Decimal(units).scaleb(-UNITS_PLACES),
            Decimal(self.fees[n] if self.fees else 0).scaleb(-AMOUNT_PLACES),
            Decimal(self.taxes[n] if self.taxes else 0).scaleb(-AMOUNT_PLACES))


class LineReader:
    """Reads a report's data rows, a chunk at a time, into `lines`, or lists every problem (the
    first MAX_PROBLEMS; `problem_count` counts them all). The mapping's own problems are listed
    from the start, and then no row is read. Rows carry the file's own numbers (`read`'s
    `numbers`), so a problem names the row a user sees, blank rows counted."""

    def __init__(self, headers: list[str], mapping: dict[str, str], options: Options, *, currencies: set[str],
                 countries: set[str], media: set[str], header_row: int = 1):
        self.mapping, self.options = mapping, options
        self.known = {"currencies": currencies, "countries": countries, "media": media}
        self.media = media_codes(media)  # a medium named in any case is read as stored ('INFLIGHT' is inflight)
        self.problems = mapping_problems(headers, mapping, options)
        self.problem_count = len(self.problems)
        self.mapping_refused = bool(self.problems)
        self.index = {h.strip(): n for n, h in enumerate(headers)}
        self.width = len(headers)
        self.header_row = header_row
        self.next_row = header_row + 1  # the number of the row after the last read
        self.rows_read = 0  # rows not blank, refused ones included
        at = {f: self.index[mapping[f]] if mapping.get(f) and not self.problems else None for f in FIELDS}
        self.at = at
        # a column left out: every line has one value (ReportLines keeps no codes for it)
        constant: dict[str, Any] = {"territories": None, "media": None, "episodes": None,
                                    "revenue_types": options.revenue_type, "currencies": options.currency.strip().upper()}
        self.lines = ReportLines({c: v for c, v, f in (
            ("territories", None, "territory"), ("media", None, "media"), ("episodes", None, "episode"),
            ("revenue_types", options.revenue_type, "revenue_type"),
            ("currencies", constant["currencies"], "currency")) if at[f] is None})
        # cell value (or values) -> code, or _REFUSED
        self._known: dict[str, dict[Any, int]] = {c: {} for c in _COLUMNS}
        # (currency code, period code) -> whether the currency was in use at the period's end
        self._in_use: dict[tuple[int, int], bool] = {}
        # the currency of the whole file, when not one we know, refuses every row (each says so)
        self._every_row_slowly = at["currency"] is None and constant["currencies"] not in currencies

    def read(self, rows: list[list[Any]], numbers: Sequence[int] | None = None) -> None:
        """The next rows of the file (after the header), with their numbers in the file (by
        default the rows that follow the last read); blank rows are skipped."""
        if numbers is None:
            numbers = range(self.next_row, self.next_row + len(rows))
        if rows:
            self.next_row = numbers[-1] + 1
        if self.mapping_refused:
            return
        if not (self.problem_count or self._every_row_slowly) and self._read_columns(rows, numbers):
            return
        self._read_rows(rows, numbers)

    def finish(self) -> None:
        """After the last rows: a file with no line under its header is refused, not an empty batch."""
        if not self.mapping_refused and not self.rows_read:
            self.problems.append(FileProblem(self.header_row, "", "", "the file has a header and no lines under it"))
            self.problem_count += 1

    def _read_columns(self, rows: list[list[Any]], numbers: Sequence[int]) -> bool:
        """A chunk of plain rows, read a column at a time at C speed (maps of dictionary lookups,
        of str methods, of int); False, having read nothing, when any row is not plain: blank,
        short, a cell not text, an amount not plain, a value not valid."""
        width, at, lines, decimal = self.width, self.at, self.lines, self.options.decimal
        if not rows or len(set(map(len, rows))) != 1 or len(rows[0]) < width:
            return False
        if len(rows[0]) > width and not {cell for row in rows for cell in row[width:]} <= {"", None}:
            return False  # a value beyond the header (a delimiter unquoted): parse_row says which
        columns = list(zip(*rows))
        count = len(rows)
        try:
            gross = _plain_amounts(columns[at["gross_amount"]], decimal, AMOUNT_PLACES, required=True)
            fees = taxes = units = None
            if at["platform_fees"] is not None:
                fees = _plain_amounts(columns[at["platform_fees"]], decimal, AMOUNT_PLACES)
            if at["taxes"] is not None:
                taxes = _plain_amounts(columns[at["taxes"]], decimal, AMOUNT_PLACES)
            if at["units"] is not None:
                units = _plain_amounts(columns[at["units"]], decimal, UNITS_PLACES, none=NO_UNITS)
        except ValueError:
            return False
        if at["period"] is not None:
            keys: Any = columns[at["period"]]
        elif at["period_end"] is not None:
            keys = list(zip(columns[at["period_start"]], columns[at["period_end"]]))
        else:
            keys = list(zip(columns[at["period_start"]]))
        found = {"periods": self._codes("periods", keys)}
        identifier_at = [at[kind] for kind in IDENTIFIERS if at[kind] is not None]
        keys = columns[identifier_at[0]] if len(identifier_at) == 1 else list(zip(*(columns[i] for i in identifier_at)))
        found["identifiers"] = self._codes("identifiers", keys)
        for column, f in (("currencies", "currency"), ("territories", "territory"), ("media", "media"),
                          ("revenue_types", "revenue_type"), ("episodes", "episode")):
            if at[f] is not None:
                found[column] = self._codes(column, columns[at[f]])
        if any(_REFUSED in codes for codes in found.values()):
            return False
        # each currency against each period of the chunk (a few of each): one out of use, and
        # the chunk is read a row at a time, which says which lines
        currency_codes = set(found["currencies"]) if "currencies" in found else {0}
        if not all(self._currency_in_use(c, p) for c in currency_codes for p in set(found["periods"])):
            return False
        lines.rows.extend(numbers)
        self.rows_read += count
        lines.gross.extend(gross)
        for column, codes in found.items():
            lines.codes[column].extend(codes)
        for column_values, values in ((lines.fees, fees), (lines.taxes, taxes), (lines.units, units)):
            if values is not None:
                column_values.extend(values)
        return True

    def _currency_in_use(self, currency: int, period: int) -> bool:
        found = self._in_use.get((currency, period))
        if found is None:
            code = self.lines.values["currencies"].values[currency]
            end = self.lines.values["periods"].values[period][1]
            found = self._in_use[currency, period] = currency_on(code, end) is None
        return found

    def _codes(self, column: str, keys: Iterable[Any]) -> list[int]:
        known = self._known[column]
        codes = list(map(known.get, keys))
        if None in codes:
            codes = [self._code(column, key) if code is None else code for code, key in zip(codes, keys)]
        return codes

    def _read_rows(self, rows: Iterable[list[Any]], numbers: Sequence[int]) -> None:
        """Rows read one at a time (rows that are not all plain)."""
        at, decimal, width, lines = self.at, self.options.decimal, self.width, self.lines
        gross_at, fees_at, taxes_at, units_at = at["gross_amount"], at["platform_fees"], at["taxes"], at["units"]
        period_at, start_at, end_at = at["period"], at["period_start"], at["period_end"]
        identifier_at = [at[kind] for kind in IDENTIFIERS if at[kind] is not None]
        optional = [(column, at[f], self._known[column], lines.codes[column]) for column, f in (
            ("currencies", "currency"), ("territories", "territory"), ("media", "media"),
            ("revenue_types", "revenue_type"), ("episodes", "episode")) if at[f] is not None]
        known_periods, known_identifiers = self._known["periods"], self._known["identifiers"]
        period_codes, identifier_codes = lines.codes["periods"], lines.codes["identifiers"]
        currency_at = next((n for n, (column, *_) in enumerate(optional) if column == "currencies"), None)
        code = self._code
        for number, row in zip(numbers, rows):
            if len(row) < width:
                row = [*row, *([None] * (width - len(row)))]
            elif len(row) > width and any(cell is not None and str(cell).strip() for cell in row[width:]):
                self._read_slowly(row, number)  # a value beyond the header: refused by parse_row
                continue
            try:
                # plain amounts only: a symbol is read by parse_row, against the line's currency
                gross = scaled_number(row[gross_at], decimal, AMOUNT_PLACES, _SYMBOLS_READ_BY_ROW)
                fees = 0 if fees_at is None else _amount(row[fees_at], decimal, AMOUNT_PLACES)
                taxes = 0 if taxes_at is None else _amount(row[taxes_at], decimal, AMOUNT_PLACES)
                units = NO_UNITS if units_at is None else _amount(row[units_at], decimal, UNITS_PLACES, NO_UNITS)
            except ValueError:
                self._read_slowly(row, number)
                continue
            if self._every_row_slowly:
                self._read_slowly(row, number)
                continue
            key = row[period_at] if period_at is not None else (
                (row[start_at],) if end_at is None else (row[start_at], row[end_at]))
            period = known_periods.get(key)
            if period is None:
                period = code("periods", key)
            key = row[identifier_at[0]] if len(identifier_at) == 1 else tuple(row[i] for i in identifier_at)
            identifier = known_identifiers.get(key)
            if identifier is None:
                identifier = code("identifiers", key)
            found = []
            for column, position, known, _ in optional:
                value = known.get(row[position])
                found.append(code(column, row[position]) if value is None else value)
            if period < 0 or identifier < 0 or _REFUSED in found or not self._currency_in_use(
                    0 if currency_at is None else found[currency_at], period):
                self._read_slowly(row, number)
                continue
            self.rows_read += 1
            if self.problem_count:
                continue  # refused already: only problems matter now
            lines.rows.append(number)
            lines.gross.append(gross)
            period_codes.append(period)
            identifier_codes.append(identifier)
            for (_, _, _, codes), value in zip(optional, found):
                codes.append(value)
            if fees_at is not None:
                lines.fees.append(fees)
            if taxes_at is not None:
                lines.taxes.append(taxes)
            if units_at is not None:
                lines.units.append(units)

    def _code(self, column: str, key: Any) -> int:
        """The code of a cell's value (or of the cells' values, for a period's start and end or
        the identifier columns), read once per distinct value; _REFUSED if not valid. Reads as
        parse_row reads (a value parse_row refuses is _REFUSED, and the row goes to it)."""
        found = self._known[column].get(key)
        if found is not None:
            return found
        options, known = self.options, self.known
        value: Any = None
        try:
            if column == "periods":
                if self.at["period"] is not None:
                    value = parse_period(key, options.dates)
                else:
                    start = parse_day(key[0], options.dates)
                    end = parse_day(key[1], options.dates) if len(key) > 1 else month_of(start)[1]
                    value = (start, end) if end >= start else None
            elif column == "identifiers":
                cells = key if isinstance(key, tuple) else (key,)
                kinds = [kind for kind in IDENTIFIERS if self.at[kind] is not None]
                value = next(((text, kind) for text, kind in ((clean_text(c), kind) for c, kind in zip(cells, kinds))
                              if text), None)
            elif column == "currencies":
                value = clean_text(key if str(key or "").strip() else options.currency).upper()
                value = value if value in known["currencies"] else None
            elif column == "territories":
                value = territory_code(key)
                if value and value not in known["countries"]:
                    return self._remember(column, key, _REFUSED)
            elif column == "media":
                value = self.media.as_stored(clean_text(key)) or None
                if value and value not in self.media:
                    return self._remember(column, key, _REFUSED)
            elif column == "revenue_types":
                value = revenue_type(key, options.revenue_type, options.revenue_types)
            elif column == "episodes":
                value = episode_number(key)
        except (Refused, ValueError):
            return self._remember(column, key, _REFUSED)
        if value is None and column in ("periods", "identifiers", "currencies"):
            return self._remember(column, key, _REFUSED)
        return self._remember(column, key, self.lines.values[column].code(value))

    def _remember(self, column: str, key: Any, code: int) -> int:
        self._known[column][key] = code
        return code

    def _read_slowly(self, row: list[Any], number: int) -> None:
        """A row the fast path doubts: blank (skipped), refused (its problems listed) or read."""
        if is_blank(row):
            return
        self.rows_read += 1
        problems: list[FileProblem] = []
        line = parse_row(number, row, self.index, self.mapping, self.options, problems, **self.known)
        self.problem_count += len(problems)
        self.problems.extend(problems[:max(0, MAX_PROBLEMS - len(self.problems))])
        if line is None or self.problem_count:
            return
        lines, at = self.lines, self.at
        lines.rows.append(line.row)
        lines.gross.append(scaled_number(line.gross_amount, ".", AMOUNT_PLACES))
        lines.codes["periods"].append(lines.values["periods"].code((line.period_start, line.period_end)))
        lines.codes["identifiers"].append(lines.values["identifiers"].code((line.identifier, line.identifier_kind)))
        for column, f, value in (("currencies", "currency", line.currency), ("territories", "territory", line.territory),
                                 ("media", "media", line.media), ("revenue_types", "revenue_type", line.revenue_type),
                                 ("episodes", "episode", line.episode)):
            if at[f] is not None:
                lines.codes[column].append(lines.values[column].code(value))
        if at["platform_fees"] is not None:
            lines.fees.append(scaled_number(line.platform_fees, ".", AMOUNT_PLACES))
        if at["taxes"] is not None:
            lines.taxes.append(scaled_number(line.taxes, ".", AMOUNT_PLACES))
        if at["units"] is not None:
            lines.units.append(NO_UNITS if line.units is None else scaled_number(line.units, ".", UNITS_PLACES))


def _plain_pattern(decimal: str, places: int, required: bool) -> re.Pattern[str]:
    separator = re.escape("," if decimal == "," else ".")
    # undeclared ("auto"), three decimals read two ways ('20.000'): such a column is read row by row
    fraction = f"[0-9]{{0,{places}}}" if decimal != "auto" else f"(?:[0-9]{{0,2}}|[0-9]{{4,{places}}})"
    number = f"-?[0-9]{{1,12}}(?:{separator}{fraction})?"
    return re.compile(f"(?:{number}\n)*{number}" if required else f"(?:(?:{number})?\n)*(?:{number})?")


_PLAIN_COLUMN = {(decimal, places, required): _plain_pattern(decimal, places, required)
                 for decimal in ("auto", ".", ",") for places in (AMOUNT_PLACES, UNITS_PLACES) for required in (True, False)}
# A currency no symbol can be: a row whose amount holds one is read by parse_row, against its line's currency.
_SYMBOLS_READ_BY_ROW = "-"


def _plain_amounts(cells: tuple[Any, ...], decimal: str, places: int, *, required: bool = False,
                   none: int = 0) -> list[int]:
    """A column of plain numbers ('12', '-0.5', with no more than `places` decimals and 12
    digits before the separator) as integers, at C speed; ValueError if any is not plain
    (blank is `none` where not `required`)."""
    separator = "," if decimal == "," else "."
    try:
        joined = "\n".join(cells)  # (TypeError for a cell not text)
    except TypeError:
        raise ValueError("not all text") from None
    if joined.count("\n") != len(cells) - 1 or not _PLAIN_COLUMN[decimal, places, required].fullmatch(joined):
        raise ValueError("not all plain")
    parts = list(map(str.partition, cells, repeat(separator)))
    fractions = map(str.ljust, map(itemgetter(2), parts), repeat(places), repeat("0"))
    scaled = list(map(int, map(add, map(itemgetter(0), parts), fractions)))
    if not required and "" in cells:
        scaled = [none if cell == "" else value for cell, value in zip(cells, scaled)]
    return scaled


def _amount(value: Any, decimal: str, places: int, none: int = 0) -> int:
    """An optional amount: blank is `none`."""
    if value is None or (type(value) is str and not value.strip()):
        return none
    return scaled_number(value, decimal, places, _SYMBOLS_READ_BY_ROW)
