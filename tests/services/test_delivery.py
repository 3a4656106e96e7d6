"""Statements by email (issue 20), against a real SMTP server on the loopback address."""

from contextlib import closing
from decimal import Decimal

import pytest
from sqlalchemy import select

from mail_server import REFUSED, mailing, memory_keyring, secure_smtp_server, smtp_server  # noqa: F401 (fixtures)
from rightsdesk.domain.delivery import MailSettings
from rightsdesk.domain.enums import DeliveryResult
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.persistence.models import AppSetting, AuditEntry, StatementDelivery
from rightsdesk.reports.statement_mail import attachments
from rightsdesk.services import delivery, mail_settings


def plan(database, **options):
    with database.read() as session:
        return delivery.plan_period(session, "2026-Q3", **options)


def send_all(database, settings, items, password=None):
    return list(delivery.send(database, items, settings, password, attachments, user="ana"))


def logged(database):
    with database.read() as session:
        return session.scalars(select(StatementDelivery).order_by(StatementDelivery.id)).all()


def test_the_plan_says_who_gets_what_and_lists_a_participant_with_no_address(database, mailing):
    found = plan(database)
    by_name = {item.participant: item for item in found.items}
    assert list(by_name) == ["Blue Lotus", "Golden Reel", "Refused Films", "Silent Partner"]  # drafts are never sent
    assert found.drafts == 1
    assert by_name["Golden Reel"].recipients == ("li.wei@goldenreel.example",)  # the ticked contact only
    assert by_name["Golden Reel"].workbook and not by_name["Blue Lotus"].workbook
    assert by_name["Blue Lotus"].recipients == ("accounts@bluelotus.example",) and by_name["Blue Lotus"].to_party_address
    assert "no contact is ticked" in by_name["Blue Lotus"].where
    assert by_name["Silent Partner"].problem.startswith("no email address") and not by_name["Silent Partner"].will_send
    assert [i.participant for i in found.to_send] == ["Blue Lotus", "Golden Reel", "Refused Films"]
    assert [i.participant for i in found.without_address] == ["Silent Partner"]


def test_each_participant_gets_its_own_statement_and_a_refused_address_does_not_stop_the_others(
        database, mailing, smtp_server, pdf_text):
    settings = smtp_server.settings()
    outcomes = send_all(database, settings, plan(database).items)
    assert [(o.participant, o.result) for o in outcomes] == [
        ("Blue Lotus", DeliveryResult.SENT), ("Golden Reel", DeliveryResult.SENT), ("Refused Films", DeliveryResult.FAILED)]
    assert "550" in outcomes[2].error and "No such mailbox" in outcomes[2].error

    received = smtp_server.catcher.received
    assert len(received) == 2
    reel = smtp_server.catcher.to("li.wei@goldenreel.example")
    assert reel.recipients == ["li.wei@goldenreel.example"] and reel.sender == "royalties@sales.example"
    assert reel.message["Subject"] == "Royalty statement ST-2026-000001 for 2026-Q3"
    assert "Dear Golden Reel," in reel.message.get_body().get_content()
    assert "USD 7,650.00" in reel.message.get_body().get_content()
    name, pdf = reel.attachment(".pdf")
    assert name == "2026-Q3_Golden Reel_ST-2026-000001.pdf" and pdf.startswith(b"%PDF")
    assert "Golden Reel" in pdf_text(pdf) and "ST-2026-000001" in pdf_text(pdf)
    assert reel.attachment(".xlsx")[1].startswith(b"PK")  # the party asked for the workbook
    lotus = smtp_server.catcher.to("accounts@bluelotus.example")
    assert "Blue Lotus" in pdf_text(lotus.attachment(".pdf")[1])
    assert [p.get_filename() for p in lotus.message.iter_attachments()] == ["2026-Q3_Blue Lotus_ST-2026-000002.pdf"]

    rows = logged(database)
    assert [(r.statement_id, r.result, r.recipients) for r in rows] == [
        (mailing["Blue Lotus"], DeliveryResult.SENT, "accounts@bluelotus.example"),
        (mailing["Golden Reel"], DeliveryResult.SENT, "li.wei@goldenreel.example"),
        (mailing["Refused Films"], DeliveryResult.FAILED, REFUSED)]
    assert rows[1].message_id == reel.message["Message-ID"] and rows[1].sent_by == "ana"
    assert rows[1].attachments == "2026-Q3_Golden Reel_ST-2026-000001.pdf, 2026-Q3_Golden Reel_ST-2026-000001.xlsx"
    assert rows[2].message_id == "" and "550" in rows[2].error

    # Sending the period again sends only what has not gone: the refused one is tried again.
    again = plan(database)
    assert [i.participant for i in again.to_send] == ["Refused Films"]
    assert [i.participant for i in again.already_sent] == ["Blue Lotus", "Golden Reel"]
    assert again.items[1].last.result is DeliveryResult.SENT


def test_the_amount_is_what_the_statement_asks_to_be_paid_with_payables_carried(database, mailing, smtp_server):
    from rightsdesk.persistence.models import Statement

    with database.transaction() as session:
        session.get(Statement, mailing["Blue Lotus"]).brought_forward = Decimal("99.50")  # under the minimum last time
    lotus = next(i for i in plan(database).items if i.participant == "Blue Lotus")
    assert lotus.amount == Decimal("1300.00")
    send_all(database, smtp_server.settings(body="{participant}: {amount}"), [lotus])
    assert smtp_server.catcher.received[0].message.get_body().get_content().strip() == "Blue Lotus: USD 1,300.00"


def test_a_statement_is_resent_on_request_and_each_attempt_is_logged(database, mailing, smtp_server):
    settings = smtp_server.settings()
    send_all(database, settings, plan(database).items)
    with database.read() as session:
        item = delivery.plan_statement(session, mailing["Golden Reel"])
    assert item.will_send and item.sent_before is not None
    [outcome] = send_all(database, settings, [item])
    assert outcome.result is DeliveryResult.SENT
    with database.read() as session:
        log = delivery.delivery_log(session, mailing["Golden Reel"])
    assert [entry.result for entry in log] == [DeliveryResult.SENT, DeliveryResult.SENT]
    assert log[0].message_id != log[1].message_id
    assert len([r for r in smtp_server.catcher.received if "li.wei@goldenreel.example" in r.recipients]) == 2
    with database.read() as session, pytest.raises(UserError, match="is a draft"):
        delivery.plan_statement(session, mailing["Draft Studio"])


@pytest.mark.sqlite_only  # the mail side; the database side is tested on both
def test_stopping_part_way_keeps_the_log_of_what_went(database, mailing, smtp_server):
    sending = delivery.send(database, plan(database).items, smtp_server.settings(), None, attachments, user="ana")
    with closing(sending):
        first = next(sending)
    assert first.participant == "Blue Lotus"
    assert [r.statement_id for r in logged(database)] == [mailing["Blue Lotus"]]
    assert len(smtp_server.catcher.received) == 1


@pytest.mark.sqlite_only  # the mail side; the database side is tested on both
def test_some_addresses_refused_while_others_take_it_is_sent_and_says_which(database, mailing, smtp_server):
    item = next(i for i in plan(database).items if i.participant == "Golden Reel")
    from dataclasses import replace

    [outcome] = send_all(database, smtp_server.settings(), [replace(item, recipients=(item.recipients[0], REFUSED))])
    assert outcome.result is DeliveryResult.SENT and REFUSED in outcome.error and "550" in outcome.error
    assert smtp_server.catcher.received[0].recipients == ["li.wei@goldenreel.example"]


@pytest.mark.sqlite_only  # the mail side; the database side is tested on both
def test_a_template_with_an_unknown_placeholder_sends_nothing(database, mailing, smtp_server):
    with pytest.raises(ValidationError, match=r"\{payee\} is not a placeholder"):
        send_all(database, smtp_server.settings(body="Dear {payee}"), plan(database).items)
    assert logged(database) == [] and smtp_server.catcher.received == []


@pytest.mark.sqlite_only  # the mail side; the database side is tested on both
def test_a_server_that_cannot_be_reached_says_so_before_anything_is_logged(database, mailing, smtp_server):
    settings = smtp_server.settings(port=smtp_server.port + 1 if smtp_server.port < 65535 else 1)
    with pytest.raises(delivery.ServerUnreachable, match="cannot reach the mail server 127.0.0.1"):
        send_all(database, settings, plan(database).items)
    assert logged(database) == []


def test_settings_are_shared_and_the_password_stays_in_the_keyring(database, memory_keyring, smtp_server):
    settings = smtp_server.settings(user="royalties", subject="Your {period} statement")
    with database.transaction() as session:
        mail_settings.save_settings(session, settings, user="ana", password_given=True)
    mail_settings.store_password(settings, "s3cret-Pa55")
    with database.read() as session:
        assert mail_settings.load_settings(session) == settings
        stored = [str(value) for value in session.scalars(select(AppSetting.value))]
        audited = [str(e.after) for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "app_setting"))]
    assert stored and audited and not any("s3cret" in text for text in stored + audited)
    assert list(memory_keyring.passwords.values()) == ["s3cret-Pa55"]
    assert mail_settings.stored_password(settings) == "s3cret-Pa55"
    mail_settings.store_password(settings, "")
    assert mail_settings.stored_password(settings) is None


def test_the_command_line_password_comes_from_the_environment_first(memory_keyring, monkeypatch):
    settings = MailSettings(host="smtp.example.com", user="royalties", sender="r@sales.example")
    mail_settings.store_password(settings, "from-keyring")
    monkeypatch.setenv(mail_settings.PASSWORD_VARIABLE, "from-environment")
    assert mail_settings.stored_password(settings) == "from-environment"


def test_bad_settings_are_refused_whole(database):
    with database.transaction() as session, pytest.raises(ValidationError) as refused:
        mail_settings.save_settings(session, MailSettings(host="", sender="not an address", body="{oops"), user="ana")
    assert [p.where for p in refused.value.problems] == ["Server", "From", "Message"]
    with database.read() as session:
        assert session.scalars(select(AppSetting)).all() == []


@pytest.mark.sqlite_only  # the mail side; the database side is tested on both
def test_a_test_message_reaches_the_address_given(database, smtp_server):
    with database.read() as session:
        message_id = delivery.send_test(session, smtp_server.settings(), None, "me@sales.example")
    [received] = smtp_server.catcher.received
    assert received.recipients == ["me@sales.example"] and received.message["Message-ID"] == message_id
    with database.read() as session, pytest.raises(UserError, match="not sent: .*550"):
        delivery.send_test(session, smtp_server.settings(), None, REFUSED)


@pytest.mark.sqlite_only  # the mail side; the database side is tested on both
def test_over_starttls_or_tls_it_signs_in_with_the_password_from_the_keyring(database, mailing, secure_smtp_server,
                                                                          memory_keyring, pdf_text):
    settings = secure_smtp_server.settings(user="royalties")
    mail_settings.store_password(settings, "Open-Sesame-7")
    items = [i for i in plan(database).items if i.participant == "Golden Reel"]
    [outcome] = send_all(database, settings, items, mail_settings.stored_password(settings))
    assert outcome.result is DeliveryResult.SENT, outcome.error
    assert secure_smtp_server.login.tries == [("royalties", "Open-Sesame-7")]
    [received] = secure_smtp_server.catcher.received
    assert "Golden Reel" in pdf_text(received.attachment(".pdf")[1])

    mail_settings.store_password(settings, "wrong")
    with pytest.raises(delivery.ServerUnreachable, match="refused the user name or password"):
        send_all(database, settings, items, mail_settings.stored_password(settings))
    assert len(logged(database)) == 1  # a refused sign-in sends and logs nothing


@pytest.mark.sqlite_only  # the mail side; the database side is tested on both
def test_a_certificate_that_is_not_trusted_is_refused(database, mailing, secure_smtp_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE")
    with database.read() as session, pytest.raises(UserError, match="no secure connection to the mail server"):
        delivery.send_test(session, secure_smtp_server.settings(user="royalties"), "Open-Sesame-7", "me@sales.example")


def test_names_in_any_script_survive_the_trip_and_a_name_cannot_add_a_header():
    from email import message_from_bytes, policy

    from rightsdesk.domain.delivery import Attachment

    settings = MailSettings(host="smtp.example.com", sender="royalties@sales.example", sender_name="Ventes — Droits",
                            subject="Statement {statement_number} for {participant}")
    values = {"participant": "金色卷轴\nBcc: spy@evil.example", "period": "2026-Q3", "amount": "CNY 1,000.00",
              "statement_number": "ST-2026-000001", "deal": "IN-1", "company": "Sales House"}
    files = [Attachment("2026-Q3_金色卷轴_ST-2026-000001.pdf", b"%PDF-1.4", "application", "pdf")]
    message = delivery.build_message(settings, ["li.wei@goldenreel.example"], values, files)
    read = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert read["Subject"] == "Statement ST-2026-000001 for 金色卷轴 Bcc: spy@evil.example"  # one line: no header added
    assert read["Bcc"] is None and str(read["From"]) == "Ventes — Droits <royalties@sales.example>"
    assert "Dear 金色卷轴" in read.get_body().get_content()
    [attached] = read.iter_attachments()
    assert attached.get_filename() == "2026-Q3_金色卷轴_ST-2026-000001.pdf" and attached.get_content() == b"%PDF-1.4"


def test_the_worked_example_goes_out_as_run_and_issued(database, worked, import_revenue, smtp_server, pdf_text):
    """DOMAIN.md's deal through the real run and issue: Q4 pays 7 650.00, and that is what the
    producer's contact reads in the message and on the attached statement."""
    from datetime import date

    from rightsdesk.domain.parties import ContactDraft
    from rightsdesk.persistence.models import Deal
    from rightsdesk.services import issuing, parties, statements

    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "40000", "USD"),
                                                ("2026-11", "US", "T000002", "30000", "USD")], "h2.csv")
    with database.transaction() as session:
        for period in ("2026-Q3", "2026-Q4"):
            [statement] = statements.run(session, period, user="ana").statements
            issuing.issue(session, statement, user="ana", on=date(2027, 1, 5))
        producer = session.get(Deal, worked["deal"]).counterparty_id
        draft = parties.load_party(session, producer)
        draft.contacts = [ContactDraft("Li Wei", "Finance", "li.wei@goldenreel.example", receives_statements=True)]
        parties.save_party(session, draft, user="ana")
    with database.read() as session:
        [item] = delivery.plan_period(session, "2026-Q4").items
    assert (item.participant, item.amount, item.recipients) == ("Golden Reel", Decimal("7650.00"), ("li.wei@goldenreel.example",))
    [outcome] = send_all(database, smtp_server.settings(), [item])
    assert outcome.result is DeliveryResult.SENT
    [received] = smtp_server.catcher.received
    assert "Amount to be paid to you: USD 7,650.00." in received.message.get_body().get_content()
    text = pdf_text(received.attachment(".pdf")[1])
    assert "Golden Reel" in text and "7,650.00" in text and item.number in text


@pytest.mark.sqlite_only  # the mail side
def test_a_dropped_connection_is_opened_again_once(database, mailing, smtp_server, monkeypatch):
    import smtplib

    sent = smtplib.SMTP.send_message
    dropped = []

    def drop_the_first(self, *args, **kwargs):
        if not dropped:
            dropped.append(True)
            self.close()  # as a server closing an idle connection
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return sent(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", drop_the_first)
    outcomes = send_all(database, smtp_server.settings(), plan(database).items)
    assert [o.result for o in outcomes] == [DeliveryResult.SENT, DeliveryResult.SENT, DeliveryResult.FAILED]
    assert len(smtp_server.catcher.received) == 2


@pytest.mark.sqlite_only  # the mail side
def test_a_server_that_goes_down_mid_run_stops_it_with_the_statement_logged(database, mailing, smtp_server):
    sending = delivery.send(database, plan(database).items, smtp_server.settings(), None, attachments, user="ana")
    with closing(sending):
        assert next(sending).result is DeliveryResult.SENT
        smtp_server.stop()
        with pytest.raises(delivery.ServerUnreachable, match="cannot reach the mail server"):
            next(sending)
    assert [(r.statement_id, r.result) for r in logged(database)] == [
        (mailing["Blue Lotus"], DeliveryResult.SENT), (mailing["Golden Reel"], DeliveryResult.FAILED)]
    assert "cannot reach the mail server" in logged(database)[1].error


def test_a_statement_whose_last_email_failed_needs_attention_until_it_is_sent(database, mailing, smtp_server):
    from datetime import date

    from rightsdesk.services import attention

    def failed():
        with database.read() as session:
            return {s.key: s for s in attention.attention(session, date(2026, 11, 25))}["emails"]

    assert failed().total == 0
    send_all(database, smtp_server.settings(), plan(database).items)
    [item] = failed().items
    assert item.text == "ST-2026-000003 · IN-REFUSED · 2026-Q3 · Refused Films"
    assert item.detail.startswith(f"to {REFUSED}: not sent: ") and "550" in item.detail
    assert (item.record, item.record_id) == ("statement", mailing["Refused Films"])
    smtp_server.catcher.refuse.clear()  # the address is fixed at the other end
    send_all(database, smtp_server.settings(), plan(database).items)
    assert failed().total == 0


def test_a_statement_another_desk_sent_meanwhile_is_not_sent_twice(database, mailing, smtp_server):
    mine = plan(database).items  # planned here; then another desk sends the period first
    send_all(database, smtp_server.settings(), plan(database).items)
    outcomes = send_all(database, smtp_server.settings(), mine)
    assert [(o.participant, o.skipped) for o in outcomes] == [
        ("Blue Lotus", True), ("Golden Reel", True), ("Refused Films", False)]
    assert outcomes[0].error.startswith("already sent by ana at ") and "not sent again" in outcomes[0].error
    assert len(smtp_server.catcher.received) == 2 and len(logged(database)) == 4  # the refused one, tried twice
