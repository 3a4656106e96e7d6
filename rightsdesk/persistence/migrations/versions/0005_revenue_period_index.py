"""An index on revenue_line.period_end: a statement run selects a period's lines by it, and
without the index it read every line ever imported.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 21:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('revenue_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revenue_line_period_end'), ['period_end'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('revenue_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revenue_line_period_end'))
