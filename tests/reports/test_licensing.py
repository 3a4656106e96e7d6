"""Licensing reports: each built from the database, read back from its PDF and its workbook."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from rightsdesk.domain.enums import LocalizationKind, LocalizationStatus
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.persistence.models import Deal, Grant, LocalizationTask, Party, Title
from rightsdesk.services import licensing_reports as licensing
from rightsdesk.reports.document import report_pdf, report_workbook
from rightsdesk.services import windows

TODAY = date(2026, 11, 25)
HOSTILE = "=HYPERLINK(\"x\") <b>&amp; \x07 سلسلة 长剧 ละคร " + "x" * 300


def build(database, name, **options):
    with database.read() as session:
        return licensing.build(name, {k: str(v) for k, v in options.items()}, session, TODAY)


def sheet_rows(report, heading):
    book = load_workbook(io.BytesIO(report_workbook(report, generated=TODAY)))
    sheet = book[heading[:31]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def test_expiring_lists_grants_ending_within_the_days_asked_and_no_others(demo_database, pdf_text):
    with demo_database.transaction() as session:
        grants = session.scalars(select(Grant).join(Deal).where(Deal.direction == "out").order_by(Grant.id)).all()[:3]
        grants[0].term_end = TODAY + timedelta(days=10)
        grants[1].term_end = TODAY + timedelta(days=60)
        grants[2].term_end = TODAY + timedelta(days=200)
        ends = {g.id: g.term_end for g in grants}
        references = {g.id: session.get(Deal, g.deal_id).reference for g in grants}
    report = build(demo_database, "expiring", days=90, direction="out")
    assert [t.heading for t in report.tables] == ["Licensed rights (OUT) expiring"]
    rows = report.tables[0].rows
    listed = {(r[2], r[0]) for r in rows}
    assert (references[grants[0].id], ends[grants[0].id]) in listed
    assert (references[grants[1].id], ends[grants[1].id]) in listed
    assert all(r[0] <= TODAY + timedelta(days=90) and r[1] == (r[0] - TODAY).days for r in rows)
    assert (references[grants[2].id], ends[grants[2].id]) not in listed
    text = pdf_text(report_pdf(report, generated=TODAY))
    assert f"{ends[grants[0].id]} 10 {references[grants[0].id]}" in text
    written = sheet_rows(report, "Licensed rights (OUT) expiring")
    assert written[0][0].date() == rows[0][0] and written[0][1] == rows[0][1]


def test_window_schedule_shows_each_window_in_the_dates_with_its_flags(demo_database, pdf_text):
    with demo_database.read() as session:
        views = windows.windows_between(session, date(2026, 1, 1), date(2027, 12, 31))
    report = build(demo_database, "windows", start="2026-01-01", end="2027-12-31")
    assert len(report.tables[0].rows) == len(views) > 0
    flagged = [v for v in views if v.flags]
    assert report.facts[1] == ("Flagged", str(len(flagged)))
    text = pdf_text(report_pdf(report, generated=TODAY))
    first = views[0]
    assert first.title_name.split()[0] in text and str(first.window.start) in text
    assert all(r[0] <= date(2027, 12, 31) and (r[1] == "open" or r[1] >= date(2026, 1, 1)) for r in report.tables[0].rows)


def test_music_clearance_says_which_tracks_block_each_title(database, cue_sheet, pdf_text):
    report = build(database, "music")
    states = {(r[0].split(" (")[0], r[1]): r[4] for r in report.tables[0].rows}
    assert states == {
        ("Bride", "Shared Theme"): "cleared", ("Bride", "Old Sting"): "licence expired",
        ("Bride", "Quoted Song"): "waiting for an answer", ("Bride", "Nobody's Song"): "no licence",
        ("Heiress", "Shared Theme"): "cleared",
    }
    assert ("Blocked", "2") in report.facts
    text = pdf_text(report_pdf(report, generated=TODAY))
    assert "Old Sting 1 1 licence expired" in text and "1,234.50" in text
    # the PDF prints each title once, as a heading over its tracks; the workbook keeps it on every row
    assert text.count("Bride (") == 1
    written = sheet_rows(report, "Music in the cue sheets")
    assert [r[0].split(" (")[0] for r in written].count("Bride") == 4
    assert next(r for r in written if r[1] == "Old Sting")[10] == 1234.5  # a number, formatted, not text


def test_localization_readiness_is_the_least_advanced_task(database, worked, pdf_text):
    bride, heiress = worked["titles"]
    with database.transaction() as session:
        for title, language, kind, status in (
                (bride, "es", LocalizationKind.SUBTITLES, LocalizationStatus.DELIVERED),
                (bride, "es", LocalizationKind.SUBTITLES, LocalizationStatus.REJECTED),  # one episode's were rejected
                (bride, "es", LocalizationKind.DUB, LocalizationStatus.IN_QC),
                (heiress, "th", LocalizationKind.SUBTITLES, LocalizationStatus.DELIVERED)):
            session.add(LocalizationTask(title_id=title, language_tag=language, kind=kind, status=status,
                                         due_on=date(2026, 1, 1)))
    report = build(database, "localization")
    table = report.tables[0]
    assert [c.name for c in table.columns] == ["Title", "es", "th"]
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["Bride"] == ["Subs rejected · Dub in QC (2 overdue)", "—"]
    assert rows["Heiress"] == ["—", "Subs delivered"]
    assert table.colours[(0, 1)] == licensing.LOCALIZATION_COLOURS[LocalizationStatus.REJECTED]
    assert ("Title × language ready", "1 of 2") in report.facts
    assert "Subs rejected · Dub in QC (2 overdue)" in pdf_text(report_pdf(report, generated=TODAY)).replace("\n", " ")


def test_deal_summary_has_grants_terms_expenses_and_statements(database, worked, pdf_text):
    report = build(database, "deal", deal="IN-1")
    headings = [t.heading for t in report.tables]
    assert headings == ["Grants", "Royalty terms", "Expenses"]
    terms = dict(report.tables[1].rows)
    assert terms["Distribution fee"] == "25 %" and terms["Minimum guarantee"] == "20,000.00 paid 2026-01-10"
    assert terms["Withholding tax"] == "10 %" and terms["Expense cap"] == "5,000.00"
    text = pdf_text(report_pdf(report, generated=TODAY))
    assert "Counterparty Golden Reel" in text and "Launch campaign" in text and "WORLD" in text


def test_catalogue_counts_titles_and_filters_by_text(demo_database):
    everything = build(demo_database, "catalogue")
    with demo_database.read() as session:
        assert len(everything.tables[0].rows) == session.query(Title).count()
        name = session.scalar(select(Title.original_name).order_by(Title.id))
    narrowed = build(demo_database, "catalogue", title=name)
    assert 1 <= len(narrowed.tables[0].rows) < len(everything.tables[0].rows)
    assert all(name.casefold() in r[1].casefold() for r in narrowed.tables[0].rows)


def test_bad_options_are_refused_with_every_problem(database):
    with pytest.raises(ValidationError) as error:
        build(database, "windows", start="2026-02-30", end="soon")
    assert error.value.problems == ["From: '2026-02-30' is not a date (YYYY-MM-DD)", "To: 'soon' is not a date (YYYY-MM-DD)"]
    with pytest.raises(ValidationError, match="Deal: required"):
        build(database, "deal")
    with pytest.raises(UserError, match="no report 'nope'"):
        build(database, "nope")


@pytest.mark.parametrize("name", sorted(licensing.REPORTS))
def test_hostile_text_goes_through_every_report(database, cue_sheet, name, pdf_text):
    bride = cue_sheet["titles"][0]
    with database.transaction() as session:
        session.get(Title, bride).original_name = HOSTILE
        session.get(Party, session.get(Deal, cue_sheet["deal"]).counterparty_id).name = HOSTILE
        session.add(LocalizationTask(title_id=bride, language_tag="ar", kind=LocalizationKind.SUBTITLES))
        windows_draft = windows.WindowDraft(bride, "US", "APP", date(2026, 3, 1), notes=HOSTILE)
        windows.save_window(session, windows_draft, user="ana")
        session.get(Grant, session.scalar(select(Grant.id))).term_end = TODAY + timedelta(days=20)
    options = {"avails": {"titles": "T000001", "territory": "US", "start": "2026-03-01"},
               "deal": {"deal": "IN-1"}, "windows": {"start": "2026-01-01"},
               "cue_sheet": {"title": "T000001"}}.get(name, {})
    report = build(database, name, **options)
    text = pdf_text(report_pdf(report, generated=TODAY))
    assert "=HYPERLINK" in text and "<b>&amp;" in text and "\x07" not in text
    book = load_workbook(io.BytesIO(report_workbook(report, generated=TODAY)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    hostile = [c for c in cells if "HYPERLINK" in c.value]
    assert hostile and all(c.data_type == "s" and "\x07" not in c.value for c in hostile)


def test_a_long_table_keeps_every_row_in_order_with_its_header_on_every_page(pdf_text):
    from rightsdesk.reports.document import Column, Report, Table

    rows = [(f"row-{n:05d}", "long text " * (n % 7)) for n in range(3000)]
    table = Table("Many", (Column("Key"), Column("Text", width=3)), rows, {(n, 0): "#F8B4B4" for n in range(0, 3000, 9)},
                  group_by=None)
    text = pdf_text(report_pdf(Report("Long", "everything", tables=[table]), generated=TODAY))
    keys = [line.split()[0] for line in text.splitlines() if line.startswith("row-")]
    assert keys == [key for key, _ in rows]
    pages = text.split("\f")[:-1]
    assert len(pages) > 30 and all("Key Text" in page for page in pages)


def test_the_readiness_matrix_narrows_to_titles_licensed_out_in_a_territory(database, worked):
    from rightsdesk.domain.enums import DealDirection, DealStatus
    from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
    from rightsdesk.domain.territories import ScopeItem, TerritoryScope
    from rightsdesk.services import deals

    bride, heiress = worked["titles"]
    with database.transaction() as session:
        platform = session.get(Deal, worked["deal"]).counterparty_id
        deals.save_deal(session, DealDraft(DealDirection.OUT, platform, "OUT-SEA", date(2026, 2, 1), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(bride)], territories=TerritoryScope((ScopeItem("SEA", True), ScopeItem("VN", excluded=True))),
                       media=["APP"], term_start=date(2026, 3, 1), term_end=date(2027, 2, 28))]), user="ana")
        for title in (bride, heiress):
            session.add(LocalizationTask(title_id=title, language_tag="th", kind=LocalizationKind.SUBTITLES))
    thailand = build(database, "localization", licensed_in="th")
    assert [row[0] for row in thailand.tables[0].rows] == ["Bride"] and "licensed out in TH" in thailand.asked
    assert build(database, "localization", licensed_in="VN").tables[0].rows == []  # excluded from the grant
    assert len(build(database, "localization").tables[0].rows) == 2
