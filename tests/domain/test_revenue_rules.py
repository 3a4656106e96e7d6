"""Reading revenue reports by the conventions their source declares (issue 16)."""

from datetime import date
from decimal import Decimal as D

import pytest

from rightsdesk.domain.enums import RevenueType
from rightsdesk.domain.reading import Refused
from rightsdesk.domain.revenue import (
    Options,
    parse_number,
    parse_period,
    parse_rows,
    propose_revenue_types,
    revenue_type,
)


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1,234.56", "auto", "1234.56"), ("1.234,56", "auto", "1234.56"), ("1 234,56", "auto", "1234.56"),
    ("1234,5", "auto", "1234.5"), ("1,234", ".", "1234"), ("1,234", ",", "1.234"), ("(12.50)", "auto", "-12.50"),
    ("12.50-", "auto", "-12.50"), ("$ 1,000.00", "auto", "1000.00"), ("1.234.567,89", ",", "1234567.89"),
    (0.1, "auto", "0.1"), (42, "auto", "42"), ("−3,5", "auto", "-3.5"), ("Rp 2.500", ",", "2500"),
    ("R$ 1.234,56", ",", "1234.56"),
])
def test_numbers_as_platforms_write_them(text, decimal, expected):
    assert parse_number(text, decimal) == D(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3,4,5", "12 apples", True, "NaN", "inf", "9.2e12", "9200000000000"])
def test_what_is_not_a_number_says_so(text):
    with pytest.raises(ValueError):
        parse_number(text, "auto")


@pytest.mark.parametrize("text", ["Rp 2.500", "20.000", "1,234"])
def test_a_number_that_reads_two_ways_is_refused_when_the_source_declared_no_separator(text):
    with pytest.raises(Refused, match="the source must declare its decimal separator"):
        parse_number(text, "auto")


def test_a_currency_symbol_must_be_the_lines_currency():
    assert parse_number("R$ 1.234,56", ",", "BRL") == D("1234.56")
    with pytest.raises(Refused, match="but the line's currency is USD"):
        parse_number("₫ 1000", ".", "USD")


def test_periods():
    assert parse_period("2026-Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert parse_period("2026 q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert parse_period("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert parse_period("2026-H2") == (date(2026, 7, 1), date(2026, 12, 31))
    assert parse_period("July 2026") == (date(2026, 7, 1), date(2026, 7, 31))
    assert parse_period("15/08/2026", "dmy") == (date(2026, 8, 1), date(2026, 8, 31))
    assert parse_period("01.07.2026", "mdy") == (date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.parametrize(("text", "reason"), [("Sep-25", "has no year"), ("01.07.2026", "reads day-first or month-first")])
def test_a_period_without_a_year_or_an_undeclared_date_order_is_refused(text, reason):
    with pytest.raises(Refused, match=reason):
        parse_period(text)


def test_revenue_types_are_the_sources_words_as_its_mapping_declares_them():
    words = {"coins": RevenueType.UNLOCKS, "Ad Revenue": RevenueType.ADS}
    options = Options(revenue_types=words)
    assert revenue_type("Coins", RevenueType.OTHER, options.revenue_types) is RevenueType.UNLOCKS
    assert revenue_type("ad revenue", RevenueType.OTHER, options.revenue_types) is RevenueType.ADS
    assert revenue_type("licence fee", RevenueType.OTHER) is RevenueType.LICENCE_FEE  # RightsDesk's own name
    assert revenue_type("", RevenueType.LICENCE_FEE) is RevenueType.LICENCE_FEE
    with pytest.raises(Refused, match="is not a revenue type the source's mapping names"):
        revenue_type("refund", RevenueType.OTHER, options.revenue_types)  # never 'other'
    # the built-in words are a proposal, for the user to confirm
    assert propose_revenue_types(["Coins", "Ad revenue", "refund", "ads"]) == {
        "coins": RevenueType.UNLOCKS, "ad revenue": RevenueType.ADS}


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
        "row 4, column 'Revenue': 'lots' is not a number",
        "row 4, column 'Month': '2026-13x' is not a date",
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


WORDS = Options(revenue_types={"coins": RevenueType.UNLOCKS})


def read_all(rows, chunk, mapping=WIDE, headers=WIDE_HEADERS, options=WORDS):
    from rightsdesk.domain.revenue_report import LineReader

    reader = LineReader(headers, mapping, options, **KNOWN)
    for start in range(0, len(rows), chunk):
        reader.read(rows[start:start + chunk])
    return reader


@pytest.mark.parametrize("chunk", [1, 2, 100])
def test_a_whole_report_reads_as_the_preview_does_a_chunk_at_a_time(chunk):
    reader = read_all(WIDE_ROWS, chunk)
    expected = parse_rows(WIDE_HEADERS, WIDE_ROWS, WIDE, WORDS, **KNOWN)  # (the blank row 5 counted, as in the file)
    assert reader.problems == expected.problems == []
    assert [line.row for line in expected.lines] == [2, 3, 4, 6]
    assert [reader.lines.line(n) for n in range(len(reader.lines))] == expected.lines
    assert reader.lines.totals() == {"USD": D("2.00"), "THB": D("-7")}


def test_plain_rows_are_read_a_column_at_a_time_and_give_the_same_lines():
    plain = [["2026-07", "TH", "APP", "coins", f"T{n:06}", "", str(n % 3 + 1), "2", f"{n}.25", "0.5", "0", "USD"]
             for n in range(50)]
    from rightsdesk.domain.revenue_report import LineReader

    by_columns, by_rows = (LineReader(WIDE_HEADERS, WIDE, WORDS, **KNOWN) for _ in range(2))
    assert by_columns._read_columns(plain, range(2, 52)) is True  # (plain: read by columns)
    by_rows._read_rows(plain, range(2, 52))
    assert [by_rows.lines.line(n) for n in range(50)] == [by_columns.lines.line(n) for n in range(50)]


def test_every_problem_of_a_whole_report_is_listed_as_the_preview_lists_it():
    rows = [*WIDE_ROWS, ["2026-13x", "XX", "TV", "", "", "", "one", "", "lots", "", "", "EUR"],
            ["2026-07", "US", "", "", "T1", "", "", "", "1.1234567", "", "", "USD"]]
    reader = read_all(rows, 3)
    expected = parse_rows(WIDE_HEADERS, rows, WIDE, WORDS, **KNOWN)
    assert reader.problems == expected.problems and reader.problem_count == len(expected.problems) == 8
    assert str(reader.problems[0]) == "row 7, column 'Revenue': 'lots' is not a number"


def test_a_report_with_very_many_problems_lists_the_first_and_counts_them_all(monkeypatch):
    from rightsdesk.domain import revenue_report

    monkeypatch.setattr(revenue_report, "MAX_PROBLEMS", 5)
    reader = read_all([["2026-07", "ZZ", "", "", "T1", "", "", "", "1", "", "", "USD"]] * 12, 4)
    assert len(reader.problems) == 5 and reader.problem_count == 12 and len(reader.lines) == 0


# -- issue 16: the fast path (a column at a time) and the slow one (a row at a time) read alike --

HOSTILE_KNOWN = dict(currencies={"USD", "THB", "BRL", "HRK", "EUR", "IDR"}, countries={"TH", "US", "GB", "XK", "HR"},
                     media={"APP"})
SPAN = {"period_start": "Start", "period_end": "End", "territory": "Country", "revenue_type": "Type",
        "title_id": "Series", "gross_amount": "Gross", "currency": "Cur"}
SPAN_HEADERS = ["Start", "End", "Country", "Type", "Series", "Gross", "Cur"]
PLAIN_ROW = ["2026-07-01", "2026-07-31", "TH", "coins", "T000001", "12", "USD"]


def hostile(**cells):
    return [cells.get(h.lower(), value) for h, value in zip(SPAN_HEADERS, PLAIN_ROW)]


@pytest.mark.parametrize(("row", "options", "expected"), [
    (hostile(gross="20.000"), {}, "column 'Gross': '20.000' reads as 20 or as 20000: the source must declare"),
    (hostile(gross="Rp 2.500", cur="IDR"), {}, "'Rp 2.500' reads as 2.5 or as 2500"),
    (hostile(gross="R$ 1.234,56", cur="BRL"), {"decimal": ","}, None),
    (hostile(gross="R$ 12,50", cur="USD"), {"decimal": ","}, "has 'R$', which is BRL, but the line's currency is USD"),
    (hostile(gross="9200000000000"), {}, "is too large"),
    (hostile(gross="9.2e12"), {}, "'9.2e12' is not a number"),
    (hostile(end="2026-09-31"), {}, "column 'End': '2026-09-31' is not a day of the calendar"),
    (hostile(start="Sep-25"), {}, "column 'Start': 'Sep-25' has no year"),
    (hostile(start="01.07.2026"), {}, "reads day-first or month-first"),
    (hostile(start="01.07.2026", end="31.07.2026"), {"dates": "dmy"}, None),
    (hostile(type="refund"), {}, "column 'Type': 'refund' is not a revenue type the source's mapping names"),
    (hostile(country="UK"), {}, None),
    (hostile(country="XK"), {}, None),
    (hostile(country="HR", cur="HRK"), {}, "column 'Cur': 'HRK' was replaced by EUR on 2023-01-14: use EUR for 2026-07-31"),
    (hostile(series="Bride\u202e"), {}, "'Bride\\u202e' holds a control character (U+202E)"),
])
def test_a_hostile_value_reads_the_same_among_plain_rows_as_alone(row, options, expected):
    from rightsdesk.domain.revenue_report import LineReader

    options = Options(revenue_types={"coins": RevenueType.UNLOCKS}, **options)
    rows = [PLAIN_ROW] * 40 + [row] + [PLAIN_ROW] * 9
    alone = parse_rows(SPAN_HEADERS, rows, SPAN, options, **HOSTILE_KNOWN)
    for chunk in (50, 7, 1):  # the whole chunk by columns (and falling back), and row by row
        reader = LineReader(SPAN_HEADERS, SPAN, options, **HOSTILE_KNOWN)
        for start in range(0, len(rows), chunk):
            reader.read(rows[start:start + chunk])
        assert reader.problems == alone.problems
        if not alone.problems:  # (a refused file keeps no lines)
            assert [reader.lines.line(n) for n in range(len(reader.lines))] == alone.lines
    if expected is None:
        assert alone.problems == [] and len(alone.lines) == 50
        assert alone.lines[40].territory == {"UK": "GB"}.get(row[2], row[2])
    else:
        [problem] = alone.problems
        assert str(problem).startswith(f"row 42, {expected}") or (problem.row == 42 and expected in str(problem))


def test_blank_rows_before_a_bad_row_do_not_shift_its_number():
    from rightsdesk.domain.revenue_report import LineReader

    rows = [PLAIN_ROW, [], ["", "", "", "", "", "", ""], [], hostile(gross="ten")]
    reader = LineReader(SPAN_HEADERS, SPAN, WORDS, **HOSTILE_KNOWN)
    reader.read(rows, range(2, 7))
    assert [str(p) for p in reader.problems] == ["row 6, column 'Gross': 'ten' is not a number"]


def test_a_header_and_no_lines_is_refused_not_an_empty_batch():
    from rightsdesk.domain.revenue_report import LineReader

    reader = LineReader(SPAN_HEADERS, SPAN, WORDS, **HOSTILE_KNOWN, header_row=3)
    reader.read([[], []], [4, 5])
    reader.finish()
    assert [str(p) for p in reader.problems] == ["row 3: the file has a header and no lines under it"]


def test_a_formula_with_no_saved_result_is_named_not_read_as_empty():
    from rightsdesk.domain.reading import Formula
    from rightsdesk.domain.revenue_report import LineReader

    reader = LineReader(SPAN_HEADERS, SPAN, WORDS, **HOSTILE_KNOWN)
    reader.read([PLAIN_ROW, hostile(gross=Formula("=100*2"))])
    [problem] = reader.problems
    assert (problem.row, problem.column, problem.value) == (3, "Gross", "=100*2")
    assert problem.reason.startswith("holds a formula (=100*2) with no saved result")


def test_a_value_beyond_the_header_is_refused_not_read_shifted():
    from rightsdesk.domain.revenue_report import LineReader

    rows = [PLAIN_ROW + [""], ["2026-07-01", "2026-07-31", "TH", "coins", "T000001", "1", "234.56", "USD"]]
    alone = parse_rows(SPAN_HEADERS, rows, SPAN, WORDS, **HOSTILE_KNOWN)
    for chunk in (2, 1):
        reader = LineReader(SPAN_HEADERS, SPAN, WORDS, **HOSTILE_KNOWN)
        for start in range(0, 2, chunk):
            reader.read(rows[start:start + chunk])
        assert reader.problems == alone.problems
    assert [str(p) for p in alone.problems] == [
        "row 3: 'USD' is beyond the header's 7 columns: a value holding the delimiter must be in double quotes",
        "row 3, column 'Cur': '234.56' is not an ISO 4217 currency"]
