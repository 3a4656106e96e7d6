"""The catalogue list as a rights manager uses it: a click on a header sorts names as people
read them, and the filter finds what the columns show (issue 18)."""

from PySide6.QtCore import QPoint, Qt

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.services import catalogue, parties
from rightsdesk.services.listing import ListQuery
from rightsdesk.ui.actions import run
from rightsdesk.ui.catalogue.page import CataloguePage, TitleTableModel


def titles(database):
    with database.transaction() as session:
        lumen = parties.save_party(session, PartyDraft("Lumen Studios"), user="li")
        for name, year, producer in (("Temporada 10", 2024, lumen), ("Temporada 2", 2023, None),
                                     ("temporada 1", 2022, None), ("Amor prohibido", 2021, None)):
            catalogue.save_title(session, TitleDraft(name, original_language="es", country_of_origin="MX",
                                                     production_year=year, producer_id=producer), user="li")


def names(page):
    model, column = page.titles.model, 1
    return [model.index(row, column).data() for row in range(model.rowCount())]


def click_header(qtbot, page, column):
    header = page.titles.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_a_click_on_the_name_header_sorts_temporada_2_before_temporada_10(qtbot, database, shown):
    titles(database)
    page = CataloguePage(database)
    qtbot.addWidget(page)
    shown(page)
    assert names(page) == ["Amor prohibido", "temporada 1", "Temporada 2", "Temporada 10"]
    click_header(qtbot, page, 1)  # descending
    assert names(page) == ["Temporada 10", "Temporada 2", "temporada 1", "Amor prohibido"]


def test_the_filter_finds_a_title_by_what_its_columns_show(qtbot, database, shown):
    titles(database)
    page = CataloguePage(database)
    qtbot.addWidget(page)
    shown(page)
    for typed, found in (("Lumen", ["Temporada 10"]), ("2023", ["Temporada 2"]), ("mx temporada", None),
                         ("lumen 2023", [])):
        page.titles.filter_box.clear()
        qtbot.keyClicks(page.titles.filter_box, typed)
        qtbot.keyClick(page.titles.filter_box, Qt.Key.Key_Return)
        assert names(page) == (found if found is not None else ["temporada 1", "Temporada 2", "Temporada 10"]), typed
        if found == ["Temporada 10"]:
            assert page.titles.count_label.text() == "1 title"  # not "1 titles"


def test_the_natural_order_holds_when_the_model_is_tested(qtmodeltester, database):
    titles(database)
    model = TitleTableModel(database)
    model.sort(2, Qt.SortOrder.DescendingOrder)  # English name: none, the tie-break by ID holds
    model.sort(1)
    assert [model.index(r, 1).data() for r in range(4)][1:] == ["temporada 1", "Temporada 2", "Temporada 10"]
    qtmodeltester.check(model, force_py=True)


def test_a_title_of_one_episode_says_1_episode(qtbot, database):
    from rightsdesk.domain.catalogue import EpisodeDraft
    from rightsdesk.ui.catalogue.title_editor import TitleEditor

    with database.transaction() as session:
        title = catalogue.save_title(session, TitleDraft("Solo", episodes=[EpisodeDraft(1, "", 90)]), user="li")
    editor = TitleEditor(database, title)
    qtbot.addWidget(editor)
    assert editor.episode_summary.text() == "1 episode, 1:30"  # the runtime as the list writes it
    page = CataloguePage(database)
    qtbot.addWidget(page)
    page._show_episodes(title)
    assert "<br>1 episode, " in page.episode_heading.text()


def test_a_title_saved_elsewhere_shows_in_the_list_and_its_episodes(qtbot, database, shown):
    titles(database)
    page = CataloguePage(database)
    qtbot.addWidget(page)
    shown(page)
    with database.read() as session:
        amor = catalogue.find_title_ids(session, ListQuery(text="Amor"))[0]
        draft = catalogue.load_title(session, amor)
    page.titles.select_id(amor)
    draft.original_name = "Amor prohibido II"
    draft.episodes = [EpisodeDraft(1, "Uno", 90), EpisodeDraft(2, "Dos", 95)]
    run(database, catalogue.save_title, draft, user="ben")  # as another screen would save it

    assert "Amor prohibido II" in names(page)
    assert page.episodes.rowCount() == 2 and "2 episodes" in page.episode_heading.text()


def test_the_episodes_beside_the_list_show_number_name_and_runtime_at_1280_by_720(qtbot, database, shown):
    # The walkthrough at 1280 × 720 (issue 18): the episode panel had room for "Epi…" and no runtime.
    with database.transaction() as session:
        title = catalogue.save_title(session, TitleDraft("Solo", episodes=[EpisodeDraft(1, "Episode 1", 90)]), user="li")
    page = CataloguePage(database)
    qtbot.addWidget(page)
    page.resize(1090, 640)  # the catalogue's room in a maximized window, beside the navigation
    shown(page)
    page.titles.select_id(title)
    view, header = page.episode_view, page.episode_view.horizontalHeader()
    qtbot.waitUntil(lambda: page.episodes.rowCount() == 1)
    metrics = view.fontMetrics()
    for column, text in enumerate(("1", "Episode 1", "1:30")):
        assert view.model().index(0, column).data() == text
        assert header.sectionSize(column) > metrics.horizontalAdvance(text), text
    last = header.sectionViewportPosition(2) + header.sectionSize(2)
    assert last <= view.viewport().width()  # the runtime in view, not past the panel's edge


def test_the_title_editors_localized_names_show_the_language_header_in_full(qtbot, database):
    from rightsdesk.ui.catalogue.title_editor import TitleEditor

    editor = TitleEditor(database, None)
    qtbot.addWidget(editor)
    editor.show()
    header = editor.localized.horizontalHeader()
    assert header.sectionSize(0) > header.fontMetrics().horizontalAdvance("Language (BCP 47)")
