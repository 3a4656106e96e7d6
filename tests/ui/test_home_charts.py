"""Home's pictures: drawn from services/overview, read off the UI thread."""

import threading
from datetime import date

from PySide6.QtCharts import QBarCategoryAxis, QPieSeries, QStackedBarSeries

from rightsdesk.services import overview as overview_service
from rightsdesk.ui.home.page import HomePage

TODAY = date(2026, 11, 25)


def series_of(view):
    return view.chart().series()[0]


def test_home_draws_revenue_expiring_rights_and_localization_read_off_the_ui_thread(qtbot, database, worked, import_revenue,
                                                                                    monkeypatch):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB"),
                                                ("2026-05", "US", "T000002", "250", "USD")], "report.csv")
    read_on = []
    real = overview_service.overview
    monkeypatch.setattr(overview_service, "overview",
                        lambda session, today: read_on.append(threading.current_thread()) or real(session, today))
    page = HomePage(database, today=TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.pictured, timeout=10000):
        page.refresh()
    assert read_on and read_on[0] is not threading.main_thread()

    revenue = series_of(page.charts.revenue)
    assert isinstance(revenue, QStackedBarSeries)
    assert [(bars.label(), [bars.at(n) for n in range(bars.count())]) for bars in revenue.barSets()] == \
        [("ShortMax", [0.25, 10.0])]  # thousand USD: 250 USD in Q2, 400 000 THB at 0.025 in Q3
    axis = next(a for a in page.charts.revenue.chart().axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories() == ["Q2 26", "Q3 26"]
    assert "ShortMax: 2026-Q2 $250.00, 2026-Q3 $10,000.00" in page.charts.revenue.toolTip()

    expiring = series_of(page.charts.expiring)
    assert [bars.label() for bars in expiring.barSets()] == ["bought in", "licensed out"]
    months = next(a for a in page.charts.expiring.chart().axes() if isinstance(a, QBarCategoryAxis))
    assert months.categories() == ["Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"]
    assert "None in the next 12 months." in page.charts.expiring.toolTip()

    readiness = series_of(page.charts.readiness)
    assert isinstance(readiness, QPieSeries) and readiness.count() == 0  # no tasks: nothing to cut
    assert page.charts.readiness.chart().title() == "Localization: no tasks yet"


def test_a_sales_house_s_millions_are_drawn_in_millions(qtbot, database, worked, import_revenue):
    """Once a quarter passes ten million, the revenue picture counts in millions: its axis reads
    25, not 25000 (thousands) or 25000000."""
    import_revenue(database, worked["source"], [("2026-07", "US", "T000001", "24000000", "USD"),
                                                ("2026-08", "US", "T000002", "1000000.50", "USD"),
                                                ("2026-05", "US", "T000002", "250000", "USD")], "report.csv")
    page = HomePage(database, today=TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.pictured, timeout=10000):
        page.refresh()
    chart = page.charts.revenue.chart()
    assert chart.title() == "Revenue by platform, million USD"
    assert [[bars.at(n) for n in range(bars.count())] for bars in series_of(page.charts.revenue).barSets()] == \
        [[0.25, 25.0000005]]
    assert "ShortMax: 2026-Q2 $250,000.00, 2026-Q3 $25,000,000.50" in page.charts.revenue.toolTip()


def test_an_empty_catalogue_says_so_in_each_picture_and_a_refresh_replaces_them(qtbot, database):
    page = HomePage(database, today=TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignals([page.refreshed, page.pictured], timeout=10000):
        page.refresh()
    first = page.charts.revenue.chart()
    assert first.title() == "Revenue by platform: no revenue imported yet" and not first.series()
    with qtbot.waitSignals([page.refreshed, page.pictured], timeout=10000):
        page.refresh()
    assert page.charts.revenue.chart() is not first and len(page.charts.expiring.chart().series()) == 1


def test_home_draws_its_figures_again_when_an_action_anywhere_changes_them(qtbot, database, worked):
    """Home follows what it pictures: tasks created elsewhere (as the Localization screen does)
    are in the readiness picture with no refresh asked for."""
    from rightsdesk.domain.enums import LocalizationKind
    from rightsdesk.services import localization
    from rightsdesk.ui.actions import run

    page = HomePage(database, today=TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignals([page.refreshed, page.pictured], timeout=10000):
        page.show()  # read when shown
    qtbot.waitUntil(lambda: not page.reading())
    assert page.charts.readiness.chart().title() == "Localization: no tasks yet"

    with qtbot.waitSignal(page.pictured, timeout=10000):
        run(database, localization.create_tasks, worked["titles"][0], ["th", "vi"], [LocalizationKind.SUBTITLES],
            per_episode=False, user="ana")

    readiness = series_of(page.charts.readiness)
    assert sum(readiness.slices()[n].value() for n in range(readiness.count())) == 2


def test_the_charts_are_drawn_one_a_turn_of_the_event_loop_so_the_window_answers_between(qtbot, database):
    page = HomePage(database, today=TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.pictured, timeout=10000):
        page.refresh()
    figures = page.charts.shown
    before = page.charts.readiness.chart()

    page.charts.show_overview(figures)
    assert page.charts.drawing()  # the revenue chart is drawn; the others wait for the next turns
    assert page.charts.readiness.chart() is before
    with qtbot.waitSignal(page.charts.drawn, timeout=10000):
        pass
    assert not page.charts.drawing() and page.charts.readiness.chart() is not before
