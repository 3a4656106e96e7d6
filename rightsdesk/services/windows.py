"""Release windows: listing them with their flags, planning them from templates, editing them."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain import windows
from rightsdesk.domain.avails import RightsGrant, Status, TitleRights
from rightsdesk.domain.enums import AuditAction, WindowStatus
from rightsdesk.domain.errors import NotFound, Problem, ValidationError
from rightsdesk.domain.localization import localization_restrictions
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.domain.windows import TemplateStep, WindowFlag
from rightsdesk.persistence.models import Deal, Grant, ReleaseWindow, Title, WindowTemplate, WindowTemplateStep
from rightsdesk.services import audit, reference
from rightsdesk.services.avails import load_rights, localization_tasks, rights_grants, titles_matching

ENTITY = "release_window"


@dataclass(frozen=True)
class Template:
    id: int | None  # None: a template not saved yet
    name: str
    description: str
    steps: list[TemplateStep]
    version: int = 1  # as loaded: a save over a newer one is refused


@dataclass
class WindowDraft:
    title_id: int
    territory: str
    media: str
    planned_start: date
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    status: WindowStatus = WindowStatus.PLANNED
    exclusive: bool = False
    grant_id: int | None = None
    template_id: int | None = None
    notes: str = ""
    id: int | None = None
    version: int | None = None

    @property
    def start(self) -> date:
        return self.actual_start or self.planned_start

    @property
    def end(self) -> date | None:
        return self.actual_end or self.planned_end


@dataclass
class WindowView:
    """A window as the screens show it: its draft, names, and what is wrong with it."""

    window: WindowDraft
    title_name: str
    deal_reference: str
    flags: list[WindowFlag] = field(default_factory=list)


def templates(session: Session) -> list[Template]:
    found = session.scalars(select(WindowTemplate).options(selectinload(WindowTemplate.steps)).order_by(WindowTemplate.name))
    return [_template_of(t) for t in found]


def load_template(session: Session, template_id: int) -> Template:
    """One window template as saved now; NotFound once deleted."""
    template = session.get(WindowTemplate, template_id, options=[selectinload(WindowTemplate.steps)])
    if template is None:
        raise NotFound("that window template no longer exists")
    return _template_of(template)


def _template_of(template: WindowTemplate) -> Template:
    return Template(template.id, template.name, template.description, [
        TemplateStep(s.media_code, s.start_months, s.start_days, s.length_months, s.length_days, s.exclusive)
        for s in template.steps], template.version)


def title_named(session: Session, text: str) -> int:
    """The title a planner typed: by its ID, else the first (by name) whose names hold the
    words typed. NotFound when none does."""
    found = titles_matching(session, text)
    if not found:
        raise NotFound(f"there is no title '{text}'")
    return found[0]


def save_template(session: Session, name: str, steps: list[TemplateStep], *, description: str = "",
                  template_id: int | None = None, version: int | None = None) -> int:
    """Create or replace a window template. `version`: the template as the editor loaded it;
    raises Conflict when someone saved it since."""
    media = reference.known_media(session)  # a step's media typed in any case is kept as the medium's code
    steps = [dataclasses.replace(s, media=media.as_stored(s.media)) for s in steps]
    problems = windows.template_problems(name, steps, media)
    clash = select(WindowTemplate.id).where(WindowTemplate.name == name.strip())
    if template_id is not None:
        clash = clash.where(WindowTemplate.id != template_id)
    if session.scalar(clash):
        problems.append(Problem("name", f"there is already a template called '{name.strip()}'"))
    if problems:
        raise ValidationError(problems)
    template = session.get(WindowTemplate, template_id) if template_id else None
    if template is not None and version is not None and template.version != version:
        raise audit.conflict(session, "window_template", template.id)
    if template is not None:
        flag_modified(template, "name")  # the version moves even when only the steps change
    if template is None:
        template = WindowTemplate(name=name.strip())
        session.add(template)
    template.name, template.description = name.strip(), description
    template.steps.clear()
    session.flush()
    template.steps = [WindowTemplateStep(position=n, media_code=s.media, start_months=s.start_months,
                                         start_days=s.start_days, length_months=s.length_months,
                                         length_days=s.length_days, exclusive=s.exclusive)
                      for n, s in enumerate(steps, start=1)]
    session.flush()
    return template.id


def apply_template(session: Session, template_id: int, title_id: int, territories: str, start: date, *,
                   grant_id: int | None = None, user: str) -> list[int]:
    """Plan a template's windows for a title in every country of a territory scope (the
    windows `plan_template` shows); returns their IDs."""
    return [save_window(session, draft, user=user)
            for draft in plan_template(session, template_id, title_id, territories, start, grant_id=grant_id)]


def preview_template(session: Session, template_id: int, title_id: int, territories: str, start: date, *,
                     grant_id: int | None = None) -> list[WindowView]:
    """The windows `apply_template` would create, with what would be wrong with each
    (`flagged`), nothing saved: what the planner sees before saving."""
    return flagged(session, plan_template(session, template_id, title_id, territories, start, grant_id=grant_id))


def plan_template(session: Session, template_id: int, title_id: int, territories: str, start: date, *,
                  grant_id: int | None = None) -> list[WindowDraft]:
    """A template's windows for a title, a window per country of the scope and step, by
    country then step, not saved. NotFound for a template or title gone, ValidationError
    for a scope naming no known territory."""
    template = next((t for t in templates(session) if t.id == template_id), None)
    if template is None:
        raise NotFound("that window template no longer exists")
    if session.get(Title, title_id) is None:
        raise NotFound("that title no longer exists")
    groups = reference.territory_groups(session)
    scope = TerritoryScope.parse(territories, groups)
    countries = reference.country_codes(session)
    problems = [Problem("territories", f"'{i.code}' is neither a country nor a group")
                for i in scope.items if not i.is_group and i.code not in countries]
    if not problems and not scope.countries(groups):
        problems.append(Problem("territories", "name at least one territory"))
    if problems:
        raise ValidationError(problems)
    grant_media = _grant_media(session, grant_id)
    return [WindowDraft(title_id, country, planned.media, planned.start, planned.end, exclusive=planned.exclusive,
                        template_id=template_id, grant_id=grant_id if planned.media in grant_media else None)
            for country in sorted(scope.countries(groups)) for planned in windows.plan(template.steps, start)]


def _grant_media(session: Session, grant_id: int | None) -> frozenset[str]:
    if grant_id is None:
        return frozenset()
    grant = rights_grants(session, {grant_id}, reference.territory_groups(session)).get(grant_id)
    return grant.media if grant else frozenset()


def window_problems(draft: WindowDraft, countries: set[str], media: Collection[str]) -> list[Problem]:
    problems = []
    if draft.territory not in countries:
        problems.append(Problem("territory", f"'{draft.territory}' is not an ISO 3166-1 country code"))
    if draft.media not in media:
        problems.append(Problem("media", f"'{draft.media}' is not a known media"))
    for label, first, last in (("planned", draft.planned_start, draft.planned_end), ("actual", draft.actual_start, draft.actual_end)):
        if first and last and last < first:
            problems.append(Problem(label, f"the {label} window ends ({last}) before it starts ({first})"))
    if draft.actual_end and not draft.actual_start:
        problems.append(Problem("actual", "an actual end needs an actual start"))
    if draft.status is WindowStatus.RELEASED and draft.actual_start is None:
        problems.append(Problem("status", "a released window needs its actual start date"))
    return problems


def save_window(session: Session, draft: WindowDraft, *, user: str) -> int:
    media = reference.known_media(session)
    draft = dataclasses.replace(draft, territory=draft.territory.strip().upper(), media=media.as_stored(draft.media),
                                status=WindowStatus(draft.status))
    problems = window_problems(draft, reference.country_codes(session), media)
    if problems:
        raise ValidationError(problems)
    if draft.id is None:
        window = ReleaseWindow()
        session.add(window)
        before = None
    else:
        window = audit.still_current(session, session.get(ReleaseWindow, draft.id), draft, ENTITY, "window")
        before = _snapshot(_draft_of(window))
    window.title_id, window.territory_code, window.media_code = draft.title_id, draft.territory, draft.media
    window.planned_start, window.planned_end = draft.planned_start, draft.planned_end
    window.actual_start, window.actual_end = draft.actual_start, draft.actual_end
    window.status, window.exclusive, window.notes = draft.status, draft.exclusive, draft.notes
    window.grant_id, window.template_id = draft.grant_id, draft.template_id
    try:
        session.flush()
    except StaleDataError as error:
        raise audit.conflict(session, ENTITY, draft.id or 0) from error
    after = _snapshot(_draft_of(window))
    if before != after:
        audit.record(session, user=user, action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
                     entity=ENTITY, entity_id=window.id, summary=f"{draft.media} {draft.territory}",
                     before=before, after=after)
    return window.id


def delete_window(session: Session, window_id: int, *, user: str) -> None:
    window = session.get(ReleaseWindow, window_id)
    if window is None:
        raise NotFound("this window no longer exists: someone deleted it meanwhile")
    before = _snapshot(_draft_of(window))
    session.delete(window)
    audit.record(session, user=user, action=AuditAction.DELETE, entity=ENTITY, entity_id=window_id,
                 summary=f"{window.media_code} {window.territory_code}", before=before, after=None)


def load_window(session: Session, window_id: int) -> WindowDraft:
    window = session.get(ReleaseWindow, window_id)
    if window is None:
        raise NotFound("this window no longer exists: someone deleted it meanwhile")
    return _draft_of(window)


def _draft_of(window: ReleaseWindow) -> WindowDraft:
    return WindowDraft(window.title_id, window.territory_code, window.media_code, window.planned_start,
                       window.planned_end, window.actual_start, window.actual_end, window.status, window.exclusive,
                       window.grant_id, window.template_id, window.notes, window.id, window.version)


def _snapshot(draft: WindowDraft) -> dict[str, Any]:
    return audit.snapshot(draft)


def window_views(session: Session, *, title_id: int | None = None, territory: str | None = None,
                 limit: int = 5000) -> list[WindowView]:
    """The windows of a title or of a territory, each with what is wrong with it."""
    query = select(ReleaseWindow).order_by(ReleaseWindow.title_id, ReleaseWindow.territory_code,
                                           ReleaseWindow.planned_start, ReleaseWindow.media_code)
    if title_id is not None:
        query = query.where(ReleaseWindow.title_id == title_id)
    if territory is not None:
        query = query.where(ReleaseWindow.territory_code == territory.upper())
    drafts = [_draft_of(w) for w in session.scalars(query.limit(limit))]
    return flagged(session, drafts)


def windows_between(session: Session, start: date, end: date, *, territory: str | None = None,
                    media: str | None = None, title_ids: Sequence[int] | None = None,
                    grant_ids: Sequence[int] | None = None) -> list[WindowView]:
    """The windows running at some time between two days (inclusive), soonest first, with flags."""
    window_end = func.coalesce(ReleaseWindow.actual_end, ReleaseWindow.planned_end)
    query = (select(ReleaseWindow)
             .where(func.coalesce(ReleaseWindow.actual_start, ReleaseWindow.planned_start) <= end)
             .where(or_(window_end.is_(None), window_end >= start))
             .order_by(ReleaseWindow.planned_start, ReleaseWindow.title_id, ReleaseWindow.territory_code, ReleaseWindow.media_code))
    if territory:
        query = query.where(ReleaseWindow.territory_code == territory.upper())
    if media:
        query = query.where(ReleaseWindow.media_code == reference.known_media(session).as_stored(media))
    if title_ids is not None:
        query = query.where(ReleaseWindow.title_id.in_(title_ids))
    if grant_ids is not None:
        query = query.where(ReleaseWindow.grant_id.in_(grant_ids))
    return flagged(session, [_draft_of(w) for w in session.scalars(query)])


def windows_starting(session: Session, first: date, last: date) -> list[WindowView]:
    """The windows that start between two days (inclusive), soonest first, with flags."""
    start = func.coalesce(ReleaseWindow.actual_start, ReleaseWindow.planned_start)
    query = (select(ReleaseWindow).where(start >= first, start <= last)
             .order_by(start, ReleaseWindow.title_id, ReleaseWindow.territory_code, ReleaseWindow.media_code))
    return flagged(session, [_draft_of(w) for w in session.scalars(query)])


def flagged(session: Session, drafts: list[WindowDraft]) -> list[WindowView]:
    """Windows with their flags: outside the rights held, under a holdback, licensed exclusively
    to someone else, or outside the grant they are released under."""
    if not drafts:
        return []
    groups = reference.territory_groups(session)
    title_ids = sorted({d.title_id for d in drafts})
    # A window warns when its music is not cleared, and when the title is not localized in
    # the languages of the grant it is released under.
    rights = load_rights(session, title_ids, groups, music=True)
    names = dict(session.execute(select(Title.id, Title.original_name).where(Title.id.in_(title_ids))).all())
    grant_ids = {d.grant_id for d in drafts if d.grant_id is not None}
    own_grants = rights_grants(session, grant_ids, groups)
    needs_languages = any(grant.languages for grant in own_grants.values())
    tasks = localization_tasks(session, title_ids) if needs_languages else {}
    references = dict(session.execute(select(Grant.id, Deal.reference).join(Deal).where(Grant.id.in_(grant_ids))).all()) if grant_ids else {}
    views = []
    without: dict[tuple[int, int | None], TitleRights] = {}
    for draft in drafts:
        key = (draft.title_id, draft.grant_id)
        if key not in without:
            title = rights[draft.title_id]
            without[key] = TitleRights(title.title_id, title.episode_count,
                                       [c for c in title.coverages if c.grant.grant_id != draft.grant_id],
                                       title.restrictions)
        if draft.status is WindowStatus.CANCELLED:
            flags = []
        else:
            grant = own_grants.get(draft.grant_id) if draft.grant_id is not None else None
            title_rights = without[key]
            if grant is not None and grant.languages:
                title_rights = dataclasses.replace(title_rights, restrictions=title_rights.restrictions + localization_restrictions(
                    tasks.get(draft.title_id, []), sorted(grant.languages), countries={draft.territory}, media={draft.media}))
            flags = windows.window_flags(title_rights, draft.territory, draft.media, draft.start, draft.end,
                                         exclusive=draft.exclusive)
            if grant is not None:
                flags += _outside_grant(grant, draft)
                if grant.pending:
                    flags.append(WindowFlag(Status.NOT_ACQUIRED, draft.start, draft.end,
                                            f"{grant.deal_reference}{grant.position}: {grant.pending}, "
                                            "so its days may fall outside the term"))
        views.append(WindowView(draft, names.get(draft.title_id, ""), references.get(draft.grant_id, ""), flags))
    return views


def _outside_grant(grant: RightsGrant, draft: WindowDraft) -> list[WindowFlag]:
    missing = []
    if draft.territory not in grant.territories:
        missing.append(f"{draft.territory} is not in its territories")
    if draft.media not in grant.media:
        missing.append(f"{draft.media} is not among its media")
    if grant.start and draft.start < grant.start:
        missing.append(f"it starts before the grant ({grant.start})")
    if grant.end and (draft.end is None or draft.end > grant.end):
        missing.append(f"it runs past the grant's end ({grant.end})")
    if not missing:
        return []
    return [WindowFlag(Status.NOT_ACQUIRED, draft.start, draft.end,
                       f"outside {grant.deal_reference}{grant.position}: " + "; ".join(missing))]


def titles_with_windows(session: Session, limit: int = 50) -> list[tuple[int, str]]:
    rows = session.execute(select(Title.id, Title.original_name).where(
        Title.id.in_(select(ReleaseWindow.title_id).distinct())).order_by(Title.original_name).limit(limit))
    return list(rows.all())

