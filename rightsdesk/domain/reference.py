"""Reference data the product starts with: countries, territory groups, media, currencies, languages.

This is the seed that migration 0001 loads. Territory groups and media stay editable in the
app afterwards; a change here after a release needs a new migration to reach existing databases.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import pycountry


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str


@dataclass(frozen=True)
class Currency:
    code: str  # ISO 4217
    name: str
    minor_units: int


@dataclass(frozen=True)
class Media:
    code: str
    name: str
    description: str


# Codes every platform reports that ISO 3166-1 does not assign: user-assigned codes, accepted
# as territories of their own.
USER_ASSIGNED_TERRITORIES = (Country("XK", "Kosovo"),)
# Codes that mean an ISO country: UK is exceptionally reserved by ISO 3166 for GB.
TERRITORY_ALIASES = {"UK": "GB"}


def countries() -> list[Country]:
    """Every ISO 3166-1 country, by its common name where it has one, and the user-assigned
    codes platforms use (XK Kosovo)."""
    return sorted(
        [Country(c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries]
        + list(USER_ASSIGNED_TERRITORIES),
        key=lambda c: c.code,
    )


# ISO 4217 minor units where they are not 2.
_MINOR_UNITS = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
}
# Precious metals, SDRs, testing and "no currency" codes: ISO gives them no minor unit
# and no statement is ever paid in them.
_NOT_MONEY = set("XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split())


# Currencies replaced since this date are still known (a report of 2022 pays in HRK).
HISTORY_FROM = date(1999, 1, 1)


def currencies() -> list[Currency]:
    """The ISO 4217 currencies money can be paid in, with their minor units: today's (pycountry)
    and those a country used since 1999 and replaced since (CLDR through babel: HRK, ANG...)."""
    from babel.numbers import get_currency_name, get_currency_precision

    found = {c.alpha_3: Currency(c.alpha_3, c.name, _MINOR_UNITS.get(c.alpha_3, 2))
             for c in pycountry.currencies if c.alpha_3 not in _NOT_MONEY}
    for code, spans in currency_spans().items():
        if code not in found and code not in _NOT_MONEY and any(to is None or to >= HISTORY_FROM for _, to, _ in spans):
            found[code] = Currency(code, get_currency_name(code, locale="en"), _MINOR_UNITS.get(code, get_currency_precision(code)))
    return sorted(found.values(), key=lambda c: c.code)


@functools.cache
def currency_spans() -> dict[str, list[tuple[date | None, date | None, str]]]:
    """When each currency was legal tender, and where: code -> [(from, to, territory)], from
    CLDR's territory currency history (babel); None: no known start, or still in use."""
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    spans: dict[str, list[tuple[date | None, date | None, str]]] = {}
    for territory in get_global("territory_currencies"):
        for used in get_territory_currencies(territory, date(1900, 1, 1), date(2100, 1, 1), tender=True,
                                             non_tender=False, include_details=True):
            spans.setdefault(used["currency"], []).append((used["from"], used["to"], territory))
    return spans


def currency_problem(code: str, day: date) -> str | None:
    """Why a currency cannot be the currency of money dated `day` (replaced before it, or not
    yet issued), naming the replacement; None when some country used it that day, or CLDR has
    no history for it. Source: CLDR supplemental currency data (babel)."""
    spans = currency_spans().get(code)
    if not spans or any((start is None or start <= day) and (end is None or day <= end) for start, end, _ in spans):
        return None
    ended = [(end, territory) for _, end, territory in spans if end is not None and end < day]
    if ended:
        end, territory = max(ended)
        from babel.numbers import get_territory_currencies

        now = get_territory_currencies(territory, day, tender=True)
        instead = f" by {now[0]}" if now else ""
        return f"{code} was replaced{instead} on {end.isoformat()}: use {now[0] if now else 'its successor'} for {day.isoformat()}"
    first = min(start for start, _, _ in spans if start is not None)
    return f"{code} was not in use before {first.isoformat()}"


MEDIA: list[Media] = [
    Media("APP", "Platform app", "Short-drama apps: episodic unlocks, coins, microtransactions"),
    Media("SVOD", "Subscription VOD", "Subscription video on demand"),
    Media("AVOD", "Ad-supported VOD", "Free video on demand paid for by advertising"),
    Media("FAST", "FAST channel", "Free ad-supported streaming television (linear channels)"),
    Media("TVOD", "Transactional VOD", "Pay-per-view rental"),
    Media("EST", "Electronic sell-through", "Digital purchase to own"),
    Media("FREE_TV", "Free TV", "Free-to-air broadcast television"),
    Media("PAY_TV", "Pay TV", "Cable, satellite and IPTV pay television"),
    Media("SOCIAL_CLIPS", "Social clips", "Promotional clips on social video platforms"),
    Media("NON_THEATRICAL", "Non-theatrical", "Airlines, hotels, ships and institutions"),
]

_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
_LATAM = (
    "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE PR UY VE BZ GY SR GF HT JM TT BS BB"
)
_SEA = "BN KH ID LA MY MM PH SG TH TL VN"
_MENA = "DZ BH EG IR IQ IL JO KW LB LY MA OM PS QA SA SY TN AE YE"

# code -> (name, member codes); WORLD is every country and is filled in by territory_groups().
_GROUPS: dict[str, tuple[str, str]] = {
    "WORLD": ("World", ""),
    "EU": ("European Union", _EU),
    "LATAM": ("Latin America and the Caribbean", _LATAM),
    "SEA": ("Southeast Asia", _SEA),
    "MENA": ("Middle East and North Africa", _MENA),
    "NORTH_AMERICA": ("North America", "US CA"),
    "GREATER_CHINA": ("Greater China", "CN HK MO TW"),
    "ANZ": ("Australia and New Zealand", "AU NZ"),
    "DACH": ("Germany, Austria, Switzerland", "DE AT CH LI"),
    "NORDICS": ("Nordic countries", "DK FI IS NO SE FO GL AX"),
    "SOUTH_ASIA": ("South Asia", "AF BD BT IN MV NP PK LK"),
    "UK_IE": ("United Kingdom and Ireland", "GB IE"),
}


def territory_groups() -> dict[str, tuple[str, list[str]]]:
    """The standard groups: code -> (name, sorted country codes)."""
    every = [c.code for c in countries()]
    return {
        code: (name, every if code == "WORLD" else sorted(members.split()))
        for code, (name, members) in _GROUPS.items()
    }


# Languages the seed offers in pickers; any valid BCP 47 tag can be added later.
LANGUAGE_TAGS = (
    "en en-US en-GB zh zh-Hans zh-Hant yue th es es-419 es-ES es-MX pt pt-BR pt-PT id ms vi fil "
    "ko ja ar fr de it ru tr hi bn ta te ur fa he pl nl uk ro cs hu el sv da nb fi km lo my"
).split()
