"""Words as the business writes them: counts with real plurals, names in the order people read.

`plural(1, "title")` is "1 title", `plural(2, "title")` is "2 titles", never "1 titles" nor
"title(s)". `natural_key` orders names the way a person does: "Temporada 2" before
"Temporada 10", case ignored. `runtime(9623)` is "2:40:23", as every screen and statement
writes a running time.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"(\d+)")


def plural(count: int, noun: str, plural: str | None = None) -> str:
    """The count and its noun: "1 title", "2 titles", "0 titles"; the plural given when it is
    not the noun plus "s" (`plural(3, "entry", "entries")`). Counts over 999 read 1,234."""
    word = noun if count == 1 else plural if plural is not None else f"{noun}s"
    return f"{count:,} {word}"


def plural_word(count: int, noun: str, plural: str | None = None) -> str:
    """The noun alone, in the number the count asks for: for sentences that write the count
    elsewhere ("2 lines fall…", "the line falls…")."""
    return noun if count == 1 else plural if plural is not None else f"{noun}s"


def natural_key(text: str | None) -> str:
    """A sort key reading runs of digits as numbers and letters without case or accents:
    "Temporada 2" < "temporada 10" < "Temporada 10b"; "Épisode" sorts with "episode".
    One string, so that 20 000 names sort in a few tens of milliseconds: each number is
    written as its count of digits (two of them) then its digits, leading zeros dropped, so
    "2" reads "012" and "10" reads "0210", and a shorter number sorts first."""
    if not text:
        return ""
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return _DIGITS.sub(_number, folded)


def _number(found: re.Match[str]) -> str:
    digits = found.group().lstrip("0") or "0"
    return f"{len(digits):02d}{digits}"


def runtime(seconds: int | None) -> str:
    """1:02:03 for an hour and a bit, 2:05 for two minutes and five seconds."""
    if not seconds:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_runtime(text: str) -> int:
    """Seconds from '2:05', '1:02:03' or '125'; ValueError when it is none of these."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"'{text}' is not a runtime (m:ss or seconds)")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds
