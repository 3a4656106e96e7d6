"""View > Appearance: light or dark as chosen, remembered, whatever the desktop says."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMenu

from rightsdesk.ui import appearance


@pytest.fixture
def restore_appearance():
    yield
    appearance.apply("light")
    appearance.apply("system")


def test_dark_is_drawn_dark_and_remembered(qtbot, restore_appearance) -> None:
    menu_owner = QMenu()
    submenu = appearance.add_menu(menu_owner)
    dark = next(action for action in submenu.actions() if action.data() == "dark")

    dark.trigger()

    assert appearance.is_dark(QApplication.palette())
    assert appearance.APPEARANCE.get() == "dark"
    again = appearance.add_menu(menu_owner)
    assert [action.data() for action in again.actions() if action.isChecked()] == ["dark"]


def test_light_after_dark_is_light_again(qtbot, restore_appearance) -> None:
    appearance.apply("dark")
    appearance.apply("light")
    assert not appearance.is_dark(QApplication.palette())
