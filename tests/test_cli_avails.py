"""`rightsdesk avails` and `rightsdesk ema import` from the command line."""

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rightsdesk.cli import main
from rightsdesk.services import avails

REFERENCE = Path(__file__).resolve().parent / "data" / "ema_TV_v1.9.xlsx"


# The command line is a thin layer over services tested on both databases: it runs on SQLite
# (the suite keeps within its 10 minutes on 2 cores).
pytestmark = pytest.mark.sqlite_only


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def ask(demo_database, *extra):
    return ("avails", "--db", demo_database.location, "--title", "T000005", "T000006", "--territory", "WORLD -CN",
            "--media", "APP,FAST", "--from", "2026-01-01", "--to", "2026-12-31", *extra)


def test_json_is_one_cell_per_title_territory_and_media_with_reasons(capsys, demo_database):
    code, out, _ = run(capsys, *ask(demo_database, "--json"))
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "rightsdesk.avails/1"
    assert data["query"]["media"] == ["APP", "FAST"] and "CN" not in data["query"]["territories"]
    cells = data["cells"]
    assert len(cells) == 2 * len(data["query"]["territories"]) * 2
    assert sum(data["summary"].values()) == len(cells)
    with demo_database.read() as session:
        expected = avails.ask(session, avails.AvailsRequest("WORLD -CN", __import__("datetime").date(2026, 1, 1),
                                                            __import__("datetime").date(2026, 12, 31), titles=(5, 6),
                                                            media=("APP", "FAST"))).result
    for cell in cells:
        engine = expected.cell(cell["title_id"], cell["territory"], cell["media"])
        assert cell["status"] == engine.status.value and cell["available"] == engine.available
        assert [s["status"] for s in cell["segments"]] == [s.status.value for s in engine.segments]
        assert all(r["explanation"] for s in cell["segments"] for r in s["reasons"])


def test_the_default_is_a_readable_table(capsys, demo_database):
    code, out, _ = run(capsys, *ask(demo_database))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("WORLD -CN · APP, FAST")
    assert "Territories" in lines[1] and "cells available" in lines[-1]


def test_xlsx_and_ema_files(capsys, demo_database, tmp_path):
    code, out, _ = run(capsys, *ask(demo_database, "--xlsx", tmp_path / "a.xlsx"))
    assert code == 0
    book = load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["About", "Avails", "Cells"]
    assert book["Avails"].freeze_panes == "A2" and book["Avails"].auto_filter.ref.startswith("A1:I")
    code, out, _ = run(capsys, *ask(demo_database, "--ema", tmp_path / "offer.xlsx", "--licensee", "Vidio"))
    assert code == 0 and "avails to" in out
    assert load_workbook(tmp_path / "offer.xlsx").worksheets[0].cell(2, 4).value == "Territory"


def test_bad_questions_fail_with_one_line(capsys, demo_database):
    code, _, err = run(capsys, "avails", "--db", demo_database.location, "--title", "T999999", "--territory", "WORLD",
                       "--from", "2026-01-01", "--to", "open")
    assert code == 1 and err.strip() == "rightsdesk: error: there is no title 'T999999'"
    code, _, err = run(capsys, "avails", "--db", demo_database.location, "--title", "T000005", "--territory", "ZZ",
                       "--media", "HOLO", "--from", "2026-01-01", "--to", "2025-01-01")
    assert code == 1 and "'ZZ' is neither" in err and "'HOLO' is not a known media" in err and "ends" in err


def test_ema_import(capsys, database):
    code, out, _ = run(capsys, "ema", "import", REFERENCE, "--db", database.location)
    assert code == 0 and "Draft IN deal EMA-" in out and "from 38 rows" in out


def test_deals_template_and_import(capsys, database, tmp_path):
    code, out, _ = run(capsys, "template", "deals", tmp_path / "deals.xlsx")
    assert code == 0 and "Instructions sheet" in out
    # the example rows name a party and titles this database does not have: every problem, one a line
    code, _, err = run(capsys, "import", "deals", tmp_path / "deals.xlsx", "--db", database.location)
    lines = err.splitlines()
    assert code == 1 and lines[0].startswith("rightsdesk: error: ") and "nothing was changed" in lines[0]
    assert any("Deals!Counterparty, row 2" in line for line in lines[1:])
    assert any("Grants!Titles, row 2" in line for line in lines[1:])


def test_music_and_localization_are_checked_when_asked(capsys, database, cue_sheet):
    base = ("avails", "--db", database.location, "--title", "T000002", "--territory", "US CA", "--media", "APP",
            "--from", "2026-09-01", "--to", "2026-12-31", "--json")
    plain = {c["territory"]: c["status"] for c in json.loads(run(capsys, *base)[1])["cells"]}
    assert plain == {"CA": "available", "US": "available"}
    checked = {c["territory"]: c for c in json.loads(run(capsys, *base, "--music")[1])["cells"]}
    assert checked["US"]["status"] == "available" and checked["CA"]["status"] == "music_not_cleared"
    assert "“Shared Theme” (episode 1)" in checked["CA"]["segments"][0]["reasons"][0]["explanation"]
    localized = {c["territory"]: c["status"] for c in json.loads(run(capsys, *base, "--localized-in", "th")[1])["cells"]}
    assert localized == {"CA": "not_localized", "US": "not_localized"}


def test_a_library_is_asked_by_its_code(capsys, demo_database):
    """Issue 19 review: --library took only a database number no command shows."""
    from sqlalchemy import select

    from rightsdesk.persistence.models import Library

    with demo_database.read() as session:
        code = session.scalar(select(Library.code).order_by(Library.id))
    code_typed = code.lower()
    assert main(["avails", "--db", demo_database.location, "--library", code_typed, "--territory", "US",
                 "--from", "2027-01-01", "--to", "2027-03-31", "--json"]) == 0
    assert main(["avails", "--db", demo_database.location, "--library", "NO-SUCH", "--territory", "US",
                 "--from", "2027-01-01", "--to", "2027-03-31"]) == 1
    assert "there is no library 'NO-SUCH'" in capsys.readouterr().err


def test_a_library_grants_reason_gives_the_days_both_the_stay_and_the_grant_allow():
    """Issue 19 review: a title in the library since 2026-01-01 under a grant from 2026-03-01 was
    explained as licensed '2026-01-01 to 2027-02-28'."""
    from datetime import date

    from rightsdesk.domain.avails import Coverage, RightsGrant, _out_explanation
    from rightsdesk.domain.enums import DealDirection

    grant = RightsGrant(1, 1, "OUT-1", "Canal Corto", DealDirection.OUT, True, frozenset({"DE"}), frozenset({"FAST"}),
                        start=date(2026, 3, 1), end=date(2027, 2, 28))
    said = _out_explanation(Coverage(grant, date(2026, 1, 1), None, library="LIB1"))
    assert "through library LIB1, 2026-03-01 to 2027-02-28" in said
