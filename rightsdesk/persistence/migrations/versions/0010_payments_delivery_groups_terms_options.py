"""Room for paying and telling participants (issue 20) and for editable reference data and
event-based terms (issue 19), in one step so both can be built side by side:

- payment and payment_run: money paid against issued statements, and the bank runs;
- statement_delivery: every attempt to email a statement, with its result;
- party bank details, minimum payout, statement contacts (party_contact.receives_statements);
- royalty_terms.payment_due_days (45 days after issue unless a deal says otherwise) and
  minimum_payout; statement brought/carried forward amounts (payables under the minimum);
- territory_group_subgroup (nested regions), media.ema_license_type, versions on territory
  groups and media now that users edit them (existing rows start at version 1);
- grant term anchors (media, event date, start offset) and grant_option (options to extend).

Every new column has a default, so existing rows read as before: nothing is paid, sent,
nested or anchored until someone says so.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 00:51:51.184790
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('payment_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(), nullable=False),
    sa.Column('execution_date', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('message_id', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_run'))
    )
    op.create_table('territory_group_subgroup',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('member_group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['territory_group.id'], name=op.f('fk_territory_group_subgroup_group_id_territory_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_group_id'], ['territory_group.id'], name=op.f('fk_territory_group_subgroup_member_group_id_territory_group')),
    sa.PrimaryKeyConstraint('group_id', 'member_group_id', name=op.f('pk_territory_group_subgroup'))
    )
    with op.batch_alter_table('territory_group_subgroup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_territory_group_subgroup_member_group_id'), ['member_group_id'], unique=False)

    op.create_table('grant_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('extend_by', sa.String(length=32), nullable=False),
    sa.Column('exercise_by', sa.Date(), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('exercised_on', sa.Date(), nullable=True),
    sa.Column('exercised_by', sa.String(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_grant_option_grant_id_grant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_option'))
    )
    with op.batch_alter_table('grant_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_option_grant_id'), ['grant_id'], unique=False)

    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=32), nullable=False),
    sa.Column('reference', sa.String(), nullable=False),
    sa.Column('method', sa.Enum('bank_transfer', 'cheque', 'card', 'other', name='paymentmethod', native_enum=False, length=32), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_payment_currency_currency')),
    sa.ForeignKeyConstraint(['run_id'], ['payment_run.id'], name=op.f('fk_payment_run_id_payment_run')),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_payment_statement_id_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_statement_id'), ['statement_id'], unique=False)

    op.create_table('statement_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_by', sa.String(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(), nullable=False),
    sa.Column('result', sa.Enum('sent', 'failed', name='deliveryresult', native_enum=False, length=32), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('attachments', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_statement_delivery_statement_id_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_delivery'))
    )
    with op.batch_alter_table('statement_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_delivery_statement_id'), ['statement_id'], unique=False)

    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('term_anchor_media', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('term_anchor_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('term_start_offset', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_grant_term_anchor_media_media'), 'media', ['term_anchor_media'], ['code'])

    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ema_license_type', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('iban', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bic', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bank_account_number', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bank_code', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bank_name', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('account_holder', sa.String(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('minimum_payout', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('statement_workbook', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('party_contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receives_statements', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('royalty_terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_due_days', sa.Integer(), server_default='45', nullable=False))
        batch_op.add_column(sa.Column('minimum_payout', sa.BigInteger(), nullable=True))

    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('brought_forward', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('carried_forward', sa.BigInteger(), server_default='0', nullable=False))

    with op.batch_alter_table('territory_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('territory_group', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.drop_column('carried_forward')
        batch_op.drop_column('brought_forward')

    with op.batch_alter_table('royalty_terms', schema=None) as batch_op:
        batch_op.drop_column('minimum_payout')
        batch_op.drop_column('payment_due_days')

    with op.batch_alter_table('party_contact', schema=None) as batch_op:
        batch_op.drop_column('receives_statements')

    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_column('statement_workbook')
        batch_op.drop_column('minimum_payout')
        batch_op.drop_column('account_holder')
        batch_op.drop_column('bank_name')
        batch_op.drop_column('bank_code')
        batch_op.drop_column('bank_account_number')
        batch_op.drop_column('bic')
        batch_op.drop_column('iban')

    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('ema_license_type')

    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grant_term_anchor_media_media'), type_='foreignkey')
        batch_op.drop_column('term_start_offset')
        batch_op.drop_column('term_anchor_on')
        batch_op.drop_column('term_anchor_media')

    with op.batch_alter_table('statement_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_delivery_statement_id'))

    op.drop_table('statement_delivery')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_statement_id'))
        batch_op.drop_index(batch_op.f('ix_payment_run_id'))

    op.drop_table('payment')
    with op.batch_alter_table('grant_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_option_grant_id'))

    op.drop_table('grant_option')
    with op.batch_alter_table('territory_group_subgroup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_territory_group_subgroup_member_group_id'))

    op.drop_table('territory_group_subgroup')
    op.drop_table('payment_run')
