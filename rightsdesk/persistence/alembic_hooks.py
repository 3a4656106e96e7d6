"""How Alembic should see our own column types (used by migrations/env.py and the tests)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, DateTime, String

from rightsdesk.persistence.base import ScaledDecimal, UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our column types as the plain types they store, so migrations never depend on
    the application's Python types staying as they are."""
    if type_ == "type" and isinstance(obj, ScaledDecimal):
        return "sa.BigInteger()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def compare_type(context: Any, inspected_column: Any, metadata_column: Any,
                 inspected_type: Any, metadata_type: Any) -> bool | None:
    if isinstance(metadata_type, ScaledDecimal):
        return not isinstance(inspected_type, BigInteger)
    if isinstance(metadata_type, UTCDateTime):
        return not isinstance(inspected_type, DateTime)
    if isinstance(metadata_type, String) and isinstance(inspected_type, String):
        if context.dialect.name == "sqlite":
            return False  # SQLite stores text the same whatever length it is declared with
        # Alembic overlooks a limit the models dropped; PostgreSQL enforces it.
        return inspected_type.length != metadata_type.length
    return None  # the default comparison
