"""How values read on screen, in the user's locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import UnknownLocaleError
from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal, get_decimal_symbol
from PySide6.QtCore import QLocale


def number(value: int | None) -> str:
    """A count in the desk's locale (babel/CLDR): 20,000 in en_US, 20.000 in de_DE; en_US where
    the system names no locale (Qt's "C" locale would not group at all)."""
    if value is None:
        return ""
    try:
        return format_decimal(value, locale=_babel_locale())
    except UnknownLocaleError:
        return f"{value:,}"


def _babel_locale() -> str:
    name = QLocale().name()  # e.g. de_DE; "C" when the system sets none
    return name if "_" in name else "en_US"


def decimal_separator() -> str:
    """The desk's decimal separator, '.' or ',' (babel/CLDR for the user's locale); money typed
    into a form is read by it (rightsdesk.domain.reading.parse_decimal)."""
    try:
        symbol = get_decimal_symbol(_babel_locale())
    except UnknownLocaleError:
        return "."
    return symbol if symbol in (".", ",") else "."


def decimal_text(value: Decimal) -> str:
    """A number as a form shows it for editing, in the desk's locale without grouping: 25.5
    in en_US, 25,5 in de_DE (every place it has, none added)."""
    text = f"{value.normalize():f}"
    return text.replace(".", decimal_separator())


def grouped(value: Decimal) -> str:
    """A number grouped by thin spaces, which read one way in every locale, with the desk's
    decimal separator and every place it has: 20 000 or 20 000,5 (never 20.000)."""
    return f"{value.normalize():,f}".replace(",", "\u202f").replace(".", decimal_separator())


def money(amount: Decimal | None, currency: str) -> str:
    """An amount in the user's locale with its currency's minor units: $1,234.50, 1.234,50 €, ¥1,235."""
    if amount is None:
        return ""
    try:
        return format_currency(amount, currency, locale=_babel_locale())
    except (ValueError, UnknownLocaleError):
        return f"{amount:,} {currency}"


def moment(at: datetime) -> str:
    """A moment on the user's clock, in their locale: Nov 25, 2026, 2:29 PM; 25.11.26, 14:29."""
    local = at.astimezone()
    try:
        return format_datetime(local, "medium", locale=_babel_locale())
    except (ValueError, UnknownLocaleError):
        return f"{local:%Y-%m-%d %H:%M}"


def day(value: date | None) -> str:
    """A day in a list or a label as the desk writes days (ui.date_field.shown_day): 01.11.26 in
    Germany, 2026-11-01 where the system names no locale; '' for none."""
    from rightsdesk.ui.date_field import shown_day  # (the field reads what it shows: one rule for both)

    return shown_day(value) if value else ""
