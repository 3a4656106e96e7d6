"""The grant editor's term counted from an event ("5 years from delivery") and its options to
extend, as two widgets the grant editor lays out (domain/terms.py holds the rules).

The dates the event decides are shown in the grant's term fields, greyed: empty while the event
has no date, computed once it has one. Exercising an option marks it in the form and moves the
term's end; the deal's save checks and records it (services/deals.py), like every other edit.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain import terms
from rightsdesk.domain.avails import term_text
from rightsdesk.domain.enums import TermAnchor
from rightsdesk.domain.errors import Problem
from rightsdesk.domain.rights import GrantDraft
from rightsdesk.domain.terms import Duration, EventTerm, OptionDraft, parse_duration
from rightsdesk.services.audit import current_user
from rightsdesk.ui.date_field import DateField
from rightsdesk.ui.forms import confirm, date_edit, date_of, edits, set_date

ANCHORS = (("fixed dates", None), ("signature", TermAnchor.SIGNATURE), ("delivery", TermAnchor.DELIVERY),
           ("first release on", TermAnchor.FIRST_RELEASE))


def _words(iso: str | None) -> str:
    """A stored length as people type it ('P5Y' -> '5 years')."""
    if not iso:
        return ""
    try:
        return parse_duration(iso).describe()
    except ValueError:
        return iso


def _iso(text: str) -> str | None:
    """What was typed, as stored when it reads ('5 years' -> 'P5Y'), else as typed."""
    if not text.strip():
        return None
    try:
        return parse_duration(text).iso()
    except ValueError:
        return text.strip()


class EventTermField(QWidget):
    """What the term counts from, how long after it it starts, how long it lasts, and the day
    the event happened; the grant's start and end fields follow it."""

    def __init__(self, grant: GrantDraft, media: list[tuple[str, str]], term_start: DateField, term_end: DateField,
                 exercised: Callable[[], list[Duration]], propose: Callable[[], date | None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.term_start, self.term_end = term_start, term_end
        self.exercised = exercised
        self.propose = propose
        self.signature_on = grant.term_anchor_on if grant.term_anchor is TermAnchor.SIGNATURE else None
        self.anchor = QComboBox(objectName="term-anchor")
        for label, value in ANCHORS:
            self.anchor.addItem(label, value)
        self.anchor.setToolTip("What the term is counted from: fixed dates, or an event such as delivery")
        self.media = QComboBox(objectName="term-anchor-media")
        for code, name in media:
            self.media.addItem(code, code)
            self.media.setItemData(self.media.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        self.offset = QLineEdit(_words(grant.term_start_offset), objectName="term-start-offset",
                                placeholderText="on the start date")
        self.offset.setToolTip("How long after the event the term starts: 0 days (on the event), 30 days…; "
                               "empty: on the start date above")
        self.length = QLineEdit(_words(grant.term_duration), objectName="term-duration",
                                placeholderText="to the end date")
        self.length.setToolTip("How long the term lasts: 5 years, 18 months, 2 years 6 months…; "
                               "empty: to the end date above")
        self.event_on = date_edit(grant.term_anchor_on, "term-event-on")
        self.event_on.setToolTip("The day the event happened; — while it has not")
        self.use_release = QPushButton("Use first release", objectName="term-use-release")
        self.use_release.setToolTip("The earliest release on that media of the grant's titles, from the windows")
        self.use_release.clicked.connect(self._use_release)
        self.words = QLabel(objectName="term-words")
        self.words.setStyleSheet("color: palette(placeholder-text);")
        self.anchor.setCurrentIndex(max(0, self.anchor.findData(grant.term_anchor)))
        if grant.term_anchor_media:
            if self.media.findData(grant.term_anchor_media) < 0:  # a medium no longer offered stays as it was
                self.media.addItem(grant.term_anchor_media, grant.term_anchor_media)
            self.media.setCurrentIndex(self.media.findData(grant.term_anchor_media))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        # the words between the fields go with them (they read "starts lasts happened on" alone)
        self.joining_words = [QLabel("starts"), QLabel("lasts"), QLabel("happened on")]
        starts, lasts, happened = self.joining_words
        for widget in (self.anchor, self.media, starts, self.offset, lasts, self.length,
                       happened, self.event_on, self.use_release):
            row.addWidget(widget)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.words)
        self.anchor.currentIndexChanged.connect(self._anchor_chosen)
        for signal in (self.media.currentIndexChanged, self.offset.textChanged, self.length.textChanged,
                       self.event_on.dateChanged):
            signal.connect(self.update_term)
        self.update_term()

    def values(self) -> tuple[TermAnchor | None, str | None, str | None, str | None, date | None]:
        """(anchor, media, start offset, length, event day) as the grant stores them."""
        anchor = self.anchor.currentData()
        if anchor is None:
            return None, None, None, None, None
        anchor = TermAnchor(anchor)
        media = self.media.currentData() if anchor is TermAnchor.FIRST_RELEASE else None
        event_on = self.signature_on if anchor is TermAnchor.SIGNATURE else date_of(self.event_on)
        return anchor, media, _iso(self.offset.text()), _iso(self.length.text()), event_on

    def _anchor_chosen(self) -> None:
        if self.anchor.currentData() is not None and not self.offset.text() and not self.length.text():
            self.offset.setText("0 days")  # what people mean by "5 years from delivery"
        self.update_term()

    def _use_release(self) -> None:
        found = self.propose()
        if found is None:
            QMessageBox.information(self, "No release yet", "None of the grant's titles has been released on "
                                    f"{self.media.currentText()} yet (no released window).")
        else:
            set_date(self.event_on, found)

    def update_term(self) -> None:
        """Show what the event decides: greyed dates, computed or empty, and the term in words."""
        anchor, media, offset, length, event_on = self.values()
        counted = anchor is not None
        for widget in (self.media, self.offset, self.length, self.event_on, self.use_release, *self.joining_words):
            widget.setVisible(counted)
        self.media.setVisible(anchor is TermAnchor.FIRST_RELEASE)
        self.use_release.setVisible(anchor is TermAnchor.FIRST_RELEASE)
        self.event_on.setEnabled(anchor is not TermAnchor.SIGNATURE)
        try:
            term = EventTerm(anchor, media, parse_duration(offset) if offset else None,
                             parse_duration(length) if length else None) if anchor else None
        except ValueError as error:
            self.words.setText(str(error))
            self.words.setVisible(True)
            return
        self.term_start.setEnabled(term is None or term.start_offset is None)
        self.term_end.setEnabled(term is None or term.length is None)
        self.words.setVisible(term is not None)
        if term is None:
            return
        computed = terms.computed_term(term, event_on, date_of(self.term_start), date_of(self.term_end), self.exercised())
        if term.start_offset is not None:
            set_date(self.term_start, computed.start)
        if term.length is not None:
            set_date(self.term_end, computed.end)
        if anchor is TermAnchor.SIGNATURE and event_on is None:
            self.words.setText(f"{term.describe()}: {computed.pending} (the deal's signature date counts)")
        else:
            self.words.setText(f"{term.describe()}: " + (computed.pending or term_text(computed.start, computed.end)))

    def pending(self) -> str:
        anchor, media, offset, length, event_on = self.values()
        if anchor is None or event_on is not None:
            return ""
        try:
            return EventTerm(anchor, media, parse_duration(offset) if offset else None,
                             parse_duration(length) if length else None).pending_text()
        except ValueError:
            return "the term's length does not read"

    def counts_end(self) -> bool:
        """Whether the end is counted from the event (then exercised options extend it there)."""
        return self.values()[0] is not None and bool(self.values()[3])


OPTION_HEADERS = ("Extend by", "Exercise by", "Notice days", "Notes", "Exercised")


class OptionsBox(QGroupBox):
    """A grant's options to extend its term: added, edited, removed, exercised."""

    changed = Signal()

    def __init__(self, options: list[OptionDraft], parent: QWidget | None = None):
        super().__init__("Options to extend the term (e.g. 2 years more, by 2030-12-31, 90 days' notice)", parent)
        self.term: EventTermField | None = None
        self.today: Callable[[], date] = date.today
        self.table = QTableWidget(0, len(OPTION_HEADERS), objectName="options")
        self.table.setHorizontalHeaderLabels(OPTION_HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.horizontalHeaderItem(1).setToolTip("The last day it can be exercised (YYYY-MM-DD)")
        self.table.horizontalHeaderItem(2).setToolTip("How many days before that day notice must be given")
        self._kept: list[OptionDraft | None] = []  # the option each row edits (None: new); exercise state
        for option in options:
            self._add_row(copy.copy(option))  # exercising marks the copy, not the grant as loaded
        add = QPushButton("Add option", objectName="add-option")
        add.clicked.connect(lambda: self._add_row(None))
        remove = QPushButton("Remove option", objectName="remove-option")
        remove.clicked.connect(self._remove)
        self.exercise_button = QPushButton("E&xercise option…", objectName="exercise-option")
        self.exercise_button.setToolTip("Record that the option was exercised today: the term's end moves by its "
                                        "length when you save the deal")
        self.exercise_button.clicked.connect(self.exercise)
        edits(add, remove, self.exercise_button)  # hidden on a database open read-only
        buttons = QHBoxLayout()
        for button in (add, remove, self.exercise_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def _add_row(self, option: OptionDraft | None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._kept.append(option)
        values = (["2 years", "", "0", "", ""] if option is None else
                  [_words(option.extend_by), option.exercise_by.isoformat(), str(option.notice_days), option.notes,
                   _exercised_text(option)])
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            if column == 4 or (option is not None and option.exercised_on is not None):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)  # an exercised option is history
            self.table.setItem(row, column, item)

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        kept = self._kept[row]
        if kept is not None and kept.exercised_on is not None:
            QMessageBox.information(self, "Option exercised", "This option was exercised: it is part of the term "
                                    "now and stays on the grant.")
            return
        self.table.removeRow(row)
        del self._kept[row]
        self.changed.emit()

    def options(self, unreadable: list[Problem]) -> list[OptionDraft]:
        """The options as the table holds them; what does not read is noted in `unreadable`."""
        found = []
        for row in range(self.table.rowCount()):
            where = f"option {row + 1}"

            def cell(column: int) -> str:
                item = self.table.item(row, column)
                return item.text().strip() if item else ""

            kept = self._kept[row]
            try:
                exercise_by = date.fromisoformat(cell(1))
            except ValueError:
                unreadable.append(Problem(where, f"'{cell(1)}' is not a date (YYYY-MM-DD): the last day to exercise it"
                                          if cell(1) else "give the last day it can be exercised"))
                continue
            notice = cell(2) or "0"
            if not notice.isdigit():
                unreadable.append(Problem(where, f"'{notice}' is not a whole number of days' notice"))
                continue
            found.append(OptionDraft(_iso(cell(0)) or "", exercise_by, int(notice),
                                     kept.exercised_on if kept else None, kept.exercised_by if kept else "",
                                     cell(3), kept.id if kept else None))
        return found

    def exercised(self) -> list[Duration]:
        """The lengths of the exercised options, in the order they were exercised."""
        done = sorted((o for o in self._kept if o is not None and o.exercised_on is not None),
                      key=lambda o: (o.exercised_on, o.id or 0))
        lengths = []
        for option in done:
            try:
                lengths.append(parse_duration(option.extend_by))
            except ValueError:
                pass
        return lengths

    def exercise(self) -> None:
        """Exercise the chosen option today: refused with the reason when it cannot be (too
        late, done already, a term with no known end); else asked, then marked, and the end moved."""
        row = self.table.currentRow()
        if row < 0 or self.term is None:
            QMessageBox.information(self, "Exercise an option", "Choose the option to exercise first.")
            return
        kept = self._kept[row]
        if kept is None or kept.id is None:
            QMessageBox.information(self, "Exercise an option", "Save the deal with this option first: an option is "
                                    "exercised once it is part of the agreed grant.")
            return
        problems: list[Problem] = []
        current = next((o for o in self.options(problems) if o.id == kept.id), None)
        if current is None:
            QMessageBox.warning(self, "Exercise an option", "\n".join(str(p) for p in problems))
            return
        today = self.today()
        end = date_of(self.term.term_end)
        problem = terms.exercise_problem(current, today, end, self.term.pending())
        if problem:
            QMessageBox.warning(self, "The option cannot be exercised", problem[0].upper() + problem[1:] + ".")
            return
        new_end = terms.extended_end(end, parse_duration(current.extend_by))  # type: ignore[arg-type]
        if not confirm(self, "Exercise the option", f"Exercise the option to extend by {_words(current.extend_by)} "
                       f"today ({today})? The term will end on {new_end} instead of {end}. An exercised option "
                       "cannot be undone; it is recorded when you save the deal."):
            return
        kept.exercised_on, kept.exercised_by = today, current_user()
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.item(row, 4).setText(_exercised_text(kept))
        self.table.item(row, 4).setToolTip(_exercised_text(kept))
        if self.term.counts_end():
            self.term.update_term()  # the end counted from the event takes every exercised option
        else:
            set_date(self.term.term_end, new_end)
        self.changed.emit()


def _exercised_text(option: OptionDraft) -> str:
    if option.exercised_on is None:
        return f"no (last day {option.notice_deadline})"
    return f"on {option.exercised_on}" + (f" by {option.exercised_by}" if option.exercised_by else "")
