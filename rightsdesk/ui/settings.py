"""Every per-user setting, declared once with its type and default, stored in QSettings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T

    def get(self) -> T:
        value = QSettings().value(self.key, self.default)
        kind = type(self.default)
        if value is None:
            return self.default
        if kind is bool and isinstance(value, str):  # INI files hand booleans back as text
            return value.lower() == "true"  # type: ignore[return-value]
        try:
            return value if isinstance(value, kind) else kind(value)  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return self.default

    def set(self, value: T) -> None:
        QSettings().setValue(self.key, value)


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray())
CURRENT_AREA = Setting("window/area", "home")  # what needs attention today
START_DATABASE = Setting("files/start", "")  # opened on start when no --db or RIGHTSDESK_DB: a team's server, or the demo
FIRST_START_ANSWERED = Setting("files/first_start_answered", False)  # demo or empty: asked once (ui/welcome.py)
BACKUP_EVERY_HOURS = Setting("backups/every_hours", 24)  # 0: no scheduled backups
BACKUP_KEEP = Setting("backups/keep", 10)  # scheduled backups kept; older ones are deleted


def view_state(name: str) -> Setting[QByteArray]:
    """The saved column widths and order, or splitter sizes, of one named view."""
    return Setting(f"views/{name}", QByteArray())
