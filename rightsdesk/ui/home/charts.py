"""Home's pictures (QtCharts): revenue by platform and quarter, rights expiring month by month,
localization tasks by status. They draw what services/overview computed; nothing here reads
the database. Each chart's tooltip says in words what it shows, for a reader who would rather
read, and a bar's own tooltip gives its figure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolTip, QWidget

from rightsdesk.domain.words import plural
from rightsdesk.ui.formatting import money, number

if TYPE_CHECKING:  # (the figures' module and the rules behind it load off the UI thread, with the first reading)
    from rightsdesk.services.overview import ExpiringChart, Overview, ReadinessChart, RevenueChart

# One colour per localization status, the same in light and dark: grey waits, blue works, amber
# checks, red is sent back, green is done.
STATUS_COLOURS = {"not started": "#9e9e9e", "in progress": "#1e88e5", "in QC": "#f9a825", "rejected": "#e53935",
                  "delivered": "#43a047"}
DIRECTION_COLOURS = ("#8e24aa", "#fb8c00")  # bought in, licensed out
HEIGHT = 230


def _dark() -> bool:
    from PySide6.QtWidgets import QApplication

    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if _dark() else QChart.ChartTheme.ChartThemeLight)
    chart.setBackgroundVisible(False)  # the window's own background, light or dark
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.legend().setFont(_small())
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # (redrawn on every refresh)
    return chart


def _small(scale: float = 0.8) -> QFont:
    """Axis and legend text a little smaller than the window's: twelve months side by side."""
    font = QFont()
    font.setPointSizeF(max(6.0, font.pointSizeF() * scale))
    return font


def _short_month(label: str) -> str:
    """'2027-01' -> 'Jan' (a bar's tooltip and the chart's description say the year; the axis
    needs twelve different names, so no initials)."""
    year, month = (int(part) for part in label.split("-"))
    return date(year, month, 1).strftime("%b")


def _short_quarter(label: str) -> str:
    """'2026-Q3' -> 'Q3 26'."""
    year, quarter = label.split("-")
    return f"{quarter} {year[2:]}"


class OverviewCharts(QWidget):
    """The three charts side by side, revenue the widest."""

    drawn = Signal()  # the figures last shown are drawn, every chart

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="home-charts")
        self.revenue = self._view("chart-revenue")
        self.expiring = self._view("chart-expiring")
        self.readiness = self._view("chart-readiness")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.revenue, 4)
        layout.addWidget(self.expiring, 4)
        layout.addWidget(self.readiness, 3)
        self.setFixedHeight(HEIGHT)  # (the list of what needs attention keeps the rest)
        self.shown: Overview | None = None
        self._drawing: list[Callable[[], None]] = []

    def changeEvent(self, event: QEvent) -> None:
        # Light to dark (or back) while running: drawn again in the new theme.
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.shown is not None:
            self.show_overview(self.shown)

    @staticmethod
    def _view(name: str) -> QChartView:
        view = QChartView(objectName=name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumWidth(200)
        view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)  # (never widen the window)
        view.setChart(_chart("…"))
        return view

    def show_overview(self, overview: Overview) -> None:
        """Draw the figures, one chart per turn of the event loop (each is ~25 ms of building and
        as much of painting: the three at once kept the window from answering for ~80 ms), then
        say `drawn`. Figures given meanwhile replace those being drawn."""
        self.shown = overview
        self._drawing = [lambda: self._show_revenue(overview.revenue),
                         lambda: self._show_expiring(overview.expiring),
                         lambda: self._show_readiness(overview.readiness)]
        self._draw_next()

    def _draw_next(self) -> None:
        if not self._drawing:
            return
        self._drawing.pop(0)()
        if self._drawing:
            QTimer.singleShot(0, self, self._draw_next)
        else:
            self.drawn.emit()

    def drawing(self) -> bool:
        """Whether charts of the last figures are still to be drawn."""
        return bool(self._drawing)

    # -- revenue -----------------------------------------------------------------------------

    def _show_revenue(self, revenue: RevenueChart) -> None:
        # In thousands, or in millions once a quarter passes ten million: the axis reads 250, not
        # 250000 (a sales house's month-end at volume)
        quarters = [sum(amounts) for amounts in zip(*revenue.by_platform.values())]
        unit, scale = ("million", 1_000_000) if max(quarters, default=0) >= 10_000_000 else ("thousand", 1000)
        chart = _chart(f"Revenue by platform, {unit} {revenue.currency}")
        words = [f"Gross revenue by platform and quarter, in {revenue.currency} "
                 "(each quarter converted at the rate of its last day)."]
        if revenue.by_platform:
            series = QStackedBarSeries()
            for platform, amounts in revenue.by_platform.items():
                bars = QBarSet(platform)
                bars.append([float(amount / scale) for amount in amounts])
                series.append(bars)
                words.append(f"{platform}: " + ", ".join(f"{quarter} {money(amount, revenue.currency)}"
                                                        for quarter, amount in zip(revenue.quarters, amounts)))
            self._bars(chart, series, [_short_quarter(quarter) for quarter in revenue.quarters],
                       lambda value: money(Decimal(round(value * scale)), revenue.currency))
        else:
            chart.setTitle("Revenue by platform: no revenue imported yet")
            words.append("No revenue imported yet.")
        if revenue.without_rate:
            left_out = ", ".join(revenue.without_rate)
            chart.setTitle(chart.title() + f" (without {left_out}: no rate)")
            words.append(f"Left out, no exchange rate to {revenue.currency}: {left_out}.")
        self._set(self.revenue, chart, "\n".join(words))

    # -- rights expiring ---------------------------------------------------------------------

    def _show_expiring(self, expiring: ExpiringChart) -> None:
        chart = _chart("Rights expiring, grants per month")
        series = QStackedBarSeries()
        for label, counts, colour in (("bought in", expiring.bought_in, DIRECTION_COLOURS[0]),
                                      ("licensed out", expiring.licensed_out, DIRECTION_COLOURS[1])):
            bars = QBarSet(label)
            bars.setColor(QColor(colour))
            bars.append([float(count) for count in counts])
            series.append(bars)
        months = [_short_month(month) for month in expiring.months]
        self._bars(chart, series, months, lambda value: plural(round(value), "grant"), integers=True,
                   full=[date(*map(int, month.split("-")), 1).strftime("%B %Y") for month in expiring.months])
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        words = ["Grants of draft and signed deals whose term ends, month by month over the next 12 months."]
        words += [f"{month}: {bought} bought in, {out} licensed out"
                  for month, bought, out in zip(expiring.months, expiring.bought_in, expiring.licensed_out) if bought or out]
        if len(words) == 1:
            words.append("None in the next 12 months.")
        self._set(self.expiring, chart, "\n".join(words))

    # -- localization readiness --------------------------------------------------------------

    def _show_readiness(self, readiness: ReadinessChart) -> None:
        chart = _chart("Localization tasks" if readiness.total else "Localization: no tasks yet")
        series = QPieSeries()
        series.setHoleSize(0.45)
        for status, count in readiness.by_status:
            if count:
                piece = series.append(status, count)  # (the count in its tooltip: a legend this narrow cuts it)
                piece.setColor(QColor(STATUS_COLOURS.get(status, "#607d8b")))
                piece.setBorderColor(QColor(Qt.GlobalColor.transparent))
        series.hovered.connect(lambda piece, status: QToolTip.showText(
            QCursor.pos(), f"{piece.label()}: {plural(round(piece.value()), 'task')}, {piece.percentage():.0%}")
            if status else QToolTip.hideText())
        chart.addSeries(series)
        words = ["Localization tasks (subtitles, dubs, metadata) by status."]
        words += [f"{status}: {number(count)}" for status, count in readiness.by_status]
        self._set(self.readiness, chart, "\n".join(words))

    # -- shared ------------------------------------------------------------------------------

    @staticmethod
    def _bars(chart: QChart, series: QStackedBarSeries, categories: list[str], says, *, integers: bool = False,  # type: ignore[no-untyped-def]
              full: list[str] | None = None) -> None:
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(categories)
        x_axis.setLabelsFont(_small(0.7 if len(categories) > 6 else 0.8))
        x_axis.setTruncateLabels(False)  # ("Nov" is a hair wider than its bar at 1280 pixels: shown whole)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x_axis)
        y_axis = QValueAxis()
        top = max((sum(bars.at(n) for bars in series.barSets()) for n in range(len(categories))), default=0.0)
        y_axis.setRange(0, max(top, 4.0 if integers else 1.0))
        y_axis.applyNiceNumbers()
        y_axis.setLabelFormat("%d" if integers else "%.0f")
        y_axis.setLabelsFont(_small())
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y_axis)

        def hovered(status: bool, index: int, bars: QBarSet) -> None:
            if status:
                QToolTip.showText(QCursor.pos(), f"{bars.label()} · {(full or categories)[index]}: {says(bars.at(index))}")
            else:
                QToolTip.hideText()

        series.hovered.connect(hovered)

    @staticmethod
    def _set(view: QChartView, chart: QChart, words: str) -> None:
        old = view.chart()
        view.setChart(chart)
        view.setToolTip(words)
        view.setAccessibleDescription(words)
        if old is not None:
            old.deleteLater()
