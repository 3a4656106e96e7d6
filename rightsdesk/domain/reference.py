"""Reference data the product starts with: countries, territory groups, media, currencies, languages.

This is the seed that migration 0001 loads. Territory groups and media stay editable in the
app afterwards; a change here after a release needs a new migration to reach existing databases.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def countries() -> list[Country]:
    """Every ISO 3166-1 country, by its common name where it has one."""
    return sorted(
        (Country(c.alpha_2, getattr(c, "common_name", None) or c.name) for c in pycountry.countries),
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


def currencies() -> list[Currency]:
    """The ISO 4217 currencies money can be paid in, with their minor units."""
    return sorted(
        (
            Currency(c.alpha_3, c.name, _MINOR_UNITS.get(c.alpha_3, 2))
            for c in pycountry.currencies
            if c.alpha_3 not in _NOT_MONEY
        ),
        key=lambda c: c.code,
    )


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
