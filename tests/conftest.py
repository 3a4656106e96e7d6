"""Shared fixtures: an offscreen Qt, isolated user folders, and migrated databases."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Before anything imports Qt or platformdirs: no screen, and no touching the real user's
# data folder or settings.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="rightsdesk-tests-"))
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["RIGHTSDESK_USER"] = "tester"

import pytest  # noqa: E402

from rightsdesk.persistence import migrate  # noqa: E402
from rightsdesk.persistence.database import Database  # noqa: E402
from postgres_server import PostgresServer  # noqa: E402


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database at the newest schema, made once; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(path)
    migrate.prepare(database)
    database.dispose()
    return path


# Every test that takes `database` (or `demo_database`) runs twice: on SQLite, the embedded
# default, and on a real PostgreSQL server the session starts (tests/postgres_server.py).
# Tests of what only a database file has (backups, integrity checks) are marked `sqlite_only`,
# of what only a server does (enforcing column lengths, say) `postgresql_only`.
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: runs on the SQLite database only (file backups and checks)")
    config.addinivalue_line("markers", "postgresql_only: runs on the PostgreSQL database only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, dropped = [], []
    for item in items:
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        other = {"sqlite": "postgresql_only", "postgresql": "sqlite_only"}.get(backend or "")
        (dropped if other and item.get_closest_marker(other) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    # The longest test (building the desktop bundle, a minute and a half) first: under xdist
    # (`-n auto`) one worker takes it while the others share the rest, instead of it starting
    # last with the others idle.
    kept.sort(key=lambda item: item.path.name != "test_packaging.py")
    items[:] = kept


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """A database at the newest schema on the server; tests get clones of it."""
    postgres_server.create_database("migrated")
    database = Database(postgres_server.url("migrated"))
    migrate.prepare(database)
    database.dispose()
    return "migrated"


_clones = itertools.count()


@contextmanager
def _database(request: pytest.FixtureRequest, backend: str, template: str, file: Path) -> Iterator[Database]:
    """A fresh copy of a template database (a file for SQLite, a clone on the server for PostgreSQL)."""
    if backend == "sqlite":
        shutil.copy(template, file)
        db = Database(file)
        yield db
        db.dispose()
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"test_{next(_clones)}"
    db = Database(server.create_database(name, template))
    try:
        yield db
    finally:
        db.dispose()
        server.drop_database(name)


@pytest.fixture
def database(request: pytest.FixtureRequest, backend: str, migrated_file: Path, tmp_path: Path) -> Iterator[Database]:
    template = str(migrated_file) if backend == "sqlite" else request.getfixturevalue("postgres_template")
    with _database(request, backend, template, tmp_path / "rightsdesk.db") as db:
        yield db


def _build_demo(database: Database) -> None:
    from rightsdesk.services.demo import build_demo

    build_demo(database, titles=60, seed=7)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory, migrated_file: Path) -> Path:
    """A small demo catalogue, made once; tests that only read may share copies of it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(migrated_file, path)
    db = Database(path)
    _build_demo(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_demo(postgres_server: PostgresServer, postgres_template: str) -> str:
    postgres_server.create_database("demo", postgres_template)
    db = Database(postgres_server.url("demo"))
    _build_demo(db)
    db.dispose()
    return "demo"


@pytest.fixture
def demo_database(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Database]:
    template = str(request.getfixturevalue("demo_file")) if backend == "sqlite" else request.getfixturevalue("postgres_demo")
    with _database(request, backend, template, tmp_path / "demo.db") as db:
        yield db


# -- a royalty deal: DOMAIN.md's worked example ------------------------------------------------

REVENUE_MAPPING = {"period": "Period", "territory": "Country", "title_id": "Series", "gross_amount": "Gross",
                   "currency": "Currency"}


@pytest.fixture
def worked(database):
    """DOMAIN.md's deal: two series, MG 20 000 paid at signing, fee 25 %, expenses cap 5 000,
    share 60 %, withholding 10 %, quarterly, USD, cross-collateralized; 6 000 of expenses in
    2026-Q3 and a THB/USD rate of 0.025 on 2026-09-30."""
    from datetime import date
    from decimal import Decimal as D

    from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
    from rightsdesk.domain.enums import DealDirection, DealStatus, ExpenseCategory, PartyKind
    from rightsdesk.domain.parties import PartyDraft
    from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
    from rightsdesk.domain.territories import ScopeItem, TerritoryScope
    from rightsdesk.services import catalogue, deals, fx, parties, revenue, royalty_terms
    from rightsdesk.services.royalty_terms import ExpenseDraft, TermsDraft

    user = "ana"
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER, tax_residence="CN"), user=user)
        titles = [catalogue.save_title(session, TitleDraft(name, episodes=[EpisodeDraft(1, "", 90)]), user=user)
                  for name in ("Bride", "Heiress")]
        deal = deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1", date(2026, 1, 10), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(t) for t in titles], territories=TerritoryScope((ScopeItem("WORLD", True),)),
                       media=["APP", "AVOD"], term_start=date(2026, 1, 1), exclusive=True)]), user=user).deal_id
        royalty_terms.save_terms(session, deal, TermsDraft(
            producer, "USD", D(25), expense_cap=D(5000), mg_payments=[(D(20000), date(2026, 1, 10), None)],
            tiers=[(D(0), D(60))], withholding_percent=D(10)), user=user)
        royalty_terms.save_expense(session, deal, ExpenseDraft(ExpenseCategory.MARKETING, date(2026, 8, 15), D(6000), "USD",
                                                               "Launch campaign"), user=user)
        source = revenue.save_source(session, "ShortMax")
        fx.save_rate(session, "THB", "USD", date(2026, 9, 30), D("0.025"))
    return {"deal": deal, "titles": titles, "source": source}


@pytest.fixture
def import_revenue():
    """Import (period, country, series, gross, currency) rows as a CSV report."""
    return _import_revenue


def _import_revenue(database, source, rows, name):
    from rightsdesk.domain.revenue import Options
    from rightsdesk.services import revenue

    csv = "Period,Country,Series,Gross,Currency\n" + "".join(f"{p},{c},{s},{g},{cur}\n" for p, c, s, g, cur in rows)
    with database.transaction() as session:
        return revenue.import_file(session, source, name, csv.encode(), REVENUE_MAPPING, Options(), user="ana")


@pytest.fixture
def pdf_text(tmp_path):
    """The text of a PDF in the order it is drawn (pdftotext -raw), so a label and its value stay on one line."""
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")

    def read(content: bytes) -> str:
        path = tmp_path / "read.pdf"
        path.write_bytes(content)
        return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout

    return read


@pytest.fixture
def cue_sheet(database, worked):
    """Two series share 'Shared Theme'; the Bride also uses a track licensed only until mid 2026,
    one whose licence is quoted and one with no licence at all."""
    from datetime import date
    from decimal import Decimal as D

    from sqlalchemy import select

    from rightsdesk.domain.enums import LicenceStatus, UsageCode
    from rightsdesk.persistence.models import Cue, Episode, MusicLicence, MusicLicenceTerritory, MusicTrack

    with database.transaction() as session:
        episodes = {t: session.scalar(select(Episode.id).where(Episode.title_id == t)) for t in worked["titles"]}
        tracks = {name: MusicTrack(title=name) for name in ("Shared Theme", "Old Sting", "Quoted Song", "Nobody's Song")}
        session.add_all(tracks.values())
        session.flush()
        bride, heiress = worked["titles"]
        for position, name in enumerate(("Shared Theme", "Old Sting", "Quoted Song", "Nobody's Song"), start=1):
            session.add(Cue(episode_id=episodes[bride], track_id=tracks[name].id, position=position,
                            usage=UsageCode.BI, in_ms=position * 1000, out_ms=position * 1000 + 5000))
        session.add(Cue(episode_id=episodes[heiress], track_id=tracks["Shared Theme"].id, position=1, usage=UsageCode.MT,
                        in_ms=0, out_ms=30000))
        for name, status, end in (("Shared Theme", LicenceStatus.CLEARED, date(2030, 12, 31)),
                                  ("Old Sting", LicenceStatus.CLEARED, date(2026, 6, 30)),
                                  ("Quoted Song", LicenceStatus.QUOTED, None)):
            licence = MusicLicence(track_id=tracks[name].id, status=status, term_start=date(2025, 1, 1), term_end=end,
                                   fee=D("1234.50"), currency="USD")
            licence.territories.append(MusicLicenceTerritory(territory_code="US"))
            session.add(licence)
    return worked
