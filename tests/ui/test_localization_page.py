"""The localization area: the readiness matrix and its filters, tasks changed one or many at a time."""

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus
from rightsdesk.persistence.models import LocalizationTask
from rightsdesk.services.licensing_reports import LOCALIZATION_COLOURS
from rightsdesk.services import localization
from rightsdesk.ui.localization.page import LocalizationPage, NewTasksDialog, TaskEditor


def statuses(database):
    with database.read() as session:
        return {t.id: t.status for t in session.scalars(select(LocalizationTask))}


def test_the_matrix_colours_each_title_and_language_by_its_least_advanced_task(qtbot, database, worked):
    bride, heiress = worked["titles"]
    with database.transaction() as session:
        session.add_all([
            LocalizationTask(title_id=bride, language_tag="th", kind=LocalizationKind.SUBTITLES, status=LocalizationStatus.DELIVERED),
            LocalizationTask(title_id=bride, language_tag="th", kind=LocalizationKind.DUB, status=LocalizationStatus.IN_QC,
                             due_on=date(2020, 1, 1)),
            LocalizationTask(title_id=heiress, language_tag="es-419", kind=LocalizationKind.SUBTITLES,
                             status=LocalizationStatus.DELIVERED)])
    page = LocalizationPage(database)
    qtbot.addWidget(page)
    assert page.matrix.model.rowCount() == 0  # worked out when first shown, off the UI thread
    assert page.matrix.deal.count() == 1  # the deals to choose from too: read with the first matrix
    page.show()
    qtbot.waitUntil(lambda: page.matrix.model.rowCount() == 2 and not page.matrix.running(), timeout=5000)
    assert [page.matrix.deal.itemText(n) for n in range(page.matrix.deal.count())] == ["", "IN-1"]
    model = page.matrix.model
    assert [model.headerData(n, Qt.Orientation.Vertical) for n in range(model.rowCount())] == ["Bride", "Heiress"]
    assert [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())] == ["es-419", "th"]
    bride_th = model.index(0, 1)
    assert bride_th.data() == "Subs delivered  Dub in QC  ⚠"
    assert bride_th.data(Qt.ItemDataRole.BackgroundRole).name().upper() == LOCALIZATION_COLOURS[LocalizationStatus.IN_QC].upper()
    assert "1 task past their due date" in bride_th.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data() == "—" and model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "2 titles × 2 languages · 1 of 2 title-languages delivered · 1 task overdue" == page.matrix.summary.text()

    page.matrix.languages.setText("th")
    page.matrix.refresh()
    assert model.columnCount() == 1 and model.rowCount() == 1
    page.matrix.deal.setCurrentText("NOPE")
    page.matrix.refresh()
    assert "There is no deal 'NOPE'" in page.matrix.problems.text()
    page.matrix.deal.setCurrentText("")
    page.matrix.text.setText("no such title")
    page.matrix.refresh()
    assert page.matrix.stack.currentWidget() is page.matrix.empty

    # a double-click on a cell shows that title's tasks in that language
    page.matrix.text.setText("")
    page.matrix.languages.setText("")
    page.matrix.refresh()
    page.matrix.view.doubleClicked.emit(model.index(0, 1))
    assert page.tabs.currentWidget() is page.tasks
    assert page.tasks.title_id == bride and page.tasks.model.rowCount() == 2


def test_tasks_are_created_for_every_episode_and_moved_together(qtbot, database, worked, answer_dialogs):
    bride = worked["titles"][0]
    page = LocalizationPage(database)
    qtbot.addWidget(page)
    dialog = NewTasksDialog(database, bride, page)
    qtbot.addWidget(dialog)
    assert dialog.title.text() == "T000001"
    dialog.languages.setText("th, vi")
    dialog.per_episode.setChecked(True)
    dialog.accept()
    assert len(dialog.created) == 2, dialog.problems.text()
    page.tasks.narrow_to(bride)
    tasks = page.tasks
    assert tasks.model.rowCount() == 2
    tasks.list.view.selectAll()
    assert tasks.list.selected_ids() == sorted(dialog.created, key=lambda i: tasks.model.row_of(i))
    assert tasks.status_button.text() == "Set &status (2)"

    tasks.set_status(LocalizationStatus.DELIVERED)  # not started → delivered: refused for both
    assert "No task was changed; 2 cannot go to delivered" in tasks.problems.text()
    assert set(statuses(database).values()) == {LocalizationStatus.NOT_STARTED}
    tasks.list.view.selectAll()
    tasks.set_status(LocalizationStatus.IN_PROGRESS)
    assert set(statuses(database).values()) == {LocalizationStatus.IN_PROGRESS}
    assert tasks.list.selected_ids()  # the selection is kept for the next step

    page.matrix.refresh()
    assert page.matrix.model.index(0, 0).data() == "Subs in progress"


def test_the_task_editor_offers_the_next_steps_and_saves_costs(qtbot, database, worked, answer_dialogs):
    bride = worked["titles"][0]
    with database.transaction() as session:
        task_id = localization.create_tasks(session, bride, ["th"], [LocalizationKind.DUB], per_episode=False, user="ana")[0]
    editor = TaskEditor(database, task_id)
    qtbot.addWidget(editor)
    assert [editor.status.itemText(n) for n in range(editor.status.count())] == ["not started", "in progress"]
    editor.status.setCurrentIndex(1)
    editor.cost.setText("2,400.00")  # in the desk's locale (en_US here)
    editor.save()
    assert "a cost needs its currency" in editor.problems.text()
    editor.currency.setCurrentIndex(editor.currency.findData("USD"))
    editor.save()
    assert editor.saved_id == task_id
    with database.read() as session:
        saved = localization.load_task(session, task_id)
    assert (saved.status, saved.cost, saved.currency) == (LocalizationStatus.IN_PROGRESS, 2400, "USD")
    reopened = TaskEditor(database, task_id)
    qtbot.addWidget(reopened)
    assert reopened.cost.text() == "2400.00"


def test_show_every_title_appears_only_when_narrowed(qtbot, database, worked):
    page = LocalizationPage(database)
    qtbot.addWidget(page)
    page.show()
    assert not page.tasks.clear_narrowing_action.isVisible()
    page.show_tasks(worked["titles"][0])
    assert page.tasks.clear_narrowing_action.isVisible() and "Bride" in page.tasks.narrowed_label.text()
    page.tasks.clear_narrowing.click()  # the button, wherever the toolbar put it
    assert page.tasks.title_id is None and not page.tasks.clear_narrowing_action.isVisible()


def test_a_task_saved_by_someone_else_meanwhile_is_compared_and_reopened_as_saved(qtbot, monkeypatch, database, worked):
    from PySide6.QtWidgets import QDialog

    from rightsdesk.ui.conflicts import ConflictDialog

    with database.transaction() as session:
        task_id = localization.create_tasks(session, worked["titles"][0], ["th"], [LocalizationKind.DUB],
                                            per_episode=False, user="ana")[0]
    opened: list[TaskEditor] = []
    shown: list[ConflictDialog] = []
    monkeypatch.setattr(ConflictDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Accepted)

    def make():
        editor = TaskEditor(database, task_id)
        qtbot.addWidget(editor)
        opened.append(editor)
        if len(opened) == 1:  # ben saves while the first editor is open, then this one saves
            with database.transaction() as session:
                theirs = localization.load_task(session, task_id)
                theirs.file_reference = "ben/dub-th.mxf"
                localization.save_task(session, theirs, user="ben")
            editor.file_reference.setText("mine.mxf")
            monkeypatch.setattr(editor, "exec", lambda: editor.save() or editor.result())
        else:
            monkeypatch.setattr(editor, "exec", lambda: QDialog.DialogCode.Rejected)
        return editor

    page = LocalizationPage(database)
    qtbot.addWidget(page)
    page.tasks.list.run_editor(make)
    assert "ben saved this task" in shown[0].message.text()
    assert [(shown[0].table.item(r, 0).text(), shown[0].table.item(r, 1).text(), shown[0].table.item(r, 2).text())
            for r in range(shown[0].table.rowCount())] == [("File reference", "ben/dub-th.mxf", "mine.mxf")]
    assert len(opened) == 2 and opened[1].file_reference.text() == "ben/dub-th.mxf"  # reopened as saved now


def test_tasks_and_titles_changed_elsewhere_show_in_the_matrix_and_the_tasks_list(qtbot, database, worked):
    """Both tabs follow tasks and titles: a task created and a title renamed through actions
    anywhere (as the title editor saves it) show in the matrix at once and in the tasks list
    when it is next in front, with no refresh asked for."""
    from rightsdesk.services import catalogue
    from rightsdesk.ui.actions import run

    bride = worked["titles"][0]
    page = LocalizationPage(database)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: not page.matrix.running() and not page.matrix.stale, timeout=5000)
    assert page.matrix.model.rowCount() == 0

    run(database, localization.create_tasks, bride, ["th"], [LocalizationKind.SUBTITLES], per_episode=False, user="ana")
    qtbot.waitUntil(lambda: page.matrix.model.rowCount() == 1 and not page.matrix.running(), timeout=5000)
    assert page.matrix.model.index(0, 0).data() == "Subs not started"

    with database.read() as session:
        draft = catalogue.load_title(session, bride)
    draft.original_name = "Bride Returns"
    run(database, catalogue.save_title, draft, user="ana")
    qtbot.waitUntil(lambda: page.matrix.model.headerData(0, Qt.Orientation.Vertical) == "Bride Returns", timeout=5000)

    page.tabs.setCurrentWidget(page.tasks)
    qtbot.waitUntil(lambda: page.tasks.model.filled and page.tasks.model.rowCount() == 1, timeout=5000)
    page.tabs.setCurrentWidget(page.matrix)
    run(database, localization.create_tasks, bride, ["vi"], [LocalizationKind.DUB], per_episode=False, user="ana")
    assert page.tasks.model.rowCount() == 1  # not in front: read when it is
    page.tabs.setCurrentWidget(page.tasks)
    qtbot.waitUntil(lambda: page.tasks.model.rowCount() == 2, timeout=5000)


def test_the_deal_filter_is_wide_enough_for_a_reference_before_its_choices_come(qtbot, database):
    """It is laid out before the deals are read (with the first matrix): empty, it was a sliver."""
    page = LocalizationPage(database)
    qtbot.addWidget(page)
    page.show()
    deal = page.matrix.deal
    assert deal.width() > deal.fontMetrics().horizontalAdvance("IN-2024-0011")
