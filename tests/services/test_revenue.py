"""Revenue import through the service: all or nothing, duplicates, matching, aliases, rollback."""

from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import BatchStatus
from rightsdesk.domain.errors import UserError
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


@pytest.mark.parametrize(("encoding", "declared"), [
    ("utf-8", ""), ("utf-8-sig", ""), ("utf-16", ""), ("cp1252", "windows-1252"), ("gb18030", "gb18030"),
    ("big5", "big5"), ("shift_jis", "shift_jis"), ("euc-kr", "euc-kr")])
def test_a_report_is_imported_and_matched_in_the_encoding_its_source_declares(database, source, encoding, declared):
    content = CSV.replace("Währung", "Waehrung" if encoding != "utf-8" and "utf" not in encoding else "Währung")
    content = content.replace("Brida Pengganti", {"gb18030": "红色的爱", "big5": "紅色的愛", "shift_jis": "赤い愛",
                                                  "euc-kr": "붉은 사랑"}.get(encoding, "Brida Pengganti")).encode(encoding)
    mapping_currency = "Währung" if "utf" in encoding else "Waehrung"
    with database.transaction() as session:
        report = revenue.import_file(session, source, "july.csv", content, {**MAPPING, "currency": mapping_currency},
                                     Options(decimal=",", encoding=declared), user="li")
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
        "row 5, column 'Umsatz': 'abc' is not a number",
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


@pytest.mark.postgresql_only
def test_a_large_import_gathers_postgresqls_statistics_of_the_lines_a_small_one_leaves_them(
        database, source, monkeypatch):
    """From ANALYZED_FROM lines (here three) the import runs ANALYZE in its transaction: a
    statement run right after plans on the table as it now is, not as autovacuum last saw it."""
    from sqlalchemy import text

    def analyzed() -> bool:
        with database.read() as session:
            return bool(session.execute(text(
                "SELECT count(*) FROM pg_stats WHERE tablename = 'revenue_line' AND attname = 'period_end'")).scalar())

    monkeypatch.setattr(revenue, "ANALYZED_FROM", 4)
    run(database, source, CSV.encode())  # three lines
    assert not analyzed()
    monkeypatch.setattr(revenue, "ANALYZED_FROM", 3)
    run(database, source, CSV.replace("99,50", "99,51").encode())
    assert analyzed()


@pytest.mark.postgresql_only
def test_a_batch_is_not_rolled_back_while_a_statement_run_holds_its_turn(database, source):
    """A run on PostgreSQL writes which lines its statements hold without locking each line
    (keys_checked_at_once's `kept`): a rollback, the only thing that deletes lines, takes
    turns with it instead, and here gives up after 200 ms rather than delete lines it names."""
    from rightsdesk.persistence.database import Database, DatabaseBusy, take_turns

    report = run(database, source, CSV.encode())
    impatient = Database(database.url, busy_timeout_ms=200)
    try:
        with database.transaction() as running:
            take_turns(running, "statement_run")  # a run, between its reading and its commit
            with pytest.raises(DatabaseBusy):
                with impatient.transaction() as session:
                    revenue.rollback_batch(session, report.batch_id)
        with impatient.transaction() as session:  # the run done, the rollback goes through
            revenue.rollback_batch(session, report.batch_id)
    finally:
        impatient.dispose()


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


def test_a_windows_1252_report_is_read_as_declared_and_refused_naming_its_line_when_not(database, source):
    filler = "".join(f"2026-07;US;T000001;;{n},00;USD\n" for n in range(5000))  # more than the head read first
    content = (CSV.replace("Währung", "Waehrung") + filler + "2026-07;US;Série B;;1,00;USD\n").encode("cp1252")
    mapping = {**MAPPING, "currency": "Waehrung"}
    with pytest.raises(UserError, match=r"^july.csv cannot be read: line 5005: byte 0xE9 is not UTF-8; it looks like "
                                        r"windows-125.: declare the file.s encoding"), database.transaction() as session:
        revenue.import_file(session, source, "july.csv", content, mapping, Options(decimal=","), user="li")
    with database.read() as session:
        assert session.scalar(select(func.count(ImportBatch.id))) == 0
    with database.transaction() as session:
        report = revenue.import_file(session, source, "july.csv", content, mapping,
                                     Options(decimal=",", encoding="windows-1252"), user="li")
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


def test_a_mapping_saved_before_dates_were_declared_reads_day_first_as_dmy_and_otherwise_refuses_numeric_dates(
        database, source):
    from rightsdesk.persistence.models import ColumnMapping

    with database.transaction() as session:
        for name, day_first in (("old day first", True), ("old us", False)):
            session.add(ColumnMapping(source_id=source, name=name, columns=MAPPING,
                                      options={"decimal": ",", "day_first": day_first, "currency": "", "sheet": "",
                                               "revenue_type": "other"}))
    us = CSV.replace("2026-07;TH", "07/01/2026;TH")
    with database.read() as session:
        ids = dict(session.execute(select(ColumnMapping.name, ColumnMapping.id)).all())
        assert revenue.load_mapping(session, ids["old day first"])[1].dates == "dmy"
        columns, options = revenue.load_mapping(session, ids["old us"])
        assert options.dates == "iso"
        checked = revenue.check_file(session, "july.csv", us.encode(), columns, options)
    assert [str(p) for p in checked.problems] == [
        "row 2, column 'Periode': '07/01/2026' reads day-first or month-first: the source's mapping must declare its "
        "date order (Dates: day first or month first; --dates dmy or mdy); ISO 2026-07-01 needs none"]


def test_a_saved_mapping_keeps_its_encoding_dates_and_revenue_type_words(database, source):
    from rightsdesk.domain.enums import RevenueType

    options = Options(decimal=",", dates="mdy", encoding="gb18030", revenue_types={"Coins": RevenueType.UNLOCKS})
    with database.transaction() as session:
        mapping_id = revenue.save_mapping(session, source, "monthly", MAPPING, options)
    with database.read() as session:
        assert revenue.load_mapping(session, mapping_id) == (MAPPING, options)
        assert options.revenue_types == {"coins": RevenueType.UNLOCKS}


def test_a_workbook_formula_without_a_saved_result_and_blank_rows_are_named_by_the_sheets_own_rows(database, source,
                                                                                                  tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(CSV.splitlines()[0].split(";"))
    sheet.append(["2026-07", "TH", "T000001", 1, "=2*5", "USD"])
    sheet.append([])
    sheet.append(["2026-07", "TH", "T000001", 1, "ten", "USD"])
    path = tmp_path / "july.xlsx"
    book.save(path)
    with database.read() as session:
        checked = revenue.check_file(session, "july.xlsx", path, MAPPING, Options(decimal=","))
    assert [(p.row, p.column, p.value) for p in checked.problems] == [(2, "Umsatz", "=2*5"), (4, "Umsatz", "ten")]
    assert checked.problems[0].reason.startswith("holds a formula (=2*5) with no saved result")


def test_a_line_naming_an_episode_its_title_does_not_have_is_refused(database, source):
    content = CSV.replace("T000001;2;99,50", "T000001;116;99,50").encode()
    with pytest.raises(revenue.ImportRefused) as refused:
        run(database, source, content)
    assert [str(p) for p in refused.value.problems] == [
        "row 3, column 'episode': '116' is not an episode of T000001 (it has 2)"]
    with database.read() as session:
        assert session.scalar(select(func.count(RevenueLine.id))) == 0
