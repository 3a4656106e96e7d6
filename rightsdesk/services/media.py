"""Media (right types): add, rename, retire and bring back; the EMA Avails licence type each is
exported as.

A medium's code is how grants, holdbacks, windows, fee rates, licences and revenue lines name
it, so once anything uses it the code never changes (rename the medium instead); while nothing
does, a mistyped code can still be corrected. A code is kept as entered ('inflight', 'Hotels'),
but no two codes differ only by case, since every screen, import and command finds a medium
whatever the case it is typed in (rightsdesk.domain.media).
A retired medium leaves the pickers but stays readable wherever it was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain import ema
from rightsdesk.domain.enums import AuditAction
from rightsdesk.domain.errors import Conflict, NotFound, Problem, ValidationError
from rightsdesk.domain.media import CODE
from rightsdesk.persistence.models import (AuditEntry, FeeRate, Grant, GrantMedia, Holdback, HoldbackMedia, Media,
                                           MusicLicenceMedia, ReleaseWindow, RevenueLine, StatementLine,
                                           WindowTemplateStep)
from rightsdesk.services import audit

# Every column that names a medium, with what to call its rows in a message.
_USES = ((GrantMedia.media_code, "grant"), (HoldbackMedia.media_code, "holdback"),
         (Holdback.after_release_of, "holdback"), (Grant.term_anchor_media, "grant term"),
         (MusicLicenceMedia.media_code, "music licence"), (ReleaseWindow.media_code, "window"),
         (WindowTemplateStep.media_code, "window template"), (FeeRate.media_code, "fee rate"),
         (RevenueLine.media_code, "revenue line"), (StatementLine.media_code, "statement line"))


@dataclass(frozen=True)
class MediaRow:
    code: str
    name: str
    description: str
    ema_license_type: str  # as set; empty: the standard mapping
    exported_as: str  # what the EMA export writes
    active: bool
    used: bool
    version: int


@dataclass
class MediaDraft:
    code: str
    name: str
    description: str = ""
    ema_license_type: str = ""  # EST, VOD, SVOD or POEST; empty: the standard mapping
    active: bool = True
    original_code: str | None = None  # the code as loaded; None: a new medium
    version: int | None = None


def media_rows(session: Session, text: str = "", *, retired: bool = True) -> list[MediaRow]:
    """Every medium (or those whose code or name holds `text`; without the retired ones when
    `retired` is False), in the pickers' order."""
    used = used_codes(session)
    wanted = text.strip().casefold()
    query = select(Media).order_by(Media.sort_order, Media.code)
    if not retired:
        query = query.where(Media.active)
    return [MediaRow(m.code, m.name, m.description, m.ema_license_type or "",
                     ema.license_type(m.code, m.ema_license_type), m.active, m.code in used, m.version)
            for m in session.scalars(query)
            if not wanted or wanted in m.code.casefold() or wanted in m.name.casefold()]


def used_codes(session: Session) -> set[str]:
    """The codes of every medium something names."""
    found: set[str] = set()
    for column, _ in _USES:
        found |= {code for code in session.scalars(select(column).where(column.is_not(None)).distinct())}
    return found


def uses(session: Session, code: str) -> dict[str, int]:
    """What names a medium: kind of record -> how many rows."""
    counts: dict[str, int] = {}
    for column, kind in _USES:
        n = session.scalar(select(func.count()).where(column == code)) or 0
        if n:
            counts[kind] = counts.get(kind, 0) + n
    return counts


def load_media(session: Session, code: str) -> MediaDraft:
    media = session.get(Media, code)
    if media is None:
        raise NotFound(f"the medium {code} no longer exists")
    return MediaDraft(media.code, media.name, media.description, media.ema_license_type or "", media.active,
                      original_code=media.code, version=media.version)


def media_problems(session: Session, draft: MediaDraft) -> list[Problem]:
    problems = []
    if not CODE.match(draft.code):
        problems.append(Problem("code", f"'{draft.code}' is not a media code (letters, digits, - _ . up to 32, "
                                        "no spaces, e.g. inflight)"))
    if not draft.name:
        problems.append(Problem("name", "a medium needs a name"))
    if draft.ema_license_type and draft.ema_license_type not in ema.LICENSE_TYPES:
        problems.append(Problem("EMA licence type", f"'{draft.ema_license_type}' is not an EMA Avails licence type "
                                                    f"({', '.join(ema.LICENSE_TYPES)})"))
    if draft.code != draft.original_code:
        # unique whatever the case: a medium is found by its code typed in any case
        taken = [code for code in session.scalars(select(Media.code))
                 if code.casefold() == draft.code.casefold() and code != draft.original_code]
        if taken:
            problems.append(Problem("code", f"{taken[0]} is already a medium"
                                            + ("" if taken[0] == draft.code else " (codes must differ by more than case)")))
        elif draft.original_code is not None:
            used = uses(session, draft.original_code)
            if used:
                problems.append(Problem("code", f"{draft.original_code} is used by {_listed(used)}: its code cannot "
                                                "change (rename the medium instead)"))
    return problems


def save_media(session: Session, draft: MediaDraft, *, user: str) -> str:
    """Add a medium or change one (name, description, EMA licence type, retired or not, and its
    code while nothing uses it). Refused with every problem (ValidationError), or when someone
    saved it since `draft.version` (Conflict). Returns the code."""
    draft.code, draft.name = draft.code.strip(), " ".join(draft.name.split())  # the code's case is kept
    draft.description, draft.ema_license_type = draft.description.strip(), draft.ema_license_type.strip().upper()
    problems = media_problems(session, draft)
    if problems:
        raise ValidationError(problems)
    if draft.original_code is None:
        last = session.scalar(select(func.max(Media.sort_order))) or 0
        media, before = Media(code=draft.code, sort_order=last + 1), None
        session.add(media)
    else:
        media = session.get(Media, draft.original_code)
        if media is None:
            raise NotFound(f"the medium {draft.original_code} was deleted by someone else")
        if draft.version is not None and draft.version != media.version:
            raise _conflict(session, draft.original_code)
        before = _snapshot(media)
    media.code, media.name, media.description = draft.code, draft.name, draft.description
    media.ema_license_type, media.active = draft.ema_license_type or None, draft.active
    try:
        session.flush()
    except StaleDataError as error:
        raise _conflict(session, draft.original_code or draft.code) from error
    after = _snapshot(media)
    if before != after:
        audit.record(session, user=user, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                     entity="medium", entity_id=0, summary=f"{media.code} {media.name}", before=before, after=after)
    return media.code


def _conflict(session: Session, code: str) -> Conflict:
    """Someone saved the medium after it was loaded: who and when, from the audit log (media are
    logged by code, in the summary, since their key is not a number)."""
    if not session.is_active:
        with Session(session.get_bind()) as fresh:
            return _conflict(fresh, code)
    change = session.scalars(select(AuditEntry).where(AuditEntry.entity == "medium", AuditEntry.summary.like(f"{code} %"))
                             .order_by(AuditEntry.id.desc()).limit(1)).first()
    who = f" by {change.user_name} at {change.at:%Y-%m-%d %H:%M} UTC" if change else ""
    return Conflict(f"the medium {code} was changed{who} after you opened it; reload it and edit again",
                    change.user_name if change else "", change.at if change else None)


def retire(session: Session, code: str, *, user: str, active: bool = False) -> None:
    """Take a medium out of the pickers (or, with `active`, bring it back); what names it stays."""
    draft = load_media(session, code)
    draft.active = active
    save_media(session, draft, user=user)


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in counts.items())


def _snapshot(media: Media) -> dict[str, Any]:
    return {"code": media.code, "name": media.name, "description": media.description,
            "ema_license_type": media.ema_license_type or "", "active": media.active}
