"""Statements by email (issue 20): which issued statements go to whom, and sending them, each
attempt logged.

Who receives a participant's statements: the party's contacts ticked "receives statements" that
have an email address; when none is ticked, the party's own email address (the plan says so); with
neither, the statement is listed as having no address and is not sent. Each statement goes in a
message of its own to all of its participant's addresses, with its PDF, and its workbook too when
the party asks for one (`Party.statement_workbook`).

The mail server and the message are the team's (services/mail_settings.py); the password is each
desk's, in its keyring.

Sending (`send`) yields one Outcome per statement as it goes and writes a `StatementDelivery` row
per attempt in a transaction of its own, so a crash or a cancel loses no record of what went out.
A statement that fails (an address refused, a message rejected, a connection dropped) is logged
as failed and the next one is sent; only a server that cannot be reached or signed in to at all
stops the run, before anything is sent (or, mid-run, once reconnecting fails).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.domain.delivery import (Attachment, MailSettings, Security, address_problem, render,
                                        settings_problems)
from rightsdesk.domain.enums import DeliveryResult, StatementStatus
from rightsdesk.domain.payments import to_pay
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.persistence.database import Database
from rightsdesk.persistence.models import Deal, Party, Statement, StatementDelivery
from rightsdesk.services import statements
from rightsdesk.services.mail_settings import PASSWORD_VARIABLE
from rightsdesk.services.statement_documents import StatementDocument, letterhead, load_document

TIMEOUT_SECONDS = 30  # one unanswered server must not hold a run for ever

Render = Callable[[StatementDocument, bool], list[Attachment]]  # (document, with workbook) -> files


# -- who gets what -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LastDelivery:
    at: datetime
    recipients: str
    result: DeliveryResult
    error: str


@dataclass(frozen=True)
class PlannedSend:
    """One issued statement and where it goes. `problem` says why it cannot go (no address, an
    address that is not one); `sent_before` when it was last sent successfully."""

    statement_id: int
    number: str
    participant: str
    deal: str
    period: str
    currency: str
    amount: Decimal  # what the statement asks to be paid (its "To pay now": Paid with payables carried)
    recipients: tuple[str, ...]
    workbook: bool
    to_party_address: bool = False  # no contact is ticked: the party's own address is used
    problem: str = ""
    sent_before: datetime | None = None
    last: LastDelivery | None = None
    will_send: bool = False

    @property
    def where(self) -> str:
        """To whom, in words: the addresses, and why these."""
        if not self.recipients:
            return ""
        listed = ", ".join(self.recipients)
        return listed + (" (the party's own address: no contact is ticked to receive statements)"
                         if self.to_party_address else "")


@dataclass
class DeliveryPlan:
    period: str
    items: list[PlannedSend] = field(default_factory=list)
    drafts: int = 0  # statements of the period not issued: never sent

    @property
    def to_send(self) -> list[PlannedSend]:
        return [item for item in self.items if item.will_send]

    @property
    def without_address(self) -> list[PlannedSend]:
        return [item for item in self.items if item.problem]

    @property
    def already_sent(self) -> list[PlannedSend]:
        return [item for item in self.items if item.sent_before and not item.will_send and not item.problem]


def recipients_of(party: Party) -> tuple[tuple[str, ...], bool, str]:
    """(addresses, whether the party's own address stands in, problem) for a party's statements."""
    ticked = [(contact.name, contact.email.strip()) for contact in party.contacts
              if contact.receives_statements and contact.email.strip()]
    fallback = not ticked and bool(party.email.strip())
    named = ticked or ([(party.name, party.email.strip())] if fallback else [])
    if not named:
        return (), False, ("no email address: tick a contact of the party to receive statements, "
                           "or give the party an email address")
    problems = [f"{problem} ({who})" for who, address in named if (problem := address_problem(address))]
    unique: dict[str, str] = {}
    for _, address in named:
        unique.setdefault(address.lower(), address)
    return tuple(unique.values()), fallback, "; ".join(problems)


def plan_period(session: Session, label: str, *, again: bool = False) -> DeliveryPlan:
    """Every issued statement of the period and where it goes, participants by name. Statements
    already sent are sent again only when `again`; drafts are counted, never sent."""
    start, end = statements.parse_label(label)
    found = session.scalars(select(Statement).where(Statement.period_start == start, Statement.period_end == end)
                            .order_by(Statement.id)).all()
    plan = DeliveryPlan(label.strip())
    issued = [s for s in found if s.status is StatementStatus.ISSUED]
    plan.drafts = len(found) - len(issued)
    plan.items = _planned(session, issued, again=again)
    plan.items.sort(key=lambda item: (item.participant.casefold(), item.deal, item.number))
    return plan


def plan_statement(session: Session, statement_id: int) -> PlannedSend:
    """One issued statement, to be sent (again) whatever was sent before."""
    statement = session.get(Statement, statement_id)
    if statement is None:
        raise NotFound(f"statement {statement_id} no longer exists")
    if statement.status is not StatementStatus.ISSUED:
        raise UserError(f"the {statement.period_label} statement of this deal is a draft: issue it before sending it")
    return _planned(session, [statement], again=True)[0]


def _planned(session: Session, found: Sequence[Statement], *, again: bool) -> list[PlannedSend]:
    ids = [s.id for s in found]
    parties = {p.id: p for p in session.scalars(select(Party).where(Party.id.in_({s.participant_id for s in found}))
                                                .options(selectinload(Party.contacts)))}
    deals = dict(session.execute(select(Deal.id, Deal.reference).where(Deal.id.in_({s.deal_id for s in found}))).all())
    last: dict[int, LastDelivery] = {}
    sent: dict[int, datetime] = {}
    for row in session.scalars(select(StatementDelivery).where(StatementDelivery.statement_id.in_(ids))
                               .order_by(StatementDelivery.id)) if ids else ():
        last[row.statement_id] = LastDelivery(row.sent_at, row.recipients, row.result, row.error)
        if row.result is DeliveryResult.SENT:
            sent[row.statement_id] = row.sent_at
    items = []
    for statement in found:
        party = parties[statement.participant_id]
        recipients, fallback, problem = recipients_of(party)
        asked = to_pay(statement.paid, statement.brought_forward, statement.carried_forward)
        items.append(PlannedSend(
            statement.id, statement.number or "", party.name, deals.get(statement.deal_id, ""), statement.period_label,
            statement.currency, asked, recipients, party.statement_workbook, fallback, problem,
            sent.get(statement.id), last.get(statement.id),
            will_send=not problem and (again or statement.id not in sent)))
    return items


@dataclass(frozen=True)
class LoggedDelivery:
    at: datetime
    by: str
    recipients: str
    message_id: str
    result: DeliveryResult
    error: str
    attachments: str


def delivery_log(session: Session, statement_id: int) -> list[LoggedDelivery]:
    """Every attempt to send a statement, oldest first."""
    return [LoggedDelivery(row.sent_at, row.sent_by, row.recipients, row.message_id, row.result, row.error, row.attachments)
            for row in session.scalars(select(StatementDelivery).where(StatementDelivery.statement_id == statement_id)
                                       .order_by(StatementDelivery.id))]


@dataclass(frozen=True)
class FailedDelivery:
    statement_id: int
    number: str
    deal: str
    period: str
    participant: str
    at: datetime
    recipients: str
    error: str


def failed_deliveries(session: Session) -> list[FailedDelivery]:
    """Issued statements whose last attempt to send failed (none sent after it), oldest failure
    first: what the home screen lists until they are sent."""
    last = (select(StatementDelivery.statement_id, func.max(StatementDelivery.id).label("last_id"))
            .group_by(StatementDelivery.statement_id).subquery())
    rows = session.execute(
        select(StatementDelivery, Statement.number, Statement.period_label, Deal.reference, Party.name)
        .join(last, last.c.last_id == StatementDelivery.id)
        .join(Statement, Statement.id == StatementDelivery.statement_id)
        .join(Deal, Deal.id == Statement.deal_id).join(Party, Party.id == Statement.participant_id)
        .where(StatementDelivery.result == DeliveryResult.FAILED).order_by(StatementDelivery.sent_at, StatementDelivery.id))
    return [FailedDelivery(row.statement_id, number or "", reference, period, participant, row.sent_at, row.recipients,
                           row.error) for row, number, period, reference, participant in rows]


# -- sending -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What came of sending one statement."""

    statement_id: int
    number: str
    participant: str
    recipients: tuple[str, ...]
    result: DeliveryResult
    message_id: str = ""
    error: str = ""  # why it failed, which addresses the server refused when others took it, or why skipped
    skipped: bool = False  # another desk sent it after it was planned: not sent twice, not logged


class ServerUnreachable(UserError):
    """The mail server cannot be reached or signed in to: nothing more can be sent."""


class MailServer:
    """A connection to the team's mail server, opened on first use and reopened once if the
    server drops it between messages. Server errors that stop everything become UserErrors."""

    def __init__(self, settings: MailSettings, password: str | None, *, timeout: float = TIMEOUT_SECONDS):
        self.settings, self.password, self.timeout = settings, password, timeout
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> MailServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def open(self) -> None:
        settings = self.settings
        where = f"{settings.host}:{settings.port}"
        context = ssl.create_default_context()
        try:
            if settings.security is Security.TLS:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=self.timeout)
            try:
                if settings.security is Security.STARTTLS:
                    smtp.starttls(context=context)
                if settings.user:
                    if not self.password:
                        raise ServerUnreachable(f"no password is kept for {settings.user} on {settings.host}: enter it "
                                                f"in the mail settings (the command line also reads {PASSWORD_VARIABLE})")
                    smtp.login(settings.user, self.password)
            except BaseException:
                smtp.close()
                raise
        except smtplib.SMTPNotSupportedError as error:
            raise ServerUnreachable(f"the mail server {where} does not offer STARTTLS: choose TLS, or ask who runs "
                                    "it") from error
        except smtplib.SMTPAuthenticationError as error:
            raise ServerUnreachable(f"the mail server {where} refused the user name or password ({_reply(error)})") from error
        except ssl.SSLError as error:
            raise ServerUnreachable(f"no secure connection to the mail server {where} ({error.reason or error}); "
                                    "check the security setting and the port") from error
        except (smtplib.SMTPException, OSError) as error:
            raise ServerUnreachable(f"cannot reach the mail server {where} ({_reply(error)})") from error
        self.smtp = smtp

    def send(self, message: EmailMessage, recipients: Sequence[str]) -> dict[str, str]:
        """Send one message; the addresses the server refused while taking it for others
        (address -> its reply). Raises SMTPException or OSError when the message is not sent."""
        if self.smtp is None:
            self.open()
        assert self.smtp is not None
        try:
            refused = self.smtp.send_message(message, to_addrs=list(recipients))
        except smtplib.SMTPServerDisconnected:
            self.close()
            self.open()  # once: a server that closed an idle connection takes a new one
            refused = self.smtp.send_message(message, to_addrs=list(recipients))
        return {address: _reply_of(*reply) for address, reply in refused.items()}

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def _reply_of(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {said}".strip()


def _reply(error: BaseException) -> str:
    """A server's answer or a network error as one short phrase."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {_reply_of(*reply)}" for address, reply in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_of(error.smtp_code, error.smtp_error)
    if isinstance(error, socket.gaierror):
        return "no such server name"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def message_values(document: StatementDocument, amount: Decimal) -> dict[str, str]:
    """Each placeholder's text for a statement."""
    return {"participant": document.participant, "period": document.period,
            "amount": f"{document.currency} {amount:,.{document.minor_units}f}",
            "statement_number": document.number, "deal": document.deal_reference, "company": document.letterhead.name}


def build_message(settings: MailSettings, recipients: Sequence[str], values: dict[str, str],
                  attachments: Sequence[Attachment]) -> EmailMessage:
    """The message for one statement: the rendered subject and text, the files attached."""
    message = EmailMessage()
    message["Subject"] = render(settings.subject, values, one_line=True)
    message["From"] = Address(display_name=settings.sender_name, addr_spec=settings.sender)
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(render(settings.body, values))
    for attachment in attachments:
        message.add_attachment(attachment.content, maintype=attachment.maintype, subtype=attachment.subtype,
                               filename=attachment.file_name)
    return message


def send(database: Database, items: Sequence[PlannedSend], settings: MailSettings, password: str | None,
         attachments_of: Render, *, user: str) -> Iterator[Outcome]:
    """Send each item that can go (`will_send`), one message per statement, and log each attempt
    in its own transaction. Yields each Outcome as it happens: stop iterating to cancel (what was
    sent stays logged). UserError when the server cannot be reached or signed in to."""
    problems = settings_problems(settings, password_given=bool(password))
    if problems:
        raise ValidationError(problems)
    chosen = [item for item in items if item.will_send]
    if not chosen:
        return
    with MailServer(settings, password) as server:
        server.open()  # a wrong server or password says so before anything is logged
        for item in chosen:
            if item.sent_before is None and (meanwhile := _sent_meanwhile(database, item.statement_id)):
                yield Outcome(item.statement_id, item.number, item.participant, item.recipients, DeliveryResult.SENT,
                              error=meanwhile, skipped=True)
                continue
            yield _send_one(database, server, settings, item, attachments_of, user=user)


def _sent_meanwhile(database: Database, statement_id: int) -> str:
    """Who sent the statement since it was planned as never sent (two desks sending one period at
    once), in words; "" when nobody did."""
    with database.read() as session:
        found = session.execute(select(StatementDelivery.sent_by, StatementDelivery.sent_at, StatementDelivery.recipients)
                                .where(StatementDelivery.statement_id == statement_id,
                                       StatementDelivery.result == DeliveryResult.SENT).limit(1)).first()
    if found is None:
        return ""
    by, at, recipients = found
    return f"already sent by {by} at {at:%Y-%m-%d %H:%M} UTC to {recipients}; not sent again"


def _send_one(database: Database, server: MailServer, settings: MailSettings, item: PlannedSend,
              attachments_of: Render, *, user: str) -> Outcome:
    files: list[Attachment] = []
    message_id, error, result = "", "", DeliveryResult.FAILED
    lost: ServerUnreachable | None = None
    try:
        with database.read() as session:
            document = load_document(session, item.statement_id)
        files = attachments_of(document, item.workbook)
        message = build_message(settings, item.recipients, message_values(document, item.amount), files)
        message_id = str(message["Message-ID"])
        refused = server.send(message, item.recipients)
    except ServerUnreachable as failure:  # dropped, and reconnecting failed: log this one, then stop
        error, lost = f"not sent: {failure}", failure
    except UserError as failure:  # the statement could not be read or drawn
        error = str(failure)
    except (smtplib.SMTPException, OSError) as failure:
        error = f"not sent: {_reply(failure)}"
        if isinstance(failure, smtplib.SMTPServerDisconnected) or not isinstance(failure, smtplib.SMTPException):
            server.close()  # the connection is gone: the next statement connects again
    else:
        result = DeliveryResult.SENT
        if refused:
            error = "refused by the server: " + "; ".join(f"{address} ({reply})" for address, reply in refused.items())
    recorded = Outcome(item.statement_id, item.number, item.participant, item.recipients, result, message_id, error)
    with database.transaction() as session:
        session.add(StatementDelivery(statement_id=item.statement_id, sent_by=user, recipients=", ".join(item.recipients),
                                      message_id=message_id if result is DeliveryResult.SENT else "", result=result,
                                      error=error, attachments=", ".join(f.file_name for f in files)))
    if lost is not None:
        raise lost
    return recorded


def send_test(session: Session, settings: MailSettings, password: str | None, to: str) -> str:
    """Send a short test message to `to` with these settings (saved or not); its Message-ID.
    UserError saying what went wrong otherwise."""
    problems = settings_problems(settings, password_given=bool(password))
    if problem := address_problem(to):
        problems.append(Problem("Test address", problem))
    if problems:
        raise ValidationError(problems)
    company = letterhead(session).name
    message = EmailMessage()
    message["Subject"] = f"RightsDesk test message from {company}"
    message["From"] = Address(display_name=settings.sender_name, addr_spec=settings.sender)
    message["To"] = to.strip()
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(f"This message shows that RightsDesk can send statements through {settings.host} "
                        f"from {settings.sender}.\n")
    with MailServer(settings, password) as server:
        try:
            server.send(message, [to.strip()])
        except (smtplib.SMTPException, OSError) as error:
            raise UserError(f"the test message was not sent: {_reply(error)}") from error
    return str(message["Message-ID"])
