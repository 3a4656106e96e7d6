"""The avails title box (issue 18): IDs separated by spaces or commas, or words of names."""

from sqlalchemy import select

from rightsdesk.persistence.models import Title
from rightsdesk.services.avails import titles_typed


def test_ids_by_spaces_or_commas_and_names_by_words(database, worked):
    bride, heiress = worked["titles"]
    with database.read() as session:
        ids = dict(session.execute(select(Title.id, Title.internal_id)).all())
        assert titles_typed(session, f"{ids[bride]} {ids[heiress]}") == [bride, heiress]
        assert titles_typed(session, f"{ids[heiress]},{ids[bride]}") == [heiress, bride]
        assert titles_typed(session, f"{ids[heiress]}, {ids[bride]}  {ids[heiress]}") == [heiress, bride]
        assert titles_typed(session, "heir") == [heiress]  # words of a name
        assert titles_typed(session, f"bride, {ids[heiress]}") == [bride, heiress]
        assert titles_typed(session, f"{ids[bride]} nobody") == []  # not all IDs: searched as a name


def test_a_name_typed_in_full_is_that_title_before_others_its_words_find(database):
    from rightsdesk.domain.catalogue import TitleDraft
    from rightsdesk.services import catalogue
    from rightsdesk.services.avails import titles_matching

    with database.transaction() as session:
        five = catalogue.save_title(session, TitleDraft("Temporada 5", internal_id="T003151"), user="li")
        fifteen = catalogue.save_title(session, TitleDraft("Temporada 15", internal_id="T000200"), user="li")
    with database.read() as session:
        # "15" is in T003151 too, and Temporada 5 sorts first as people read numbers
        assert titles_matching(session, "temporada 15") == [fifteen, five]
        assert titles_matching(session, "Temporada") == [five, fifteen]


def test_more_titles_typed_than_a_grid_shows_are_refused_and_a_library_needs_none(database, worked):
    from datetime import date

    import pytest

    from rightsdesk.domain.errors import ValidationError
    from rightsdesk.services.avails import AvailsRequest, ask_typed

    bride, heiress = worked["titles"]
    request = AvailsRequest("TH", date(2026, 1, 1), date(2026, 12, 31), media=("APP",))
    with database.read() as session:
        ids = dict(session.execute(select(Title.id, Title.internal_id)).all())
        typed = f"{ids[bride]} {ids[heiress]}"
        assert ask_typed(session, request, typed).result.query.titles == (bride, heiress)
        with pytest.raises(ValidationError) as refused:
            ask_typed(session, request, typed, most=1)
        assert "2 titles match; narrow the search (at most 1) or choose a library" in str(refused.value)
