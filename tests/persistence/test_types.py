from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from rightsdesk.domain.enums import PartyKind
from rightsdesk.persistence.models import ExchangeRate, Expense, Party
from rightsdesk.persistence.models.rights import Deal


def make_deal(session) -> int:
    party = Party(name="Hangzhou Starlight Pictures", kind=PartyKind.PRODUCER)
    session.add(party)
    session.flush()
    deal = Deal(direction="in", counterparty_id=party.id, reference="IN-1", currency="USD")
    session.add(deal)
    session.flush()
    return deal.id


def test_amounts_come_back_exactly_as_written(database):
    with database.transaction() as session:
        deal_id = make_deal(session)
        for amount in ("0.1", "0.2", "123456789.123456", "-0.000001"):
            session.add(Expense(deal_id=deal_id, category="music", incurred_on=date(2026, 1, 1),
                                amount=Decimal(amount), currency="USD"))
    with database.read() as session:
        amounts = sorted(session.scalars(select(Expense.amount)))
        total = session.scalar(select(func.sum(Expense.amount)))
        stored = session.execute(text("select amount from expense order by amount")).scalars().all()
    assert amounts == sorted(Decimal(a) for a in ("0.1", "0.2", "123456789.123456", "-0.000001"))
    assert total == Decimal("123456789.423455")  # summed in SQL, still exact
    assert all(isinstance(value, int) for value in stored)


def test_floats_are_refused_for_money(database):
    with pytest.raises(StatementError, match="must be Decimal, not float"):
        with database.transaction() as session:
            deal_id = make_deal(session)
            session.add(Expense(deal_id=deal_id, category="music", incurred_on=date(2026, 1, 1),
                                amount=0.1, currency="USD"))
            session.flush()


def test_more_decimal_places_than_a_column_holds_are_refused_not_rounded(database):
    with pytest.raises(StatementError, match="more than 10 decimal places"):
        with database.transaction() as session:
            session.add(ExchangeRate(base_currency="EUR", quote_currency="USD",
                                     rate_date=date(2026, 1, 1), rate=Decimal("1.00000000001")))
            session.flush()
