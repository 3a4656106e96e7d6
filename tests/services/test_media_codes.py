"""A medium's code is kept as entered and found whatever the case (issue 19): a sales house adds
'inflight', and wherever a user or a file then names it (INFLIGHT, Inflight...) the grant, the
window, the fee rate, the revenue line and the EMA deal store 'inflight', and avails answer
for 'inflight'. A code that names no medium is refused with its value."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from rightsdesk.domain.enums import TermAnchor
from rightsdesk.domain.errors import ValidationError
from rightsdesk.domain.revenue import Options
from rightsdesk.domain.rights import HoldbackDraft
from rightsdesk.domain.windows import TemplateStep
from rightsdesk.persistence.models import RevenueLine
from rightsdesk.services import avails, deal_template, deals, ema, revenue, royalty_terms, windows
from rightsdesk.services import media as media_service
from rightsdesk.services.media import MediaDraft
from rightsdesk.services.royalty_terms import TermsDraft
from rightsdesk.services.windows import WindowDraft
from tests.services.test_deal_template import IN_GRANT, IN_ROW, filled, known  # noqa: F401 (fixture)
from tests.services.test_deals import USER, acquire, catalogue_, scope  # noqa: F401 (fixture)
from tests.services.test_ema import REFERENCE


@pytest.fixture
def inflight(database):
    with database.transaction() as session:
        assert media_service.save_media(session, MediaDraft("inflight", "Inflight entertainment"), user=USER) == "inflight"


def test_a_grant_naming_the_medium_in_any_case_stores_its_code(database, catalogue_, inflight):
    deal_id = acquire(database, catalogue_, media=["APP", "Inflight", "INFLIGHT"],
                      holdbacks=[HoldbackDraft(media=["INFLIGHT"], territories=scope("SEA"), after_release_of="InFlight",
                                               days_after_release=30)],
                      term_anchor=TermAnchor.FIRST_RELEASE, term_anchor_media="INFLIGHT", term_start_offset="P0D",
                      term_duration="P5Y", term_start=None, term_end=None)
    with database.read() as session:
        grant = deals.load_deal(session, deal_id).grants[0]
    assert grant.media == ["APP", "inflight"]  # typed twice in two cases: one medium
    assert (grant.holdbacks[0].media, grant.holdbacks[0].after_release_of) == (["inflight"], "inflight")
    assert grant.term_anchor_media == "inflight"
    with pytest.raises(ValidationError, match="'Boat' is not a known media"):
        acquire(database, catalogue_, media=["Boat"])


def test_avails_asked_in_any_case_answer_for_the_stored_code(database, catalogue_, inflight):
    acquire(database, catalogue_, media=["inflight"])
    with database.read() as session:
        answer = avails.ask(session, avails.AvailsRequest(
            territories="TH", start=date(2027, 1, 1), end=date(2027, 12, 31), titles=(catalogue_["bride"],),
            media=("INFLIGHT",)))
        rows = ema.offer_rows(session, answer, licensee="Vidio")
    assert answer.result.query.media == ("inflight",)
    assert {b.media for b in answer.result.blocks} == {"inflight"}
    assert {r["RetailerSpare1"] for r in rows} == {"inflight"} and rows[0]["AvailID"].endswith(
        "-TH-inflight-2027-01-01")
    with database.read() as session, pytest.raises(ValidationError, match="'Boat' is not a known media"):
        avails.ask(session, avails.AvailsRequest(territories="TH", start=date(2027, 1, 1), end=None,
                                                 titles=(catalogue_["bride"],), media=("Boat",)))


def test_the_deals_template_naming_the_medium_in_any_case_stores_its_code(database, known, inflight):
    grant = IN_GRANT[:4] + ["APP, Inflight"] + IN_GRANT[5:]
    with database.transaction() as session:
        report = deal_template.import_deals(session, filled([IN_ROW], [grant]), user="ana")
    with database.read() as session:
        [deal_id] = deals.find_deal_ids(session)
        assert deals.load_deal(session, deal_id).grants[0].media == ["APP", "inflight"]
    assert report.grants == 1
    with pytest.raises(ValidationError, match="'Boat' is not a known media"), database.transaction() as session:
        deal_template.import_deals(session, filled([IN_ROW], [IN_GRANT[:4] + ["Boat"] + IN_GRANT[5:]]), user="ana")


def test_windows_templates_and_fee_rates_naming_the_medium_in_any_case_store_its_code(database, catalogue_, inflight):
    deal_id = acquire(database, catalogue_, media=["inflight"])
    with database.transaction() as session:
        window_id = windows.save_window(session, WindowDraft(catalogue_["bride"], "th", "INFLIGHT", date(2026, 3, 1),
                                                             date(2026, 6, 30)), user=USER)
        template_id = windows.save_template(session, "Airlines", [TemplateStep("Inflight", 0, 0, 3, 0)])
        royalty_terms.save_terms(session, deal_id, TermsDraft(catalogue_["producer"], "USD", D(20),
                                                              [("INFLIGHT", None, D(10))]), user=USER)
    with database.read() as session:
        assert windows.load_window(session, window_id).media == "inflight"
        found = windows.windows_between(session, date(2026, 1, 1), date(2026, 12, 31), media="Inflight")
        assert [v.window.media for v in found] == ["inflight"]
        assert [s.media for t in windows.templates(session) if t.id == template_id for s in t.steps] == ["inflight"]
        assert royalty_terms.load_terms(session, deal_id).fee_rates == [("inflight", None, D(10))]
    with pytest.raises(ValidationError, match="'Boat' is not a known media"), database.transaction() as session:
        windows.save_window(session, WindowDraft(catalogue_["bride"], "TH", "Boat", date(2026, 3, 1)), user=USER)


def test_a_revenue_line_reporting_the_medium_in_any_case_is_read_as_its_code(database, catalogue_, inflight):
    mapping = {"period": "Period", "territory": "Country", "title_id": "Title", "media": "Channel",
               "gross_amount": "Revenue", "currency": "Currency"}
    content = ("Period,Country,Title,Channel,Revenue,Currency\n"
               "2026-07,TH,T000001,INFLIGHT,10.00,USD\n"
               "2026-07,TH,T000001,app,5.00,USD\n").encode()
    with database.transaction() as session:
        source = revenue.save_source(session, "Airline", currency="USD")
        revenue.import_file(session, source, "july.csv", content, mapping, Options(), user=USER)
    with database.read() as session:
        assert session.scalars(select(RevenueLine.media_code).order_by(RevenueLine.row_number)).all() == ["inflight", "APP"]
    with pytest.raises(revenue.ImportRefused) as refused, database.transaction() as session:
        revenue.import_file(session, source, "august.csv", content.replace(b"INFLIGHT", b"Boat"), mapping,
                            Options(), user=USER)
    assert any("'Boat' is not a known media" in str(p) for p in refused.value.problems)


def test_an_ema_offer_naming_our_medium_in_any_case_imports_as_its_code(database, inflight):
    book = load_workbook(REFERENCE)
    sheet = book.worksheets[0]
    fields = [sheet.cell(2, c).value for c in range(1, 103)]
    for row in range(4, sheet.max_row + 1):
        sheet.cell(row, fields.index("RetailerSpare1") + 1).value = "INFLIGHT"
    buffer = io.BytesIO()
    book.save(buffer)
    with database.transaction() as session:
        report = ema.import_offer(session, buffer.getvalue(), user="ana")
    with database.read() as session:
        assert {m for g in deals.load_deal(session, report.deal_id).grants for m in g.media} == {"inflight"}


def test_a_music_licence_naming_the_medium_in_any_case_stores_its_code(database, cue_sheet, inflight):
    from rightsdesk.domain.music import LicenceDraft
    from rightsdesk.domain.territories import ScopeItem, TerritoryScope
    from rightsdesk.persistence.models import MusicTrack
    from rightsdesk.services import music

    with database.read() as session:
        track = session.scalar(select(MusicTrack.id).where(MusicTrack.title == "Nobody's Song"))
    draft = LicenceDraft(track, territories=TerritoryScope((ScopeItem("TH"),)), media=["INFLIGHT", "app", "Inflight"],
                         term_start=date(2026, 1, 1), term_end=date(2028, 12, 31))
    with database.transaction() as session:
        licence_id = music.save_licence(session, draft, user=USER)
    with database.read() as session:
        assert music.load_licence(session, licence_id).media == ["APP", "inflight"]
