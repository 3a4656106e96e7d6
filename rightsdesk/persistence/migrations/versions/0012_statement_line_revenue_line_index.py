"""The index on `statement_line.revenue_line_id` holds only the lines that name a revenue line
(issue 15). The key needs it: a revenue line deleted (an import batch rolled back) looks up the
statement lines that name it, and that lookup (`revenue_line_id = ?`) implies the index's
condition on SQLite and PostgreSQL alike. Most lines name none (a month-end's 460 000 lines,
185 000 name one), and a statement run writes every line into the index: a fifth of the time
of moving a month-end's lines into their table on PostgreSQL. Nothing else looks lines up
by it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 21:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMED = sa.text("revenue_line_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index('ix_statement_line_revenue_line_id', table_name='statement_line')
    op.create_index('ix_statement_line_revenue_line_id', 'statement_line', ['revenue_line_id'], unique=False,
                    sqlite_where=NAMED, postgresql_where=NAMED)


def downgrade() -> None:
    op.drop_index('ix_statement_line_revenue_line_id', table_name='statement_line')
    op.create_index('ix_statement_line_revenue_line_id', 'statement_line', ['revenue_line_id'], unique=False)
