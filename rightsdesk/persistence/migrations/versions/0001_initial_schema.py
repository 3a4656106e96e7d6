"""Initial schema of the whole product, and the reference data it starts with.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 23:34:49.283880
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from babel import Locale

from rightsdesk.domain import reference

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_setting'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_name', sa.String(length=300), nullable=False),
    sa.Column('action', sa.Enum('create', 'update', 'delete', name='auditaction', native_enum=False, length=32), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entry_record', ['entity', 'entity_id'], unique=False)

    op.create_table('currency',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('minor_units', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_currency'))
    )
    op.create_table('language',
    sa.Column('tag', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('tag', name=op.f('pk_language'))
    )
    op.create_table('library',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library')),
    sa.UniqueConstraint('code', name=op.f('uq_library_code'))
    )
    op.create_table('media',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_media'))
    )
    op.create_table('music_track',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('isrc', sa.String(length=32), nullable=True),
    sa.Column('iswc', sa.String(length=32), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_music_track'))
    )
    with op.batch_alter_table('music_track', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_music_track_title'), ['title'], unique=False)

    op.create_table('territory',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_territory'))
    )
    op.create_table('territory_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('is_standard', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_territory_group')),
    sa.UniqueConstraint('code', name=op.f('uq_territory_group_code'))
    )
    op.create_table('window_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_window_template')),
    sa.UniqueConstraint('name', name=op.f('uq_window_template_name'))
    )
    op.create_table('exchange_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_currency', sa.String(length=32), nullable=False),
    sa.Column('quote_currency', sa.String(length=32), nullable=False),
    sa.Column('rate_date', sa.Date(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['base_currency'], ['currency.code'], name=op.f('fk_exchange_rate_base_currency_currency')),
    sa.ForeignKeyConstraint(['quote_currency'], ['currency.code'], name=op.f('fk_exchange_rate_quote_currency_currency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rate')),
    sa.UniqueConstraint('base_currency', 'quote_currency', 'rate_date', name=op.f('uq_exchange_rate_base_currency_quote_currency_rate_date'))
    )
    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('legal_name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('producer', 'platform', 'channel', 'broadcaster', 'music_publisher', 'record_label', 'localization_vendor', 'other', name='partykind', native_enum=False, length=32), nullable=False),
    sa.Column('tax_residence', sa.String(length=32), nullable=True),
    sa.Column('currency', sa.String(length=32), nullable=True),
    sa.Column('contact_name', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=300), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('tax_id', sa.String(length=300), nullable=False),
    sa.Column('payment_reference', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_party_currency_currency')),
    sa.ForeignKeyConstraint(['tax_residence'], ['territory.code'], name=op.f('fk_party_tax_residence_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party'))
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_name'), ['name'], unique=False)

    op.create_table('territory_group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('territory_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['territory_group.id'], name=op.f('fk_territory_group_member_group_id_territory_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_territory_group_member_territory_code_territory')),
    sa.PrimaryKeyConstraint('group_id', 'territory_code', name=op.f('pk_territory_group_member'))
    )
    op.create_table('window_template_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('media_code', sa.String(length=32), nullable=False),
    sa.Column('start_months', sa.Integer(), nullable=False),
    sa.Column('start_days', sa.Integer(), nullable=False),
    sa.Column('length_months', sa.Integer(), nullable=True),
    sa.Column('length_days', sa.Integer(), nullable=True),
    sa.Column('exclusive', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_window_template_step_media_code_media')),
    sa.ForeignKeyConstraint(['template_id'], ['window_template.id'], name=op.f('fk_window_template_step_template_id_window_template'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_window_template_step')),
    sa.UniqueConstraint('template_id', 'position', name=op.f('uq_window_template_step_template_id_position'))
    )
    op.create_table('deal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('in', 'out', name='dealdirection', native_enum=False, length=32), nullable=False),
    sa.Column('counterparty_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'signed', 'expired', 'terminated', name='dealstatus', native_enum=False, length=32), nullable=False),
    sa.Column('currency', sa.String(length=32), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['counterparty_id'], ['party.id'], name=op.f('fk_deal_counterparty_id_party')),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_deal_currency_currency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal')),
    sa.UniqueConstraint('reference', name=op.f('uq_deal_reference'))
    )
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_counterparty_id'), ['counterparty_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_direction'), ['direction'], unique=False)

    op.create_table('music_licence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('licensor_id', sa.Integer(), nullable=True),
    sa.Column('covers_sync', sa.Boolean(), nullable=False),
    sa.Column('covers_master', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('not_requested', 'requested', 'quoted', 'cleared', 'denied', 'expired', name='licencestatus', native_enum=False, length=32), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=True),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('fee', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=32), nullable=True),
    sa.Column('requested_on', sa.Date(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('document_reference', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_music_licence_currency_currency')),
    sa.ForeignKeyConstraint(['licensor_id'], ['party.id'], name=op.f('fk_music_licence_licensor_id_party')),
    sa.ForeignKeyConstraint(['track_id'], ['music_track.id'], name=op.f('fk_music_licence_track_id_music_track'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_music_licence'))
    )
    with op.batch_alter_table('music_licence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_music_licence_track_id'), ['track_id'], unique=False)

    op.create_table('party_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_party_contact_party_id_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_contact'))
    )
    with op.batch_alter_table('party_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_contact_party_id'), ['party_id'], unique=False)

    op.create_table('revenue_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('default_currency', sa.String(length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['default_currency'], ['currency.code'], name=op.f('fk_revenue_source_default_currency_currency')),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_revenue_source_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revenue_source')),
    sa.UniqueConstraint('name', name=op.f('uq_revenue_source_name'))
    )
    op.create_table('title',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('internal_id', sa.String(length=32), nullable=False),
    sa.Column('original_name', sa.String(length=300), nullable=False),
    sa.Column('original_language', sa.String(length=32), nullable=False),
    sa.Column('country_of_origin', sa.String(length=32), nullable=True),
    sa.Column('genre', sa.String(length=300), nullable=False),
    sa.Column('production_year', sa.Integer(), nullable=True),
    sa.Column('producer_id', sa.Integer(), nullable=True),
    sa.Column('eidr', sa.String(length=32), nullable=True),
    sa.Column('aspect_ratio', sa.String(length=32), nullable=False),
    sa.Column('synopsis', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['country_of_origin'], ['territory.code'], name=op.f('fk_title_country_of_origin_territory')),
    sa.ForeignKeyConstraint(['producer_id'], ['party.id'], name=op.f('fk_title_producer_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_title')),
    sa.UniqueConstraint('eidr', name=op.f('uq_title_eidr')),
    sa.UniqueConstraint('internal_id', name=op.f('uq_title_internal_id'))
    )
    with op.batch_alter_table('title', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_title_original_name'), ['original_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_title_producer_id'), ['producer_id'], unique=False)

    op.create_table('track_credit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('composer', 'lyricist', 'arranger', 'publisher', 'label', name='creditrole', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('share_percent', sa.BigInteger(), nullable=True),
    sa.Column('society', sa.String(length=32), nullable=False),
    sa.Column('ipi', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_track_credit_party_id_party')),
    sa.ForeignKeyConstraint(['track_id'], ['music_track.id'], name=op.f('fk_track_credit_track_id_music_track'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_track_credit'))
    )
    with op.batch_alter_table('track_credit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_track_credit_track_id'), ['track_id'], unique=False)

    op.create_table('column_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['revenue_source.id'], name=op.f('fk_column_mapping_source_id_revenue_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_column_mapping')),
    sa.UniqueConstraint('source_id', 'name', name=op.f('uq_column_mapping_source_id_name'))
    )
    op.create_table('episode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('runtime_seconds', sa.Integer(), nullable=False),
    sa.Column('eidr', sa.String(length=32), nullable=True),
    sa.CheckConstraint('number >= 1', name=op.f('ck_episode_number_positive')),
    sa.CheckConstraint('runtime_seconds > 0', name=op.f('ck_episode_runtime_positive')),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_episode_title_id_title'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_episode')),
    sa.UniqueConstraint('eidr', name=op.f('uq_episode_eidr')),
    sa.UniqueConstraint('title_id', 'number', name=op.f('uq_episode_title_id_number'))
    )
    op.create_table('grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('exclusive', sa.Boolean(), nullable=False),
    sa.Column('sublicensing_allowed', sa.Boolean(), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=True),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('term_duration', sa.String(length=32), nullable=True),
    sa.Column('term_anchor', sa.Enum('signature', 'delivery', 'first_release', name='termanchor', native_enum=False, length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('term_start IS NULL OR term_end IS NULL OR term_start <= term_end', name=op.f('ck_grant_term_order')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_grant_deal_id_deal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant'))
    )
    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_deal_id'), ['deal_id'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('imported', 'rolled_back', name='batchstatus', native_enum=False, length=32), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['revenue_source.id'], name=op.f('fk_import_batch_source_id_revenue_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_source_id'), ['source_id'], unique=False)

    op.create_table('library_member',
    sa.Column('library_id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['library_id'], ['library.id'], name=op.f('fk_library_member_library_id_library'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_library_member_title_id_title'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('library_id', 'title_id', name=op.f('pk_library_member'))
    )
    with op.batch_alter_table('library_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_member_title_id'), ['title_id'], unique=False)

    op.create_table('music_licence_media',
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('media_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['licence_id'], ['music_licence.id'], name=op.f('fk_music_licence_media_licence_id_music_licence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_music_licence_media_media_code_media')),
    sa.PrimaryKeyConstraint('licence_id', 'media_code', name=op.f('pk_music_licence_media'))
    )
    op.create_table('music_licence_territory',
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory_code', sa.String(length=32), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.CheckConstraint('(territory_code IS NULL) <> (group_id IS NULL)', name=op.f('ck_music_licence_territory_country_or_group')),
    sa.ForeignKeyConstraint(['group_id'], ['territory_group.id'], name=op.f('fk_music_licence_territory_group_id_territory_group')),
    sa.ForeignKeyConstraint(['licence_id'], ['music_licence.id'], name=op.f('fk_music_licence_territory_licence_id_music_licence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_music_licence_territory_territory_code_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_music_licence_territory'))
    )
    with op.batch_alter_table('music_licence_territory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_music_licence_territory_licence_id'), ['licence_id'], unique=False)

    op.create_table('royalty_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=32), nullable=False),
    sa.Column('default_fee_percent', sa.BigInteger(), nullable=False),
    sa.Column('expense_cap', sa.BigInteger(), nullable=True),
    sa.Column('mg_amount', sa.BigInteger(), nullable=False),
    sa.Column('mg_paid_on', sa.Date(), nullable=True),
    sa.Column('cross_collateralized', sa.Boolean(), nullable=False),
    sa.Column('withholding_percent', sa.BigInteger(), nullable=False),
    sa.Column('frequency', sa.Enum('monthly', 'quarterly', 'semi_annual', 'annual', name='statementfrequency', native_enum=False, length=32), nullable=False),
    sa.Column('first_period_start', sa.Date(), nullable=True),
    sa.Column('library_split_rule', sa.Enum('runtime', 'episode_count', 'equal', 'views', name='librarysplitrule', native_enum=False, length=32), nullable=False),
    sa.Column('fx_date_rule', sa.Enum('period_end', 'line_period_end', name='fxdaterule', native_enum=False, length=32), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_royalty_terms_currency_currency')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_royalty_terms_deal_id_deal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['party.id'], name=op.f('fk_royalty_terms_participant_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_royalty_terms')),
    sa.UniqueConstraint('deal_id', name=op.f('uq_royalty_terms_deal_id'))
    )
    with op.batch_alter_table('royalty_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_royalty_terms_participant_id'), ['participant_id'], unique=False)

    op.create_table('statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('period_label', sa.String(length=32), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'issued', name='statementstatus', native_enum=False, length=32), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('issued_by', sa.String(length=300), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('adjusts_statement_id', sa.Integer(), nullable=True),
    sa.Column('gross_receipts', sa.BigInteger(), nullable=False),
    sa.Column('distribution_fee', sa.BigInteger(), nullable=False),
    sa.Column('expenses_recouped', sa.BigInteger(), nullable=False),
    sa.Column('net_receipts', sa.BigInteger(), nullable=False),
    sa.Column('participant_share', sa.BigInteger(), nullable=False),
    sa.Column('mg_recouped', sa.BigInteger(), nullable=False),
    sa.Column('payable', sa.BigInteger(), nullable=False),
    sa.Column('withholding', sa.BigInteger(), nullable=False),
    sa.Column('paid', sa.BigInteger(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['adjusts_statement_id'], ['statement.id'], name=op.f('fk_statement_adjusts_statement_id_statement')),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_statement_currency_currency')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_statement_deal_id_deal')),
    sa.ForeignKeyConstraint(['participant_id'], ['party.id'], name=op.f('fk_statement_participant_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement')),
    sa.UniqueConstraint('deal_id', 'participant_id', 'period_start', name=op.f('uq_statement_deal_id_participant_id_period_start')),
    sa.UniqueConstraint('number', name=op.f('uq_statement_number'))
    )
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_participant_id'), ['participant_id'], unique=False)

    op.create_table('title_localized_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('language_tag', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_title_localized_name_title_id_title'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_title_localized_name')),
    sa.UniqueConstraint('title_id', 'language_tag', name=op.f('uq_title_localized_name_title_id_language_tag'))
    )
    with op.batch_alter_table('title_localized_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_title_localized_name_title_id'), ['title_id'], unique=False)

    op.create_table('cue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('track_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('usage', sa.Enum('BI', 'BV', 'VI', 'VV', 'MT', 'ET', 'SRC', name='usagecode', native_enum=False, length=32), nullable=False),
    sa.Column('in_ms', sa.Integer(), nullable=False),
    sa.Column('out_ms', sa.Integer(), nullable=False),
    sa.CheckConstraint('in_ms >= 0 AND out_ms > in_ms', name=op.f('ck_cue_times_in_order')),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], name=op.f('fk_cue_episode_id_episode'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['track_id'], ['music_track.id'], name=op.f('fk_cue_track_id_music_track')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cue')),
    sa.UniqueConstraint('episode_id', 'position', name=op.f('uq_cue_episode_id_position'))
    )
    with op.batch_alter_table('cue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cue_track_id'), ['track_id'], unique=False)

    op.create_table('fee_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms_id', sa.Integer(), nullable=False),
    sa.Column('media_code', sa.String(length=32), nullable=True),
    sa.Column('territory_code', sa.String(length=32), nullable=True),
    sa.Column('percent', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_fee_rate_media_code_media')),
    sa.ForeignKeyConstraint(['terms_id'], ['royalty_terms.id'], name=op.f('fk_fee_rate_terms_id_royalty_terms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_fee_rate_territory_code_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_rate')),
    sa.UniqueConstraint('terms_id', 'media_code', 'territory_code', name=op.f('uq_fee_rate_terms_id_media_code_territory_code'))
    )
    op.create_table('grant_language',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('language_tag', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Enum('any', 'sub', 'dub', name='languageversion', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_grant_language_grant_id_grant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('grant_id', 'language_tag', name=op.f('pk_grant_language'))
    )
    op.create_table('grant_library',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('library_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_grant_library_grant_id_grant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['library_id'], ['library.id'], name=op.f('fk_grant_library_library_id_library')),
    sa.PrimaryKeyConstraint('grant_id', 'library_id', name=op.f('pk_grant_library'))
    )
    with op.batch_alter_table('grant_library', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_library_library_id'), ['library_id'], unique=False)

    op.create_table('grant_media',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('media_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_grant_media_grant_id_grant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_grant_media_media_code_media')),
    sa.PrimaryKeyConstraint('grant_id', 'media_code', name=op.f('pk_grant_media'))
    )
    op.create_table('grant_territory',
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory_code', sa.String(length=32), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.CheckConstraint('(territory_code IS NULL) <> (group_id IS NULL)', name=op.f('ck_grant_territory_country_or_group')),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_grant_territory_grant_id_grant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['territory_group.id'], name=op.f('fk_grant_territory_group_id_territory_group')),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_grant_territory_territory_code_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_territory'))
    )
    with op.batch_alter_table('grant_territory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_territory_grant_id'), ['grant_id'], unique=False)

    op.create_table('grant_title',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('first_episode', sa.Integer(), nullable=True),
    sa.Column('last_episode', sa.Integer(), nullable=True),
    sa.CheckConstraint('first_episode IS NULL OR last_episode IS NULL OR first_episode <= last_episode', name=op.f('ck_grant_title_episode_order')),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_grant_title_grant_id_grant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_grant_title_title_id_title')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_title')),
    sa.UniqueConstraint('grant_id', 'title_id', name=op.f('uq_grant_title_grant_id_title_id'))
    )
    with op.batch_alter_table('grant_title', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_title_title_id'), ['title_id'], unique=False)

    op.create_table('holdback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('after_release_of', sa.String(length=32), nullable=True),
    sa.Column('days_after_release', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['after_release_of'], ['media.code'], name=op.f('fk_holdback_after_release_of_media')),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_holdback_grant_id_grant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holdback'))
    )
    with op.batch_alter_table('holdback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holdback_grant_id'), ['grant_id'], unique=False)

    op.create_table('localization_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('language_tag', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.Enum('subtitles', 'dub', 'metadata_artwork', name='localizationkind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'in_qc', 'delivered', 'rejected', name='localizationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('cost', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=32), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('file_reference', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_localization_task_currency_currency')),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], name=op.f('fk_localization_task_episode_id_episode'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_localization_task_title_id_title'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['party.id'], name=op.f('fk_localization_task_vendor_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_localization_task'))
    )
    with op.batch_alter_table('localization_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_localization_task_language_tag'), ['language_tag'], unique=False)
        batch_op.create_index(batch_op.f('ix_localization_task_title_id'), ['title_id'], unique=False)

    op.create_table('release_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('territory_code', sa.String(length=32), nullable=False),
    sa.Column('media_code', sa.String(length=32), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('exclusive', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'confirmed', 'released', 'cancelled', name='windowstatus', native_enum=False, length=32), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=False),
    sa.Column('planned_end', sa.Date(), nullable=True),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_end', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['grant.id'], name=op.f('fk_release_window_grant_id_grant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_release_window_media_code_media')),
    sa.ForeignKeyConstraint(['template_id'], ['window_template.id'], name=op.f('fk_release_window_template_id_window_template'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_release_window_territory_code_territory')),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_release_window_title_id_title'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_window'))
    )
    with op.batch_alter_table('release_window', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_window_title_id'), ['title_id'], unique=False)

    op.create_table('revenue_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('territory_code', sa.String(length=32), nullable=True),
    sa.Column('media_code', sa.String(length=32), nullable=True),
    sa.Column('revenue_type', sa.Enum('unlocks', 'subscription', 'ads', 'tips', 'licence_fee', 'other', name='revenuetype', native_enum=False, length=32), nullable=False),
    sa.Column('reported_identifier', sa.String(length=300), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=True),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('library_id', sa.Integer(), nullable=True),
    sa.Column('units', sa.BigInteger(), nullable=True),
    sa.Column('gross_amount', sa.BigInteger(), nullable=False),
    sa.Column('platform_fees', sa.BigInteger(), nullable=False),
    sa.Column('taxes', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_revenue_line_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_revenue_line_currency_currency')),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], name=op.f('fk_revenue_line_episode_id_episode')),
    sa.ForeignKeyConstraint(['library_id'], ['library.id'], name=op.f('fk_revenue_line_library_id_library')),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_revenue_line_media_code_media')),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_revenue_line_territory_code_territory')),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_revenue_line_title_id_title')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revenue_line'))
    )
    with op.batch_alter_table('revenue_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revenue_line_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revenue_line_library_id'), ['library_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_revenue_line_title_id'), ['title_id'], unique=False)

    op.create_table('share_tier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms_id', sa.Integer(), nullable=False),
    sa.Column('from_cumulative_net', sa.BigInteger(), nullable=False),
    sa.Column('percent', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['terms_id'], ['royalty_terms.id'], name=op.f('fk_share_tier_terms_id_royalty_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_tier')),
    sa.UniqueConstraint('terms_id', 'from_cumulative_net', name=op.f('uq_share_tier_terms_id_from_cumulative_net'))
    )
    op.create_table('statement_balance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=True),
    sa.Column('opening_mg_outstanding', sa.BigInteger(), nullable=False),
    sa.Column('closing_mg_outstanding', sa.BigInteger(), nullable=False),
    sa.Column('opening_unrecouped_expenses', sa.BigInteger(), nullable=False),
    sa.Column('closing_unrecouped_expenses', sa.BigInteger(), nullable=False),
    sa.Column('opening_expenses_recouped_to_date', sa.BigInteger(), nullable=False),
    sa.Column('closing_expenses_recouped_to_date', sa.BigInteger(), nullable=False),
    sa.Column('opening_cumulative_net', sa.BigInteger(), nullable=False),
    sa.Column('closing_cumulative_net', sa.BigInteger(), nullable=False),
    sa.Column('opening_deficit', sa.BigInteger(), nullable=False),
    sa.Column('closing_deficit', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_statement_balance_statement_id_statement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_statement_balance_title_id_title')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_balance')),
    sa.UniqueConstraint('statement_id', 'title_id', name=op.f('uq_statement_balance_statement_id_title_id'))
    )
    op.create_table('title_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('alias', sa.String(length=300), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['episode_id'], ['episode.id'], name=op.f('fk_title_alias_episode_id_episode'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['revenue_source.id'], name=op.f('fk_title_alias_source_id_revenue_source'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_title_alias_title_id_title'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_title_alias')),
    sa.UniqueConstraint('source_id', 'alias', name=op.f('uq_title_alias_source_id_alias'))
    )
    with op.batch_alter_table('title_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_title_alias_title_id'), ['title_id'], unique=False)

    op.create_table('expense',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('marketing', 'localization', 'music', 'delivery', 'other', name='expensecategory', native_enum=False, length=32), nullable=False),
    sa.Column('incurred_on', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=32), nullable=False),
    sa.Column('recoupable', sa.Boolean(), nullable=False),
    sa.Column('localization_task_id', sa.Integer(), nullable=True),
    sa.Column('music_licence_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['currency'], ['currency.code'], name=op.f('fk_expense_currency_currency')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_expense_deal_id_deal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['localization_task_id'], ['localization_task.id'], name=op.f('fk_expense_localization_task_id_localization_task'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['music_licence_id'], ['music_licence.id'], name=op.f('fk_expense_music_licence_id_music_licence'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense'))
    )
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_deal_id'), ['deal_id'], unique=False)

    op.create_table('holdback_media',
    sa.Column('holdback_id', sa.Integer(), nullable=False),
    sa.Column('media_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['holdback_id'], ['holdback.id'], name=op.f('fk_holdback_media_holdback_id_holdback'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_holdback_media_media_code_media')),
    sa.PrimaryKeyConstraint('holdback_id', 'media_code', name=op.f('pk_holdback_media'))
    )
    op.create_table('holdback_territory',
    sa.Column('holdback_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory_code', sa.String(length=32), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.CheckConstraint('(territory_code IS NULL) <> (group_id IS NULL)', name=op.f('ck_holdback_territory_country_or_group')),
    sa.ForeignKeyConstraint(['group_id'], ['territory_group.id'], name=op.f('fk_holdback_territory_group_id_territory_group')),
    sa.ForeignKeyConstraint(['holdback_id'], ['holdback.id'], name=op.f('fk_holdback_territory_holdback_id_holdback'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_holdback_territory_territory_code_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holdback_territory'))
    )
    with op.batch_alter_table('holdback_territory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holdback_territory_holdback_id'), ['holdback_id'], unique=False)

    op.create_table('statement_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('gross_receipts', 'distribution_fee', 'expenses_recouped', 'net_receipts', 'participant_share', 'mg_recouped', 'payable', 'withholding', 'paid', 'adjustment', name='statementlinekind', native_enum=False, length=32), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=True),
    sa.Column('media_code', sa.String(length=32), nullable=True),
    sa.Column('territory_code', sa.String(length=32), nullable=True),
    sa.Column('revenue_line_id', sa.Integer(), nullable=True),
    sa.Column('expense_id', sa.Integer(), nullable=True),
    sa.Column('library_id', sa.Integer(), nullable=True),
    sa.Column('split_basis', sa.BigInteger(), nullable=True),
    sa.Column('source_amount', sa.BigInteger(), nullable=True),
    sa.Column('source_currency', sa.String(length=32), nullable=True),
    sa.Column('fx_rate', sa.BigInteger(), nullable=True),
    sa.Column('fx_date', sa.Date(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['expense_id'], ['expense.id'], name=op.f('fk_statement_line_expense_id_expense')),
    sa.ForeignKeyConstraint(['library_id'], ['library.id'], name=op.f('fk_statement_line_library_id_library')),
    sa.ForeignKeyConstraint(['media_code'], ['media.code'], name=op.f('fk_statement_line_media_code_media')),
    sa.ForeignKeyConstraint(['revenue_line_id'], ['revenue_line.id'], name=op.f('fk_statement_line_revenue_line_id_revenue_line')),
    sa.ForeignKeyConstraint(['source_currency'], ['currency.code'], name=op.f('fk_statement_line_source_currency_currency')),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_statement_line_statement_id_statement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_code'], ['territory.code'], name=op.f('fk_statement_line_territory_code_territory')),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_statement_line_title_id_title')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_line'))
    )
    with op.batch_alter_table('statement_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_line_revenue_line_id'), ['revenue_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_line_statement_id'), ['statement_id'], unique=False)
    _load_reference_data()


def downgrade() -> None:
    with op.batch_alter_table('statement_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_line_statement_id'))
        batch_op.drop_index(batch_op.f('ix_statement_line_revenue_line_id'))

    op.drop_table('statement_line')
    with op.batch_alter_table('holdback_territory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holdback_territory_holdback_id'))

    op.drop_table('holdback_territory')
    op.drop_table('holdback_media')
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_deal_id'))

    op.drop_table('expense')
    with op.batch_alter_table('title_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_title_alias_title_id'))

    op.drop_table('title_alias')
    op.drop_table('statement_balance')
    op.drop_table('share_tier')
    with op.batch_alter_table('revenue_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revenue_line_title_id'))
        batch_op.drop_index(batch_op.f('ix_revenue_line_library_id'))
        batch_op.drop_index(batch_op.f('ix_revenue_line_batch_id'))

    op.drop_table('revenue_line')
    with op.batch_alter_table('release_window', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_window_title_id'))

    op.drop_table('release_window')
    with op.batch_alter_table('localization_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_localization_task_title_id'))
        batch_op.drop_index(batch_op.f('ix_localization_task_language_tag'))

    op.drop_table('localization_task')
    with op.batch_alter_table('holdback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holdback_grant_id'))

    op.drop_table('holdback')
    with op.batch_alter_table('grant_title', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_title_title_id'))

    op.drop_table('grant_title')
    with op.batch_alter_table('grant_territory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_territory_grant_id'))

    op.drop_table('grant_territory')
    op.drop_table('grant_media')
    with op.batch_alter_table('grant_library', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_library_library_id'))

    op.drop_table('grant_library')
    op.drop_table('grant_language')
    op.drop_table('fee_rate')
    with op.batch_alter_table('cue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cue_track_id'))

    op.drop_table('cue')
    with op.batch_alter_table('title_localized_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_title_localized_name_title_id'))

    op.drop_table('title_localized_name')
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_participant_id'))
        batch_op.drop_index(batch_op.f('ix_statement_deal_id'))

    op.drop_table('statement')
    with op.batch_alter_table('royalty_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_royalty_terms_participant_id'))

    op.drop_table('royalty_terms')
    with op.batch_alter_table('music_licence_territory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_music_licence_territory_licence_id'))

    op.drop_table('music_licence_territory')
    op.drop_table('music_licence_media')
    with op.batch_alter_table('library_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_member_title_id'))

    op.drop_table('library_member')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_source_id'))
        batch_op.drop_index(batch_op.f('ix_import_batch_content_hash'))

    op.drop_table('import_batch')
    with op.batch_alter_table('grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_deal_id'))

    op.drop_table('grant')
    op.drop_table('episode')
    op.drop_table('column_mapping')
    with op.batch_alter_table('track_credit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_track_credit_track_id'))

    op.drop_table('track_credit')
    with op.batch_alter_table('title', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_title_producer_id'))
        batch_op.drop_index(batch_op.f('ix_title_original_name'))

    op.drop_table('title')
    op.drop_table('revenue_source')
    with op.batch_alter_table('party_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_contact_party_id'))

    op.drop_table('party_contact')
    with op.batch_alter_table('music_licence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_music_licence_track_id'))

    op.drop_table('music_licence')
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_direction'))
        batch_op.drop_index(batch_op.f('ix_deal_counterparty_id'))

    op.drop_table('deal')
    op.drop_table('window_template_step')
    op.drop_table('territory_group_member')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_name'))
        batch_op.drop_index(batch_op.f('ix_party_kind'))

    op.drop_table('party')
    op.drop_table('exchange_rate')
    op.drop_table('window_template')
    op.drop_table('territory_group')
    op.drop_table('territory')
    with op.batch_alter_table('music_track', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_music_track_title'))

    op.drop_table('music_track')
    op.drop_table('media')
    op.drop_table('library')
    op.drop_table('language')
    op.drop_table('currency')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_record')
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
    op.drop_table('app_setting')


def _language_name(tag: str) -> str:
    try:
        return Locale.parse(tag, sep="-").get_display_name("en") or tag
    except (ValueError, LookupError):
        return tag


def _load_reference_data() -> None:
    """Countries, currencies, media, languages, the standard territory groups and a
    standard window template, as rightsdesk.domain.reference defines them."""

    def table(name: str, *columns: str) -> sa.TableClause:
        return sa.table(name, *(sa.column(c) for c in columns))

    op.bulk_insert(
        table("territory", "code", "name"),
        [{"code": c.code, "name": c.name} for c in reference.countries()],
    )
    op.bulk_insert(
        table("currency", "code", "name", "minor_units"),
        [{"code": c.code, "name": c.name, "minor_units": c.minor_units} for c in reference.currencies()],
    )
    op.bulk_insert(
        table("media", "code", "name", "description", "sort_order", "active"),
        [
            {"code": m.code, "name": m.name, "description": m.description, "sort_order": i, "active": True}
            for i, m in enumerate(reference.MEDIA)
        ],
    )
    op.bulk_insert(
        table("language", "tag", "name"),
        [{"tag": tag, "name": _language_name(tag)} for tag in reference.LANGUAGE_TAGS],
    )
    groups = reference.territory_groups()
    op.bulk_insert(
        table("territory_group", "id", "code", "name", "is_standard"),
        [
            {"id": i, "code": code, "name": name, "is_standard": True}
            for i, (code, (name, _)) in enumerate(groups.items(), start=1)
        ],
    )
    op.bulk_insert(
        table("territory_group_member", "group_id", "territory_code"),
        [
            {"group_id": i, "territory_code": country}
            for i, (_, members) in enumerate(groups.values(), start=1)
            for country in members
        ],
    )
    op.bulk_insert(
        table("window_template", "id", "name", "description"),
        [{"id": 1, "name": "App first, then AVOD and FAST",
          "description": "APP exclusive for 90 days, AVOD from day 91, FAST from day 180"}],
    )
    op.bulk_insert(
        table(
            "window_template_step", "template_id", "position", "media_code", "start_months",
            "start_days", "length_months", "length_days", "exclusive",
        ),
        [
            {"template_id": 1, "position": 1, "media_code": "APP", "start_months": 0,
             "start_days": 0, "length_months": None, "length_days": 91, "exclusive": True},
            {"template_id": 1, "position": 2, "media_code": "AVOD", "start_months": 0,
             "start_days": 91, "length_months": None, "length_days": None, "exclusive": False},
            {"template_id": 1, "position": 3, "media_code": "FAST", "start_months": 0,
             "start_days": 180, "length_months": None, "length_days": None, "exclusive": False},
        ],
    )
