"""What the cue sheets say: which tracks each title uses, in which episodes, how often."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.persistence.models import Cue, Episode, MusicTrack
from rightsdesk.services.listing import chunks


@dataclass
class CueTally:
    """The cues of one track in one title."""

    title_id: int
    track_id: int
    track: str
    episodes: set[int] = field(default_factory=set)
    cues: int = 0


def cue_tallies(session: Session, title_ids: Sequence[int] | None = None) -> list[CueTally]:
    """Every (title, track) pair of the titles' cue sheets (every title's when None)."""
    tallies: dict[tuple[int, int], CueTally] = {}
    for chunk in [None] if title_ids is None else chunks(title_ids):
        query = (select(Episode.title_id, Cue.track_id, MusicTrack.title, Episode.number)
                 .join(Cue, Cue.episode_id == Episode.id).join(MusicTrack, MusicTrack.id == Cue.track_id))
        if chunk is not None:
            query = query.where(Episode.title_id.in_(chunk))
        for title_id, track_id, track, number in session.execute(query):
            tally = tallies.setdefault((title_id, track_id), CueTally(title_id, track_id, track))
            tally.episodes.add(number)
            tally.cues += 1
    return list(tallies.values())

