"""The general-ledger journal of a period, as CSV and as a workbook whose totals recalculate."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pycel import ExcelCompiler

from rightsdesk.persistence.models import Statement
from rightsdesk.reports.journal import journal_csv, journal_workbook
from rightsdesk.services import issuing, statement_documents, statements


@pytest.fixture
def issued(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "40000.00", "USD")], "q3.csv")
    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    with database.transaction() as session:
        ids = []
        for period in ("2026-Q3", "2026-Q4"):
            ran = statements.run(session, period, user="ana").statements[0]
            issuing.issue(session, ran, user="ana", on=statements.parse_label(period)[1])
            ids.append(ran)
    with database.read() as session:
        return [statement_documents.load_document(session, i) for i in ids], [session.get(Statement, i) for i in ids]


def test_csv_entries_balance_and_carry_the_statement_figures(issued):
    documents, engine = issued
    rows = list(csv.DictReader(io.StringIO(journal_csv(documents).decode("utf-8-sig"))))
    assert list(rows[0]) == ["date", "reference", "account", "account_name", "debit", "credit", "currency", "description"]
    for statement in engine:
        entry = [r for r in rows if r["reference"] == statement.number]
        assert entry and all(r["date"] == statement.issued_on.isoformat() for r in entry)  # the local issue date
        assert sum(Decimal(r["debit"]) for r in entry) == sum(Decimal(r["credit"]) for r in entry)
        paid = [Decimal(r["credit"]) for r in entry if r["account"] == "2100"]
        assert paid == ([statement.paid] if statement.paid else [])
        expense = next(r for r in entry if r["account"] == "5100")
        assert Decimal(expense["debit"]) == statement.participant_share
    # Q4 of the worked example: 850 withholding tax
    q4 = [r for r in rows if r["reference"] == engine[1].number]
    assert next(r for r in q4 if r["account"] == "2200")["credit"] == "850.00"


def test_workbook_totals_recalculate_to_the_journal(issued, tmp_path):
    documents, engine = issued
    path = tmp_path / "journal.xlsx"
    path.write_bytes(journal_workbook(documents))
    sheet = load_workbook(path)["Journal"]
    assert sheet.freeze_panes == "A2" and sheet.cell(2, 1).is_date
    assert sheet.cell(2, 5).number_format.startswith("#,##0.00")
    last = sheet.max_row
    assert sheet.cell(last, 4).value == "Total USD" and str(sheet.cell(last, 5).value).startswith("=SUMIF(")
    computed = ExcelCompiler(filename=str(path))
    debit = sum(float(sheet.cell(r, 5).value) for r in range(2, last - 1))
    assert round(computed.evaluate(f"Journal!E{last}"), 2) == round(debit, 2) == round(computed.evaluate(f"Journal!F{last}"), 2)
    assert computed.evaluate(f"Journal!H{last}") == "balanced"


def test_hostile_participant_names_stay_text(database, issued, tmp_path):
    documents, _ = issued
    hostile = [d.__class__(**{**d.__dict__, "participant": "=HYPERLINK(\"http://x\")\x07 <b>&"}) for d in documents]
    rows = list(csv.reader(io.StringIO(journal_csv(hostile).decode("utf-8-sig"))))
    assert all(not row[7].startswith("=") for row in rows[1:])
    path = tmp_path / "journal.xlsx"
    path.write_bytes(journal_workbook(hostile))
    sheet = load_workbook(path)["Journal"]
    assert sheet.cell(2, 8).data_type == "s" and "\x07" not in sheet.cell(2, 8).value
