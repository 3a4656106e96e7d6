"""EMA Avails: the offer workbook matches the reference layout; offers import as draft IN deals."""

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from rightsdesk.domain.catalogue import TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.reports import ema as ema_report
from rightsdesk.services import avails, catalogue, deals, ema

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "ema_TV_v1.9.xlsx"


def offer(database, title_id, **request):
    values = dict(territories="TH, VN", start=date(2027, 1, 1), end=date(2027, 12, 31), titles=(title_id,),
                  media=("APP", "FAST", "SVOD"))
    values.update(request)
    with database.read() as session:
        answer = avails.ask(session, avails.AvailsRequest(**values))
        return answer, ema.offer_rows(session, answer, licensee="Vidio")


def test_the_offer_workbook_has_the_reference_layout_header_by_header(demo_database):
    _, rows = offer(demo_database, 5)
    ours = load_workbook(io.BytesIO(ema_report.offer_workbook(rows))).worksheets[0]
    reference = load_workbook(REFERENCE).worksheets[0]
    assert ours.max_column == reference.max_column == 102
    for row in (1, 2, 3):
        for column in range(1, 103):
            assert ours.cell(row, column).value == reference.cell(row, column).value, (row, column)
    assert ours.cell(3, 1).value == 1.9


def test_the_offer_carries_only_what_is_available_with_our_media_in_the_bilateral_columns(demo_database):
    answer, rows = offer(demo_database, 5)
    available = [(t, c, m) for t, c, m, cell in answer.result.cells() if cell.available]
    assert {(r["Territory"], r["RetailerSpare1"]) for r in rows} == {(c, m) for _, c, m in available}
    fast = next(r for r in rows if r["RetailerSpare1"] == "FAST")
    assert fast["LicenseType"] == "VOD" and "advertising" in fast["OtherTerms"]
    assert next(r for r in rows if r["RetailerSpare1"] == "SVOD")["LicenseType"] == "SVOD"
    assert all(r["Licensee"] == "Vidio" and r["WorkType"] == "Season" for r in rows)
    written = load_workbook(io.BytesIO(ema_report.offer_workbook(rows))).worksheets[0]
    fields = [written.cell(2, c).value for c in range(1, 103)]
    first = {fields[c - 1]: written.cell(4, c).value for c in range(1, 103)}
    assert first["Start"] == datetime(2027, 1, 1) and first["AvailID"] == rows[0]["AvailID"]


def test_the_reference_workbook_imports_as_a_draft_in_deal(database):
    with database.transaction() as session:
        report = ema.import_offer(session, REFERENCE.read_bytes(), user="ana")
    assert report.rows_taken == 38 and not report.skipped
    assert report.titles_created == ["Detectives, The"]
    with database.read() as session:
        deal = deals.load_deal(session, report.deal_id)
    assert deal.direction is DealDirection.IN and deal.status is DealStatus.DRAFT
    by_scope = {(g.territories.describe(), g.exclusive): g for g in deal.grants}
    # the US season is offered exclusively (row 4), France non-exclusively
    assert set(by_scope) == {("US", True), ("FR", False)}
    us = by_scope[("US", True)]
    assert us.media == ["EST"] and us.term_start == date(2013, 5, 14) and us.term_end is None
    assert us.titles[0].first_episode is None  # season rows cover the episode rows


def test_rows_it_cannot_take_are_listed_by_row_and_field(database):
    book = load_workbook(REFERENCE)
    sheet = book.worksheets[0]
    fields = [sheet.cell(2, c).value for c in range(1, 103)]
    sheet.cell(6, fields.index("Territory") + 1).value = "XX"
    sheet.cell(7, fields.index("LicenseType") + 1).value = "Hologram"
    sheet.cell(8, fields.index("Start") + 1).value = "someday"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        ema.import_offer(session, buffer.getvalue(), producer="Rockstar Films", user="ana")
    assert [str(p) for p in refused.value.problems] == [  # all or nothing: every row named, nothing written
        "row 6, Territory: 'XX' is not an ISO 3166-1 country code",
        "row 7, LicenseType: 'Hologram' is not a licence type we know (EST, VOD, SVOD, POEST)",
        "row 8, Start: 'someday' is not a date",
    ]
    with database.read() as session:
        assert deals.find_deal_ids(session) == []


def test_a_workbook_that_is_not_ema_is_refused_and_nothing_is_written(database):
    book = Workbook()
    book.active.append(["Title", "Country"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UserError, match="no EMA Avails field-name row"):
        with database.transaction() as session:
            ema.import_offer(session, buffer.getvalue(), user="ana")
    with database.read() as session:
        assert deals.find_deal_ids(session) == []


def _two_sheets(change=None):
    """The reference TV sheet twice, as 'Movies' and 'TV' (MovieLabs' combined template)."""
    book = load_workbook(REFERENCE)
    tv = book.worksheets[0]
    tv.title = "TV"
    movies = book.copy_worksheet(tv)
    movies.title = "Movies"
    if change:
        change(movies, [tv.cell(2, c).value for c in range(1, 103)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_every_avails_sheet_is_read_or_the_one_named(database):
    def in_brazil(sheet, fields):
        for row in range(4, sheet.max_row + 1):
            sheet.cell(row, fields.index("Territory") + 1).value = "BR"

    def and_a_bad_row(sheet, fields):
        in_brazil(sheet, fields)
        sheet.cell(6, fields.index("Exclusive") + 1).value = "maybe"

    with database.transaction() as session:
        both = ema.import_offer(session, _two_sheets(in_brazil), user="ana")
    assert both.rows_taken == 38 + 38
    with database.read() as session:
        territories = {g.territories.describe() for g in deals.load_deal(session, both.deal_id).grants}
    assert territories == {"BR, US", "FR"}  # Brazil (every Movies row) merges with the exclusive US grant
    content = _two_sheets(and_a_bad_row)
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        ema.import_offer(session, content, user="ana")
    assert [str(p) for p in refused.value.problems] == [
        "Movies!row 6, Exclusive: 'maybe' is not yes or no (yes, no, true, false, 1, 0 or x)"]
    with database.transaction() as session:
        assert ema.import_offer(session, content, user="ana", sheet="TV").rows_taken == 38
    with pytest.raises(UserError, match="no sheet 'Films'"), database.transaction() as session:
        ema.import_offer(session, content, user="ana", sheet="Films")


@pytest.mark.parametrize("written", ["md:cid:eidr-s:{}", "doi:10.5240/{}", "https://doi.org/10.5240/{}", "10.5240/{}"])
def test_a_series_named_by_its_eidr_in_any_written_form_is_the_title_we_hold(database, written):
    eidr = "10.5240/7791-8534-2C23-9030-8610-5"
    with database.transaction() as session:
        held = catalogue.save_title(session, TitleDraft("Los Detectives", eidr=written.format(eidr[len("10.5240/"):])), user="ana")
    book = load_workbook(REFERENCE)
    sheet = book.worksheets[0]
    fields = [sheet.cell(2, c).value for c in range(1, 103)]
    for row in range(4, sheet.max_row + 1):
        sheet.cell(row, fields.index("SeriesID") + 1).value = written.format(eidr[len("10.5240/"):].lower())
    buffer = io.BytesIO()
    book.save(buffer)
    with database.transaction() as session:
        report = ema.import_offer(session, buffer.getvalue(), user="ana")
    assert report.titles_created == []
    with database.read() as session:
        assert {t.title_id for g in deals.load_deal(session, report.deal_id).grants for t in g.titles} == {held}
        assert catalogue.load_title(session, held).eidr == eidr
