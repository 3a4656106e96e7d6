"""The team's mail settings for statements by email (issue 20), and each desk's password.

Settings live in the database (`AppSetting` rows `mail.*`): the team shares one mail server and
one message, saved whole from their dialog (last save wins, audited). The password never does: it
is kept in each desk's system keyring (the `keyring` library: Windows Credential Locker, macOS
Keychain, the Secret Service on Linux), or given to the command line in RIGHTSDESK_SMTP_PASSWORD.
"""

from __future__ import annotations

import os
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.delivery import MailSettings, Security, settings_problems
from rightsdesk.domain.enums import AuditAction
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.persistence.models import AppSetting
from rightsdesk.services import audit

PASSWORD_VARIABLE = "RIGHTSDESK_SMTP_PASSWORD"
KEYRING_SERVICE = "RightsDesk mail server"
SETTING_KEYS = {name: f"mail.{name}" for name in MailSettings.__dataclass_fields__}


def load_settings(session: Session) -> MailSettings:
    """The team's mail settings; defaults for what was never set."""
    stored = dict(session.execute(select(AppSetting.key, AppSetting.value)
                                  .where(AppSetting.key.in_(SETTING_KEYS.values()))).all())
    found = {name: stored[key] for name, key in SETTING_KEYS.items() if stored.get(key) is not None}
    defaults = MailSettings()
    try:
        security = Security(found.get("security", defaults.security))
    except ValueError:
        security = defaults.security
    try:
        port = int(found.get("port", defaults.port))
    except (TypeError, ValueError):
        port = security.default_port
    return replace(defaults, **{name: str(value) for name, value in found.items() if name not in ("port", "security")},
                   port=port, security=security)


def save_settings(session: Session, settings: MailSettings, *, user: str, password_given: bool = False) -> None:
    """Keep the team's mail settings, all or nothing; every problem is listed (ValidationError)."""
    settings = replace(settings, host=settings.host.strip(), user=settings.user.strip(),
                       sender=settings.sender.strip(), sender_name=settings.sender_name.strip())
    problems = settings_problems(settings, password_given=password_given)
    if problems:
        raise ValidationError(problems)
    before = load_settings(session)
    values = {name: getattr(settings, name) for name in SETTING_KEYS}
    values["security"] = settings.security.value
    for name, key in SETTING_KEYS.items():
        row = session.get(AppSetting, key)
        if row is None:
            session.add(AppSetting(key=key, value=values[name]))
        else:
            row.value = values[name]
    old = {name: getattr(before, name) for name in SETTING_KEYS} | {"security": before.security.value}
    if old != values:
        audit.record(session, user=user, action=AuditAction.UPDATE, entity="app_setting", entity_id=0,
                     summary="Mail settings for statements changed", before=old, after=values)


def _keyring_account(settings: MailSettings) -> str:
    return f"{settings.user}@{settings.host}"  # not the port: switching STARTTLS to TLS keeps the password


def stored_password(settings: MailSettings) -> str | None:
    """The password for the settings' user: RIGHTSDESK_SMTP_PASSWORD when set (scripts), else this
    desk's keyring; None when neither has one or no user signs in."""
    if not settings.user:
        return None
    given = os.environ.get(PASSWORD_VARIABLE)
    if given:
        return given
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _keyring_account(settings))
    except KeyringError:  # no keyring on this desk: the same as no password kept
        return None


def store_password(settings: MailSettings, password: str) -> None:
    """Keep the password in this desk's keyring (an empty one is forgotten). UserError when the
    desk has no keyring to keep it in."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    account = _keyring_account(settings)
    try:
        if password:
            keyring.set_password(KEYRING_SERVICE, account, password)
        else:
            try:
                keyring.delete_password(KEYRING_SERVICE, account)
            except PasswordDeleteError:
                pass  # there was none
    except KeyringError as error:
        raise UserError(f"this computer has no keyring to keep the mail password in ({error}); the command line "
                        f"takes it from {PASSWORD_VARIABLE} instead") from error
