"""Date fields take what people type (issue 18): a whole ISO day into an empty field, the desk's
short form by CLDR's pattern; the calendar opens on today, never January 1900; a typed year is
never changed; what is not a day is listed as a problem, never saved as the day before."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QFormLayout, QWidget

from rightsdesk.ui.date_field import NO_DATE, DateField, read_date
from rightsdesk.ui.forms import date_of, date_problems


@pytest.fixture
def field(qtbot):
    form = QWidget()
    layout = QFormLayout(form)
    empty = DateField(None, "term_start")
    layout.addRow("Term &start", empty)
    qtbot.addWidget(form)
    form.show()
    yield empty  # (the form stays referenced while the test runs)
    form.close()


def test_a_whole_day_typed_into_an_empty_field_is_that_day(qtbot, field):
    assert field.text() == "—" and date_of(field) is None
    changed = []
    field.dateChanged.connect(changed.append)
    qtbot.keyClicks(field.edit, "2026-11-01")
    assert date_of(field) == date(2026, 11, 1) and changed[-1] == QDate(2026, 11, 1)
    # Up, Ctrl+A and a new day: the typed year stays (QDateEdit stored 1901-11-01 here)
    qtbot.keyClick(field.edit, Qt.Key.Key_Up)
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, "2026-11-02")
    assert date_of(field) == date(2026, 11, 2)
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    assert date_of(field) is None and field.date() == NO_DATE


# the offscreen platform has no window manager to raise a popup or give it the keyboard
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)", extend=True)
def test_the_calendar_opens_on_today_when_the_field_is_empty_and_a_pick_enters_the_day(qtbot, field):
    from PySide6.QtWidgets import QCalendarWidget

    assert not field.findChildren(QCalendarWidget)  # made when first wanted (a screen's fields took 100 ms)
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendarWidget()
    assert calendar.isVisible()
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.setSelectedDate(QDate(2027, 3, 15))
    calendar.activated.emit(QDate(2027, 3, 15))
    assert not calendar.isVisible() and field.text() == "2027-03-15"


def test_what_is_not_a_day_is_a_problem_named_by_its_label_not_the_day_before(qtbot, field):
    field.setDate(date(2026, 1, 5))
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, "2026-13-01")
    field.edit.editingFinished.emit()
    found = date_problems(field.parentWidget())
    assert [p.where for p in found] == ["Term start"]
    assert "'2026-13-01' is not a day: type it as 2026-11-01" in found[0].message
    assert field.property("problem")  # marked on screen


def test_a_required_day_left_empty_is_a_problem(qtbot, field):
    field.setMinimumDate(NO_DATE.addDays(1))
    assert [p.message for p in date_problems(field.parentWidget())] == ["a day is required"]


@pytest.mark.parametrize(("locale", "typed", "day"), [
    ("en_US", "11/1/26", date(2026, 11, 1)), ("de_DE", "01.11.26", date(2026, 11, 1)),
    ("en_GB", "01/11/2026", date(2026, 11, 1)), ("ja_JP", "2026/11/01", date(2026, 11, 1)),
])
def test_the_desks_short_form_is_read_by_its_locales_pattern(locale, typed, day):
    assert read_date(typed, locale) == day


@pytest.mark.parametrize(("locale", "typed"), [("en_GB", "01/11/26"), ("en_US", "13/1/26"), ("en_US", "2026-02-30"),
                                                ("en_US", "Nov 2026"), ("en_US", "2026-11")])
def test_what_reads_no_day_by_the_conventions_is_refused(locale, typed):
    with pytest.raises(ValueError, match="is not a day"):
        read_date(typed, locale)


def test_a_day_typed_in_the_desks_form_stays_in_it_when_the_field_is_left(qtbot, field):
    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    try:
        qtbot.keyClicks(field.edit, "01.11.26")
        field.edit.editingFinished.emit()
        assert field.text() == "01.11.26" and date_of(field) == date(2026, 11, 1)
    finally:
        QLocale.setDefault(before)


def test_no_screen_builds_qt_s_own_date_edit() -> None:
    """Every date typed goes through DateField (a typed year is never changed): none of Qt's
    QDateEdit left, which moves a year with Up and keeps it through Ctrl+A and typing."""
    from pathlib import Path

    import rightsdesk.ui

    users = [str(path) for path in Path(rightsdesk.ui.__file__).parent.rglob("*.py")
             if path.name != "date_field.py" and "QDateEdit" in path.read_text(encoding="utf-8")]
    assert users == []


@pytest.fixture
def german_desk():
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    yield
    QLocale.setDefault(before)


def test_a_day_is_shown_as_the_desk_writes_it(qtbot, german_desk) -> None:
    from datetime import date

    from PySide6.QtCore import QDate, Qt

    from rightsdesk.ui.date_field import DateField

    field = DateField(date(2026, 11, 1), "signed")
    qtbot.addWidget(field)
    assert field.edit.text() == "01.11.26"  # CLDR's short form for de_DE
    field.edit.clear()
    qtbot.keyClicks(field.edit, "2027-03-05")  # ISO typed is read too, and shown the desk's way
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    field.edit.editingFinished.emit()
    assert field.date() == QDate(2027, 3, 5) and field.edit.text() == "05.03.27"
