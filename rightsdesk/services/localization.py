"""Localization tasks: subtitles, dubs, metadata and artwork per title (or episode) and language;
listed, edited, created and changed many at a time, their costs booked as deal expenses."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session, aliased

from rightsdesk.domain.enums import AuditAction, ExpenseCategory, LocalizationKind, LocalizationStatus
from rightsdesk.domain.errors import NotFound, Problem, ValidationError
from rightsdesk.domain.localization import KIND_WORDS, LABELS, TaskDraft, task_problems
from rightsdesk.persistence.models import Episode, LocalizationTask, Party, Title
from rightsdesk.services import audit, reference, royalty_terms
from rightsdesk.services.listing import ListQuery, contains, matching_ids


@dataclass(frozen=True)
class TaskFilter:
    """What the task list is narrowed to besides its text: a title, and only work still open."""

    title_id: int | None = None
    open_only: bool = False


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    episode: str  # the episode number, or "all" for the whole title
    language: str
    kind: str
    status: LocalizationStatus
    vendor: str
    due_on: date | None
    delivered_on: date | None
    cost: Decimal | None
    currency: str
    overdue: bool


_vendor = aliased(Party)
TASK_SORT = {"title": Title.original_name, "episode": Episode.number, "language": LocalizationTask.language_tag,
             "kind": LocalizationTask.kind, "status": LocalizationTask.status, "vendor": _vendor.name,
             "due_on": LocalizationTask.due_on, "delivered_on": LocalizationTask.delivered_on,
             "cost": LocalizationTask.cost}


def find_task_ids(session: Session, query: ListQuery = ListQuery(), narrowed: TaskFilter | None = None) -> list[int]:
    ids = (select(LocalizationTask.id).join(Title, Title.id == LocalizationTask.title_id)
           .outerjoin(Episode, Episode.id == LocalizationTask.episode_id)
           .outerjoin(_vendor, _vendor.id == LocalizationTask.vendor_id))
    if narrowed and narrowed.title_id is not None:
        ids = ids.where(LocalizationTask.title_id == narrowed.title_id)
    if narrowed and narrowed.open_only:
        ids = ids.where(LocalizationTask.status != LocalizationStatus.DELIVERED)
    return matching_ids(session, ids, query, searchable=[
        contains(Title.original_name), contains(Title.internal_id), contains(LocalizationTask.language_tag),
        contains(cast(LocalizationTask.kind, String)), contains(cast(LocalizationTask.status, String)),
        contains(_vendor.name), contains(LocalizationTask.file_reference)],
        sortable=TASK_SORT, tiebreak=LocalizationTask.id)


def task_rows(session: Session, ids: Sequence[int], today: date | None = None) -> dict[int, TaskRow]:
    if not ids:
        return {}
    today = today or date.today()
    query = (select(LocalizationTask, Title.original_name, Title.internal_id, Episode.number, _vendor.name)
             .join(Title, Title.id == LocalizationTask.title_id)
             .outerjoin(Episode, Episode.id == LocalizationTask.episode_id)
             .outerjoin(_vendor, _vendor.id == LocalizationTask.vendor_id).where(LocalizationTask.id.in_(ids)))
    return {task.id: TaskRow(
        task.id, f"{name} ({code})", str(number) if number is not None else "all", task.language_tag,
        KIND_WORDS[task.kind], task.status, vendor or "", task.due_on, task.delivered_on, task.cost, task.currency or "",
        task.due_on is not None and task.due_on < today and task.status is not LocalizationStatus.DELIVERED)
        for task, name, code, number, vendor in session.execute(query)}


def load_task(session: Session, task_id: int) -> TaskDraft:
    task = session.get(LocalizationTask, task_id)
    if task is None:
        raise NotFound(f"localization task {task_id} no longer exists")
    return TaskDraft(task.title_id, task.language_tag, task.kind, task.episode_id, task.status, task.vendor_id,
                     task.cost, task.currency or "", task.due_on, task.delivered_on, task.file_reference, task.notes,
                     task.id, task.version)


def save_task(session: Session, draft: TaskDraft, *, user: str, today: date | None = None) -> int:
    """Create or update a task; its status moves only as the workflow allows, and a task
    delivered without a date is dated today."""
    found = session.get(LocalizationTask, draft.id) if draft.id else None
    task = audit.still_current(session, found, draft, "localization_task", "localization task") if draft.id else None
    if draft.status is LocalizationStatus.DELIVERED and draft.delivered_on is None:
        draft = dataclasses.replace(draft, delivered_on=today or date.today())
    problems = task_problems(draft, reference.currency_codes(session), task.status if task else None)
    if session.get(Title, draft.title_id) is None:
        problems.append(Problem("title", f"title {draft.title_id} no longer exists"))
    if draft.episode_id is not None and session.scalar(
            select(Episode.title_id).where(Episode.id == draft.episode_id)) != draft.title_id:
        problems.append(Problem("episode", "the episode is not one of the title's"))
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(load_task(session, task.id)) if task else None
    if task is None:
        task = LocalizationTask(title_id=draft.title_id)
        session.add(task)
    task.title_id, task.episode_id, task.language_tag, task.kind = draft.title_id, draft.episode_id, draft.language_tag, draft.kind
    task.status, task.vendor_id, task.cost, task.currency = draft.status, draft.vendor_id, draft.cost, draft.currency or None
    task.due_on, task.delivered_on = draft.due_on, draft.delivered_on
    task.file_reference, task.notes = draft.file_reference.strip(), draft.notes
    session.flush()
    audit.record(session, user=user, action=AuditAction.UPDATE if before else AuditAction.CREATE,
                 entity="localization_task", entity_id=task.id,
                 summary=f"{task.language_tag} {KIND_WORDS[task.kind]}: {LABELS[task.status]}",
                 before=before, after=audit.snapshot(load_task(session, task.id)))
    return task.id


def create_tasks(session: Session, title_id: int, languages: Sequence[str], kinds: Sequence[LocalizationKind], *,
                 per_episode: bool, user: str, vendor_id: int | None = None, due_on: date | None = None) -> list[int]:
    """Tasks for a title in several languages and kinds at once, one for the whole title or one
    per episode; a task that already exists is left as it is. All or nothing."""
    episodes: list[int | None] = list(session.scalars(select(Episode.id).where(Episode.title_id == title_id)
                                                      .order_by(Episode.number))) if per_episode else [None]
    existing = {(t.episode_id, t.language_tag.lower(), t.kind) for t in session.scalars(
        select(LocalizationTask).where(LocalizationTask.title_id == title_id))}
    problems = [Problem("languages", "name at least one language")] if not languages else []
    problems += [Problem("kinds", "choose subtitles, dub or metadata and artwork")] if not kinds else []
    if problems:
        raise ValidationError(problems)
    created = []
    for language in languages:
        for kind in kinds:
            for episode_id in episodes:
                if (episode_id, language.lower(), kind) not in existing:
                    created.append(save_task(session, TaskDraft(title_id, language, kind, episode_id, vendor_id=vendor_id,
                                                                due_on=due_on), user=user))
    return created


def set_vendor_and_due(session: Session, task_ids: Sequence[int], *, user: str, vendor_id: int | None = None,
                       due_on: date | None = None, change_vendor: bool = False, change_due: bool = False) -> None:
    """Give many tasks (a title's episodes) the same vendor and/or due date at once."""
    for task_id in task_ids:
        draft = load_task(session, task_id)
        save_task(session, dataclasses.replace(
            draft, vendor_id=vendor_id if change_vendor else draft.vendor_id,
            due_on=due_on if change_due else draft.due_on), user=user)


def book_task_cost(session: Session, task_id: int, deal_id: int, *, user: str, incurred_on: date | None = None,
                   recoupable: bool = True) -> int:
    """Book a task's cost as an expense of a deal (recoupable unless said otherwise), once."""
    draft = load_task(session, task_id)
    title = session.get(Title, draft.title_id)
    return royalty_terms.book_expense(
        session, deal_id, ExpenseCategory.LOCALIZATION, draft.cost, draft.currency,
        f"{KIND_WORDS[draft.kind].capitalize()} {draft.language_tag}: {title.original_name if title else draft.title_id}",
        incurred_on or draft.delivered_on or date.today(), recoupable=recoupable, user=user, localization_task_id=task_id)

