"""The readiness matrix as the Localization screen asks for it: narrowed by filters a user
typed, a deal or a country that does not exist refused in words."""

from datetime import date

import pytest

from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus
from rightsdesk.domain.errors import ValidationError
from rightsdesk.services import licensing, localization


def test_the_matrix_narrowed_by_a_deal_words_and_languages_and_filters_that_name_nothing(database, worked):
    bride, heiress = worked["titles"]
    with database.transaction() as session:
        localization.create_tasks(session, bride, ["th", "vi"], [LocalizationKind.SUBTITLES], per_episode=False, user="ana")
        localization.create_tasks(session, heiress, ["th"], [LocalizationKind.DUB], per_episode=False, user="ana")
    with database.read() as session:
        every = licensing.readiness_narrowed(session, deal="IN-1", today=date(2026, 11, 25))
        assert {t for t, _ in every.titles} == {bride, heiress} and set(every.languages) == {"th", "vi"}
        thai_bride = licensing.readiness_narrowed(session, text="Bride", languages=["th"])
        assert [t for t, _ in thai_bride.titles] == [bride] and list(thai_bride.languages) == ["th"]
        assert thai_bride.status(bride, "th") is LocalizationStatus.NOT_STARTED
        with pytest.raises(ValidationError) as no_deal:
            licensing.readiness_narrowed(session, deal=" NOPE ")
        assert [p.message for p in no_deal.value.problems] == ["There is no deal 'NOPE'."]
        with pytest.raises(ValidationError) as no_country:
            licensing.readiness_narrowed(session, territory="zz")
        assert [p.message for p in no_country.value.problems] == ["'ZZ' is not a country code."]


def test_the_matrix_lists_temporada_2_before_temporada_10(database):
    # The walkthrough (issue 18): the matrix listed "… Temporada 10" to "18" before "Temporada 2".
    from rightsdesk.domain.catalogue import TitleDraft
    from rightsdesk.services import catalogue

    with database.transaction() as session:
        ids = [catalogue.save_title(session, TitleDraft(name), user="ana")
               for name in ("Promessa Temporada 10", "promessa Temporada 2", "Promessa")]
        for title_id in ids:
            localization.create_tasks(session, title_id, ["th"], [LocalizationKind.SUBTITLES], per_episode=False,
                                      user="ana")
    with database.read() as session:
        matrix = licensing.readiness_matrix(session)
    assert [name for _, name in matrix.titles] == ["Promessa", "promessa Temporada 2", "Promessa Temporada 10"]
