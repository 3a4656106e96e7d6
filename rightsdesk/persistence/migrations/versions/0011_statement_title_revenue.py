"""A statement run at volume writes which lines a statement holds by title (issue 15):
`statement_title_revenue` says a statement holds every line of one import batch matched to one
title whose period ends within the statement's period, in full. Nothing existing changes:
statements drafted before hold their lines line by line in `statement_revenue`, as before.

Going down writes each such row out line by line into `statement_revenue`, which then says
what it said before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 14:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('statement_title_revenue',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_statement_title_revenue_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_statement_title_revenue_statement_id_statement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_statement_title_revenue_title_id_title')),
    sa.PrimaryKeyConstraint('statement_id', 'batch_id', 'title_id', name=op.f('pk_statement_title_revenue')),
    sqlite_with_rowid=False
    )
    op.create_index('ix_statement_title_revenue_batch_title', 'statement_title_revenue', ['batch_id', 'title_id'],
                    unique=False)


def downgrade() -> None:
    op.get_bind().execute(sa.text(
        "INSERT INTO statement_revenue (statement_id, revenue_line_id, title_id, source_amount) "
        "SELECT h.statement_id, l.id, l.title_id, l.gross_amount FROM statement_title_revenue h "
        "JOIN statement s ON s.id = h.statement_id "
        "JOIN revenue_line l ON l.batch_id = h.batch_id AND l.title_id = h.title_id "
        "AND l.period_end BETWEEN s.period_start AND s.period_end"))
    op.drop_index('ix_statement_title_revenue_batch_title', table_name='statement_title_revenue')
    op.drop_table('statement_title_revenue')
