from datetime import date
from decimal import Decimal as D

import pytest

from rightsdesk.domain.errors import UserError
from rightsdesk.services import fx


def test_the_rate_of_the_day_or_the_latest_before_it_or_the_inverse(database):
    with database.transaction() as session:
        assert fx.import_rates(session, b"date,base,quote,rate\n2026-09-30,THB,USD,0.0275\n2026-06-30,THB,USD,0.027\n") == 2
        assert fx.quote(session, "THB", "USD", date(2026, 9, 30)).rate == D("0.0275")
        earlier = fx.quote(session, "THB", "USD", date(2026, 9, 29))
        assert (earlier.rate, earlier.rate_date) == (D("0.027"), date(2026, 6, 30))
        assert earlier.describe() == "1 THB = 0.027 USD (rate of 2026-06-30)"
        inverse = fx.quote(session, "USD", "THB", date(2026, 12, 31))
        assert inverse.rate == (D(1) / D("0.0275")).quantize(D("1E-10")) and inverse.rate_date == date(2026, 9, 30)
        assert fx.quote(session, "USD", "USD", date(2026, 1, 1)).rate == 1
        with pytest.raises(fx.MissingRate, match="no THB/USD exchange rate on or before 2026-01-01"):
            fx.quote(session, "THB", "USD", date(2026, 1, 1))


def test_a_bad_rates_file_imports_nothing(database):
    with pytest.raises(UserError) as refused:
        with database.transaction() as session:
            fx.import_rates(session, "Day;From;To;Rate\n2026-09-30;THB;USD;0,0275\n31.02.2026;THB;USD;1\n2026-09-30;THB;XYZ;1\n".encode())
    assert "row 3" in str(refused.value) and "row 4, column 'To': 'XYZ' is not an ISO 4217 currency" in str(refused.value)
    with database.read() as session:
        with pytest.raises(fx.MissingRate):
            fx.quote(session, "THB", "USD", date(2026, 12, 31))


@pytest.mark.parametrize(("content", "options", "expected"), [
    (b"date,base,quote,rate\n01.07.2026,THB,USD,0.0275\n", {}, "row 2, column 'date': '01.07.2026' reads day-first or month-first"),
    (b"date;base;quote;rate\n2026-07-01;THB;USD;1,0850\n", {}, "row 2, column 'rate': '1,0850' is not a number written with '.' as the decimal"),
    (b"date,base,quote,rate\n\n\n2026-07-01,THB,USD,abc\n", {}, "row 4, column 'rate': 'abc' is not a number"),
    (b"date,base,quote,rate\n", {}, "a header and no rates"),
    ("Datum,Basis,Kurs\n".encode("cp1252") + b"\x80", {}, "byte 0x80 is not UTF-8"),
])
def test_rates_read_by_declared_conventions_or_are_refused(database, content, options, expected):
    with pytest.raises(UserError, match=expected.replace("(", r"\(")), database.transaction() as session:
        fx.import_rates(session, content, **options)


def test_declared_conventions_read_what_iso_alone_would_refuse(database):
    with database.transaction() as session:
        assert fx.import_rates(session, "Date;Base;Quote;Rate\n01.07.2026;THB;USD;0,0275\n".encode("cp1252"),
                               decimal=",", dates="dmy", encoding="windows-1252") == 1
        assert fx.quote(session, "THB", "USD", date(2026, 7, 1)).rate == D("0.0275")


def test_a_rate_for_a_currency_replaced_before_its_date_is_refused_naming_the_successor(database):
    with database.transaction() as session:
        assert fx.import_rates(session, b"date,base,quote,rate\n2022-12-30,HRK,EUR,0.1327\n") == 1
    with pytest.raises(UserError, match="row 2, column 'base': 'HRK' was replaced by EUR on 2023-01-14: use EUR for 2024-03-31"):
        with database.transaction() as session:
            fx.import_rates(session, b"date,base,quote,rate\n2024-03-31,HRK,USD,0.14\n")
