"""The grant editor's term counted from an event and its options, with real input: a term
from delivery saved pending, dated, then extended by exercising an option."""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind, TermAnchor
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import AuditEntry
from rightsdesk.services import catalogue, deals, parties
from rightsdesk.ui.deals.deal_editor import DealEditor
from rightsdesk.ui.deals.grant_editor import GrantEditor


def acquired(database):
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER), user="li")
        title = catalogue.save_title(session, TitleDraft("Thai Bride", episodes=[EpisodeDraft(1, "", 90)]), user="li")
        return deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1", date(2025, 1, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(title)], territories=TerritoryScope((ScopeItem("SEA", True),)), media=["APP"],
                       term_start=date(2025, 1, 1), term_end=date(2025, 12, 31), exclusive=True)]), user="li").deal_id


def edit_grant(qtbot, database, deal_id, change):
    """Open the deal and its grant, make the change in the grant editor, accept, save the deal."""
    editor = DealEditor(database, deal_id)
    qtbot.addWidget(editor)
    grant = GrantEditor(database, editor.grants[0], editor)
    qtbot.addWidget(grant)
    change(grant)
    grant.accept()
    assert grant.result() == GrantEditor.DialogCode.Accepted, grant.problems.text()
    editor.grants[0] = grant.result_grant
    editor._show_grants()
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert editor.saved_id == deal_id, editor.problems.text()
    with database.read() as session:
        return deals.load_deal(session, deal_id).grants[0], editor


def type_into(qtbot, line_edit, text):
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(line_edit, text)


def test_a_term_from_delivery_with_an_option_is_entered_dated_and_extended(qtbot, database, answer_dialogs):
    deal_id = acquired(database)

    def count_from_delivery(grant):
        term = grant.event_term
        term.anchor.setCurrentIndex(term.anchor.findText("delivery"))
        assert term.offset.text() == "0 days"  # starts on delivery unless told otherwise
        grant.term_end.setDate(QDate(2031, 1, 1))
        type_into(qtbot, term.length, "5 years")
        # what the event decides is greyed and empty until delivered
        assert not grant.term_start.isEnabled() and not grant.term_end.isEnabled()
        assert grant.term_start.text() == "—" and grant.term_end.text() == "—"
        assert term.words.text() == "5 years from delivery: term starts on delivery, not yet delivered"
        qtbot.mouseClick(grant.options.findChild(type(grant.buttons.button(QDialogButtonBox.StandardButton.Ok)),
                                                 "add-option"), Qt.MouseButton.LeftButton)
        grant.options.table.item(0, 0).setText("2 years")
        grant.options.table.item(0, 1).setText("2040-12-31")
        grant.options.table.item(0, 2).setText("90")

    saved, editor = edit_grant(qtbot, database, deal_id, count_from_delivery)
    assert (saved.term_anchor, saved.term_start_offset, saved.term_duration) == (TermAnchor.DELIVERY, "P0D", "P5Y")
    assert (saved.term_start, saved.term_end, saved.pending) == (None, None, "term starts on delivery, not yet delivered")
    assert [(o.extend_by, o.exercise_by, o.notice_days) for o in saved.options] == [("P2Y", date(2040, 12, 31), 90)]
    assert editor.grant_table.item(0, 4).text() == "term starts on delivery, not yet delivered"

    def deliver_and_exercise(grant):
        term = grant.event_term
        assert term.length.text() == "5 years" and term.anchor.currentText() == "delivery"
        # not yet delivered: the option cannot be exercised, and the editor says why
        asked = answer_dialogs(QMessageBox.StandardButton.Yes)
        grant.options.table.setCurrentCell(0, 0)
        grant.options.today = lambda: date(2030, 6, 1)
        qtbot.mouseClick(grant.options.exercise_button, Qt.MouseButton.LeftButton)
        assert "not known yet (term starts on delivery, not yet delivered)" in asked[-1]
        term.event_on.setDate(QDate(2026, 3, 1))
        assert (grant.term_start.text(), grant.term_end.text()) == ("2026-03-01", "2031-02-28")
        assert term.words.text() == "5 years from delivery: 2026-03-01 to 2031-02-28"
        qtbot.mouseClick(grant.options.exercise_button, Qt.MouseButton.LeftButton)
        assert "The term will end on 2033-02-28 instead of 2031-02-28" in asked[-1]
        assert grant.term_end.text() == "2033-02-28"
        assert grant.options.table.item(0, 4).text() == "on 2030-06-01 by tester"

    saved, editor = edit_grant(qtbot, database, deal_id, deliver_and_exercise)
    reopened = GrantEditor(database, saved, editor)  # opened and left as it was: nothing to discard
    qtbot.addWidget(reopened)
    assert reopened.grant() == (saved, [])
    assert (saved.term_anchor_on, saved.term_start, saved.term_end) == (date(2026, 3, 1), date(2026, 3, 1), date(2033, 2, 28))
    assert (saved.options[0].exercised_on, saved.options[0].exercised_by) == (date(2030, 6, 1), "tester")
    with database.read() as session:
        summaries = list(session.scalars(select(AuditEntry.summary).order_by(AuditEntry.id)))[-2:]
    assert summaries[0].startswith("IN-1: delivery on 2026-03-01")
    assert summaries[1].startswith("IN-1: option exercised on 2030-06-01 by tester")


def test_a_length_that_does_not_read_is_listed_and_nothing_is_accepted(qtbot, database):
    deal_id = acquired(database)
    editor = DealEditor(database, deal_id)
    qtbot.addWidget(editor)
    grant = GrantEditor(database, editor.grants[0], editor)
    qtbot.addWidget(grant)
    grant.event_term.anchor.setCurrentIndex(grant.event_term.anchor.findText("first release on"))
    type_into(qtbot, grant.event_term.length, "eighteen months")
    assert "'eighteen months' is not a length of time" in grant.event_term.words.text()
    grant.accept()
    assert grant.result() != GrantEditor.DialogCode.Accepted
    assert "'eighteen months' is not a length of time" in grant.problems.text()


def test_a_term_of_fixed_dates_shows_no_words_of_an_event_term(qtbot, database):
    # The walkthrough (issue 18): "fixed dates  starts  lasts  happened on", words without their fields.
    grant = GrantEditor(database, GrantDraft())
    qtbot.addWidget(grant)
    grant.show()
    words = grant.event_term.joining_words
    assert [w.text() for w in words] == ["starts", "lasts", "happened on"]
    assert not any(w.isVisible() for w in words)
    counted = GrantEditor(database, GrantDraft(term_anchor=TermAnchor.DELIVERY, term_start_offset="P0D",
                                               term_duration="P5Y"))
    qtbot.addWidget(counted)
    counted.show()
    assert all(w.isVisible() for w in counted.event_term.joining_words) and counted.event_term.length.isVisible()
