"""The deal editor refuses to sign a clash; the avails screen shows why a cell has its status."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton, QTableWidgetItem

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.services import catalogue, deals, parties
from rightsdesk.ui.actions import run
from rightsdesk.ui.avails.page import AvailsGridModel, AvailsPage
from rightsdesk.ui.deals.deal_editor import DealEditor
from rightsdesk.ui.deals.grant_editor import GrantEditor
from rightsdesk.ui.deals.page import DealsPage, DealTableModel

USER = "li"


@pytest.fixture
def rights(database):
    """A title acquired for SEA on APP, licensed exclusively in TH for 2026."""
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER), user=USER)
        platform = parties.save_party(session, PartyDraft("ShortMax", PartyKind.PLATFORM), user=USER)
        title = catalogue.save_title(session, TitleDraft("Thai Bride", episodes=[EpisodeDraft(1, "", 90)]), user=USER)
        sea = TerritoryScope((ScopeItem("SEA", True),))
        deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1", date(2025, 1, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(title)], territories=sea, media=["APP"], term_start=date(2025, 1, 1), exclusive=True)]),
            user=USER)
        deals.save_deal(session, DealDraft(DealDirection.OUT, platform, "OUT-1", date(2025, 12, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(title)], territories=TerritoryScope((ScopeItem("TH"),)), media=["APP"],
                       term_start=date(2026, 1, 1), term_end=date(2026, 12, 31), exclusive=True)]), user=USER)
    return {"title": title, "platform": platform}


def test_deal_models_pass_the_model_tester(qtmodeltester, database, rights):
    model = DealTableModel(database)
    model.reload()
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_the_deal_editor_refuses_to_sign_a_conflicting_grant(qtbot, database, rights, answer_dialogs):
    editor = DealEditor(database, direction=DealDirection.OUT)
    qtbot.addWidget(editor)
    editor.counterparty.setCurrentIndex(editor.counterparty.findData(rights["platform"]))
    editor.reference.setText("OUT-2")
    editor.signed_on.setDate(QDate(2026, 1, 5))
    editor.status.setCurrentIndex(editor.status.findData(DealStatus.SIGNED))
    grant = GrantEditor(database, GrantDraft(), editor)
    qtbot.addWidget(grant)
    grant.search.setText("Thai Bride")
    grant._choose_title(grant.found.item(0))
    grant.territories.text.setText("SEA excluding VN")
    assert grant.territories.coverage.text() == "Covers 10 countries"
    grant.media["APP"].setChecked(True)
    grant.term_start.setDate(QDate(2026, 6, 1))
    grant.term_end.setDate(QDate(2026, 8, 31))
    grant.exclusive.setChecked(True)
    grant.accept()
    assert grant.result() == GrantEditor.DialogCode.Accepted
    editor.grants.append(grant.result_grant)
    editor._show_grants()
    assert editor.grant_table.item(0, 1).text() == "SEA excluding VN"

    asked = answer_dialogs(QMessageBox.StandardButton.No)  # do not keep it as a draft
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert editor.saved_id is None and "Keep it as a draft?" in asked[0]
    shown = editor.problems.text()
    assert "Licensed out exclusively: Thai Bride" in shown and "TH, APP, 2026-06-01 to 2026-08-31" in shown
    assert "OUT-1" in shown and "ShortMax" in shown
    with database.read() as session:
        assert len(deals.find_deal_ids(session)) == 2  # nothing saved

    answer_dialogs(QMessageBox.StandardButton.Yes)  # keep it as a draft
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert editor.saved_id is not None and editor.warnings
    with database.read() as session:
        assert deals.load_deal(session, editor.saved_id).status is DealStatus.DRAFT


def test_the_grant_editor_lists_what_is_wrong(qtbot, database, rights):
    grant = GrantEditor(database, GrantDraft())
    qtbot.addWidget(grant)
    grant.territories.text.setText("SEA, QQ")
    grant.accept()
    assert grant.result() != GrantEditor.DialogCode.Accepted and grant.result_grant is None
    for expected in ("name at least one title or library", "'QQ' is not an ISO 3166-1", "at least one media"):
        assert expected in grant.problems.text()


def test_the_avails_screen_shows_the_reason_of_a_cell(qtbot, database, rights):
    page = AvailsPage(database)
    qtbot.addWidget(page)
    page.titles.setText("Thai Bride")
    page.territories.setText("SEA")
    page.start.setDate(QDate(2026, 1, 1))
    page.end.setDate(QDate(2026, 12, 31))
    for code, box in page.media_boxes.items():
        box.setChecked(code == "APP")
    operation = page.run()
    qtbot.waitUntil(lambda: page.answer is not None, timeout=5000)
    qtbot.waitUntil(lambda: page.operation is None)
    assert operation is not None
    model = page.grid_model
    assert model.rowCount() == 1 and model.columnCount() == 11
    thailand = model.index(0, page.answer.result.query.territories.index("TH"))
    assert model.data(thailand) == "✗"
    page.show_reasons(thailand)
    reasons = page.reasons.toPlainText()
    assert "Licensed out exclusively" in reasons and "OUT-1" in reasons and "ShortMax" in reasons
    assert "10 of 11 cells available" in page.summary.text()
    offer = load_workbook(io.BytesIO(page.document("ema", "Vidio"))).worksheets[0]
    assert offer.max_row == 3 + 10 and offer.cell(4, 2).value == "Vidio"
    assert load_workbook(io.BytesIO(page.document("xlsx"))).sheetnames == ["About", "Avails", "Cells"]
    assert page.document("pdf").startswith(b"%PDF")


def test_the_avails_grid_passes_the_model_tester(qtmodeltester, database, rights):
    from rightsdesk.services import avails

    with database.read() as session:
        answer = avails.ask(session, avails.AvailsRequest("SEA", date(2026, 1, 1), date(2026, 12, 31),
                                                          titles=(rights["title"],), media=("APP", "AVOD")))
    model = AvailsGridModel()
    model.show(answer, "APP")
    qtmodeltester.check(model)


def test_deleting_a_deal_asks_first(qtbot, database, rights, answer_dialogs, shown):
    page = shown(DealsPage(database))
    qtbot.addWidget(page)
    deal_id = page.model.id_at(0)
    asked = answer_dialogs(QMessageBox.StandardButton.Cancel)
    page.delete_deal(deal_id)
    assert "cannot be undone" in asked[0] and page.model.rowCount() == 2
    answer_dialogs(QMessageBox.StandardButton.Yes)
    page.delete_deal(deal_id)
    assert page.model.rowCount() == 1


def test_royalty_terms_and_expenses_are_saved_with_the_deal(qtbot, database, rights, answer_dialogs):
    from decimal import Decimal as D

    from rightsdesk.services import royalty_terms

    with database.read() as session:
        in_deal = next(i for i in deals.find_deal_ids(session) if deals.load_deal(session, i).direction is DealDirection.IN)
    editor = DealEditor(database, in_deal)
    qtbot.addWidget(editor)
    assert not editor.is_dirty()
    tab = editor.terms_tab
    tab.has_terms.setChecked(True)
    tab.participant.setCurrentIndex(1)
    tab.fee.setText("25")
    tab.cap.setText("5 000")
    tab.findChild(QPushButton, "terms-add-mg").click()
    tab.mg.setItem(0, 0, QTableWidgetItem("20,000.00"))
    tab.mg.setItem(0, 1, QTableWidgetItem("2026-01-10"))
    tab.reserve.setText("10")
    tab.reserve_periods.setText("2")
    tab.withholding.setText("10")
    editor.expenses_tab.table.insertRow(0)
    for column, value in enumerate(["marketing", "2026-08-15", "6000", "USD", "Launch", "yes"]):
        editor.expenses_tab.table.setItem(0, column, QTableWidgetItem(value))
    assert editor.is_dirty()
    editor.save()
    assert editor.saved_id == in_deal
    with database.read() as session:
        terms = royalty_terms.load_terms(session, in_deal)
        [expense] = royalty_terms.expenses(session, in_deal)
    assert (terms.default_fee_percent, terms.expense_cap, terms.mg_amount, terms.withholding_percent) == (
        D(25), D(5000), D(20000), D(10))
    assert (expense.amount, expense.description) == (D(6000), "Launch")
    assert terms.mg_payments == [(D(20000), date(2026, 1, 10), None)] and (terms.reserve_percent, terms.reserve_periods) == (
        D(10), 2)

    editor = DealEditor(database, in_deal)
    qtbot.addWidget(editor)
    assert not editor.is_dirty()
    editor.terms_tab.fee.setText("lots")
    answer_dialogs(QMessageBox.StandardButton.Discard)
    editor.save()
    assert editor.saved_id is None and "fee: 'lots' is not a number" in editor.problems.text()


def test_a_deal_saved_elsewhere_shows_in_the_list(qtbot, database, rights, shown):
    page = shown(DealsPage(database))
    qtbot.addWidget(page)
    assert page.model.rowCount() == 2
    draft = DealDraft(DealDirection.OUT, rights["platform"], "OUT-2", None, DealStatus.DRAFT)
    run(database, deals.save_deal, draft, user="ben")  # as another screen would save it

    references = [page.model.index(row, 0).data() for row in range(page.model.rowCount())]
    assert "OUT-2" in references
