"""Libraries (issue 19): made, renamed, retired, titles joining and leaving on dated days (many at
once, and again), who grants them, what they earned, deleted only when no grant names them,
and exported and imported in bulk; a library grant covers a title from the day it joins."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from rightsdesk.domain.avails import Status
from rightsdesk.domain.enums import DealStatus
from rightsdesk.domain.errors import Conflict, UserError, ValidationError
from rightsdesk.domain.libraries import LibraryDraft, Stay
from rightsdesk.domain.rights import DealDraft, GrantDraft
from rightsdesk.services import audit, libraries
from rightsdesk.services.revenue import ImportRefused
from tests.services.test_deals import IN, OUT, USER, acquire, ask, catalogue_, save, scope  # noqa: F401 (fixture)


def make(database, code="VL-ROMANCE", name="Romance vertical library", stays=()):
    with database.transaction() as session:
        return libraries.save_library(session, LibraryDraft(code, name, stays=list(stays)), user=USER)


def test_a_library_is_made_its_titles_join_and_leave_on_days_and_it_is_audited(database, catalogue_):
    library = make(database)
    bride, heiress = catalogue_["bride"], catalogue_["heiress"]
    with database.transaction() as session:
        assert libraries.add_titles(session, library, [bride, heiress], date(2026, 1, 1), user=USER) == []
        assert libraries.add_titles(session, library, [bride], date(2026, 2, 1), user=USER) == [bride]  # in already
        assert libraries.remove_titles(session, library, [heiress], date(2026, 6, 30), user=USER) == []
        libraries.add_titles(session, library, [heiress], date(2026, 9, 1), user=USER)  # joins again
    with database.read() as session:
        draft = libraries.load_library(session, library)
        assert draft.stays == [Stay(bride, date(2026, 1, 1)), Stay(heiress, date(2026, 1, 1), date(2026, 6, 30)),
                               Stay(heiress, date(2026, 9, 1))]
        assert libraries.titles_on(session, library, date(2026, 7, 15)) == {bride}
        [row] = libraries.library_rows(session, date(2026, 10, 1))
        assert (row.code, row.titles_now, row.granted_by) == ("VL-ROMANCE", 2, 0)
        entry = audit.last_change(session, "library", library)
    assert entry.user_name == USER and any("2026-09-01" in t for t in entry.after["titles"])


@pytest.mark.parametrize(("draft", "expected"), [
    (LibraryDraft("vl romance", "X"), "'VL ROMANCE' is not a library code"),
    (LibraryDraft("VL-X", " "), "a library needs a name"),
    (LibraryDraft("VL-X", "X", stays=[Stay(1, date(2026, 5, 1), date(2026, 4, 1))]), "leaves (2026-04-01) before it joins"),
    (LibraryDraft("VL-X", "X", stays=[Stay(1, date(2026, 1, 1)), Stay(1, date(2026, 5, 1))]), "is in the library twice"),
])
def test_what_a_library_cannot_be(database, catalogue_, draft, expected):
    draft.stays = [Stay(catalogue_["bride"], s.added_on, s.removed_on) for s in draft.stays]
    with pytest.raises(ValidationError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        with database.transaction() as session:
            libraries.save_library(session, draft, user=USER)


def test_codes_are_unique_whatever_their_case_and_a_stale_save_is_refused(database, catalogue_):
    library = make(database)
    with pytest.raises(ValidationError, match="another library has the code VL-ROMANCE"):
        make(database, "vl-romance")
    with database.read() as session:
        first, second = libraries.load_library(session, library), libraries.load_library(session, library)
    first.name = "Romance (2026)"
    with database.transaction() as session:
        libraries.save_library(session, first, user="ana")
    second.description = "CEO romances"
    with pytest.raises(Conflict), database.transaction() as session:
        libraries.save_library(session, second, user="ben")


def test_a_granted_library_cannot_be_deleted_but_can_be_retired_and_its_grant_covers_titles_from_the_day_they_join(
        database, catalogue_):
    library = make(database, stays=[Stay(catalogue_["bride"], date(2025, 1, 1))])
    acquire(database, catalogue_)
    save(database, DealDraft(OUT, catalogue_["shortmax"], "OUT-2026-0009", date(2025, 12, 1), DealStatus.SIGNED, grants=[
        GrantDraft(libraries=[library], territories=scope("TH"), media=["FAST"], term_start=date(2026, 1, 1),
                   term_end=date(2026, 12, 31), exclusive=True)]))
    heiress = catalogue_["heiress"]
    with database.transaction() as session:
        libraries.add_titles(session, library, [heiress], date(2026, 7, 1), user=USER)
    cell = ask(database, titles=(heiress,), media=("FAST",)).result.cell(heiress, "TH", "FAST")
    day_before = next(s for s in cell.segments if s.start <= date(2026, 6, 30) and (s.end is None or s.end >= date(2026, 6, 30)))
    day_of = next(s for s in cell.segments if s.start <= date(2026, 7, 1) and (s.end is None or s.end >= date(2026, 7, 1)))
    assert day_before.status is Status.AVAILABLE and day_of.status is Status.LICENSED_EXCLUSIVE
    with database.read() as session:
        assert [d["reference"] for d in libraries.granting_deals(session, library)] == ["OUT-2026-0009"]
    with pytest.raises(UserError, match="granted by OUT-2026-0009: it cannot be deleted; retire it instead"):
        with database.transaction() as session:
            libraries.delete_library(session, library, user=USER)
    with database.transaction() as session:
        draft = libraries.load_library(session, library)
        draft.retired_on = date(2027, 1, 1)
        libraries.save_library(session, draft, user=USER)
    unused = make(database, "VL-OLD", "Old bundle")
    with database.transaction() as session:
        libraries.delete_library(session, unused, user=USER)
    with database.read() as session:
        assert [r.code for r in libraries.library_rows(session, date(2026, 1, 1))] == ["VL-ROMANCE"]


def test_libraries_round_trip_through_the_workbook_and_a_bad_one_changes_nothing(database, catalogue_):
    make(database, stays=[Stay(catalogue_["bride"], date(2025, 1, 1), date(2025, 12, 31)),
                          Stay(catalogue_["bride"], date(2026, 3, 1))])
    with database.read() as session:
        content = libraries.export_workbook(session)
    book = load_workbook(BytesIO(content))
    assert book["Libraries"].freeze_panes == "A2" and book["Titles"]["C2"].number_format == "yyyy-mm-dd"
    assert [c.value for c in book["Titles"][1]] == ["Library", "Title", "Joined on", "Last day in"]
    book["Libraries"].append(["VL-REVENGE", "Revenge", "", None])
    book["Titles"].append(["VL-REVENGE", "T000002", "2026-07-01", None])
    buffer = BytesIO()
    book.save(buffer)
    with database.transaction() as session:
        done = libraries.import_workbook(session, buffer.getvalue(), user=USER)
    assert (done.created, done.updated, done.stays) == (["VL-REVENGE"], ["VL-ROMANCE"], 3)

    book["Titles"].append(["VL-REVENGE", "T999999", "01.07.2026", None])
    book["Titles"].append(["VL-NOPE", "T000001", "2026-07-01", None])
    book["Titles"].append(["VL-REVENGE", "T000001", "01.07.2026", None])
    book.save(buffer := BytesIO())
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        libraries.import_workbook(session, buffer.getvalue(), user=USER)
    assert [str(p) for p in refused.value.problems] == [
        "row 5, column 'Titles!Title': 'T999999' is not a title's internal ID",
        "row 5, column 'Titles!Joined on': '01.07.2026' reads day-first or month-first: the source must declare which "
        "(ISO 2026-07-01 needs no declaration)",
        "row 6, column 'Titles!Library': 'VL-NOPE' is not a code on the Libraries sheet",
        "row 7, column 'Titles!Joined on': '01.07.2026' reads day-first or month-first: the source must declare which "
        "(ISO 2026-07-01 needs no declaration)",
    ]
    with database.read() as session:
        revenge = next(r.id for r in libraries.library_rows(session, date(2026, 1, 1)) if r.code == "VL-REVENGE")
        assert len(libraries.load_library(session, revenge).stays) == 1


def test_the_command_line_lists_exports_and_imports_libraries(database, catalogue_, tmp_path, capsys):
    from rightsdesk.cli import main

    make(database, stays=[Stay(catalogue_["bride"], date(2025, 1, 1))])
    path = tmp_path / "libraries.xlsx"
    assert main(["libraries", "export", str(path), "--db", database.location]) == 0
    book = load_workbook(path)
    book["Libraries"]["B2"] = "Romance, renamed"
    book.save(path)
    assert main(["libraries", "import", str(path), "--db", database.location]) == 0
    assert main(["libraries", "list", "--db", database.location]) == 0
    out = capsys.readouterr().out
    assert "Imported 0 new and 1 updated library with 1 title stay" in out
    assert "VL-ROMANCE" in out and "Romance, renamed" in out


def test_a_workbook_s_problems_come_in_one_pass_and_overlapping_stays_name_their_titles_rows(database, catalogue_):
    make(database)
    with database.read() as session:
        book = load_workbook(BytesIO(libraries.export_workbook(session)))
    book["Libraries"].append(["PEER_X", "Peer X", "", None])
    book["Libraries"].append(["BAD CODE", "", "", None])
    for row in (["PEER_X", "T000001", "2026-01-01", None], ["PEER_X", "T000001", "2026-03-01", "2026-04-30"],
                ["VL-NOPE", "T000002", "2026-01-01", None], ["PEER_X", "T000002", "2026-05-01", "2026-04-01"]):
        book["Titles"].append(row)
    book.save(buffer := BytesIO())
    with pytest.raises(ImportRefused) as refused, database.transaction() as session:
        libraries.import_workbook(session, buffer.getvalue(), user=USER)
    assert [str(p) for p in refused.value.problems] == [
        "row 4, column 'Libraries!Code': 'BAD CODE' is not a library code (letters, digits, - _ . up to 32, e.g. VL-ROMANCE)",
        "row 4, column 'Libraries!Name': a library needs a name",
        "row 4, column 'Titles!Library': 'VL-NOPE' is not a code on the Libraries sheet",
        "row 5, column 'Titles!Last day in': '2026-04-01' is before the title joins (2026-05-01)",
        "row 3, column 'Titles!Joined on': '2026-03-01' starts a second stay of T000001 in PEER_X while its stay "
        "from 2026-01-01 (row 2) has not ended",
    ]
    with database.read() as session:
        assert [r.code for r in libraries.library_rows(session, date(2026, 1, 1))] == ["VL-ROMANCE"]


def test_the_libraries_list_finds_by_code_or_name_and_sorts_by_any_column(database, catalogue_):
    from rightsdesk.services.listing import ListQuery

    big = make(database, "VL-B", "Big bundle", stays=[Stay(catalogue_["bride"], date(2025, 1, 1)),
                                                       Stay(catalogue_["heiress"], date(2025, 1, 1))])
    small = make(database, "VL-A", "Small romance", stays=[Stay(catalogue_["bride"], date(2025, 1, 1))])
    empty = make(database, "VL-C", "Empty romance")
    today = date(2026, 1, 1)
    with database.read() as session:
        assert libraries.find_library_ids(session, ListQuery(), today) == [small, big, empty]  # by code
        assert libraries.find_library_ids(session, ListQuery(text="romance"), today) == [small, empty]
        by_titles = libraries.find_library_ids(session, ListQuery(sort="titles_now", descending=True), today)
        assert by_titles == [big, small, empty]
        assert libraries.find_library_ids(session, ListQuery(sort="nonsense"), today) == [small, big, empty]
        rows = libraries.library_rows_of(session, [big, empty], today)
        assert set(rows) == {big, empty} and rows[big].titles_now == 2
