"""Reading revenue reports as platforms write them."""

import codecs
from datetime import date
from decimal import Decimal as D

import pytest

from rightsdesk.domain.enums import RevenueType
from rightsdesk.domain.revenue import Options, csv_rows, decode, parse_number, parse_period, parse_rows, revenue_type


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1,234.56", "auto", "1234.56"), ("1.234,56", "auto", "1234.56"), ("1 234,56", "auto", "1234.56"),
    ("1234,5", "auto", "1234.5"), ("1,234", "auto", "1234"), ("1,234", ",", "1.234"), ("(12.50)", "auto", "-12.50"),
    ("12.50-", "auto", "-12.50"), ("$ 1,000.00", "auto", "1000.00"), ("1.234.567,89", ",", "1234567.89"),
    (0.1, "auto", "0.1"), (42, "auto", "42"), ("−3,5", "auto", "-3.5"),
])
def test_numbers_as_platforms_write_them(text, decimal, expected):
    assert parse_number(text, decimal) == D(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3,4,5", "12 apples", True])
def test_what_is_not_a_number_says_so(text):
    with pytest.raises(ValueError):
        parse_number(text, "auto")


def test_periods():
    assert parse_period("2026-Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert parse_period("2026 q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert parse_period("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert parse_period("2026-H2") == (date(2026, 7, 1), date(2026, 12, 31))
    assert parse_period("July 2026") == (date(2026, 7, 1), date(2026, 7, 31))
    assert parse_period("15/08/2026", day_first=True) == (date(2026, 8, 1), date(2026, 8, 31))


def test_encodings_are_recognised():
    text = "Título,Receita\nA noiva,1.234,56\n"
    for content in (text.encode("utf-8"), codecs.BOM_UTF8 + text.encode("utf-8"), text.encode("utf-16"),
                    text.encode("cp1252")):
        assert decode(content) == text


def test_csv_delimiters_are_sniffed():
    assert csv_rows("a;b\n1,5;2\n".encode())[1] == ["1,5", "2"]
    assert csv_rows("a\tb\n1\t2\n".encode("utf-16"))[1] == ["1", "2"]


def test_revenue_types_from_the_words_platforms_use():
    assert revenue_type("Coins", RevenueType.OTHER) is RevenueType.UNLOCKS
    assert revenue_type("Ad revenue", RevenueType.OTHER) is RevenueType.ADS
    assert revenue_type("", RevenueType.LICENCE_FEE) is RevenueType.LICENCE_FEE


KNOWN = dict(currencies={"USD", "THB"}, countries={"TH", "US"}, media={"APP", "FAST"})
MAPPING = {"period": "Month", "territory": "Country", "title_id": "Series", "gross_amount": "Revenue", "currency": "Cur"}


def test_rows_become_lines_and_every_problem_is_listed_with_row_and_column():
    headers = ["Month", "Country", "Series", "Revenue", "Cur"]
    rows = [["2026-07", "TH", "T000001", "1.234,56", "THB"],
            ["2026-07", "XX", "T000002", "12", "USD"],
            ["2026-13x", "US", "", "lots", "EUR"]]
    parsed = parse_rows(headers, rows, MAPPING, Options(decimal=","), **KNOWN)
    assert [str(p) for p in parsed.problems] == [
        "row 3, column 'Country': 'XX' is not an ISO 3166-1 country code",
        "row 4, column 'Revenue': 'lots' not a number",
        "row 4, column 'Month': '2026-13x' not a date",
        "row 4, column 'Cur': 'EUR' is not an ISO 4217 currency",
        "row 4: no title identifier in this row",
    ]
    [line] = parsed.lines
    assert (line.row, line.gross_amount, line.currency, line.period_end, line.identifier) == (
        2, D("1234.56"), "THB", date(2026, 7, 31), "T000001")


def test_a_mapping_without_what_is_needed_is_refused_before_any_row():
    parsed = parse_rows(["A"], [["1"]], {"title_id": "B"}, Options(), **KNOWN)
    assert [p.reason for p in parsed.problems] == [
        "no column 'B' (for title_id) in the file", "choose the column for gross amount",
        "choose the column of the period (or its start date)",
        "choose the currency column, or the currency of the whole file"]
