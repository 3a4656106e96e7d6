"""The month-end on the command line: import, run, issue, correct, the next period. Values
worked by hand from DOMAIN.md's worked example (the `worked` deal: MG 20 000 paid at signing,
fee 25 %, cap 5 000, share 60 %, withholding 10 %, 6 000 of expenses in 2026-Q3)."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from rightsdesk.cli import main
from rightsdesk.persistence.models import StatementAdjustment

MAP = ("--map", "period=Month", "--map", "title_id=Series", "--map", "territory=Country",
       "--map", "gross_amount=Revenue", "--map", "currency=Currency")


# The command line is a thin layer over services tested on both databases: it runs on SQLite
# (the suite keeps within its 10 minutes on 2 cores).
pytestmark = pytest.mark.sqlite_only


def cli(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def report(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("Month,Series,Country,Revenue,Currency\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_quarter_end_to_end_through_the_commands(capsys, database, worked, tmp_path):
    db = ("--db", database.location)
    rates = tmp_path / "rates.csv"
    rates.write_text("date,base,quote,rate\n2026-09-30,USD,THB,40\n", encoding="utf-8")
    cli(capsys, "fx", "import", rates, *db)
    q3 = report(tmp_path, "q3.csv", [("2026-07", "T000001", "TH", "400000", "THB"), ("2026-08", "T000001", "US", "15000", "USD"),
                                     ("2026-09", "T000002", "BR", "15000", "USD"), ("2026-09", "NOT-OURS", "US", "123.45", "USD")])
    cli(capsys, "revenue", "import", q3, "--source", "ShortMax", *MAP, *db)
    text = cli(capsys, "statements", "run", "--period", "2026-Q3", *db)
    assert "USD: imported 30123.45 = on statements 30000.00 + listed 123.45 (all periods)" in text
    assert "On no statement: 1 line — 1 × no title matched" in text
    run = json.loads(cli(capsys, "statements", "run", "--period", "2026-Q3", "--json", *db))
    [statement] = run["statements"]
    assert {k: statement[k] for k in ("gross_receipts", "distribution_fee", "expenses_recouped", "expenses_borne",
                                      "net_receipts", "participant_share", "mg_recouped", "payable", "paid")} == {
        "gross_receipts": "40000.00", "distribution_fee": "10000.00", "expenses_recouped": "5000.00",
        "expenses_borne": "1000.00", "net_receipts": "25000.00", "participant_share": "15000.00",
        "mg_recouped": "15000.00", "payable": "0.00", "paid": "0.00"}
    assert Decimal(statement["mg_paid"]) == 20000 and Decimal(statement["mg_outstanding"]) == 5000 and Decimal(statement["balances"]["opening_mg_outstanding"]) == 0
    assert {c: {k: Decimal(v) for k, v in f.items()} for c, f in run["reconciliation"].items()} == {
        "THB": {"imported": 400000, "on_statements": 400000, "listed": 0},
        "USD": {"imported": Decimal("30123.45"), "on_statements": 30000, "listed": Decimal("123.45")}}
    [unlisted] = run["not_on_a_statement"]
    assert (unlisted["identifier"], unlisted["reason"], Decimal(unlisted["amount"])) == ("NOT-OURS", "no title matched", Decimal("123.45"))

    issued = json.loads(cli(capsys, "statements", "issue", "--period", "2026-Q3", "--date", "2026-10-05", "--json", *db))
    assert issued["issued"] == [{"deal": "IN-1", "number": "ST-2026-000001", "issued_on": "2026-10-05"}]
    assert (issued["backup"] is None) == (database.path is None)  # a file is copied before it is issued
    cli(capsys, "statements", "adjust", "ST-2026-000001", "--amount", "-250.00", "--reason", "refund reported late", *db)
    with database.read() as session:
        assert session.scalar(select(StatementAdjustment.amount)) == Decimal("-250.00")

    q4 = report(tmp_path, "q4.csv", [("2026-10", "T000001", "US", "30000", "USD"), ("2026-09", "T000002", "US", "1000", "USD")])
    out = cli(capsys, "revenue", "import", q4, "--source", "ShortMax", *MAP, *db)
    assert "1 line fall in periods already issued" in out and "IN-1" in out
    [q4_statement] = json.loads(cli(capsys, "statements", "run", "--period", "2026-Q4", "--json", *db))["statements"]
    # GR 31 000 (1 000 of it late), fee 7 750, NR 23 250, share 13 950: 5 000 recoups the MG,
    # the correction takes 250, payable 8 700, withholding 870, paid 7 830.
    assert {k: Decimal(q4_statement[k]) for k in ("gross_receipts", "participant_share", "mg_recouped", "adjustments",
                                                   "payable", "withholding", "paid")} == {
        "gross_receipts": 31000, "participant_share": 13950, "mg_recouped": 5000, "adjustments": -250,
        "payable": 8700, "withholding": 870, "paid": 7830}
    listing = json.loads(cli(capsys, "statements", "list", "--json", *db))
    assert [(s["period"], s["status"], s["number"]) for s in listing] == [
        ("2026-Q3", "issued", "ST-2026-000001"), ("2026-Q4", "draft", None)]
    assert listing[0]["issued_on"] == "2026-10-05"


def test_an_adjustment_needs_an_unambiguous_amount_and_an_issued_statement(capsys, database, worked):
    assert main(["statements", "adjust", "ST-2026-000009", "--amount", "12", "--reason", "x", "--db", database.location]) == 1
    assert "no issued statement numbered 'ST-2026-000009'" in capsys.readouterr().err
    try:
        main(["statements", "adjust", "ST-2026-000009", "--amount", "1.234,50", "--reason", "x", "--db", database.location])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "is not an amount" in capsys.readouterr().err


def test_issuing_a_period_with_nothing_drafted_says_what_to_do(capsys, database, worked):
    assert main(["statements", "issue", "--period", "2026-Q3", "--db", database.location]) == 1
    assert "run the period first" in capsys.readouterr().err
