"""The UI's one way to act: every screen following a kind of record hears what an action wrote."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from rightsdesk.domain.parties import PartyDraft
from rightsdesk.services.parties import save_party
from rightsdesk.ui.actions import act, follow, run


def test_a_showing_screen_refreshes_when_its_records_change(qtbot, database) -> None:
    screen, other = QWidget(), QWidget()
    qtbot.addWidget(screen)
    qtbot.addWidget(other)
    refreshed: list[str] = []
    follow(screen, {"party"}, lambda: refreshed.append("parties"))
    follow(other, {"title"}, lambda: refreshed.append("titles"))
    screen.show()
    other.show()

    run(database, save_party, PartyDraft(name="Lumen Shorts"), user="ana")

    assert refreshed == ["parties"]


def test_a_hidden_screen_refreshes_once_when_shown_again(qtbot, database) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    refreshed: list[int] = []
    follow(screen, {"party"}, lambda: refreshed.append(1))

    run(database, save_party, PartyDraft(name="Lumen Shorts"), user="ana")
    run(database, save_party, PartyDraft(name="Cinta Corta"), user="ana")
    assert refreshed == []  # nothing is redrawn that nobody sees

    screen.show()
    qtbot.waitUntil(lambda: refreshed == [1])
    screen.hide()
    screen.show()
    qtbot.wait(20)
    assert refreshed == [1]  # shown again with nothing new: no work


def test_a_refused_action_is_said_and_announces_nothing(qtbot, database, answer_dialogs) -> None:
    asked = answer_dialogs()
    screen = QWidget()
    qtbot.addWidget(screen)
    refreshed: list[int] = []
    follow(screen, {"party"}, lambda: refreshed.append(1))
    screen.show()

    assert act(screen, "Save party", database, save_party, PartyDraft(name=""), user="ana") is None

    assert asked and "name" in asked[0].lower() and refreshed == []


def test_a_closed_screen_is_let_go_and_hears_nothing_more(qtbot, database) -> None:
    import gc
    import weakref

    class Screen(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.refreshed = 0
            follow(self, {"party"}, self.refresh)

        def refresh(self) -> None:
            self.refreshed += 1

    screen = Screen()
    gone = weakref.ref(screen)
    del screen
    gc.collect()
    assert gone() is None  # following changes does not keep a screen (or a dialog) alive
    run(database, save_party, PartyDraft(name="Lumen Shorts"), user="ana")  # and nobody is called for it
