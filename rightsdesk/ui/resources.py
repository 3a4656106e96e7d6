"""Files shipped beside the code (icons): in a checkout, the top-level resources/ folder; in
the desktop bundle, the copy PyInstaller puts next to the program."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon


def resources_folder() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)
    return Path(bundled) / "resources" if bundled else Path(__file__).resolve().parents[2] / "resources"


def app_icon() -> QIcon:
    """Every size of the app's icon, so each place (title bar, task bar, Alt+Tab) gets a sharp one."""
    icon = QIcon()
    for path in sorted((resources_folder() / "icons").glob("rightsdesk-*.png")):
        icon.addFile(str(path))
    return icon


AREA_ICON_SIZES = (16, 20, 24, 32, 48)


def area_icon(key: str) -> QIcon:
    """The navigation icon of an area (resources/icons/areas/KEY.svg), painted in the palette's
    text colour, and in its highlighted-text colour when selected, so it reads in light and dark
    themes alike; an empty icon if the file is missing (the label alone still says it all)."""
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QPainter, QPalette, QPixmap
    from PySide6.QtSvg import QSvgRenderer

    path = resources_folder() / "icons" / "areas" / f"{key}.svg"
    icon = QIcon()
    if not path.exists():
        return icon
    svg = path.read_text(encoding="utf-8")
    palette = QGuiApplication.palette()
    for mode, role in ((QIcon.Mode.Normal, QPalette.ColorRole.WindowText),
                       (QIcon.Mode.Selected, QPalette.ColorRole.HighlightedText),
                       (QIcon.Mode.Disabled, QPalette.ColorRole.PlaceholderText)):
        renderer = QSvgRenderer(QByteArray(svg.replace("#000000", palette.color(role).name()).encode()))
        for size in AREA_ICON_SIZES:
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon
