"""The audit log: who changed what, when, from what to what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, FetchedValue, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rightsdesk.domain.enums import AuditAction
from rightsdesk.persistence.base import Base, Code, Name, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_record", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_name: Mapped[Name]  # the desk's label: RIGHTSDESK_USER or the OS login
    # On PostgreSQL the role the server authenticated, filled by the column's default
    # (current_user, migration 0009) whatever the program inserts; None on a SQLite file.
    database_role: Mapped[str | None] = mapped_column(String(63), server_default=FetchedValue())
    action: Mapped[AuditAction]
    entity: Mapped[Code]  # table name
    entity_id: Mapped[int]
    summary: Mapped[Name] = mapped_column(default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
