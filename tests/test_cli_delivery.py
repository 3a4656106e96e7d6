"""`rightsdesk statements send` (issue 20) against a real SMTP server on the loopback address."""

import pytest
from sqlalchemy import select

from mail_server import REFUSED, mailing, memory_keyring, smtp_server  # noqa: F401 (fixtures)
from rightsdesk.cli import main
from rightsdesk.domain.enums import DeliveryResult
from rightsdesk.persistence.models import StatementDelivery
from rightsdesk.services import mail_settings


# The command line is a thin layer over services tested on both databases: it runs on SQLite
# (the suite keeps within its 10 minutes on 2 cores).
pytestmark = pytest.mark.sqlite_only


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def configure(database, settings):
    with database.transaction() as session:
        mail_settings.save_settings(session, settings, user="ana", password_given=False)


@pytest.mark.sqlite_only  # the command's side; sending is tested on both databases
def test_a_dry_run_lists_who_gets_what_and_sends_nothing(capsys, database, mailing, smtp_server):
    configure(database, smtp_server.settings())
    code, out, err = run(capsys, "statements", "send", "--period", "2026-Q3", "--dry-run", "--db", database.location)
    assert code == 0, err
    assert "3 statements to send, 0 already sent, 1 without a usable address; 1 draft" in out
    assert "PDF and workbook to li.wei@goldenreel.example" in out
    assert "accounts@bluelotus.example (the party's own address: no contact is ticked to receive statements)" in out
    assert "Silent Partner" in out and "NOT SENT: no email address" in out
    assert "Dry run: nothing was sent" in out
    assert smtp_server.catcher.received == []
    with database.read() as session:
        assert session.scalars(select(StatementDelivery)).all() == []


def test_sending_goes_on_after_a_refused_address_and_exits_non_zero(capsys, database, mailing, smtp_server):
    configure(database, smtp_server.settings())
    code, out, err = run(capsys, "statements", "send", "--period", "2026-Q3", "--db", database.location)
    assert code == 1
    assert "Sent ST-2026-000001 to li.wei@goldenreel.example" in out and "Sent ST-2026-000002" in out
    assert "FAILED ST-2026-000003 (Refused Films): not sent: " in out and "550" in out
    assert "Sent 2 statements for 2026-Q3; 1 failed; 1 without a usable address." in out
    assert "2 statements of 2026-Q3 were not sent" in err
    assert sorted(r for m in smtp_server.catcher.received for r in m.recipients) == [
        "accounts@bluelotus.example", "li.wei@goldenreel.example"]
    with database.read() as session:
        results = sorted((r.recipients, r.result) for r in session.scalars(select(StatementDelivery)))
    assert results == [("accounts@bluelotus.example", DeliveryResult.SENT), ("li.wei@goldenreel.example", DeliveryResult.SENT),
                       (REFUSED, DeliveryResult.FAILED)]

    # Run again: only what did not go is tried; --again sends everything again.
    code, out, _ = run(capsys, "statements", "send", "--period", "2026-Q3", "--db", database.location)
    assert "1 statement to send, 2 already sent" in out and len(smtp_server.catcher.received) == 2
    code, out, _ = run(capsys, "statements", "send", "--period", "2026-Q3", "--again", "--db", database.location)
    assert "3 statements to send" in out and len(smtp_server.catcher.received) == 4


@pytest.mark.sqlite_only  # the command's side; sending is tested on both databases
def test_the_password_comes_from_the_environment(capsys, database, mailing, smtp_server, memory_keyring, monkeypatch):
    configure(database, smtp_server.settings(user="royalties"))
    logins = []
    import smtplib

    monkeypatch.setattr(smtplib.SMTP, "login", lambda self, user, password, **_: logins.append((user, password)))
    monkeypatch.setenv("RIGHTSDESK_SMTP_PASSWORD", "from-the-environment")
    run(capsys, "statements", "send", "--period", "2026-Q3", "--db", database.location)
    assert logins == [("royalties", "from-the-environment")]
    monkeypatch.delenv("RIGHTSDESK_SMTP_PASSWORD")
    code, _, err = run(capsys, "statements", "send", "--period", "2026-Q3", "--again", "--db", database.location)
    assert code == 1 and "no password is kept for royalties" in err and "RIGHTSDESK_SMTP_PASSWORD" in err


@pytest.mark.sqlite_only  # the command's side; sending is tested on both databases
def test_without_a_mail_server_it_says_where_to_set_one(capsys, database, mailing):
    code, out, err = run(capsys, "statements", "send", "--period", "2026-Q3", "--db", database.location)
    assert code == 1 and "no mail server is set" in err
    code, _, err = run(capsys, "statements", "send", "--period", "2027-Q1", "--db", database.location)
    assert code == 1 and "no issued statements for 2027-Q1" in err
