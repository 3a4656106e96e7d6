"""The Reference data screen (issue 19) with real clicks and keys: a territory group made in the
tree picker (three-state checks, filter, live coverage, the short form typed and written), saved
with Ctrl+S and kept as groups inside a group; changing a group a grant uses says which grant
before saving; deleting refused while in use; media added, given an EMA licence type and
retired; every item model through the model tester; the main window's area."""

from datetime import date

import pytest

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyle

from rightsdesk.domain.enums import DealStatus
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.domain.territory_groups import GroupDraft
from rightsdesk.services import media as media_service
from rightsdesk.services import deals, reference, territory_groups
from rightsdesk.services.media import MediaDraft
from rightsdesk.ui.actions import run
from rightsdesk.ui.reference.groups import GroupEditor
from rightsdesk.ui.reference.media import MediaEditor
from rightsdesk.ui.reference.page import ReferencePage
from rightsdesk.ui.territory_picker import CODE, TerritoryPicker
from tests.services.test_deals import IN, USER, catalogue_, save  # noqa: F401 (fixture)
from tests.ui.test_libraries_page import press_save, running


def open_page(qtbot, shown, database):
    page = ReferencePage(database)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.media.wait_for_rows()  # (read off the UI thread)
    return shown(page)


def focus(qtbot, page, widget):
    """The screen in front with `widget` focused, as after a click into it."""
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    widget.setFocus()


def proxy_index(picker, code, parent_code=None):
    """The row of `code` in the tree as shown (under `parent_code` when given)."""
    model = picker.proxy
    stack = [model.index(r, 0) for r in range(model.rowCount())]
    while stack:
        index = stack.pop(0)
        above = index.parent().data(CODE) if index.parent().isValid() else None
        if index.data(CODE) == code and (parent_code is None or above == parent_code):
            return index
        stack.extend(model.index(r, 0, index) for r in range(model.rowCount(index)))
    raise AssertionError(f"{code} is not shown")


def click_check(qtbot, picker, index):
    """Click a row's check box where the style draws it."""
    picker.view.scrollTo(index)
    rect = picker.view.visualRect(index)
    style = picker.view.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, picker.view) + 1
    width = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, picker.view)
    qtbot.mouseClick(picker.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(rect.left() + margin + width // 2, rect.center().y()))


def state(picker, code, parent_code=None):
    return Qt.CheckState(proxy_index(picker, code, parent_code).data(Qt.ItemDataRole.CheckStateRole))


def groups(database):
    with database.read() as session:
        return reference.territory_groups(session)


def test_a_group_made_in_the_tree_picker_with_clicks_and_keys(qtbot, monkeypatch, database, shown):
    page = open_page(qtbot, shown, database)

    def drive(editor: GroupEditor):
        picker = editor.picker
        editor.activateWindow()
        qtbot.waitUntil(editor.isActiveWindow)
        qtbot.keyClicks(editor.code, "emea_sales")
        qtbot.keyClicks(editor.name, "EMEA sales")
        qtbot.keyClick(editor.name, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: to the filter
        assert picker.filter.hasFocus()
        qtbot.keyClicks(picker.filter, "western europe")  # the filter keeps regions with what matches
        click_check(qtbot, picker, proxy_index(picker, "WESTERN_EUROPE", "EUROPE"))
        assert picker.coverage.text() == "Covers 9 countries"
        assert state(picker, "EUROPE") is Qt.CheckState.PartiallyChecked
        assert state(picker, "FR", "WESTERN_EUROPE") is Qt.CheckState.Checked
        picker.filter.clear()
        qtbot.keyClicks(picker.filter, "south africa")
        index = proxy_index(picker, "ZA", "SOUTHERN_AFRICA")
        picker.view.setFocus()
        picker.view.setCurrentIndex(index)
        qtbot.keyClick(picker.view, Qt.Key.Key_Space)  # the keyboard ticks too
        assert picker.coverage.text() == "Covers 10 countries"
        assert picker.scope.text() == "WESTERN_EUROPE, ZA"
        click_check(qtbot, picker, proxy_index(picker, "ZA", "SOUTHERN_AFRICA"))  # and a click unticks
        assert picker.coverage.text() == "Covers 9 countries"
        # the short form typed: 'UK' reads as GB, '+FR' after the exclusion adds France back
        picker.filter.clear()
        picker.scope.setFocus()
        qtbot.keyClick(picker.scope, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select what it says
        qtbot.keyClicks(picker.scope, "EUROPE excluding WESTERN_EUROPE, UK, +FR, +ZA")
        qtbot.keyClick(picker.scope, Qt.Key.Key_Return)
        europe = groups(database)["EUROPE"]
        assert picker.countries() == (europe - groups(database)["WESTERN_EUROPE"] - {"GB"}) | {"FR", "ZA"}
        assert picker.coverage.text() == f"Covers {len(picker.countries())} countries"
        assert state(picker, "FR", "EU") is Qt.CheckState.Checked and state(picker, "GB", "UK_IE") is Qt.CheckState.Unchecked
        assert TerritoryScope.parse(picker.scope.text(), groups(database)).countries(groups(database)) == picker.countries()
        assert "Groups kept whole (this group follows them when they change): none" in editor.structure.text()
        picker.filter.clear()
        qtbot.keyClicks(picker.filter, "eastern europe")
        click_check(qtbot, picker, proxy_index(picker, "EASTERN_EUROPE", "EUROPE"))  # untick the region
        assert state(picker, "EASTERN_EUROPE", "EUROPE") is Qt.CheckState.Unchecked
        click_check(qtbot, picker, proxy_index(picker, "EASTERN_EUROPE", "EUROPE"))  # and tick it whole
        assert "follows them when they change): EASTERN_EUROPE." in editor.structure.text()  # said before saving
        press_save(qtbot, editor)

    running(qtbot, monkeypatch, GroupEditor, drive)
    focus(qtbot, page, page.groups.list.view)
    qtbot.keyClick(page.groups.list.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    with database.read() as session:
        draft = territory_groups.load_group(session, next(r.id for r in territory_groups.group_rows(session, "EMEA_SALES")))
    assert draft.subgroups == {"EASTERN_EUROPE"} and {"FR", "ZA", "IT"} <= draft.countries and "PL" not in draft.countries
    assert groups(database)["EMEA_SALES"] == (groups(database)["EUROPE"] - groups(database)["WESTERN_EUROPE"] - {"GB"}) | {"FR", "ZA"}
    assert "EMEA_SALES" in [page.groups.model.index(r, 0).data() for r in range(page.groups.model.rowCount())]


def test_changing_a_group_a_grant_uses_says_which_grant_before_saving(qtbot, monkeypatch, database, catalogue_,
                                                                         shown, answer_dialogs):
    with database.transaction() as session:
        group_id = territory_groups.save_group(session, GroupDraft("CORE_EU", "Core EU", {"FR", "DE"}), user=USER)
        scope = TerritoryScope.parse("CORE_EU", reference.territory_groups(session))
    save(database, DealDraft(IN, catalogue_["producer"], "IN-2025-0042", date(2024, 12, 1), DealStatus.SIGNED,
                             grants=[GrantDraft(titles=[GrantTitleDraft(catalogue_["bride"])], territories=scope,
                                                media=["APP"])]))
    asked = answer_dialogs()
    page = open_page(qtbot, shown, database)
    page.groups.list.select_id(group_id)

    def drive(editor: GroupEditor):
        picker = editor.picker
        qtbot.keyClicks(picker.filter, "spain")
        click_check(qtbot, picker, proxy_index(picker, "ES", "SOUTHERN_EUROPE"))
        picker.filter.clear()
        qtbot.keyClicks(picker.filter, "germany")
        click_check(qtbot, picker, proxy_index(picker, "DE", "WESTERN_EUROPE"))
        qtbot.waitUntil(lambda: "IN-2025-0042 grant 1: gains ES and loses DE" in editor.effect.text())  # live
        press_save(qtbot, editor)

    running(qtbot, monkeypatch, GroupEditor, drive)
    focus(qtbot, page, page.groups.list.view)
    page.groups.list.select_id(group_id)
    qtbot.keyClick(page.groups.list.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert "IN-2025-0042 grant 1: gains ES and loses DE" in asked[0] and "Save the group?" in asked[0]
    assert groups(database)["CORE_EU"] == {"FR", "ES"}

    focus(qtbot, page, page.groups.list.view)
    page.groups.list.select_id(group_id)
    qtbot.keyClick(page.groups.list.view, Qt.Key.Key_Delete)
    assert "Delete the territory group CORE_EU" in asked[1]
    assert "CORE_EU is in use and cannot be deleted: IN-2025-0042 grant 1" in asked[2]
    assert "CORE_EU" in groups(database)


def test_media_added_with_an_ema_type_and_retired(qtbot, monkeypatch, database, shown, answer_dialogs):
    asked = answer_dialogs()
    page = open_page(qtbot, shown, database)
    page.tabs.setCurrentWidget(page.media)

    def drive(editor: MediaEditor):
        qtbot.keyClicks(editor.code, "inflight")
        assert editor.code.text() == "inflight"  # kept as typed
        qtbot.keyClicks(editor.name, "Inflight")
        editor.ema_type.setFocus()
        qtbot.keyClicks(editor.ema_type, "SVOD")
        assert editor.ema_type.currentData() == "SVOD"
        press_save(qtbot, editor)

    running(qtbot, monkeypatch, MediaEditor, drive)
    focus(qtbot, page, page.media.view)
    qtbot.keyClick(page.media.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.media.filter, "infl")
    assert page.media.proxy.rowCount() == 1
    row = [page.media.proxy.index(0, c).data() for c in range(5)]
    assert row == ["inflight", "Inflight", "SVOD", "", "offered"]
    focus(qtbot, page, page.media.view)
    page.media.view.setCurrentIndex(page.media.proxy.index(0, 0))
    qtbot.keyClick(page.media.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert asked[-1].startswith("Retire inflight Inflight?")
    assert page.media.proxy.index(0, 4).data() == "retired"
    with database.read() as session:
        assert "inflight" not in reference.media_codes(session, retired=False)
        assert "inflight" not in [code for code, _ in reference.media(session)]
        assert media_service.load_media(session, "inflight").ema_license_type == "SVOD"


@pytest.fixture
def picker(qtbot, database):
    """A picker with part of Europe ticked (set up before the model tester, so it outlives it)."""
    with database.read() as session:
        tree = territory_groups.picker_tree(session)
    widget = TerritoryPicker(tree)
    qtbot.addWidget(widget)
    widget.set_short_form("EUROPE excluding GB")
    yield widget


@pytest.fixture
def reference_page(qtbot, database):
    page = ReferencePage(database)
    qtbot.addWidget(page)
    assert page.media.model.rowCount() == 0  # the media are read off the UI thread
    page.media.wait_for_rows()
    assert page.media.model.rowCount() > 0
    yield page


def test_the_tree_model_passes_the_model_tester(picker, qtmodeltester):
    qtmodeltester.check(picker.model, force_py=True)


def test_the_filtered_tree_passes_the_model_tester(picker, qtmodeltester):
    picker.filter.setText("united")
    qtmodeltester.check(picker.proxy, force_py=True)


def test_the_media_model_passes_the_model_tester(reference_page, qtmodeltester):
    qtmodeltester.check(reference_page.media.model, force_py=True)


def test_the_main_window_opens_the_reference_screen(qtbot, database):
    from rightsdesk.ui.main_window import MainWindow

    window = MainWindow(database)
    qtbot.addWidget(window)
    window.show_area("reference")
    area = window.pages.currentWidget()
    assert area.objectName() == "area-reference"
    assert isinstance(window.reference, ReferencePage) and window.reference.parent() is area
    window.wait_for_background()


def test_the_grant_editor_picks_territories_in_the_tree(qtbot, monkeypatch, database):
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    from rightsdesk.domain.rights import GrantDraft
    from rightsdesk.ui.deals.grant_editor import GrantEditor
    from rightsdesk.ui.territory_picker import TerritoryPickerDialog

    grant = GrantEditor(database, GrantDraft())
    qtbot.addWidget(grant)
    grant.territories.text.setText("SEA")

    def drive(dialog: TerritoryPickerDialog):
        picker = dialog.picker
        assert picker.coverage.text() == "Covers 11 countries"  # the field's scope, ticked
        qtbot.keyClicks(picker.filter, "japan")
        click_check(qtbot, picker, proxy_index(picker, "JP", "EASTERN_ASIA"))
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    running(qtbot, monkeypatch, TerritoryPickerDialog, drive)
    qtbot.mouseClick(grant.findChild(QPushButton, "territories-tree"), Qt.MouseButton.LeftButton)
    assert grant.territories.text.text() == "SEA, JP"
    assert grant.territories.coverage.text() == "Covers 12 countries"


def test_a_grant_naming_a_retired_medium_keeps_it_in_the_editor(qtbot, database):
    from rightsdesk.domain.rights import GrantDraft
    from rightsdesk.ui.deals.grant_editor import GrantEditor

    with database.transaction() as session:
        media_service.save_media(session, media_service.MediaDraft("HOTELS", "Hotels"), user=USER)
        media_service.retire(session, "HOTELS", user=USER)
    fresh = GrantEditor(database, GrantDraft())
    named = GrantEditor(database, GrantDraft(media=["APP", "HOTELS"]))
    qtbot.addWidget(fresh)
    qtbot.addWidget(named)
    assert "HOTELS" not in fresh.media  # retired: not offered for a new grant
    assert named.media["HOTELS"].isChecked()  # but a grant naming it keeps it when saved


def test_the_groups_list_filters_and_sorts(qtbot, database, shown):
    page = open_page(qtbot, shown, database)
    page.groups.list.filter_box.setFocus()
    qtbot.keyClicks(page.groups.list.filter_box, "europe")
    qtbot.waitUntil(lambda: page.groups.model.rowCount() == 6)
    codes = [page.groups.model.index(r, 0).data() for r in range(page.groups.model.rowCount())]
    assert codes == ["EASTERN_EUROPE", "EU", "EUROPE", "NORTHERN_EUROPE", "SOUTHERN_EUROPE", "WESTERN_EUROPE"]  # code or name
    header = page.groups.list.view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(2) + 5, 5))
    qtbot.waitUntil(lambda: page.groups.model.index(0, 0).data() in ("WESTERN_EUROPE", "EUROPE"))  # 9 or 52
    counts = [int(page.groups.model.index(r, 2).data()) for r in range(page.groups.model.rowCount())]
    assert counts == sorted(counts) or counts == sorted(counts, reverse=True)


def test_the_avails_screen_picks_territories_in_the_tree(qtbot, monkeypatch, database):
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    from rightsdesk.ui.avails.page import AvailsPage
    from rightsdesk.ui.territory_picker import TerritoryPickerDialog

    page = AvailsPage(database)
    qtbot.addWidget(page)
    page.territories.setText("EUROPE")

    def drive(dialog: TerritoryPickerDialog):
        picker = dialog.picker
        assert picker.coverage.text() == "Covers 52 countries"
        qtbot.keyClicks(picker.filter, "united kingdom")
        click_check(qtbot, picker, proxy_index(picker, "GB", "NORTHERN_EUROPE"))
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    running(qtbot, monkeypatch, TerritoryPickerDialog, drive)
    qtbot.mouseClick(page.findChild(QPushButton, "avails-territories-tree"), Qt.MouseButton.LeftButton)
    assert page.territories.text() == "EUROPE excluding GB"


def test_a_group_opened_and_left_alone_is_unchanged(qtbot, database):
    with database.read() as session:
        ids = {r.code: r.id for r in territory_groups.group_rows(session)}
    for code in ("LATAM", "SEA", "EUROPE", "WORLD"):  # LATAM holds all of Central America, SEA equals SOUTHEAST_ASIA
        editor = GroupEditor(database, ids[code])
        qtbot.addWidget(editor)
        assert editor.draft_checked([]) == editor.original, code  # nothing to save, nothing asked on closing


def test_a_groups_own_editor_never_describes_it_by_itself(qtbot, database, answer_dialogs):
    """Issue 19 review: editing EMEA_SALES, unticking France wrote 'EMEA_SALES excluding FR'."""
    answer_dialogs()
    with database.transaction() as session:
        group_id = territory_groups.save_group(session, GroupDraft("EMEA_SALES", "EMEA sales", {"ZA"}, {"EU"}), user=USER)
    editor = GroupEditor(database, group_id)
    qtbot.addWidget(editor)
    editor.picker.set_countries(editor.picker.countries() - {"FR"})
    assert "EMEA_SALES" not in editor.picker.short_form()
    assert "FR" in editor.picker.short_form() and "ZA" in editor.picker.short_form()


def test_a_region_held_by_a_users_group_stays_at_the_top_of_the_tree(database):
    """Issue 19 review: once EMEA_SALES held EUROPE, Europe was found only under EMEA_SALES."""
    with database.transaction() as session:
        territory_groups.save_group(session, GroupDraft("EMEA_SALES", "EMEA sales", {"ZA"}, {"EUROPE", "MENA"}), user=USER)
    with database.read() as session:
        roots = territory_groups.picker_tree(session).roots
    assert {"EUROPE", "MENA", "EMEA_SALES"} <= set(roots)


def test_a_grant_saved_elsewhere_counts_in_the_groups_and_media_it_names(qtbot, database, catalogue_, shown):
    """Both tabs follow what names their records: a deal saved through an action (as the Deals
    screen saves it) shows in 'Rights naming it' at once, and in the media tab's 'Used' when
    that tab is next shown, with no refresh asked for."""
    with database.transaction() as session:
        group_id = territory_groups.save_group(session, GroupDraft("CORE_EU", "Core EU", {"FR", "DE"}), user=USER)
        media_service.save_media(session, MediaDraft("HOTEL", "Hotel rooms"), user=USER)
        scope = TerritoryScope.parse("CORE_EU", reference.territory_groups(session))
    page = open_page(qtbot, shown, database)
    used_by = [c.key for c in page.groups.model.columns].index("used_by")
    row = page.groups.model.row_of(group_id)
    assert page.groups.model.index(row, used_by).data() == "0"

    def hotel_used() -> str:
        return page.media.model.rows[page.media.model.row_of("HOTEL")].used

    assert not hotel_used()
    run(database, deals.save_deal, DealDraft(IN, catalogue_["producer"], "IN-2025-0042", date(2024, 12, 1),
                                             DealStatus.SIGNED, grants=[GrantDraft(
        titles=[GrantTitleDraft(catalogue_["bride"])], territories=scope, media=["HOTEL"])]), user=USER)

    assert page.groups.model.index(page.groups.model.row_of(group_id), used_by).data() == "1"
    assert not hotel_used()  # the media tab is not shown: read when it is
    page.tabs.setCurrentWidget(page.media)
    qtbot.waitUntil(hotel_used)
