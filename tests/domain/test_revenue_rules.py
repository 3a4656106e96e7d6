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


@pytest.mark.parametrize(("text", "decimal", "places", "expected"), [
    ("12.5", "auto", 6, 12_500_000), ("-0.5", ".", 6, -500_000), ("7", ",", 4, 70_000), ("1,5", ",", 6, 1_500_000),
    ("1.234,56", "auto", 6, 1_234_560_000), ("(3.25)", "auto", 2, -325), (0.1, "auto", 6, 100_000), (D("2.5"), ".", 1, 25),
])
def test_amounts_are_read_straight_to_the_integer_stored(text, decimal, places, expected):
    from rightsdesk.domain.revenue import scaled_number

    assert scaled_number(text, decimal, places) == expected


def test_an_amount_with_more_decimals_than_stored_is_refused_not_rounded():
    from rightsdesk.domain.revenue import scaled_number

    with pytest.raises(ValueError, match="more than 6 decimal places"):
        scaled_number("0.1234567", ".", 6)
    parsed = parse_rows(["Month", "Series", "Revenue", "Cur"], [["2026-07", "T1", "0.1234567", "USD"]],
                        {"period": "Month", "title_id": "Series", "gross_amount": "Revenue", "currency": "Cur"}, Options(),
                        **KNOWN)
    assert [str(p) for p in parsed.problems] == ["row 2, column 'Revenue': '0.1234567' has more than 6 decimal places"]


WIDE = {"period": "Month", "territory": "Country", "media": "Media", "revenue_type": "Type", "title_id": "Series",
        "title_name": "Name", "episode": "Ep", "units": "Units", "gross_amount": "Revenue", "platform_fees": "Fees",
        "taxes": "Tax", "currency": "Cur"}
WIDE_HEADERS = ["Month", "Country", "Media", "Type", "Series", "Name", "Ep", "Units", "Revenue", "Fees", "Tax", "Cur"]
WIDE_ROWS = [
    ["2026-07", "th", "app", "Coins", "T000001", "", "3", "12", "1.5", "0.2", "", "USD"],
    ["2026-Q3", "", "", "", "", "Bride", "", "", "-7", "", "0.5", "thb"],
    ["July 2026", "US", "FAST", "ads", "T000002", "x", "4.0", "1.25", "(2.50)", "1", "0", "USD"],
    ["", "", "", "", "", "", "", "", "", "", "", ""],  # blank: skipped, not counted
    ["2026-08", "US", "APP", "tips", "T000003", "", "", "", "3", "", "", "USD"],
]


def read_all(rows, chunk, mapping=WIDE, headers=WIDE_HEADERS, options=Options()):
    from rightsdesk.domain.revenue_report import LineReader

    reader = LineReader(headers, mapping, options, **KNOWN)
    for start in range(0, len(rows), chunk):
        reader.read(rows[start:start + chunk])
    return reader


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_a_whole_report_reads_as_the_preview_does_a_chunk_at_a_time(chunk):
    reader = read_all(WIDE_ROWS, chunk)
    expected = parse_rows(WIDE_HEADERS, [r for r in WIDE_ROWS if any(r)], WIDE, Options(), **KNOWN)
    assert reader.problems == expected.problems == []
    assert [reader.lines.line(n) for n in range(len(reader.lines))] == expected.lines
    assert reader.lines.totals() == {"USD": D("2.00"), "THB": D("-7")}


def test_plain_rows_are_read_a_column_at_a_time_and_give_the_same_lines():
    plain = [["2026-07", "TH", "APP", "coins", f"T{n:06}", "", str(n % 3 + 1), "2", f"{n}.25", "0.5", "0", "USD"]
             for n in range(50)]
    from rightsdesk.domain.revenue_report import LineReader

    by_columns, by_rows = (LineReader(WIDE_HEADERS, WIDE, Options(), **KNOWN) for _ in range(2))
    assert by_columns._read_columns(plain) is True  # (plain: read by columns)
    by_rows._read_rows(plain)
    assert [by_rows.lines.line(n) for n in range(50)] == [by_columns.lines.line(n) for n in range(50)]


def test_every_problem_of_a_whole_report_is_listed_as_the_preview_lists_it():
    rows = [*WIDE_ROWS, ["2026-13x", "XX", "TV", "", "", "", "one", "", "lots", "", "", "EUR"],
            ["2026-07", "US", "", "", "T1", "", "", "", "1.1234567", "", "", "USD"]]
    reader = read_all(rows, 3)
    expected = parse_rows(WIDE_HEADERS, [r for r in rows if any(r)], WIDE, Options(), **KNOWN)
    assert reader.problems == expected.problems and reader.problem_count == len(expected.problems) == 8
    assert str(reader.problems[0]) == "row 6, column 'Revenue': 'lots' not a number"


def test_a_report_with_very_many_problems_lists_the_first_and_counts_them_all(monkeypatch):
    from rightsdesk.domain import revenue_report

    monkeypatch.setattr(revenue_report, "MAX_PROBLEMS", 5)
    reader = read_all([["2026-07", "ZZ", "", "", "T1", "", "", "", "1", "", "", "USD"]] * 12, 4)
    assert len(reader.problems) == 5 and reader.problem_count == 12 and len(reader.lines) == 0
