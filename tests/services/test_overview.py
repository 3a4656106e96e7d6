"""The figures behind Home's pictures: revenue by platform and quarter, rights expiring by
month, localization tasks by status."""

from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus
from rightsdesk.persistence.models import Grant, LocalizationTask
from rightsdesk.services import fx, revenue
from rightsdesk.services.overview import OTHERS, PLATFORMS_SHOWN, overview, revenue_by_platform

TODAY = date(2026, 11, 25)


def test_revenue_is_summed_by_platform_and_quarter_in_usd_at_the_quarter_end_rate(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB"),
                                                ("2026-09", "US", "T000002", "1000", "USD"),
                                                ("2026-05", "US", "T000002", "250.50", "USD")], "report.csv")
    with database.transaction() as session:
        other = revenue.save_source(session, "DramaPop")
    import_revenue(database, other, [("2026-08", "US", "T000001", "30", "USD"),
                                     ("2026-12", "US", "T000001", "999", "USD")], "later.csv")  # (ends after today)
    with database.read() as session:
        chart = revenue_by_platform(session, TODAY)
    assert chart.currency == "USD" and chart.quarters == ["2026-Q2", "2026-Q3"]
    # 400 000 THB at 0.025 (the rate of 2026-09-30) = 10 000 USD, plus 1 000 USD
    assert chart.by_platform == {"ShortMax": [D("250.50"), D("11000.00")], "DramaPop": [D("0.00"), D("30.00")]}
    assert chart.without_rate == [] and chart.total == D("11280.50")


def test_a_currency_without_a_rate_is_left_out_and_named_and_a_rolled_back_file_is_not_counted(database, worked, import_revenue):
    kept = import_revenue(database, worked["source"], [("2026-07", "BR", "T000001", "500", "BRL"),
                                                       ("2026-07", "US", "T000001", "70", "USD")], "kept.csv")
    gone = import_revenue(database, worked["source"], [("2026-08", "US", "T000002", "5000", "USD")], "gone.csv")
    with database.transaction() as session:
        revenue.rollback_batch(session, gone.batch_id, user="ana")
    with database.read() as session:
        chart = revenue_by_platform(session, TODAY)
    assert kept.lines == 2
    assert chart.by_platform == {"ShortMax": [D("70.00")]} and chart.without_rate == ["BRL"]

    with database.transaction() as session:
        fx.save_rate(session, "BRL", "USD", date(2026, 9, 1), D("0.2"))
    with database.read() as session:
        assert revenue_by_platform(session, TODAY).by_platform == {"ShortMax": [D("170.00")]}


def test_the_smallest_platforms_go_together_as_others(database, worked, import_revenue):
    for n in range(PLATFORMS_SHOWN + 2):
        with database.transaction() as session:
            source = revenue.save_source(session, f"Platform {n}")
        import_revenue(database, source, [("2026-07", "US", "T000001", str(100 + n), "USD")], f"p{n}.csv")
    with database.read() as session:
        chart = revenue_by_platform(session, TODAY)
    names = list(chart.by_platform)
    assert len(names) == PLATFORMS_SHOWN + 1 and names[0] == f"Platform {PLATFORMS_SHOWN + 1}" and names[-1] == OTHERS
    assert chart.by_platform[OTHERS] == [D("201.00")]  # Platform 0 (100) and Platform 1 (101)


def test_rights_expiring_are_counted_by_month_in_and_out_apart_and_tasks_by_status(database, worked):
    with database.transaction() as session:
        grant = session.scalars(select(Grant)).one()  # the worked deal's IN grant
        grant.term_end = date(2027, 2, 28)
        bride = worked["titles"][0]
        for status in (LocalizationStatus.IN_QC, LocalizationStatus.IN_QC, LocalizationStatus.DELIVERED):
            session.add(LocalizationTask(title_id=bride, language_tag="th", kind=LocalizationKind.DUB, status=status))
    with database.read() as session:
        found = overview(session, TODAY)
    assert found.expiring.months[0] == "2026-11" and found.expiring.months[-1] == "2027-10"
    assert found.expiring.bought_in == [0, 0, 0, 1] + [0] * 8 and found.expiring.licensed_out == [0] * 12
    assert found.readiness.by_status == [("not started", 0), ("in progress", 0), ("in QC", 2), ("rejected", 0),
                                         ("delivered", 1)]
    assert found.readiness.total == 3
