"""An honest page for an area that is not built yet: what it will do, and that it is not here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, promise: str, parent: QWidget | None = None):
        super().__init__(parent)
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(
            f"<p>{promise}</p><p><i>Not built yet: this area arrives in a later release. "
            "Nothing here reads or changes your data.</i></p>"
        )
        body.setWordWrap(True)
        body.setMaximumWidth(640)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(body, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
