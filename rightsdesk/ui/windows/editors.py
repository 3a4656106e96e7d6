"""The windows screen's dialogs: planning a template's windows for a title (with what they will
be, flagged, before saving), editing one window's status and dates, and the window templates.
The window and template editors save through the editors' one path (forms.DraftEditor)."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from rightsdesk.domain.avails import term_text
from rightsdesk.domain.enums import WindowStatus
from rightsdesk.domain.errors import Problem, UserError, ValidationError
from rightsdesk.domain.windows import TemplateStep
from rightsdesk.domain.words import plural
from rightsdesk.persistence.database import Database
from rightsdesk.services import windows
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.services.audit import current_user
from rightsdesk.services.windows import Template, WindowDraft, WindowView
from rightsdesk.ui.actions import run
from rightsdesk.ui.forms import (DraftEditor, add_history_button, confirm, date_edit, date_of, problems_label, set_date,
                                 show_problems)


def flag_brush(widget: QWidget) -> QBrush:
    """The red of a flagged window's text, light enough to read on a dark theme."""
    dark = widget.palette().base().color().lightness() < 128
    return QBrush(QColor("#FF7A7A" if dark else "#B00020"))


PREVIEW_HEADERS = ("Territory", "Media", "Planned", "Exclusive", "Problems")


class PlanDialog(QDialog):
    """Plan a template's windows for a title in a territory scope from a start date. What it
    will create shows as it is typed, each window with its flags (outside the rights held,
    holdback, music, localization), before anything is saved."""

    def __init__(self, database: Database, title_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("Plan windows from a template")
        self.resize(820, 560)
        self.planned: list[WindowView] = []
        with database.read() as session:
            self.templates = windows.templates(session)
        self.template = QComboBox(objectName="plan-template")
        for template in self.templates:
            steps = ", ".join(step.describe() for step in template.steps)
            self.template.addItem(f"{template.name}: {steps}", template.id)
        self.title_text = QLineEdit(title_text, objectName="plan-title", placeholderText="Title ID or name")
        self.title_text.setProperty("return_stays", True)  # a title looked up as typed: Return creates nothing
        self.territories = QLineEdit(objectName="plan-territories", placeholderText="e.g. SEA excluding VN")
        self.start = date_edit(date.today(), "plan-start")
        self.problems = problems_label("plan-problems")
        self.summary = QLabel(objectName="plan-summary", wordWrap=True)
        self.preview = QTableWidget(0, len(PREVIEW_HEADERS), objectName="plan-preview")
        self.preview.setHorizontalHeaderLabels(PREVIEW_HEADERS)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.verticalHeader().hide()
        self.preview.horizontalHeader().setStretchLastSection(True)
        form = QFormLayout(self)
        form.addRow("&Template", self.template)
        form.addRow("T&itle", self.title_text)
        form.addRow("Te&rritories", self.territories)
        form.addRow("&Start date", self.start)
        form.addRow(self.problems)
        form.addRow(self.summary)
        form.addRow(self.preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)  # (Enter, once it is enabled)
        form.addRow(self.buttons)
        # Planned again a moment after the typing stops (a scope half typed, "SE", names no country yet).
        self._replan = QTimer(self, singleShot=True, interval=300)
        self._replan.timeout.connect(self.show_plan)
        self.template.currentIndexChanged.connect(self._replan.start)
        self.title_text.textChanged.connect(self._replan.start)
        self.territories.textChanged.connect(self._replan.start)
        self.start.dateChanged.connect(self._replan.start)
        self.show_plan()

    def _plan(self, session: UnitOfWork) -> list[WindowView]:
        if self.template.currentData() is None:
            raise UserError("make a window template first (Templates…)")
        title_id = windows.title_named(session, self.title_text.text().strip())
        return windows.preview_template(session, self.template.currentData(), title_id, self.territories.text(),
                                        date_of(self.start) or date.today())

    def show_plan(self) -> None:
        """The windows the plan will create, with their flags; nothing yet while the title or
        territories are missing or wrong (said under the fields)."""
        self._replan.stop()
        self.planned = []
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not self.title_text.text().strip() or not self.territories.text().strip():
            self.problems.clear()
            self.problems.hide()
            self.summary.setText("Choose a title and the territories: the windows to be created show here.")
        else:
            try:
                with self.database.read() as session:
                    self.planned = self._plan(session)
                self.problems.clear()
                self.problems.hide()
            except ValidationError as error:
                show_problems(self.problems, [problem.message for problem in error.problems])
            except UserError as error:
                show_problems(self.problems, error)
        self.preview.setRowCount(len(self.planned))
        flagged_colour = flag_brush(self)
        for row, view in enumerate(self.planned):
            window = view.window
            values = (window.territory, window.media, term_text(window.planned_start, window.planned_end),
                      "yes" if window.exclusive else "", "; ".join(f.describe() for f in view.flags))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if view.flags:
                    item.setForeground(flagged_colour)
                self.preview.setItem(row, column, item)
        self.preview.resizeColumnsToContents()
        if self.planned:
            flagged = sum(1 for view in self.planned if view.flags)
            self.summary.setText(f"Will create {plural(len(self.planned), 'window')}"
                                 + (f", {flagged} of them flagged: see Problems." if flagged else ", none flagged."))
            ok.setText(f"Create {plural(len(self.planned), 'window')}")
        elif self.title_text.text().strip() and self.territories.text().strip():
            self.summary.setText("")
            ok.setText("Create windows")
        ok.setEnabled(bool(self.planned))

    def accept(self) -> None:
        if self._replan.isActive():  # typed since the preview: show what will be created first
            self.show_plan()
            return
        try:
            with self.database.read() as session:
                title_id = windows.title_named(session, self.title_text.text().strip())
            run(self.database, windows.apply_template, self.template.currentData(), title_id, self.territories.text(),
                date_of(self.start) or date.today(), user=current_user())
        except ValidationError as error:
            show_problems(self.problems, error.problems)
            return
        except UserError as error:
            show_problems(self.problems, error)
            return
        super().accept()


class WindowDialog(DraftEditor):
    """Edit a window's status and its planned and actual dates."""

    noun = "window"

    def __init__(self, database: Database, view: WindowView, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.original: WindowDraft = view.window
        if view.window.id is not None:  # as saved now: the list may have been read a while ago
            with database.read() as session:
                self.original = windows.load_window(session, view.window.id)
        self.setWindowTitle(f"{view.title_name} · {view.window.territory} · {view.window.media}")
        self.setObjectName("window-editor")
        self.status = QComboBox(objectName="window-status")
        for status in WindowStatus:
            self.status.addItem(status.value.title(), status)
        self.planned_start = date_edit(None, "window-planned-start")
        self.planned_end = date_edit(None, "window-planned-end")
        self.actual_start = date_edit(None, "window-actual-start")
        self.actual_end = date_edit(None, "window-actual-end")
        self.problems.setObjectName("window-problems")
        form = QFormLayout(self)
        form.addRow("&Status", self.status)
        form.addRow("&Planned start", self.planned_start)
        form.addRow("Planned &end (— open)", self.planned_end)
        form.addRow("&Actual start", self.actual_start)
        form.addRow("Actual e&nd", self.actual_end)
        form.addRow(self.problems)
        add_history_button(self, self.buttons, database, "release_window", view.window.id, self.windowTitle())
        form.addRow(self.buttons)
        self.show_draft(self.original)

    def show_draft(self, draft: WindowDraft) -> None:
        self.status.setCurrentIndex(self.status.findData(draft.status))
        set_date(self.planned_start, draft.planned_start)
        set_date(self.planned_end, draft.planned_end)
        set_date(self.actual_start, draft.actual_start)
        set_date(self.actual_end, draft.actual_end)

    def draft_checked(self, problems: list[Problem]) -> WindowDraft:
        draft = dataclasses.replace(self.original)
        draft.status = WindowStatus(self.status.currentData())
        draft.planned_start = date_of(self.planned_start) or draft.planned_start
        draft.planned_end, draft.actual_start, draft.actual_end = (
            date_of(self.planned_end), date_of(self.actual_start), date_of(self.actual_end))
        return draft

    def load_saved(self, session: UnitOfWork) -> WindowDraft | None:
        return windows.load_window(session, self.original.id) if self.original.id is not None else None

    def write(self, draft: WindowDraft) -> int:
        return run(self.database, windows.save_window, draft, user=current_user())


class TemplateDialog(DraftEditor):
    """Window templates: a name and a sequence of media with offsets (months and days) from the
    start date, a length (empty: open) and exclusivity. Pick one to edit, or start a new one;
    the dialog stays open after a save, on the template saved."""

    noun = "window template"
    STEP_HEADERS = ("Media", "Start +months", "Start +days", "Length months", "Length days", "Exclusive (yes/no)")

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.setWindowTitle("Window templates")
        self.setObjectName("template-editor")
        self.resize(760, 420)
        self.templates: list[Template] = []
        self.original = _new_template()
        self.chooser = QComboBox(objectName="template-chooser")
        self.chooser.currentIndexChanged.connect(self._choose)
        self.name = QLineEdit(objectName="template-name")
        self.steps = QTableWidget(0, len(self.STEP_HEADERS), objectName="template-steps")
        self.steps.setHorizontalHeaderLabels(self.STEP_HEADERS)
        self.steps.verticalHeader().hide()
        self.steps.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        add = QPushButton("Add step", objectName="template-add-step")
        add.clicked.connect(lambda: self._add_step(TemplateStep("AVOD")))
        remove = QPushButton("Remove step")
        remove.clicked.connect(lambda: self.steps.removeRow(self.steps.currentRow()))
        self.problems.setObjectName("template-problems")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch()
        form = QFormLayout(self)
        form.addRow("Te&mplate", self.chooser)
        form.addRow("&Name", self.name)
        form.addRow(self.steps)
        form.addRow(row)
        form.addRow(self.problems)
        form.addRow(self.buttons)
        self._load()

    def _load(self, select: int | None = None) -> None:
        with self.database.read() as session:
            self.templates = windows.templates(session)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for template in self.templates:
            self.chooser.addItem(template.name, template.id)
        self.chooser.addItem("(new template)", None)
        self.chooser.blockSignals(False)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(select)) if select else 0)
        self._show_chosen()

    def _choose(self) -> None:
        """Another template chosen: the edits to the one shown are kept only if asked."""
        if self.is_dirty() and not confirm(self, "Unsaved changes", "Discard your changes to this window template?"):
            self.chooser.blockSignals(True)
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(self.original.id)))
            self.chooser.blockSignals(False)
            return
        self._show_chosen()

    def _show_chosen(self) -> None:
        chosen = next((t for t in self.templates if t.id == self.chooser.currentData()), None)
        self.original = chosen or _new_template()
        self.show_draft(self.original)

    def show_draft(self, draft: Template) -> None:
        self.name.setText(draft.name)
        self.steps.setRowCount(0)
        for step in draft.steps:
            self._add_step(step)
        self.problems.clear()
        self.problems.hide()

    def _add_step(self, step: TemplateStep) -> None:
        row = self.steps.rowCount()
        self.steps.insertRow(row)
        values = (step.media, step.start_months, step.start_days, step.length_months, step.length_days,
                  "yes" if step.exclusive else "no")
        for column, value in enumerate(values):
            self.steps.setItem(row, column, QTableWidgetItem("" if value is None else str(value)))

    def template_steps(self, problems: list[Problem]) -> list[TemplateStep]:
        """The steps as typed; a number that does not read is noted in `problems`."""
        def cell(row: int, column: int) -> str:
            item = self.steps.item(row, column)
            return item.text().strip() if item else ""

        def number(row: int, column: int, *, empty: int | None) -> int | None:
            text = cell(row, column)
            if not text:
                return empty
            if not text.lstrip("-").isdigit():
                problems.append(Problem(f"step {row + 1}", f"'{text}' is not a whole number"))
                return empty
            return int(text)

        return [TemplateStep(cell(row, 0).upper(), number(row, 1, empty=0) or 0, number(row, 2, empty=0) or 0,
                             number(row, 3, empty=None), number(row, 4, empty=None),
                             cell(row, 5).lower() in ("yes", "y", "true", "1"))
                for row in range(self.steps.rowCount())]

    def draft_checked(self, problems: list[Problem]) -> Template:
        return dataclasses.replace(self.original, name=self.name.text(), steps=self.template_steps(problems))

    def is_dirty(self) -> bool:
        # (a step's media typed in lower case is the same step: the service keeps it upper case)
        problems: list[Problem] = []
        return self.draft_checked(problems) != self.original or bool(problems)

    def load_saved(self, session: UnitOfWork) -> Template | None:
        return windows.load_template(session, self.original.id) if self.original.id is not None else None

    def write(self, draft: Template) -> int:
        return run(self.database, windows.save_template, draft.name, draft.steps, description=draft.description,
                   template_id=draft.id, version=draft.version if draft.id is not None else None)

    def after_save(self) -> None:
        self._load(select=self.saved_id)
        show_problems(self.problems, "Saved.")

    def reload(self) -> None:
        self._load(select=self.original.id)


def _new_template() -> Template:
    """What a new template starts as: an exclusive APP window from the start date."""
    return Template(None, "", "", [TemplateStep("APP", exclusive=True)])
