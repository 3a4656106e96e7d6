"""A title's cue sheets as collecting societies expect them: per episode, every cue with its
writers and publishers (shares and society), usage code, in, out and duration; then the music
per episode and the totals by usage.

The workbook's cue sheet has the series and episode number in columns of their own, so that it
can be filed as it is or imported back (services/cue_sheets.py reads the same headers).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.domain.enums import CreditRole
from rightsdesk.domain.music import USAGE_WORDS, episodes_text, format_timecode, usage_totals
from rightsdesk.persistence.models import Party, Title
from rightsdesk.services.report_layout import Column, Report, Table
from rightsdesk.services import cue_sheets


def build(session: Session, options: dict[str, Any], today: date) -> Report:
    title = session.get(Title, options["title"])
    assert title is not None  # parse_options found it
    sheets = cue_sheets.cue_sheets(session, title.id, options.get("episodes") or ())
    credits = cue_sheets.track_credits(session, sorted({c.track_id for s in sheets for c in s.cues if c.track_id}))
    producer = session.get(Party, title.producer_id).name if title.producer_id else ""
    rows: list[tuple[Any, ...]] = []
    for sheet in sheets:
        music = sum(c.duration_ms for c in sheet.cues)
        heading = (f"Episode {sheet.episode_number}" + (f" · {sheet.episode_name}" if sheet.episode_name else "")
                   + f" · runtime {format_timecode(sheet.runtime_ms)} · music {format_timecode(music)}")
        for number, cue in enumerate(sheet.cues, start=1):
            held = credits.get(cue.track_id or 0, [])
            writers = "; ".join(c.describe() for c in held if c.role not in (CreditRole.PUBLISHER, CreditRole.LABEL))
            publishers = "; ".join(c.describe() for c in held if c.role is CreditRole.PUBLISHER)
            rows.append((heading, sheet.internal_id, sheet.episode_number, number, cue.track_title, writers, publishers,
                         cue.usage.value, format_timecode(cue.in_ms), format_timecode(cue.out_ms),
                         format_timecode(cue.duration_ms), _seconds(cue.duration_ms)))
    cues = Table("Cue sheet", (
        Column("Episode title"), Column("Series", in_pdf=False), Column("Episode", "number", in_pdf=False),
        Column("Cue", "number", 0.35), Column("Track", width=1.6), Column("Composers", width=2.2),
        Column("Publishers", width=1.8), Column("Usage", width=0.45), Column("In", width=0.55),
        Column("Out", width=0.55), Column("Duration", width=0.6), Column("Seconds", "number", in_pdf=False)),
        rows, empty="These episodes have no cues.", group_by=0,
        note="Composers and publishers: name (society) share. Usage: "
             + ", ".join(f"{code.value} {words}" for code, words in USAGE_WORDS.items()) + ".")
    every_cue = [c for s in sheets for c in s.cues]
    episodes = Table("Music per episode", (
        Column("Episode", "number", 0.5), Column("Name", width=2), Column("Runtime", width=0.6),
        Column("Cues", "number", 0.5), Column("Music", width=0.6)),
        [(s.episode_number, s.episode_name, format_timecode(s.runtime_ms), len(s.cues),
          format_timecode(sum(c.duration_ms for c in s.cues))) for s in sheets], empty="No episodes.")
    totals = Table("Totals by usage", (
        Column("Usage", width=0.5), Column("Meaning", width=1.5), Column("Cues", "number", 0.5),
        Column("Duration", width=0.7), Column("Seconds", "number", 0.6)),
        [(usage.value, USAGE_WORDS[usage], count, format_timecode(ms), _seconds(ms))
         for usage, count, ms in usage_totals(every_cue)], empty="No cues.")
    numbers = [s.episode_number for s in sheets]
    return Report(
        f"Cue sheet: {title.original_name}",
        f"{title.internal_id} · episodes {episodes_text(numbers)}" if numbers else title.internal_id,
        facts=[("Series", f"{title.original_name} ({title.internal_id})"),
               ("Original language", title.original_language or "—"), ("Producer", producer or "—"), ("Episodes", str(len(sheets))), ("Cues", str(len(every_cue))),
               ("Total music", format_timecode(sum(c.duration_ms for c in every_cue)))],
        tables=[cues, episodes, totals])



def _seconds(millis: int) -> Decimal:
    return Decimal(millis) / 1000
