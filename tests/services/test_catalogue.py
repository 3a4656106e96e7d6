from datetime import date

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import AuditAction, PartyKind
from rightsdesk.domain.errors import Conflict, NotFound, UserError, ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.persistence.models import AuditEntry, Deal, Episode, Grant, GrantTitle, Title
from rightsdesk.services import audit, catalogue, parties
from rightsdesk.services.listing import ListQuery

USER = "maria"


def new_title(**changes) -> TitleDraft:
    draft = TitleDraft(
        original_name="总裁的替身新娘",
        original_language="zh-Hans",
        country_of_origin="CN",
        genre="CEO Romance",
        production_year=2025,
        localized_names={"en": "The CEO's Substitute Bride", "th": "เจ้าสาวตัวแทนของซีอีโอ"},
        episodes=[EpisodeDraft(n, f"第{n}集", 90 + n) for n in range(1, 4)],
    )
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def save(database, draft: TitleDraft) -> int:
    with database.transaction() as session:
        return catalogue.save_title(session, draft, user=USER)


def load(database, title_id: int) -> TitleDraft:
    with database.read() as session:
        return catalogue.load_title(session, title_id)


def test_a_new_title_is_saved_with_its_episodes_names_and_an_id(database):
    title_id = save(database, new_title())
    saved = load(database, title_id)
    assert saved.internal_id == f"T{title_id:06d}"
    assert [(e.number, e.name, e.runtime_seconds) for e in saved.episodes] == [
        (1, "第1集", 91), (2, "第2集", 92), (3, "第3集", 93)
    ]
    assert saved.localized_names["th"] == "เจ้าสาวตัวแทนของซีอีโอ"
    assert saved.version == 1


def test_saving_writes_the_audit_log_with_before_and_after(database):
    title_id = save(database, new_title())
    draft = load(database, title_id)
    draft.genre = "Revenge"
    save(database, draft)
    with database.read() as session:
        entries = audit.history(session, "title", title_id)
    assert [e.action for e in entries] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert entries[1].user_name == USER
    assert entries[1].before["genre"] == "CEO Romance"
    assert entries[1].after["genre"] == "Revenge"


def test_saving_nothing_new_writes_no_audit_entry(database):
    title_id = save(database, new_title())
    save(database, load(database, title_id))
    with database.read() as session:
        assert session.scalar(select(func.count(AuditEntry.id))) == 1


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"original_name": ""}, "original_name"),
        ({"country_of_origin": "XX"}, "country_of_origin"),
        ({"episodes": [EpisodeDraft(1, "", -30)]}, "episode 1 (row 1)"),
        ({"episodes": [EpisodeDraft(1, "", 90), EpisodeDraft(1, "", 90)]}, "episode 1 (row 1)"),
        ({"original_language": "klingon language"}, "original_language"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(database, change, where):
    with pytest.raises(ValidationError) as refused:
        save(database, new_title(**change))
    assert where in {p.where for p in refused.value.problems}
    with database.read() as session:
        assert session.scalar(select(func.count(Title.id))) == 0
        assert session.scalar(select(func.count(Episode.id))) == 0


def test_an_eidr_or_internal_id_used_by_another_title_is_refused(database):
    save(database, new_title(eidr="10.5240/7791-8534-2C23-9030-8610-5", internal_id="SHOW-1"))
    with pytest.raises(ValidationError) as refused:
        save(database, new_title(eidr="10.5240/7791-8534-2C23-9030-8610-5", internal_id="SHOW-1"))
    assert {p.where for p in refused.value.problems} == {"eidr", "internal_id"}


def test_an_unknown_producer_is_refused(database):
    with pytest.raises(ValidationError, match="producer"):
        save(database, new_title(producer_id=999))


def test_episodes_can_be_added_removed_renumbered_and_swapped(database):
    title_id = save(database, new_title())
    draft = load(database, title_id)
    first, second, third = draft.episodes
    first.number, second.number = 2, 1  # swap
    draft.episodes = [first, second, EpisodeDraft(3, "new third", 120), EpisodeDraft(4, "fourth", 60)]
    save(database, draft)
    saved = load(database, title_id)
    assert [(e.number, e.name) for e in saved.episodes] == [
        (1, "第2集"), (2, "第1集"), (3, "new third"), (4, "fourth")
    ]
    by_id = {e.id: e.name for e in saved.episodes}
    assert by_id[first.id] == "第1集" and by_id[second.id] == "第2集"  # same rows, new numbers
    assert "第3集" not in by_id.values()


def test_a_save_over_someone_elses_newer_change_is_refused(database):
    title_id = save(database, new_title())
    mine, theirs = load(database, title_id), load(database, title_id)
    theirs.genre = "Thriller"
    with database.transaction() as session:
        catalogue.save_title(session, theirs, user="li")
    mine.genre = "Comedy"
    with pytest.raises(Conflict, match="changed by li"):
        save(database, mine)
    assert load(database, title_id).genre == "Thriller"


def test_a_title_named_in_a_grant_cannot_be_deleted(database):
    title_id = save(database, new_title())
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft(name="Jade Pictures", kind=PartyKind.PRODUCER), user=USER)
        deal = Deal(direction="in", counterparty_id=producer, reference="IN-1", currency="USD")
        session.add(deal)
        session.flush()
        grant = Grant(deal_id=deal.id, term_start=date(2026, 1, 1))
        session.add(grant)
        session.flush()
        session.add(GrantTitle(grant_id=grant.id, title_id=title_id))
    with pytest.raises(UserError, match="named in 1 grant"):
        with database.transaction() as session:
            catalogue.delete_title(session, title_id, user=USER)
    assert load(database, title_id).original_name


def test_deleting_a_title_removes_its_episodes_and_is_audited(database):
    title_id = save(database, new_title())
    with database.transaction() as session:
        catalogue.delete_title(session, title_id, user=USER)
    with pytest.raises(NotFound):
        load(database, title_id)
    with database.read() as session:
        assert session.scalar(select(func.count(Episode.id))) == 0
        assert audit.last_change(session, "title", title_id).action == AuditAction.DELETE


def test_the_list_filters_by_any_name_and_sorts_in_sql(database):
    a = save(database, new_title(original_name="Amor prohibido", localized_names={"en": "Forbidden Love"}))
    b = save(database, new_title(original_name="Zafiro", localized_names={"en": "Sapphire"}, episodes=[EpisodeDraft(1, "", 60)]))
    c = save(database, new_title())
    with database.read() as session:
        assert catalogue.find_title_ids(session, ListQuery("forbidden")) == [a]  # English name
        assert catalogue.find_title_ids(session, ListQuery("替身")) == [c]
        assert catalogue.find_title_ids(session, ListQuery("50%")) == []  # wildcards are literal
        assert catalogue.find_title_ids(session, ListQuery(sort="original_name")) == [a, b, c]
        assert catalogue.find_title_ids(session, ListQuery(sort="episode_count", descending=True))[-1] == b
        rows = catalogue.title_rows(session, [a, b])
    assert rows[b].episode_count == 1 and rows[b].runtime_seconds == 60
    assert rows[a].english_name == "Forbidden Love"


def test_a_title_a_deal_names_is_not_deleted_and_the_refusal_counts_in_words(database, worked):
    from rightsdesk.domain.errors import UserError
    from rightsdesk.services import catalogue as titles

    with database.transaction() as session, pytest.raises(UserError) as refused:
        titles.delete_title(session, worked["titles"][0], user="li")
    assert "'Bride' is named in 1 grant;" in str(refused.value)  # not "1 grant(s)"
