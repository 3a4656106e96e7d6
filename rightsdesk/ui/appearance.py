"""Light, dark, or as the desktop is: View > Appearance, remembered.

Qt follows the desktop's colour scheme where the platform tells it (Windows, macOS, GNOME and
KDE through their themes); a desk may prefer another, or work on a desktop that tells Qt
nothing (a plain X server). Asking Qt for the scheme (QStyleHints.setColorScheme) is enough
where the platform theme can draw it; elsewhere the Fusion style is given the palette itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QProxyStyle, QStyle, QStyleFactory

from rightsdesk.ui.settings import Setting

APPEARANCE = Setting("view/appearance", "system")  # system | light | dark
CHOICES = {"system": "As the &desktop", "light": "&Light", "dark": "Dar&k"}
_SCHEMES = {"system": Qt.ColorScheme.Unknown, "light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
_desktop_style = ""
_applied = "system"  # what the application is drawn in now: nothing to undo while it is the desktop's


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text is drawn light on dark (the palette's window darker than its text)."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < palette.color(QPalette.ColorRole.WindowText).lightness()


def apply(choice: str | None = None) -> None:
    """Draw the application in the chosen appearance (the saved one by default)."""
    global _desktop_style, _applied
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    choice = choice if choice in _SCHEMES else APPEARANCE.get()
    if choice not in _SCHEMES or (choice == "system" and _applied == "system"):
        return
    _applied = choice
    _desktop_style = _desktop_style or app.style().name()
    app.styleHints().setColorScheme(_SCHEMES[choice])
    if choice == "system":
        app.setStyle(QStyleFactory.create(_desktop_style) or app.style())
        app.setPalette(app.style().standardPalette())
        return
    app.setStyle(FusionStyle())  # draws any palette faithfully, on every platform
    wanted_dark = choice == "dark"
    if is_dark(app.palette()) != wanted_dark:  # the platform could not switch: give the palette
        app.setPalette(dark_palette() if wanted_dark else app.style().standardPalette())


_BOXES = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
          QStyle.PrimitiveElement.PE_IndicatorRadioButton)


class FusionStyle(QProxyStyle):
    """Fusion, with check boxes and radio buttons outlined so that they are seen on a dark
    palette: Fusion outlines them in the window's colour made darker, which on a dark window is
    the colour of the box itself (an unticked box was not seen at all)."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # type: ignore[no-untyped-def]
        super().drawPrimitive(element, option, painter, widget)
        if element not in _BOXES or not is_dark(option.palette):
            return
        painter.save()
        painter.setRenderHint(painter.RenderHint.Antialiasing, element == QStyle.PrimitiveElement.PE_IndicatorRadioButton)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        edge = option.rect.adjusted(0, 0, -1, -1)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(edge)
        else:
            painter.drawRect(edge)
        painter.restore()


def dark_palette() -> QPalette:
    """A dark palette with the contrast of the desktops' own (text 87 % white on #2b2b2b)."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#dedede",
        QPalette.ColorRole.Base: "#1f1f1f", QPalette.ColorRole.AlternateBase: "#272727",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a", QPalette.ColorRole.ToolTipText: "#dedede",
        QPalette.ColorRole.PlaceholderText: "#8a8a8a", QPalette.ColorRole.Text: "#dedede",
        QPalette.ColorRole.Button: "#353535", QPalette.ColorRole.ButtonText: "#dedede",
        QPalette.ColorRole.BrightText: "#ff6b6b", QPalette.ColorRole.Light: "#4a4a4a",
        QPalette.ColorRole.Midlight: "#3e3e3e", QPalette.ColorRole.Mid: "#2f2f2f",
        QPalette.ColorRole.Dark: "#1a1a1a", QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#2f6fb3", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#6cb4ff", QPalette.ColorRole.LinkVisited: "#b99cff",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def add_menu(menu: QMenu) -> QMenu:
    """View > Appearance: the three choices, the saved one checked; a choice applies at once."""
    submenu = menu.addMenu("&Appearance")
    group = QActionGroup(submenu)
    saved = APPEARANCE.get()
    for key, text in CHOICES.items():
        action = submenu.addAction(text)
        action.setCheckable(True)
        action.setChecked(key == saved)
        action.setData(key)
        group.addAction(action)

    def chosen(action) -> None:  # type: ignore[no-untyped-def]
        APPEARANCE.set(action.data())
        apply(action.data())

    group.triggered.connect(chosen)
    return submenu
