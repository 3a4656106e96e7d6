"""The deals template: written with instructions, imported all or nothing through the deal service."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.errors import ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.reports.deal_template import template
from rightsdesk.services import catalogue, deal_template, deals, parties, royalty_terms


@pytest.fixture
def known(database):
    with database.transaction() as session:
        for name, kind in (("Golden Reel", PartyKind.PRODUCER), ("ShortMax", PartyKind.PLATFORM)):
            parties.save_party(session, PartyDraft(name, kind), user="ana")
        for name in ("Bride", "Heiress"):
            catalogue.save_title(session, TitleDraft(name, episodes=[EpisodeDraft(n, "", 90) for n in range(1, 61)]), user="ana")


def filled(deal_rows, grant_rows, payment_rows=()):
    book = load_workbook(io.BytesIO(template()))
    for name, rows in (("Deals", deal_rows), ("Grants", grant_rows), ("MG payments", payment_rows)):
        sheet = book[name]
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


IN_ROW = ["IN-2026-0001", "IN", "Golden Reel", "signed", date(2026, 1, 5), "USD", "", "Golden Reel", 25, 5000, 20000,
          date(2026, 1, 5), "0:60; 100000:70", "yes", 10, "quarterly"]
IN_GRANT = ["IN-2026-0001", "T000001, T000002[1-40]", "", "WORLD excluding CN, HK, MO, TW", "APP, AVOD, FAST", "",
            date(2026, 1, 1), None, "yes", "yes", ""]


def test_the_template_has_instructions_and_a_frozen_header(database):
    book = load_workbook(io.BytesIO(template()))
    assert book.sheetnames == ["Deals", "Grants", "MG payments", "Instructions"]
    assert book["Deals"].freeze_panes == "A2" and book["Grants"]["D1"].value == "Territories"
    assert any("Share tiers" in str(c.value) for c in book["Instructions"]["B"])


def test_deals_grants_and_terms_import(database, known):
    with database.transaction() as session:
        report = deal_template.import_deals(session, filled([IN_ROW], [IN_GRANT]), user="ana")
    assert report.deals == ["IN-2026-0001"] and report.grants == 1
    with database.read() as session:
        [deal_id] = deals.find_deal_ids(session)
        deal = deals.load_deal(session, deal_id)
        terms = royalty_terms.load_terms(session, deal_id)
    assert deal.direction is DealDirection.IN and deal.status is DealStatus.SIGNED
    grant = deal.grants[0]
    assert grant.territories.describe() == "WORLD excluding CN, HK, MO, TW" and grant.term_end is None
    assert [(t.first_episode, t.last_episode) for t in grant.titles] == [(None, None), (1, 40)]
    assert [(f, p) for f, p in terms.tiers] == [(0, 60), (100000, 70)] and terms.expense_cap == 5000


def test_reserves_mg_schedules_per_title_and_the_cap_per_title_come_from_the_template(database, known):
    row = IN_ROW[:10] + [None, None] + ["0:60", "no", 0, "quarterly", "yes", 20, 2, "line_period_end"]
    payments = [["IN-2026-0001", 8000, date(2026, 1, 10), "T000001"], ["IN-2026-0001", 2000, date(2026, 11, 15), "T000002"],
                ["IN-2026-0001", 500, date(2026, 2, 1), None]]
    with database.transaction() as session:
        deal_template.import_deals(session, filled([row], [IN_GRANT], payments), user="ana")
    with database.read() as session:
        terms = royalty_terms.load_terms(session, deals.find_deal_ids(session)[0])
    assert (terms.reserve_percent, terms.reserve_periods, terms.expense_cap_per_title, terms.fx_date_rule.value) == (
        20, 2, True, "line_period_end")
    assert [(a, d) for a, d, _ in terms.mg_payments] == [(8000, date(2026, 1, 10)), (500, date(2026, 2, 1)),
                                                        (2000, date(2026, 11, 15))]
    assert [t is None for _, _, t in terms.mg_payments] == [False, True, False]


def test_an_older_template_without_the_new_columns_still_imports(database, known):
    book = load_workbook(io.BytesIO(filled([IN_ROW], [IN_GRANT])))
    book["Deals"].delete_cols(17, 4)
    del book["MG payments"]
    buffer = io.BytesIO()
    book.save(buffer)
    with database.transaction() as session:
        assert deal_template.import_deals(session, buffer.getvalue(), user="ana").deals == ["IN-2026-0001"]


def test_an_mg_payment_needs_its_date_and_a_known_deal_and_title(database, known):
    payments = [["IN-2026-0001", 100, None, None], ["IN-9", 100, date(2026, 1, 1), None],
                ["IN-2026-0001", "lots", date(2026, 1, 1), "T999999"]]
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        deal_template.import_deals(session, filled([IN_ROW], [IN_GRANT], payments), user="ana")
    text = str(refused.value)
    for expected in ("MG payments!Paid on, row 2: is needed", "'IN-9' is not a reference", "'lots' is not a number",
                     "'T999999' is not a title"):
        assert expected in text, expected


def test_one_bad_cell_or_one_clash_imports_nothing(database, known):
    bad_grant = IN_GRANT[:1] + ["T999999", "", "SEA, QQ", "HOLO"] + IN_GRANT[5:]
    with pytest.raises(ValidationError) as refused:
        with database.transaction() as session:
            deal_template.import_deals(session, filled([IN_ROW, ["X-1", "SIDEWAYS"] + IN_ROW[2:]], [bad_grant]), user="ana")
    text = str(refused.value)
    assert "Grants!Titles, row 2" in text and "Deals!Direction, row 3" in text
    out_row = ["OUT-1", "OUT", "ShortMax", "signed", date(2026, 2, 1), "USD"] + [""] * 10
    clash = ["OUT-1", "T000001", "", "FR", "SVOD", "", date(2026, 3, 1), date(2026, 12, 31), "yes", "no", ""]
    with pytest.raises(ValidationError, match="Not acquired"):
        with database.transaction() as session:
            deal_template.import_deals(session, filled([IN_ROW, out_row], [IN_GRANT, clash]), user="ana")
    with database.read() as session:
        assert deals.find_deal_ids(session) == []  # the IN deal saved before the clash rolled back too


def _with(row, **cells):
    """IN_ROW or IN_GRANT with some cells replaced, by column position."""
    changed = list(row)
    for index, value in cells.items():
        changed[int(index[1:])] = value
    return changed


@pytest.mark.parametrize(("deal_row", "grant_row", "expected"), [
    # An MG typed as text with a dot before three digits reads 20 or 20 000: refused, never 20.
    (_with(IN_ROW, c10="20.000"), IN_GRANT, "Deals!MG, row 2: '20.000' reads as 20 or as 20000"),
    (_with(IN_ROW, c4="12.07.2026"), IN_GRANT, "Deals!Signed on, row 2: '12.07.2026' reads day-first or month-first"),
    (IN_ROW, _with(IN_GRANT, c7="2030"), "Grants!End, row 2: '2030' is not a date; the template takes a date: an Excel date or ISO"),
    (IN_ROW, _with(IN_GRANT, c7="2030-06"), "Grants!End, row 2: '2030-06' is not a date"),
    (IN_ROW, _with(IN_GRANT, c8="maybe"), "Grants!Exclusive, row 2: 'maybe' is not yes or no"),
    (IN_ROW, _with(IN_GRANT, c9="si"), "Grants!Sublicensing, row 2: 'si' is not yes or no"),
    (IN_ROW, _with(IN_GRANT, c9=42), "Grants!Sublicensing, row 2: '42' is not yes or no"),
    (IN_ROW, _with(IN_GRANT, c1="T000001[1-99999]"), "'T000001[1-99999]' has an episode range beyond the title's episodes (60)"),
    (IN_ROW, _with(IN_GRANT, c1="T000001[40-2]"), "'T000001[40-2]' has an episode range that runs backwards"),
    (IN_ROW, _with(IN_GRANT, c10="invoice\u202egpj.exe"), "Grants!Notes, row 2: 'invoice\\u202egpj.exe' holds a control character (U+202E)"),
    (_with(IN_ROW, c8="=B2*100"), IN_GRANT, "Deals!Fee %, row 2: holds a formula (=B2*100) with no saved result"),
])
def test_values_that_read_two_ways_or_not_at_all_are_refused_with_their_cell(database, known, deal_row, grant_row, expected):
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        deal_template.import_deals(session, filled([deal_row], [grant_row]), user="ana")
    assert expected in str(refused.value)
    with database.read() as session:
        assert deals.find_deal_ids(session) == []


def test_problems_carry_the_sheets_own_row_numbers_past_blank_rows(database, known):
    second = _with(IN_ROW, c0="IN-2026-0002", c10="1.500")
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        deal_template.import_deals(session, filled([IN_ROW, [None] * 16, [None] * 16, second], [IN_GRANT]), user="ana")
    assert "Deals!MG, row 5: '1.500' reads as 1.5 or as 1500" in str(refused.value)


def test_a_grant_the_deal_service_refuses_is_named_by_its_own_row_on_the_grants_sheet(database, known):
    grant = _with(IN_GRANT, c3="QQ", c4="APP, NOPE")
    with pytest.raises(ValidationError) as refused, database.transaction() as session:
        deal_template.import_deals(session, filled([IN_ROW], [[None] * 11, [None] * 11, IN_GRANT, grant]), user="ana")
    text = str(refused.value)
    assert "Grants!Territories, row 5" in text and "Grants!Media, row 5" in text and "(deal IN-2026-0001)" in text
