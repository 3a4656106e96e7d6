"""The declared conventions every reader reads values by (issue 16): each case is a value a
real report or template held, read one way only or refused with its reason."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from rightsdesk.domain.reading import (
    Formula,
    Refused,
    clean_text,
    decode,
    detect_encoding,
    normalise_eidr,
    parse_date,
    parse_decimal,
    parse_period,
    parse_yes_no,
)


@pytest.mark.parametrize(("text", "decimal", "currency", "expected"), [
    ("Rp 2.500", ",", "IDR", Decimal(2500)),
    ("20.000", ",", None, Decimal(20000)),
    ("20.000", ".", None, Decimal(20)),
    ("R$ 1.234,56", None, "BRL", Decimal("1234.56")),
    ("US$ 12.50", None, "USD", Decimal("12.50")),
    ("₫ 12.500.000", None, "VND", Decimal(12500000)),
    ("฿1,234.50", None, "THB", Decimal("1234.50")),
    ("12.50 USD", None, "USD", Decimal("12.50")),
    ("(12.50)", None, None, Decimal("-12.50")),
    ("12.50-", None, None, Decimal("-12.50")),
    ("R$ -12,50", ",", "BRL", Decimal("-12.50")),
    ("1 234,56", None, None, Decimal("1234.56")),
    ("1\u202f234,56", None, None, Decimal("1234.56")),
    ("0.500", None, None, Decimal("0.5")),
    ("1,234.567", None, None, Decimal("1234.567")),
    ("1.234.567", None, None, Decimal(1234567)),
    ("12,5", None, None, Decimal("12.5")),
    (Decimal("3.25"), None, None, Decimal("3.25")),
    (0.1, None, None, Decimal("0.1")),
])
def test_numbers_read_by_the_declared_separator_and_currency(text, decimal, currency, expected):
    assert parse_decimal(text, decimal, currency=currency) == expected


@pytest.mark.parametrize(("text", "decimal", "currency", "reason"), [
    ("Rp 2.500", None, "IDR", "reads as 2.5 or as 2500"),
    ("20.000", None, None, "reads as 20 or as 20000"),
    ("2,500", None, None, "reads as 2.5 or as 2500"),
    ("R$ 1.234,56", None, "USD", "'R$', which is BRL, but the line's currency is USD"),
    ("CA$12.50", None, "USD", "'CA$', which is CAD"),
    ("1,23,456", None, None, "groups of three digits"),
    ("1.234,56", ".", None, "not a number written with '.' as the decimal separator"),
    ("nan", None, None, "not a number"),
    (float("inf"), None, None, "NaN or infinity"),
    (9.2e12, None, None, "too large"),
    ("9200000000000", None, None, "too large"),
    ("12 apples", None, None, "neither a number nor a currency"),
    (True, None, None, "not a number"),
    (Formula("=SUM(B2:B4)"), None, None, "formula (=SUM(B2:B4)) with no saved result"),
])
def test_numbers_that_read_two_ways_or_not_at_all_are_refused(text, decimal, currency, reason):
    with pytest.raises(Refused, match=reason.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")):
        parse_decimal(text, decimal, currency=currency)


@pytest.mark.parametrize(("text", "order", "expected"), [
    ("2026-11-01", "iso", date(2026, 11, 1)),
    ("2026-11-01T00:00:00", "iso", date(2026, 11, 1)),
    ("2026/07/01", "iso", date(2026, 7, 1)),
    ("01.07.2026", "dmy", date(2026, 7, 1)),
    ("01.07.2026", "mdy", date(2026, 1, 7)),
    ("12.07.2026", "dmy", date(2026, 7, 12)),
    ("13.07.2026", "dmy", date(2026, 7, 13)),
    ("1 July 2026", "iso", date(2026, 7, 1)),
    ("Jul 1, 2026", "iso", date(2026, 7, 1)),
    ("01-Jul-2026", "mdy", date(2026, 7, 1)),
    (datetime(2026, 7, 1, 12, 30), "iso", date(2026, 7, 1)),
])
def test_dates_read_by_iso_or_the_declared_order(text, order, expected):
    assert parse_date(text, order) == expected


@pytest.mark.parametrize(("text", "order", "reason"), [
    ("01.07.2026", "iso", "day-first or month-first"),
    ("12.07.2026", "iso", "day-first or month-first"),
    ("Sep-25", "iso", "no year"),
    ("July 2026", "iso", "no day"),
    ("2030", "iso", "not a date"),
    ("2030-06", "iso", "not a date"),
    ("1/7/26", "dmy", "four digits"),
    ("31.02.2026", "dmy", "not a day of the calendar"),
    ("", "iso", "a date is needed"),
])
def test_incomplete_or_undeclared_dates_are_refused(text, order, reason):
    with pytest.raises(Refused, match=reason):
        parse_date(text, order)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-Q3", (date(2026, 7, 1), date(2026, 9, 30))),
    ("2026-H1", (date(2026, 1, 1), date(2026, 6, 30))),
    ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
    ("07/2026", (date(2026, 7, 1), date(2026, 7, 31))),
    ("Sep-2025", (date(2025, 9, 1), date(2025, 9, 30))),
    ("July 2026", (date(2026, 7, 1), date(2026, 7, 31))),
    ("2026-07-15", (date(2026, 7, 1), date(2026, 7, 31))),
])
def test_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(("text", "reason"), [("Sep-25", "no year"), ("September", "no year"),
                                              ("01.07.2026", "day-first or month-first"), ("2026-13", "not a month of the year")])
def test_periods_without_a_year_or_order_are_refused(text, reason):
    with pytest.raises(Refused, match=reason):
        parse_period(text)


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("No", False), ("TRUE", True), ("false", False),
                                                 ("1", True), ("0", False), ("x", True), (True, True), (0, False),
                                                 ("", None), (None, None)])
def test_yes_no(value, expected):
    assert parse_yes_no(value) is expected


@pytest.mark.parametrize("value", ["maybe", "si", "42", "oui", 2])
def test_anything_else_is_not_yes_or_no(value):
    with pytest.raises(Refused, match="not yes or no"):
        parse_yes_no(value)


def test_a_required_yes_no_cannot_be_blank():
    with pytest.raises(Refused, match="yes or no is needed"):
        parse_yes_no(" ", optional=False)


def test_control_characters_are_refused_in_text():
    assert clean_text("  Love in Bangkok ") == "Love in Bangkok"
    assert clean_text("مرحبا\u200c") == "مرحبا\u200c"  # a joiner shapes Persian and Arabic: kept
    for text in ("Evil\u202eexe.pdf", "A\x00B", "A\x07"):
        with pytest.raises(Refused, match="control character"):
            clean_text(text)


def test_text_decodes_only_in_the_declared_encoding():
    chinese = "期间,标题,金额\n2026-07,霸道总裁爱上我,12.50\n".encode("gb18030")
    assert decode(chinese, "gb18030").startswith("期间,标题")
    assert decode("期間,タイトル\n".encode("shift_jis"), "shift_jis") == "期間,タイトル\n"
    assert decode("기간\n".encode("euc-kr"), "euc-kr") == "기간\n"
    assert decode("期間\n".encode("big5"), "big5") == "期間\n"
    assert decode("Période\n".encode("utf-16"), None) == "Période\n"
    assert decode(b"\xef\xbb\xbfP\xc3\xa9riode", "windows-1252") == "Période"  # a BOM wins
    with pytest.raises(Refused, match="line 1: byte 0xC6 is not UTF-8; it looks like"):
        decode(chinese * 5)
    with pytest.raises(Refused, match="line 2: byte 0x81 does not decode as windows-1252"):
        decode(b"Period\nab\x81", "windows-1252")


def test_the_detector_proposes_what_a_file_is_written_in():
    assert detect_encoding(("期间,标题,金额\n2026-07,霸道总裁爱上我,12.50\n" * 20).encode("gb18030")) == "gb18030"
    assert detect_encoding(("Période,Série,Montant\n2026-07,L'été à Nice,12,50\n" * 20).encode("utf-8")) == "utf-8"


@pytest.mark.parametrize("written", ["md:cid:eidr-s:1234-5678-9ABC-DEF0-1234-K", "doi:10.5240/1234-5678-9abc-def0-1234-k",
                                     "https://doi.org/10.5240/1234-5678-9ABC-DEF0-1234-K", " 10.5240/1234-5678-9ABC-DEF0-1234-K "])
def test_eidr_identifiers_are_normalised(written):
    assert normalise_eidr(written) == "10.5240/1234-5678-9ABC-DEF0-1234-K"
