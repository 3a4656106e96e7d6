"""Money typed into forms reads by the desk's locale (babel/CLDR) and says what it understood
(issue 16): 20.000 is twenty thousand on a German desk, twenty on an American one."""

from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLineEdit

from rightsdesk.ui.forms import amount_text, explain_number, number_of


@pytest.fixture
def desk_locale():
    before = QLocale()

    def use(name):
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(before)


@pytest.mark.parametrize(("locale", "typed", "expected"), [
    ("de_DE", "20.000", Decimal(20000)), ("de_DE", "1.234,56", Decimal("1234.56")), ("de_DE", "12,5", Decimal("12.5")),
    ("en_US", "20.000", Decimal(20)), ("en_US", "1,234.56", Decimal("1234.56")),
])
def test_numbers_read_by_the_desks_decimal_separator(qtbot, desk_locale, locale, typed, expected):
    desk_locale(locale)
    problems = []
    assert number_of(typed, "fee", problems) == expected and problems == []


def test_what_does_not_read_so_is_a_problem_with_the_reason(qtbot, desk_locale):
    desk_locale("de_DE")
    problems = []
    assert number_of("1,234.56", "MG", problems) == Decimal(0)
    assert [str(p) for p in problems] == ["MG: '1,234.56' is not a number written with ',' as the decimal separator "
                                          "and '.' between groups of three digits"]


def test_a_number_field_says_what_it_understood_and_shows_amounts_in_the_desks_form(qtbot, desk_locale):
    desk_locale("de_DE")
    edit = QLineEdit()
    qtbot.addWidget(edit)
    explain_number(edit)
    edit.setText("20.000")
    assert edit.toolTip() == "Read as 20\u202f000"  # grouped by a thin space: reads one way anywhere
    edit.setText("20.000,5")
    assert edit.toolTip() == "Read as 20\u202f000,5"
    edit.setText("abc")
    assert edit.toolTip() == "'abc' is not a number"
    assert amount_text(Decimal("2400")) == "2400,00" and amount_text(Decimal("0.0125")) == "0,0125"
