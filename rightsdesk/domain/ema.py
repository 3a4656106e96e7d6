"""How our rights travel in EMA Avails 1.9 (see docs/ema-avails.md), and how a row is read back.

The standard knows the licence types EST, VOD, SVOD and POEST only. Our media map to them
where they mean the same thing; every row also carries our own media code in RetailerSpare1,
so that AVOD, FAST, APP and the rest travel exactly and come back as they left.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from rightsdesk.domain.catalogue import MAX_NAME, language_problem
from rightsdesk.domain.errors import Problem
from rightsdesk.domain.media import media_codes
from rightsdesk.domain.reference import TERRITORY_ALIASES
from rightsdesk.domain.reading import (FORMULA_REASON, Formula, Refused, clean_text, normalise_eidr, parse_date,
                                       parse_yes_no, shown)

# The licence types EMA Avails 1.9 defines (its LicenseType column).
LICENSE_TYPES = ("EST", "VOD", "SVOD", "POEST")
# our media -> EMA LicenseType, where a medium's own setting (Media > EMA licence type) says nothing
LICENSE_TYPE = {"SVOD": "SVOD", "EST": "EST", "TVOD": "VOD"}
OTHER_LICENSE_TYPE = "VOD"  # the nearest standard type for AVOD, FAST, APP and the rest
# EMA LicenseType -> our media, when RetailerSpare1 does not name one
MEDIA_OF_LICENSE_TYPE = {"SVOD": "SVOD", "EST": "EST", "POEST": "EST", "VOD": "TVOD"}
MEDIA_FIELD = "RetailerSpare1"
FORMAT_FIELD = "RetailerSpare2"
MONETISATION_FIELD = "RetailerSpare3"
MONETISATION = {
    "APP": "episodic unlocks (coins), subscription and ads in short-drama apps",
    "AVOD": "advertising",
    "FAST": "advertising on linear channels",
    "SVOD": "subscription",
    "TVOD": "rental",
    "EST": "purchase",
}
WHOLE_SERIES = ("Series", "Season")
# The fields an offer is read from (read_row); the rest of a row is not read.
READ_FIELDS = frozenset({"SeriesTitleInternalAlias", "SeriesTitleDisplayUnlimited", "Territory", "WorkType", "EpisodeNumber",
                         MEDIA_FIELD, "LicenseType", "Start", "End", "Exclusive", "AllowedLanguages", "SeriesID",
                         "SeriesAltID", "AssetLanguage", "EpisodeCount"})


def license_type(media: str, chosen: str | None = None) -> str:
    """The EMA LicenseType a medium is offered as: the one chosen for it in the media table,
    else the standard mapping (SVOD, EST, TVOD as VOD, any other medium as VOD)."""
    return chosen or LICENSE_TYPE.get(media, OTHER_LICENSE_TYPE)


@dataclass(frozen=True)
class OfferedRight:
    """One EMA row read as a right offered to us."""

    row: int
    series_name: str
    series_id: str  # EIDR or the offerer's ID
    alt_id: str
    language: str
    territory: str
    media: str
    start: date
    end: date | None
    exclusive: bool
    episode: int | None  # None: the whole series
    languages: tuple[str, ...]
    episode_count: int | None


def read_row(number: int, row: dict[str, Any], *, countries: set[str],
             media: Collection[str]) -> tuple[OfferedRight | None, list[Problem]]:
    """An EMA row as an offered right, or every reason it cannot be taken."""
    problems: list[Problem] = []
    refused: set[str] = set()  # fields already reported as they were read

    def problem(field: str, message: str) -> None:
        if field not in refused:
            problems.append(Problem(f"row {number}, {field}", message))

    def refuse(field: str, message: str) -> None:
        problem(field, message)
        refused.add(field)

    row = dict(row)
    for field, value in row.items():
        if isinstance(value, Formula):
            if value.text.strip().upper() in ("=TRUE()", "=FALSE()") or field not in READ_FIELDS:
                row[field] = value.text  # a constant whatever the saved result, or a field not read
                continue
            # never read as its own text: a title named '=C5', a start '=TODAY()'
            refuse(field, FORMULA_REASON.format(formula=value.text))
            row[field] = None

    def text(field: str) -> str:
        try:
            return clean_text(_text(row.get(field)))
        except Refused as reason:
            refuse(field, f"'{shown(_text(row.get(field)))}' {reason}")
            return ""

    # the internal alias, else the display title; when both are empty, the alias is what is missing
    name_field = "SeriesTitleDisplayUnlimited" if not _text(row.get("SeriesTitleInternalAlias")) \
        and "SeriesTitleInternalAlias" not in refused and _text(row.get("SeriesTitleDisplayUnlimited")) \
        else "SeriesTitleInternalAlias"
    name = text(name_field)
    if not name:
        problem(name_field, "no series title")
    elif len(name) > MAX_NAME:
        problem(name_field, f"is longer than {MAX_NAME} characters")
    territory = _text(row.get("Territory")).upper()
    territory = TERRITORY_ALIASES.get(territory, territory)  # UK is GB (ISO 3166's exceptional reservation)
    if territory not in countries:
        problem("Territory", f"'{territory}' is not an ISO 3166-1 country code")
    work_type = _text(row.get("WorkType"))
    episode = None
    if work_type == "Episode":
        episode = _whole(row.get("EpisodeNumber"))
        if episode is None or episode < 1:
            problem("EpisodeNumber", f"'{_text(row.get('EpisodeNumber'))}' is not an episode number")
    elif work_type not in WHOLE_SERIES:
        problem("WorkType", f"'{work_type}' is not Series, Season or Episode")
    our_media = media_codes(media).as_stored(_text(row.get(MEDIA_FIELD)))  # our code in any case, as stored
    if our_media not in media:
        our_media = MEDIA_OF_LICENSE_TYPE.get(_text(row.get("LicenseType")).upper(), "")
    if not our_media:
        problem("LicenseType", f"'{_text(row.get('LicenseType'))}' is not a licence type we know (EST, VOD, SVOD, POEST)")
    start, why = _day(row.get("Start"))
    if start is None:
        problem("Start", f"'{_text(row.get('Start'))}' {why}" if _text(row.get("Start")) else why)
    end_text = _text(row.get("End"))
    end = None if end_text.lower() in ("open", "") else _day(row.get("End"))[0]
    if end_text.lower() not in ("open", "") and end is None:
        problem("End", f"'{end_text}' is not a date or Open")
    if start and end and end < start:
        problem("End", f"ends ({end}) before it starts ({start})")
    exclusive = _flag(row.get("Exclusive"))
    if exclusive is None:
        problem("Exclusive", f"'{_text(row.get('Exclusive'))}' is not yes or no (yes, no, true, false, 1, 0 or x)")
    allowed = tuple(t for t in text("AllowedLanguages").replace(",", " ").split() if t)
    for reason in filter(None, map(language_problem, allowed)):  # else the whole offer fails on saving, naming no row
        problem("AllowedLanguages", reason)
    series_id, alt_id, language = text("SeriesID"), text("SeriesAltID"), text("AssetLanguage")
    if problems:
        return None, problems
    return OfferedRight(
        number, name, normalise_eidr(series_id) if series_id else "", alt_id, language,
        territory, our_media, start, end, bool(exclusive), episode,  # type: ignore[arg-type]
        allowed, _whole(row.get("EpisodeCount")),
    ), []


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _whole(value: Any) -> int | None:
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() else None  # not '²', which isdigit() accepts


def _day(value: Any) -> tuple[date | None, str]:
    """EMA dates: spreadsheet dates or ISO text (the template's own format); else None and why."""
    try:
        return parse_date(value, "iso"), ""
    except Refused as refused:
        return None, str(refused)


def _flag(value: Any) -> bool | None:
    """Excel booleans, the '=TRUE()' formulas some workbooks use, and yes/no words (as
    rightsdesk.domain.reading reads them; blank is no); None for anything else."""
    if isinstance(value, str) and value.strip().upper() in ("=TRUE()", "=FALSE()"):
        return value.strip().upper() == "=TRUE()"
    try:
        return bool(parse_yes_no(value))
    except Refused:
        return None
