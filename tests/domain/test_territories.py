from rightsdesk.domain.reference import territory_groups
from rightsdesk.domain.territories import ScopeItem, TerritoryScope, describe_countries

GROUPS = {code: frozenset(members) for code, (_, members) in territory_groups().items()}


def test_world_excluding_greater_china_is_exact():
    scope = TerritoryScope.parse("WORLD excluding CN, HK, MO, TW", GROUPS)
    countries = scope.countries(GROUPS)
    assert countries == GROUPS["WORLD"] - {"CN", "HK", "MO", "TW"}
    assert scope.describe() == "WORLD excluding CN, HK, MO, TW"
    # as typed it stays as typed; a computed set is named by the groups it leaves out
    assert describe_countries(countries, GROUPS) == "WORLD excluding GREATER_CHINA"
    assert describe_countries(countries - {"FR"}, GROUPS) == "WORLD excluding GREATER_CHINA, FR"


def test_an_exclusion_wins_whatever_the_order_and_groups_can_be_excluded():
    scope = TerritoryScope((ScopeItem("TH", excluded=True), ScopeItem("SEA", is_group=True),
                            ScopeItem("US"), ScopeItem("GREATER_CHINA", True, True), ScopeItem("HK")))
    assert scope.countries(GROUPS) == (GROUPS["SEA"] - {"TH"}) | {"US"}
    assert TerritoryScope.parse("sea -th us", GROUPS).countries(GROUPS) == (GROUPS["SEA"] - {"TH"}) | {"US"}


def test_a_set_of_countries_is_named_by_its_group_when_it_is_one():
    assert describe_countries(GROUPS["SEA"], GROUPS) == "SEA"
    assert describe_countries({"TH", "US"}, GROUPS) == "TH, US"
    assert describe_countries(set(), GROUPS) == "no territory"
    assert describe_countries(sorted(GROUPS["EU"]), GROUPS) == "EU"
    assert describe_countries(GROUPS["LATAM"] | {"US"}, GROUPS) == "LATAM, US"
    twenty = set(sorted(GROUPS["WORLD"])[:20])
    assert describe_countries(twenty, GROUPS, limit=12).endswith("and 8 more")  # a message
    assert set(describe_countries(twenty, GROUPS).split(", ")) == twenty  # a report: every code


def test_whole_groups_are_named_inside_an_exclusion():
    countries = GROUPS["WORLD"] - GROUPS["LATAM"] - GROUPS["GREATER_CHINA"] - {"US"}
    assert describe_countries(countries, GROUPS) == "WORLD excluding LATAM, GREATER_CHINA, US"
    assert describe_countries(GROUPS["SEA"] | {"US"}, GROUPS) == "SEA, US"


def test_a_plus_after_an_exclusion_adds_back_and_uk_reads_as_gb():
    from rightsdesk.domain.territories import TerritoryScope

    groups = {"EU": frozenset({"FR", "DE", "IT"})}
    readd = TerritoryScope.parse("EU excluding FR, DE, +FR", groups)
    assert readd.countries(groups) == {"FR", "IT"} and readd.describe() == "EU, FR excluding DE"
    assert TerritoryScope.parse("EU excluding DE, +GB", groups).countries(groups) == {"FR", "IT", "GB"}
    assert TerritoryScope.parse("UK, XK", groups).describe() == "GB, XK"  # ISO 3166 reserves UK for GB
