"""Revenue import through the service: all or nothing, duplicates, matching, aliases, rollback."""

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import BatchStatus
from rightsdesk.domain.revenue import Options
from rightsdesk.persistence.models import ImportBatch, RevenueLine
from rightsdesk.services import catalogue, revenue

MAPPING = {"period": "Periode", "territory": "Land", "title_name": "Serie", "episode": "Folge",
           "gross_amount": "Umsatz", "currency": "Währung"}
CSV = ("Periode;Land;Serie;Folge;Umsatz;Währung\n"
       "2026-07;TH;The Substitute Bride;1;1.234,56;THB\n"
       "2026-07;US;T000001;2;99,50;USD\n"
       "2026-08;US;Brida Pengganti;;10,00;USD\n")


@pytest.fixture
def source(database):
    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("总裁的替身新娘", localized_names={"en": "The Substitute Bride"},
                                                 episodes=[EpisodeDraft(1, "", 90), EpisodeDraft(2, "", 90)]), user="li")
        return revenue.save_source(session, "ShortMax", currency="USD")


def run(database, source, content, **options):
    with database.transaction() as session:
        return revenue.import_file(session, source, "july.csv", content, MAPPING, Options(decimal=",", **options), user="li")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_a_report_is_imported_and_matched_in_any_encoding(database, source, encoding):
    content = CSV.replace("Währung", "Waehrung" if encoding == "cp1252" else "Währung").encode(encoding)
    mapping_currency = "Waehrung" if encoding == "cp1252" else "Währung"
    with database.transaction() as session:
        report = revenue.import_file(session, source, "july.csv", content, {**MAPPING, "currency": mapping_currency},
                                     Options(decimal=","), user="li")
    assert (report.lines, report.matched, report.unmatched) == (3, 2, 1)
    assert report.totals == {"THB": D("1234.56"), "USD": D("109.50")}
    with database.read() as session:
        lines = session.scalars(select(RevenueLine).order_by(RevenueLine.row_number)).all()
        assert [l.title_id is not None for l in lines] == [True, True, False]
        assert lines[0].episode_id is not None and lines[0].gross_amount == D("1234.56")


def test_one_bad_row_writes_nothing_and_every_problem_is_listed(database, source):
    bad = CSV + "2026-08;ZZ;T000001;;abc;USD\n2026-08;US;T000001;;1;XXX\n"
    with pytest.raises(revenue.ImportRefused) as refused:
        run(database, source, bad.encode())
    assert [str(p) for p in refused.value.problems] == [
        "row 5, column 'Umsatz': 'abc' not a number",
        "row 5, column 'Land': 'ZZ' is not an ISO 3166-1 country code",
        "row 6, column 'Währung': 'XXX' is not an ISO 4217 currency",
    ]
    with database.read() as session:
        assert session.scalar(select(func.count(RevenueLine.id))) == 0
        assert session.scalar(select(func.count(ImportBatch.id))) == 0


def test_the_same_file_twice_is_refused_unless_it_replaces_the_first(database, source):
    first = run(database, source, CSV.encode())
    with pytest.raises(revenue.DuplicateImport, match=f"batch {first.batch_id}"):
        run(database, source, CSV.encode())
    with database.transaction() as session:
        second = revenue.import_file(session, source, "july.csv", CSV.encode(), MAPPING, Options(decimal=","),
                                     user="li", replace=True)
    assert second.replaced_batch == first.batch_id
    with database.read() as session:
        assert session.get(ImportBatch, first.batch_id).status is BatchStatus.ROLLED_BACK
        assert session.scalar(select(func.count(RevenueLine.id))) == 3


def test_an_unmatched_identifier_is_suggested_assigned_and_remembered(database, source):
    run(database, source, CSV.encode())
    with database.read() as session:
        [parked] = revenue.unmatched(session)
    assert (parked.identifier, parked.lines, parked.gross) == ("Brida Pengganti", 1, {"USD": D("10.00")})
    with database.read() as session:
        [listed] = revenue.unmatched(session, suggest=False)  # (what a screen lists at once)
        assert listed == parked.__class__(**{**parked.__dict__, "suggestions": []})
        index = revenue.TitleIndex(session)
        assert index.suggest(["Brida Pengganti"]) == [parked.suggestions]
    title_id = 1
    with database.transaction() as session:
        assert revenue.assign(session, source, "Brida Pengganti", title_id) == 1
        assert revenue.unmatched(session) == []
    # next month's report matches by the remembered alias
    with database.transaction() as session:
        report = revenue.import_file(session, source, "aug.csv", CSV.replace("2026-07", "2026-09").encode(), MAPPING,
                                     Options(decimal=","), user="li")
    assert report.unmatched == 0


def test_a_batch_rolls_back(database, source):
    report = run(database, source, CSV.encode())
    with database.transaction() as session:
        revenue.rollback_batch(session, report.batch_id)
    with database.read() as session:
        assert session.scalar(select(func.count(RevenueLine.id))) == 0


def test_a_report_is_read_from_its_path_or_an_open_file_as_from_its_bytes(database, source, tmp_path):
    path = tmp_path / "july.csv"
    path.write_bytes(CSV.encode())
    with database.read() as session:
        checked = [revenue.check_file(session, "july.csv", given, MAPPING, Options(decimal=","))
                   for given in (CSV.encode(), path, str(path), path.open("rb"))]
    assert {c.content_hash for c in checked} == {revenue.content_hash(CSV.encode())}
    assert all(c.totals == {"THB": D("1234.56"), "USD": D("109.50")} and c.problem_count == 0 for c in checked)
    report = run(database, source, path)
    assert (report.lines, report.matched) == (3, 2)


def test_a_windows_1252_report_is_recognised_even_when_its_first_accent_comes_late(database, source):
    filler = "".join(f"2026-07;US;T000001;;{n},00;USD\n" for n in range(5000))  # more than the head read first
    content = (CSV + filler + "2026-07;US;Série B;;1,00;USD\n").encode("cp1252")
    report = run(database, source, content)
    assert report.lines == 5004
    with database.read() as session:
        assert session.scalar(select(RevenueLine.reported_identifier).order_by(RevenueLine.row_number.desc())) == "Série B"


def test_a_workbook_report_is_read_a_row_at_a_time(database, source, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in CSV.splitlines():
        sheet.append([float(cell.replace(".", "").replace(",", ".")) if cell[:1].isdigit() and "," in cell else cell
                      for cell in line.split(";")])
    sheet.append([None] * 6)
    path = tmp_path / "july.xlsx"
    book.save(path)
    report = run(database, source, path)
    assert (report.lines, report.matched, report.totals) == (3, 2, {"THB": D("1234.56"), "USD": D("109.50")})


def test_the_check_is_the_imports_first_reading_and_a_refused_file_writes_nothing(database, source):
    with database.read() as session:
        checked = revenue.check_file(session, "july.csv", CSV.encode(), MAPPING, Options(decimal=","))
        bad = revenue.check_file(session, "bad.csv", (CSV + "2026-08;ZZ;T000001;;1;USD\n").encode(), MAPPING,
                                 Options(decimal=","))
    assert (len(checked.lines), checked.problem_count, checked.earlier_batch) == (3, 0, None)
    assert [str(p) for p in bad.problems] == ["row 5, column 'Land': 'ZZ' is not an ISO 3166-1 country code"]
    with pytest.raises(revenue.ImportRefused), database.transaction() as session:
        revenue.import_checked(session, source, bad, user="li")
    with database.transaction() as session:
        report = revenue.import_checked(session, source, checked, user="li")
    assert report.lines == 3
    with database.read() as session:
        assert revenue.check_file(session, "july.csv", CSV.encode(), MAPPING, Options(decimal=",")).earlier_batch == report.batch_id
        assert session.scalar(select(func.count(ImportBatch.id))) == 1


def test_the_page_cache_a_batch_is_written_with_is_set_back_on_the_pooled_connection(database, source):
    with database.transaction() as session:
        before = session.connection().exec_driver_sql("PRAGMA cache_size").scalar() if database.is_sqlite else None
        revenue.import_file(session, source, "july.csv", CSV.encode(), MAPPING, Options(decimal=","), user="li")
        if database.is_sqlite:
            assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == before
