"""The audit log shows every change a scripted scenario makes: who, when, before and after."""

import dataclasses
from datetime import date

from rightsdesk.domain.enums import AuditAction, LicenceStatus, LocalizationKind, LocalizationStatus
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.domain.music import LicenceDraft
from rightsdesk.persistence.models import MusicTrack
from rightsdesk.services import licensing_reports as reports
from rightsdesk.reports.document import report_workbook
from rightsdesk.services import clearance, deals, history, issuing, localization, music, statements, windows


def fields(found, record=None):
    return [(c.user, c.action, c.field, c.before, c.after) for c in found if record is None or c.record == record]


def test_a_scripted_scenario_is_in_the_log_change_by_change(database, worked, import_revenue):
    deal = worked["deal"]
    bride = worked["titles"][0]
    with database.transaction() as session:  # ben narrows the grant's media
        draft = deals.load_deal(session, deal)
        draft.grants[0].media = ["APP"]
        draft.notes = "Renegotiated"
        deals.save_deal(session, draft, user="ben")
        grant = deals.load_deal(session, deal).grants[0].id
    with database.transaction() as session:
        window = windows.save_window(session, windows.WindowDraft(bride, "US", "APP", date(2026, 3, 1), grant_id=grant),
                                     user="ben")
    with database.transaction() as session:
        changed = dataclasses.replace(windows.load_window(session, window), planned_end=date(2026, 12, 31))
        windows.save_window(session, changed, user="cleo")
    with database.transaction() as session:
        session.add(track := MusicTrack(title="Theme"))
        session.flush()
        licence = music.save_licence(session, LicenceDraft(track.id, territories=TerritoryScope((ScopeItem("US"),))), user="ben")
        clearance.set_licence_status(session, licence, LicenceStatus.REQUESTED, user="cleo")
        task = localization.create_tasks(session, bride, ["th"], [LocalizationKind.SUBTITLES], per_episode=False, user="ben")[0]
        clearance.set_task_status(session, [task], LocalizationStatus.IN_PROGRESS, user="cleo")
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB")], "q3.csv")
    with database.transaction() as session:
        statement = statements.run(session, "2026-Q3", user="dana").statements[0]
    with database.transaction() as session:
        issuing.issue(session, statement, user="erin")

    with database.read() as session:
        deal_history = history.changes(session, kind="deal", record_id=deal)
        everything = history.changes(session)
    # the deal: made by ana, then ben's edit field by field, with its terms, expense, window and statement
    assert ("ben", AuditAction.UPDATE, "grant 1 › media", "APP, AVOD", "APP") in fields(deal_history)
    assert ("ben", AuditAction.UPDATE, "notes", "", "Renegotiated") in fields(deal_history)
    assert {c.record.split(" ")[0] for c in deal_history} >= {"Deal", "Royalty", "Expense", "Release", "Statement"}
    assert ("cleo", AuditAction.UPDATE, "planned end", "", "2026-12-31") in fields(deal_history, f"Release window {window}")
    assert ("erin", AuditAction.UPDATE, "status", "draft", "issued") in fields(deal_history, f"Statement {statement}")
    assert any(c.summary == "drafted 2026-Q3 for IN-1" and c.field == "payable" for c in deal_history)
    # licences and localization have their own histories
    assert ("cleo", AuditAction.UPDATE, "status", "not_requested", "requested") in fields(everything, f"Music licence {licence}")
    assert ("cleo", AuditAction.UPDATE, "status", "not_started", "in_progress") in fields(everything, f"Localization task {task}")
    assert [c.at for c in everything] == sorted(c.at for c in everything)
    users = {c.user for c in everything}
    assert users == {"ana", "ben", "cleo", "dana", "erin"}

    with database.read() as session:  # the same, exported
        report = reports.build("audit_log", {"kind": "deal", "record": "IN-1"}, session)
        only_ben = reports.build("audit_log", {"user": "ben"}, session)
    rows = report.tables[0].rows
    assert ("ben", "update", "Deal " + str(deal), "IN-1", "grant 1 › media", "APP, AVOD", "APP") in [r[1:8] for r in rows]  # the last column: the database login
    assert {r[1] for r in only_ben.tables[0].rows} == {"ben"}
    assert report_workbook(report)[:2] == b"PK"
