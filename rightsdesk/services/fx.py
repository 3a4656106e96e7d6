"""Exchange rates: entered or imported from CSV, and the documented rate a statement uses.

The rule: a conversion on a day uses the most recent rate on or before that day, whether it
was entered for the pair as asked (base -> quote) or for the opposite pair (then inverted); an
older direct rate never beats a newer inverse one, and on the same day the direct rate wins.
The statement prints the rate and the date it is from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain import reading
from rightsdesk.domain import reference as domain_reference
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.revenue import FileProblem
from rightsdesk.persistence.models import ExchangeRate
from rightsdesk.services import reference
from rightsdesk.domain.words import plural

RATE_PLACES = Decimal(1).scaleb(-10)
HEADERS = {"date": ("date", "rate_date", "day"), "base": ("base", "from", "base_currency"),
           "quote": ("quote", "to", "quote_currency"), "rate": ("rate", "fx", "exchange_rate")}


class MissingRate(UserError):
    pass


@dataclass(frozen=True)
class Quote:
    base: str
    quote: str
    rate: Decimal  # units of quote for one unit of base
    rate_date: date | None  # None when base and quote are the same currency

    def convert(self, amount: Decimal) -> Decimal:
        return amount * self.rate

    def describe(self) -> str:
        return f"1 {self.base} = {self.rate.normalize():f} {self.quote} (rate of {self.rate_date})"


def save_rate(session: Session, base: str, quote: str, day: date, rate: Decimal, *, source: str = "entered") -> None:
    base, quote = base.strip().upper(), quote.strip().upper()
    known = reference.currency_codes(session)
    problems = [f"'{c}' is not an ISO 4217 currency" for c in (base, quote) if c not in known]
    if base == quote:
        problems.append("a rate needs two different currencies")
    if rate <= 0:
        problems.append("a rate must be more than zero")
    if problems:
        raise UserError("; ".join(problems))
    found = session.scalar(select(ExchangeRate).where(ExchangeRate.base_currency == base, ExchangeRate.quote_currency == quote,
                                                      ExchangeRate.rate_date == day))
    if found is None:
        session.add(ExchangeRate(base_currency=base, quote_currency=quote, rate_date=day, rate=rate.quantize(RATE_PLACES), source=source))
    else:
        found.rate, found.source = rate.quantize(RATE_PLACES), source
    session.flush()


def import_rates(session: Session, content: bytes, *, source: str = "imported", decimal: str = ".",
                 dates: str = "iso", encoding: str | None = None) -> int:
    """Rates from CSV (date, base, quote, rate; any order). All or nothing.

    The file's conventions are declared, never guessed (docs/fx-rates.md): `decimal` is its
    decimal separator ('.' by default), `dates` 'iso' (default), 'dmy' or 'mdy', `encoding`
    its text encoding (UTF-8 by default; a BOM wins). Raises UserError listing every problem
    by the file's own row and column."""
    try:
        records = reading.csv_records(reading.decode(content, encoding))
    except reading.Refused as refused:
        raise UserError(f"no rate was imported: the file {refused}") from None
    if not records:
        raise UserError("the file holds no rows")
    header_row = records[0][1]
    headers = [h.strip().lower() for h in header_row]
    position = {}
    for field, names in HEADERS.items():
        found = next((n for n, h in enumerate(headers) if h in names), None)
        if found is None:
            raise UserError(f"no '{field}' column (expected one of: {', '.join(names)})")
        position[field] = found
    if len(records) == 1:
        raise UserError("the file holds a header and no rates")
    if why := reading.overflowing(records[1:], len(header_row)):
        raise UserError(f"no rate was imported: {why}")
    known = reference.currency_codes(session)
    problems, rates = [], []
    for number, row in records[1:]:
        def cell(field: str) -> str:
            return row[position[field]].strip() if position[field] < len(row) else ""
        try:
            day = reading.parse_date(cell("date"), dates)
        except reading.Refused as refused:
            problems.append(FileProblem(number, header_row[position["date"]], cell("date"), str(refused)))
            continue
        pair = (cell("base").upper(), cell("quote").upper())
        bad = [(field, code) for field, code in zip(("base", "quote"), pair) if code not in known]
        for field, code in bad:
            problems.append(FileProblem(number, header_row[position[field]], code, "is not an ISO 4217 currency"))
        try:
            # a rate is so many units of the quote currency: its symbol (US$ on EUR/USD) may stand
            # beside it, another currency's (₫ on USD/THB) may not
            rate = reading.parse_decimal(cell("rate"), decimal, currency=None if bad else pair[1])
        except reading.Refused as refused:
            problems.append(FileProblem(number, header_row[position["rate"]], cell("rate"), str(refused)))
            continue
        if bad:
            continue
        if 0 < rate < RATE_PLACES / 2:  # stored to 10 decimals, it would be a rate of 0
            problems.append(FileProblem(number, header_row[position["rate"]], cell("rate"),
                                        f"is smaller than the {-RATE_PLACES.as_tuple().exponent} decimals a rate keeps: "
                                        "give the rate of the opposite pair"))
            continue
        if rate <= 0 or pair[0] == pair[1]:
            problems.append(FileProblem(number, header_row[position["rate"]], f"{pair[0]}/{pair[1]} {cell('rate')}",
                                        "the rate must be more than zero between two currencies"))
            continue
        retired = [(field, code, p) for field, code in zip(("base", "quote"), pair)
                   if (p := domain_reference.currency_problem(code, day))]
        for field, code, reason in retired:
            # the reason names the code first ('HRK was replaced by EUR...'), the value shows it
            problems.append(FileProblem(number, header_row[position[field]], code, reason.removeprefix(f"{code} ")))
        if retired:
            continue
        rates.append((pair, day, rate))
    if problems:
        # control characters in a value shown escaped, so the message reads as it should
        raise UserError(f"no rate was imported: {plural(len(problems), 'problem')}\n"
                        + "\n".join(f"• {reading.shown(p)}" for p in problems[:30]))
    for (base, quote), day, rate in rates:
        save_rate(session, base, quote, day, rate, source=source)
    return len(rates)


def quote(session: Session, base: str, quote_currency: str, on: date) -> Quote:
    """The rate for converting base into quote on a day (see the module's rule)."""
    if base == quote_currency:
        return Quote(base, quote_currency, Decimal(1), None)

    def latest(first: str, second: str) -> ExchangeRate | None:
        return session.scalar(select(ExchangeRate).where(
            ExchangeRate.base_currency == first, ExchangeRate.quote_currency == second, ExchangeRate.rate_date <= on,
        ).order_by(ExchangeRate.rate_date.desc()).limit(1))

    direct = latest(base, quote_currency)
    inverse = latest(quote_currency, base)
    # The most recent rate wins, whichever way it was entered; on the same day, the direct one.
    if direct is not None and (inverse is None or direct.rate_date >= inverse.rate_date):
        return Quote(base, quote_currency, direct.rate, direct.rate_date)
    if inverse is not None:
        return Quote(base, quote_currency, (Decimal(1) / inverse.rate).quantize(RATE_PLACES), inverse.rate_date)
    raise MissingRate(f"no {base}/{quote_currency} exchange rate on or before {on}; enter or import one")
