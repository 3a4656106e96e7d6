"""Statement runs at volume (issue 15): a statement's gross receipts lines are sums, and which
imported lines a statement holds is kept apart, exactly.

- `statement_revenue`: (statement, revenue line, title) with the amount held, in the line's
  currency (a library's line is split to its titles). Existing statements held the lines their
  gross receipts lines name.
- `statement_line.revenue_period_start`: the period the revenue reports (late revenue is of a
  period before the statement's); existing lines take it from the revenue line they name.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table('statement_revenue',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('revenue_line_id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('source_amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['revenue_line_id'], ['revenue_line.id'], name=op.f('fk_statement_revenue_revenue_line_id_revenue_line')),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_statement_revenue_statement_id_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', 'revenue_line_id', 'title_id', name=op.f('pk_statement_revenue')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('statement_revenue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_revenue_revenue_line_id'), ['revenue_line_id'], unique=False)
    with op.batch_alter_table('statement_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revenue_period_start', sa.Date(), nullable=True))
    bind.execute(sa.text(
        "INSERT INTO statement_revenue (statement_id, revenue_line_id, title_id, source_amount) "
        "SELECT statement_id, revenue_line_id, title_id, SUM(source_amount) FROM statement_line "
        "WHERE kind = 'gross_receipts' AND revenue_line_id IS NOT NULL AND title_id IS NOT NULL "
        "GROUP BY statement_id, revenue_line_id, title_id"))
    bind.execute(sa.text(
        "UPDATE statement_line SET revenue_period_start = "
        "(SELECT period_start FROM revenue_line WHERE revenue_line.id = statement_line.revenue_line_id) "
        "WHERE revenue_line_id IS NOT NULL"))


def downgrade() -> None:
    # Lines written since hold sums; before 0006 a gross receipts line named its revenue line,
    # and a sum names none: the record of which lines they held goes with the table.
    with op.batch_alter_table('statement_line', schema=None) as batch_op:
        batch_op.drop_column('revenue_period_start')
    with op.batch_alter_table('statement_revenue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_revenue_revenue_line_id'))
    op.drop_table('statement_revenue')
