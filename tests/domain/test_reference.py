from decimal import Decimal

from rightsdesk.domain import reference
from rightsdesk.domain.money import round_to_minor_unit


def test_every_iso_country_is_known():
    codes = {c.code for c in reference.countries()}
    assert len(codes) == 250  # the 249 of ISO 3166-1 and XK, which every platform reports
    assert {"CN", "HK", "MO", "TW", "TH", "BR", "US"} <= codes


def test_currencies_carry_iso_4217_minor_units():
    units = {c.code: c.minor_units for c in reference.currencies()}
    assert units["USD"] == 2
    assert units["JPY"] == 0
    assert units["KWD"] == 3
    assert units["CLF"] == 4
    assert "XAU" not in units  # gold is not money a statement is paid in


def test_world_is_every_country_and_regions_are_subsets():
    groups = reference.territory_groups()
    every = {c.code for c in reference.countries()}
    assert set(groups["WORLD"][1]) == every
    assert len(groups["EU"][1]) == 27
    assert set(groups["GREATER_CHINA"][1]) == {"CN", "HK", "MO", "TW"}
    for code, (_, members) in groups.items():
        assert set(members) <= every, code


def test_rounding_is_half_up_to_the_minor_unit():
    assert round_to_minor_unit(Decimal("2.345"), 2) == Decimal("2.35")
    assert round_to_minor_unit(Decimal("-2.345"), 2) == Decimal("-2.35")
    assert round_to_minor_unit(Decimal("1234.5"), 0) == Decimal("1235")
    assert round_to_minor_unit(Decimal("0.0005"), 3) == Decimal("0.001")


def test_currencies_are_valid_by_date_and_a_replaced_one_names_its_successor():
    from datetime import date

    known = {c.code for c in reference.currencies()}
    assert {"HRK", "ANG", "XCG", "EUR"} <= known  # HRK for periods before 2023, XCG since 2025
    assert reference.currency_problem("HRK", date(2022, 12, 31)) is None
    assert reference.currency_problem("HRK", date(2024, 3, 31)) == "HRK was replaced by EUR on 2023-01-14: use EUR for 2024-03-31"
    assert reference.currency_problem("ANG", date(2026, 3, 31)).startswith("ANG was replaced by XCG")
    assert reference.currency_problem("XCG", date(2024, 3, 31)) == "XCG was not in use before 2025-03-31"
    assert reference.currency_problem("USD", date(2026, 1, 1)) is None
