"""Statements by email, for tests: a real SMTP server on the loopback address (aiosmtpd) that
keeps every message and refuses the addresses it is told to, a keyring kept in memory, and a
period of issued statements for participants with every kind of address.

Import the fixtures into a test module: `from mail_server import smtp_server, memory_keyring, mailing`.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage

import keyring
import pytest
from aiosmtpd.controller import Controller
from keyring.backend import KeyringBackend

from rightsdesk.domain.delivery import MailSettings, Security
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind, StatementLineKind, StatementStatus
from rightsdesk.persistence.models import Deal, Party, PartyContact, Statement, StatementLine

REFUSED = "nobody@refused.example"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def attachment(self, suffix: str) -> tuple[str, bytes]:
        for part in self.message.iter_attachments():
            if part.get_filename().endswith(suffix):
                return part.get_filename(), part.get_content()
        raise AssertionError(f"no {suffix} attached to {self.message['Subject']}")


@dataclass
class MailCatcher:
    """An aiosmtpd handler: refuses RCPT for the addresses in `refuse` (550), keeps the rest."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> Received:
        [found] = [r for r in self.received if address in r.recipients]
        return found


@dataclass
class Server:
    port: int
    catcher: MailCatcher
    security: Security = Security.NONE
    login: object = None
    controller: Controller | None = None

    def stop(self) -> None:
        """The server goes away (its connections with it), as a mail server that goes down."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self, **changes) -> MailSettings:
        values = dict(host="127.0.0.1", port=self.port, security=self.security, sender="royalties@sales.example",
                      sender_name="Sales House Royalties")
        return MailSettings(**(values | changes))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    catcher = MailCatcher(refuse={REFUSED})
    controller = Controller(catcher, hostname="127.0.0.1", port=_free_port())
    controller.start()
    server = Server(controller.port, catcher, controller=controller)
    try:
        yield server
    finally:
        server.stop()


def _certificate(folder) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (and its key), made with `cryptography`."""
    import datetime as dt
    import ipaddress

    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(identifier, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(identifier), critical=False)
        .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@dataclass
class Login:
    """An aiosmtpd authenticator that takes one user and password, and notes each try."""

    user: str
    password: str
    tries: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        tried = (auth_data.login.decode(), auth_data.password.decode())
        self.tries.append(tried)
        return AuthResult(success=tried == (self.user, self.password), handled=False)  # handled: aiosmtpd answers 535


@pytest.fixture(params=["starttls", "tls"])
def secure_smtp_server(request, tmp_path, monkeypatch):
    """The same server behind STARTTLS (port 587's way) or TLS from the first byte (465's), with
    a certificate this process trusts (SSL_CERT_FILE) and sign-in required: user royalties,
    password 'Open-Sesame-7'."""
    import ssl

    certificate, key = _certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", certificate)  # read by ssl.create_default_context()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    catcher, login = MailCatcher(refuse={REFUSED}), Login("royalties", "Open-Sesame-7")
    security = Security(request.param)
    if security is Security.STARTTLS:
        controller = Controller(catcher, hostname="127.0.0.1", port=_free_port(), tls_context=context,
                                require_starttls=True, authenticator=login, auth_require_tls=True)
    else:
        controller = Controller(catcher, hostname="127.0.0.1", port=_free_port(), ssl_context=context,
                                authenticator=login, auth_require_tls=False)
    controller.start()
    server = Server(controller.port, catcher, security, login, controller)
    try:
        yield server
    finally:
        server.stop()


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in this process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.delenv("RIGHTSDESK_SMTP_PASSWORD", raising=False)
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(before)


# -- a period of issued statements ---------------------------------------------------------------

PERIOD = "2026-Q3"


def _statement(session, party: Party, reference: str, number: str | None, paid: str) -> int:
    deal = Deal(direction=DealDirection.IN, counterparty_id=party.id, reference=reference, status=DealStatus.SIGNED,
                currency="USD")
    session.add(deal)
    session.flush()
    issued = number is not None
    statement = Statement(number=number, deal_id=deal.id, participant_id=party.id, period_label=PERIOD,
                          period_start=date(2026, 7, 1), period_end=date(2026, 9, 30), currency="USD",
                          status=StatementStatus.ISSUED if issued else StatementStatus.DRAFT,
                          issued_on=date(2026, 10, 5) if issued else None,
                          issued_at=datetime(2026, 10, 5, 9, tzinfo=timezone.utc) if issued else None,
                          paid=Decimal(paid), payable=Decimal(paid), gross_receipts=Decimal(paid) * 4)
    for position, (kind, amount) in enumerate(((StatementLineKind.GROSS_RECEIPTS, Decimal(paid) * 4),
                                               (StatementLineKind.PAYABLE, Decimal(paid)),
                                               (StatementLineKind.PAID, Decimal(paid)))):
        statement.lines.append(StatementLine(position=position, kind=kind, description=kind.value.replace("_", " "),
                                             amount=amount))
    session.add(statement)
    session.flush()
    return statement.id


@pytest.fixture
def mailing(database):
    return issue_mailing(database)


def issue_mailing(database):
    """Issued 2026-Q3 statements: Golden Reel (a ticked contact, one not ticked, wants the workbook),
    Blue Lotus (no contact ticked: its own address), Refused Films (an address the server refuses),
    Silent Partner (no address at all); and a draft for Draft Studio. Name -> statement id."""
    with database.transaction() as session:
        reel = Party(name="Golden Reel", kind=PartyKind.PRODUCER, email="office@goldenreel.example",
                     statement_workbook=True)
        reel.contacts = [PartyContact(name="Li Wei", email="li.wei@goldenreel.example", receives_statements=True),
                         PartyContact(name="Sales desk", email="sales@goldenreel.example")]
        lotus = Party(name="Blue Lotus", kind=PartyKind.PRODUCER, email="accounts@bluelotus.example")
        refused = Party(name="Refused Films", kind=PartyKind.PRODUCER)
        refused.contacts = [PartyContact(name="Nobody", email=REFUSED, receives_statements=True)]
        silent = Party(name="Silent Partner", kind=PartyKind.PRODUCER)
        draft = Party(name="Draft Studio", kind=PartyKind.PRODUCER, email="draft@studio.example")
        session.add_all([reel, lotus, refused, silent, draft])
        session.flush()
        return {
            "Golden Reel": _statement(session, reel, "IN-REEL", "ST-2026-000001", "7650.00"),
            "Blue Lotus": _statement(session, lotus, "IN-LOTUS", "ST-2026-000002", "1200.50"),
            "Refused Films": _statement(session, refused, "IN-REFUSED", "ST-2026-000003", "10.00"),
            "Silent Partner": _statement(session, silent, "IN-SILENT", "ST-2026-000004", "0.00"),
            "Draft Studio": _statement(session, draft, "IN-DRAFT", None, "5.00"),
        }
