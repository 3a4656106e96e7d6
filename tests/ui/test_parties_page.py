"""The parties list stays current: a party saved on another screen shows without a reload."""

from rightsdesk.domain.parties import PartyDraft
from rightsdesk.services import parties
from rightsdesk.ui.actions import run
from rightsdesk.ui.parties.page import PartiesPage


def shown_names(page):
    model = page.list.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_a_party_saved_elsewhere_shows_in_the_list(qtbot, database, shown):
    with database.transaction() as session:
        parties.save_party(session, PartyDraft("Lumen Studios"), user="li")
    page = PartiesPage(database)
    qtbot.addWidget(page)
    shown(page)
    assert shown_names(page) == ["Lumen Studios"]

    run(database, parties.save_party, PartyDraft("Aurora Pictures"), user="ben")  # as another screen would

    assert sorted(shown_names(page)) == ["Aurora Pictures", "Lumen Studios"]
