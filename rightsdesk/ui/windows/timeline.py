"""A Gantt-style timeline of release windows: a row per territory (or title) and media, a bar
per window from its start to its end, flagged windows outlined in red, today marked, and a
legend (a bar of its own, kept in view under the timeline however far it scrolls) saying what
each colour and mark means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rightsdesk.domain.avails import term_text
from rightsdesk.services.windows import WindowView

MEDIA_COLOURS = {"APP": "#4C78A8", "AVOD": "#F58518", "FAST": "#54A24B", "SVOD": "#B279A2", "TVOD": "#9D755D",
                 "EST": "#9D755D", "FREE_TV": "#72B7B2", "PAY_TV": "#E45756", "SOCIAL_CLIPS": "#BAB0AC"}
LABEL_WIDTH = 230
ROW_HEIGHT = 24
AXIS_HEIGHT = 28
OPEN_TAIL_DAYS = 120  # how far an open-ended window is drawn past the last date shown
LEGEND_HEIGHT = 28
FLAG_RED = "#D62728"
# What the marks mean, after a swatch per media shown (the legend's words, in order).
MARKS = ("planned (faded)", "confirmed or released", "flagged: see Problems", "open end", "today")


@dataclass(frozen=True)
class Bar:
    row: int
    view: WindowView
    rect: QRectF


class Timeline(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("windows-timeline")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.rows: list[tuple[str, list[WindowView]]] = []
        self.bars: list[Bar] = []
        self.first = self.last = date.today()
        self.today = date.today()
        self.media_shown: list[str] = []  # the media with a bar, for the legend
        self.legend_bar = Legend()  # (the screen places it, under the timeline's scroll area)

    def show_windows(self, views: list[WindowView], *, by: str) -> None:
        """One row per territory and media (by='title') or per title and media (by='territory')."""
        rows: dict[str, list[WindowView]] = {}
        for view in views:
            window = view.window
            label = f"{window.territory} · {window.media}" if by == "title" else f"{view.title_name} · {window.media}"
            rows.setdefault(label, []).append(view)
        self.rows = sorted(rows.items())
        self.media_shown = sorted({view.window.media for view in views})
        self.legend_bar.show_media(self.media_shown if views else None)
        starts = [v.window.start for v in views]
        ends = [v.window.end or v.window.start for v in views]
        self.first = min(starts + [self.today]) - timedelta(days=14) if views else self.today
        self.last = max(ends + [self.today]) + timedelta(days=OPEN_TAIL_DAYS) if views else self.today
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, AXIS_HEIGHT + ROW_HEIGHT * max(1, len(self.rows)) + 8)

    def legend(self) -> list[str]:
        """The legend's entries as it reads them: each media shown, then what the marks mean."""
        return [*self.media_shown, *MARKS] if self.rows else []

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _x(self, day: date) -> float:
        span = max(1, (self.last - self.first).days)
        width = max(1, self.width() - LABEL_WIDTH - 10)
        return LABEL_WIDTH + width * (day - self.first).days / span

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.rows:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "No windows to show. Choose a title or a territory, or plan windows from a template.")
            return
        self._paint_axis(painter)
        self.bars = []
        for number, (label, views) in enumerate(self.rows):
            top = AXIS_HEIGHT + number * ROW_HEIGHT
            if number % 2:
                painter.fillRect(QRectF(0, top, self.width(), ROW_HEIGHT), self.palette().alternateBase())
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(6, top, LABEL_WIDTH - 12, ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 12))
            for view in views:
                self._paint_bar(painter, number, top, view)
        bottom = AXIS_HEIGHT + len(self.rows) * ROW_HEIGHT
        painter.setPen(QPen(QColor(FLAG_RED), 1.5, Qt.PenStyle.DashLine))
        x = self._x(self.today)
        painter.drawLine(QPointF(x, AXIS_HEIGHT - 6), QPointF(x, bottom))
        painter.end()


    def _paint_axis(self, painter: QPainter) -> None:
        lines, dates = self.palette().mid().color(), self.palette().placeholderText().color()
        font = QFont(painter.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        step = 1 if months <= 18 else 3 if months <= 48 else 12
        day = date(self.first.year, self.first.month, 1)
        while day <= self.last:
            x = self._x(day)
            if x >= LABEL_WIDTH:
                painter.setPen(lines)
                painter.drawLine(QPointF(x, AXIS_HEIGHT - 6), QPointF(x, AXIS_HEIGHT + len(self.rows) * ROW_HEIGHT))
                painter.setPen(dates)  # ('mid' is a frame colour: on dark, the timeline's own)
                painter.drawText(QPointF(x + 3, AXIS_HEIGHT - 10), day.strftime("%b %Y") if day.month == 1 or step > 1 else day.strftime("%b"))
            month = day.month - 1 + step
            day = date(day.year + month // 12, month % 12 + 1, 1)
        painter.setFont(QFont())

    def _paint_bar(self, painter: QPainter, number: int, top: float, view: WindowView) -> None:
        window = view.window
        end = window.end or self.last
        rect = QRectF(self._x(window.start), top + 4, max(3.0, self._x(end + timedelta(days=1)) - self._x(window.start)),
                      ROW_HEIGHT - 8)
        colour = QColor(MEDIA_COLOURS.get(window.media, "#888888"))
        if window.status.value == "planned":
            colour.setAlpha(150)
        painter.setBrush(colour)
        painter.setPen(QPen(QColor(FLAG_RED), 2.5) if view.flags else Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, 3, 3)
        if window.end is None:  # an open end fades out to the right
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.drawText(rect.adjusted(0, 0, -4, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "→")
        self.bars.append(Bar(number, view, rect))

    def bar_at(self, x: float, y: float) -> Bar | None:
        return next((bar for bar in self.bars if bar.rect.adjusted(-2, -2, 2, 2).contains(QPointF(x, y))), None)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        bar = self.bar_at(event.position().x(), event.position().y())
        if bar is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), tooltip(bar.view), self)


class Legend(QWidget):
    """What the timeline's colours and marks mean: a swatch per media shown, then planned,
    confirmed or released, flagged, open end and today, drawn as the bars and the line are.
    Empty (and hidden) while the timeline shows nothing."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("windows-legend")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.media: list[str] = []
        self.hide()

    def show_media(self, media: list[str] | None) -> None:
        """The media with a bar in view; None: nothing is shown, nor is the legend."""
        self.media = list(media or [])
        self.setVisible(media is not None)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, LEGEND_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        x, middle, size = 6.0, LEGEND_HEIGHT / 2, 12.0
        text_colour = self.palette().text().color()

        def label(text: str) -> None:
            nonlocal x
            painter.setPen(text_colour)
            painter.drawText(QPointF(x, middle + metrics.ascent() / 2 - 1), text)
            x += metrics.horizontalAdvance(text) + 16

        def swatch(colour: QColor, pen: QPen | Qt.PenStyle = Qt.PenStyle.NoPen) -> None:
            nonlocal x
            painter.setBrush(colour)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(x, middle - size / 2, size * 1.6, size), 2, 2)
            x += size * 1.6 + 5

        for media in self.media:
            swatch(QColor(MEDIA_COLOURS.get(media, "#888888")))
            label(media)
        x += 12
        sample = QColor("#888888")
        planned = QColor(sample)
        planned.setAlpha(150)
        swatch(planned)
        label(MARKS[0])
        swatch(sample)
        label(MARKS[1])
        swatch(planned, QPen(QColor(FLAG_RED), 2.5))
        label(MARKS[2])
        painter.setPen(text_colour)
        painter.drawText(QPointF(x, middle + metrics.ascent() / 2 - 1), "→")
        x += metrics.horizontalAdvance("→") + 5
        label(MARKS[3])
        painter.setPen(QPen(QColor(FLAG_RED), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x + 4, middle - size / 2 - 2), QPointF(x + 4, middle + size / 2 + 2))
        x += 12
        label(MARKS[4])
        painter.end()


def tooltip(view: WindowView) -> str:
    window = view.window
    lines = [f"{view.title_name} · {window.territory} · {window.media} ({window.status.value})",
             f"Planned {term_text(window.planned_start, window.planned_end)}"]
    if window.actual_start:
        lines.append(f"Actual {term_text(window.actual_start, window.actual_end)}")
    if view.deal_reference:
        lines.append(f"Under {view.deal_reference}")
    lines += [f"⚠ {flag.describe()}" for flag in view.flags]
    return "\n".join(lines)
