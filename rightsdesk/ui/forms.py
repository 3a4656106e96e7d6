"""Pieces every editor shares: the one save path (DraftEditor), optional date fields, the panel
that lists what is wrong, numbers read in the desk's locale."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QLabel, QLineEdit,
                               QMessageBox, QScrollArea, QVBoxLayout, QWidget)

from rightsdesk.domain.changes import Difference, differences
from rightsdesk.domain.errors import Conflict, Problem, UserError, ValidationError
from rightsdesk.persistence.database import Database
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import snapshot
from rightsdesk.ui.conflicts import ConflictDialog
from rightsdesk.ui.date_field import NO_DATE, DateField
from rightsdesk.ui.errors import show_user_error
from rightsdesk.domain.reading import Refused, parse_decimal
from rightsdesk.ui.formatting import decimal_separator, grouped

def date_edit(value: date | None, object_name: str) -> DateField:
    """A date field that can be left empty (shown as '—'), typed into or picked (date_field.py)."""
    return DateField(value, object_name)


def set_date(edit: DateField, value: date | None) -> None:
    edit.setDate(value)


def date_of(edit: DateField) -> date | None:
    value = edit.date()
    return None if value == NO_DATE else date(value.year(), value.month(), value.day())


def date_problems(form: QWidget) -> list[Problem]:
    """What the form's date fields hold that is not a day, by the field's label: an editor lists
    these instead of saving the day a field held before."""
    found = []
    for field in form.findChildren(DateField):
        problem = field.problem()
        if problem and field.isVisibleTo(form):
            label = _label_of(form, field)
            found.append(Problem(label, problem))
    return found


def _label_of(form: QWidget, field: QWidget, default: str = "Date") -> str:
    for layout in form.findChildren(QFormLayout):
        label = layout.labelForField(field)
        if isinstance(label, QLabel):
            return label.text().replace("&", "").rstrip(" *:")
    return default


_FIELD_NAME = re.compile(r"[a-z]+(_[a-z]+)+")


def in_words(form: QWidget, problem: Problem) -> Problem:
    """A problem a service names by a field's name ('signed_on') named as the form labels that
    field ('Signed on'), or at least in words ('signed on'); any other problem as it is."""
    if not _FIELD_NAME.fullmatch(problem.where):
        return problem
    for name in (problem.where, problem.where.replace("_", "-")):
        field = form.findChild(QWidget, name)
        label = _label_of(form, field, default="") if field is not None else ""
        if label:
            return Problem(label, problem.message)
    return Problem(problem.where.replace("_", " ").capitalize(), problem.message)


def problems_label(object_name: str = "problems") -> QLabel:
    """Where an editor lists every problem with what was typed; hidden until there is one."""
    label = QLabel(objectName=object_name, wordWrap=True)
    label.setStyleSheet("color: #b00020; font-weight: 600;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_problems(label: QLabel, problems: object, heading: str = "") -> None:
    """Fill a problems panel with a list of problems (one bullet each, under a heading if given)
    or a message, and show it."""
    if isinstance(problems, (list, tuple)):
        label.setText("\n".join([heading] * bool(heading) + [f"• {p}" for p in problems]))
    else:
        label.setText(str(problems))
    label.show()


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask before something destructive or final; Cancel is the default answer."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def number_of(text: str, where: str, problems: list[Problem], *, empty: Decimal | None = Decimal(0)) -> Decimal | None:
    """A number typed with the desk's decimal separator (its locale's, by babel: 1,234.50 in
    en_US, 1.234,50 in de_DE); a problem noted, with the reason, when it does not read so."""
    if not text.strip():
        return empty
    try:
        return parse_decimal(text, decimal_separator())
    except Refused as refused:
        problems.append(Problem(where, f"'{text}' {refused}"))
        return empty


def explain_number(edit: QLineEdit) -> None:
    """Say beside a number field what it understood, as the user types: 'Read as 20,000' (or why
    it cannot be read), in the tooltip and the status bar."""
    def update(text: str) -> None:
        if not text.strip():
            message = f"Type a number with '{decimal_separator()}' as the decimal separator"
        else:
            try:
                message = f"Read as {grouped(parse_decimal(text, decimal_separator()))}"
            except Refused as refused:
                message = f"'{text}' {refused}"
        edit.setToolTip(message)
        edit.setStatusTip(message)

    edit.textChanged.connect(update)
    update(edit.text())


class DraftEditor(QDialog):
    """Every editor's one save path. A dialog over a draft: `draft_checked` reads the form
    (noting what cannot be read), `write` saves it through `ui.actions.run` (so the save is
    announced to the screens that follow its records) and returns the record's ID (None for an
    editor that hands its draft to a parent editor, which saves it: a grant within its deal).

    What the service refuses is listed above the form; a save refused because someone saved
    the record first (Conflict) shows what differs (`ConflictDialog`) with the choice to
    reload their version (`reload`); Ctrl+S saves and Return in a combo box or search field
    never does (ui.keys); closing with unsaved edits asks first.

    Subclasses set `database`, `original` (the draft as loaded) and implement `draft_checked`
    and `write`; `load_saved` (the record as saved now) and `show_draft` (fill the form from a
    draft) let Reload show the saved record in place, else the editor closes with
    `reload_requested` so that its list opens it again."""

    noun = "record"
    database: Database
    original: Any

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.saved_id: int | None = None
        self.reload_requested = False  # closed to be opened again on the record as saved now
        self.problems = problems_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    # -- what each editor says ------------------------------------------------------------------

    def draft_checked(self, problems: list[Problem]) -> Any:
        """What the form holds, as the service takes it; what cannot be read is appended to
        `problems` (a ValidationError raised instead is listed the same way)."""
        raise NotImplementedError

    def write(self, draft: Any) -> int | None:
        """Save `draft` (through `ui.actions.run`); the record's ID. Raises UserErrors."""
        raise NotImplementedError

    def load_saved(self, session: UnitOfWork) -> Any | None:
        """The record as saved now (to compare with the edits when someone saved first)."""
        return None

    def show_draft(self, draft: Any) -> None:
        """Fill the form from `draft` (an editor that has it can reload in place)."""
        raise NotImplementedError

    def compare_with_saved(self, session: UnitOfWork, draft: Any) -> list[Difference]:
        """How `draft` differs from the record as saved now: `before` theirs, `after` ours."""
        saved = self.load_saved(session)
        return differences(snapshot(saved), snapshot(draft)) if saved is not None else []

    def refused(self, error: UserError, draft: Any) -> bool:
        """A refusal this editor answers itself (the deal editor offers to keep a clashing deal
        as a draft); False leaves it to the message shown for any refusal."""
        return False

    # -- the one save path ----------------------------------------------------------------------

    def save(self) -> None:
        problems: list[Problem] = date_problems(self)
        try:
            draft = self.draft_checked(problems)
        except ValidationError as error:
            problems += error.problems
            draft = None
        if problems:
            show_problems(self.problems, [in_words(self, p) for p in problems])
            return
        try:
            self.saved_id = self.write(draft)
        except ValidationError as error:
            show_problems(self.problems, [in_words(self, p) for p in error.problems])
            return
        except Conflict as error:
            self.resolve_conflict(error, draft)
            return
        except UserError as error:
            if not self.refused(error, draft):
                show_user_error(self, error, f"Cannot save the {self.noun}")
            return
        self.original = draft
        self.after_save()

    def after_save(self) -> None:
        """Once saved: the editor closes (an editor of several records stays open instead)."""
        super().accept()

    def accept(self) -> None:  # (the dialog's default button and Ctrl+S come here too)
        self.save()

    def resolve_conflict(self, error: Conflict, draft: Any) -> None:
        """Someone saved the record after it was opened: show what differs; on Reload, show
        their version (in place, or by closing so that the list opens it again)."""
        try:
            with self.database.read() as session:
                found = self.compare_with_saved(session, draft)
            if ConflictDialog(self.noun, error, found, self).exec() == QDialog.DialogCode.Accepted:
                self.reload()
        except UserError as gone:  # deleted meanwhile (NotFound), or the database refused the reading
            show_user_error(self, gone, f"Cannot show the {self.noun} as saved now")

    def reload(self) -> None:
        """The record as saved now, edits made here dropped."""
        with self.database.read() as session:
            saved = self.load_saved(session)
        if saved is None or type(self).show_draft is DraftEditor.show_draft:
            self.reload_requested = True
            super().reject()
            return
        self.original = saved
        self.show_draft(saved)
        self.problems.hide()

    def is_dirty(self) -> bool:
        """Whether the form holds edits not saved (something typed that does not read is one)."""
        try:
            return self.draft_checked([]) != self.original
        except ValidationError:
            return True

    def reject(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self, "Unsaved changes", f"Discard your changes to this {self.noun}?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def add_history_button(dialog: QDialog, buttons: QDialogButtonBox, database: Database, kind: str,
                       record_id: int | None, name: str) -> None:
    """A History… button (Ctrl+H) on an editor of a saved record: every change to it, by whom."""
    if record_id is None:
        return
    button = buttons.addButton("&History…", QDialogButtonBox.ButtonRole.ActionRole)
    button.setObjectName("history")
    button.setShortcut(QKeySequence("Ctrl+H"))
    button.setToolTip("Who changed this and when, before and after (Ctrl+H)")
    def show_history() -> None:
        from rightsdesk.ui.history import HistoryDialog  # (it reads the report libraries: loaded when asked for)

        HistoryDialog(database, kind, record_id, name, dialog).exec()

    button.clicked.connect(show_history)


def amount_text(value: Decimal | None) -> str:
    """An amount as a form shows it for editing: 2400.00, or every place it really has (0.0125)."""
    if value is None:
        return ""
    cents = value.quantize(Decimal("0.01"))
    return f"{cents if cents == value else value.normalize():f}".replace(".", decimal_separator())


EDITS = "edits"


def edits(*controls: QObject) -> None:
    """Mark actions and buttons that change data: a read-only database hides them."""
    for control in controls:
        control.setProperty(EDITS, True)


def screen_action(widget: QWidget, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
                  slot: Callable[[], Any], *, enabled: bool = True, changes_data: bool = False) -> QAction:
    """An action of one screen: its shortcut works wherever the focus is inside that screen
    (so two screens can both use Ctrl+N), and it goes on a toolbar or a menu."""
    action = QAction(text, widget, enabled=enabled)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    widget.addAction(action)
    if changes_data:
        edits(action)
    return action


# What a title bar and a desktop's panel take at most: a window's frame is unknown until shown.
FRAME_ALLOWANCE = 40


def _available(widget: QWidget) -> QRect:
    return widget.screen().availableGeometry()


def size_for_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize `dialog` to width × height pixels, or less where its screen has less room, a
    title bar allowed for: on a 1280 × 720 laptop a dialog and its buttons are on the screen."""
    available = _available(dialog)
    dialog.resize(min(width, available.width()), min(height, available.height() - FRAME_ALLOWANCE))


def scrolling(content: QWidget) -> QScrollArea:
    """`content` in a frameless scroll area that gives it the whole width: a form taller than
    the screen scrolls inside its dialog instead of pushing the dialog's buttons off the screen
    (a dialog cannot be shorter than its layout's minimum)."""
    area = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    # as narrow as the form can be, not narrower: only its height scrolls
    area.setMinimumWidth(content.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area


def lay_out_dialog(dialog: QDialog, form: QFormLayout, problems: QLabel | None = None, ok_text: str = "") -> QDialogButtonBox:
    """A small dialog: its problems panel, its form, then OK (named `ok_text`) and Cancel."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    if problems is not None:
        layout.addWidget(problems)
    layout.addLayout(form)
    layout.addWidget(buttons)
    return buttons


def currency_box(currencies: list[str], chosen: str = "") -> QComboBox:
    """ISO currency codes to choose from, with an empty first choice (no amount, no currency)."""
    box = QComboBox(objectName="currency")
    box.addItem("", "")
    for code in currencies:
        box.addItem(code, code)
    box.setCurrentIndex(max(0, box.findData(chosen)))
    return box
