"""Titles and their episodes: listing, loading, saving, deleting."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from rightsdesk.domain.catalogue import (
    EpisodeDraft,
    TitleDraft,
    normalize_title,
    title_problems,
)
from rightsdesk.domain.enums import AuditAction, PartyKind
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.domain.words import plural
from rightsdesk.persistence.database import take_turns
from rightsdesk.persistence.models import (
    Episode,
    GrantTitle,
    Party,
    RevenueLine,
    StatementLine,
    Title,
    TitleLocalizedName,
)
from rightsdesk.services import audit, reference
from rightsdesk.services.listing import ListQuery, contains, matching_ids, natural

ENGLISH = "en"
_RENUMBER_OFFSET = 1_000_000


@dataclass(frozen=True)
class TitleRow:
    """What the catalogue list shows of a title."""

    id: int
    internal_id: str
    original_name: str
    english_name: str
    original_language: str
    country_of_origin: str
    genre: str
    production_year: int | None
    producer: str
    episode_count: int
    runtime_seconds: int


_episode_count = (
    select(func.count(Episode.id)).where(Episode.title_id == Title.id).scalar_subquery()
)
_english_name = (
    select(TitleLocalizedName.name)
    .where(TitleLocalizedName.title_id == Title.id, TitleLocalizedName.language_tag == ENGLISH)
    .scalar_subquery()
)
_producer_name = select(Party.name).where(Party.id == Title.producer_id).scalar_subquery()

# Names sort as people read the numbers in them ("Temporada 2" before "Temporada 10").
TITLE_SORT = {
    "internal_id": natural(Title.internal_id),
    "original_name": natural(Title.original_name),
    "english_name": natural(_english_name),
    "original_language": Title.original_language,
    "country_of_origin": Title.country_of_origin,
    "genre": Title.genre,
    "production_year": Title.production_year,
    "producer": natural(_producer_name),
    "episode_count": _episode_count,
    "runtime": select(func.coalesce(func.sum(Episode.runtime_seconds), 0))
    .where(Episode.title_id == Title.id)
    .scalar_subquery(),
}


def find_title_ids(session: Session, query: ListQuery = ListQuery()) -> list[int]:
    """Titles whose columns in the catalogue list (ID, names, language, country, genre, year,
    producer) hold every word of the filter, each word in one of them; besides what the list
    shows, a name in any language and the EIDR ID find a title too (what a platform's report
    or a buyer calls it)."""
    localized = lambda pattern: Title.id.in_(  # noqa: E731
        select(TitleLocalizedName.title_id).where(
            TitleLocalizedName.name.ilike(pattern, escape="\\")
        )
    )
    produced_by = lambda pattern: Title.producer_id.in_(  # noqa: E731
        select(Party.id).where(Party.name.ilike(pattern, escape="\\"))
    )
    return matching_ids(
        session,
        select(Title.id),
        query,
        searchable=[
            contains(Title.original_name),
            contains(Title.internal_id),
            contains(Title.genre),
            contains(Title.original_language),
            contains(Title.country_of_origin),
            contains(cast(Title.production_year, String)),
            produced_by,
            contains(Title.eidr),
            localized,
        ],
        sortable=TITLE_SORT,
        tiebreak=Title.id,
    )


def title_rows(session: Session, ids: Sequence[int]) -> dict[int, TitleRow]:
    """The list rows of the given titles (those that still exist), keyed by ID."""
    if not ids:
        return {}
    episodes = (
        select(
            Episode.title_id,
            func.count(Episode.id).label("count"),
            func.coalesce(func.sum(Episode.runtime_seconds), 0).label("runtime"),
        )
        .where(Episode.title_id.in_(ids))
        .group_by(Episode.title_id)
        .subquery()
    )
    english = (
        select(TitleLocalizedName.title_id, TitleLocalizedName.name)
        .where(TitleLocalizedName.language_tag == ENGLISH, TitleLocalizedName.title_id.in_(ids))
        .subquery()
    )
    statement = (
        select(Title, Party.name, episodes.c.count, episodes.c.runtime, english.c.name)
        .outerjoin(Party, Party.id == Title.producer_id)
        .outerjoin(episodes, episodes.c.title_id == Title.id)
        .outerjoin(english, english.c.title_id == Title.id)
        .where(Title.id.in_(ids))
    )
    rows = {}
    for title, producer, count, runtime, english_name in session.execute(statement):
        rows[title.id] = TitleRow(
            id=title.id,
            internal_id=title.internal_id,
            original_name=title.original_name,
            english_name=english_name or "",
            original_language=title.original_language,
            country_of_origin=title.country_of_origin or "",
            genre=title.genre,
            production_year=title.production_year,
            producer=producer or "",
            episode_count=count or 0,
            runtime_seconds=runtime or 0,
        )
    return rows


def load_title(session: Session, title_id: int) -> TitleDraft:
    title = session.get(
        Title,
        title_id,
        options=[selectinload(Title.episodes), selectinload(Title.localized_names)],
    )
    if title is None:
        raise NotFound(f"title {title_id} no longer exists")
    return _draft_of(title)


def _draft_of(title: Title) -> TitleDraft:
    return TitleDraft(
        id=title.id,
        version=title.version,
        internal_id=title.internal_id,
        original_name=title.original_name,
        original_language=title.original_language,
        country_of_origin=title.country_of_origin or "",
        genre=title.genre,
        production_year=title.production_year,
        producer_id=title.producer_id,
        eidr=title.eidr or "",
        aspect_ratio=title.aspect_ratio,
        synopsis=title.synopsis,
        localized_names={n.language_tag: n.name for n in title.localized_names},
        episodes=[
            EpisodeDraft(e.number, e.name, e.runtime_seconds, id=e.id) for e in title.episodes
        ],
    )


def save_title(session: Session, draft: TitleDraft, *, user: str) -> int:
    """Create or update a title with its episodes and localized names; returns its ID.

    Refuses, with every problem listed, a draft that breaks a rule, and refuses to overwrite
    a title that someone else saved after the draft was loaded.
    """
    # Work on a copy: the caller's draft stays as the user typed it.
    draft = normalize_title(
        dataclasses.replace(
            draft,
            episodes=[dataclasses.replace(e) for e in draft.episodes],
            localized_names=dict(draft.localized_names),
        )
    )
    problems = title_problems(
        draft, countries=reference.country_codes(session), this_year=date.today().year
    )
    problems += _uniqueness_problems(session, draft)
    if draft.producer_id is not None and session.get(Party, draft.producer_id) is None:
        problems.append(Problem("producer", "the producer no longer exists"))
    if problems:
        raise ValidationError(problems)

    if draft.id is None:
        title = Title(internal_id=draft.internal_id or _next_internal_id(session))
        session.add(title)
        before = None
    else:
        loaded = session.get(Title, draft.id, options=[selectinload(Title.episodes), selectinload(Title.localized_names)])
        title = audit.still_current(session, loaded, draft, "title", "title")
        before = _snapshot(_draft_of(title))
        if draft.internal_id:
            title.internal_id = draft.internal_id

    for name in ("original_name", "original_language", "genre", "production_year", "producer_id",
                 "aspect_ratio", "synopsis"):
        setattr(title, name, getattr(draft, name))
    title.country_of_origin = draft.country_of_origin or None
    title.eidr = draft.eidr or None
    _apply_localized_names(title, draft.localized_names)
    _apply_episodes(session, title, draft.episodes)
    try:
        session.flush()
    except StaleDataError as error:
        raise audit.conflict(session, "title", draft.id or 0) from error  # title.id: expired with the rollback

    after = _snapshot(_draft_of(title))
    if before != after:
        audit.record(
            session,
            user=user,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            entity="title",
            entity_id=title.id,
            summary=title.original_name,
            before=before,
            after=after,
        )
    return title.id


def delete_title(session: Session, title_id: int, *, user: str) -> None:
    title = session.get(Title, title_id)
    if title is None:
        raise NotFound("that title no longer exists (someone deleted it)")
    # Rights and money that name the title must be dealt with first; everything that only
    # describes it (episodes, names, windows, cues, localization) goes with it.
    uses = {
        "grant": select(func.count()).where(GrantTitle.title_id == title_id),
        "revenue line": select(func.count()).where(RevenueLine.title_id == title_id),
        "statement line": select(func.count()).where(StatementLine.title_id == title_id),
    }
    found = [plural(count, what) for what, query in uses.items() if (count := session.scalar(query))]
    if found:
        raise UserError(
            f"'{title.original_name}' is named in {', '.join(found)}; it cannot be deleted "
            "while deals or statements refer to it"
        )
    before = _snapshot(load_title(session, title_id))
    session.delete(title)
    audit.record(session, user=user, action=AuditAction.DELETE, entity="title",
                 entity_id=title_id, summary=title.original_name, before=before, after=None)


def _uniqueness_problems(session: Session, draft: TitleDraft) -> list[Problem]:
    problems = []
    others = select(Title.id).where(Title.id != draft.id) if draft.id else select(Title.id)
    if draft.internal_id and session.scalar(others.where(Title.internal_id == draft.internal_id)):
        problems.append(Problem("internal_id", f"'{draft.internal_id}' is another title's ID"))
    if draft.eidr and session.scalar(others.where(Title.eidr == draft.eidr)):
        problems.append(Problem("eidr", f"{draft.eidr} is another title's EIDR ID"))
    return problems


def _next_internal_id(session: Session) -> str:
    take_turns(session, "title.internal_id")  # two desks adding titles at once: never the same ID
    highest = session.scalar(select(func.max(Title.id))) or 0
    candidate = highest + 1
    while session.scalar(select(Title.id).where(Title.internal_id == f"T{candidate:06d}")):
        candidate += 1
    return f"T{candidate:06d}"


def _apply_localized_names(title: Title, names: dict[str, str]) -> None:
    existing = {n.language_tag: n for n in title.localized_names}
    for tag, localized in list(existing.items()):
        if tag not in names:
            title.localized_names.remove(localized)
    for tag, name in names.items():
        if tag in existing:
            existing[tag].name = name
        else:
            title.localized_names.append(TitleLocalizedName(language_tag=tag, name=name))


def _apply_episodes(session: Session, title: Title, drafts: list[EpisodeDraft]) -> None:
    existing = {e.id: e for e in title.episodes}
    kept_ids = {d.id for d in drafts if d.id in existing}
    removed = [e for episode_id, e in existing.items() if episode_id not in kept_ids]
    for episode in removed:
        title.episodes.remove(episode)
    if removed:
        session.flush()  # free their numbers for new episodes
    # Renumbered episodes step aside first, so that swapping two numbers never trips the
    # (title, number) uniqueness in the middle of the save.
    moving = [d for d in drafts if d.id in existing and existing[d.id].number != d.number]
    if moving:
        for d in moving:
            existing[d.id].number += _RENUMBER_OFFSET
        session.flush()
    for d in drafts:
        if d.id in existing:
            episode = existing[d.id]
            episode.number, episode.name, episode.runtime_seconds = d.number, d.name, d.runtime_seconds
        else:
            title.episodes.append(Episode(number=d.number, name=d.name, runtime_seconds=d.runtime_seconds))


def _snapshot(draft: TitleDraft) -> dict[str, Any]:
    """A title as the audit log keeps it: plain JSON, without bookkeeping fields."""
    data = dataclasses.asdict(draft)
    data.pop("version")
    for episode in data["episodes"]:
        episode.pop("id")
    return data


def producer_choices(session: Session) -> list[tuple[int, str]]:
    return list(
        session.execute(
            select(Party.id, Party.name).where(Party.kind == PartyKind.PRODUCER).order_by(Party.name)
        ).all()
    )


def title_id_of(session: Session, text: str) -> int | None:
    """A title from what a file or a user names it by: its internal ID, else its original name
    (ignoring case; the first such title when two share a name)."""
    text = text.strip()
    return session.scalar(select(Title.id).where(Title.internal_id == text)) or session.scalar(
        select(Title.id).where(func.lower(Title.original_name) == text.casefold()).order_by(Title.id).limit(1))
