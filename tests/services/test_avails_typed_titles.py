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
