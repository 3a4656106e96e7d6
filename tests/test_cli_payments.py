"""`rightsdesk payments record | run | list` on DOMAIN.md's worked example (2026-Q4 asks
7 650.00 USD, issued 2027-01-10, due 45 days later); a run killed midway pays nothing."""

import json
import os
import signal
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from sqlalchemy import func, select

from rightsdesk.cli import main
from rightsdesk.persistence.models import Payment, PaymentRun
from rightsdesk.reports import payment_file
from rightsdesk.services import payments

from payment_fixtures import paid_quarter  # noqa: F401  (a fixture)

PAYER = ("--from-iban", "GB29 NWBK 6016 1331 9268 19", "--from-bic", "NWBKGB2L")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The worked example's statements are issued in 2027: today is after that."""
    monkeypatch.setattr(payments, "today", lambda: date(2027, 3, 1))


def cli(capsys, *args, code=0):
    result = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert result == code, err
    return out if code == 0 else err


def test_record_then_list_what_is_paid_and_owed(capsys, database, paid_quarter, tmp_path):
    db = ("--db", database.location)
    number = paid_quarter["number"]
    out = cli(capsys, "payments", "record", number, "--amount", "5000.00", "--date", "2027-01-15", "--reference", "TRX-1",
              "--remittance", tmp_path / "advice.pdf", *db)
    assert f"Recorded 5000.00 USD paid on {number} on 2027-01-15; 2650.00 USD still owed." in out
    assert (tmp_path / "advice.pdf").read_bytes().startswith(b"%PDF")
    err = cli(capsys, "payments", "record", number, "--amount", "3000", "--date", "2027-01-16", *db, code=1)
    assert "2,650.00 USD still owed" in err and "overpayment" in err
    [owed] = json.loads(cli(capsys, "payments", "list", "--owed", "--json", *db))
    assert {k: owed[k] for k in ("statement", "to_pay", "paid", "owed", "due_on")} == {
        "statement": number, "to_pay": "7650.00", "paid": "5000.00", "owed": "2650.00", "due_on": "2027-02-24"}
    [paid] = json.loads(cli(capsys, "payments", "list", "--json", *db))
    assert (paid["amount"], paid["reference"], paid["method"]) == ("5000.00", "TRX-1", "bank_transfer")
    assert "TRX-1" in cli(capsys, "payments", "list", "--period", "2026-Q4", *db)


def test_a_run_writes_a_valid_bank_file_and_a_list_then_marks_the_statements_paid(capsys, database, paid_quarter, tmp_path):
    db = ("--db", database.location)
    files = ("--pain", tmp_path / "run.xml", "--csv", tmp_path / "run.csv", "--remittance", tmp_path / "advice")
    out = cli(capsys, "payments", "run", "--period", "2026-Q4", "--date", "2027-01-25", "--dry-run", *files[:2],
              "--csv", tmp_path / "dry.csv", *db, code=1)
    assert "account to pay from has no IBAN" in out
    out = cli(capsys, "payments", "run", "--period", "2026-Q4", "--date", "2027-01-25", *files, *PAYER, *db)
    assert "1 statement paid, 7650.00 USD" in out and "IBAN DE•••• 3000" in out
    content = (tmp_path / "run.xml").read_bytes()
    assert payment_file.validate(content) == []
    amount = etree.fromstring(content).find(".//{*}InstdAmt")
    assert (amount.text, amount.get("Ccy")) == ("7650.00", "USD")
    assert "Golden Reel" in (tmp_path / "run.csv").read_text(encoding="utf-8-sig")
    [advice] = (tmp_path / "advice").iterdir()
    assert advice.suffix == ".pdf" and advice.read_bytes().startswith(b"%PDF")
    assert json.loads(cli(capsys, "payments", "list", "--owed", "--json", *db)) == []
    err = cli(capsys, "payments", "run", "--period", "2026-Q4", "--date", "2027-01-25", "--csv", tmp_path / "again.csv", *db,
              code=1)
    assert "nothing is owed" in err and not (tmp_path / "again.csv").exists()


def test_a_run_whose_file_cannot_be_written_records_nothing_and_can_be_run_again(capsys, database, paid_quarter,
                                                                                 tmp_path, monkeypatch):
    db = ("--db", database.location)
    monkeypatch.chdir(tmp_path)
    os.makedirs("kr2/adir")
    err = cli(capsys, "payments", "run", "--period", "2026-Q4", "--date", "2027-01-25", "--csv", "kr2/list.csv",
              "--pain", "kr2/adir", *PAYER, *db, code=1)
    assert "kr2/adir: it is a folder" in err
    assert sorted(os.listdir("kr2")) == ["adir"]  # neither the list nor a partial file
    [owed] = json.loads(cli(capsys, "payments", "list", "--owed", "--json", *db))
    assert owed["owed"] == "7650.00"  # nothing recorded: the run can be made again
    out = cli(capsys, "payments", "run", "--period", "2026-Q4", "--date", "2027-01-25", "--csv", "kr2/list.csv",
              "--pain", "kr2/run.xml", *PAYER, *db)
    assert "Wrote kr2/run.xml" in out and "Wrote kr2/list.csv" in out
    assert sorted(os.listdir("kr2")) == ["adir", "list.csv", "run.xml"]


def test_a_remittance_advice_that_cannot_be_written_is_found_before_the_payment_is_recorded(capsys, database,
                                                                                            paid_quarter, tmp_path):
    db = ("--db", database.location)
    number = paid_quarter["number"]
    out = cli(capsys, "payments", "record", number, "--amount", "100", "--date", "2027-01-15",
              "--remittance", tmp_path / "d1rem" / "one.pdf", *db)  # a folder not there yet is made
    assert "Recorded 100.00 USD" in out and (tmp_path / "d1rem" / "one.pdf").read_bytes().startswith(b"%PDF")
    (tmp_path / "afile").write_text("x")
    err = cli(capsys, "payments", "record", number, "--amount", "100", "--date", "2027-01-15",
              "--remittance", tmp_path / "afile" / "two.pdf", *db, code=1)
    assert "cannot write" in err and "two.pdf" in err
    [paid] = json.loads(cli(capsys, "payments", "list", "--json", *db))  # the first payment only
    assert paid["amount"] == "100.00"


def test_a_remittance_advice_not_put_in_place_after_the_payment_is_recorded_says_so(capsys, database, paid_quarter,
                                                                                   tmp_path, monkeypatch):
    from rightsdesk.services import payment_runs

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(payment_runs.os, "replace", refuse)
    err = cli(capsys, "payments", "record", paid_quarter["number"], "--amount", "100", "--date", "2027-01-15",
              "--remittance", tmp_path / "one.pdf", "--db", database.location, code=1)
    assert "IS recorded (do not record it again)" in err and "Payments tab" in err and "one.pdf.partial" in err
    assert len(json.loads(cli(capsys, "payments", "list", "--json", "--db", database.location))) == 1


def test_a_payment_dated_in_the_future_is_refused(capsys, database, paid_quarter):
    err = cli(capsys, "payments", "record", paid_quarter["number"], "--amount", "100", "--date", "2030-04-01",
              "--db", database.location, code=1)
    assert "2030-04-01 is in the future" in err
    assert json.loads(cli(capsys, "payments", "list", "--json", "--db", database.location)) == []


CHILD = """
import os, sys, time
from sqlalchemy import event, text
from sqlalchemy.orm import Session

@event.listens_for(Session, "before_commit")
def pause(session):
    # the run's one transaction is about to commit: its payments are written, uncommitted
    session.flush()
    if session.execute(text("SELECT count(*) FROM payment")).scalar():
        print("writing", flush=True)
        time.sleep(60)

from rightsdesk.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_payment_run_killed_midway_leaves_no_statement_paid(database, paid_quarter, tmp_path):
    with database.transaction() as session:
        payments.save_payer_account(session, "GB29NWBK60161331926819", "NWBKGB2L")
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script), "payments", "run", "--period", "2026-Q4", "--date",
                              "2027-01-25", "--pain", str(tmp_path / "run.xml"), "--db", database.location],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
                             cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        line = child.stdout.readline().strip()
        assert line == "writing", child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with database.read() as session:
        assert session.scalar(select(func.count(Payment.id))) == 0
        assert session.scalar(select(func.count(PaymentRun.id))) == 0
        [due] = payments.standing(session, today=date(2027, 1, 26), statement_ids=[paid_quarter["q4"]])
    assert due.owed == Decimal("7650.00")
    assert not (tmp_path / "run.xml").exists()  # the bank file is put in place only once the run is recorded
