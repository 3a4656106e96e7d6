"""A medium typed in the grant editor in any case is the medium as stored (issue 19): the sales
house's 'inflight' typed 'Inflight' or 'INFLIGHT' in a holdback is saved as 'inflight'."""

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton, QTableWidgetItem

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft
from rightsdesk.services import catalogue, deals, parties
from rightsdesk.services import media as media_service
from rightsdesk.ui.deals.grant_editor import GrantEditor

USER = "li"


def test_a_holdback_typed_with_the_medium_in_any_case_saves_its_code(qtbot, database):
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER), user=USER)
        catalogue.save_title(session, TitleDraft("Thai Bride", episodes=[EpisodeDraft(1, "", 90)]), user=USER)
        media_service.save_media(session, media_service.MediaDraft("inflight", "Inflight"), user=USER)
    grant = GrantEditor(database, GrantDraft())
    qtbot.addWidget(grant)
    grant.search.setText("Thai Bride")
    grant._choose_title(grant.found.item(0))
    grant.territories.text.setText("SEA")
    assert grant.media["inflight"].text() == "inflight"  # offered as stored
    grant.media["APP"].setChecked(True)
    grant.term_start.setDate(QDate(2026, 1, 1))
    grant.term_end.setDate(QDate(2030, 12, 31))
    qtbot.mouseClick(grant.findChild(QPushButton, "add-holdback"), Qt.MouseButton.LeftButton)
    for column, text in enumerate(("Inflight, AVOD", "TH", "", "INFLIGHT", "30")):
        grant.holdbacks.setItem(0, column, QTableWidgetItem(text))
    grant.accept()
    assert grant.result() == GrantEditor.DialogCode.Accepted, grant.problems.text()
    holdback = grant.result_grant.holdbacks[0]
    assert (holdback.media, holdback.after_release_of) == (["AVOD", "inflight"], "inflight")

    with database.transaction() as session:
        deal_id = deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1", date(2025, 12, 1),
                                                     DealStatus.SIGNED, grants=[grant.result_grant]), user=USER).deal_id
    with database.read() as session:
        saved = deals.load_deal(session, deal_id).grants[0].holdbacks[0]
    assert (saved.media, saved.after_release_of) == (["AVOD", "inflight"], "inflight")


def test_a_holdback_naming_no_medium_is_refused_with_its_value(qtbot, database):
    grant = GrantEditor(database, GrantDraft())
    qtbot.addWidget(grant)
    qtbot.mouseClick(grant.findChild(QPushButton, "add-holdback"), Qt.MouseButton.LeftButton)
    for column, text in enumerate(("Boat", "TH")):
        grant.holdbacks.setItem(0, column, QTableWidgetItem(text))
    grant.accept()
    assert grant.result() != GrantEditor.DialogCode.Accepted
    assert "'Boat' is not a known media" in grant.problems.text()


def test_a_fee_rate_typed_with_the_medium_in_any_case_saves_its_code(qtbot, database):
    from decimal import Decimal as D

    from rightsdesk.services import royalty_terms
    from rightsdesk.services.royalty_terms import TermsDraft
    from rightsdesk.ui.deals.terms_tab import TermsTab

    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER), user=USER)
        media_service.save_media(session, media_service.MediaDraft("inflight", "Inflight"), user=USER)
        deal_id = deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1", None, DealStatus.DRAFT),
                                  user=USER).deal_id
    tab = TermsTab(TermsDraft(producer), [(producer, "Golden Reel", "producer")], ["USD"])
    qtbot.addWidget(tab)
    tab.fee_rates.insertRow(0)
    for column, text in enumerate(("INFLIGHT", "th", "12.5")):
        tab.fee_rates.setItem(0, column, QTableWidgetItem(text))
    terms = tab.terms()
    assert terms.fee_rates == [("INFLIGHT", "TH", D("12.5"))]  # as typed: saving finds the medium
    with database.transaction() as session:
        royalty_terms.save_terms(session, deal_id, terms, user=USER)
    with database.read() as session:
        assert royalty_terms.load_terms(session, deal_id).fee_rates == [("inflight", "TH", D("12.5"))]
