"""What the Statements screen reads and does, without a screen: the list with what each statement
asks to be paid, the waterfall, a deal's history, and issuing only once the database is copied."""

from datetime import date
from decimal import Decimal

import pytest

from rightsdesk.domain.enums import StatementStatus
from rightsdesk.domain.errors import UserError
from rightsdesk.services import statement_screen
from rightsdesk.services.actions import perform


def drafted(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB"),
                                                ("2026-08", "US", "T000001", "15000", "USD"),
                                                ("2026-09", "BR", "T000002", "15000", "USD"),
                                                ("2026-10", "US", "T000001", "30000", "USD")], "q3q4.csv")
    q3 = perform(database, statement_screen.run_period, "2026-Q3", user="ana").result.statements
    q4 = perform(database, statement_screen.run_period, "2026-Q4", user="ana").result.statements
    return q3[0], q4[0]


def test_the_list_reads_newest_first_with_what_each_asks_to_be_paid(database, worked, import_revenue):
    q3, q4 = drafted(database, worked, import_revenue)
    with database.read() as session:
        rows, settled = statement_screen.statement_rows(session, today=date(2027, 1, 20))
    assert [(r.statement_id, r.period, r.number, r.status) for r in rows] == [
        (q4, "2026-Q4", "", StatementStatus.DRAFT), (q3, "2026-Q3", "", StatementStatus.DRAFT)]
    assert rows[0].to_pay == Decimal("7650.00") and rows[0].participant == "Golden Reel" and rows[0].deal == "IN-1"
    assert settled == {}  # nothing is owed on a draft


def test_a_waterfall_and_its_deal_history(database, worked, import_revenue):
    q3, q4 = drafted(database, worked, import_revenue)
    with database.read() as session:
        detail = statement_screen.statement_detail(session, q3)
        history = statement_screen.deal_history(session, detail.deal_id)
    converted = [line for line in detail.lines if line.source_currency == "THB"]
    assert converted and converted[0].fx_rate == Decimal("0.025") and converted[0].fx_date == date(2026, 9, 30)
    assert any(line.is_step and line.step == "net receipts" for line in detail.lines)
    [deal] = detail.balances
    assert deal.title == "" and ("MG outstanding", Decimal(0), Decimal("5000.00")) in deal.figures
    assert [h.period for h in history] == ["2026-Q3", "2026-Q4"] and history[0].mg_outstanding == Decimal("5000.00")


def test_issuing_saves_a_copy_of_the_database_first_and_is_all_or_nothing(database, worked, import_revenue):
    q3, q4 = drafted(database, worked, import_revenue)
    with pytest.raises(UserError, match="deal IN-1: issue the deal's earlier statement"):
        perform(database, statement_screen.issue_drafts, [q4, q3], user="ana", on=date(2027, 1, 10))
    with database.read() as session:
        rows, _ = statement_screen.statement_rows(session, today=date(2027, 1, 20))
    assert {r.status for r in rows} == {StatementStatus.DRAFT}  # the Q3 before the refusal is not kept either

    outcome = perform(database, statement_screen.issue_drafts, [q3, q4], user="ana", on=date(2027, 1, 10))
    issued = outcome.result
    assert [i.number for i in issued.issued] == ["ST-2027-000001", "ST-2027-000002"]
    assert outcome.changes.ids("statement") >= {q3, q4}
    if database.path:  # a server database is its administrator's to back up
        assert issued.saved is not None and issued.saved.exists() and "-before-issue" in issued.saved.name
    else:
        assert issued.saved is None


def test_a_library_share_is_said_in_the_deal_rule_s_words() -> None:
    from decimal import Decimal

    from rightsdesk.domain.enums import LibrarySplitRule
    from rightsdesk.services.statement_screen import library_share

    assert library_share("Verano Shorts", LibrarySplitRule.RUNTIME, Decimal(9623)) == \
        "share of Verano Shorts by runtime (this title 2:40:23)"
    assert library_share("Verano Shorts", LibrarySplitRule.EPISODE_COUNT, Decimal(1)) == \
        "share of Verano Shorts by episodes (this title 1 episode)"
    assert library_share("Verano Shorts", LibrarySplitRule.EQUAL, Decimal(1)) == "share of Verano Shorts in equal shares"
