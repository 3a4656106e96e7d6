"""Music clearance: cue timecodes, the life of a licence, and where a title's music is cleared.

A title is cleared for a territory, media and day when every cue of every episode uses a track
that cleared licences cover there and then, for both the composition (sync) and the recording
(master); one licence may hold both. What is not cleared becomes avails restrictions naming the
tracks and the episodes that use them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rightsdesk.domain.avails import OPEN_END, OPEN_START, Restriction, Status, day_of, ordinal
from rightsdesk.domain.enums import CreditRole, LicenceStatus, UsageCode
from rightsdesk.domain.errors import Problem
from rightsdesk.domain.rights import Known, scope_problems
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.domain.words import plural

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


# -- cue sheets ----------------------------------------------------------------------------------

USAGE_WORDS = {
    UsageCode.BI: "background instrumental", UsageCode.BV: "background vocal",
    UsageCode.VI: "visual instrumental", UsageCode.VV: "visual vocal",
    UsageCode.MT: "main title", UsageCode.ET: "end title", UsageCode.SRC: "source music",
}


def parse_usage(text: str) -> UsageCode:
    """A usage code ('BI') or its words ('background instrumental'), in any case."""
    wanted = " ".join(text.strip().lower().replace("_", " ").split())
    for code, words in USAGE_WORDS.items():
        if wanted in (code.value.lower(), words):
            return code
    raise ValueError(f"'{text}' is not a usage code ({', '.join(c.value for c in UsageCode)})")


@dataclass
class CreditDraft:
    """A writer or publisher of a track, with their share of it and their society."""

    role: CreditRole
    name: str
    share_percent: Decimal | None = None
    society: str = ""
    ipi: str = ""

    def describe(self) -> str:
        """'Ana Ruiz (SGAE) 50%', as cue sheets print a credit and parse_credits reads it."""
        society = f" ({self.society})" if self.society else ""
        share = f" {self.share_percent.normalize():f}%" if self.share_percent is not None else ""
        return f"{self.name}{society}{share}"


_CREDIT = re.compile(r"^(?P<name>.*?)\s*(?:\((?P<society>[^()]*)\))?\s*(?:(?P<share>\d+(?:[.,]\d+)?)\s*%)?$")


def parse_credits(text: str, role: CreditRole) -> list[CreditDraft]:
    """Credits as a cue sheet cell writes them: 'Ana Ruiz (SGAE) 50%; Lee Park (KOMCA) 50%'."""
    credits = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        match = _CREDIT.match(part.strip())
        # A name holding a bracket or a % is a society or share the pattern could not read
        # ('inf%', 'abc%', '-5%'), never part of a writer's name.
        if not match or not match["name"] or re.search(r"[()%]", match["name"]):
            raise ValueError(f"'{part.strip()}' is not a credit (write 'Name (SOCIETY) 50%')")
        share = Decimal(match["share"].replace(",", ".")) if match["share"] else None
        if share is not None and share > 100:
            raise ValueError(f"{match['name']}: a share of {share}% is more than 100%")
        credits.append(CreditDraft(role, match["name"], share, (match["society"] or "").strip().upper()))
    return credits


def share_problems(credits: Iterable[CreditDraft]) -> list[str]:
    """Writers' shares and publishers' shares each add up to at most 100%."""
    problems = []
    for label, roles in (("writers", {CreditRole.COMPOSER, CreditRole.LYRICIST, CreditRole.ARRANGER}),
                         ("publishers", {CreditRole.PUBLISHER})):
        total = sum((c.share_percent for c in credits if c.role in roles and c.share_percent is not None), Decimal(0))
        if total > 100:
            problems.append(f"the {label}' shares add up to {total.normalize():f}%, more than 100%")
    return problems


@dataclass
class CueDraft:
    """A cue as the editor and the import hold it: a track (an existing one, or a title to find
    or create), its usage, and where it starts and stops in the episode."""

    track_title: str
    usage: UsageCode
    in_ms: int
    out_ms: int
    track_id: int | None = None

    @property
    def duration_ms(self) -> int:
        return self.out_ms - self.in_ms


def cue_problems(cues: Sequence[CueDraft], runtime_ms: int | None = None) -> list[Problem]:
    """What is wrong with a cue sheet: cues without a track, times out of order or past the end
    of the episode. Cues may overlap (a song under a sting)."""
    problems = []
    for number, cue in enumerate(cues, start=1):
        where = f"cue {number}"
        if cue.track_id is None and not cue.track_title.strip():
            problems.append(Problem(where, "needs a track"))
        if cue.in_ms < 0:
            problems.append(Problem(where, "starts before the episode"))
        if cue.out_ms <= cue.in_ms:
            problems.append(Problem(where, f"out {format_timecode(cue.out_ms)} is not after in {format_timecode(cue.in_ms)}"))
        elif runtime_ms and cue.out_ms > runtime_ms:
            problems.append(Problem(where, f"out {format_timecode(cue.out_ms)} is after the episode ends "
                                           f"({format_timecode(runtime_ms)})"))
    return problems


def usage_totals(cues: Iterable[CueDraft]) -> list[tuple[UsageCode, int, int]]:
    """(usage, cues, milliseconds) for each usage the cues have, in the societies' order."""
    counts: dict[UsageCode, list[int]] = {}
    for cue in cues:
        total = counts.setdefault(cue.usage, [0, 0])
        total[0] += 1
        total[1] += cue.duration_ms
    return [(usage, *counts[usage]) for usage in UsageCode if usage in counts]  # type: ignore[misc]


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


def standing(status: LicenceStatus, term_end: date | None, today: date) -> LicenceStatus:
    """Where a licence stands today: a cleared licence whose term has ended has expired, even
    before anyone records it."""
    if status is LicenceStatus.CLEARED and term_end is not None and term_end < today:
        return LicenceStatus.EXPIRED
    return status


def transition_problem(current: LicenceStatus, wanted: LicenceStatus) -> str | None:
    """Why a licence cannot move from one status to another, or None when it can."""
    if current is wanted or wanted in NEXT[current]:
        return None
    allowed = ", ".join(sorted(s.value.replace("_", " ") for s in NEXT[current]))
    return f"a {current.value.replace('_', ' ')} licence cannot become {wanted.value.replace('_', ' ')} (it can become: {allowed})"


@dataclass
class LicenceDraft:
    """A sync and/or master licence for a track as the editor holds it."""

    track_id: int
    licensor_id: int | None = None
    covers_sync: bool = True
    covers_master: bool = True
    status: LicenceStatus = LicenceStatus.NOT_REQUESTED
    territories: TerritoryScope = field(default_factory=TerritoryScope)
    media: list[str] = field(default_factory=list)  # empty: every media
    term_start: date | None = None
    term_end: date | None = None
    fee: Decimal | None = None
    currency: str = ""
    requested_on: date | None = None
    answered_on: date | None = None
    document_reference: str = ""  # where the signed licence is filed
    notes: str = ""
    id: int | None = None
    version: int | None = None


def licence_problems(draft: LicenceDraft, known: Known, stored: LicenceStatus | None = None) -> list[Problem]:
    """Every rule a licence breaks: it holds sync or master rights or both, somewhere, on known
    media, over a term that runs forwards, for a fee in a known currency; and its status moves
    only as the workflow allows from the stored one."""
    problems = []
    if not (draft.covers_sync or draft.covers_master):
        problems.append(Problem("rights", "a licence holds sync rights, master rights or both"))
    if draft.status is not LicenceStatus.NOT_REQUESTED or not draft.territories.is_empty():
        problems += scope_problems(draft.territories, known, "territories")
    problems += [Problem("media", f"'{code}' is not a known media") for code in draft.media if code not in known.media]
    if draft.term_start and draft.term_end and draft.term_end < draft.term_start:
        problems.append(Problem("term", f"ends ({draft.term_end}) before it starts ({draft.term_start})"))
    if draft.fee is not None and draft.fee < 0:
        problems.append(Problem("fee", "a fee cannot be negative"))
    if draft.fee is not None and draft.currency not in known.currencies:
        problems.append(Problem("currency", f"'{draft.currency}' is not an ISO 4217 currency" if draft.currency
                                else "a fee needs its currency"))
    if stored is not None and (why := transition_problem(stored, draft.status)):
        problems.append(Problem("status", why))
    return problems


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
        more = f"; and {plural(len(tracks) - 5, 'more track')}" if len(tracks) > 5 else ""
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

