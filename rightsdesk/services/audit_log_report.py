"""The audit log as a report: who changed what and when, before and after, field by field;
for one record (a deal with its grants, terms, expenses, windows and statements) or for all."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.domain.errors import ValidationError
from rightsdesk.services.report_layout import Column, Report, Table
from rightsdesk.services import catalogue, deals, history
from rightsdesk.services.history import RECORD_KINDS, Change

KIND_CHOICES = ("any", *RECORD_KINDS)


def build(session: Session, options: dict[str, Any], today: date) -> Report:
    kind = None if options["kind"] in (None, "any") else options["kind"]
    record_id = _record_id(session, kind, options["record"]) if options["record"] else None
    if record_id is not None and kind is None:
        raise ValidationError(["Record kind: say what kind of record the number is"])
    found = history.changes(session, kind=kind, record_id=record_id, since=options["start"], until=options["end"],
                            user=options["user"] or "")
    if record_id is not None:
        which = f"{RECORD_KINDS[kind]} {options['record']}"  # type: ignore[index]
    else:
        which = f"every {RECORD_KINDS[kind].lower()}" if kind else "every record"
    asked = [which, _period(options["start"], options["end"]), f"by {options['user']}" if options["user"] else ""]
    return report(found, " · ".join(a for a in asked if a))


def report(found: list[Change], subtitle: str) -> Report:
    table = Table("Changes", (
        Column("When (UTC)", width=1.0), Column("Who", width=0.7), Column("Action", width=0.55),
        Column("Record", width=1.0), Column("Summary", width=1.3), Column("Field", width=1.3),
        Column("Before", width=1.6), Column("After", width=1.6), Column("Database login", width=0.7)),
        [(f"{c.at:%Y-%m-%d %H:%M:%S}", c.user, c.action.value, c.record, c.summary, c.field, c.before, c.after, c.role)
         for c in found], empty="No changes were recorded.")
    entries = len({c.entry_id for c in found})
    return Report("Audit log", subtitle, facts=[("Changes", str(entries)), ("Fields changed", str(len(found))),
                                               ("People", ", ".join(sorted({c.user for c in found})) or "—")],
                  tables=[table])


def _record_id(session: Session, kind: str | None, text: str) -> int:
    """A deal by reference, a title by internal ID or name, any record by its number."""
    if kind == "deal":
        found = deals.deal_id_of(session, text)
    elif kind == "title":
        found = catalogue.title_id_of(session, text)
    else:
        found = int(text) if text.strip().isdigit() else None
    if found is None:
        raise ValidationError([f"Record: no {RECORD_KINDS.get(kind or '', 'record').lower()} '{text}'"])
    return found


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{start} to {end}"
    return f"from {start}" if start else f"until {end}" if end else ""
