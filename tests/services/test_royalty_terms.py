from datetime import date
from decimal import Decimal as D

import pytest

from rightsdesk.domain.enums import AuditAction, DealDirection, ExpenseCategory, PartyKind
from rightsdesk.domain.errors import Conflict, ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft
from rightsdesk.services import audit, deals, parties, royalty_terms
from rightsdesk.services.royalty_terms import ExpenseDraft, TermsDraft


@pytest.fixture
def deal(database):
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER), user="ana")
        return deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1"), user="ana").deal_id, producer


def test_terms_round_trip_and_are_audited(database, deal):
    deal_id, producer = deal
    draft = TermsDraft(producer, "usd", D(25), [("FAST", None, D(30))], D(5000), [(D(20000), date(2026, 1, 10), None)],
                       [(D(100000), D(70)), (D(0), D(60))], withholding_percent=D(10), reserve_percent=D(10),
                       reserve_periods=2)
    with database.transaction() as session:
        royalty_terms.save_terms(session, deal_id, draft, user="ana")
    with database.read() as session:
        loaded = royalty_terms.load_terms(session, deal_id)
    assert loaded.currency == "USD" and loaded.tiers == [(D(0), D(60)), (D(100000), D(70))]
    assert loaded.fee_rates == [("FAST", None, D(30))]
    assert (loaded.mg_amount, loaded.reserve_percent, loaded.reserve_periods) == (D(20000), D(10), 2)
    loaded.mg_payments.append((D(5000), date(2026, 11, 15), None))  # an amendment raises the MG
    with database.transaction() as session:
        royalty_terms.save_terms(session, deal_id, loaded, user="ana")
        entries = audit.history(session, "royalty_terms", 1)
    assert [e.action for e in entries] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert len(entries[1].before["mg_payments"]) == 1 and entries[1].after["mg_payments"][1][:2] == ["5000", "2026-11-15"]
    stale = TermsDraft(producer, version=loaded.version)
    with pytest.raises(Conflict):
        with database.transaction() as session:
            royalty_terms.save_terms(session, deal_id, stale, user="bo")


def test_bad_terms_list_every_problem(database, deal):
    deal_id, _ = deal
    draft = TermsDraft(None, "XYZ", D(120), [("HOLO", "ZZ", D(-1))], D(-1), [(D(-5), date(2026, 1, 1), 7)],
                       tiers=[(D(10), D(60)), (D(10), D(200))], reserve_percent=D(20))
    with pytest.raises(ValidationError) as refused:
        with database.transaction() as session:
            royalty_terms.save_terms(session, deal_id, draft, user="ana")
    text = str(refused.value)
    for expected in ("choose who is paid", "'XYZ'", "120 % is not between", "'HOLO'", "'ZZ'", "cap: cannot be negative",
                     "payment of -5 is not more than zero", "one MG pool", "how many periods the reserve",
                     "starts at 0", "two tiers start", "200 %"):
        assert expected in text


def test_expenses(database, deal):
    deal_id, _ = deal
    with database.transaction() as session:
        royalty_terms.save_expense(session, deal_id, ExpenseDraft(ExpenseCategory.LOCALIZATION, date(2026, 8, 1),
                                                                  D("1200.50"), "usd", "Thai subtitles"), user="ana")
        with pytest.raises(ValidationError, match="more than zero"):
            royalty_terms.save_expense(session, deal_id, ExpenseDraft(ExpenseCategory.MUSIC, date(2026, 8, 1), D(0), "USD"), user="ana")
        [saved] = royalty_terms.expenses(session, deal_id)
    assert (saved.amount, saved.currency, saved.description) == (D("1200.50"), "USD", "Thai subtitles")
