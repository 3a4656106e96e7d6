"""Statement adjustments: corrections of issued statements, carried by a later statement.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:39:00.953494
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('statement_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('adjusts_statement_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=300), nullable=False),
    sa.Column('applied_statement_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['adjusts_statement_id'], ['statement.id'], name=op.f('fk_statement_adjustment_adjusts_statement_id_statement')),
    sa.ForeignKeyConstraint(['applied_statement_id'], ['statement.id'], name=op.f('fk_statement_adjustment_applied_statement_id_statement'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_statement_adjustment_deal_id_deal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_adjustment'))
    )
    with op.batch_alter_table('statement_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_adjustment_deal_id'), ['deal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('statement_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_adjustment_deal_id'))

    op.drop_table('statement_adjustment')
