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


@pytest.mark.parametrize("in_a_list", [False, True], ids=["check box", "list item"])
def test_an_unticked_box_is_seen_on_dark(qtbot, restore_appearance, in_a_list) -> None:
    # The walkthrough (issue 18): on dark, Fusion outlined an unticked box in the window's colour
    # made darker, the colour of the box itself; the grant editor's libraries had no boxes to see.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QCheckBox, QListWidget, QListWidgetItem, QStyle, QStyleOptionButton

    appearance.apply("dark")
    if in_a_list:
        widget = QListWidget()
        item = QListWidgetItem("LIB0001 — Vertical Essentials")
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
        widget.resize(300, 60)
        row = widget.visualItemRect(item)
        indicator = widget.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator,
                                                  _item_option(widget, item), widget).translated(row.topLeft())
        image = widget.viewport().grab().toImage()
    else:
        widget = QCheckBox("Exclusive")
        widget.resize(widget.sizeHint())
        option = QStyleOptionButton()
        option.initFrom(widget)
        indicator = widget.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, widget)
        image = widget.grab().toImage()
    qtbot.addWidget(widget)
    behind = widget.palette().color(widget.backgroundRole()).lightness()
    edge = [image.pixelColor(x, indicator.center().y()).lightness()
            for x in range(indicator.left(), indicator.left() + 3)]
    assert max(abs(lightness - behind) for lightness in edge) >= 40, (edge, behind)


def _item_option(view, item):
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualItemRect(item).translated(-view.visualItemRect(item).topLeft())
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    return option
