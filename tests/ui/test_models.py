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
