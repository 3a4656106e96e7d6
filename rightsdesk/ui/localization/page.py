"""Localization: the readiness matrix (titles × languages, coloured by how far the work has
got) and the tasks behind it, edited one at a time or many at once."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus, PartyKind
from rightsdesk.domain.errors import NotFound, Problem, UserError, ValidationError
from rightsdesk.domain.localization import KIND_WORDS, LABELS, NEXT, PROGRESS, TaskDraft
from rightsdesk.persistence.database import Database
from rightsdesk.services.licensing_reports import KIND_SHORT, LOCALIZATION_COLOURS
from rightsdesk.services import catalogue, clearance, cue_sheets, deals, licensing, localization, reference
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import current_user
from rightsdesk.services.licensing import ReadinessMatrix
from rightsdesk.services.localization import TaskFilter, TaskRow
from rightsdesk.ui.actions import act, follow, run
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import (
    DraftEditor,
    add_history_button,
    amount_text,
    currency_box,
    explain_number,
    date_edit,
    date_of,
    edits,
    lay_out_dialog,
    number_of,
    problems_label,
    screen_action,
    show_problems,
)
from rightsdesk.ui.formatting import day, money
from rightsdesk.ui.music.editors import BookExpenseDialog
from rightsdesk.ui.operations import Quiet
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel
from rightsdesk.domain.words import plural

AnyIndex = QModelIndex | QPersistentModelIndex

TASK_COLUMNS: list[Column[TaskRow]] = [
    Column("title", "Title", lambda r: r.title, tooltip=lambda r: r.title),
    Column("episode", "Episode", lambda r: r.episode, numeric=True),
    Column("language", "Language", lambda r: r.language),
    Column("kind", "Kind", lambda r: r.kind),
    Column("status", "Status", lambda r: LABELS[r.status]),
    Column("vendor", "Vendor", lambda r: r.vendor),
    Column("due_on", "Due", lambda r: f"{day(r.due_on)}{'  overdue' if r.overdue else ''}" if r.due_on else ""),
    Column("delivered_on", "Delivered", lambda r: day(r.delivered_on)),
    Column("cost", "Cost", lambda r: money(r.cost, r.currency), numeric=True),
]


# What the tasks list shows (tasks, their titles, episodes and vendors), and what the matrix
# adds: the titles a deal, a library or a territory filter picks.
TASK_KINDS = frozenset({"localization_task", "title", "episode", "party"})
MATRIX_KINDS = TASK_KINDS | {"deal", "grant", "grant_title", "grant_library", "grant_territory", "library",
                             "library_member"}


class LocalizationPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.tabs = QTabWidget(objectName="localization-tabs")
        self.matrix = MatrixTab(database)
        self.tasks = TasksTab(database)
        self.tabs.addTab(self.matrix, "Readiness &matrix")
        self.tabs.addTab(self.tasks, "&Tasks")
        self.matrix.view.doubleClicked.connect(self._open_cell)
        # Each tab reads again what an action anywhere wrote of what it shows: the matrix off the
        # UI thread, the tasks list keeping the task chosen; a tab not in front when it is next seen.
        follow(self.matrix, MATRIX_KINDS, self.matrix.load)
        follow(self.tasks, TASK_KINDS, self.tasks.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def _open_cell(self, index: QModelIndex) -> None:
        title_id, language = self.matrix.model.key_at(index)
        if title_id is not None:
            self.show_tasks(title_id, language or "")

    def show_tasks(self, title_id: int, language: str = "") -> None:
        """The tasks of one title (in one language), as a double-click on the matrix asks."""
        self.tabs.setCurrentWidget(self.tasks)
        self.tasks.narrow_to(title_id, language)

    def open_task(self, task_id: int) -> None:
        """Show a task among its title's and open it (from the home screen)."""
        with self.database.read() as session:
            title_id = localization.load_task(session, task_id).title_id
        self.show_tasks(title_id)
        self.tasks.list.select_id(task_id)
        self.tasks.edit_task(task_id)


# -- the matrix ------------------------------------------------------------------------------------


class MatrixModel(QAbstractTableModel):
    """Titles down, languages across; each cell the readiness of each kind with tasks."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.matrix = ReadinessMatrix([], [])

    def set_matrix(self, matrix: ReadinessMatrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.matrix.titles)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.matrix.languages)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.matrix.languages[section] if section < len(self.matrix.languages) else None
        return self.matrix.titles[section][1] if section < len(self.matrix.titles) else None

    def key_at(self, index: AnyIndex) -> tuple[int | None, str | None]:
        if not index.isValid():
            return None, None
        return self.matrix.titles[index.row()][0], self.matrix.languages[index.column()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        title_id, language = self.key_at(index)
        if title_id is None or language is None:
            return None
        kinds = self.matrix.cells.get((title_id, language), {})
        overdue = self.matrix.overdue.get((title_id, language), 0)
        if role == Qt.ItemDataRole.DisplayRole:
            text = "  ".join(f"{KIND_SHORT[k]} {LABELS[kinds[k]]}" for k in KIND_SHORT if k in kinds)
            return (text + ("  ⚠" if overdue else "")) if kinds else "—"
        if role == Qt.ItemDataRole.BackgroundRole:
            status = self.matrix.status(title_id, language)
            return QColor(LOCALIZATION_COLOURS[status]) if status is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and kinds:
            return QColor("#202020")  # the pastel backgrounds need dark text in a dark theme too
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{KIND_WORDS[k]}: {LABELS[kinds[k]]}" for k in KIND_SHORT if k in kinds] or ["no tasks"]
            if overdue:
                lines.append(f"{plural(overdue, 'task')} past their due date")
            return "\n".join(lines) + "\nDouble-click to see the tasks."
        return None


@dataclasses.dataclass(frozen=True)
class _Worked:
    matrix: ReadinessMatrix
    delivered: int  # title-languages whose every kind is delivered


@dataclasses.dataclass(frozen=True)
class _Choices:
    libraries: list[tuple[int, str, str]]  # (id, code, name)
    deals: list[str]  # references


class MatrixTab(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        # The libraries and deals to choose from are read with the first matrix, off the UI thread.
        self.library = QComboBox(objectName="matrix-library")
        self.library.addItem("Every library", None)
        self.deal = QComboBox(objectName="matrix-deal", editable=True)
        self.deal.addItem("")
        self.deal.lineEdit().setPlaceholderText("any deal")
        # Sized for a reference (IN-2024-0011) before its items come: it was laid out empty, a sliver.
        self.deal.setMinimumContentsLength(14)
        self.deal.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choices_read = False
        self.territory = QLineEdit(objectName="matrix-territory", placeholderText="country, e.g. TH", maximumWidth=110)
        self.languages = QLineEdit(objectName="matrix-languages", placeholderText="languages, e.g. th es-419")
        self.text = QLineEdit(objectName="matrix-filter", placeholderText="Filter titles…")
        self.text.setClearButtonEnabled(True)
        self.summary = QLabel(objectName="matrix-summary")
        self.problems = problems_label("matrix-problems")
        self.model = MatrixModel(self)
        self.view = QTableView(objectName="matrix")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setDefaultSectionSize(190)
        self.view.verticalHeader().setMaximumWidth(320)
        self.empty = QLabel(objectName="matrix-empty", alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 14px; padding: 24px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        legend = QLabel("  ".join(f"<span style='background:{LOCALIZATION_COLOURS[s]}; color:#202020'>&nbsp;{LABELS[s]}&nbsp;</span>"
                                  for s in reversed(PROGRESS)) + "   Subs subtitles · Dub dub · Meta metadata and artwork · ⚠ a task overdue")
        filters = QHBoxLayout()
        for label, widget in (("Library", self.library), ("Deal", self.deal), ("Licensed in", self.territory),
                              ("Languages", self.languages)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.problems)
        layout.addWidget(legend)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.summary)
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.load)
        self.library.currentIndexChanged.connect(self._debounce.start)
        self.deal.currentTextChanged.connect(self._debounce.start)
        for edit in (self.territory, self.languages, self.text):
            edit.textChanged.connect(self._debounce.start)
        # Filled when first shown, off the UI thread: the unnarrowed matrix of 20 000 titles
        # takes seconds to work out.
        self.stale = True
        self.background: Quiet | None = None
        self._generation = 0

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.load()

    def refresh(self) -> None:
        """Work the matrix out again now, on this thread."""
        self._generation += 1
        self._show(self._compute(self._asked()))

    def load(self) -> None:
        """Work the matrix out again off the UI thread; the one shown stays until it is in."""
        self._debounce.stop()
        self.stale = False
        self._generation += 1
        generation, asked = self._generation, self._asked()
        with_choices = not self.choices_read
        self.summary.setText("Working out the matrix…")

        def work() -> tuple[_Worked | str, _Choices | None]:
            return self._compute(asked), self._read_choices() if with_choices else None

        def show(outcome: tuple[_Worked | str, _Choices | None]) -> None:
            worked, choices = outcome
            if choices is not None and not self.choices_read:
                self._show_choices(choices)
            if generation == self._generation:
                self._show(worked)

        self.background = Quiet(self, work, show)

    def running(self) -> bool:
        return self.background is not None and self.background.running()

    def stop(self) -> None:
        if self.background is not None:
            self.background.wait()

    def _asked(self) -> dict[str, Any]:
        return {"deal": self.deal.currentText().strip(), "territory": self.territory.text().strip().upper(),
                "library": self.library.currentData(), "text": self.text.text(),
                "languages": self.languages.text().replace(",", " ").split()}

    def _read_choices(self) -> _Choices:
        with self.database.read() as session:
            return _Choices(deals.library_choices(session), deals.deal_references(session))

    def _show_choices(self, choices: _Choices) -> None:
        self.choices_read = True
        for box in (self.library, self.deal):  # (filling them is not the user choosing a filter)
            box.blockSignals(True)
        try:
            for library_id, code, name in choices.libraries:
                self.library.addItem(f"{code} {name}", library_id)
            typed = self.deal.currentText()
            self.deal.addItems(choices.deals)
            self.deal.setCurrentText(typed)
        finally:
            for box in (self.library, self.deal):
                box.blockSignals(False)

    def _compute(self, asked: dict[str, Any]) -> _Worked | str:
        """The matrix and how many of its cells are delivered (counted here, in the background:
        at 20 000 titles the count alone stalled the window), or what is wrong with the filters."""
        try:
            with self.database.read() as session:
                matrix = licensing.readiness_narrowed(session, deal=asked["deal"], territory=asked["territory"],
                                                      library_id=asked["library"], text=asked["text"],
                                                      languages=asked["languages"])
        except ValidationError as error:
            return " ".join(problem.message for problem in error.problems)
        delivered = sum(1 for (t, lang) in matrix.cells if matrix.status(t, lang) is LocalizationStatus.DELIVERED)
        return _Worked(matrix, delivered)

    def _show(self, worked: _Worked | str) -> None:
        self.problems.hide()
        if isinstance(worked, str):
            show_problems(self.problems, worked)
            return
        matrix, ready = worked.matrix, worked.delivered
        self.model.set_matrix(matrix)
        overdue = sum(matrix.overdue.values())
        self.summary.setText(f"{len(matrix.titles):,} titles × {len(matrix.languages)} languages · "
                             f"{ready:,} of {len(matrix.cells):,} title-languages delivered · {plural(overdue, 'task')} overdue")
        if matrix.titles and matrix.languages:
            self.stack.setCurrentWidget(self.view)
        else:
            self.empty.setText("No localization tasks for these titles.\nCreate tasks on the Tasks tab "
                               "(New tasks, Ctrl+N), or widen the filters.")
            self.stack.setCurrentWidget(self.empty)


# -- the tasks -------------------------------------------------------------------------------------


class TaskTableModel(ServiceTableModel[TaskRow]):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(database, TASK_COLUMNS, localization.find_task_ids, localization.task_rows, filtered=True,
                         parent=parent)


class TasksTab(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.model = TaskTableModel(database, self)
        self.list = RecordList("localization-tasks", self.model, noun="tasks", multi=True, sort_column=6,
                               empty_hint="No localization tasks yet.\nCreate them with New tasks (Ctrl+N).")
        self.list.activated.connect(self.edit_task)
        self.list.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.open_only = QCheckBox("Open work only", objectName="open-only")
        self.open_only.toggled.connect(lambda _: self._apply_filter())
        self.narrowed_label = QLabel(objectName="tasks-narrowed")
        self.clear_narrowing = QToolButton(text="Show every title", objectName="show-every-title")
        self.clear_narrowing.clicked.connect(lambda: self.narrow_to(None))
        self.title_id: int | None = None


        self.new_action = screen_action(self, "&New tasks…", QKeySequence.StandardKey.New, self.new_tasks, changes_data=True)
        self.edit_action = screen_action(self, "&Edit task", "Ctrl+E", lambda: self._with_one(self.edit_task), enabled=False)
        self.vendor_action = screen_action(self, "Set &vendor and due date…", None, self.set_vendor_and_due, enabled=False, changes_data=True)
        self.book_action = screen_action(self, "&Book cost as expense…", None, lambda: self._with_one(self.book_cost), enabled=False, changes_data=True)
        self.status_button = QToolButton(text="Set &status", objectName="set-status")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.status_button)
        for status in PROGRESS:
            menu.addAction(LABELS[status], lambda s=status: self.set_status(s))
        self.status_button.setMenu(menu)
        toolbar = QToolBar()
        toolbar.addActions([self.new_action, self.edit_action])
        edits(toolbar.addWidget(self.status_button))
        toolbar.addActions([self.vendor_action, self.book_action])
        toolbar.addSeparator()
        toolbar.addWidget(self.open_only)
        toolbar.addWidget(self.narrowed_label)
        self.clear_narrowing_action = toolbar.addWidget(self.clear_narrowing)  # a toolbar hides its actions, not widgets
        self.problems = problems_label("task-problems")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(toolbar)
        layout.addWidget(self.problems)
        layout.addWidget(self.list, 1)
        self.clear_narrowing_action.setVisible(False)
        self.model.extra_filter = TaskFilter(None, False)  # every title's tasks, read when first shown

    def narrow_to(self, title_id: int | None, language: str = "") -> None:
        self.title_id = title_id
        if title_id is not None:
            with self.database.read() as session:
                name = deals.title_names(session, [title_id]).get(title_id, str(title_id))
            self.narrowed_label.setText(f"  Title: {name}")
        else:
            self.narrowed_label.setText("")
        self.clear_narrowing_action.setVisible(title_id is not None)
        self.list.filter_box.setText(language)
        self.list.model.set_filter_text(language)
        self._apply_filter()

    def _apply_filter(self) -> None:
        self.model.set_filter(TaskFilter(self.title_id, self.open_only.isChecked()))
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = self.list.selected_ids()
        self.edit_action.setEnabled(len(chosen) == 1)
        self.book_action.setEnabled(len(chosen) == 1)
        self.vendor_action.setEnabled(bool(chosen))
        self.status_button.setEnabled(bool(chosen))
        self.status_button.setText(f"Set &status ({len(chosen)})" if len(chosen) > 1 else "Set &status")

    def _with_one(self, act) -> None:  # type: ignore[no-untyped-def]
        chosen = self.list.selected_ids()
        if len(chosen) == 1:
            act(chosen[0])

    def refresh(self) -> None:
        """The tasks as saved now, the same ones chosen."""
        if not self.model.filled:
            return
        chosen = self.list.selected_ids()
        self.list.reload()
        selection = self.list.view.selectionModel()
        for task_id in chosen:
            row = self.model.row_of(task_id)
            if row is not None:
                selection.select(self.model.index(row, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def set_status(self, status: LocalizationStatus) -> None:
        """Move every selected task to a status; if one cannot, none does and each refusal is listed."""
        chosen = self.list.selected_ids()
        self.problems.hide()
        try:
            run(self.database, clearance.set_task_status, chosen, status, user=current_user())
        except ValidationError as error:
            show_problems(self.problems, error.problems, f"No task was changed; {len(error.problems)} cannot go to "
                                                        f"{LABELS[status]}:")
        except UserError as error:
            show_user_error(self, error, "Nothing was changed")

    def set_vendor_and_due(self) -> None:
        chosen = self.list.selected_ids()
        dialog = VendorDueDialog(self.database, len(chosen), self)
        if not dialog.exec():
            return
        act(self, "Nothing was changed", self.database, localization.set_vendor_and_due, chosen, user=current_user(),
            vendor_id=dialog.vendor.currentData(), due_on=date_of(dialog.due),
            change_vendor=dialog.change_vendor.isChecked(), change_due=dialog.change_due.isChecked())

    def new_tasks(self) -> None:
        NewTasksDialog(self.database, self.title_id, self).exec()

    def edit_task(self, task_id: int) -> None:
        self.list.run_editor(lambda: TaskEditor(self.database, task_id, self))

    def book_cost(self, task_id: int) -> None:
        with self.database.read() as session:
            task = localization.load_task(session, task_id)

        def book(deal_id: int, incurred_on: date, recoupable: bool) -> int:
            return run(self.database, localization.book_task_cost, task_id, deal_id, user=current_user(),
                       incurred_on=incurred_on, recoupable=recoupable)

        BookExpenseDialog(self.database, f"{KIND_WORDS[task.kind]} {task.language_tag}: "
                                         f"{money(task.cost, task.currency) or '(no cost entered)'}", book, self).exec()


def _vendor_box(database: Database, chosen: int | None) -> QComboBox:
    """Parties to choose a vendor from, localization vendors first."""
    with database.read() as session:
        parties = deals.counterparty_choices(session)
    box = QComboBox(objectName="vendor")
    box.addItem("", None)
    for party_id, name, kind in sorted(parties, key=lambda p: (p[2] != PartyKind.LOCALIZATION_VENDOR.value, p[1].casefold())):
        box.addItem(name if kind == PartyKind.LOCALIZATION_VENDOR.value else f"{name} ({kind.replace('_', ' ')})", party_id)
    box.setCurrentIndex(max(0, box.findData(chosen)))
    return box


class TaskEditor(DraftEditor):
    noun = "task"

    def load_saved(self, session: UnitOfWork) -> object | None:
        return localization.load_task(session, self.original.id)

    def __init__(self, database: Database, task_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        with database.read() as session:
            self.original = localization.load_task(session, task_id)
            title = deals.title_names(session, [self.original.title_id])[self.original.title_id]
            episodes = cue_sheets.episodes_with_music(session, self.original.title_id)
            currencies = sorted(reference.currency_codes(session))
        draft = self.original
        self.setWindowTitle(f"{KIND_WORDS[draft.kind].capitalize()} {draft.language_tag}: {title}")
        add_history_button(self, self.buttons, database, "localization_task", task_id, self.windowTitle())
        self.setObjectName("task-editor")
        self.episode = QComboBox(objectName="episode")
        self.episode.addItem("The whole title", None)
        for episode in episodes:
            self.episode.addItem(f"Episode {episode.number}", episode.episode_id)
        self.episode.setCurrentIndex(max(0, self.episode.findData(draft.episode_id)))
        self.language = QLineEdit(draft.language_tag, objectName="language")
        self.kind = QComboBox(objectName="kind")
        for kind in LocalizationKind:
            self.kind.addItem(KIND_WORDS[kind], kind)
        self.kind.setCurrentIndex(self.kind.findData(draft.kind))
        self.status = QComboBox(objectName="status")
        for status in [draft.status, *sorted(NEXT[draft.status], key=PROGRESS.index)]:
            self.status.addItem(LABELS[status], status)
        self.vendor = _vendor_box(database, draft.vendor_id)
        self.cost = QLineEdit(amount_text(draft.cost), objectName="cost")
        explain_number(self.cost)
        self.currency = currency_box(currencies, draft.currency)
        self.due = date_edit(draft.due_on, "due")
        self.delivered = date_edit(draft.delivered_on, "delivered")
        self.file_reference = QLineEdit(draft.file_reference, objectName="file_reference",
                                        placeholderText="where the delivered files are")
        self.notes = QPlainTextEdit(draft.notes, objectName="notes", maximumHeight=70)
        cost = QHBoxLayout()
        cost.addWidget(self.cost, 1)
        cost.addWidget(self.currency)
        form = QFormLayout()
        form.addRow("Title", QLineEdit(title, readOnly=True))
        form.addRow("E&pisode", self.episode)
        form.addRow("&Language (BCP 47)", self.language)
        form.addRow("&Kind", self.kind)
        form.addRow("S&tatus", self.status)
        form.addRow("&Vendor", self.vendor)
        form.addRow("&Cost", cost)
        form.addRow("&Due", self.due)
        form.addRow("Deli&vered", self.delivered)
        form.addRow("&Files", self.file_reference)
        form.addRow("N&otes", self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def draft_checked(self, problems: list[Problem]) -> TaskDraft:
        return dataclasses.replace(
            self.original, episode_id=self.episode.currentData(), language_tag=self.language.text().strip(),
            kind=LocalizationKind(self.kind.currentData()), status=LocalizationStatus(self.status.currentData()),
            vendor_id=self.vendor.currentData(), cost=number_of(self.cost.text(), "cost", problems, empty=None),
            currency=self.currency.currentData() or "", due_on=date_of(self.due), delivered_on=date_of(self.delivered),
            file_reference=self.file_reference.text().strip(), notes=self.notes.toPlainText())

    def write(self, draft: object) -> int:
        assert isinstance(draft, TaskDraft)
        return run(self.database, localization.save_task, draft, user=current_user())


class NewTasksDialog(QDialog):
    """Tasks for one title in several languages and kinds, for the title or each episode."""

    def __init__(self, database: Database, title_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.created: list[int] = []
        self.setWindowTitle("New localization tasks")
        self.setObjectName("new-tasks")
        name = ""
        if title_id is not None:
            with database.read() as session:
                name = deals.title_names(session, [title_id]).get(title_id, "")
        self.title = QLineEdit(name.rsplit(" (", 1)[-1].rstrip(")") if name else "", objectName="title",
                               placeholderText="internal ID or name")
        self.languages = QLineEdit(objectName="languages", placeholderText="e.g. th es-419 pt-BR")
        self.kinds = {kind: QCheckBox(KIND_WORDS[kind], checked=kind is LocalizationKind.SUBTITLES) for kind in LocalizationKind}
        self.per_episode = QCheckBox("One task per episode (instead of one for the whole title)", objectName="per-episode")
        self.vendor = _vendor_box(database, None)
        self.due = date_edit(None, "due")
        self.problems = problems_label()
        kinds = QHBoxLayout()
        for box in self.kinds.values():
            kinds.addWidget(box)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Languages", self.languages)
        form.addRow("Kinds", kinds)
        form.addRow("", self.per_episode)
        form.addRow("&Vendor", self.vendor)
        form.addRow("&Due", self.due)
        lay_out_dialog(self, form, self.problems, "&Create")

    def accept(self) -> None:
        try:
            with self.database.read() as session:
                title_id = catalogue.title_id_of(session, self.title.text())
            if title_id is None:
                raise NotFound(f"there is no title '{self.title.text().strip()}'")
            self.created = run(self.database, localization.create_tasks, title_id,
                               self.languages.text().replace(",", " ").split(),
                               [kind for kind, box in self.kinds.items() if box.isChecked()],
                               per_episode=self.per_episode.isChecked(), user=current_user(),
                               vendor_id=self.vendor.currentData(), due_on=date_of(self.due))
        except ValidationError as error:
            show_problems(self.problems, error.problems, "No task was created:")
            return
        except UserError as error:
            show_problems(self.problems, str(error))
            return
        super().accept()


class VendorDueDialog(QDialog):
    """One vendor and/or one due date for many tasks at once."""

    def __init__(self, database: Database, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Vendor and due date of {plural(count, 'task')}")
        self.change_vendor = QCheckBox("Set the &vendor to", objectName="change-vendor")
        self.vendor = _vendor_box(database, None)
        self.change_due = QCheckBox("Set the &due date to", objectName="change-due")
        self.due = date_edit(date.today(), "due")
        form = QFormLayout()
        form.addRow(self.change_vendor, self.vendor)
        form.addRow(self.change_due, self.due)
        lay_out_dialog(self, form)
