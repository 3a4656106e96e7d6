"""The statement PDF read back: every figure of the engine, the DRAFT mark, hostile names."""

import subprocess
from decimal import Decimal as D

import pytest
from sqlalchemy import text

from rightsdesk.persistence.models import Party, Statement
from rightsdesk.reports.statement_pdf import amount, statement_pdf
from rightsdesk.services import issuing, statement_documents, statements

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
                                reason="poppler-utils (pdftotext) is not installed")


def text_of(content: bytes, tmp_path) -> str:
    path = tmp_path / "statement.pdf"
    path.write_bytes(content)
    # -raw: text in the order it is drawn, so a label and its amount stay on one line
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def q3(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000.00", "THB"),
                                                ("2026-08", "US", "T000001", "15000.00", "USD"),
                                                ("2026-09", "BR", "T000002", "15000.00", "USD")], "q3.csv")
    with database.transaction() as session:
        return statements.run(session, "2026-Q3", user="ana").statements[0]


def test_every_figure_of_the_waterfall_is_on_the_pdf(database, q3, tmp_path):
    with database.read() as session:
        document = statement_documents.load_document(session, q3)
        statement = session.get(Statement, q3)
    shown = text_of(statement_pdf(document), tmp_path)
    for label, value in (("Gross receipts", statement.gross_receipts), ("Distribution fee", statement.distribution_fee),
                         ("Net receipts", statement.net_receipts), ("Participant share", statement.participant_share),
                         ("Minimum guarantee recouped", statement.mg_recouped), ("Payable", statement.payable),
                         ("Paid", statement.paid)):
        assert f"{label} {amount(value, 2)}" in shown.splitlines(), label
    assert "40,000.00" in shown and "10,000.00" in shown and "25,000.00" in shown
    assert "THB" in shown and "0.025" in shown and "2026-09-30" in shown  # the rate used and its date
    assert "DRAFT" in shown and "Page 1 of 2" in shown
    # the statement explains itself: the fee rate, the tier, the MG payment, the expenses beyond the cap
    for step in ("Distribution fee 25 % of 40,000.00", "Share 60 % of 25,000.00", "Minimum guarantee paid 2026-01-10",
                 "Expenses beyond the cap, borne by the sales house 1,000.00"):
        assert step in shown, step
    assert "20,000.00" in shown and "5,000.00" in shown  # MG outstanding, opening and closing


def test_an_issued_statement_has_its_number_and_no_draft_mark(database, q3, tmp_path):
    with database.transaction() as session:
        number = issuing.issue(session, q3, user="ana")
    with database.read() as session:
        shown = text_of(statement_pdf(statement_documents.load_document(session, q3)), tmp_path)
    assert number in shown and "DRAFT" not in shown


def test_hostile_names_and_long_tables(database, q3, tmp_path):
    hostile = "=HYPERLINK(\"x\") <b>&amp; العربية 中文 ไทย " + "Ж" * 300
    with database.transaction() as session:
        session.query(Party).filter(Party.id == session.get(Statement, q3).participant_id).update({"name": hostile})
        session.execute(text("UPDATE statement_line SET description = description || ' <i>&'"))
    with database.read() as session:
        document = statement_documents.load_document(session, q3)
    document.lines = document.lines * 60  # a long detail table runs over several pages
    shown = text_of(statement_pdf(document), tmp_path)
    assert "=HYPERLINK" in shown and "<b>&amp;" in shown and "中文" in shown and " <i>&" in shown
    assert "Page 1 of " in shown and shown.count("Amount (USD)") >= 3  # the header repeats on every page


def test_amounts_follow_the_currency_minor_units():
    assert amount(D("1234.5"), 2) == "1,234.50"
    assert amount(D("1234"), 0) == "1,234"
    assert amount(D("-3.25"), 3) == "(3.250)"


@pytest.mark.parametrize("title", [
    "La heredera oculta del rey de la mafia Temporada 2 " * 3,  # one script, wraps in its column
    "王者归来的逃跑新娘 第3季 The Runaway Bride of the Returning King, Season Three",  # mixed scripts, must wrap
])
def test_every_detail_line_is_on_the_pdf_whatever_its_title(database, q3, tmp_path, title):
    from dataclasses import replace

    with database.read() as session:
        document = statement_documents.load_document(session, q3)
    document.lines = [replace(line, title=title) for line in document.lines] * 40
    shown = " ".join(text_of(statement_pdf(document), tmp_path).split())
    receipts = [line for line in document.lines if line.kind.value == "gross_receipts"]
    assert shown.count(" ".join(title.split()[-2:])) >= len(receipts)
    assert shown.count(amount(receipts[0].amount, 2)) >= 40
