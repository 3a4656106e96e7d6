"""The audit log read back: who changed what, when, field by field, for one record or all.

A deal's history is more than its own row's: its grants are part of it (kept in the deal's own
entries), and so are its royalty terms, expenses, release windows and statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from rightsdesk.domain.changes import differences
from rightsdesk.domain.enums import AuditAction
from rightsdesk.persistence.models import (
    AuditEntry,
    Expense,
    Grant,
    ReleaseWindow,
    RoyaltyTerms,
    Statement,
    StatementAdjustment,
)

# What each kind of record is called, in the order a user thinks of them.
RECORD_KINDS = {
    "deal": "Deal", "royalty_terms": "Royalty terms", "expense": "Expense", "release_window": "Release window",
    "music_licence": "Music licence", "music_track": "Music track", "cue_sheet": "Cue sheet",
    "localization_task": "Localization task", "statement": "Statement", "statement_adjustment": "Statement adjustment",
    "title": "Title", "party": "Party", "library": "Library",
}


@dataclass(frozen=True)
class Change:
    """One field of one audited change (a change with no field difference is one line)."""

    entry_id: int
    at: datetime  # UTC
    user: str
    action: AuditAction
    kind: str  # RECORD_KINDS key
    record_id: int
    summary: str
    field: str
    before: str
    after: str
    role: str = ""  # the login the database authenticated (a team server), beside the desk's label

    @property
    def record(self) -> str:
        return f"{RECORD_KINDS.get(self.kind, self.kind)} {self.record_id}"


def record_parts(session: Session, kind: str, record_id: int) -> dict[str, set[int]]:
    """The audited records that make up one record as a user sees it."""
    parts = {kind: {record_id}}
    if kind == "deal":
        parts["royalty_terms"] = set(session.scalars(select(RoyaltyTerms.id).where(RoyaltyTerms.deal_id == record_id)))
        parts["expense"] = set(session.scalars(select(Expense.id).where(Expense.deal_id == record_id)))
        parts["release_window"] = set(session.scalars(
            select(ReleaseWindow.id).join(Grant, Grant.id == ReleaseWindow.grant_id).where(Grant.deal_id == record_id)))
        parts["statement"] = set(session.scalars(select(Statement.id).where(Statement.deal_id == record_id)))
        parts["statement_adjustment"] = set(session.scalars(
            select(StatementAdjustment.id).where(StatementAdjustment.deal_id == record_id)))
    return parts


def changes(session: Session, *, kind: str | None = None, record_id: int | None = None,
            since: date | None = None, until: date | None = None, user: str = "") -> list[Change]:
    """The audit log, oldest first, one line per changed field: all of it, or one record's
    (with its parts, see `record_parts`), between two days (inclusive, UTC), by one user."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if kind is not None and record_id is not None:
        parts = record_parts(session, kind, record_id)
        query = query.where(or_(*(and_(AuditEntry.entity == k, AuditEntry.entity_id.in_(ids))
                                  for k, ids in parts.items() if ids)))
    elif kind is not None:
        query = query.where(AuditEntry.entity == kind)
    if since is not None:
        query = query.where(AuditEntry.at >= _moment(since))
    if until is not None:
        query = query.where(AuditEntry.at < _moment(until + timedelta(days=1)))
    if user:
        query = query.where(AuditEntry.user_name == user)
    return [change for entry in session.scalars(query) for change in _changes_of(entry)]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _changes_of(entry: AuditEntry) -> list[Change]:
    found = differences(entry.before, entry.after) or [None]
    return [Change(entry.id, entry.at, entry.user_name, entry.action, entry.entity, entry.entity_id, entry.summary,
                   d.field if d else "", d.before if d else "", d.after if d else "", entry.database_role or "")
            for d in found]


def users(session: Session) -> list[str]:
    return sorted(session.scalars(select(AuditEntry.user_name).distinct()))
