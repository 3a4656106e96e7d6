"""The windows screen: planning from a template, the timeline, flags in the table."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import WindowStatus
from rightsdesk.services import catalogue, windows
from rightsdesk.ui.actions import run
from rightsdesk.domain.windows import TemplateStep
from rightsdesk.ui.windows.editors import PlanDialog
from rightsdesk.ui.windows.page import WindowsPage


def test_planning_from_a_template_shows_the_windows_flagged(qtbot, database):
    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Unacquired Bride", episodes=[EpisodeDraft(1, "", 90)]), user="li")
    page = WindowsPage(database)
    qtbot.addWidget(page)
    page.show()
    assert page.timeline.rows == []  # the empty state says what to do

    dialog = PlanDialog(database, "Unacquired Bride", page)
    qtbot.addWidget(dialog)
    dialog.territories.setText("TH, VN")
    dialog.start.setDate(QDate(2026, 3, 1))
    dialog.show_plan()  # (what the dialog does a moment after the typing stops)
    dialog.accept()
    assert dialog.result() == PlanDialog.DialogCode.Accepted, dialog.problems.text()

    page.subject.setText("Unacquired Bride")
    page.show_subject()
    assert page.table.rowCount() == 6  # APP, AVOD, FAST in two countries
    assert not page.edit_button.isEnabled() and not page.delete_button.isEnabled()  # no window chosen yet
    page.table.selectRow(1)
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()
    page.table.clearSelection()
    assert not page.edit_button.isEnabled()
    assert "6 windows, 6 flagged" in page.summary.text()
    assert "outside the rights held" in page.table.item(0, 8).text()
    assert [label for label, _ in page.timeline.rows][:3] == ["TH · APP", "TH · AVOD", "TH · FAST"]
    page.timeline.resize(1000, 300)
    page.timeline.grab()  # paints every bar
    bar = page.timeline.bars[0]
    assert page.timeline.bar_at(bar.rect.center().x(), bar.rect.center().y()) is bar
    assert bar.view.window.planned_start == date(2026, 3, 1)


def test_a_bad_plan_is_explained(qtbot, database):
    dialog = PlanDialog(database, "nothing like this", None)
    qtbot.addWidget(dialog)
    dialog.territories.setText("TH")
    dialog.accept()
    assert dialog.result() != PlanDialog.DialogCode.Accepted
    assert "there is no title" in dialog.problems.text()


def test_a_template_is_made_and_refused_when_wrong(qtbot, database):
    from rightsdesk.services import windows
    from rightsdesk.ui.windows.editors import TemplateDialog

    dialog = TemplateDialog(database)
    qtbot.addWidget(dialog)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData(None))  # a new template
    dialog.name.setText("SVOD after three months")
    dialog._add_step(TemplateStep("SVOD", 3, 0, 12, None))
    dialog.save()
    assert dialog.problems.text() == "Saved."
    with database.read() as session:
        made = next(t for t in windows.templates(session) if t.name == "SVOD after three months")
    assert made.steps == [TemplateStep("APP", exclusive=True), TemplateStep("SVOD", 3, 0, 12, None)]

    dialog.steps.item(1, 0).setText("HOLO")
    dialog.save()
    assert "'HOLO' is not a known media" in dialog.problems.text()


def test_the_plan_shows_the_windows_it_will_create_with_their_flags_before_saving(qtbot, database, kept, qtmodeltester):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from rightsdesk.services import windows

    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Unacquired Bride", episodes=[EpisodeDraft(1, "", 90)]), user="li")
    dialog = PlanDialog(database, "", None)
    kept.append(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.preview.rowCount() == 0
    qtbot.keyClicks(dialog.title_text, "Unacquired Bride")
    qtbot.keyClicks(dialog.territories, "TH, XX")
    qtbot.waitUntil(lambda: not dialog.problems.isHidden(), timeout=3000)
    assert dialog.problems.text() == "• 'XX' is neither a country nor a group"  # no field name before it
    assert not ok.isEnabled()
    for _ in range(2):
        qtbot.keyClick(dialog.territories, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.territories, "VN")
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 6, timeout=3000)
    assert dialog.problems.isHidden()
    qtmodeltester.check(dialog.preview.model(), force_py=True)
    cells = [[dialog.preview.item(r, c).text() for c in range(5)] for r in range(6)]
    assert [row[:2] for row in cells[:3]] == [["TH", "APP"], ["TH", "AVOD"], ["TH", "FAST"]]
    assert cells[0][3] == "yes" and all("outside the rights held" in row[4] for row in cells)
    assert dialog.summary.text() == "Will create 6 windows, 6 of them flagged: see Problems."
    assert ok.text() == "Create 6 windows" and ok.isEnabled()
    with database.read() as session:
        assert windows.window_views(session, title_id=1) == []  # nothing saved yet
    dialog.territories.setFocus()  # (where the typing was: the test's window is not the active one)
    qtbot.keyClick(dialog.territories, Qt.Key.Key_Return)  # Enter: the default button creates them
    assert dialog.result() == PlanDialog.DialogCode.Accepted
    with database.read() as session:
        assert len(windows.window_views(session, title_id=1)) == 6


def test_the_timeline_has_a_legend_for_its_colours_and_marks(qtbot, database, tmp_path):
    from rightsdesk.services import windows

    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Unacquired Bride", episodes=[EpisodeDraft(1, "", 90)]), user="li")
        template = windows.templates(session)[0].id
        windows.apply_template(session, template, 1, "TH", date(2026, 3, 1), user="li")
    page = WindowsPage(database)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    assert page.timeline.legend() == [] and page.timeline.legend_bar.isHidden()  # nothing shown, nothing to explain
    qtbot.keyClicks(page.subject, "Unacquired Bride")
    qtbot.keyClick(page.subject, Qt.Key.Key_Return)
    assert page.timeline.legend() == ["APP", "AVOD", "FAST", "planned (faded)", "confirmed or released",
                                      "flagged: see Problems", "open end", "today"]
    legend = page.timeline.legend_bar
    assert not legend.isHidden() and legend.media == ["APP", "AVOD", "FAST"]
    page.splitter.setSizes([60, 600])  # a timeline scrolled small: its legend is still in view
    qtbot.wait(50)
    assert legend.visibleRegion().boundingRect().height() == legend.height() > 0
    image = legend.grab().toImage()
    image.save(str(tmp_path / "legend.png"))
    assert image.pixelColor(6 + 5, legend.height() // 2).name() == "#4c78a8"  # APP's colour, as its bars are drawn
    page.grab().save(str(tmp_path / "windows.png"))


@pytest.fixture
def kept():
    """Widgets kept until after the model tester's own teardown (it disconnects from their
    models then); qtbot would delete them before."""
    widgets = []
    yield widgets
    for widget in widgets:
        widget.close()
        widget.deleteLater()


def test_a_window_saved_elsewhere_shows_on_the_page(qtbot, database):
    with database.transaction() as session:
        title_id = catalogue.save_title(session, TitleDraft("Unacquired Bride"), user="li")
        windows.apply_template(session, windows.templates(session)[0].id, title_id, "TH", date(2026, 3, 1), user="li")
        window = windows.window_views(session, title_id=title_id)[0].window
    page = WindowsPage(database)
    qtbot.addWidget(page)
    page.show()
    page.subject.setText("Unacquired Bride")
    page.show_subject()
    assert page.table.item(0, 3).text() == "Planned"

    window.status = WindowStatus.RELEASED
    window.actual_start = date(2026, 3, 2)
    run(database, windows.save_window, window, user="ben")  # as another screen would save it

    statuses = [page.table.item(row, 3).text() for row in range(page.table.rowCount())]
    assert "Released" in statuses


def test_return_in_the_plans_title_field_creates_nothing(qtbot, database, in_dialog):
    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Unacquired Bride"), user="li")
    dialog = PlanDialog(database, "", None)
    qtbot.addWidget(dialog)
    dialog.show()
    in_dialog(dialog)
    dialog.territories.setText("TH")
    dialog.title_text.setFocus()
    qtbot.keyClicks(dialog.title_text, "Unacquired")
    dialog.show_plan()  # the preview is there: OK is enabled, and still Return does not create
    qtbot.keyClick(dialog.title_text, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    with database.read() as session:
        assert windows.window_views(session, territory="TH") == []


def test_a_title_renamed_elsewhere_keeps_its_windows_shown(qtbot, database):
    with database.transaction() as session:
        title_id = catalogue.save_title(session, TitleDraft("Unacquired Bride"), user="li")
        windows.apply_template(session, windows.templates(session)[0].id, title_id, "TH", date(2026, 3, 1), user="li")
        renamed = catalogue.load_title(session, title_id)
    page = WindowsPage(database)
    qtbot.addWidget(page)
    page.show()
    page.subject.setText("Unacquired Bride")
    page.show_subject()
    renamed.original_name = "The Bride Returns"
    run(database, catalogue.save_title, renamed, user="ben")

    assert page.table.rowCount() > 0 and page.table.item(0, 0).text() == "The Bride Returns"


def test_the_timeline_has_room_for_a_titles_windows_at_1280_by_720(qtbot, database):
    # The walkthrough at 1280 × 720 (issue 18): the timeline showed 4 of a title's 12 windows and the
    # table under it stood half empty.
    from rightsdesk.ui.windows.timeline import AXIS_HEIGHT, ROW_HEIGHT

    page = WindowsPage(database)
    qtbot.addWidget(page)
    page.resize(1090, 640)  # the area's room in a maximized window, beside the navigation
    page.show()
    qtbot.wait(10)
    assert page.timeline.parentWidget().height() >= AXIS_HEIGHT + 8 * ROW_HEIGHT


def test_the_timelines_dates_are_read_on_dark(qtbot, database):
    # The walkthrough (issue 18): the axis's "Dec 2026 … Dec 2031" was drawn in the palette's frame
    # colour, the colour of the timeline itself on dark.
    from rightsdesk.ui import appearance
    from rightsdesk.ui.windows.timeline import AXIS_HEIGHT, LABEL_WIDTH

    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Unacquired Bride", episodes=[EpisodeDraft(1, "", 90)]), user="li")
        windows.apply_template(session, windows.templates(session)[0].id, 1, "TH", date(2026, 3, 1), user="li")
    appearance.apply("dark")
    try:
        page = WindowsPage(database)
        qtbot.addWidget(page)
        page.resize(1090, 640)
        page.show()
        qtbot.keyClicks(page.subject, "Unacquired Bride")
        qtbot.keyClick(page.subject, Qt.Key.Key_Return)
        image = page.timeline.grab().toImage()
        behind = page.timeline.palette().base().color().lightness()
        band = [image.pixelColor(x, y).lightness() for x in range(LABEL_WIDTH, image.width(), 2)
                for y in range(4, AXIS_HEIGHT - 8)]
        assert max(band) - behind >= 60
    finally:
        appearance.apply("light")
        appearance.apply("system")
