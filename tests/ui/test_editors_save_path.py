"""Every editor saves the same way (issue 18): Ctrl+S saves it; when another desk saved the
record while it was open, the save is refused with what differs, field by field, and Reload
shows their version; Return in a combo box never saves; closing with edits asks first."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

import rightsdesk.ui
from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.services import catalogue, deals, parties, royalty_terms, windows
from rightsdesk.services.windows import WindowView
from rightsdesk.ui.catalogue.title_editor import TitleEditor
from rightsdesk.ui.conflicts import ConflictDialog
from rightsdesk.ui.deals.deal_editor import DealEditor
from rightsdesk.ui.deals.grant_editor import GrantEditor
from rightsdesk.ui.parties.party_editor import PartyEditor
from rightsdesk.ui.windows.editors import TemplateDialog, WindowDialog


@pytest.fixture
def reload_on_conflict(monkeypatch, qtbot, answer_dialogs):
    """The comparisons shown; each is answered by clicking its Reload button (and any other
    question by Discard, so that a failed test closes)."""
    answer_dialogs(QMessageBox.StandardButton.Discard)
    shown: list[ConflictDialog] = []

    def exec_(dialog: ConflictDialog) -> int:
        shown.append(dialog)
        dialog.show()
        qtbot.mouseClick(dialog.findChild(QPushButton, "reload"), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    return shown


def press_save(qtbot, field) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def rows(dialog: ConflictDialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


@pytest.fixture
def open_editor(qtbot, in_dialog):
    """Show an editor and wait until the user is in it: keys go only to the window with focus
    (rightsdesk.ui.keys)."""
    def open_(editor):
        qtbot.addWidget(editor)
        editor.show()
        return in_dialog(editor)

    return open_


# -- titles -------------------------------------------------------------------------------------


def make_title(database) -> int:
    with database.transaction() as session:
        return catalogue.save_title(session, TitleDraft(original_name="The Substitute Bride", genre="romance",
                                                        episodes=[EpisodeDraft(1, "One", 95)]), user="li")


def test_title_saved_by_another_desk_is_compared_and_reloaded(qtbot, database, reload_on_conflict, open_editor):
    title_id = make_title(database)
    editor = open_editor(TitleEditor(database, title_id))
    with database.transaction() as session:  # ben, at another desk
        theirs = catalogue.load_title(session, title_id)
        theirs.genre = "revenge"
        catalogue.save_title(session, theirs, user="ben")
    editor.genre.setText("melodrama")
    press_save(qtbot, editor.genre)

    assert ("Genre", "revenge", "melodrama") in rows(reload_on_conflict[0])
    assert "ben saved this title" in reload_on_conflict[0].message.text()
    assert editor.isVisible() and editor.genre.text() == "revenge" and not editor.is_dirty()
    editor.genre.setText("melodrama")  # saved over ben's version knowingly
    press_save(qtbot, editor.genre)
    assert editor.result() == QDialog.DialogCode.Accepted
    with database.read() as session:
        assert catalogue.load_title(session, title_id).genre == "melodrama"


def test_return_in_the_title_editors_combo_boxes_does_not_save(qtbot, database, answer_dialogs, open_editor):
    asked = answer_dialogs(QMessageBox.StandardButton.Discard)
    title_id = make_title(database)
    editor = open_editor(TitleEditor(database, title_id))
    for combo in (editor.country, editor.language, editor.producer):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(combo, Qt.Key.Key_Return)
        assert editor.isVisible() and editor.result() == 0
    with database.read() as session:
        assert catalogue.load_title(session, title_id).country_of_origin == ""
    editor.reject()
    assert asked and "Discard your changes to this title?" in asked[-1]


# -- parties ------------------------------------------------------------------------------------


def make_party(database) -> int:
    with database.transaction() as session:
        return parties.save_party(session, PartyDraft("Lumen Studios", email="hello@lumen.example"), user="li")


def test_party_saved_by_another_desk_is_compared_and_reloaded(qtbot, database, reload_on_conflict, open_editor):
    party_id = make_party(database)
    editor = open_editor(PartyEditor(database, party_id))
    with database.transaction() as session:
        theirs = parties.load_party(session, party_id)
        theirs.email = "rights@lumen.example"
        parties.save_party(session, theirs, user="ben")
    editor.fields["email"].setText("sales@lumen.example")
    press_save(qtbot, editor.fields["email"])

    assert ("Email", "rights@lumen.example", "sales@lumen.example") in rows(reload_on_conflict[0])
    assert editor.isVisible() and editor.fields["email"].text() == "rights@lumen.example"
    assert not editor.is_dirty()


def test_return_in_the_party_editors_combo_boxes_does_not_save(qtbot, database, answer_dialogs, open_editor):
    answer_dialogs(QMessageBox.StandardButton.Discard)
    party_id = make_party(database)
    editor = open_editor(PartyEditor(database, party_id))
    for combo in (editor.kind, editor.tax_residence, editor.currency):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(combo, Qt.Key.Key_Return)
        assert editor.isVisible() and editor.result() == 0
    with database.read() as session:
        assert parties.load_party(session, party_id).tax_residence == ""


# -- release windows and their templates --------------------------------------------------------


def planned_window(database) -> tuple[int, WindowView]:
    """A title with an APP window planned in TH from the first template."""
    with database.transaction() as session:
        title_id = catalogue.save_title(session, TitleDraft("Unacquired Bride"), user="li")
        template = windows.templates(session)[0]
        windows.apply_template(session, template.id, title_id, "TH", date(2026, 3, 1), user="li")
        view = windows.window_views(session, title_id=title_id)[0]
    return title_id, view


def test_window_saved_by_another_desk_is_compared_and_reloaded(qtbot, database, reload_on_conflict, open_editor):
    _, view = planned_window(database)
    editor = open_editor(WindowDialog(database, view))
    with database.transaction() as session:
        theirs = windows.load_window(session, view.window.id)
        theirs.actual_start = date(2026, 3, 5)
        windows.save_window(session, theirs, user="ben")
    editor.actual_start.setDate(date(2026, 3, 9))
    press_save(qtbot, editor.status)

    assert ("Actual start", "2026-03-05", "2026-03-09") in rows(reload_on_conflict[0])
    assert editor.isVisible() and editor.actual_start.date() == QDate(2026, 3, 5) and not editor.is_dirty()


def test_return_in_the_window_status_does_not_save(qtbot, database, answer_dialogs, open_editor):
    answer_dialogs(QMessageBox.StandardButton.Discard)
    _, view = planned_window(database)
    editor = open_editor(WindowDialog(database, view))
    editor.status.setFocus()
    qtbot.keyClick(editor.status, Qt.Key.Key_Down)
    qtbot.keyClick(editor.status, Qt.Key.Key_Return)
    assert editor.isVisible() and editor.result() == 0
    with database.read() as session:
        assert windows.load_window(session, view.window.id).status == view.window.status


def test_template_saved_by_another_desk_is_compared_and_reloaded(qtbot, database, reload_on_conflict, open_editor):
    editor = open_editor(TemplateDialog(database))
    shown = editor.original
    with database.transaction() as session:
        windows.save_template(session, "Ben's sequence", shown.steps, template_id=shown.id, version=shown.version)
    editor.name.setText("My sequence")
    press_save(qtbot, editor.name)

    assert ("Name", "Ben's sequence", "My sequence") in rows(reload_on_conflict[0])
    assert editor.isVisible() and editor.name.text() == "Ben's sequence" and not editor.is_dirty()


def test_return_in_the_template_chooser_does_not_save(qtbot, database, answer_dialogs, open_editor):
    answer_dialogs(QMessageBox.StandardButton.Cancel)  # keep editing when asked to drop the edits
    editor = open_editor(TemplateDialog(database))
    before = editor.original
    editor.name.setText("Renamed")
    editor.chooser.setFocus()
    qtbot.keyClick(editor.chooser, Qt.Key.Key_Down)
    qtbot.keyClick(editor.chooser, Qt.Key.Key_Return)
    assert editor.isVisible() and editor.name.text() == "Renamed"  # nothing saved, the edit kept
    with database.read() as session:
        assert windows.load_template(session, before.id).name == before.name


# -- deals and their grants ---------------------------------------------------------------------


def make_deal(database) -> int:
    """A draft OUT deal licensing a title in TH on APP and AVOD."""
    with database.transaction() as session:
        platform = parties.save_party(session, PartyDraft("ShortMax", PartyKind.PLATFORM), user="li")
        title = catalogue.save_title(session, TitleDraft("Thai Bride"), user="li")
        return deals.save_deal(session, DealDraft(
            DealDirection.OUT, platform, "OUT-7", None, DealStatus.DRAFT, grants=[GrantDraft(
                [GrantTitleDraft(title)], territories=TerritoryScope((ScopeItem("TH"),)), media=["APP", "AVOD"],
                term_start=date(2026, 1, 1), term_end=date(2026, 12, 31))]), user="li").deal_id


def test_deal_saved_by_another_desk_is_compared_and_reloaded(qtbot, database, reload_on_conflict, open_editor):
    deal_id = make_deal(database)
    editor = open_editor(DealEditor(database, deal_id))
    with database.transaction() as session:
        theirs = deals.load_deal(session, deal_id)
        theirs.reference = "OUT-7-BEN"
        deals.save_deal(session, theirs, user="ben")
    editor.reference.setText("OUT-7-MINE")
    press_save(qtbot, editor.reference)

    assert ("Reference", "OUT-7-BEN", "OUT-7-MINE") in rows(reload_on_conflict[0])
    assert editor.isVisible() and editor.reference.text() == "OUT-7-BEN" and not editor.is_dirty()


def test_grant_edited_within_a_deal_saved_by_another_desk_is_compared_and_reloaded(qtbot, database,
                                                                                  reload_on_conflict, open_editor,
                                                                                  in_dialog):
    deal_id = make_deal(database)
    editor = open_editor(DealEditor(database, deal_id))
    with database.transaction() as session:
        theirs = deals.load_deal(session, deal_id)
        theirs.grants[0].media = ["APP"]
        deals.save_deal(session, theirs, user="ben")

    def in_the_grant_editor() -> None:
        grant = QApplication.activeModalWidget()
        assert isinstance(grant, GrantEditor)
        in_dialog(grant)
        grant.media["FAST"].setChecked(True)
        press_save(qtbot, grant.languages)  # Ctrl+S: OK, back to the deal with the grant

    QTimer.singleShot(0, in_the_grant_editor)
    editor.edit_grant(0)
    assert editor.grants[0].media == ["APP", "AVOD", "FAST"]
    press_save(qtbot, editor.reference)

    assert ("Grant 1 › media", "APP", "APP, AVOD, FAST") in rows(reload_on_conflict[0])
    assert editor.grants[0].media == ["APP"] and not editor.is_dirty()


def test_return_in_the_deal_and_grant_editors_combo_boxes_does_not_save(qtbot, database, answer_dialogs,
                                                                       open_editor):
    answer_dialogs(QMessageBox.StandardButton.Discard)
    deal_id = make_deal(database)
    editor = open_editor(DealEditor(database, deal_id))
    for combo in (editor.direction, editor.counterparty, editor.status, editor.currency):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        qtbot.keyClick(combo, Qt.Key.Key_Return)
        assert editor.isVisible() and editor.result() == 0
    with database.read() as session:
        assert deals.load_deal(session, deal_id).status is DealStatus.DRAFT

    grant = open_editor(GrantEditor(database, editor.grants[0], editor))
    grant.territories.picker.setFocus()
    qtbot.keyClicks(grant.territories.picker, "VN")
    qtbot.keyClick(grant.territories.picker, Qt.Key.Key_Return)
    assert grant.isVisible() and grant.result() == 0 and grant.result_grant is None


# -- leaving with edits -------------------------------------------------------------------------


def _editors(qtbot, database):
    """Each editor on a saved record, with how a person edits it (typing, or choosing)."""
    title_id, party_id, deal_id = make_title(database), make_party(database), make_deal(database)
    _, view = planned_window(database)
    deal = DealEditor(database, deal_id)
    title, party, grant = TitleEditor(database, title_id), PartyEditor(database, party_id), GrantEditor(database, deal.grants[0])
    window, template = WindowDialog(database, view), TemplateDialog(database)

    def typing(field):
        return lambda: qtbot.keyClicks(field, "x")

    def choosing(combo):
        return lambda: qtbot.keyClick(combo, Qt.Key.Key_Down)

    return [("title", title, title.genre, typing(title.genre)), ("party", party, party.fields["phone"],
            typing(party.fields["phone"])), ("deal", deal, deal.reference, typing(deal.reference)),
            ("grant", grant, grant.languages, typing(grant.languages)),
            ("window", window, window.status, choosing(window.status)),
            ("window template", template, template.name, typing(template.name))]


def test_every_editor_asks_before_dropping_edits(qtbot, database, answer_dialogs, open_editor):
    asked = answer_dialogs(QMessageBox.StandardButton.Cancel)
    for noun, editor, field, edit in _editors(qtbot, database):
        open_editor(editor)
        editor.reject()
        assert not editor.isVisible() and not asked, f"{noun}: asked with nothing edited"
        editor.show()
        field.setFocus()
        edit()
        qtbot.keyClick(field, Qt.Key.Key_Escape)
        assert asked and asked[-1] == f"Discard your changes to this {noun}?" and editor.isVisible(), noun
        answer_dialogs(QMessageBox.StandardButton.Discard)
        editor.reject()
        assert not editor.isVisible(), noun
        answer_dialogs(QMessageBox.StandardButton.Cancel)
        asked.clear()


def test_royalty_terms_saved_by_another_desk_are_compared_and_reloaded(qtbot, database, worked, reload_on_conflict,
                                                                      open_editor):
    editor = open_editor(DealEditor(database, worked["deal"]))
    with database.transaction() as session:
        theirs = royalty_terms.load_terms(session, worked["deal"])
        theirs.withholding_percent = Decimal("15")
        royalty_terms.save_terms(session, worked["deal"], theirs, user="ben")
    editor.terms_tab.withholding.setText("12")
    press_save(qtbot, editor.reference)

    assert ("Royalty terms › withholding percent", "15", "12") in rows(reload_on_conflict[0])
    assert editor.terms_tab.terms().withholding_percent == Decimal("15") and not editor.is_dirty()


# -- one path, kept -----------------------------------------------------------------------------


def test_someone_saving_first_is_answered_in_one_place():
    """Only DraftEditor (every dialog editor) and the cue sheet's editor in the Music screen
    answer a Conflict, both with the comparison and Reload: an editor catching it otherwise
    would show something else (a bare message, as three editors did)."""
    ui = Path(rightsdesk.ui.__file__).parent
    catching = re.compile(r"except\s*\(?[^:\n]*\bConflict\b")
    found = {str(path.relative_to(ui)): path.read_text(encoding="utf-8") for path in ui.rglob("*.py")
             if catching.search(path.read_text(encoding="utf-8"))}
    assert sorted(found) == ["forms.py", "music/cue_sheet_editor.py"]
    assert all("ConflictDialog(" in text for text in found.values())


def test_a_refusal_names_the_field_as_the_form_labels_it(qtbot, database, answer_dialogs, open_editor):
    answer_dialogs(QMessageBox.StandardButton.Discard)
    editor = open_editor(DealEditor(database, make_deal(database)))
    editor.status.setCurrentIndex(editor.status.findData(DealStatus.SIGNED))  # and no signature date
    press_save(qtbot, editor.reference)
    assert "Signed on: a signed deal needs its signature date" in editor.problems.text()
    assert "signed_on" not in editor.problems.text()

    make_title(database)
    with database.read() as session:
        taken = catalogue.load_title(session, catalogue.find_title_ids(session)[0]).internal_id
    title = open_editor(TitleEditor(database))
    title.name.setText("Another Bride")
    title.internal_id.setText(taken)
    press_save(qtbot, title.name)
    assert f"Internal ID: '{taken}' is another title's ID" in title.problems.text()


def test_reloading_a_title_deleted_meanwhile_says_so(qtbot, database, monkeypatch, answer_dialogs, open_editor):
    asked = answer_dialogs(QMessageBox.StandardButton.Discard)
    title_id = make_title(database)
    editor = open_editor(TitleEditor(database, title_id))
    with database.transaction() as session:
        theirs = catalogue.load_title(session, title_id)
        theirs.genre = "revenge"
        catalogue.save_title(session, theirs, user="ben")

    def deleted_while_comparing(dialog: ConflictDialog) -> int:
        with database.transaction() as session:
            catalogue.delete_title(session, title_id, user="ben")
        return QDialog.DialogCode.Accepted  # Reload

    monkeypatch.setattr(ConflictDialog, "exec", deleted_while_comparing)
    editor.genre.setText("melodrama")
    press_save(qtbot, editor.genre)
    assert asked and "no longer exists" in asked[-1]
