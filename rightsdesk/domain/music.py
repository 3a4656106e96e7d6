"""Music clearance: cue timecodes, the life of a licence, and where a title's music is cleared.

A title is cleared for a territory, media and day when every cue of every episode uses a track
that cleared licences cover there and then, for both the composition (sync) and the recording
(master); one licence may hold both. What is not cleared becomes avails restrictions naming the
tracks and the episodes that use them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from rightsdesk.domain.avails import OPEN_END, OPEN_START, Restriction, Status, day_of, ordinal
from rightsdesk.domain.enums import LicenceStatus

# -- timecodes -----------------------------------------------------------------------------------

_TIMECODE = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?$")


def parse_timecode(text: str) -> int:
    """Milliseconds from 'MM:SS', 'HH:MM:SS' or either with '.mmm'; ValueError when it is none."""
    match = _TIMECODE.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a timecode (MM:SS or HH:MM:SS, optionally .mmm)")
    hours, minutes, seconds, fraction = match.groups()
    millis = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + millis


def format_timecode(millis: int) -> str:
    seconds, ms = divmod(millis, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
    return text + (f".{ms:03d}" if ms else "")


# -- licences ------------------------------------------------------------------------------------

# Where a licence can go next: asked for, priced, then granted or refused; a refusal can be
# asked again and a cleared licence lapses when its term ends.
NEXT = {
    LicenceStatus.NOT_REQUESTED: {LicenceStatus.REQUESTED},
    LicenceStatus.REQUESTED: {LicenceStatus.QUOTED, LicenceStatus.CLEARED, LicenceStatus.DENIED},
    LicenceStatus.QUOTED: {LicenceStatus.CLEARED, LicenceStatus.DENIED, LicenceStatus.REQUESTED},
    LicenceStatus.CLEARED: {LicenceStatus.EXPIRED},
    LicenceStatus.DENIED: {LicenceStatus.REQUESTED},
    LicenceStatus.EXPIRED: {LicenceStatus.REQUESTED},
}


def transition_problem(current: LicenceStatus, wanted: LicenceStatus) -> str | None:
    """Why a licence cannot move from one status to another, or None when it can."""
    if current is wanted or wanted in NEXT[current]:
        return None
    allowed = ", ".join(sorted(s.value.replace("_", " ") for s in NEXT[current]))
    return f"a {current.value.replace('_', ' ')} licence cannot become {wanted.value.replace('_', ' ')} (it can become: {allowed})"


@dataclass(frozen=True)
class LicenceScope:
    """A licence as clearance sees it: what it holds, where, on which media, when."""

    track_id: int
    status: LicenceStatus
    sync: bool
    master: bool
    territories: frozenset[str]
    media: frozenset[str]  # empty: every media
    start: date | None
    end: date | None

    def in_force(self) -> bool:
        return self.status is LicenceStatus.CLEARED


@dataclass(frozen=True)
class TrackUse:
    """A track in a title: which episodes use it."""

    track_id: int
    track: str
    episodes: tuple[int, ...]


def episodes_text(numbers: Iterable[int]) -> str:
    """1–3, 7, 9–12"""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def clearance_restrictions(uses: Iterable[TrackUse], licences: Iterable[LicenceScope], *,
                           countries: Collection[str], media: Collection[str]) -> list[Restriction]:
    """Where a title's music is not cleared, as restrictions: for each stretch of days between
    licence boundaries, the countries and media some used track lacks sync or master rights in.
    Tracks missing in the same place at the same time share one restriction."""
    everywhere, all_media = frozenset(countries), frozenset(media)
    by_track: dict[int, list[LicenceScope]] = defaultdict(list)
    for licence in licences:
        if licence.in_force():
            by_track[licence.track_id].append(licence)
    gaps: dict[tuple[frozenset[str], frozenset[str], int, int], list[TrackUse]] = defaultdict(list)
    for use in uses:
        held = by_track.get(use.track_id, [])
        for start, end in _stretches(held):
            current = [h for h in held if ordinal(h.start, OPEN_START) <= start and end <= ordinal(h.end, OPEN_END)]
            missing_by_media: dict[frozenset[str], set[str]] = defaultdict(set)
            for code in all_media:
                covering = [h for h in current if not h.media or code in h.media]
                sync = frozenset().union(*(h.territories for h in covering if h.sync))
                master = frozenset().union(*(h.territories for h in covering if h.master))
                missing = everywhere - (sync & master)
                if missing:
                    missing_by_media[frozenset(missing)].add(code)
            for missing, codes in missing_by_media.items():
                gaps[(missing, frozenset(codes), start, end)].append(use)
    restrictions = []
    for (missing, codes, start, end), tracks in gaps.items():
        named = "; ".join(f"“{t.track}” (episode{'s' if len(t.episodes) > 1 else ''} {episodes_text(t.episodes)})"
                          for t in tracks[:5])
        more = f"; and {len(tracks) - 5} more track(s)" if len(tracks) > 5 else ""
        restrictions.append(Restriction(Status.MUSIC_NOT_CLEARED, missing, codes, day_of(start), day_of(end),
                                        f"music not cleared: {named}{more}"))
    return restrictions


def _stretches(licences: list[LicenceScope]) -> list[tuple[int, int]]:
    """The runs of days (ordinals, inclusive) over which the same licences are in force."""
    cuts = {OPEN_START, OPEN_END + 1}
    for licence in licences:
        cuts.add(ordinal(licence.start, OPEN_START))
        cuts.add(ordinal(licence.end, OPEN_END) + 1 if licence.end else OPEN_END + 1)
    ordered = sorted(cuts)
    return [(a, b - 1) for a, b in zip(ordered, ordered[1:])]

