"""Media through the service (issue 19): a sales house adds inflight beside Hotels, renames and
retires media; a code is kept as entered, unique whatever its case, and never changes once used;
the EMA offer writes each medium's licence type from the media table."""

from datetime import date

import pytest

from rightsdesk.domain.errors import Conflict, ValidationError
from rightsdesk.services import avails, ema, reference
from rightsdesk.services import media as media_service
from rightsdesk.services.media import MediaDraft
from tests.services.test_deals import USER, acquire, catalogue_  # noqa: F401 (fixture)


def add(database, code, name, **values):
    with database.transaction() as session:
        return media_service.save_media(session, MediaDraft(code, name, **values), user=USER)


def load(database, code):
    with database.read() as session:
        return media_service.load_media(session, code)


def save(database, draft):
    with database.transaction() as session:
        return media_service.save_media(session, draft, user=USER)


def test_media_are_kept_as_entered_unique_whatever_the_case_and_retired_from_the_pickers(database):
    assert add(database, " inflight ", "Inflight entertainment") == "inflight"
    add(database, "Hotels", "Hotels")
    with pytest.raises(ValidationError, match=r"inflight is already a medium \(codes must differ by more than case\)"):
        add(database, "INFLIGHT", "Again")
    with pytest.raises(ValidationError, match="inflight is already a medium"):
        add(database, "InFlight", "Again")
    with pytest.raises(ValidationError, match="APP is already a medium"):
        add(database, "app", "The standard one again")
    with pytest.raises(ValidationError, match="not a media code"):
        add(database, "IN FLIGHT", "Spaces")
    with database.read() as session:
        assert reference.media_codes(session)[-2:] == ["inflight", "Hotels"]
        assert "APP" in reference.media_codes(session)  # the standard media keep their codes
        known = reference.known_media(session)
        assert [known.stored(typed) for typed in ("INFLIGHT", " Inflight", "hotels", "svod", "boat")] == [
            "inflight", "inflight", "Hotels", "SVOD", None]
    with database.transaction() as session:
        media_service.retire(session, "Hotels", user=USER)
    with database.read() as session:
        assert "Hotels" not in reference.media_codes(session, retired=False)
        assert "Hotels" in reference.media_codes(session)  # still known: what names it stays valid
        row = next(r for r in media_service.media_rows(session, "hotel"))
        assert (row.code, row.active, row.used) == ("Hotels", False, False)
        assert "Hotels" not in [r.code for r in media_service.media_rows(session, retired=False)]
    with database.transaction() as session:
        media_service.retire(session, "Hotels", user=USER, active=True)
    with database.read() as session:
        assert "Hotels" in reference.media_codes(session, retired=False)


def test_an_unused_code_can_change_its_case_only(database):
    add(database, "INFLIGHT", "Inflight")
    draft = load(database, "INFLIGHT")
    draft.code = "inflight"
    assert save(database, draft) == "inflight"
    with database.read() as session:
        assert "INFLIGHT" not in reference.media_codes(session)


def test_a_code_in_use_never_changes_but_the_medium_can_be_renamed(database, catalogue_):
    add(database, "INFLIHGT", "Inflight")
    draft = load(database, "INFLIHGT")
    draft.code = "INFLIGHT"  # a typo corrected while nothing uses it
    save(database, draft)
    acquire(database, catalogue_, media=["APP", "INFLIGHT"])
    draft = load(database, "INFLIGHT")
    draft.code = "AIRLINES"
    with pytest.raises(ValidationError, match="INFLIGHT is used by 1 grant: its code cannot change"):
        save(database, draft)
    draft = load(database, "INFLIGHT")
    draft.name = "Airlines and cruise ships"
    save(database, draft)
    with database.read() as session:
        row = next(r for r in media_service.media_rows(session, "INFLIGHT"))
    assert (row.name, row.used) == ("Airlines and cruise ships", True)


def test_the_second_desk_saving_a_medium_is_refused(database):
    add(database, "HOTELS", "Hotels")
    first, second = load(database, "HOTELS"), load(database, "HOTELS")
    first.name = "Hotel rooms"
    save(database, first)
    second.ema_license_type = "VOD"
    with pytest.raises(Conflict, match="changed by ana"):
        save(database, second)
    assert load(database, "HOTELS").ema_license_type == ""


def test_the_ema_offer_writes_the_licence_type_the_media_table_gives(database, catalogue_):
    add(database, "INFLIGHT", "Inflight")
    acquire(database, catalogue_, media=["APP", "INFLIGHT", "SVOD"])

    def license_types():
        with database.read() as session:
            answer = avails.ask(session, avails.AvailsRequest(
                territories="TH", start=date(2027, 1, 1), end=date(2027, 12, 31), titles=(catalogue_["bride"],),
                media=("APP", "INFLIGHT", "SVOD")))
            return {r["RetailerSpare1"]: r["LicenseType"] for r in ema.offer_rows(session, answer, licensee="Vidio")}

    assert license_types() == {"APP": "VOD", "INFLIGHT": "VOD", "SVOD": "SVOD"}  # empty: the standard mapping
    for code, chosen in (("INFLIGHT", "est"), ("APP", "SVOD")):
        draft = load(database, code)
        draft.ema_license_type = chosen
        save(database, draft)
    assert license_types() == {"APP": "SVOD", "INFLIGHT": "EST", "SVOD": "SVOD"}
    draft = load(database, "INFLIGHT")
    draft.ema_license_type = "HOLOGRAM"
    with pytest.raises(ValidationError, match="'HOLOGRAM' is not an EMA Avails licence type"):
        save(database, draft)
