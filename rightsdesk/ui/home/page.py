"""Home: what needs attention today, each item one double-click from the record behind it,
under pictures of revenue, expiring rights and localization (ui/home/charts.py)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.words import plural
from rightsdesk.persistence.database import Database
from rightsdesk.ui import settings
from rightsdesk.ui.actions import follow
from rightsdesk.ui.formatting import number
from rightsdesk.ui.home.charts import OverviewCharts
from rightsdesk.ui.operations import Quiet

if TYPE_CHECKING:
    from rightsdesk.services.attention import Section
    from rightsdesk.services.overview import Overview

ITEM_ROLE = Qt.ItemDataRole.UserRole
# What Home reads: the attention list (deals and their grants and terms, windows, music, tasks,
# statements, payments and deliveries, parties, titles) and the pictures (revenue and its rates,
# rights expiring, localization). An action writing any of them reads Home again.
SHOWN_KINDS = frozenset({
    "title", "episode", "party", "deal", "grant", "grant_title", "grant_library", "grant_territory", "grant_media",
    "royalty_terms", "release_window", "music_track", "cue", "music_licence", "localization_task", "statement",
    "statement_line", "statement_delivery", "payment", "payment_run", "revenue_line", "import_batch",
    "revenue_source", "exchange_rate",
})


class HomePage(QWidget):
    open_record = Signal(object)  # an attention Item whose record should be opened
    refreshed = Signal()
    pictured = Signal()  # the charts were drawn afresh

    def __init__(self, database: Database, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.database = database
        self.today = today
        self.sections: list[Section] = []
        self.background: Quiet | None = None
        self.charts = OverviewCharts()
        self.charts.drawn.connect(self.pictured)
        self.charts_work: Quiet | None = None
        self.again = False  # written to while Home was being read: read it once more when done
        self.heading = QLabel(objectName="home-heading")
        self.heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.filter_box = QLineEdit(objectName="home-filter", placeholderText="Filter…  (Ctrl+F)")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._apply_filter)
        refresh = QPushButton("&Refresh", objectName="home-refresh")
        refresh.clicked.connect(self.refresh)
        self.tree = QTreeWidget(objectName="attention")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["What", "When", "Why"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        header = self.tree.header()
        state = settings.view_state("home-attention").get()
        if state.isEmpty() or not header.restoreState(state):
            header.resizeSection(0, 460)
            header.resizeSection(1, 100)
        header.sectionResized.connect(lambda *_: settings.view_state("home-attention").set(header.saveState()))
        hint = QLabel("Double-click an item (or press Enter) to open it.", objectName="home-hint")
        hint.setStyleSheet("color: palette(placeholder-text);")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.filter_box)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.charts)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)
        for shortcut, slot in ((QKeySequence.StandardKey.Find, self._focus_filter), (QKeySequence.StandardKey.Refresh, self.refresh)):
            action = QAction(self, shortcut=QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        follow(self, SHOWN_KINDS, self._heard)

    def _heard(self) -> None:
        """Something Home shows was written: read it again, after a reading under way."""
        if self.reading():
            self.again = True
        else:
            self.refresh()

    def reading(self) -> bool:
        return any(work is not None and work.running() for work in (self.background, self.charts_work))

    def _read_again_if_asked(self) -> None:
        if self.again and not self.reading():
            self.again = False
            self.refresh()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Built when first shown, and again whenever the user comes back to it.
        super().showEvent(event)
        QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        """Gather what needs attention off the UI thread (half a second on 20 000 titles)."""
        if self.background is not None and self.background.running():
            return
        today = self.today or date.today()
        self.heading.setText(f"{today:%A %d %B %Y} · checking what needs attention…")

        def gather() -> list[Section]:
            # (imported here, off the UI thread: the rules behind it are most of the start-up's imports)
            from rightsdesk.services.attention import attention

            with self.database.read() as session:
                return attention(session, today)

        self.background = Quiet(self, gather, lambda sections: self._show(sections, today))
        self._picture(today)

    def _picture(self, today: date) -> None:
        """Read the charts' figures off the UI thread too (a second reader: the list does not
        wait for the pictures), then draw them here."""
        if self.charts_work is not None and self.charts_work.running():
            return

        def read() -> Overview:
            from rightsdesk.services.overview import overview

            with self.database.read() as session:
                return overview(session, today)

        def draw(figures: Overview) -> None:
            self.charts.show_overview(figures)  # (one chart a turn of the event loop: `pictured` once all are)
            QTimer.singleShot(0, self, self._read_again_if_asked)  # (once its worker has ended)

        self.charts_work = Quiet(self, read, draw)

    def stop(self) -> None:
        """Wait for a refresh under way; the page is about to go."""
        if self.background is not None:
            self.background.wait()
        if self.charts_work is not None:
            self.charts_work.wait()

    def _show(self, sections: list[Section], today: date) -> None:
        self.sections = sections
        waiting = sum(s.total for s in self.sections)
        self.heading.setText(f"{today:%A %d %B %Y} · {plural(waiting, 'thing')} {'needs' if waiting == 1 else 'need'} "
                             "attention" if waiting else f"{today:%A %d %B %Y} · nothing needs attention")
        expanded = {self.tree.topLevelItem(n).data(0, ITEM_ROLE): self.tree.topLevelItem(n).isExpanded()
                    for n in range(self.tree.topLevelItemCount())}
        self.tree.setUpdatesEnabled(False)  # hundreds of items: laid out once, not once each
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        tops = []
        for section in self.sections:
            top = QTreeWidgetItem([f"{section.heading} ({number(section.total)})"])
            top.setData(0, ITEM_ROLE, section.key)
            top.setFont(0, bold)
            children = []
            for item in section.items:
                child = QTreeWidgetItem([item.text, str(item.when or ""), item.detail])
                child.setData(0, ITEM_ROLE, item)
                child.setToolTip(0, item.text)
                child.setToolTip(2, item.detail)
                children.append(child)
            if section.total > len(section.items):
                more = QTreeWidgetItem([f"… and {number(section.total - len(section.items))} more"])
                more.setForeground(0, QColor("#808080"))
                children.append(more)
            if not section.items:
                clear = QTreeWidgetItem(["Nothing here: all clear."])
                clear.setForeground(0, QColor("#2e7d32"))
                children.append(clear)
            top.addChildren(children)
            tops.append(top)
        self.tree.addTopLevelItems(tops)
        for section, top in zip(self.sections, tops):
            top.setExpanded(expanded.get(section.key, True))
        if self.filter_box.text().strip():
            self._apply_filter(self.filter_box.text())
        self.tree.setUpdatesEnabled(True)
        self.refreshed.emit()
        QTimer.singleShot(0, self, self._read_again_if_asked)  # (once its worker has ended)

    def _apply_filter(self, text: str) -> None:
        words = text.casefold().split()
        for n in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(n)
            for m in range(top.childCount()):
                child = top.child(m)
                shown = " ".join(child.text(c) for c in range(3)).casefold()
                child.setHidden(bool(words) and not all(w in shown for w in words))

    def _focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def _activated(self, tree_item: QTreeWidgetItem, _column: int = 0) -> None:
        from rightsdesk.services.attention import Item

        item = tree_item.data(0, ITEM_ROLE)
        if isinstance(item, Item):
            self.open_record.emit(item)
