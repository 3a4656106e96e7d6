"""Licences and localization tasks move through their workflows; illegal steps are refused whole."""

from datetime import date

import pytest
from sqlalchemy import select

from rightsdesk.domain.enums import LicenceStatus, LocalizationKind, LocalizationStatus
from rightsdesk.domain.errors import ValidationError
from rightsdesk.persistence.models import AuditEntry, LocalizationTask, MusicLicence, Title
from rightsdesk.services.clearance import set_licence_status, set_task_status

TODAY = date(2026, 11, 25)


def test_a_licence_is_requested_then_cleared_and_cannot_skip_steps(database, cue_sheet):
    with database.transaction() as session:
        licence = MusicLicence(track_id=1, status=LicenceStatus.NOT_REQUESTED)
        session.add(licence)
        session.flush()
        licence_id = licence.id
    with pytest.raises(ValidationError, match="a not requested licence cannot become cleared"):
        with database.transaction() as session:
            set_licence_status(session, licence_id, LicenceStatus.CLEARED, user="ana", today=TODAY)
    with database.transaction() as session:
        set_licence_status(session, licence_id, LicenceStatus.REQUESTED, user="ana", today=TODAY)
        set_licence_status(session, licence_id, LicenceStatus.CLEARED, user="ana", today=TODAY)
    with database.read() as session:
        licence = session.get(MusicLicence, licence_id)
        assert (licence.status, licence.requested_on, licence.answered_on) == (LicenceStatus.CLEARED, TODAY, TODAY)
        changes = session.scalars(select(AuditEntry.summary).where(AuditEntry.entity == "music_licence")).all()
        assert changes == [f"licence {licence_id}: not_requested → requested", f"licence {licence_id}: requested → cleared"]


def test_bulk_task_changes_are_all_or_nothing(database, worked):
    bride = worked["titles"][0]
    with database.transaction() as session:
        tasks = [LocalizationTask(title_id=bride, language_tag="th", kind=LocalizationKind.SUBTITLES, status=status)
                 for status in (LocalizationStatus.IN_QC, LocalizationStatus.IN_QC, LocalizationStatus.NOT_STARTED)]
        session.add_all(tasks)
        session.flush()
        ids = [t.id for t in tasks]
    with pytest.raises(ValidationError) as refused:
        with database.transaction() as session:
            set_task_status(session, ids, LocalizationStatus.DELIVERED, user="ana", today=TODAY)
    with database.read() as session:
        name = session.get(Title, bride).original_name  # the task by its title, not its number
    assert [str(p) for p in refused.value.problems] == [
        f"status: {name}, th subtitles: a task not started cannot go to delivered (it can go to: in progress)"]
    with database.read() as session:
        assert [session.get(LocalizationTask, i).status for i in ids][:2] == [LocalizationStatus.IN_QC] * 2
    with database.transaction() as session:
        set_task_status(session, ids[:2], LocalizationStatus.DELIVERED, user="ana", today=TODAY)
        set_task_status(session, ids[:1], LocalizationStatus.REJECTED, user="ana", today=TODAY)
    with database.read() as session:
        first, second = (session.get(LocalizationTask, i) for i in ids[:2])
        assert (first.status, first.delivered_on) == (LocalizationStatus.REJECTED, None)
        assert (second.status, second.delivered_on) == (LocalizationStatus.DELIVERED, TODAY)
