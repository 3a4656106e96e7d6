"""Writes the demo catalogue, one part of the business at a time."""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.domain.catalogue import eidr_check_character
from rightsdesk.domain.enums import (
    BatchStatus,
    CreditRole,
    DealDirection,
    DealStatus,
    ExpenseCategory,
    LicenceStatus,
    LocalizationKind,
    LocalizationStatus,
    PartyKind,
    RevenueType,
    StatementFrequency,
    TermAnchor,
    UsageCode,
    WindowStatus,
)
from rightsdesk.domain import terms
from rightsdesk.persistence import models as m
from rightsdesk.persistence.base import utcnow
from rightsdesk.persistence.bulk import insert_plain, plain_day
from rightsdesk.persistence.database import catch_up_id_sequences
from rightsdesk.services import reference
from rightsdesk.services.demo import names
from rightsdesk.services.demo.names import ENGLISH, NameStyle

CHUNK = 50_000
IN_MEDIA = ("APP", "SVOD", "AVOD", "FAST", "SOCIAL_CLIPS")
# Regions sold to, with a market currency; none overlaps Greater China, which Chinese
# producers keep for themselves.
REGIONS = ("SEA", "LATAM", "EU", "NORTH_AMERICA", "MENA", "ANZ", "UK_IE")
LIBRARY_REGIONS = ("NORTH_AMERICA", "LATAM", "UK_IE", "EU")  # where FAST channels buy vertical libraries
# The demo plans AVOD and FAST windows to the end of the rights most IN deals grant, so that
# a window is flagged only where the rights really run short.
DEMO_RIGHTS_END = date(2031, 12, 31)
REGION_SAMPLE = {  # a few countries of each region where windows are planned and revenue earned
    "SEA": ("TH", "ID", "PH", "VN", "MY"), "LATAM": ("MX", "BR", "CO", "AR", "CL"),
    "EU": ("DE", "FR", "ES", "IT", "PL"), "NORTH_AMERICA": ("US", "CA"),
    "MENA": ("SA", "AE", "EG"), "ANZ": ("AU", "NZ"), "UK_IE": ("GB", "IE"),
}
FX_TO_USD = {"USD": "1", "EUR": "1.08", "GBP": "1.27", "THB": "0.028", "BRL": "0.19",
             "MXN": "0.055", "IDR": "0.000063", "PHP": "0.0175", "CNY": "0.139", "HKD": "0.128"}
TARGET_LANGUAGES = ("en", "es-419", "pt-BR", "th", "id", "vi", "ar", "fr", "de")
PERIODS = [(date(2026, q * 3 - 2, 1), date(2026, q * 3, 1) + relativedelta(months=1, days=-1))
           for q in (1, 2, 3)]


@dataclass
class DemoSummary:
    counts: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, table: str) -> int:
        return self.counts[table]

    def lines(self) -> list[str]:
        return [f"{table}: {count}" for table, count in sorted(self.counts.items())]


@dataclass
class _Title:
    id: int
    style: NameStyle
    producer_id: int
    episodes: int
    runtime: int


class DemoBuilder:
    def __init__(
        self,
        session: Session,
        *,
        titles: int,
        seed: int,
        progress: Callable[[str, int], None] | None = None,
        revenue_lines: int = 0,
    ):
        self.revenue_lines = revenue_lines
        self.session = session
        self.connection = session.connection()
        self.rng = random.Random(seed)
        self.seed = seed
        self.title_count = titles
        self.progress = progress or (lambda stage, percent: None)
        self.summary = DemoSummary()
        self.titles: list[_Title] = []
        self.parties: dict[PartyKind, list[tuple[int, str, str]]] = defaultdict(list)
        self.party_names: dict[int, str] = {}
        self.group_ids = dict(self.session.execute(select(m.TerritoryGroup.code, m.TerritoryGroup.id)).all())
        self.next_ids: dict[str, int] = {}

    # -- plumbing ---------------------------------------------------------------------------

    def new_id(self, model: Any) -> int:
        table = model.__tablename__
        if table not in self.next_ids:
            self.next_ids[table] = (self.session.scalar(select(func.max(model.id))) or 0) + 1
        self.next_ids[table] += 1
        return self.next_ids[table] - 1

    def insert(self, model: Any, rows: Sequence[dict[str, Any]]) -> None:
        for start in range(0, len(rows), CHUNK):
            self.connection.execute(model.__table__.insert(), list(rows[start : start + CHUNK]))
        self.summary.counts[model.__tablename__] += len(rows)

    def money(self, low: int, high: int, places: int = 2) -> Decimal:
        return Decimal(self.rng.randint(low * 10**places, high * 10**places)).scaleb(-places)

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    # -- the catalogue ----------------------------------------------------------------------

    def build(self) -> DemoSummary:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("parties", self.add_parties),
            ("titles and episodes", self.add_titles),
            ("libraries", self.add_libraries),
            ("rights bought in", self.add_in_deals),
            ("rights licensed out", self.add_out_deals),
            ("music", self.add_music),
            ("localization", self.add_localization),
            ("revenue", self.add_revenue),
            ("a platform's month at volume", self.add_volume),
        ]
        for done, (stage, step) in enumerate(steps):
            self.progress(stage, done * 100 // len(steps))
            step()
        catch_up_id_sequences(self.connection, self.next_ids)
        self.progress("done", 100)
        return self.summary

    def add_parties(self) -> None:
        rows = []

        def party(kind: PartyKind, name: str, country: str, currency: str) -> None:
            party_id = self.new_id(m.Party)
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20] or "party"
            rows.append(dict(
                id=party_id, name=name, legal_name=name, kind=kind, tax_residence=country,
                currency=currency, contact_name="", email=f"rights@{slug}.example",
                phone="", address="", tax_id="", payment_reference=f"V{party_id:05d}", notes="",
                version=1, created_at=utcnow(), updated_at=utcnow(),
            ))
            self.parties[kind].append((party_id, country, currency))
            self.party_names[party_id] = name

        producers = max(8, self.title_count // 40)
        places = [(country, city) for country, cities in names.PRODUCER_PLACES.items() for city in cities]
        seen: set[str] = set()
        for index in range(producers):
            country, city = places[index % len(places)] if index < len(places) else self.rng.choice(places)
            name = f"{city} {self.rng.choice(names.PRODUCER_WORDS)} {self.rng.choice(names.PRODUCER_SUFFIX)}"
            while name in seen:
                name = f"{name} {len(seen) % 7 + 2}"
            seen.add(name)
            currency = {"CN": "CNY", "TH": "THB", "BR": "BRL", "MX": "MXN", "GB": "GBP"}.get(country, "USD")
            party(PartyKind.PRODUCER, name, country, currency)
        for kind, entries in (
            (PartyKind.PLATFORM, names.PLATFORMS), (PartyKind.CHANNEL, names.CHANNELS),
            (PartyKind.BROADCASTER, names.BROADCASTERS), (PartyKind.MUSIC_PUBLISHER, names.PUBLISHERS),
            (PartyKind.RECORD_LABEL, names.LABELS), (PartyKind.LOCALIZATION_VENDOR, names.VENDORS),
        ):
            for name, country, currency in entries:
                party(kind, name, country, currency)
        self.insert(m.Party, rows)

    def add_titles(self) -> None:
        producers_by_country: dict[str, list[int]] = defaultdict(list)
        for party_id, country, _ in self.parties[PartyKind.PRODUCER]:
            producers_by_country[country].append(party_id)
        all_producers = [p for p, _, _ in self.parties[PartyKind.PRODUCER]]
        seasons: Counter[tuple[str, int, int]] = Counter()
        title_rows, name_rows, episode_rows = [], [], []
        episode_id = None
        for index in range(self.title_count):
            style = self.rng.choices(names.STYLES, weights=names.STYLE_WEIGHTS)[0]
            noun, owner = self.rng.randrange(10), self.rng.randrange(10)
            seasons[(style.language, noun, owner)] += 1
            season = seasons[(style.language, noun, owner)]
            country = self.rng.choice(style.countries)
            producer = self.rng.choice(producers_by_country.get(country) or all_producers)
            title_id = self.new_id(m.Title)
            episodes = self.rng.randint(40, 120)
            runtime = 0
            title_rows.append(dict(
                id=title_id, internal_id=f"T{title_id:06d}",
                original_name=_name(style, noun, owner, season), original_language=style.language,
                country_of_origin=country, genre=self.rng.choice(names.GENRES),
                production_year=self.rng.randint(2022, 2026), producer_id=producer,
                eidr=self.eidr() if self.rng.random() < 0.15 else None, aspect_ratio="9:16",
                synopsis="", notes="", version=1, created_at=utcnow(), updated_at=utcnow(),
            ))
            for other in self.localized_styles(style):
                name_rows.append(dict(
                    title_id=title_id, language_tag=other.language,
                    name=_name(other, noun, owner, season),
                ))
            for number in range(1, episodes + 1):
                if episode_id is None:
                    episode_id = self.new_id(m.Episode)
                else:
                    episode_id += 1
                seconds = self.rng.randint(60, 180)
                runtime += seconds
                episode_rows.append(dict(
                    id=episode_id, title_id=title_id, number=number,
                    name=style.episode.format(n=number), runtime_seconds=seconds, eidr=None,
                ))
            self.titles.append(_Title(title_id, style, producer, episodes, runtime))
            if len(episode_rows) >= CHUNK:
                self.flush_titles(title_rows, name_rows, episode_rows)
                self.progress("titles and episodes", 12 * (index + 1) // self.title_count + 12)
        self.flush_titles(title_rows, name_rows, episode_rows)

    def flush_titles(self, *batches: list[dict[str, Any]]) -> None:
        for model, rows in zip((m.Title, m.TitleLocalizedName, m.Episode), batches, strict=True):
            self.insert(model, rows)
            rows.clear()

    def localized_styles(self, style: NameStyle) -> list[NameStyle]:
        others = [s for s in names.STYLES if s is not style and s is not ENGLISH]
        chosen = [ENGLISH] if style is not ENGLISH else []
        return chosen + self.rng.sample(others, self.rng.randint(0, 2))

    def eidr(self) -> str:
        digits = "".join(self.rng.choice("0123456789ABCDEF") for _ in range(20))
        groups = "-".join(digits[i : i + 4] for i in range(0, 20, 4))
        return f"10.5240/{groups}-{eidr_check_character(digits)}"

    def add_libraries(self) -> None:
        count = max(3, self.title_count // 100)
        libraries, members = [], []
        self.libraries: list[tuple[int, list[int]]] = []
        ids = [t.id for t in self.titles]
        for index in range(count):
            library_id = self.new_id(m.Library)
            if index == 0:
                name, size = "Vertical Essentials", min(len(ids), 500)
            else:
                genre = names.GENRES[index % len(names.GENRES)]
                name, size = f"{genre} Vertical Library Vol. {index // len(names.GENRES) + 1}", self.rng.randint(20, 200)
            chosen = sorted(self.rng.sample(ids, min(size, len(ids))))
            libraries.append(dict(
                id=library_id, code=f"LIB{library_id:04d}", name=name,
                description=f"{len(chosen)} vertical series for AVOD and FAST channels",
                version=1, created_at=utcnow(), updated_at=utcnow(),
            ))
            members += [dict(library_id=library_id, title_id=t, added_on=self.day_between(date(2025, 3, 1), date(2026, 3, 1)),
                             removed_on=None) for t in chosen]
            self.libraries.append((library_id, chosen))
        self.insert(m.Library, libraries)
        self.insert(m.LibraryMember, members)

    # -- rights -----------------------------------------------------------------------------

    def grant(self, rows: dict[str, list[dict[str, Any]]], deal_id: int, *, exclusive: bool,
              start: date | None, end: date | None, media: Sequence[str], include: Sequence[str],
              exclude: Sequence[str] = (), titles: Sequence[int] = (), libraries: Sequence[int] = (),
              sublicensing: bool = False) -> int:
        grant_id = self.new_id(m.Grant)
        rows["grant"].append(dict(
            id=grant_id, deal_id=deal_id, exclusive=exclusive, sublicensing_allowed=sublicensing,
            term_start=start, term_end=end, term_duration=None, term_anchor=None, term_anchor_media=None,
            term_anchor_on=None, term_start_offset=None, notes="",
            version=1, created_at=utcnow(), updated_at=utcnow(),
        ))
        rows["titles"] += [dict(grant_id=grant_id, title_id=t, first_episode=None, last_episode=None) for t in titles]
        rows["libraries"] += [dict(grant_id=grant_id, library_id=lib) for lib in libraries]
        rows["media"] += [dict(grant_id=grant_id, media_code=code) for code in media]
        for code, excluded in [(c, False) for c in include] + [(c, True) for c in exclude]:
            is_group = code in self.group_ids
            rows["territories"].append(dict(
                grant_id=grant_id, territory_code=None if is_group else code,
                group_id=self.group_ids[code] if is_group else None, excluded=excluded,
            ))
        return grant_id

    def counted_from_delivery(self, rows: dict[str, list[dict[str, Any]]], grant_id: int) -> None:
        """The first slate's rights run 8 years from delivery, delivered on the grant's start
        (past the other slates' 2031 end, so every licence drawn on it stays inside), with an
        option of 2 more years whose 30 days' notice falls due at the end of 2026 (Home shows it)."""
        row = next(r for r in rows["grant"] if r["id"] == grant_id)
        row.update(term_anchor=TermAnchor.DELIVERY, term_anchor_on=row["term_start"], term_start_offset="P0D",
                   term_duration="P8Y", term_end=terms.term_end(row["term_start"], terms.Duration(8)))
        self.option(rows, grant_id, "P2Y", date(2027, 1, 29), 30, "Licensor's option: 2 more years on the same terms")

    def option(self, rows: dict[str, list[dict[str, Any]]], grant_id: int, extend_by: str, exercise_by: date,
               notice_days: int, notes: str) -> None:
        rows["options"].append(dict(id=self.new_id(m.GrantOption), grant_id=grant_id, extend_by=extend_by,
                                    exercise_by=exercise_by, notice_days=notice_days, exercised_on=None,
                                    exercised_by="", notes=notes))

    def waiting_for_delivery(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """Non-theatrical rights (airlines, hotels) to the first title, 5 years from a delivery
        still to come: avails answer "term starts on delivery, not yet delivered" for them. No
        licence out draws on them (a licence could not be sure of them until delivered)."""
        title = self.titles[0]
        deal_id = self.deal(rows, direction=DealDirection.IN, party=title.producer_id, reference="IN-2026-NT01",
                            signed=date(2026, 10, 1), currency="USD")
        grant_id = self.grant(rows, deal_id, exclusive=True, start=None, end=None, media=("NON_THEATRICAL",),
                              include=["WORLD"], titles=[title.id])
        row = next(r for r in rows["grant"] if r["id"] == grant_id)
        row.update(term_anchor=TermAnchor.DELIVERY, term_start_offset="P0D", term_duration="P5Y")
        self.option(rows, grant_id, "P1Y", date(2033, 6, 30), 90, "One more year if the airline renews")

    def write_rights(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        for key, model in (("deal", m.Deal), ("grant", m.Grant), ("titles", m.GrantTitle),
                           ("libraries", m.GrantLibrary), ("media", m.GrantMedia),
                           ("territories", m.GrantTerritory), ("holdback", m.Holdback),
                           ("holdback_media", m.HoldbackMedia),
                           ("holdback_territories", m.HoldbackTerritory), ("options", m.GrantOption),
                           ("terms", m.RoyaltyTerms), ("tiers", m.ShareTier), ("mg_payments", m.MgPayment),
                           ("expenses", m.Expense)):
            self.insert(model, rows.get(key, []))

    def deal(self, rows: dict[str, list[dict[str, Any]]], *, direction: DealDirection, party: int,
             reference: str, signed: date, currency: str) -> int:
        deal_id = self.new_id(m.Deal)
        rows["deal"].append(dict(
            id=deal_id, direction=direction, counterparty_id=party, reference=reference,
            signed_on=signed, status=DealStatus.SIGNED, currency=currency, notes="",
            version=1, created_at=utcnow(), updated_at=utcnow(),
        ))
        return deal_id

    def add_in_deals(self) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_producer: dict[int, list[_Title]] = defaultdict(list)
        for title in self.titles:
            by_producer[title.producer_id].append(title)
        residence = {p: country for p, country, _ in self.parties[PartyKind.PRODUCER]}
        # A producer sells its series a few at a time (a slate of 4 to 12 per deal), as microdrama
        # producers do: 20 000 titles make about 2 500 deals, most of them stated quarterly, so
        # a quarter's month-end has about 2 000 statements to run (issue 15).
        slates = []
        for producer, catalogue in sorted(by_producer.items()):
            while catalogue:
                size = self.rng.randint(4, 12)
                slates.append((producer, catalogue[:size]))
                catalogue = catalogue[size:]
        for number, (producer, titles) in enumerate(slates, start=1):
            signed = self.day_between(date(2024, 10, 1), date(2025, 6, 30))
            deal_id = self.deal(rows, direction=DealDirection.IN, party=producer,
                                reference=f"IN-{signed.year}-{number:04d}", signed=signed, currency="USD")
            chinese = titles[0].style.language.startswith("zh")
            grant_id = self.grant(rows, deal_id, exclusive=True, start=date(signed.year, signed.month, 1),
                                  end=None if self.rng.random() < 0.2 else date(2031, 12, 31),
                                  media=IN_MEDIA, include=["WORLD"], exclude=["GREATER_CHINA"] if chinese else [],
                                  titles=[t.id for t in titles], sublicensing=True)
            if number == 1:
                self.counted_from_delivery(rows, grant_id)
            terms_id = self.new_id(m.RoyaltyTerms)
            has_mg = self.rng.random() < 0.6
            rows["terms"].append(dict(
                id=terms_id, deal_id=deal_id, participant_id=producer, currency="USD",
                default_fee_percent=Decimal(self.rng.choice((20, 25, 30, 35))),
                expense_cap=Decimal(self.rng.choice((5000, 10000, 20000))),
                cross_collateralized=self.rng.random() < 0.85,
                withholding_percent=Decimal({"CN": 10, "TH": 15, "ID": 20, "BR": 15}.get(residence[producer], 0)),
                frequency=self.rng.choice((StatementFrequency.QUARTERLY,) * 8 + (StatementFrequency.MONTHLY, StatementFrequency.SEMI_ANNUAL)),
                first_period_start=date(2026, 1, 1), library_split_rule=m.RoyaltyTerms.library_split_rule.default.arg,
                fx_date_rule=m.RoyaltyTerms.fx_date_rule.default.arg,
                version=1, created_at=utcnow(), updated_at=utcnow(),
            ))
            if has_mg:
                rows["mg_payments"].append(dict(terms_id=terms_id, title_id=None, paid_on=signed, note="",
                                                amount=Decimal(self.rng.choice((10000, 20000, 50000)))))
            rows["tiers"].append(dict(terms_id=terms_id, from_cumulative_net=Decimal(0), percent=Decimal(60)))
            if self.rng.random() < 0.5:
                rows["tiers"].append(dict(terms_id=terms_id, from_cumulative_net=Decimal(100000), percent=Decimal(70)))
            for _ in range(self.rng.randint(1, 3)):
                category = self.rng.choice(list(ExpenseCategory)[:4])
                rows["expenses"].append(dict(
                    deal_id=deal_id, category=category, incurred_on=self.day_between(date(2025, 7, 1), date(2026, 9, 30)),
                    description=f"{category.value.title()} costs", amount=self.money(300, 6000),
                    currency="USD", recoupable=True, localization_task_id=None, music_licence_id=None,
                    created_at=utcnow(), updated_at=utcnow(),
                ))
        self.write_rights(rows)

    def add_out_deals(self) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # A title is licensed exclusively on APP at most once per region, so the demo's
        # exclusive deals never clash with one another.
        unlicensed = {region: [t.id for t in self.titles] for region in REGIONS}
        for pool in unlicensed.values():
            self.rng.shuffle(pool)
        # A library goes to a FAST channel in one region; its titles are not licensed on APP
        # where that region reaches, since an APP deal's holdback keeps AVOD and FAST away for
        # 90 days after the APP release: every signed deal of the demo passes the clash check.
        library_regions = {library_id: self.rng.choice(LIBRARY_REGIONS) for library_id, _ in self.libraries}
        countries = reference.territory_groups(self.session)
        for library_id, titles in self.libraries:
            reach = countries[library_regions[library_id]]
            members = set(titles)
            for region, pool in unlicensed.items():
                if countries[region] & reach:
                    pool[:] = [t for t in pool if t not in members]
        self.app_grants: list[tuple[int, list[int], str, date, date]] = []
        self.licensed: list[tuple[int, list[int], str, int | None]] = []  # source party, titles, region, library
        platforms = self.parties[PartyKind.PLATFORM] + self.parties[PartyKind.BROADCASTER]
        deal_count = max(6, self.title_count // 25)
        for number in range(1, deal_count + 1):
            party, _, currency = self.rng.choice(platforms)
            region = self.rng.choice(REGIONS)
            pool = unlicensed[region]
            titles = [pool.pop() for _ in range(min(len(pool), self.rng.randint(1, 15)))]
            if not titles:
                continue
            for other, others in unlicensed.items():  # regions that share countries (IE: EU, UK_IE)
                if other != region and countries[other] & countries[region]:
                    others[:] = [t for t in others if t not in titles]
            signed = self.day_between(date(2025, 7, 1), date(2026, 6, 30))
            start = signed + timedelta(days=self.rng.randint(14, 60))
            end = start + relativedelta(years=self.rng.choice((1, 2, 3)), days=-1)  # some end within months
            deal_id = self.deal(rows, direction=DealDirection.OUT, party=party,
                                reference=f"OUT-{signed.year}-{number:04d}", signed=signed, currency="USD")
            grant_id = self.grant(rows, deal_id, exclusive=True, start=start, end=end,
                                  media=("APP", "SOCIAL_CLIPS"), include=[region], titles=titles)
            self.holdback(rows, grant_id, region)
            self.app_grants.append((grant_id, titles, region, start, end))
            self.licensed.append((party, titles, region, None))
        for library_id, titles in self.libraries:
            party, _, _ = self.rng.choice(self.parties[PartyKind.CHANNEL])
            region = library_regions[library_id]
            signed = self.day_between(date(2025, 9, 1), date(2026, 3, 31))
            deal_id = self.deal(rows, direction=DealDirection.OUT, party=party,
                                reference=f"OUT-{signed.year}-L{library_id:04d}", signed=signed, currency="USD")
            start = signed + relativedelta(months=2, day=1)
            self.grant(rows, deal_id, exclusive=False, start=start, end=start + relativedelta(years=2, days=-1),
                       media=("FAST", "AVOD"), include=[region], libraries=[library_id])
            self.licensed.append((party, titles, region, library_id))
        self.waiting_for_delivery(rows)
        self.write_rights(rows)
        self.add_windows()

    def holdback(self, rows: dict[str, list[dict[str, Any]]], grant_id: int, region: str) -> None:
        holdback_id = self.new_id(m.Holdback)
        rows["holdback"].append(dict(
            id=holdback_id, grant_id=grant_id, starts_on=None, ends_on=None, after_release_of="APP",
            days_after_release=90, description="No AVOD or FAST until 90 days after the APP release",
        ))
        rows["holdback_media"] += [dict(holdback_id=holdback_id, media_code=c) for c in ("AVOD", "FAST")]
        rows["holdback_territories"].append(dict(holdback_id=holdback_id, territory_code=None,
                                                 group_id=self.group_ids[region], excluded=False))

    def add_windows(self) -> None:
        rows = []
        budget = 6000  # windows planned for the first exclusive deals; enough to look at
        for grant_id, titles, region, start, end in self.app_grants:
            for title_id in titles:
                for territory in self.rng.sample(REGION_SAMPLE[region], min(2, len(REGION_SAMPLE[region]))):
                    launch = start + timedelta(days=self.rng.randint(0, 45))
                    released = launch < date(2026, 11, 1)
                    rows.append(dict(
                        title_id=title_id, territory_code=territory, media_code="APP", grant_id=grant_id,
                        template_id=1, exclusive=True,
                        status=WindowStatus.RELEASED if released else WindowStatus.PLANNED,
                        planned_start=launch, planned_end=min(end, launch + timedelta(days=90)),
                        actual_start=launch if released else None, actual_end=None, notes="",
                        version=1, created_at=utcnow(), updated_at=utcnow(),
                    ))
                    for media, offset in (("AVOD", 91), ("FAST", 180)):
                        rows.append(dict(
                            title_id=title_id, territory_code=territory, media_code=media, grant_id=None,
                            template_id=1, exclusive=False, status=WindowStatus.PLANNED,
                            planned_start=launch + timedelta(days=offset), planned_end=DEMO_RIGHTS_END,
                            actual_start=None, actual_end=None, notes="",
                            version=1, created_at=utcnow(), updated_at=utcnow(),
                        ))
            if len(rows) >= budget:
                break
        self.insert(m.ReleaseWindow, rows)

    # -- music and localization -------------------------------------------------------------

    def add_music(self) -> None:
        track_rows, credit_rows, licence_rows, scope_rows, media_rows, cue_rows = [], [], [], [], [], []
        publishers = {p: self.party_names[p] for p, _, _ in self.parties[PartyKind.MUSIC_PUBLISHER]}
        for index in range(60 + self.title_count // 20):
            track_id = self.new_id(m.MusicTrack)
            composer = self.rng.choice(names.COMPOSERS)
            track_rows.append(dict(
                id=track_id, title=f"{self.rng.choice(names.TRACK_WORDS)} {self.rng.choice(names.TRACK_NOUNS)} {index + 1}",
                isrc=f"QZ{self.rng.choice('ABCDEFGH')}{self.rng.randint(10, 99)}{26}{index:05d}"[:12], iswc=None,
                duration_seconds=self.rng.randint(30, 240), notes="", created_at=utcnow(), updated_at=utcnow(),
            ))
            publisher = self.rng.choice(sorted(publishers))
            credit_rows += [
                dict(track_id=track_id, role=CreditRole.COMPOSER, name=composer, party_id=None,
                     share_percent=Decimal(50), society=self.rng.choice(names.SOCIETIES), ipi=""),
                dict(track_id=track_id, role=CreditRole.PUBLISHER, name=publishers[publisher], party_id=publisher,
                     share_percent=Decimal(50), society=self.rng.choice(names.SOCIETIES), ipi=""),
            ]
            status = self.rng.choices(list(LicenceStatus)[:5], weights=(5, 10, 10, 70, 5))[0]
            licence_id = self.new_id(m.MusicLicence)
            # Cleared licences were asked for before the catalogue's releases; open ones lately.
            requested = self.day_between(date(2024, 10, 1), date(2024, 12, 1)) if status is LicenceStatus.CLEARED \
                else self.day_between(date(2026, 6, 1), date(2026, 11, 10))
            narrow = status is LicenceStatus.CLEARED and self.rng.random() < 0.1
            licence_rows.append(dict(
                id=licence_id, track_id=track_id, licensor_id=publisher, covers_sync=True, covers_master=True,
                status=status, term_start=date(2025, 1, 1),
                term_end=date(2026, 6, 30) if narrow else date(2032, 12, 31),
                fee=self.money(200, 3000), currency="USD",
                requested_on=requested if status is not LicenceStatus.NOT_REQUESTED else None,
                answered_on=requested + timedelta(days=self.rng.randint(5, 40))
                if status in (LicenceStatus.CLEARED, LicenceStatus.DENIED) else None,
                document_reference=f"ML-{licence_id:05d}.pdf" if status is LicenceStatus.CLEARED else "",
                notes="", version=1, created_at=utcnow(), updated_at=utcnow(),
            ))
            scope_rows.append(dict(licence_id=licence_id, territory_code=None, group_id=self.group_ids["WORLD"], excluded=False))
            media_rows += [dict(licence_id=licence_id, media_code=c) for c in IN_MEDIA]
        track_ids = [row["id"] for row in track_rows]
        # Background cues come from production music cleared worldwide; a series' own theme and
        # ending are now and then a track still being negotiated, which is what blocks releases.
        cleared = [row["track_id"] for row in licence_rows
                   if row["status"] is LicenceStatus.CLEARED and row["term_end"] == date(2032, 12, 31)] or track_ids
        # Cue sheets for the first titles: every episode has its main and end title, and one
        # or two background cues from a library of tracks shared across series.
        first_episode = self.session.scalar(select(func.min(m.Episode.id))) or 0
        episode_id = first_episode
        for title in self.titles:
            if title.id - self.titles[0].id >= 400:
                break
            theme, ending = (self.rng.choice(track_ids if self.rng.random() < chance else cleared) for chance in (0.12, 0.08))
            for _ in range(title.episodes):
                cues = [(theme, UsageCode.MT, 0, 12_000)]
                clock = 12_000
                for _ in range(self.rng.randint(1, 2)):
                    length = self.rng.randint(8, 40) * 1000  # cue sheets time cues to the second
                    cues.append((self.rng.choice(cleared), self.rng.choice((UsageCode.BI, UsageCode.BV, UsageCode.SRC)), clock, clock + length))
                    clock += length + self.rng.randint(1, 10) * 1000
                cues.append((ending, UsageCode.ET, clock, clock + 10_000))
                cue_rows += [dict(episode_id=episode_id, track_id=t, position=i, usage=u, in_ms=a, out_ms=b)
                             for i, (t, u, a, b) in enumerate(cues, start=1)]
                episode_id += 1
        self.insert(m.MusicTrack, track_rows)
        self.insert(m.TrackCredit, credit_rows)
        self.insert(m.MusicLicence, licence_rows)
        self.insert(m.MusicLicenceTerritory, scope_rows)
        self.insert(m.MusicLicenceMedia, media_rows)
        self.insert(m.Cue, cue_rows)

    def add_localization(self) -> None:
        rows = []
        vendors = self.parties[PartyKind.LOCALIZATION_VENDOR]
        statuses = list(LocalizationStatus)
        for title in self.titles:
            targets = [t for t in TARGET_LANGUAGES if not title.style.language.startswith(t.split("-")[0])]
            for language in self.rng.sample(targets, self.rng.randint(1, 4)):
                kinds = [LocalizationKind.SUBTITLES]
                if self.rng.random() < 0.25:
                    kinds.append(LocalizationKind.DUB)
                if self.rng.random() < 0.3:
                    kinds.append(LocalizationKind.METADATA_ARTWORK)
                for kind in kinds:
                    vendor, _, _ = self.rng.choice(vendors)
                    status = self.rng.choices(statuses, weights=(15, 20, 10, 50, 5))[0]
                    # Delivered work fell due over the last year; open work mostly falls due ahead.
                    delivered = status is LocalizationStatus.DELIVERED
                    due = self.day_between(date(2026, 1, 15), date(2026, 11, 20)) if delivered or self.rng.random() < 0.1 \
                        else self.day_between(date(2026, 11, 26), date(2027, 6, 30))
                    low, high = (2000, 9000) if kind is LocalizationKind.DUB else (100, 600)
                    rows.append(dict(
                        title_id=title.id, episode_id=None, language_tag=language, kind=kind, status=status,
                        vendor_id=vendor, cost=self.money(low, high), currency="USD", due_on=due,
                        delivered_on=due - timedelta(days=self.rng.randint(0, 20)) if status is LocalizationStatus.DELIVERED else None,
                        file_reference=f"loc/{title.id}/{language}/{kind.value}" if status is LocalizationStatus.DELIVERED else "",
                        notes="", version=1, created_at=utcnow(), updated_at=utcnow(),
                    ))
        self.insert(m.LocalizationTask, rows)

    # -- revenue ----------------------------------------------------------------------------

    def add_revenue(self) -> None:
        self.add_exchange_rates()
        sources = {}
        for kind in (PartyKind.PLATFORM, PartyKind.BROADCASTER, PartyKind.CHANNEL):
            for party, _, currency in self.parties[kind]:
                source_id = self.new_id(m.RevenueSource)
                sources[party] = (source_id, currency)
        party_names = dict(self.session.execute(select(m.Party.id, m.Party.name)).all())
        self.insert(m.RevenueSource, [
            dict(id=source_id, name=party_names[party], party_id=party, default_currency=currency,
                 notes="", created_at=utcnow(), updated_at=utcnow())
            for party, (source_id, currency) in sources.items()
        ])
        batches, lines = [], []
        by_source: dict[int, list[tuple[list[int], str, int | None]]] = defaultdict(list)
        for party, titles, region, library in self.licensed:
            by_source[party].append((titles, region, library))
        for party, licences in sorted(by_source.items()):
            source_id, currency = sources[party]
            for period_start, period_end in PERIODS:
                batch_id = self.new_id(m.ImportBatch)
                row_number = 0
                for titles, region, library in licences:
                    for item in self.revenue_items(titles, region, library):
                        row_number += 1
                        # Items are drawn in US dollars; a report is in the platform's currency.
                        per_usd = Decimal(FX_TO_USD[currency])
                        for name in ("gross_amount", "platform_fees"):
                            item[name] = (item[name] / per_usd).quantize(Decimal("0.0001"))
                        lines.append(dict(
                            batch_id=batch_id, row_number=row_number, period_start=period_start,
                            period_end=period_end, currency=currency, units=None, **item,
                        ))
                digest = hashlib.sha256(f"demo:{self.seed}:{source_id}:{period_start}".encode()).hexdigest()
                batches.append(dict(
                    id=batch_id, source_id=source_id, file_name=f"{party_names[party]} {period_start:%Y-%m}.csv",
                    content_hash=digest, imported_at=utcnow(), imported_by="demo",
                    status=BatchStatus.IMPORTED, row_count=row_number,
                ))
        self.insert(m.ImportBatch, batches)
        self.insert(m.RevenueLine, lines)

    def add_volume(self) -> None:
        """`revenue_lines` more lines in one report of September 2026 from one platform, for
        measuring the month-end at volume (bench/royalties.py); streamed to the database."""
        if not self.revenue_lines:
            return
        source_id, batch_id = self.new_id(m.RevenueSource), self.new_id(m.ImportBatch)
        self.insert(m.RevenueSource, [dict(id=source_id, name="VolumeShorts (demo volume)", party_id=None,
                                           default_currency="USD", notes="", created_at=utcnow(), updated_at=utcnow())])
        self.insert(m.ImportBatch, [dict(
            id=batch_id, source_id=source_id, file_name="VolumeShorts 2026-09.csv",
            content_hash=hashlib.sha256(f"demo-volume:{self.seed}:{self.revenue_lines}".encode()).hexdigest(),
            imported_at=utcnow(), imported_by="demo", status=BatchStatus.IMPORTED, row_count=self.revenue_lines)])
        ids = [title.id for title in self.titles]
        countries = ("US", "BR", "MX", "TH", "ID", "PH", "VN", "DE")
        day = plain_day(self.session)
        first, last, unlocks = day(date(2026, 9, 1)), day(date(2026, 9, 30)), RevenueType.UNLOCKS.value
        rng = self.rng

        def rows() -> Iterator[tuple[Any, ...]]:
            # Plain values (amounts in stored millionths): a million lines through the ORM's
            # types cost several times the insert.
            for number in range(1, self.revenue_lines + 1):
                title_id = rng.choice(ids)
                unmatched = number % 100 == 0
                cents = rng.randint(-500, 40000)  # refunds among them
                territory = rng.choice(countries)
                yield (batch_id, number, first, last, territory, "APP", unlocks,
                       f"VS-{number % 997}" if unmatched else f"T{title_id:06d}", None if unmatched else title_id,
                       cents * 10_000, 0, 0, "USD")

        insert_plain(self.session, "revenue_line", (
            "batch_id", "row_number", "period_start", "period_end", "territory_code", "media_code", "revenue_type",
            "reported_identifier", "title_id", "gross_amount", "platform_fees", "taxes", "currency"), rows())
        self.summary.counts[m.RevenueLine.__tablename__] += self.revenue_lines

    def revenue_items(self, titles: list[int], region: str, library: int | None) -> Iterator[dict[str, Any]]:
        if library is not None:
            # A FAST channel pays a flat licence fee for the whole library...
            yield dict(territory_code=REGION_SAMPLE[region][0], media_code="FAST", revenue_type=RevenueType.LICENCE_FEE,
                       reported_identifier=f"LIB{library:04d}", title_id=None, episode_id=None, library_id=library,
                       gross_amount=self.money(2000, 15000), platform_fees=Decimal(0), taxes=Decimal(0))
            return
        for title_id in titles:
            for territory in self.rng.sample(REGION_SAMPLE[region], min(2, len(REGION_SAMPLE[region]))):
                kind = self.rng.choice((RevenueType.UNLOCKS, RevenueType.UNLOCKS, RevenueType.ADS, RevenueType.SUBSCRIPTION))
                gross = self.money(20, 4000, places=4)
                unmatched = self.rng.random() < 0.01  # ...and a few lines nobody can match yet
                yield dict(
                    territory_code=territory, media_code="APP", revenue_type=kind,
                    reported_identifier=f"SKU-{title_id * 7919 % 100000:05d}" if unmatched else f"T{title_id:06d}",
                    title_id=None if unmatched else title_id, episode_id=None, library_id=None,
                    gross_amount=gross, platform_fees=(gross * Decimal("0.30")).quantize(Decimal("0.0001")),
                    taxes=Decimal(0),
                )

    def add_exchange_rates(self) -> None:
        rows = []
        month_end = date(2025, 1, 31)
        while month_end <= date(2026, 12, 31):
            for currency, rate in FX_TO_USD.items():
                if currency == "USD":
                    continue
                drift = Decimal(1) + Decimal(self.rng.randint(-300, 300)).scaleb(-4)
                rows.append(dict(base_currency=currency, quote_currency="USD", rate_date=month_end,
                                 rate=(Decimal(rate) * drift).quantize(Decimal("1e-10")), source="demo"))
            month_end = month_end + relativedelta(days=1, months=1) - timedelta(days=1)
        self.insert(m.ExchangeRate, rows)


def _name(style: NameStyle, noun: int, owner: int, season: int) -> str:
    if style.language in names.ENGLISH_PARTS_SWAPPED:
        name = style.first[noun] + style.joiner + style.second[owner]
    else:
        name = style.first[owner] + style.joiner + style.second[noun]
    return name if season == 1 else f"{name} {style.season.format(n=season)}"
