"""What a title and its episodes are, and the rules an edit must keep."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field

from rightsdesk.domain.errors import Problem
from rightsdesk.domain.reading import normalise_eidr

MAX_NAME = 300
MAX_INTERNAL_ID = 32
MAX_RUNTIME_SECONDS = 6 * 3600
EARLIEST_YEAR = 1900
DEFAULT_FORMAT = "9:16"


@dataclass
class EpisodeDraft:
    number: int
    name: str = ""
    runtime_seconds: int = 0
    id: int | None = None


@dataclass
class TitleDraft:
    """A title as an editor holds it: everything the user can change, in one piece."""

    original_name: str
    internal_id: str = ""  # given by the service when left blank
    original_language: str = ""
    country_of_origin: str = ""
    genre: str = ""
    production_year: int | None = None
    producer_id: int | None = None
    eidr: str = ""
    aspect_ratio: str = DEFAULT_FORMAT
    synopsis: str = ""
    localized_names: dict[str, str] = field(default_factory=dict)
    episodes: list[EpisodeDraft] = field(default_factory=list)
    id: int | None = None
    version: int | None = None  # what the editor loaded; None for a new title


_EIDR = re.compile(r"^10\.5240/([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-Z])$")


def eidr_check_character(hex_digits: str) -> str:
    """ISO 7064 Mod 37,36 check character of an EIDR's 20 hex digits."""
    modulus = 36
    product = modulus
    for char in hex_digits:
        total = (product + int(char, 16)) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(modulus + 1 - product) % modulus]


def eidr_problem(eidr: str) -> str | None:
    """Why an EIDR content ID is malformed, or None when it is a valid one."""
    match = _EIDR.match(eidr.upper())
    if not match:
        return "not an EIDR ID (10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C)"
    digits = "".join(match.groups()[:5])
    if eidr_check_character(digits) != match.group(6):
        return "check character does not match (mistyped?)"
    return None


def _subtags(tag: str) -> list[str]:
    return [part for part in tag.strip().lower().replace("_", "-").split("-") if part]


def language_covers(granted: str, asked: str) -> bool:
    """Whether a language right or delivery in `granted` covers a request in `asked`, as BCP 47
    basic filtering does (RFC 4647 3.3.1): case-insensitively, subtag by subtag; `zh-Hant`
    covers `zh-Hant-TW` and `zh-hant`, `es` covers `es-419`, `es-419` does not cover `es`."""
    held, wanted = _subtags(granted), _subtags(asked)
    return bool(held) and wanted[:len(held)] == held


def languages_meet(first: str, second: str) -> bool:
    """Whether two language tags share any language: one covers the other (`zh` and `zh-Hant`)."""
    return language_covers(first, second) or language_covers(second, first)


def language_problem(tag: str) -> str | None:
    import langcodes  # (here: its data takes ~50 ms to load, and most who import this module never check a tag)

    if not langcodes.tag_is_valid(tag):
        return f"'{tag}' is not a BCP 47 language tag (e.g. en, zh-Hans, es-419)"
    return None


def normalize_title(draft: TitleDraft) -> TitleDraft:
    """Trim what people paste: surrounding spaces, lower-case country codes."""
    draft.original_name = draft.original_name.strip()
    draft.internal_id = draft.internal_id.strip()
    draft.original_language = draft.original_language.strip()
    draft.country_of_origin = draft.country_of_origin.strip().upper()
    draft.genre = draft.genre.strip()
    draft.eidr = normalise_eidr(draft.eidr) if draft.eidr.strip() else ""
    draft.aspect_ratio = draft.aspect_ratio.strip() or DEFAULT_FORMAT
    draft.localized_names = {
        tag.strip(): name.strip() for tag, name in draft.localized_names.items()
    }
    for episode in draft.episodes:
        episode.name = episode.name.strip()
    return draft


def title_problems(
    draft: TitleDraft, *, countries: Container[str], this_year: int
) -> list[Problem]:
    """Every rule the draft breaks; empty when it can be saved."""
    problems: list[Problem] = []

    def check(ok: bool, where: str, message: str) -> None:
        if not ok:
            problems.append(Problem(where, message))

    check(bool(draft.original_name), "original_name", "a title needs a name")
    check(len(draft.original_name) <= MAX_NAME, "original_name", f"longer than {MAX_NAME} characters")
    check(len(draft.internal_id) <= MAX_INTERNAL_ID, "internal_id", f"longer than {MAX_INTERNAL_ID} characters")
    if draft.original_language:
        error = language_problem(draft.original_language)
        check(error is None, "original_language", error or "")
    if draft.country_of_origin:
        check(
            draft.country_of_origin in countries,
            "country_of_origin",
            f"'{draft.country_of_origin}' is not an ISO 3166-1 country code",
        )
    if draft.production_year is not None:
        check(
            EARLIEST_YEAR <= draft.production_year <= this_year + 5,
            "production_year",
            f"must be between {EARLIEST_YEAR} and {this_year + 5}",
        )
    if draft.eidr:
        error = eidr_problem(draft.eidr)
        check(error is None, "eidr", error or "")
    for tag, name in draft.localized_names.items():
        error = language_problem(tag)
        check(error is None, f"localized_names[{tag}]", error or "")
        check(bool(name), f"localized_names[{tag}]", "a localized name cannot be empty")
    problems.extend(_episode_problems(draft.episodes))
    return problems


def _episode_problems(episodes: list[EpisodeDraft]) -> list[Problem]:
    problems: list[Problem] = []
    counts = Counter(e.number for e in episodes)
    for row, episode in enumerate(episodes, start=1):
        where = f"episode {episode.number} (row {row})"
        if episode.number < 1:
            problems.append(Problem(where, "episode numbers start at 1"))
        elif counts[episode.number] > 1:
            problems.append(Problem(where, f"episode number {episode.number} is used twice"))
        if episode.runtime_seconds <= 0:
            problems.append(Problem(where, "runtime must be more than 0 seconds"))
        elif episode.runtime_seconds > MAX_RUNTIME_SECONDS:
            problems.append(Problem(where, "runtime is longer than 6 hours"))
        if len(episode.name) > MAX_NAME:
            problems.append(Problem(where, f"name longer than {MAX_NAME} characters"))
    return problems


def parse_episode_numbers(text: str) -> list[int]:
    """Episode numbers as typed: '1-5, 8' or '3'; ValueError for anything else."""
    numbers: set[int] = set()
    for part in text.replace(" ", "").replace("–", "-").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()) or int(first) < 1:
            raise ValueError(f"'{part}' is not an episode number or range (e.g. 1-5, 8)")
        if last and int(last) < int(first):
            raise ValueError(f"'{part}' runs backwards")
        numbers.update(range(int(first), int(last or first) + 1))
    return sorted(numbers)
