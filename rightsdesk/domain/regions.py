"""The world's regions as CLDR contains them (UN M.49), learnt as territory groups at start.

Source: CLDR 46 common/supplemental/supplementalData.xml, <territoryContainment>, the groups
that form the strict tree World > continent > subcontinent > country, plus two groupings
trade uses (Sub-Saharan Africa, Latin America). Babel 2.19 ships CLDR's region names but not
this table, so the table is here; its English names come from babel. The tree is complete:
every country RightsDesk knows sits in exactly one subcontinent (tests/domain/test_regions.py),
Antarctica in Outlying Oceania, Kosovo (XK, user-assigned) in Southern Europe as CLDR has it.
Codes CLDR lists that are not countries (EA Ceuta and Melilla, IC Canary Islands, AC, CP, DG,
TA) are left out: they are parts of countries here.

Existing groups keep their meaning: NORTH_AMERICA stays the United States and Canada (as the
trade and the seed always had it), SEA, LATAM and MENA stay as seeded; CLDR's own regions get
their own codes (NORTHERN_AMERICA, SOUTHEAST_ASIA, LATIN_AMERICA...).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# M.49 code -> what it contains (subregions by code, countries by ISO 3166-1 alpha-2).
CONTAINMENT: dict[str, str] = {
    "002": "015 202",  # Africa
    "015": "DZ EA EG EH IC LY MA SD TN",
    "202": "011 017 014 018",  # Sub-Saharan Africa (a CLDR grouping)
    "011": "BF BJ CI CV GH GM GN GW LR ML MR NE NG SH SL SN TG",
    "017": "AO CD CF CG CM GA GQ ST TD",
    "014": "BI DJ ER ET IO KE KM MG MU MW MZ RE RW SC SO SS TF TZ UG YT ZM ZW",
    "018": "BW LS NA SZ ZA",
    "019": "021 013 029 005",  # Americas
    "021": "BM CA GL PM US",
    "013": "BZ CR GT HN MX NI PA SV",
    "029": "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI",
    "005": "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE",
    "419": "013 029 005",  # Latin America (a CLDR grouping)
    "142": "145 143 030 034 035",  # Asia
    "145": "AE AM AZ BH CY GE IL IQ JO KW LB OM PS QA SA SY TR YE",
    "143": "KG KZ TJ TM UZ",
    "030": "CN HK JP KP KR MN MO TW",
    "034": "AF BD BT IN IR LK MV NP PK",
    "035": "BN ID KH LA MM MY PH SG TH TL VN",
    "150": "154 155 151 039",  # Europe
    "154": "GG IM JE DK EE FI FO GB IE IS LT LV NO SE SJ AX",
    "155": "AT BE CH DE FR LI LU MC NL",
    "151": "BG BY CZ HU MD PL RO RU SK UA",
    "039": "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA XK",
    "009": "053 054 057 061 QO",  # Oceania
    "053": "AU CC CX HM NF NZ",
    "054": "FJ NC PG SB VU",
    "057": "FM GU KI MH MP NR PW UM",
    "061": "AS CK NU PF PN TK TO TV WF WS",
    "QO": "AQ AC CP DG TA",
}
CONTINENTS = ("002", "019", "142", "150", "009")  # what World contains


@dataclass(frozen=True)
class Region:
    """A CLDR region as a territory group: its code here, English name, the regions directly
    inside it (by our codes) and the countries directly inside it."""

    code: str
    name: str
    m49: str
    subgroups: tuple[str, ...]
    countries: tuple[str, ...]


def group_code(name: str) -> str:
    """'Southeast Asia' -> SOUTHEAST_ASIA: a territory group code from a region's name."""
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")


@functools.cache
def regions(known_countries: frozenset[str] | None = None) -> dict[str, Region]:
    """Every CLDR region by our code, continents first; countries limited to `known_countries`
    when given (the database's territories)."""
    from babel import Locale

    names = Locale("en").territories
    codes = {m49: group_code(names[m49]) for m49 in CONTAINMENT}
    found = {}
    for m49, parts in CONTAINMENT.items():
        words = parts.split()
        countries = tuple(w for w in words if w not in CONTAINMENT
                          and (known_countries is None or w in known_countries))
        found[codes[m49]] = Region(codes[m49], names[m49], m49, tuple(codes[w] for w in words if w in CONTAINMENT), countries)
    return found
