"""An avails answer as a licensing report: a row per run of days, coloured by status, and a
row per title × territory × media cell (workbook only). reports/avails.py renders it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rightsdesk.domain.avails import Status
from rightsdesk.services.avails import AvailsAnswer
from rightsdesk.services.report_layout import Column, Report, Table

# One colour per status, shared by the screen, the PDF and the workbook.
STATUS_COLOURS = {
    Status.AVAILABLE: "#C8E6C9",
    Status.ACQUIRED_NON_EXCLUSIVE: "#E6F0B4",
    Status.LICENSED_NON_EXCLUSIVE: "#FFF3B0",
    Status.NOT_LOCALIZED: "#D7C8F0",
    Status.MUSIC_NOT_CLEARED: "#C8DCF0",
    Status.HOLDBACK: "#FFD8A8",
    Status.LICENSED_EXCLUSIVE: "#F8B4B4",
    Status.NOT_ACQUIRED: "#E0E0E0",
}


@dataclass(frozen=True)
class AvailsRow:
    """One run of days for one title, media and group of territories that share an answer."""

    title_code: str
    title: str
    media: str
    territories: str
    status: Status
    available: bool
    start: date | None
    end: date | None
    reasons: str


def rows(answer: AvailsAnswer) -> list[AvailsRow]:
    media_order = {code: n for n, code in enumerate(answer.result.query.media)}
    found = []
    for block in answer.result.blocks:
        territories = answer.describe_territories(block.territories)
        for segment in block.answer.segments:
            found.append(AvailsRow(
                answer.title_codes.get(block.title_id, str(block.title_id)),
                answer.title_names.get(block.title_id, ""), block.media, territories, segment.status,
                segment.allows(answer.result.query.exclusive), segment.start, segment.end,
                "; ".join(r.explanation for r in segment.reasons),
            ))
    found.sort(key=lambda r: (r.title.casefold(), r.title_code, media_order[r.media], r.territories, r.start or date.min))
    return found


def describe_query(answer: AvailsAnswer) -> str:
    query, request = answer.result.query, answer.request
    languages = ", ".join(sorted(query.languages)) or "any language"
    checks = (["music cleared"] if request.music else []) + (
        [f"localized in {', '.join(request.localized_in)}"] if request.localized_in else [])
    return (f"{request.territories} · {', '.join(query.media)} · {languages} · "
            f"{query.start} to {query.end or 'open end'} · "
            f"{'exclusive' if query.exclusive else 'non-exclusive'} · "
            f"{'whole term' if query.match.value == 'whole' else 'any part of the term'}"
            + "".join(f" · {c}" for c in checks))


def report(answer: AvailsAnswer) -> Report:
    """The answer as a licensing report: a row per run of days, coloured by status, and (in the
    workbook only) a row per title × territory × media cell when there are not too many."""
    listed = rows(answer)
    cells = sum(len(b.territories) for b in answer.result.blocks)
    runs = Table("Avails", (
        Column("Title ID", width=0.6), Column("Title", width=1.8), Column("Media", width=0.6),
        Column("Territories", width=1.6), Column("Status", width=1.2), Column("Available", width=0.55),
        Column("From", "date", 0.65), Column("To", "date", 0.65), Column("Reasons", width=3.2)),
        [(r.title_code, r.title, r.media, r.territories, r.status.label, r.available, r.start, r.end or "open",
          r.reasons) for r in listed],
        {(n, 4): STATUS_COLOURS[r.status] for n, r in enumerate(listed)}, empty="No titles asked about.")
    tables = [runs]
    if cells <= 200_000:
        tables.append(Table("Cells", (Column("Title ID"), Column("Title"), Column("Territory"), Column("Media"),
                                      Column("Status"), Column("Available")), [
            (answer.title_codes.get(t, str(t)), answer.title_names.get(t, ""), territory, media, cell.status.label,
             cell.available) for t, territory, media, cell in answer.result.cells()], in_pdf=False))
    return Report("Avails", describe_query(answer), facts=[
        ("Titles", str(len(answer.result.query.titles))),
        ("Cells available", f"{answer.result.available_count()} of {cells} title × territory × media cells")],
        tables=tables, legend=[(colour, status.label) for status, colour in STATUS_COLOURS.items()])
