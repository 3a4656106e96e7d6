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
