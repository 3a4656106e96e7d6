"""Windows through the service: planned from a template, flagged against rights and holdbacks."""

from datetime import date

import pytest

from rightsdesk.domain.avails import Status
from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import AuditAction, DealDirection, DealStatus, PartyKind, WindowStatus
from rightsdesk.domain.errors import ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft, HoldbackDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.domain.windows import TemplateStep
from rightsdesk.services import audit, catalogue, deals, parties, windows

USER = "ana"
SEA = TerritoryScope((ScopeItem("SEA", True),))


@pytest.fixture
def sold(database):
    """A title held in SEA on APP and AVOD for 2026-2027, and an APP licence in SEA whose
    holdback keeps AVOD back until 90 days after the APP release."""
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER), user=USER)
        platform = parties.save_party(session, PartyDraft("ShortMax", PartyKind.PLATFORM), user=USER)
        title = catalogue.save_title(session, TitleDraft("Bride", episodes=[EpisodeDraft(1, "", 90)]), user=USER)
        deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1", date(2025, 1, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(title)], territories=SEA, media=["APP", "AVOD"], term_start=date(2026, 1, 1),
                       term_end=date(2027, 12, 31), exclusive=True)]), user=USER)
        out = deals.save_deal(session, DealDraft(DealDirection.OUT, platform, "OUT-1", date(2025, 12, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(title)], territories=SEA, media=["APP"], term_start=date(2026, 1, 1),
                       term_end=date(2026, 12, 31), exclusive=True,
                       holdbacks=[HoldbackDraft(["AVOD"], SEA, after_release_of="APP", days_after_release=90)])]), user=USER)
        grant = deals.load_deal(session, out.deal_id).grants[0].id
        template = windows.save_template(session, "Fast AVOD", [
            TemplateStep("APP", 0, 0, None, 60, True), TemplateStep("AVOD", 0, 60), TemplateStep("FAST", 0, 120)])
    return {"title": title, "grant": grant, "template": template}


def test_a_template_plans_windows_and_each_is_checked(database, sold):
    with database.transaction() as session:
        created = windows.apply_template(session, sold["template"], sold["title"], "TH", date(2026, 3, 1),
                                         grant_id=sold["grant"], user=USER)
    assert len(created) == 3
    with database.read() as session:
        views = {v.window.media: v for v in windows.window_views(session, title_id=sold["title"])}
    app, avod, fast = views["APP"], views["AVOD"], views["FAST"]
    assert (app.window.planned_start, app.window.planned_end, app.window.grant_id) == (date(2026, 3, 1), date(2026, 4, 29), sold["grant"])
    assert app.flags == [] and app.deal_reference == "OUT-1"
    # AVOD at +60 days breaks the 90-day holdback counted from the APP window's start
    [holdback] = [f for f in avod.flags if f.status is Status.HOLDBACK]
    assert (holdback.start, holdback.end) == (date(2026, 4, 30), date(2026, 5, 29))
    assert "OUT-1" in holdback.explanation
    # open-ended AVOD outlives the rights held; FAST was never acquired
    assert any(f.status is Status.NOT_ACQUIRED and f.start == date(2028, 1, 1) for f in avod.flags)
    assert [f.status for f in fast.flags] == [Status.NOT_ACQUIRED]


def test_a_window_outside_its_grant_is_flagged(database, sold):
    with database.transaction() as session:
        windows.save_window(session, windows.WindowDraft(sold["title"], "TH", "APP", date(2026, 11, 1), date(2027, 1, 31),
                                                         exclusive=True, grant_id=sold["grant"]), user=USER)
        [view] = windows.window_views(session, title_id=sold["title"])
    assert any("runs past the grant's end (2026-12-31)" in f.explanation for f in view.flags)


def test_editing_a_window_is_validated_and_audited(database, sold):
    with database.transaction() as session:
        window_id = windows.save_window(session, windows.WindowDraft(sold["title"], "TH", "APP", date(2026, 3, 1)), user=USER)
    with database.read() as session:
        draft = windows.load_window(session, window_id)
    draft.status = WindowStatus.RELEASED
    with pytest.raises(ValidationError, match="needs its actual start"):
        with database.transaction() as session:
            windows.save_window(session, draft, user=USER)
    draft.actual_start = date(2026, 3, 3)
    with database.transaction() as session:
        windows.save_window(session, draft, user=USER)
        entry = audit.last_change(session, "release_window", window_id)
    assert entry.action is AuditAction.UPDATE
    assert (entry.before["actual_start"], entry.after["actual_start"]) == (None, "2026-03-03")
    assert entry.after["status"] == "released"
