"""Groups inside groups, the CLDR regions, and the short form the tree picker writes."""

import itertools
import random

from rightsdesk.domain.reference import countries
from rightsdesk.domain.regions import CONTINENTS, CONTAINMENT, regions
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.domain.territory_groups import (Definition, GroupDraft, coverage_changes, cycle, definition_of, expand,
                                                group_problems, short_form)

KNOWN = frozenset(c.code for c in countries())


def d(countries="", subgroups=""):
    return Definition(frozenset(countries.split()), frozenset(subgroups.split()))


def test_a_group_covers_its_subgroups_however_deep():
    found = expand({"EU": d("FR DE"), "NORDICS": d("NO SE"), "EUROPE": d("CH", "EU NORDICS"), "EMEA": d("ZA", "EUROPE")})
    assert found["EMEA"] == {"ZA", "CH", "FR", "DE", "NO", "SE"}
    assert found["EUROPE"] == {"CH", "FR", "DE", "NO", "SE"}


def test_a_cycle_is_found_and_never_recursed_for_ever():
    definitions = {"A": d("FR", "B"), "B": d("DE", "C"), "C": d("IT", "A")}
    assert cycle(definitions, "A") == ["A", "B", "C", "A"]
    assert expand(definitions)["A"] == {"FR", "DE", "IT"}
    assert cycle({"A": d("FR", "B"), "B": d("DE")}, "A") is None
    problems = group_problems(GroupDraft("C3", "C", {"IT"}, {"A1"}), {"A1": d("FR", "B2"), "B2": d("DE", "C3")}, KNOWN)
    assert [str(p) for p in problems] == ["groups: C3 would end up inside itself: C3 contains A1 contains B2 contains C3"]


def test_the_cldr_regions_form_a_tree_holding_every_country_once():
    found = regions(KNOWN)
    leaves = []

    def walk(code):
        region = found[code]
        leaves.extend(region.countries)
        for sub in region.subgroups:
            walk(sub)

    for m49 in CONTINENTS:
        walk(next(r.code for r in found.values() if r.m49 == m49))
    assert sorted(leaves) == sorted(KNOWN)  # each once: no country in two subcontinents, none left out
    assert found["EUROPE"].subgroups == ("NORTHERN_EUROPE", "WESTERN_EUROPE", "EASTERN_EUROPE", "SOUTHERN_EUROPE")
    assert (found["LATIN_AMERICA"].name, found["SOUTHEAST_ASIA"].m49) == ("Latin America", "035")
    assert "XK" in found["SOUTHERN_EUROPE"].countries and "EA" not in found["NORTHERN_AFRICA"].countries
    assert len(found) == len(CONTAINMENT)


def test_the_short_form_reads_back_to_exactly_the_countries_chosen():
    groups = expand({code: Definition(frozenset(r.countries), frozenset(r.subgroups)) for code, r in regions(KNOWN).items()})
    groups["WORLD"] = KNOWN
    europe = groups["EUROPE"]
    assert short_form(europe - {"GB"}, groups) == "EUROPE excluding GB"
    assert short_form(KNOWN - {"CN", "HK", "MO", "TW"}, groups) == "WORLD excluding CN, HK, MO, TW"
    assert short_form(groups["SOUTHEAST_ASIA"] | {"US"}, groups) == "SOUTHEAST_ASIA, US"
    assert short_form((), groups) == ""
    rng = random.Random(19)
    codes = sorted(KNOWN)
    for size in itertools.chain(range(1, 40), (120, 200, 240)):
        chosen = frozenset(rng.sample(codes, size)) | (europe if size % 3 == 0 else frozenset())
        text = short_form(chosen, groups)
        assert TerritoryScope.parse(text, groups).countries(groups) == chosen, text


def test_a_group_ticked_whole_is_kept_as_a_group_and_countries_ticked_one_by_one_are_countries():
    candidates = {"EU": frozenset({"FR", "DE"}), "CORE": frozenset({"FR"}), "SEA": frozenset({"TH"}),
                  "SOUTHEAST_ASIA": frozenset({"TH"}), "NORDICS": frozenset({"NO", "SE", "DK"})}
    assert definition_of({"FR", "DE", "NO", "CH"}, candidates, whole=()) == d("FR DE NO CH")
    assert definition_of({"FR", "DE", "NO", "CH"}, candidates, whole={"EU", "CORE", "NORDICS"}) == d("NO CH", "EU")
    assert definition_of({"TH", "VN"}, candidates, whole={"SOUTHEAST_ASIA", "SEA", "ELSEWHERE"}) == d("VN", "SEA")


def test_the_rights_a_change_moves_and_how():
    before = {"CORE": frozenset({"FR", "DE"})}
    after = {"CORE": frozenset({"FR", "ES"})}
    scopes = {1: TerritoryScope.parse("CORE", before), 2: TerritoryScope.parse("CORE excluding ES", before),
              3: TerritoryScope.parse("FR, IT", before)}
    changes = coverage_changes(scopes, before, after)
    assert set(changes) == {1, 2}
    assert (changes[1].gained, changes[1].lost) == ({"ES"}, {"DE"})
    assert (changes[2].gained, changes[2].lost) == (set(), {"DE"})


def test_a_country_added_back_after_a_group_excluded_is_covered():
    groups = {"EUROPE": frozenset({"FR", "DE", "GB", "IE", "PL"}), "WESTERN_EUROPE": frozenset({"FR", "DE"})}
    scope = TerritoryScope.parse("EUROPE excluding WESTERN_EUROPE, GB, +FR", groups)
    assert scope.countries(groups) == {"FR", "IE", "PL"}
    assert scope.describe() == "EUROPE, FR excluding DE, GB"  # stored and read back the same
    assert TerritoryScope.parse(scope.describe(), groups).countries(groups) == {"FR", "IE", "PL"}
