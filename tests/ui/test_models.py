import importlib
import pkgutil
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel
from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.services import catalogue
from rightsdesk.ui.catalogue.episodes import EpisodeTableModel
from rightsdesk.ui.catalogue.page import TitleTableModel
from rightsdesk.ui.parties.page import PartyTableModel


def test_title_model_passes_the_model_tester(qtmodeltester, demo_database):
    model = TitleTableModel(demo_database)
    model.reload()
    assert model.rowCount() == 60
    qtmodeltester.check(model, force_py=True)


def test_title_model_sorts_and_filters_in_the_database(demo_database):
    model = TitleTableModel(demo_database)
    name = [c.key for c in model.columns].index("original_name")
    model.sort(name)
    first = model.index(0, name).data()
    model.set_filter_text(first)
    assert model.rowCount() >= 1
    assert all(first in model.index(r, name).data() for r in range(model.rowCount()))
    model.set_filter_text("no title is called this")
    assert model.rowCount() == 0


def test_title_model_shows_an_empty_cell_for_a_row_deleted_meanwhile(database):
    with database.transaction() as session:
        for name in ("Amor prohibido", "Zafiro"):
            catalogue.save_title(session, TitleDraft(original_name=name), user="li")
    model = TitleTableModel(database)
    model.reload()
    with database.transaction() as session:
        catalogue.delete_title(session, model.id_at(0), user="li")
    assert model.index(0, 1).data() is None  # no exception from data()
    assert model.index(1, 1).data() in ("Amor prohibido", "Zafiro")


def test_party_model_passes_the_model_tester(qtmodeltester, demo_database):
    model = PartyTableModel(demo_database)
    model.reload()
    assert model.rowCount() > 10
    qtmodeltester.check(model, force_py=True)


def test_episode_models_pass_the_model_tester(qtmodeltester):
    episodes = [EpisodeDraft(n, f"Episode {n}", 60 + n) for n in range(1, 6)]
    qtmodeltester.check(EpisodeTableModel(episodes), force_py=True)
    editable = EpisodeTableModel(episodes, editable=True)
    qtmodeltester.check(editable, force_py=True)


def test_episode_runtime_is_edited_as_minutes_and_seconds(qapp):
    model = EpisodeTableModel([EpisodeDraft(1, "", 90)], editable=True)
    refused = []
    model.edit_refused.connect(refused.append)
    assert model.index(0, 2).data() == "1:30"
    assert model.setData(model.index(0, 2), "2:05")
    assert model.episodes[0].runtime_seconds == 125
    assert not model.setData(model.index(0, 2), "soon")
    assert refused and model.episodes[0].runtime_seconds == 125


# -- every item model of the screens, through pytest-qt's model tester ---------------------------

def _every_model_class() -> set[type[QAbstractItemModel]]:
    """Every item model defined in rightsdesk/ui, found by importing every module there: a model
    added later is found too, and the test below fails until it is checked."""
    import rightsdesk.ui

    for module in pkgutil.walk_packages(rightsdesk.ui.__path__, "rightsdesk.ui."):
        importlib.import_module(module.name)
    found: set[type[QAbstractItemModel]] = set()
    stack: list[type] = [QAbstractItemModel]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.startswith("rightsdesk.ui."):
                found.add(subclass)
    return found


def _filled_models(qtbot, database) -> list[QAbstractItemModel]:
    """One of each model, filled as its screen fills it, from the demo catalogue (60 series,
    deals, libraries, cue sheets, localization, three quarters of revenue) and a statement run."""
    from rightsdesk.persistence.models import Cue
    from rightsdesk.services import avails, issuing, media, statements, territory_groups
    from rightsdesk.services import licensing as licensing_service
    from rightsdesk.services.statement_revenue import reconcile
    from rightsdesk.ui.avails.page import AvailsGridModel
    from rightsdesk.ui.deals.page import DealTableModel
    from rightsdesk.ui.libraries.library_editor import LibraryEditor
    from rightsdesk.ui.libraries.page import LibraryTableModel
    from rightsdesk.ui.localization.page import MatrixModel, TaskTableModel
    from rightsdesk.ui.music.cue_sheet_editor import CueSheetEditor
    from rightsdesk.ui.music.page import TrackTableModel
    from rightsdesk.ui.reference.media import MediaTableModel
    from rightsdesk.ui.revenue.page import RevenuePage
    from rightsdesk.ui.revenue.unstated import UnstatedModel
    from rightsdesk.ui.statements.delivery import SendStatementsDialog
    from rightsdesk.ui.statements.page import StatementsPage
    from rightsdesk.ui.territory_picker import TerritoryTreeModel

    listed = [kind(database) for kind in (TitleTableModel, PartyTableModel, DealTableModel, LibraryTableModel,
                                           TrackTableModel, TaskTableModel)]
    for model in listed:
        model.reload()
    title_ids = [listed[0].id_at(row) for row in range(8)]
    with database.read() as session:
        answer = avails.ask(session, avails.AvailsRequest("SEA", date(2026, 1, 1), date(2026, 12, 31),
                                                          titles=tuple(title_ids), media=("APP", "AVOD")))
        matrix = licensing_service.readiness_matrix(session, title_ids=title_ids)
        tree = territory_groups.picker_tree(session)
        media_rows = media.media_rows(session)
        unstated = reconcile(session).lines
        episode_with_cues = session.scalar(select(Cue.episode_id).limit(1))
    grid = AvailsGridModel()
    grid.show(answer, "APP")
    readiness = MatrixModel()
    readiness.set_matrix(matrix)
    media_model = MediaTableModel()
    media_model.set_rows(media_rows)
    unstated_model = UnstatedModel()
    unstated_model.set_lines(unstated)

    library_editor = LibraryEditor(database, listed[3].id_at(0))
    cue_sheet = CueSheetEditor(database)
    cue_sheet.load(episode_with_cues)
    with database.transaction() as session:
        drafted = statements.run(session, "2026-Q1", user="ana").statements
    issuing.issue_statements(database, drafted[: len(drafted) // 2], user="ana")  # some to send, some drafts
    statements_page = StatementsPage(database)
    statements_page.wait_for_list()  # (read off the UI thread)
    sending = SendStatementsDialog(database, "2026-Q1")
    revenue_page = RevenuePage(database)  # (unmatched lines and exchange rates, read off the UI thread)
    for widget in (library_editor, cue_sheet, statements_page, sending, revenue_page):
        qtbot.addWidget(widget)
    revenue_page.show()
    qtbot.waitUntil(lambda: not revenue_page.reading() and not revenue_page.acting(), timeout=20000)
    return [*listed, grid, readiness, media_model, unstated_model, TerritoryTreeModel(tree),
            EpisodeTableModel([EpisodeDraft(n, f"Episodio {n}", 60 + n) for n in range(1, 81)], editable=True),
            library_editor.stays, cue_sheet.model, statements_page.model, sending.model,
            revenue_page.unmatched_model, revenue_page.rates_model,
            *statements_page.findChildren(QSortFilterProxyModel)]  # (the list's filter)


def test_every_item_model_passes_the_model_tester_with_realistic_rows(qtbot, qtmodeltester, demo_database):
    checked: set[type] = set()
    for model in _filled_models(qtbot, demo_database):
        assert model.rowCount() > 0, f"{type(model).__name__} has no rows to check"
        qtmodeltester.check(model, force_py=True)
        checked.update(type(model).__mro__)
    unchecked = sorted(kind.__qualname__ for kind in _every_model_class() - checked)
    assert not unchecked, f"models never put through the model tester here: {', '.join(unchecked)}"


def test_the_statement_list_formats_each_amount_once_however_often_it_is_painted(qapp, monkeypatch):
    from decimal import Decimal

    from rightsdesk.domain.enums import StatementStatus
    from rightsdesk.services.statement_screen import StatementRow
    from rightsdesk.ui.statements import statement_list

    formatted = []
    real = statement_list.money
    monkeypatch.setattr(statement_list, "money", lambda amount, currency: formatted.append(amount) or real(amount, currency))
    model = statement_list.StatementListModel()
    row = StatementRow(1, "", "2026-Q3", "IN-1", "Golden Reel", "USD", Decimal("1250.5"), Decimal("1000"),
                       Decimal("250"), Decimal("250"), StatementStatus.DRAFT)
    model.set_rows([row])
    first = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    model.set_rows([row])  # read again: the same figures
    again = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert first == again and first[5] == "$1,250.50"
    assert sorted(formatted) == [Decimal("250"), Decimal("1000"), Decimal("1250.5")]  # 250 twice in the row, made once


def test_the_statement_filter_lists_the_rows_it_shows_as_qt_maps_them(qapp):
    from decimal import Decimal

    from rightsdesk.domain.enums import StatementStatus
    from rightsdesk.services.statement_screen import StatementRow
    from rightsdesk.ui.statements.statement_list import StatementFilter, StatementListModel

    model = StatementListModel()
    model.set_rows([StatementRow(n, "", period, deal, "Golden Reel", "USD", Decimal(1), Decimal(1), Decimal(1),
                                 Decimal(1), StatementStatus.DRAFT)
                    for n, (period, deal) in enumerate([("2026-Q3", "IN-1"), ("2026-Q2", "IN-2"), ("2026-Q3", "IN-3")])])
    shown = StatementFilter()
    shown.setSourceModel(model)

    def mapped():
        return [shown.mapToSource(shown.index(row, 0)).row() for row in range(shown.rowCount())]

    assert shown.shown_rows() == mapped() == [0, 1, 2]
    shown.set_text("q3")
    assert shown.shown_rows() == mapped() == [0, 2]
