"""Writing and reading the audit log."""

from __future__ import annotations

import dataclasses
import getpass
from datetime import date
from decimal import Decimal
from enum import Enum
import os
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import AuditAction
from rightsdesk.domain.errors import Conflict, NotFound
from rightsdesk.persistence.base import utcnow
from rightsdesk.persistence.models import AuditEntry

T = TypeVar("T")


def current_user() -> str:
    """Who is at the keyboard: RIGHTSDESK_USER if set, else the operating system's user."""
    configured = os.environ.get("RIGHTSDESK_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        return "unknown"


def jsonable(value: Any) -> Any:
    """A value as the audit log keeps it (JSON): dates in ISO form, enums by value, amounts
    normalized so that the same amount reads the same whether stored or just typed."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def snapshot(draft: Any, *, leave_out: tuple[str, ...] = ("version",)) -> dict[str, Any]:
    """A draft dataclass as the audit log keeps it, without bookkeeping fields."""
    data = dataclasses.asdict(draft)
    for name in leave_out:
        data.pop(name, None)
    return jsonable(data)


def record(
    session: Session,
    *,
    user: str,
    action: AuditAction,
    entity: str,
    entity_id: int,
    summary: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add(
        AuditEntry(
            user_name=user,
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary,
            before=before,
            after=after,
        )
    )


def last_change(session: Session, entity: str, entity_id: int) -> AuditEntry | None:
    return session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()


def history(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
    )


def still_current(session: Session, found: T | None, draft: Any, entity: str, noun: str) -> T:
    """The record a draft edits, as loaded now: refused when someone deleted it, or saved a
    newer version of it, since the draft was opened (optimistic concurrency)."""
    if found is None:
        raise NotFound(f"this {noun} was deleted by someone else while you had it open; nothing was saved")
    if draft.version is not None and draft.version != found.version:  # type: ignore[attr-defined]
        raise conflict(session, entity, draft.id)
    # Every save moves the version, also one that changes only rows the record owns (a title's
    # episodes, a track's credits), and its UPDATE checks the version again when it is written:
    # a desk that saved between our read and our write makes ours fail (StaleDataError).
    if hasattr(found, "updated_at"):
        found.updated_at = utcnow()  # type: ignore[attr-defined]
    return found


def conflict(session: Session, entity: str, entity_id: int) -> Conflict:
    """The error for a save that would overwrite someone else's newer change."""
    if session.is_active:
        change = last_change(session, entity, entity_id)
    else:  # the failed UPDATE rolled this session back: ask on a session of its own
        with Session(session.get_bind()) as fresh:
            change = last_change(fresh, entity, entity_id)
            if change is not None:
                fresh.expunge(change)
    login = f" (signed in as {change.database_role})" if change and change.database_role not in (None, change.user_name) else ""
    who = f" by {change.user_name}{login} at {change.at:%Y-%m-%d %H:%M} UTC" if change else ""
    return Conflict(f"this {entity.replace('_', ' ')} was changed{who} after you opened it; reload it and edit again",
                    change.user_name if change else "", change.at if change else None)
