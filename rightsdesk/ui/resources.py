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
