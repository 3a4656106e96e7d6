"""Writing and reading the audit log."""

from __future__ import annotations

import getpass
import os
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.enums import AuditAction
from rightsdesk.domain.errors import Conflict
from rightsdesk.persistence.models import AuditEntry


def current_user() -> str:
    """Who is at the keyboard: RIGHTSDESK_USER if set, else the operating system's user."""
    configured = os.environ.get("RIGHTSDESK_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        return "unknown"


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


def conflict(session: Session, entity: str, entity_id: int) -> Conflict:
    """The error for a save that would overwrite someone else's newer change."""
    change = last_change(session, entity, entity_id)
    who = f" by {change.user_name} at {change.at:%Y-%m-%d %H:%M} UTC" if change else ""
    return Conflict(
        f"this {entity} was changed{who} after you opened it; reload it and edit again"
    )
