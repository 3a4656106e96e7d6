"""The main window's frame: an icon per area, the size it fits in, being maximized remembered."""

import pytest
from PySide6.QtGui import QIcon

from rightsdesk.ui.main_window import AREAS, MainWindow
from rightsdesk.ui.resources import area_icon


@pytest.fixture
def window(qtbot, database):
    window = MainWindow(database)
    qtbot.addWidget(window)
    yield window
    window.wait_for_background()


@pytest.mark.sqlite_only
def test_every_area_has_its_own_icon_in_the_navigation(window):
    images = set()
    for row, area in enumerate(AREAS):
        icon = window.navigation.item(row).icon()
        assert not icon.isNull(), area.key
        image = icon.pixmap(20, 20).toImage()
        images.add(bytes(image.constBits()))
        selected = icon.pixmap(20, 20, QIcon.Mode.Selected).toImage()
        assert selected != image  # (drawn in the highlighted text's colour on the selection)
    assert len(images) == len(AREAS)


def test_a_missing_icon_file_is_an_empty_icon_not_an_error():
    assert area_icon("no-such-area").isNull()


@pytest.mark.sqlite_only
def test_the_window_fits_its_screen_and_every_screen_fits_1280_by_720(qtbot, window, demo_database):
    available = window.screen().availableGeometry()
    assert window.height() <= available.height() - MainWindow.FRAME_ALLOWANCE
    assert window.width() <= max(available.width(), window.minimumSizeHint().width())
    on_demo = MainWindow(demo_database)
    qtbot.addWidget(on_demo)
    on_demo.show()
    for area in AREAS:  # (each screen built shown, lists filled: the widest row sets the minimum)
        on_demo.show_area(area.key)
        qtbot.wait(1)
        hint = on_demo.minimumSizeHint()
        assert hint.width() <= 1280 and hint.height() <= 720 - MainWindow.FRAME_ALLOWANCE, (area.key, hint)
    on_demo.wait_for_background()


@pytest.mark.sqlite_only
def test_being_maximized_is_remembered_at_the_next_start(qtbot, database):
    first = MainWindow(database)
    qtbot.addWidget(first)
    first.showMaximized()
    qtbot.waitUntil(first.isMaximized)
    first.close()  # (saves the layout)

    second = MainWindow(database)
    qtbot.addWidget(second)
    assert second.isMaximized()
    second.showNormal()
    second.close()

    third = MainWindow(database)
    qtbot.addWidget(third)
    assert not third.isMaximized()
    third.wait_for_background()


@pytest.mark.sqlite_only
def test_the_icons_follow_a_change_from_light_to_dark(qtbot, window):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    before = window.navigation.item(0).icon().pixmap(20, 20).toImage()
    light = QPalette(QApplication.palette())
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    try:
        QApplication.setPalette(dark)  # (what a desktop switched to dark does)
        qtbot.wait(10)
        after = window.navigation.item(0).icon().pixmap(20, 20).toImage()
        assert after != before
        assert any(after.pixelColor(x, y).lightness() > 200 and after.pixelColor(x, y).alpha() > 200
                   for x in range(20) for y in range(20))  # (drawn light: it shows on a dark background)
    finally:
        QApplication.setPalette(light)


def test_the_status_bar_counts_titles_and_parties_saved_on_any_screen(qtbot, window):
    """The window follows titles and parties: what an action anywhere saves is counted at once,
    in real plurals, with no screen telling the window."""
    from rightsdesk.domain.catalogue import TitleDraft
    from rightsdesk.domain.parties import PartyDraft
    from rightsdesk.services import catalogue, parties
    from rightsdesk.ui.actions import run

    window.show()
    assert window.database_label.text().startswith("0 titles · 0 parties · ")

    run(window.database, catalogue.save_title, TitleDraft("Moonlit Vows"), user="ana")
    run(window.database, parties.save_party, PartyDraft("Lumen Shorts"), user="ana")

    assert window.database_label.text().startswith("1 title · 1 party · ")


@pytest.mark.sqlite_only
def test_the_warm_up_loads_the_screens_modules_but_not_the_pdf_workers_server(qtbot, window, monkeypatch):
    """The fork server's module reads every font as it loads (the interpreter held, the window
    waiting) and turns off the cycle collector: it is the workers' process's, never the window's."""
    import sys

    monkeypatch.delitem(sys.modules, "rightsdesk.reports.pdf_server", raising=False)
    window.show()
    window._warm_up()
    qtbot.waitUntil(lambda: window.warm_up is not None and not window.warm_up.running(), timeout=60000)
    assert "rightsdesk.reports.statement_workbook" in sys.modules and "rightsdesk.ui.reports.page" in sys.modules
    assert "rightsdesk.reports.pdf_server" not in sys.modules


@pytest.mark.sqlite_only
def test_the_warm_up_waits_for_the_start_s_own_reads(qtbot, window):
    """A third thread beside the attention list's and the backup check's held the window
    100-200 ms while it started."""
    import threading

    from rightsdesk.ui.operations import Quiet

    reading = threading.Event()
    window.show()
    qtbot.waitUntil(lambda: not any(quiet.running() for quiet in window.findChildren(Quiet)), timeout=30000)
    start_read = Quiet(window, lambda: reading.wait(30), lambda _: None)
    try:
        window._warm_up()
        qtbot.wait(600)  # (two of its retries)
        assert window.warm_up is None
    finally:
        reading.set()
    qtbot.waitUntil(lambda: window.warm_up is not None and not window.warm_up.running(), timeout=60000)
    start_read.wait()
