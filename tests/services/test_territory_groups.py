"""Territory groups through the service (issue 19): groups inside groups expand everywhere a
grant is read; a cycle is refused; a change says first which grants cover other countries
because of it; a group in use cannot be deleted; two desks editing one group; the CLDR regions
learnt at start."""

from datetime import date

import pytest

from rightsdesk.domain.errors import Conflict, UserError, ValidationError
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft, HoldbackDraft
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.domain.territory_groups import GroupDraft
from rightsdesk.services import audit, reference, territory_groups
from tests.services.test_deals import IN, USER, ask, catalogue_, save  # noqa: F401 (fixture)
from rightsdesk.domain.enums import DealStatus


def make(database, code, countries=(), subgroups=(), name=None):
    with database.transaction() as session:
        return territory_groups.save_group(session, GroupDraft(code, name or code.title(), set(countries), set(subgroups)),
                                           user=USER)


def load(database, group_id):
    with database.read() as session:
        return territory_groups.load_group(session, group_id)


def groups(database):
    with database.read() as session:
        return reference.territory_groups(session)


def test_the_cldr_regions_are_learnt_as_groups_inside_groups(database):
    found = groups(database)
    assert found["EUROPE"] == found["NORTHERN_EUROPE"] | found["WESTERN_EUROPE"] | found["EASTERN_EUROPE"] | found["SOUTHERN_EUROPE"]
    assert {"GB", "FR", "XK", "UA"} <= found["EUROPE"] and "TR" not in found["EUROPE"]
    assert found["SOUTHEAST_ASIA"] == found["SEA"]
    assert {"MX", "BR", "JM"} <= found["LATIN_AMERICA"] and "US" not in found["LATIN_AMERICA"]
    assert {"AU", "NZ", "FJ", "AQ"} <= found["OCEANIA"]
    assert found["NORTH_AMERICA"] == {"US", "CA"}  # the seed's meaning is kept
    every = found["AFRICA"] | found["AMERICAS"] | found["ASIA"] | found["EUROPE"] | found["OCEANIA"]
    assert every == found["WORLD"]


def test_a_group_of_groups_covers_what_they_cover_now(database):
    nordic_plus = make(database, "NORDIC_PLUS", {"EE"}, {"NORDICS"})
    emea = make(database, "EMEA_SALES", {"ZA"}, {"EUROPE", "MENA", "NORDIC_PLUS"})
    found = groups(database)
    assert found["EMEA_SALES"] == found["EUROPE"] | found["MENA"] | found["NORDICS"] | {"ZA", "EE"}
    assert found["NORDIC_PLUS"] == found["NORDICS"] | {"EE"}
    draft = load(database, nordic_plus)
    draft.countries = {"EE", "ZW"}  # a subgroup's change reaches the group holding it
    with database.transaction() as session:
        territory_groups.save_group(session, draft, user=USER)
    assert "ZW" in groups(database)["EMEA_SALES"]
    assert load(database, emea).subgroups == {"EUROPE", "MENA", "NORDIC_PLUS"}


def test_a_group_that_would_end_up_inside_itself_is_refused(database):
    make(database, "INNER", {"FR"})
    make(database, "OUTER", {"DE"}, {"INNER"})
    with database.read() as session:
        ids = {r.code: r.id for r in territory_groups.group_rows(session)}
    draft = load(database, ids["INNER"])
    draft.subgroups = {"OUTER"}
    with pytest.raises(ValidationError, match="INNER contains OUTER contains INNER"), database.transaction() as session:
        territory_groups.save_group(session, draft, user=USER)
    with pytest.raises(ValidationError, match="cannot contain itself"), database.transaction() as session:
        territory_groups.save_group(session, GroupDraft("SELFISH", "Selfish", {"FR"}, {"SELFISH"}), user=USER)
    assert groups(database)["INNER"] == {"FR"}


def test_codes_that_would_read_two_ways_are_refused(database):
    for code, reason in (("FR", "country's code"), ("UK", "country's code"), ("EXCLUDING", "not a group code"),
                         ("-EU", "not a group code"), ("EU", "another group has the code")):
        with pytest.raises(ValidationError, match=reason), database.transaction() as session:
            territory_groups.save_group(session, GroupDraft(code, "x", {"FR"}), user=USER)
    with pytest.raises(ValidationError, match="ZZ is not a country code"), database.transaction() as session:
        territory_groups.save_group(session, GroupDraft("MINE", "Mine", {"FR", "ZZ"}), user=USER)


def test_a_change_says_first_which_grants_cover_other_countries(database, catalogue_):
    group_id = make(database, "CORE_EU", {"FR", "DE", "IT"})
    with database.read() as session:
        groups_now = reference.territory_groups(session)
    territories = TerritoryScope.parse("CORE_EU excluding IT", groups_now)
    deal_id = save(database, DealDraft(IN, catalogue_["producer"], "IN-2025-0007", date(2024, 12, 1), DealStatus.SIGNED,
                                       grants=[GrantDraft(titles=[GrantTitleDraft(catalogue_["bride"])],
                                                          territories=TerritoryScope.parse("SEA", groups_now), media=["APP"]),
                                               GrantDraft(titles=[GrantTitleDraft(catalogue_["bride"])],
                                                          territories=territories, media=["APP"], holdbacks=[
                                                              HoldbackDraft(["FAST"], TerritoryScope.parse("CORE_EU", groups_now),
                                                                            ends_on=date(2026, 6, 30))])])).deal_id
    draft = load(database, group_id)
    draft.code, draft.countries = "CORE_EUROPE", {"FR", "IT", "ES"}
    with database.read() as session:
        preview = territory_groups.coverage_preview(session, draft)
    assert [(p.label, p.deal_id, p.gained, p.lost) for p in preview] == [
        ("IN-2025-0007 grant 2", deal_id, ("ES",), ("DE",)),
        ("holdback of IN-2025-0007 grant 2", deal_id, ("ES",), ("DE",))]
    assert preview[0].describe() == "IN-2025-0007 grant 2: gains ES and loses DE"
    bride = catalogue_["bride"]

    def available(country):
        return ask(database, titles=(bride,), territories=country).result.cell(bride, country, "APP").available

    assert (available("DE"), available("ES")) == (True, False)
    with database.transaction() as session:
        territory_groups.save_group(session, draft, user=USER)
    assert (available("DE"), available("ES")) == (False, True)  # avails read the group as it is now
    with database.read() as session:
        assert territory_groups.coverage_preview(session, load(database, group_id)) == []
        entry = audit.last_change(session, "territory group", group_id)
    assert (entry.before["code"], entry.after["code"]) == ("CORE_EU", "CORE_EUROPE")
    assert entry.after["countries"] == ["ES", "FR", "IT"]


def test_a_group_in_use_cannot_be_deleted(database, catalogue_):
    used = make(database, "USED", {"FR"})
    make(database, "HOLDER", {"DE"}, {"USED"})
    free = make(database, "FREE", {"FR"})
    with pytest.raises(UserError, match="USED is in use and cannot be deleted: group HOLDER"), \
            database.transaction() as session:
        territory_groups.delete_group(session, used, user=USER)
    with database.read() as session:
        eu = next(r.id for r in territory_groups.group_rows(session, "eu") if r.code == "EU")
    with pytest.raises(UserError, match="standard group"), database.transaction() as session:
        territory_groups.delete_group(session, eu, user=USER)
    with database.transaction() as session:
        territory_groups.delete_group(session, free, user=USER)
    with database.read() as session:
        rows = {r.code: r for r in territory_groups.group_rows(session)}
    assert "FREE" not in rows and rows["HOLDER"].subgroups == ("USED",) and rows["USED"].inside == ("HOLDER",)
    assert rows["HOLDER"].countries == 2


def test_a_grant_naming_a_group_blocks_its_deletion(database, catalogue_):
    used = make(database, "PITCH", {"FR", "DE"})
    with database.read() as session:
        scope = TerritoryScope.parse("PITCH", reference.territory_groups(session))
    save(database, DealDraft(IN, catalogue_["producer"], "IN-2025-0009", date(2024, 12, 1), DealStatus.SIGNED,
                             grants=[GrantDraft(titles=[GrantTitleDraft(catalogue_["bride"])], territories=scope,
                                                media=["APP"])]))
    with pytest.raises(UserError, match="IN-2025-0009 grant 1"), database.transaction() as session:
        territory_groups.delete_group(session, used, user=USER)
    with database.read() as session:
        assert next(r for r in territory_groups.group_rows(session, "PITCH")).used_by == 1


def test_the_second_desk_saving_a_group_is_refused(database):
    group_id = make(database, "RACE", {"FR"})
    first, second = load(database, group_id), load(database, group_id)
    first.countries = {"FR", "DE"}  # only countries change: the version moves all the same
    with database.transaction() as session:
        territory_groups.save_group(session, first, user=USER)
    second.name = "Race to save"
    with pytest.raises(Conflict, match="changed by ana"), database.transaction() as session:
        territory_groups.save_group(session, second, user="ben")
    assert load(database, group_id).countries == {"FR", "DE"}


def test_renaming_a_group_held_by_another_moves_no_right(database, catalogue_):
    inner = make(database, "INNER_EU", {"FR", "DE"})
    make(database, "OUTER_EU", {"IT"}, {"INNER_EU"})
    with database.read() as session:
        scope = TerritoryScope.parse("OUTER_EU", reference.territory_groups(session))
    save(database, DealDraft(IN, catalogue_["producer"], "IN-2025-0011", date(2024, 12, 1), DealStatus.SIGNED,
                             grants=[GrantDraft(titles=[GrantTitleDraft(catalogue_["bride"])], territories=scope,
                                                media=["APP"])]))
    draft = load(database, inner)
    draft.code = "CORE_EU"
    with database.read() as session:
        assert territory_groups.coverage_preview(session, draft) == []  # OUTER_EU still holds it, by its new code
    draft.countries = {"FR"}
    with database.read() as session:
        assert [p.describe() for p in territory_groups.coverage_preview(session, draft)] == ["IN-2025-0011 grant 1: loses DE"]
    with database.transaction() as session:
        territory_groups.save_group(session, draft, user=USER)
    assert groups(database)["OUTER_EU"] == {"IT", "FR"}
