"""Music licences and localization tasks edited through their workflows, tracks with their
credits, and what they cost booked once as a recoupable deal expense."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from rightsdesk.domain.enums import CreditRole, ExpenseCategory, LicenceStatus, LocalizationKind, LocalizationStatus
from rightsdesk.domain.errors import Conflict, UserError, ValidationError
from rightsdesk.domain.localization import TaskDraft
from rightsdesk.domain.music import CreditDraft, LicenceDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import AuditEntry, Episode, Expense, MusicTrack
from rightsdesk.services import localization, music
from rightsdesk.services.listing import ListQuery


def track_id(database, name):
    with database.read() as session:
        return session.scalar(select(MusicTrack.id).where(MusicTrack.title == name))


def test_a_licence_is_saved_with_its_scope_and_moves_only_as_the_workflow_allows(database, cue_sheet):
    nobody = track_id(database, "Nobody's Song")
    draft = LicenceDraft(nobody, territories=TerritoryScope((ScopeItem("WORLD", True), ScopeItem("CN", excluded=True))),
                         media=["APP", "AVOD"], term_start=date(2026, 1, 1), term_end=date(2028, 12, 31),
                         fee=D("800.00"), currency="USD", document_reference="contracts/nobody.pdf")
    with database.transaction() as session:
        licence_id = music.save_licence(session, draft, user="ana")
    with database.transaction() as session:
        saved = music.load_licence(session, licence_id)
        assert saved.territories.describe() == "WORLD excluding CN" and saved.media == ["APP", "AVOD"]
        assert (saved.fee, saved.currency, saved.document_reference) == (D("800.00"), "USD", "contracts/nobody.pdf")
        saved.status = LicenceStatus.REQUESTED
        music.save_licence(session, saved, user="ana", today=date(2026, 11, 2))
    with database.read() as session:
        saved = music.load_licence(session, licence_id)
    assert saved.requested_on == date(2026, 11, 2) and saved.version > 1  # the save moved the version
    saved.status = LicenceStatus.EXPIRED  # requested → expired skips the answer
    with pytest.raises(ValidationError, match="a requested licence cannot become expired"), database.transaction() as session:
        music.save_licence(session, saved, user="ana")
    # someone else answers first: the stale draft is refused, naming them
    with database.transaction() as session:
        theirs = music.load_licence(session, licence_id)
        theirs.status = LicenceStatus.CLEARED
        music.save_licence(session, theirs, user="ben")
    saved.status = LicenceStatus.DENIED
    with pytest.raises(Conflict, match="by ben"), database.transaction() as session:
        music.save_licence(session, saved, user="ana")


def test_a_licence_with_problems_lists_them_all(database, cue_sheet):
    bad = LicenceDraft(track_id(database, "Nobody's Song"), covers_sync=False, covers_master=False,
                       status=LicenceStatus.REQUESTED, territories=TerritoryScope((ScopeItem("XX"),)), media=["RADIO"],
                       term_start=date(2027, 1, 1), term_end=date(2026, 1, 1), fee=D(100))
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        music.save_licence(session, bad, user="ana")
    assert {p.where for p in refused.value.problems} == {"rights", "territories", "media", "term", "currency"}


def test_a_fee_is_booked_once_as_a_recoupable_music_expense(database, cue_sheet):
    with database.read() as session:
        licence_id = music.licences_of_track(session, track_id(database, "Shared Theme"))[0].id
    with database.transaction() as session:
        expense_id = music.book_licence_fee(session, licence_id, cue_sheet["deal"], user="ana", incurred_on=date(2026, 9, 1))
    with database.read() as session:
        expense = session.get(Expense, expense_id)
        assert (expense.category, expense.amount, expense.currency, expense.recoupable, expense.music_licence_id) == (
            ExpenseCategory.MUSIC, D("1234.50"), "USD", True, licence_id)
        assert "Shared Theme" in expense.description
    with pytest.raises(UserError, match="already booked as an expense of deal IN-1 on 2026-09-01"), \
            database.transaction() as session:
        music.book_licence_fee(session, licence_id, cue_sheet["deal"], user="ana")


def test_tracks_are_listed_with_their_use_and_saved_with_credits(database, cue_sheet):
    with database.read() as session:
        ids = music.find_track_ids(session, ListQuery(sort="cues", descending=True))
        rows = music.track_rows(session, ids)
    assert rows[ids[0]].title == "Shared Theme" and (rows[ids[0]].titles, rows[ids[0]].cues) == (2, 2)
    assert rows[track_id(database, "Quoted Song")].clearance == "quoted"
    assert rows[track_id(database, "Nobody's Song")].clearance == "no licence"
    with database.transaction() as session:
        draft = music.load_track(session, track_id(database, "Old Sting"))
        draft.credits = [CreditDraft(CreditRole.COMPOSER, "Ana Ruiz", D(60), "sgae"),
                         CreditDraft(CreditRole.COMPOSER, "Lee Park", D(50))]
        with pytest.raises(ValidationError, match="writers' shares add up to 110%"):
            music.save_track(session, draft, user="ana")
        draft.credits[1].share_percent = D(40)
        music.save_track(session, draft, user="ana")
    with database.read() as session:
        assert music.find_track_ids(session, ListQuery(text="ruiz")) == [track_id(database, "Old Sting")]
        assert music.load_track(session, track_id(database, "Old Sting")).credits[0].society == "SGAE"


def test_tasks_are_created_per_episode_changed_together_and_their_cost_booked(database, worked):
    bride = worked["titles"][0]
    with database.transaction() as session:
        created = localization.create_tasks(session, bride, ["th", "es-419"], [LocalizationKind.SUBTITLES], per_episode=True,
                                            user="ana", due_on=date(2026, 12, 1))
        again = localization.create_tasks(session, bride, ["th"], [LocalizationKind.SUBTITLES], per_episode=True, user="ana")
    assert len(created) == 2 and again == []  # one episode, two languages; nothing twice
    with database.transaction() as session:
        localization.set_vendor_and_due(session, created, user="ana", due_on=date(2026, 10, 1), change_due=True)
        rows = localization.task_rows(session, created, today=date(2026, 11, 25))
    assert all(r.overdue and r.due_on == date(2026, 10, 1) and r.episode == "1" for r in rows.values())

    task = created[0]
    with database.transaction() as session:
        draft = localization.load_task(session, task)
        draft.status = LocalizationStatus.DELIVERED  # not started → delivered skips the work
        with pytest.raises(ValidationError, match="a task not started cannot go to delivered"):
            localization.save_task(session, draft, user="ana")
        for status in (LocalizationStatus.IN_PROGRESS, LocalizationStatus.IN_QC, LocalizationStatus.DELIVERED):
            draft = localization.load_task(session, task)
            draft.status, draft.cost, draft.currency = status, D("320.00"), "USD"
            localization.save_task(session, draft, user="ana", today=date(2026, 11, 20))
        assert localization.load_task(session, task).delivered_on == date(2026, 11, 20)
        expense_id = localization.book_task_cost(session, task, worked["deal"], user="ana")
        expense = session.get(Expense, expense_id)
        assert (expense.category, expense.amount, expense.incurred_on, expense.localization_task_id) == (
            ExpenseCategory.LOCALIZATION, D("320.00"), date(2026, 11, 20), task)
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "localization_task",
                                                           AuditEntry.entity_id == task)).all()
        assert [e.after["status"] for e in entries] == ["not_started", "not_started", "in_progress", "in_qc", "delivered"]


def test_a_task_cannot_name_another_titles_episode(database, worked):
    bride, heiress = worked["titles"]
    with database.read() as session:
        heiress_episode = session.scalar(select(Episode.id).where(Episode.title_id == heiress))
    with pytest.raises(ValidationError, match="not one of the title's"), database.transaction() as session:
        localization.save_task(session, TaskDraft(bride, "th", LocalizationKind.DUB, heiress_episode), user="ana")
    with pytest.raises(ValidationError, match="language"), database.transaction() as session:
        localization.save_task(session, TaskDraft(bride, "not a tag!", LocalizationKind.DUB), user="ana")


def test_a_cleared_licence_past_its_term_shows_as_expired(database, cue_sheet):
    from rightsdesk.domain.music import standing

    assert standing(LicenceStatus.CLEARED, date(2026, 6, 30), date(2026, 7, 1)) is LicenceStatus.EXPIRED
    assert standing(LicenceStatus.CLEARED, date(2026, 6, 30), date(2026, 6, 30)) is LicenceStatus.CLEARED
    assert standing(LicenceStatus.QUOTED, date(2020, 1, 1), date(2026, 7, 1)) is LicenceStatus.QUOTED
    sting = track_id(database, "Old Sting")  # its only licence was cleared until 2026-06-30
    with database.read() as session:
        assert music.track_rows(session, [sting], today=date(2026, 6, 1))[sting].clearance == "cleared"
        assert music.track_rows(session, [sting], today=date(2026, 7, 1))[sting].clearance == "expired"
