"""A screen's reading off the UI thread shows only what was asked last (ui.operations.LatestReading)."""

import threading

from PySide6.QtWidgets import QWidget

from rightsdesk.ui.operations import LatestReading


def test_asked_again_while_reading_it_reads_once_more_and_shows_only_that(qtbot):
    screen = QWidget()
    qtbot.addWidget(screen)
    gate = threading.Event()
    asked, shown = [], []

    def ask() -> None:  # what a screen's refresh does: read now, or later if a reading is on
        if reading.later():
            return
        number = len(asked) + 1
        asked.append(number)
        reading.start(lambda: (gate.wait(10), number)[1], shown.append)

    reading = LatestReading(screen, ask)
    ask()
    ask()  # while the first is read: noted, not started
    ask()  # twice: still once more
    assert asked == [1] and reading.busy()
    gate.set()
    reading.wait()
    assert asked == [1, 2] and shown == [2]  # the first found is old already: not shown
    assert not reading.busy()
