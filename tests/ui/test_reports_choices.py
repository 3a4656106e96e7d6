"""The Reports screen offers the libraries and deals as saved now (issue 18: no stale screens)."""

from rightsdesk.domain.libraries import LibraryDraft
from rightsdesk.services import libraries
from rightsdesk.ui.actions import run
from rightsdesk.ui.reports.page import ENTRIES, ReportsPage


def test_a_library_made_elsewhere_is_offered_and_the_chosen_one_kept(qtbot, database):
    run(database, libraries.save_library, LibraryDraft("VL-ONE", "First bundle"), user="ana")
    page = ReportsPage(database)
    qtbot.addWidget(page)
    page.show()
    page.list.setCurrentRow([e.key for e in ENTRIES].index("catalogue"))
    box = page.fields["library"]
    box.setCurrentIndex(box.findData("VL-ONE"))

    run(database, libraries.save_library, LibraryDraft("VL-TWO", "Second bundle"), user="ana")  # as Libraries saves it

    box = page.fields["library"]
    assert box.findText("VL-TWO — Second bundle") >= 0
    assert page.values()["library"] == "VL-ONE"  # what was chosen stays chosen
