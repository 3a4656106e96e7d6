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


def test_bank_details_minimum_payout_and_statement_contacts_are_kept(database):
    from decimal import Decimal

    from rightsdesk.domain.parties import ContactDraft

    draft = PartyDraft("Golden Reel", iban="de89 3704 0044 0532 0130 00", bic="COBADEFFXXX", account_holder="Golden Reel Ltd",
                       minimum_payout=Decimal("100.00"), statement_workbook=True,
                       contacts=[ContactDraft("Mei", "Accounts", "mei@golden.example", receives_statements=True),
                                 ContactDraft("Li", "CEO", "li@golden.example")])
    with database.transaction() as session:
        party_id = parties.save_party(session, draft, user="ana")
    with database.read() as session:
        loaded = parties.load_party(session, party_id)
    assert (loaded.iban, loaded.minimum_payout, loaded.statement_workbook) == ("DE89370400440532013000", Decimal("100.00"), True)
    assert [(c.name, c.receives_statements) for c in loaded.contacts] == [("Mei", True), ("Li", False)]
    loaded.contacts[1].receives_statements = True
    with database.transaction() as session:
        parties.save_party(session, loaded, user="ana")
    with database.read() as session:
        assert [c.receives_statements for c in parties.load_party(session, party_id).contacts] == [True, True]


def test_wrong_bank_details_and_a_statement_contact_without_email_are_refused(database):
    from rightsdesk.domain.parties import ContactDraft

    draft = PartyDraft("Golden Reel", iban="DE89370400440532013001", contacts=[ContactDraft("Mei", receives_statements=True)])
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        parties.save_party(session, draft, user="ana")
    assert [p.where for p in refused.value.problems] == ["IBAN", "contact 1 (Mei)"]
    assert "receives statements but has no e-mail address" in str(refused.value)


def test_the_party_list_shows_where_each_is_paid_masked_and_sorts_by_it(database):
    with database.transaction() as session:
        paid = parties.save_party(session, PartyDraft("Golden Reel", iban="DE89370400440532013000"), user="ana")
        unpaid = parties.save_party(session, PartyDraft("Jade Pictures"), user="ana")
        ids = parties.find_party_ids(session, ListQuery(sort="account"))
        rows = parties.party_rows(session, ids)
    assert (rows[paid].account, rows[unpaid].account) == ("IBAN DE•••• 3000", "")
    assert ids == [unpaid, paid]
