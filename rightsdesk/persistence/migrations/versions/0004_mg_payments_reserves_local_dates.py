"""MG schedules, reserves against returns, a deal-wide expense cap, local issue dates.

- `mg_payment`: an MG is a list of payments (amount, date paid, optionally a title). The one
  MG a deal's terms held becomes one payment dated when it was paid, else when the deal was
  signed (it counted from the first statement before).
- `royalty_terms`: `reserve_percent`, `reserve_periods`, `expense_cap_per_title`.
- `statement_balance`: MG counted to date (so a payment is counted once, in the period that
  holds its date), reserves held. Existing balances get the MG counted so far: what was
  outstanding plus what the deal's statements had recouped up to then.
- `statement`: `issued_on` and `issued_tz`, the accountant's local date; existing issued
  statements keep the UTC date they showed.
- `statement_expense`: which statement took which expense (an expense dated in an issued
  period goes on the deal's next statement, never on two); existing statements took their
  deal's recoupable expenses dated in their period.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mg_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms_id', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['terms_id'], ['royalty_terms.id'], name=op.f('fk_mg_payment_terms_id_royalty_terms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['title_id'], ['title.id'], name=op.f('fk_mg_payment_title_id_title')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mg_payment'))
    )
    with op.batch_alter_table('mg_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mg_payment_terms_id'), ['terms_id'], unique=False)
    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO mg_payment (terms_id, title_id, amount, paid_on, note) "
        "SELECT t.id, NULL, t.mg_amount, COALESCE(t.mg_paid_on, d.signed_on, t.first_period_start, DATE '2000-01-01'), '' "
        "FROM royalty_terms t JOIN deal d ON d.id = t.deal_id WHERE t.mg_amount <> 0"
        if bind.dialect.name == "postgresql" else
        "INSERT INTO mg_payment (terms_id, title_id, amount, paid_on, note) "
        "SELECT t.id, NULL, t.mg_amount, COALESCE(t.mg_paid_on, d.signed_on, t.first_period_start, '2000-01-01'), '' "
        "FROM royalty_terms t JOIN deal d ON d.id = t.deal_id WHERE t.mg_amount <> 0"))

    with op.batch_alter_table('royalty_terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expense_cap_per_title', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reserve_percent', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reserve_periods', sa.Integer(), server_default='0', nullable=False))
        batch_op.drop_column('mg_amount')
        batch_op.drop_column('mg_paid_on')

    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('issued_tz', sa.String(length=64), nullable=True))
    bind.execute(sa.text("UPDATE statement SET issued_on = CAST(issued_at AS DATE), issued_tz = 'UTC' "
                         "WHERE issued_at IS NOT NULL" if bind.dialect.name == "postgresql" else
                         "UPDATE statement SET issued_on = DATE(issued_at), issued_tz = 'UTC' WHERE issued_at IS NOT NULL"))

    op.create_table('statement_expense',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('expense_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expense_id'], ['expense.id'], name=op.f('fk_statement_expense_expense_id_expense'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_statement_expense_statement_id_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_expense')),
    sa.UniqueConstraint('statement_id', 'expense_id', name=op.f('uq_statement_expense_statement_id_expense_id'))
    )
    with op.batch_alter_table('statement_expense', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_expense_expense_id'), ['expense_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_expense_statement_id'), ['statement_id'], unique=False)
    bind.execute(sa.text(
        "INSERT INTO statement_expense (statement_id, expense_id) SELECT s.id, e.id FROM statement s "
        "JOIN expense e ON e.deal_id = s.deal_id AND e.recoupable AND e.incurred_on BETWEEN s.period_start AND s.period_end"))

    with op.batch_alter_table('statement_balance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opening_mg_paid_to_date', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('closing_mg_paid_to_date', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('opening_reserve', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('closing_reserve', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('closing_reserve_layers', sa.JSON(), server_default='[]', nullable=False))
    # MG counted to date = outstanding + recouped by the deal's statements so far (scaled integers).
    balances = bind.execute(sa.text(
        "SELECT b.id, b.title_id, s.deal_id, s.period_start, b.opening_mg_outstanding, b.closing_mg_outstanding "
        "FROM statement_balance b JOIN statement s ON s.id = b.statement_id")).all()
    for balance_id, title_id, deal_id, start, opening, closing in balances:
        recouped = dict(bind.execute(sa.text(
            "SELECT CASE WHEN s.period_start < :start THEN 'before' ELSE 'through' END, SUM(l.amount) "
            "FROM statement_line l JOIN statement s ON s.id = l.statement_id "
            "WHERE s.deal_id = :deal AND s.period_start <= :start AND l.kind = 'mg_recouped' "
            + ("AND l.title_id IS NULL " if title_id is None else "AND l.title_id = :title ")
            + "GROUP BY CASE WHEN s.period_start < :start THEN 'before' ELSE 'through' END"),
            {"start": start, "deal": deal_id, "title": title_id}).all())
        before = int(recouped.get("before") or 0)
        bind.execute(sa.text("UPDATE statement_balance SET opening_mg_paid_to_date = :opening, "
                             "closing_mg_paid_to_date = :closing WHERE id = :id"),
                     {"opening": opening + before, "closing": closing + before + int(recouped.get("through") or 0),
                      "id": balance_id})


def downgrade() -> None:
    with op.batch_alter_table('statement_balance', schema=None) as batch_op:
        batch_op.drop_column('closing_reserve_layers')
        batch_op.drop_column('closing_reserve')
        batch_op.drop_column('opening_reserve')
        batch_op.drop_column('closing_mg_paid_to_date')
        batch_op.drop_column('opening_mg_paid_to_date')
    with op.batch_alter_table('statement_expense', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_expense_statement_id'))
        batch_op.drop_index(batch_op.f('ix_statement_expense_expense_id'))
    op.drop_table('statement_expense')
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.drop_column('issued_tz')
        batch_op.drop_column('issued_on')
    with op.batch_alter_table('royalty_terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mg_amount', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('mg_paid_on', sa.Date(), nullable=True))
        batch_op.drop_column('reserve_periods')
        batch_op.drop_column('reserve_percent')
        batch_op.drop_column('expense_cap_per_title')
    bind = op.get_bind()
    # A schedule folds back into one MG, dated by its first payment.
    bind.execute(sa.text("UPDATE royalty_terms SET mg_amount = COALESCE((SELECT SUM(p.amount) FROM mg_payment p "
                         "WHERE p.terms_id = royalty_terms.id), 0), mg_paid_on = (SELECT MIN(p.paid_on) FROM mg_payment p "
                         "WHERE p.terms_id = royalty_terms.id)"))
    with op.batch_alter_table('mg_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mg_payment_terms_id'))
    op.drop_table('mg_payment')
