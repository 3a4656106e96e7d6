"""Every editor fits a 1280 × 720 laptop, its buttons on the screen (issue 18, the walkthrough):
the deal editor (its royalty terms) and the grant editor could not be made shorter than about
820 and 850 pixels, so Save and Cancel were below the screen's edge. A form taller than the
screen scrolls inside its dialog instead."""

import pytest
from PySide6.QtCore import QRect

from rightsdesk.domain.rights import GrantDraft
from rightsdesk.ui import forms
from rightsdesk.ui.catalogue.title_editor import TitleEditor
from rightsdesk.ui.deals.deal_editor import DealEditor
from rightsdesk.ui.deals.grant_editor import GrantEditor

# 1280 × 720 less a title bar and a desktop's panel
ROOM = 720 - forms.FRAME_ALLOWANCE


@pytest.mark.parametrize("make", [
    lambda database: DealEditor(database),
    lambda database: GrantEditor(database, GrantDraft()),
    lambda database: TitleEditor(database, None),
], ids=["deal", "grant", "title"])
def test_an_editor_can_be_as_short_as_a_1280_by_720_screen(qtbot, database, make):
    editor = make(database)
    qtbot.addWidget(editor)
    needed = editor.minimumSizeHint()
    assert needed.height() <= ROOM and needed.width() <= 1280


def test_the_deal_editors_royalty_terms_scroll_when_the_dialog_is_short(qtbot, database):
    editor = DealEditor(database)
    qtbot.addWidget(editor)
    editor.resize(1100, ROOM)
    editor.show()
    editor.tabs.setCurrentIndex(1)  # Royalty terms
    assert editor.terms_tab.isVisible()
    assert editor.height() <= ROOM  # (its minimum did not push it taller)
    assert editor.buttons.geometry().bottom() < editor.height()


def test_an_editor_opens_no_larger_than_its_screen_leaves_room_for(qtbot, database, monkeypatch):
    laptop = QRect(0, 0, 1280, 720)
    monkeypatch.setattr(forms, "_available", lambda widget: laptop)
    editor = GrantEditor(database, GrantDraft())
    qtbot.addWidget(editor)
    assert editor.height() <= ROOM and editor.width() <= 1280
