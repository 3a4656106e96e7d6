"""The Libraries screen (issue 19): a library made in the editor with titles added through the
add dialog and saved with Ctrl+S, shown in the list with its count; a title removed with its
last day in, seen in the history; deleting refused while a deal grants the library; the
workbook from the screen; and the main window's Libraries area opens the screen."""

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QStackedWidget, QWidget

from rightsdesk.domain.enums import DealStatus
from rightsdesk.domain.libraries import LibraryDraft, Stay
from rightsdesk.domain.rights import DealDraft, GrantDraft
from rightsdesk.services import deals, libraries
from rightsdesk.ui.actions import run
from rightsdesk.ui.history import HistoryDialog
from rightsdesk.ui.libraries.library_editor import COVER_NOTE, LibraryEditor
from rightsdesk.ui.libraries.page import LibrariesPage
from rightsdesk.ui.libraries.stays import AddTitlesDialog, LastDayDialog
from tests.services.test_deals import OUT, USER, acquire, catalogue_, scope  # noqa: F401 (fixture)

TODAY = date.today()


def make(database, code="VL-ROMANCE", name="Romance vertical library", stays=()):
    with database.transaction() as session:
        return libraries.save_library(session, LibraryDraft(code, name, stays=list(stays)), user=USER)


def open_page(qtbot, shown, database):
    page = LibrariesPage(database)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    return shown(page)


def cells(page, column):
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def type_date(qtbot, field, day):
    """Type a day into a date field as a user does: select what is there, type the day."""
    field.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, day.isoformat())
    assert field.date().toPython() == day


def click_row(qtbot, view, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def running(qtbot, monkeypatch, dialog_class, drive):
    """Make `dialog_class.exec` show the dialog and let `drive` work it with real input, as the
    user would while it is open; exec answers what the dialog ended with."""
    def exec_(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        drive(dialog)
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", exec_)


def press_save(qtbot, editor):
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_a_library_made_in_the_editor_with_two_titles_shows_in_the_list_with_its_count(
        qtbot, monkeypatch, database, catalogue_, shown):
    page = open_page(qtbot, shown, database)
    assert page.list.stack.currentWidget() is page.list.empty_label
    assert "No libraries yet" in page.list.empty_label.text() and "Ctrl+N" in page.list.empty_label.text()
    joined = TODAY - timedelta(days=30)
    editors: list[LibraryEditor] = []

    def add_two(dialog: AddTitlesDialog):
        qtbot.waitUntil(lambda: dialog.titles.model.filled)
        assert not dialog.add_button.isEnabled()  # nothing chosen yet
        qtbot.keyClicks(dialog.titles.filter_box, "e")  # both names have an e; the filter box narrows the list
        qtbot.waitUntil(lambda: dialog.titles.model.query.text == "e")
        click_row(qtbot, dialog.titles.view, 0)
        click_row(qtbot, dialog.titles.view, 1, Qt.KeyboardModifier.ControlModifier)
        assert dialog.add_button.text() == "Add 2 titles"
        type_date(qtbot, dialog.joins_on, joined)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    def fill_in(editor: LibraryEditor):
        editors.append(editor)
        assert editor.windowTitle() == "New library"
        assert editor.findChild(object, "cover-note").text() == COVER_NOTE
        qtbot.keyClicks(editor.code, "VL-ROMANCE")
        qtbot.keyClicks(editor.name, "Romance vertical library")
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
        assert editor.stays.rowCount() == 2 and editor.tabs.tabText(0) == "Titles (2 in today)"
        assert "2 titles join on" in editor.titles_message.text()
        press_save(qtbot, editor)

    running(qtbot, monkeypatch, AddTitlesDialog, add_two)
    running(qtbot, monkeypatch, LibraryEditor, fill_in)
    page.list.view.setFocus()
    qtbot.keyClick(page.list.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert editors and editors[0].result() == QDialog.DialogCode.Accepted
    with database.read() as session:
        [row] = libraries.library_rows(session, TODAY)
        stays = libraries.load_library(session, row.id).stays
    assert (row.code, row.name, row.titles_now) == ("VL-ROMANCE", "Romance vertical library", 2)
    assert {(s.title_id, s.added_on, s.removed_on) for s in stays} == {
        (catalogue_["bride"], joined, None), (catalogue_["heiress"], joined, None)}
    assert cells(page, 0) == ["VL-ROMANCE"] and cells(page, 2) == ["2"] and cells(page, 3) == ["0"]
    assert page.list.current_id() == row.id  # the list shows what was saved


def test_a_title_removed_with_its_last_day_leaves_the_count_and_shows_in_the_history(
        qtbot, monkeypatch, database, catalogue_, shown):
    joined, last_day = TODAY - timedelta(days=100), TODAY - timedelta(days=10)
    library = make(database, stays=[Stay(catalogue_["bride"], joined), Stay(catalogue_["heiress"], joined)])
    page = open_page(qtbot, shown, database)
    assert cells(page, 2) == ["2"]

    def last_day_in(dialog: LastDayDialog):
        type_date(qtbot, dialog.last_day, last_day)
        dialog.accept()

    def remove_heiress(editor: LibraryEditor):
        qtbot.keyClicks(editor.stay_filter, "heiress")  # the stays' filter box
        assert editor.proxy.rowCount() == 1
        click_row(qtbot, editor.stay_view, 0)
        qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
        editor.stay_filter.clear()
        assert editor.tabs.tabText(0) == "Titles (1 in today)"
        assert "1 title leave after" in editor.titles_message.text()
        press_save(qtbot, editor)

    running(qtbot, monkeypatch, LastDayDialog, last_day_in)
    running(qtbot, monkeypatch, LibraryEditor, remove_heiress)
    page.list.view.setFocus()
    page.list.view.selectRow(0)
    qtbot.keyClick(page.list.view, Qt.Key.Key_Return)

    assert cells(page, 2) == ["1"]
    with database.read() as session:
        assert Stay(catalogue_["heiress"], joined, last_day) in libraries.load_library(session, library).stays

    histories: list[HistoryDialog] = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: histories.append(self) or QDialog.DialogCode.Rejected)
    editor = LibraryEditor(database, library, page)
    qtbot.addWidget(editor)
    editor.findChild(object, "history").click()
    assert histories[0].windowTitle() == "History of library VL-ROMANCE"
    table = histories[0].table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert any(r[2] == "update" and r[3] == f"Library {library}" and last_day.isoformat() in r[7] for r in rows)
    # and the stay stays in the editor, with its last day
    texts = [[editor.stays.index(r, c).data() for c in range(5)] for r in range(editor.stays.rowCount())]
    assert [last_day.isoformat(), "left"] in [t[3:] for t in texts]


def test_a_library_a_deal_grants_cannot_be_deleted_and_an_unused_one_can(
        qtbot, database, catalogue_, shown, answer_dialogs):
    granted = make(database, stays=[Stay(catalogue_["bride"], date(2025, 1, 1))])
    make(database, "VL-OLD", "Old bundle")
    areas = QStackedWidget()  # as in the main window: the screen and another area
    qtbot.addWidget(areas)
    page = LibrariesPage(database)
    areas.addWidget(page)
    areas.addWidget(QWidget())
    shown(areas)
    assert cells(page, 3) == ["0", "0"]
    acquire(database, catalogue_)
    areas.setCurrentIndex(1)  # to another area, where the deal is made (as the Deals screen saves it)
    run(database, deals.save_deal, DealDraft(OUT, catalogue_["shortmax"], "OUT-2026-0009", date(2025, 12, 1),
                                             DealStatus.SIGNED, grants=[
        GrantDraft(libraries=[granted], territories=scope("TH"), media=["FAST"], term_start=date(2026, 1, 1),
                   term_end=date(2026, 12, 31), exclusive=True)]), user=USER)
    areas.setCurrentIndex(0)  # back to the screen: it heard of the deal and reads the counts again
    qtbot.waitUntil(lambda: cells(page, 3) == ["0", "1"])
    assert cells(page, 0) == ["VL-OLD", "VL-ROMANCE"]

    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    page.list.view.setFocus()
    page.list.view.selectRow(1)
    qtbot.keyClick(page.list.view, Qt.Key.Key_Delete)
    assert asked[0].startswith("Delete the library VL-ROMANCE Romance vertical library")  # asked first
    assert "granted by OUT-2026-0009: it cannot be deleted; retire it instead" in asked[1]
    assert cells(page, 0) == ["VL-OLD", "VL-ROMANCE"]

    page.list.view.selectRow(0)
    qtbot.keyClick(page.list.view, Qt.Key.Key_Delete)
    assert cells(page, 0) == ["VL-ROMANCE"]
    with database.read() as session:
        assert [r.code for r in libraries.library_rows(session, TODAY)] == ["VL-ROMANCE"]

    editor = LibraryEditor(database, granted, page)
    qtbot.addWidget(editor)
    assert editor.tabs.tabText(1) == "Deals granting it (1)"
    assert editor.deals.item(0, 0).text() == "OUT-2026-0009" and editor.deals.item(0, 3).text() == "2026-01-01"


def test_a_title_added_to_a_library_elsewhere_is_counted_at_once(qtbot, database, catalogue_, shown):
    """The showing list follows library stays: a title joining through an action anywhere
    (another desk's editor, a workbook import) is counted with no refresh asked for."""
    library = make(database)
    page = open_page(qtbot, shown, database)
    assert cells(page, 2) == ["0"]

    run(database, libraries.add_titles, library, [catalogue_["bride"], catalogue_["heiress"]], TODAY - timedelta(days=1),
        user=USER)

    assert cells(page, 2) == ["2"]


def test_closing_the_editor_with_unsaved_edits_asks_first(qtbot, database, catalogue_, answer_dialogs):
    library = make(database)
    editor = LibraryEditor(database, library)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.name, " (2026)")
    asked = answer_dialogs(QMessageBox.StandardButton.Cancel)
    editor.reject()
    assert asked == ["Discard your changes to this library?"] and editor.isVisible()


def test_libraries_export_and_import_from_the_screen(qtbot, monkeypatch, database, catalogue_, shown, tmp_path,
                                                    answer_dialogs):
    from openpyxl import load_workbook

    make(database, stays=[Stay(catalogue_["bride"], date(2025, 1, 1))])
    page = open_page(qtbot, shown, database)
    target = tmp_path / "libraries.xlsx"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    assert page.export() == target and "Exported every library" in page.message.text()

    book = load_workbook(target)
    book["Libraries"].append(["VL-REVENGE", "Revenge", "", None])
    book["Titles"].append(["VL-REVENGE", "T000002", "2025-07-01", None])
    book.save(target)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(target), ""))
    done = page.import_file()
    assert (done.created, done.updated) == (["VL-REVENGE"], ["VL-ROMANCE"])
    assert "Imported 1 new and 1 updated libraries with" in page.message.text()
    assert cells(page, 0) == ["VL-REVENGE", "VL-ROMANCE"]

    book["Titles"].append(["VL-NOPE", "T000001", "2025-07-01", None])
    book.save(target)
    asked = answer_dialogs()
    assert page.import_path(target) is None
    assert asked[-1].startswith("Nothing was imported: 1 problem in the file")
    assert "'Titles!Library': 'VL-NOPE' is not a code on the Libraries sheet" in asked[-1]  # listed
    with database.read() as session:
        assert len(libraries.library_rows(session, TODAY)) == 2  # all or nothing


def test_the_main_window_opens_the_libraries_screen(qtbot, database):
    from rightsdesk.ui.main_window import MainWindow
    from rightsdesk.ui.placeholder import PlaceholderPage

    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show_area("libraries")
    area = window.pages.currentWidget()
    assert area.objectName() == "area-libraries"
    assert isinstance(window.libraries, LibrariesPage) and window.libraries.parent() is area
    assert not area.findChildren(PlaceholderPage)
    window.wait_for_background()


def test_the_stays_and_library_models_pass_the_model_tester(qtmodeltester, database, catalogue_):
    library = make(database, stays=[Stay(catalogue_["bride"], date(2025, 1, 1), date(2025, 6, 30)),
                                    Stay(catalogue_["bride"], date(2025, 9, 1))])
    editor = LibraryEditor(database, library)
    qtmodeltester.check(editor.stays, force_py=True)
    page = LibrariesPage(database)
    page.model.reload()
    qtmodeltester.check(page.model, force_py=True)
    editor.deleteLater()
    page.deleteLater()




def test_when_someone_saved_the_library_first_the_differences_show_and_it_reopens_as_saved(
        qtbot, monkeypatch, database, catalogue_, shown):
    from rightsdesk.ui.conflicts import ConflictDialog

    library = make(database)
    conflicts: list[ConflictDialog] = []
    monkeypatch.setattr(ConflictDialog, "exec", lambda self: conflicts.append(self) or QDialog.DialogCode.Accepted)
    opened: list[LibraryEditor] = []

    def edit(editor: LibraryEditor):
        opened.append(editor)
        if len(opened) == 1:  # ben renames it while this editor is open, then this one saves
            with database.transaction() as session:
                theirs = libraries.load_library(session, library)
                theirs.name = "Romance (ben)"
                libraries.save_library(session, theirs, user="ben")
            editor.name.selectAll()
            qtbot.keyClicks(editor.name, "Romance (mine)")
            press_save(qtbot, editor)
        else:
            editor.done(QDialog.DialogCode.Rejected)

    running(qtbot, monkeypatch, LibraryEditor, edit)
    page = open_page(qtbot, shown, database)
    page.edit_library(library)
    assert "ben saved this library" in conflicts[0].message.text()
    table = conflicts[0].table
    assert [table.item(0, c).text() for c in range(3)] == ["Name", "Romance (ben)", "Romance (mine)"]
    assert len(opened) == 2 and opened[1].name.text() == "Romance (ben)"  # reopened as saved now


def test_a_read_only_database_offers_the_libraries_for_reading_only(qtbot, database, catalogue_):
    from PySide6.QtWidgets import QDialogButtonBox

    from rightsdesk.persistence.database import Database
    from rightsdesk.ui.main_window import MainWindow

    library = make(database, stays=[Stay(catalogue_["bride"], date(2025, 1, 1))])
    window = MainWindow(Database(database.location, read_only=True))
    qtbot.addWidget(window)
    window.show()
    window.show_area("libraries")
    page = window.libraries
    assert not any(a.isVisible() for a in (page.new_action, page.delete_action, page.import_action))
    assert page.edit_action.isVisible() and page.export_action.isVisible()
    editor = LibraryEditor(window.database, library, page)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.windowTitle().endswith("(read-only)")
    assert not editor.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert not editor.add_button.isVisible() and not editor.remove_button.isVisible()
    window.wait_for_background()
    window.database.dispose()
