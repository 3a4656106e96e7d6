"""A date field people can type into: `2026-11-01` typed into an empty field is that day.

QDateEdit edits a date section by section, which fights typing: into an empty field (its
special "no date" value, 1900-01-01) nothing typed in full goes in, its calendar opens on
January 1900, and Up then Ctrl+A with a typed day silently keeps a year of 1901. This field is
a line edit that reads what is typed by a declared convention (ISO 8601, `2026-11-01`, or the
desk's own short form, `11/1/26` in the United States, `01.11.26` in Germany, read by CLDR's
pattern for that locale, never by guessing) and shows the day as the desk writes days
(`shown_day`), with a calendar button that opens on the field's day or today. It keeps QDateEdit's small API that the editors use (date, setDate, dateChanged,
minimumDate, setMinimumDate), so the helpers in forms.py work on it unchanged.

What cannot be read stays as typed, marked, and `problem()` says why: an editor lists it with
its other problems instead of saving the day that was there before.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import UnknownLocaleError
from babel.dates import format_date, get_date_format, parse_pattern
from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QSizePolicy, QToolButton, QWidget

from rightsdesk.ui.formatting import _babel_locale

NO_DATE = QDate(1900, 1, 1)  # what date() says for an empty field, as QDateEdit's special value did


def read_date(text: str, locale: str | None = None) -> date:
    """A typed day: ISO 8601 (`2026-11-01`), or the locale's short date pattern (CLDR, e.g.
    `M/d/yy` for en_US: `11/1/26`; two-digit years are 20yy). Raises ValueError saying what to
    type; never completes a partial date from today."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    locale = locale or _babel_locale()
    pattern = parse_pattern(get_date_format("short", locale=locale)).format  # e.g. '%(M)s/%(d)s/%(yy)s'
    codes = {"d": "%d", "dd": "%d", "M": "%m", "MM": "%m", "y": "%Y", "yyyy": "%Y", "yy": "%y"}
    directive = pattern
    for field in sorted(codes, key=len, reverse=True):
        directive = directive.replace(f"%({field})s", codes[field])
    if "%(" not in directive:  # a pattern made only of day, month and year numbers
        try:
            day = datetime.strptime(text, directive).date()
        except ValueError:
            pass
        else:
            if day.year >= 1901:  # '01/11/26' where the pattern has a full year is year 26: refused
                return day
    example = format_date(date(2026, 11, 1), "short", locale=locale)
    raise ValueError(f"'{text}' is not a day: type it as 2026-11-01" + (f" or {example}" if example != "2026-11-01" else ""))


def shown_day(day: date) -> str:
    """A day as the desk writes it: its locale's short form (CLDR: 01.11.26 in Germany, 11/1/26
    in the United States) when the system names a locale and that form reads back as the same
    day; ISO 8601 (2026-11-01) where it names none (Qt's "C" locale) or the form would not."""
    name = QLocale().name()
    if "_" in name:
        try:
            text = format_date(day, "short", locale=name)
            if read_date(text, name) == day:
                return text
        except (ValueError, UnknownLocaleError):
            pass
    return day.isoformat()


class DateField(QWidget):
    """An optional date: a line edit (empty is no date) and a calendar button (Alt+Down, F4)."""

    dateChanged = Signal(QDate)

    def __init__(self, value: date | None = None, object_name: str = "", parent: QWidget | None = None):
        super().__init__(parent, objectName=object_name)
        self._minimum = NO_DATE
        self._date = NO_DATE  # the last day that was read
        self.edit = QLineEdit(objectName=f"{object_name}-text" if object_name else "", placeholderText="—",
                              clearButtonEnabled=True)
        self.edit.setToolTip("Type the day as 2026-11-01 (or in your locale's short form), or pick it from the "
                             "calendar (Alt+Down). Leave it empty for no date.")
        self.button = QToolButton(text="▾", objectName=f"{object_name}-calendar" if object_name else "",
                                  focusPolicy=Qt.FocusPolicy.NoFocus, toolTip="Pick the day from a calendar (Alt+Down)")
        self.button.clicked.connect(self.show_calendar)
        # The calendar is made when first wanted: a screen or dialog holds several date fields,
        # and a calendar each, with its signals connected, took 50-100 ms to build one.
        self._calendar: QCalendarWidget | None = None
        # wide enough for a day and the clear button, no wider: a form's date does not stretch
        self.edit.setFixedWidth(self.edit.fontMetrics().horizontalAdvance("0000-00-00") + 44)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        calendar = QAction("Pick from the calendar", self.edit)
        calendar.setShortcuts([QKeySequence("Alt+Down"), QKeySequence("F4")])
        calendar.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        calendar.triggered.connect(self.show_calendar)
        self.edit.addAction(calendar)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._tidy)
        self.setDate(value)

    # -- QDateEdit's API, as the editors use it ---------------------------------------------------

    def date(self) -> QDate:
        return self._date

    def setDate(self, value: QDate | date | None) -> None:  # noqa: N802 (Qt's name)
        day = _qdate(value)
        self.edit.setText("" if day == NO_DATE else shown_day(_pydate(day)))
        self._mark("")
        self._set(day)

    def minimumDate(self) -> QDate:  # noqa: N802
        return self._minimum

    def setMinimumDate(self, value: QDate) -> None:  # noqa: N802
        """A minimum after NO_DATE also means a day is required."""
        self._minimum = value

    def text(self) -> str:
        """What the field shows: the day as typed or picked, '—' when empty."""
        return self.edit.text().strip() or "—"

    def calendarWidget(self) -> QCalendarWidget:  # noqa: N802
        """The pop-up calendar (made now if it was not yet)."""
        if self._calendar is None:
            self._calendar = QCalendarWidget(self, windowFlags=Qt.WindowType.Popup, gridVisible=True)
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
        return self._calendar

    # -- reading what is typed ------------------------------------------------------------------

    def problem(self) -> str:
        """Why the field's text is not a day it accepts, or '' when it is (empty included,
        unless a day is required)."""
        text = self.edit.text().strip()
        if not text:
            return "a day is required" if self._minimum > NO_DATE else ""
        try:
            day = read_date(text)
        except ValueError as error:
            return str(error)
        if self._minimum > NO_DATE and day < _pydate(self._minimum):
            return f"{day.isoformat()} is before {_pydate(self._minimum).isoformat()}, the earliest day it can be"
        return ""

    def _typed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._mark("")
            self._set(NO_DATE)
            return
        try:
            day = read_date(text)
        except ValueError:
            self._mark("")  # still being typed: judged when the field is left or the form saved
            return
        self._mark("")
        self._set(QDate(day.year, day.month, day.day))

    def _tidy(self) -> None:
        """Leaving the field: a day typed either way is shown as the desk writes it (shown_day);
        what cannot be read is marked (and kept, to be corrected)."""
        problem = self.problem()
        self._mark(problem)
        if not problem and self.edit.text().strip():
            self.edit.setText(shown_day(_pydate(self._date)))

    def _mark(self, problem: str) -> None:
        self.edit.setStyleSheet("QLineEdit { border: 1px solid #b00020; }" if problem else "")
        self.setProperty("problem", problem)

    def _set(self, day: QDate) -> None:
        if day != self._date:
            self._date = day
            self.dateChanged.emit(day)

    # -- the calendar -----------------------------------------------------------------------------

    def show_calendar(self) -> None:
        """The calendar on the field's day, or on today when it has none (never on 1900)."""
        shown = self._date if self._date != NO_DATE else QDate.currentDate()
        calendar = self.calendarWidget()
        if self._minimum > NO_DATE:
            calendar.setMinimumDate(self._minimum)
        calendar.setSelectedDate(shown)
        calendar.setCurrentPage(shown.year(), shown.month())
        calendar.adjustSize()
        calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        calendar.show()
        calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self.calendarWidget().hide()
        self.setDate(day)
        self.edit.setFocus()



def _qdate(value: QDate | date | None) -> QDate:
    if value is None:
        return NO_DATE
    if isinstance(value, QDate):
        return value
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


__all__ = ["NO_DATE", "DateField", "read_date", "shown_day"]
