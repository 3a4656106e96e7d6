"""`rightsdesk groups` and `rightsdesk media` (issue 19): a sales house's own regions and media
from the command line, then asked about in avails by those names."""

from datetime import date

import pytest

from rightsdesk.domain.enums import DealStatus
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.services import reference
from tests.services.test_deals import IN, catalogue_, save  # noqa: F401 (fixture)
from tests.test_cli import run


# The command line is a thin layer over services tested on both databases: it runs on SQLite
# (the suite keeps within its 10 minutes on 2 cores).
pytestmark = pytest.mark.sqlite_only


def test_a_region_and_a_medium_made_on_the_command_line_answer_in_avails(capsys, database, catalogue_):
    db = ("--db", database.location)
    code, out, err = run(capsys, "groups", "save", "EMEA_SALES", "--name", "EMEA sales",
                         "--territories", "EUROPE excluding WESTERN_EUROPE, UK, +FR, +ZA", *db)
    assert code == 0 and out.startswith("Saved EMEA_SALES:"), err
    code, out, err = run(capsys, "media", "add", "inflight", "Inflight", "--ema", "EST", *db)
    assert (code, out) == (0, "Saved the medium inflight\n"), err
    code, out, err = run(capsys, "media", "add", "INFLIGHT", "Again", *db)
    assert code == 1 and "inflight is already a medium" in err
    with database.read() as session:
        groups = reference.territory_groups(session)
    assert groups["EMEA_SALES"] == (groups["EUROPE"] - groups["WESTERN_EUROPE"] - {"GB"}) | {"FR", "ZA"}
    save(database, DealDraft(IN, catalogue_["producer"], "IN-2025-0101", date(2024, 12, 1), DealStatus.SIGNED,
                             grants=[GrantDraft(titles=[GrantTitleDraft(catalogue_["bride"])],
                                                territories=TerritoryScope.parse("EMEA_SALES", groups),
                                                media=["Inflight"], term_start=date(2025, 1, 1),
                                                term_end=date(2030, 12, 31))]))
    code, out, err = run(capsys, "avails", "--title", str(catalogue_["bride"]), "--territory", "ZA, DE",
                         "--media", "INFLIGHT", "--from", "2026-01-01", "--to", "2026-12-31", "--json", *db)
    assert code == 0, err
    assert '"ZA"' in out and '"inflight"' in out and "INFLIGHT" not in out  # answered as stored

    code, out, err = run(capsys, "groups", "save", "EMEA_SALES", "--territories", "EUROPE", "--dry-run", *db)
    assert code == 0 and "IN-2025-0101 grant 1: gains" in out and "loses ZA" in out and "nothing was saved" in out
    code, out, err = run(capsys, "groups", "delete", "EMEA_SALES", *db)
    assert code == 1 and "EMEA_SALES is in use and cannot be deleted: IN-2025-0101 grant 1" in err
    code, out, err = run(capsys, "media", "edit", "INFLIGHT", "--rename-to", "AIRLINES", *db)
    assert code == 1 and "inflight is used by 1 grant: its code cannot change" in err
    code, out, err = run(capsys, "media", "retire", "Inflight", *db)
    assert (code, out) == (0, "Retired the medium inflight\n")
    code, out, err = run(capsys, "media", "list", "--json", *db)
    assert '"code": "inflight"' in out and '"active": false' in out and '"ema_license_type": "EST"' in out
