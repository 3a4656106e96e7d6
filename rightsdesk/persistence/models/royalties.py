"""Royalties: the terms of a deal's waterfall, expenses, and the statements it produces."""

from __future__ import annotations

from datetime import date, datetime

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.domain.enums import (
    ExpenseCategory,
    FxDateRule,
    DeliveryResult,
    LibrarySplitRule,
    PaymentMethod,
    StatementFrequency,
    StatementLineKind,
    StatementStatus,
)
from rightsdesk.persistence.base import (
    Amount,
    Base,
    Code,
    FxRate,
    LongText,
    Name,
    Percent,
    Quantity,
    Timestamped,
    Versioned,
    utcnow,
)


class RoyaltyTerms(Versioned, Timestamped, Base):
    """How a deal's gross receipts become what its participant is paid (DOMAIN.md)."""

    __tablename__ = "royalty_terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))
    default_fee_percent: Mapped[Percent] = mapped_column(default=0)
    # NULL: expenses are recoupable without a cap. The cap is the deal's over its life, all
    # titles together, unless the terms say it applies to each title.
    expense_cap: Mapped[Amount | None]
    expense_cap_per_title: Mapped[bool] = mapped_column(default=False, server_default="0")
    # One MG pool and one waterfall across the deal's titles, unless titles stand alone.
    cross_collateralized: Mapped[bool] = mapped_column(default=True)
    withholding_percent: Mapped[Percent] = mapped_column(default=0)
    # A reserve against returns: a % of the share held back for so many statement periods.
    reserve_percent: Mapped[Percent] = mapped_column(default=0, server_default="0")
    reserve_periods: Mapped[int] = mapped_column(default=0, server_default="0")
    frequency: Mapped[StatementFrequency] = mapped_column(default=StatementFrequency.QUARTERLY)
    first_period_start: Mapped[date | None]
    library_split_rule: Mapped[LibrarySplitRule] = mapped_column(default=LibrarySplitRule.RUNTIME)
    fx_date_rule: Mapped[FxDateRule] = mapped_column(default=FxDateRule.PERIOD_END)
    # Payment terms (issue 20): a statement is due this many days after it is issued; a payable
    # below the minimum payout (in the terms' currency) is carried to the next statement.
    payment_due_days: Mapped[int] = mapped_column(default=45, server_default="45")
    minimum_payout: Mapped[Amount | None]
    fee_rates: Mapped[list[FeeRate]] = relationship(cascade="all, delete-orphan")
    share_tiers: Mapped[list[ShareTier]] = relationship(
        cascade="all, delete-orphan", order_by="ShareTier.from_cumulative_net"
    )
    mg_payments: Mapped[list[MgPayment]] = relationship(
        cascade="all, delete-orphan", order_by="(MgPayment.paid_on, MgPayment.id)"
    )


class MgPayment(Base):
    """A minimum guarantee (advance) paid to the participant: recoupable from the statement whose
    period holds `paid_on` onwards. For the whole deal (title NULL) or, when titles stand alone,
    for one title."""

    __tablename__ = "mg_payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("royalty_terms.id", ondelete="CASCADE"), index=True)
    title_id: Mapped[int | None] = mapped_column(ForeignKey("title.id"))
    amount: Mapped[Amount]
    paid_on: Mapped[date]
    note: Mapped[Name] = mapped_column(default="")


class FeeRate(Base):
    """A distribution fee that differs by media and/or territory; the most specific applies."""

    __tablename__ = "fee_rate"
    __table_args__ = (UniqueConstraint("terms_id", "media_code", "territory_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("royalty_terms.id", ondelete="CASCADE"))
    media_code: Mapped[Code | None] = mapped_column(ForeignKey("media.code"))
    territory_code: Mapped[Code | None] = mapped_column(ForeignKey("territory.code"))
    percent: Mapped[Percent]


class ShareTier(Base):
    """The participant's share from a level of cumulative net receipts upwards."""

    __tablename__ = "share_tier"
    __table_args__ = (UniqueConstraint("terms_id", "from_cumulative_net"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    terms_id: Mapped[int] = mapped_column(ForeignKey("royalty_terms.id", ondelete="CASCADE"))
    from_cumulative_net: Mapped[Amount]
    percent: Mapped[Percent]


class Expense(Timestamped, Base):
    __tablename__ = "expense"
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    category: Mapped[ExpenseCategory]
    incurred_on: Mapped[date]
    description: Mapped[Name] = mapped_column(default="")
    amount: Mapped[Amount]
    currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))
    recoupable: Mapped[bool] = mapped_column(default=True)
    localization_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("localization_task.id", ondelete="SET NULL")
    )
    music_licence_id: Mapped[int | None] = mapped_column(
        ForeignKey("music_licence.id", ondelete="SET NULL")
    )


class Statement(Timestamped, Base):
    """A participant's royalty statement for a period: a draft until issued, then locked."""

    __tablename__ = "statement"
    __table_args__ = (UniqueConstraint("deal_id", "participant_id", "period_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Code | None] = mapped_column(unique=True)  # given when issued
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    period_label: Mapped[Code]  # e.g. 2026-Q3
    period_start: Mapped[date]
    period_end: Mapped[date]
    currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))
    status: Mapped[StatementStatus] = mapped_column(default=StatementStatus.DRAFT)
    issued_at: Mapped[datetime | None]
    # The accountant's local date of issue and posting, and the zone it was read in (DOMAIN.md).
    issued_on: Mapped[date | None]
    issued_tz: Mapped[Code | None] = mapped_column(String(64))
    issued_by: Mapped[Name] = mapped_column(default="")
    content_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 when issued
    adjusts_statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id"))
    gross_receipts: Mapped[Amount] = mapped_column(default=0)
    distribution_fee: Mapped[Amount] = mapped_column(default=0)
    expenses_recouped: Mapped[Amount] = mapped_column(default=0)
    net_receipts: Mapped[Amount] = mapped_column(default=0)
    participant_share: Mapped[Amount] = mapped_column(default=0)
    mg_recouped: Mapped[Amount] = mapped_column(default=0)
    payable: Mapped[Amount] = mapped_column(default=0)
    withholding: Mapped[Amount] = mapped_column(default=0)
    paid: Mapped[Amount] = mapped_column(default=0)
    # A payable below the minimum payout is not paid but carried: `carried_forward` is what this
    # statement carries to the next; `brought_forward` what it received from the one before.
    brought_forward: Mapped[Amount] = mapped_column(default=0, server_default="0")
    carried_forward: Mapped[Amount] = mapped_column(default=0, server_default="0")
    notes: Mapped[LongText] = mapped_column(default="")
    # The database deletes a statement's lines with it (ON DELETE CASCADE): a redraft does not
    # load a hundred thousand lines only to delete them.
    lines: Mapped[list[StatementLine]] = relationship(
        cascade="all, delete-orphan", order_by="StatementLine.position", passive_deletes=True
    )
    balances: Mapped[list[StatementBalance]] = relationship(cascade="all, delete-orphan")
    expenses: Mapped[list[StatementExpense]] = relationship(cascade="all, delete-orphan")


class StatementExpense(Base):
    """Which statement took which expense: an expense dated in a period already issued goes on
    the deal's next statement that is not issued, like late revenue, and never on two."""

    __tablename__ = "statement_expense"
    __table_args__ = (UniqueConstraint("statement_id", "expense_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), index=True)
    expense_id: Mapped[int] = mapped_column(ForeignKey("expense.id", ondelete="CASCADE"), index=True)


class StatementBalance(Base):
    """Balances carried between periods, for the whole deal (title_id NULL, when
    cross-collateralized) or for each title that stands alone."""

    __tablename__ = "statement_balance"
    __table_args__ = (UniqueConstraint("statement_id", "title_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"))
    title_id: Mapped[int | None] = mapped_column(ForeignKey("title.id"))
    opening_mg_outstanding: Mapped[Amount] = mapped_column(default=0)
    closing_mg_outstanding: Mapped[Amount] = mapped_column(default=0)
    opening_unrecouped_expenses: Mapped[Amount] = mapped_column(default=0)
    closing_unrecouped_expenses: Mapped[Amount] = mapped_column(default=0)
    opening_expenses_recouped_to_date: Mapped[Amount] = mapped_column(default=0)
    closing_expenses_recouped_to_date: Mapped[Amount] = mapped_column(default=0)
    opening_cumulative_net: Mapped[Amount] = mapped_column(default=0)
    closing_cumulative_net: Mapped[Amount] = mapped_column(default=0)
    opening_deficit: Mapped[Amount] = mapped_column(default=0)
    closing_deficit: Mapped[Amount] = mapped_column(default=0)
    opening_mg_paid_to_date: Mapped[Amount] = mapped_column(default=0, server_default="0")
    closing_mg_paid_to_date: Mapped[Amount] = mapped_column(default=0, server_default="0")
    opening_reserve: Mapped[Amount] = mapped_column(default=0, server_default="0")
    closing_reserve: Mapped[Amount] = mapped_column(default=0, server_default="0")
    # The reserves still held at the close: [[release_from ISO date, amount as a string], ...].
    closing_reserve_layers: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default="[]")


class StatementLine(Base):
    """One step or one detail of a waterfall, rounded to the currency's minor unit."""

    __tablename__ = "statement_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statement.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[StatementLineKind]
    description: Mapped[Name] = mapped_column(default="")
    title_id: Mapped[int | None] = mapped_column(ForeignKey("title.id"))
    media_code: Mapped[Code | None] = mapped_column(ForeignKey("media.code"))
    territory_code: Mapped[Code | None] = mapped_column(ForeignKey("territory.code"))
    revenue_line_id: Mapped[int | None] = mapped_column(ForeignKey("revenue_line.id"))
    expense_id: Mapped[int | None] = mapped_column(ForeignKey("expense.id"))
    # A library's revenue split to this title: the library and the title's basis (runtime...).
    library_id: Mapped[int | None] = mapped_column(ForeignKey("library.id"))
    split_basis: Mapped[Quantity | None]
    source_amount: Mapped[Amount | None]
    source_currency: Mapped[Code | None] = mapped_column(ForeignKey("currency.code"))
    fx_rate: Mapped[FxRate | None]
    fx_date: Mapped[date | None]
    amount: Mapped[Amount]
    # The first day of the period the revenue reports (a gross receipts line sums the revenue
    # lines of one title, library, media, territory, type, period and currency): a period
    # before the statement's is late revenue. `revenue_line_id` names the line when it is one.
    revenue_period_start: Mapped[date | None]

    # The index the revenue line's key needs (a line deleted looks up the statement lines that
    # name it) holds only the lines that name one: most at a month-end name none, and a run
    # writes half a million lines into it (migration 0012).
    __table_args__ = (Index("ix_statement_line_revenue_line_id", "revenue_line_id",
                            sqlite_where=text("revenue_line_id IS NOT NULL"),
                            postgresql_where=text("revenue_line_id IS NOT NULL")),)


class StatementRevenue(Base):
    """Which statement holds which imported revenue line (or, for a library's line, the part
    split to one of its titles) and how much of it, in the line's currency: a statement's gross
    receipts lines are sums, and this says exactly which lines they hold. A line's part is on
    one statement at most; what none holds is listed by `statement_revenue.reconcile`."""

    __tablename__ = "statement_revenue"
    # A statement run writes one row per line of the period (a million at month-end): no rowid
    # beside the key on SQLite, one b-tree fewer to write.
    __table_args__ = ({"sqlite_with_rowid": False},)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)
    revenue_line_id: Mapped[int] = mapped_column(ForeignKey("revenue_line.id"), primary_key=True, index=True)
    # The title the line (or the library line's part) is for; no foreign key to check a
    # million times a run: the revenue line's own title, or a member of its library.
    title_id: Mapped[int] = mapped_column(primary_key=True)
    source_amount: Mapped[Amount]


class StatementTitleRevenue(Base):
    """A statement that holds *every* line of one import batch matched to one title whose
    period ends within the statement's period, each in full (its gross amount): what a run
    writes for a title whose lines of the period all go to one statement, as most do. One row
    where `statement_revenue` would have one per line: ~80 000 rows a month-end instead of
    ~900 000, the most a run wrote (issue 15).

    The lines it names are found again from the revenue lines (batch, title, period end), so
    nothing may give more lines of that batch that title while the row stands: an assignment
    first writes the row out line by line (`statement_revenue.hold_line_by_line`). Import
    batches are rolled back only with the statements that use them; lines never change period."""

    __tablename__ = "statement_title_revenue"
    __table_args__ = (Index("ix_statement_title_revenue_batch_title", "batch_id", "title_id"),
                      {"sqlite_with_rowid": False})
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id"), primary_key=True)


class StatementAdjustment(Base):
    """A correction of an issued statement, carried by the next statement of its deal that is
    issued: issued statements never change (DOMAIN.md). Positive: more is owed to the
    participant; negative: too much was paid, recovered from later payables."""

    __tablename__ = "statement_adjustment"
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    adjusts_statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id"))
    amount: Mapped[Amount]  # in the deal's royalty currency
    reason: Mapped[LongText]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[Name] = mapped_column(default="")
    # The statement that carries it; it is settled once that statement is issued.
    applied_statement_id: Mapped[int | None] = mapped_column(ForeignKey("statement.id", ondelete="SET NULL"))
    adjusts_statement: Mapped[Statement] = relationship(foreign_keys=[adjusts_statement_id])


class PaymentRun(Timestamped, Base):
    """Payments made together, for one period or a selection of statements: the bank file
    (ISO 20022 pain.001 or a list) is written from it, and recording it marks its statements
    paid in one transaction."""

    __tablename__ = "payment_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[Name]  # e.g. "2026-Q3 royalties"
    execution_date: Mapped[date]  # the day the bank is asked to pay
    created_by: Mapped[Name] = mapped_column(default="")
    message_id: Mapped[Name] = mapped_column(default="")  # pain.001 MsgId, unique per file
    recorded_at: Mapped[datetime | None]
    payments: Mapped[list[Payment]] = relationship(back_populates="run")


class Payment(Timestamped, Base):
    """Money paid to a participant against an issued statement, whole or in part, in the
    statement's currency."""

    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id"), index=True)
    paid_on: Mapped[date]
    amount: Mapped[Amount]
    currency: Mapped[Code] = mapped_column(ForeignKey("currency.code"))
    reference: Mapped[Name] = mapped_column(default="")
    method: Mapped[PaymentMethod] = mapped_column(default=PaymentMethod.BANK_TRANSFER)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("payment_run.id"), index=True)
    recorded_by: Mapped[Name] = mapped_column(default="")
    note: Mapped[LongText] = mapped_column(default="")
    run: Mapped[PaymentRun | None] = relationship(back_populates="payments")


class StatementDelivery(Base):
    """One attempt to send an issued statement by email: when, to whom, and what came of it
    (the server's message id, or the error), so a failed send can be seen and resent."""

    __tablename__ = "statement_delivery"
    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statement.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by: Mapped[Name] = mapped_column(default="")
    recipients: Mapped[LongText]  # comma-separated addresses
    message_id: Mapped[Name] = mapped_column(default="")
    result: Mapped[DeliveryResult]
    error: Mapped[LongText] = mapped_column(default="")
    attachments: Mapped[LongText] = mapped_column(default="")  # file names, comma-separated
