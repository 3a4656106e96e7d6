"""Remittance advice: what was paid, for which statements, how, in the statement's letterhead;
names in any script read back."""

import subprocess
from datetime import date
from decimal import Decimal as D

import pytest

from rightsdesk.reports.remittance_pdf import remittance_pdf
from rightsdesk.services.remittance import AdviceLine, RemittanceAdvice
from rightsdesk.services.statement_documents import Letterhead

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
                                reason="poppler-utils (pdftotext) is not installed")


def advice(participant="Golden Reel"):
    return RemittanceAdvice("RD-20270124-1-1", date(2027, 1, 25), "Bank transfer", "USD", 2,
                            Letterhead("Lotus Sales Ltd", "1 Harbour Road\nHong Kong"), participant, "Beijing",
                            "IBAN DE•••• 3000",
                            (AdviceLine("ST-2027-000001", "IN-1", "2026-Q4", date(2027, 1, 10), D("7650.00"), D("650.00"),
                                        D("7000.00"), D(0)),
                             AdviceLine("ST-2027-000002", "IN-2", "2026-Q4", date(2027, 1, 10), D("1200.00"), D(0),
                                        D("1000.00"), D("200.00"))), "2026-Q4 royalties", "Golden Reel Film Co Ltd")


def text_of(content, tmp_path):
    path = tmp_path / "advice.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_advice_says_what_was_paid_for_which_statements_and_how(tmp_path):
    text = text_of(remittance_pdf(advice()), tmp_path)
    for expected in ("Lotus Sales Ltd", "Remittance advice", "Paid to Golden Reel", "Date paid 2027-01-25",
                     "Method Bank transfer", "To account IBAN DE•••• 3000", "Account holder Golden Reel Film Co Ltd",
                     "Amount 8,000.00 USD",
                     "ST-2027-000001 IN-1 2026-Q4 7,650.00 650.00 7,000.00 0.00",
                     "ST-2027-000002 IN-2 2026-Q4 1,200.00 0.00 1,000.00 200.00", "Total 8,000.00", "Page 1 of 1"):
        assert expected in text, expected
    assert "5300" not in text  # the account number is never printed whole


def test_a_name_in_another_script_is_printed_and_the_file_is_repeatable(tmp_path):
    content = remittance_pdf(advice("星光影业"))
    assert "星光影业" in text_of(content, tmp_path)
    assert content == remittance_pdf(advice("星光影业"))
    assert advice("a/b\u202ec").file_name == "2027-01-25_a bc_RD-20270124-1-1.pdf"
