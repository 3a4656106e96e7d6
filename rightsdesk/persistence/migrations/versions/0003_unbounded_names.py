"""PostgreSQL: names without a length limit, EIDRs fit, id sequences past the reference data.

PostgreSQL enforces VARCHAR lengths where SQLite ignores them, so on a shared server a long
series name or an EIDR (34 characters, the column held 32) failed to save. SQLite stores text
the same whatever the declared length, so its tables are left alone rather than rebuilt.
0001 inserted the standard territory groups and window template with their ids, which leaves
PostgreSQL's id sequences behind them: the first group or template a user made collided.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 05:57:30.753153
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columns declared VARCHAR(300) by 0001 and 0002.
NAMES = {
    "audit_entry": ("user_name", "summary"),
    "column_mapping": ("name",),
    "currency": ("name",),
    "episode": ("name",),
    "exchange_rate": ("source",),
    "expense": ("description",),
    "holdback": ("description",),
    "import_batch": ("file_name", "imported_by"),
    "language": ("name",),
    "library": ("name",),
    "localization_task": ("file_reference",),
    "media": ("name",),
    "music_licence": ("document_reference",),
    "music_track": ("title",),
    "party": ("name", "legal_name", "contact_name", "email", "phone", "tax_id", "payment_reference"),
    "party_contact": ("name", "role", "email", "phone"),
    "revenue_line": ("reported_identifier",),
    "revenue_source": ("name",),
    "statement": ("issued_by",),
    "statement_adjustment": ("created_by",),
    "statement_line": ("description",),
    "territory": ("name",),
    "territory_group": ("name",),
    "title": ("original_name", "genre"),
    "title_alias": ("alias",),
    "title_localized_name": ("name",),
    "track_credit": ("name",),
    "window_template": ("name",),
}
EIDR = ("title", "episode")
REFERENCE_IDS = ("territory_group", "window_template")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for table, columns in NAMES.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.String())
    for table in EIDR:
        op.alter_column(table, "eidr", type_=sa.String(length=34))
    for table in REFERENCE_IDS:
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")


def downgrade() -> None:
    # Narrowing again would cut the names and EIDRs that needed the room; the older schema's
    # code works with the wider columns, so they stay.
    pass
