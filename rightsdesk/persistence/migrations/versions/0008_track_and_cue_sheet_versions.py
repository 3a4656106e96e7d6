"""Music tracks, cue sheets and window templates get a version, so a save that someone else's save overtook is
refused instead of silently overwriting it (two desks lost one save in two in a race).

A track is a Versioned record like a title; a cue sheet is an episode's list of cues, so its
version is a counter on the episode, compared and moved in one UPDATE when the sheet is saved.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('music_track', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('episode', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cue_sheet_version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('window_template', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('window_template', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('episode', schema=None) as batch_op:
        batch_op.drop_column('cue_sheet_version')
    with op.batch_alter_table('music_track', schema=None) as batch_op:
        batch_op.drop_column('version')
