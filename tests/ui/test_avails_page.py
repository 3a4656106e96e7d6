"""The Avails screen never goes stale: the answer on screen is asked again when rights change
anywhere (issue 18), and a library made elsewhere is offered."""

from datetime import date

from PySide6.QtCore import QDate

from rightsdesk.domain.enums import DealDirection, DealStatus
from rightsdesk.domain.libraries import LibraryDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.services import deals, libraries
from rightsdesk.ui.actions import run
from rightsdesk.ui.avails.page import AvailsPage
from tests.ui.test_deals_and_avails import USER, rights  # noqa: F401 (fixture)


def asked_page(qtbot, database):
    """The screen showing Thai Bride over SEA on APP for 2026 (TH licensed out: 10 of 11)."""
    page = AvailsPage(database)
    qtbot.addWidget(page)
    page.show()
    page.titles.setText("Thai Bride")
    page.territories.setText("SEA")
    page.start.setDate(QDate(2026, 1, 1))
    page.end.setDate(QDate(2026, 12, 31))
    for code, box in page.media_boxes.items():
        box.setChecked(code == "APP")
    page.run()
    qtbot.waitUntil(lambda: page.answer is not None and page.operation is None, timeout=5000)
    assert "10 of 11 cells available" in page.summary.text()
    return page


def test_a_deal_signed_elsewhere_changes_the_answer_on_screen(qtbot, database, rights):
    page = asked_page(qtbot, database)
    page.titles.setText("something else typed meanwhile")  # the question shown is asked again, not the form

    run(database, deals.save_deal, DealDraft(DealDirection.OUT, rights["platform"], "OUT-2", date(2025, 12, 1),
                                             DealStatus.SIGNED, grants=[
        GrantDraft([GrantTitleDraft(rights["title"])], territories=TerritoryScope((ScopeItem("VN"),)), media=["APP"],
                   term_start=date(2026, 1, 1), term_end=date(2026, 12, 31), exclusive=True)]), user=USER)

    qtbot.waitUntil(lambda: "9 of 11 cells available" in page.summary.text(), timeout=5000)
    model = page.grid_model
    assert model.data(model.index(0, page.answer.result.query.territories.index("VN"))) == "✗"


def test_a_library_made_elsewhere_is_offered_when_the_screen_is_next_shown(qtbot, database, rights):
    page = AvailsPage(database)
    qtbot.addWidget(page)
    page.hide()
    run(database, libraries.save_library, LibraryDraft("VL-THAI", "Thai romance"), user=USER)
    page.show()
    qtbot.waitUntil(lambda: page.library.findText("VL-THAI — Thai romance") >= 0)


def test_media_added_or_retired_elsewhere_are_offered_or_withdrawn(qtbot, database):
    from rightsdesk.services import media as media_service

    page = AvailsPage(database)
    qtbot.addWidget(page)
    page.show()
    assert "HOTEL" not in page.media_boxes and page.media_boxes["AVOD"].isChecked()

    run(database, media_service.save_media, media_service.MediaDraft("HOTEL", "Hotel rooms"), user=USER)
    run(database, media_service.retire, "AVOD", user=USER, active=False)  # as Reference data does

    assert page.media_boxes["HOTEL"].isVisible() and not page.media_boxes["HOTEL"].isChecked()
    assert not page.media_boxes["AVOD"].isVisible() and "AVOD" not in page.request().media
