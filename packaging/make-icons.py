"""Render resources/icons/rightsdesk.svg to the PNG sizes desktops ask for (and a Windows .ico).

Run after changing the SVG: .venv/bin/python packaging/make-icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "rightsdesk.svg"))
    for size in SIZES:
        render(renderer, size).save(str(ICONS / f"rightsdesk-{size}.png"))
    render(renderer, 256).save(str(ICONS / "rightsdesk.ico"))
    print(f"Wrote {len(SIZES)} PNGs and an .ico to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
