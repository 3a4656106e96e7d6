"""Every record users edit refuses a save that someone else's save overtook (issue 17): each
model is Versioned, or saved only with an owner that is, or never edited in place, and a new
model must say which. Then the races the issue found: tracks and cue sheets, two desks at once."""

from __future__ import annotations

import pytest

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import UsageCode
from rightsdesk.domain.errors import Conflict
from rightsdesk.domain.music import CueDraft
from rightsdesk.domain.windows import TemplateStep
from rightsdesk.persistence import models
from rightsdesk.persistence.base import Base, Versioned
from rightsdesk.services import catalogue, cue_sheets, music, windows


def test_every_model_is_versioned_saved_with_a_versioned_owner_or_never_edited():
    undecided = []
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if issubclass(model, Versioned) or model in models.NOT_EDITED:
            continue
        owner = models.SAVED_WITH_OWNER.get(model)
        if owner is None:
            undecided.append(model.__name__)
            continue
        assert issubclass(owner, Versioned) or hasattr(owner, "cue_sheet_version") or owner in models.NOT_EDITED, (
            model, owner)
    assert undecided == [], "say how these are kept from lost updates (rightsdesk/persistence/models/__init__.py)"


def test_of_two_desks_saving_one_track_the_second_is_refused(database):
    with database.transaction() as session:
        track_id = music.save_track(session, music.TrackDraft("Rain on Glass"), user="ana")
    with database.read() as session:
        ana, ben = music.load_track(session, track_id), music.load_track(session, track_id)
    ana.notes, ben.isrc = "licensed from Audio Network", "GBAYE0601498"
    with database.transaction() as session:
        music.save_track(session, ana, user="ana")
    with pytest.raises(Conflict, match="changed by ana"), database.transaction() as session:
        music.save_track(session, ben, user="ben")
    with database.read() as session:
        saved = music.load_track(session, track_id)
    assert (saved.notes, saved.isrc) == ("licensed from Audio Network", "")


def test_of_two_desks_saving_one_cue_sheet_the_second_is_refused_and_an_import_counts_as_a_save(database):
    with database.transaction() as session:
        title_id = catalogue.save_title(session, TitleDraft("Bride", episodes=[EpisodeDraft(1, "", 120)]), user="ana")
        episode_id = catalogue.load_title(session, title_id).episodes[0].id
    with database.read() as session:
        ana, ben = cue_sheets.load_cue_sheet(session, episode_id), cue_sheets.load_cue_sheet(session, episode_id)
    with database.transaction() as session:
        cue_sheets.save_cue_sheet(session, episode_id, [CueDraft("Rain", UsageCode.BI, 0, 5_000)], user="ana",
                                  version=ana.version)
    with pytest.raises(Conflict), database.transaction() as session:
        cue_sheets.save_cue_sheet(session, episode_id, [CueDraft("Storm", UsageCode.BV, 0, 9_000)], user="ben",
                                  version=ben.version)
    with database.read() as session:
        again = cue_sheets.load_cue_sheet(session, episode_id)
    assert [c.track_title for c in again.cues] == ["Rain"] and again.version == ana.version + 1


def test_a_window_template_saved_by_someone_else_first_is_not_overwritten(database):
    steps = [TemplateStep("APP", 0, 0, None, 90, True)]
    with database.transaction() as session:
        template_id = windows.save_template(session, "App first", steps)
    with database.read() as session:
        [loaded] = [t for t in windows.templates(session) if t.id == template_id]
    with database.transaction() as session:
        windows.save_template(session, "App first", steps + [TemplateStep("AVOD", 0, 90)], template_id=template_id,
                              version=loaded.version)
    with pytest.raises(Conflict), database.transaction() as session:
        windows.save_template(session, "App first (mine)", steps, template_id=template_id, version=loaded.version)


@pytest.mark.postgresql_only
def test_on_a_team_server_the_audit_log_names_the_authenticated_role_whatever_the_desk_says(database):
    """RIGHTSDESK_USER is a label anyone can type; the server's current_user is not."""
    from sqlalchemy import select, text

    from rightsdesk.persistence.models import AuditEntry
    from rightsdesk.services import history

    with database.transaction() as session:
        music.save_track(session, music.TrackDraft("Rain on Glass"), user="the boss")
        role = session.execute(text("SELECT current_user")).scalar_one()
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.user_name, entry.database_role) == ("the boss", role)
        [change] = [c for c in history.changes(session) if c.entry_id == entry.id][:1]
        assert (change.user, change.role) == ("the boss", role)
