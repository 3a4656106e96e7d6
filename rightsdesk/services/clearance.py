"""Moving music licences and localization tasks through their workflows, one or many at a
time: an illegal step is refused with the reason, and a bulk change is all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain import localization, music
from rightsdesk.domain.enums import AuditAction, LicenceStatus, LocalizationStatus
from rightsdesk.domain.errors import NotFound, Problem, ValidationError
from rightsdesk.domain.words import plural
from rightsdesk.persistence.models import LocalizationTask, MusicLicence, Title
from rightsdesk.services import audit


def set_licence_status(session: Session, licence_id: int, status: LicenceStatus, *, user: str,
                       today: date | None = None) -> None:
    licence = session.get(MusicLicence, licence_id)
    if licence is None:
        raise NotFound("this music licence no longer exists: someone deleted it meanwhile")
    problem = music.transition_problem(licence.status, status)
    if problem:
        raise ValidationError([Problem("status", f"licence {licence_id}: {problem}")])
    before = licence.status
    licence.status = status
    if status in (LicenceStatus.REQUESTED,):
        licence.requested_on = today or date.today()
    if status in (LicenceStatus.CLEARED, LicenceStatus.DENIED, LicenceStatus.QUOTED):
        licence.answered_on = today or date.today()
    audit.record(session, user=user, action=AuditAction.UPDATE, entity="music_licence", entity_id=licence_id,
                 summary=f"licence {licence_id}: {before.value} → {status.value}",
                 before={"status": before.value}, after={"status": status.value})


def set_task_status(session: Session, task_ids: Sequence[int], status: LocalizationStatus, *, user: str,
                    today: date | None = None) -> None:
    """Move one task or many (a title's episodes at once) to a status; if any cannot move,
    none does, and every refusal is listed."""
    tasks = session.scalars(select(LocalizationTask).where(LocalizationTask.id.in_(task_ids))).all()
    missing = sorted(set(task_ids) - {t.id for t in tasks})
    problems = [Problem("tasks", f"{plural(len(missing), 'task')} chosen no longer exist: someone deleted them "
                                 "meanwhile")] if missing else []
    names = dict(session.execute(select(Title.id, Title.original_name).where(
        Title.id.in_({t.title_id for t in tasks}))).all()) if tasks else {}
    problems += [Problem("status", f"{names.get(t.title_id, 'a title')}, {t.language_tag} {t.kind.value.replace('_', ' ')}: {p}")
                 for t in tasks if (p := localization.transition_problem(t.status, status))]
    if problems:
        raise ValidationError(problems)
    for task in tasks:
        before = task.status
        task.status = status
        if status is LocalizationStatus.DELIVERED:
            task.delivered_on = task.delivered_on or today or date.today()
        elif before is LocalizationStatus.DELIVERED:
            task.delivered_on = None  # a rejected delivery is no longer delivered
        audit.record(session, user=user, action=AuditAction.UPDATE, entity="localization_task", entity_id=task.id,
                     summary=f"{task.language_tag} {task.kind.value}: {before.value} → {status.value}",
                     before={"status": before.value}, after={"status": status.value})
