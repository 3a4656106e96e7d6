"""The bank file of a payment run: pain.001.001.03 valid against ISO 20022's schema, for IBAN
and non-IBAN accounts, totals per currency; the CSV and workbook lists."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from lxml import etree
from openpyxl import load_workbook

from rightsdesk.domain.errors import UserError
from rightsdesk.domain.payments import BankDetails
from rightsdesk.reports import payment_file
from rightsdesk.services.payments import Payer, RunPlan, StatementDue, Transfer

NS = {"p": payment_file.NAMESPACE}
PAYER = Payer("Lotus Sales Ltd", "GB29NWBK60161331926819", "NWBKGB2L")


def statement(number, currency, owed, places=2):
    owed = owed.quantize(D("0.000001"))  # as stored: amounts carry six decimals
    return StatementDue(1, number, "IN-1", 1, "x", "2026-Q4", currency, places, date(2027, 1, 10), date(2027, 2, 24),
                        owed, D(0), owed, False)


def plan():
    return RunPlan("2026-Q4 royalties", date(2027, 1, 25), "RD-20270124-1", [
        Transfer("RD-20270124-1-1", 1, "Golden Reel", "DE", "Hauptstr. 1\n10115 Berlin", "EUR", 2,
                 BankDetails(iban="DE89370400440532013000", bic="COBADEFFXXX"),
                 (statement("ST-2027-000001", "EUR", D("7650.00")), statement("ST-2027-000002", "EUR", D("100.50")))),
        Transfer("RD-20270124-1-2", 2, "星光影业", "CN", "", "USD", 2,
                 BankDetails(account_number="6222020200112233445", bank_code="102100099996", bank_name="ICBC Beijing",
                             account_holder="Xingguang Film Co"),
                 (statement("ST-2027-000003", "USD", D("1234.56")),)),
        Transfer("RD-20270124-1-3", 3, "Tokyo Shorts", "JP", "", "JPY", 0,
                 BankDetails(account_number="1234567", bank_code="0005-123", bic="BOTKJPJT"),
                 (statement("ST-2027-000004", "JPY", D("98000"), 0),)),
    ])


def test_the_bank_file_passes_the_pain_001_schema_and_says_every_transfer():
    content = payment_file.pain001(plan(), PAYER, created=datetime(2027, 1, 24, 9, tzinfo=UTC))
    assert payment_file.validate(content) == []
    root = etree.fromstring(content)
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "106985.06"
    blocks = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)
    assert [(b.findtext("p:CtrlSum", namespaces=NS), b.findtext("p:NbOfTxs", namespaces=NS)) for b in blocks] == [
        ("7750.50", "1"), ("98000", "1"), ("1234.56", "1")]
    assert blocks[0].findtext("p:ChrgBr", namespaces=NS) == "SLEV"  # EUR to an IBAN: SEPA
    assert blocks[2].findtext("p:ChrgBr", namespaces=NS) == "SHAR"
    eur = blocks[0].find("p:CdtTrfTxInf", namespaces=NS)
    assert eur.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "DE89370400440532013000"
    assert eur.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "Royalties ST-2027-000001, ST-2027-000002"
    usd = blocks[2].find("p:CdtTrfTxInf", namespaces=NS)
    assert usd.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "6222020200112233445"
    assert usd.findtext("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId", namespaces=NS) == "102100099996"
    assert usd.findtext("p:Cdtr/p:Nm", namespaces=NS) == "Xingguang Film Co"
    assert usd.find("p:Amt/p:InstdAmt", namespaces=NS).get("Ccy") == "USD"


def test_the_schema_check_catches_a_broken_file():
    content = payment_file.pain001(plan(), PAYER)
    broken = content.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>WIRE</PmtMtd>")
    assert any("PmtMtd" in problem for problem in payment_file.validate(broken))


def test_a_bank_file_needs_the_account_paid_from():
    with pytest.raises(UserError, match="account to pay from"):
        payment_file.pain001(plan(), Payer("Lotus", ""))


def test_the_lists_give_every_transfer_and_a_total_per_currency():
    rows = list(csv.reader(io.StringIO(payment_file.payment_list_csv(plan()).decode("utf-8-sig"))))
    assert rows[0][:4] == ["reference", "participant", "account_holder", "iban_or_account_number"]
    assert rows[2][1:4] == ["星光影业", "Xingguang Film Co", "6222020200112233445"]
    assert [r for r in rows if r[0] == "TOTAL"] == [
        ["TOTAL", "", "", "", "", "", "", "", "EUR", "7750.50", "2027-01-25", ""],
        ["TOTAL", "", "", "", "", "", "", "", "JPY", "98000", "2027-01-25", ""],
        ["TOTAL", "", "", "", "", "", "", "", "USD", "1234.56", "2027-01-25", ""]]
    book = load_workbook(io.BytesIO(payment_file.payment_list_workbook(plan())))
    assert book["Transfers"]["J2"].value == D("7750.50") or float(book["Transfers"]["J2"].value) == 7750.5
    assert book["Totals"]["C2"].value.startswith("=SUMIF(")
    assert (book["Transfers"]["J2"].number_format, book["Transfers"]["J4"].number_format) == ("#,##0.00", "#,##0")  # EUR, JPY
    from pycel import ExcelCompiler
    compiled = ExcelCompiler(excel=book)
    assert [compiled.evaluate(f"Totals!C{r}") for r in (2, 3, 4)] == [7750.5, 98000, 1234.56]
