import pytest

from rightsdesk.domain.enums import PartyKind
from rightsdesk.domain.errors import Conflict, ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.services import parties
from rightsdesk.services.listing import ListQuery


def save(database, draft, user="maria"):
    with database.transaction() as session:
        return parties.save_party(session, draft, user=user)


def test_a_party_is_saved_and_listed(database):
    party_id = save(database, PartyDraft(name="ReelShort Asia", kind=PartyKind.PLATFORM,
                                         tax_residence="sg", currency="usd", email="rights@reel.example"))
    with database.read() as session:
        loaded = parties.load_party(session, party_id)
        assert parties.find_party_ids(session, ListQuery("reel")) == [party_id]
        assert parties.find_party_ids(session, kind=PartyKind.PRODUCER) == []
        row = parties.party_rows(session, [party_id])[party_id]
    assert (loaded.tax_residence, loaded.currency) == ("SG", "USD")
    assert row.country_name == "Singapore"


def test_bad_party_input_is_refused_with_every_problem(database):
    with pytest.raises(ValidationError) as refused:
        save(database, PartyDraft(name=" ", tax_residence="QQ", currency="ABC", email="not-an-email"))
    assert {p.where for p in refused.value.problems} == {"name", "tax_residence", "currency", "email"}


def test_a_stale_party_edit_is_refused(database):
    party_id = save(database, PartyDraft(name="DramaPop", kind=PartyKind.PLATFORM))
    with database.read() as session:
        first = parties.load_party(session, party_id)
        second = parties.load_party(session, party_id)
    first.phone = "+1 555 0100"
    save(database, first, user="li")
    second.phone = "+1 555 0199"
    with pytest.raises(Conflict, match="li"):
        save(database, second)
