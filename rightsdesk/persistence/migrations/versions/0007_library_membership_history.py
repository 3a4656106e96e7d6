"""Libraries keep their membership history and can be retired: a title may leave a library and
join it again (one row per stay, so library_member gets its own id instead of being keyed by
library and title), and a library no longer sold is retired rather than deleted.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 22:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('library', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        # SERIAL numbers the existing rows; the key moves from (library, title) to the id.
        op.execute('ALTER TABLE library_member ADD COLUMN id SERIAL NOT NULL')
        op.drop_constraint('pk_library_member', 'library_member', type_='primary')
        op.create_primary_key('pk_library_member', 'library_member', ['id'])
    else:
        # SQLite cannot change a primary key: a new table, the rows copied (numbered as they go).
        op.create_table('library_stay',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('library_id', sa.Integer(), nullable=False),
        sa.Column('title_id', sa.Integer(), nullable=False),
        sa.Column('added_on', sa.Date(), nullable=False),
        sa.Column('removed_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['library_id'], ['library.id'], name=op.f('fk_library_member_library_id_library'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_library_member_title_id_title'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_library_member'))
        )
        op.execute("INSERT INTO library_stay (library_id, title_id, added_on, removed_on) "
                   "SELECT library_id, title_id, added_on, removed_on FROM library_member ORDER BY library_id, title_id")
        with op.batch_alter_table('library_member', schema=None) as batch_op:
            batch_op.drop_index(batch_op.f('ix_library_member_title_id'))
        op.drop_table('library_member')
        op.rename_table('library_stay', 'library_member')
        with op.batch_alter_table('library_member', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_library_member_title_id'), ['title_id'], unique=False)
    with op.batch_alter_table('library_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_member_library_id'), ['library_id'], unique=False)


def downgrade() -> None:
    # The older schema keeps one stay of a title in a library: the latest.
    op.execute("DELETE FROM library_member WHERE id <> (SELECT max(l.id) FROM library_member l "
               "WHERE l.library_id = library_member.library_id AND l.title_id = library_member.title_id)")
    with op.batch_alter_table('library_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_member_library_id'))
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('pk_library_member', 'library_member', type_='primary')
        op.drop_column('library_member', 'id')
        op.create_primary_key('pk_library_member', 'library_member', ['library_id', 'title_id'])
    else:
        with op.batch_alter_table('library_member', schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint('pk_library_member', type_='primary')
            batch_op.drop_column('id')
            batch_op.create_primary_key('pk_library_member', ['library_id', 'title_id'])
    with op.batch_alter_table('library', schema=None) as batch_op:
        batch_op.drop_column('retired_on')
