"""The audit log records who the database itself authenticated: on PostgreSQL the login role
(current_user) fills database_role by the column's default, for every insert, so a change
cannot be signed with somebody else's name by setting RIGHTSDESK_USER; the desk's own label
stays in user_name beside it. A SQLite file has no logins: the column stays empty there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 23:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE audit_entry ADD COLUMN database_role VARCHAR(63) DEFAULT current_user')
    else:
        with op.batch_alter_table('audit_entry', schema=None) as batch_op:
            batch_op.add_column(sa.Column('database_role', sa.String(length=63), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('database_role')
