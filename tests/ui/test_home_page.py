"""The home screen: what needs attention, filtered, each item opening its record."""

from datetime import date, timedelta

from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from rightsdesk.domain.enums import LocalizationKind
from rightsdesk.persistence.models import Grant, LocalizationTask, MusicLicence
from rightsdesk.services import windows
from rightsdesk.ui.home.page import HomePage
from rightsdesk.ui.main_window import MainWindow

TODAY = date(2026, 11, 25)


def scenario(database, cue_sheet):
    bride, heiress = cue_sheet["titles"]
    with database.transaction() as session:
        session.scalars(select(Grant)).first().term_end = TODAY + timedelta(days=10)
        window = windows.save_window(session, windows.WindowDraft(bride, "US", "APP", TODAY + timedelta(days=5)), user="ana")
        task = LocalizationTask(title_id=heiress, language_tag="th", kind=LocalizationKind.DUB, due_on=TODAY - timedelta(days=3))
        session.add(task)
        session.flush()
        return window, task.id


def test_the_home_screen_lists_each_section_and_filters(qtbot, database, cue_sheet):
    scenario(database, cue_sheet)
    page = HomePage(database, today=TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed):
        page.refresh()
    tree = page.tree
    headings = [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]
    assert headings == ["Rights expiring in the next 30 days (1)",
                        "Releases in the next 30 days blocked by music or localization (1)",
                        "Music licences waiting for an answer (1)", "Localization past its due date (1)",
                        "Statements to run or issue (1)", "Options to extend to exercise in the next 60 days (0)",
                        "Statements owed to participants, overdue first (0)", "Statement emails that failed (0)"]
    assert "5 things need attention" in page.heading.text()
    page.refresh()  # a second look (F5) replaces the list rather than adding to it
    qtbot.waitUntil(lambda: not page.background.running())
    qtbot.wait(10)
    assert tree.topLevelItemCount() == 8 and tree.topLevelItem(3).childCount() == 1
    page.filter_box.setText("TH DUB")
    shown = [tree.topLevelItem(n).child(m).text(0) for n in range(tree.topLevelItemCount())
             for m in range(tree.topLevelItem(n).childCount()) if not tree.topLevelItem(n).child(m).isHidden()]
    assert shown == ["Heiress · th dub"]


def test_an_empty_section_says_so(qtbot, database):
    page = HomePage(database, today=TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed):
        page.refresh()
    assert page.tree.topLevelItem(0).child(0).text(0) == "Nothing here: all clear."
    assert "nothing needs attention" in page.heading.text()


def test_each_item_opens_the_record_behind_it(qtbot, database, cue_sheet, monkeypatch):
    window_id, task_id = scenario(database, cue_sheet)
    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append((type(self).__name__, self.windowTitle())) or 0)
    main = MainWindow(database)
    qtbot.addWidget(main)
    main.home.today = TODAY
    with qtbot.waitSignal(main.home.refreshed):
        main.home.refresh()

    def activate(section: int) -> None:
        main.home.tree.itemActivated.emit(main.home.tree.topLevelItem(section).child(0), 0)

    activate(0)
    assert main.area_key() == "deals" and opened[-1][0] == "DealEditor"
    activate(1)
    assert main.area_key() == "windows" and opened[-1][0] == "WindowDialog"
    assert main.windows.selected().window.id == window_id
    activate(2)
    with database.read() as session:
        quoted_track = session.scalar(select(MusicLicence.track_id).where(MusicLicence.status == "quoted"))
    assert main.area_key() == "music" and opened[-1] == ("LicenceEditor", "Licence for “Quoted Song”")
    assert main.music.tracks.list.current_id() == quoted_track
    activate(3)
    assert main.area_key() == "localization" and opened[-1][0] == "TaskEditor"
    assert main.localization.tasks.list.current_id() == task_id
    activate(4)
    assert main.area_key() == "statements" and main.statements.period.text() == "2026-Q3"
