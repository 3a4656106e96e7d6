"""Statements by email (issue 20): the message every participant gets, its addresses, and how a
desk reaches the team's mail server. Plain rules, no storage and no network.

The message is a template with named placeholders, `{participant}` and the like (PLACEHOLDERS);
a brace meant as a brace is doubled, `{{`. A template naming anything else is refused before a
single message goes out, with the unknown name and the names there are.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from enum import StrEnum

from rightsdesk.domain.errors import Problem

PLACEHOLDERS: dict[str, str] = {
    "participant": "the participant's name",
    "period": "the statement's period, e.g. 2026-Q3",
    "amount": "what the statement asks to be paid to the participant, after withholding and with any payable "
              "carried under the minimum payout, with its currency (USD 7,650.00)",
    "statement_number": "the statement's number, e.g. ST-2026-000012",
    "deal": "the deal's reference",
    "company": "your company's name, as on the letterhead",
}

DEFAULT_SUBJECT = "Royalty statement {statement_number} for {period}"
DEFAULT_BODY = (
    "Dear {participant},\n\n"
    "Please find attached your royalty statement {statement_number} for {period} under deal {deal}.\n"
    "Amount to be paid to you: {amount}.\n\n"
    "Kind regards,\n{company}\n"
)
# Hosts where a password may travel unencrypted: this machine only (a relay for tests).
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class Security(StrEnum):
    """How the connection to the mail server is protected."""

    STARTTLS = "starttls"  # connect in the clear, then switch to TLS (port 587)
    TLS = "tls"  # TLS from the first byte (port 465)
    NONE = "none"  # no encryption: an internal relay that asks no password

    @property
    def default_port(self) -> int:
        return {Security.STARTTLS: 587, Security.TLS: 465, Security.NONE: 25}[self]

    @property
    def label(self) -> str:
        return {Security.STARTTLS: "STARTTLS (usually port 587)", Security.TLS: "TLS (usually port 465)",
                Security.NONE: "None (an internal relay, no password)"}[self]


@dataclass(frozen=True)
class MailSettings:
    """The team's mail server and message, shared by every desk on the database. The password is
    not here: it stays in each desk's system keyring."""

    host: str = ""
    port: int = 587
    security: Security = Security.STARTTLS
    user: str = ""  # empty: the server takes mail without signing in
    sender: str = ""  # the From address
    sender_name: str = ""  # shown beside it, e.g. the company's name
    subject: str = DEFAULT_SUBJECT
    body: str = DEFAULT_BODY

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a statement: its name, its bytes and its MIME type."""

    file_name: str
    content: bytes
    maintype: str
    subtype: str


def template_problems(text: str, where: str) -> list[Problem]:
    """What is wrong with a subject or body template: an unknown placeholder (with the known
    ones), a placeholder with formatting or an attribute, a lone brace."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return [Problem(where, "a brace without its pair; write {{ or }} for a brace itself")]
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    problems = []
    for name, spec, conversion in fields:
        if name == "":
            problems.append(Problem(where, f"{{}} names no placeholder; use one of {known}"))
        elif spec or conversion:
            problems.append(Problem(where, f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}} "
                                           f"cannot carry formatting; write the placeholder alone, {{{name.split('.')[0]}}}"))
        elif name not in PLACEHOLDERS:
            problems.append(Problem(where, f"{{{name}}} is not a placeholder; use one of {known}"))
    return problems


def render(text: str, values: dict[str, str], *, one_line: bool = False) -> str:
    """The template with each placeholder replaced by its value. `one_line` (for a subject)
    turns line breaks in the values into spaces: a name must not end a mail header."""
    if one_line:
        values = {name: " ".join(value.split()) for name, value in values.items()}
    missing = set(PLACEHOLDERS) - set(values)
    if missing:
        raise ValueError(f"no value for {sorted(missing)}")  # a bug: every placeholder has a value
    return string.Formatter().vformat(text, (), values)


def address_problem(text: str) -> str | None:
    """Why `text` is not an email address (name@example.com), or None when it is one."""
    cleaned = text.strip()
    try:
        address = Address(addr_spec=cleaned)
    except (ValueError, IndexError, HeaderParseError):
        return f"'{text}' is not an email address"
    if not address.username or "." not in address.domain.strip(".") or any(c.isspace() for c in cleaned):
        return f"'{text}' is not an email address"
    return None


def split_addresses(text: str) -> list[str]:
    """Addresses typed in one box, separated by commas, semicolons or spaces."""
    return [part for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()]


def settings_problems(settings: MailSettings, *, password_given: bool) -> list[Problem]:
    """Every problem with the mail settings, named by what the settings dialog calls them."""
    problems = []
    if not settings.host.strip():
        problems.append(Problem("Server", "the mail server's name is needed (e.g. smtp.example.com)"))
    if not 0 < settings.port < 65536:
        problems.append(Problem("Port", f"{settings.port} is not a port (1 to 65535)"))
    if not settings.sender.strip():
        problems.append(Problem("From", "the address statements are sent from is needed"))
    elif problem := address_problem(settings.sender):
        problems.append(Problem("From", problem))
    if settings.security is Security.NONE and settings.host.strip().lower() not in LOOPBACK and (
            settings.user or password_given):
        problems.append(Problem("Security", "a password is never sent unencrypted: choose STARTTLS or TLS"))
    problems += template_problems(settings.subject, "Subject")
    problems += template_problems(settings.body, "Message")
    return problems
