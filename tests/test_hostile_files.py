"""The hostile-file corpus of issue 16 (tests/data/hostile/, made by make_corpus.py): every file
read by its reader in a fresh database, with exactly the outcome its manifest entry gives: the
exact problems (row, column, value, reason), nothing written; or exactly the rows imported. No
exception but the product's own (UserError and its kinds) may escape.

SQLite only: the corpus tests the readers, not the database (the readers' own tests run on both).
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.base import Base
from rightsdesk.persistence.database import Database
from rightsdesk.domain.revenue import Options
from rightsdesk.persistence.models import Cue, Deal, Episode, ExchangeRate, Expense, MusicTrack, RevenueLine, Title
from rightsdesk.services import (
    catalogue,
    deal_template,
    deals,
    ema,
    expense_import,
    fx,
    parties,
    revenue,
    revenue_mapping,
    royalty_terms,
)
from rightsdesk.services.cue_sheets import import_cue_sheets
from rightsdesk.services.revenue import ImportRefused

CORPUS = Path(__file__).resolve().parent / "data" / "hostile"
MANIFEST = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]
USER = "ana"


@pytest.fixture(scope="module")
def world_file(migrated_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database every case starts from (make_corpus.WORLD), made once."""
    path = tmp_path_factory.mktemp("hostile") / "world.db"
    shutil.copy(migrated_file, path)
    build_world(path)
    return path


def build_world(path: Path) -> None:
    database = Database(path)
    with database.transaction() as session:
        producer = parties.save_party(session, PartyDraft("Golden Reel", PartyKind.PRODUCER), user=USER)
        parties.save_party(session, PartyDraft("ShortMax", PartyKind.PLATFORM), user=USER)
        episodes = [EpisodeDraft(n, "", 90) for n in range(1, 116)]
        bride = catalogue.save_title(session, TitleDraft("Bride", episodes=episodes), user=USER)
        heiress = catalogue.save_title(session, TitleDraft("Heiress", episodes=episodes[:3]), user=USER)
        catalogue.save_title(session, TitleDraft("Los Detectives", eidr="10.5240/7791-8534-2C23-9030-8610-5",
                                                 episodes=episodes), user=USER)
        deals.save_deal(session, DealDraft(DealDirection.IN, producer, "IN-1", date(2026, 1, 10), DealStatus.SIGNED, grants=[
            GrantDraft([GrantTitleDraft(bride), GrantTitleDraft(heiress)], territories=TerritoryScope((ScopeItem("WORLD", True),)),
                       media=["APP", "AVOD"], term_start=date(2026, 1, 1), exclusive=True)]), user=USER)
        revenue.save_source(session, "ShortMax")
    with database.read() as session:
        assert list(session.scalars(select(Title.internal_id).order_by(Title.id))) == ["T000001", "T000002", "T000003"]
    database.dispose()


@pytest.fixture
def world(world_file: Path, tmp_path: Path) -> Database:
    path = tmp_path / "rightsdesk.db"
    shutil.copy(world_file, path)
    database = Database(path)
    yield database
    database.dispose()


def counts(database: Database) -> dict[str, int]:
    with database.read() as session:
        return {table.name: session.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}


def read(session, entry: dict[str, Any], content: bytes) -> Any:
    """The file through its reader, with the manifest's options."""
    options, name = entry["options"], entry["file"]
    match entry["reader"]:
        case "fx":
            return fx.import_rates(session, content, **options)
        case "deals":
            return deal_template.import_deals(session, content, user=USER)
        case "expenses":
            return expense_import.import_expenses(session, name, content, user=USER, **options)
        case "cues":
            return import_cue_sheets(session, name, content, user=USER, **options)
        case "ema":
            return ema.import_offer(session, content, user=USER, **options)
        case "revenue":
            return revenue.import_file(session, revenue_mapping.source_named(session, "ShortMax"), name, content,
                                       options["mapping"], revenue_options(options), user=USER)
    raise AssertionError(f"no reader {entry['reader']!r}")


def revenue_options(options: dict[str, Any]) -> Options:
    """A revenue case's declared options (make_corpus: None is undeclared) as the source's mapping holds them."""
    return Options(decimal=options.get("decimal") or "auto", dates=options.get("dates") or "iso",
                   encoding=options.get("encoding") or "", currency=options.get("currency") or "",
                   revenue_types=options.get("revenue_types") or {})


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f")


def summary(database: Database, reader: str, result: Any) -> dict[str, Any]:
    """What a reader returned and what it left in the database, as the manifest writes it."""
    with database.read() as session:
        if reader == "fx":
            rates = session.execute(select(ExchangeRate.rate_date, ExchangeRate.base_currency, ExchangeRate.quote_currency,
                                           ExchangeRate.rate).order_by(ExchangeRate.rate_date, ExchangeRate.base_currency))
            return {"count": result, "rates": [[d.isoformat(), b, q, _amount(r)] for d, b, q, r in rates]}
        if reader == "deals":
            terms = []
            for reference in result.deals:
                deal_id = session.scalar(select(Deal.id).where(Deal.reference == reference))
                draft = royalty_terms.load_terms(session, deal_id)
                for amount, paid, _ in draft.mg_payments if draft else []:
                    terms.append([reference, draft.currency, _amount(amount), paid.isoformat()])
            return {"deals": result.deals, "grants": result.grants, "terms": terms}
        if reader == "expenses":
            rows = session.execute(select(Deal.reference, Expense.incurred_on, Expense.category, Expense.amount, Expense.currency,
                                          Expense.description, Expense.recoupable).join(Deal, Deal.id == Expense.deal_id)
                                   .order_by(Expense.id))
            return {"count": result, "expenses": [[r, d.isoformat(), c.value, _amount(a), cur, text, bool(recoup)]
                                                  for r, d, c, a, cur, text, recoup in rows]}
        if reader == "cues":
            rows = session.execute(select(Title.internal_id, Episode.number, Cue.position, MusicTrack.title, Cue.usage, Cue.in_ms,
                                          Cue.out_ms).join(Episode, Episode.id == Cue.episode_id).join(Title, Title.id == Episode.title_id)
                                   .join(MusicTrack, MusicTrack.id == Cue.track_id).order_by(Cue.episode_id, Cue.position))
            return {"episodes": result.episodes, "cues": result.cues, "new_tracks": result.new_tracks,
                    "cue_rows": [[t, e, p, track, usage.value, i, o] for t, e, p, track, usage, i, o in rows]}
        if reader == "ema":
            internal = dict(session.execute(select(Title.id, Title.internal_id)).all())
            deal = deals.load_deal(session, result.deal_id)
            grants = [[internal[t.title_id], t.first_episode, t.last_episode, g.territories.describe(), g.media, g.exclusive,
                       g.term_start.isoformat() if g.term_start else None, g.term_end.isoformat() if g.term_end else None]
                      for g in deal.grants for t in g.titles]
            return {"rows_taken": result.rows_taken, "titles_created": result.titles_created,
                    "skipped": [str(p) for p in result.skipped], "grants": sorted(grants)}
        if reader == "revenue":
            internal = dict(session.execute(select(Title.id, Title.internal_id)).all())
            lines = session.execute(select(RevenueLine.row_number, RevenueLine.period_start, RevenueLine.period_end,
                                           RevenueLine.territory_code, RevenueLine.reported_identifier, RevenueLine.title_id,
                                           RevenueLine.gross_amount, RevenueLine.currency, RevenueLine.revenue_type)
                                    .order_by(RevenueLine.row_number))
            return {"lines": result.lines, "matched": result.matched, "unmatched": result.unmatched,
                    "totals": {c: _amount(a) for c, a in sorted(result.totals.items())},
                    "rows": [[row, start.isoformat(), end.isoformat(), territory, reported, internal.get(title), _amount(gross),
                              currency, kind.value] for row, start, end, territory, reported, title, gross, currency, kind in lines]}
    raise AssertionError(reader)


def problems_of(error: UserError) -> list[str]:
    if isinstance(error, (ImportRefused, ValidationError)):
        return [str(p) for p in error.problems]
    return [str(error)]


@pytest.mark.parametrize("entry", CASES, ids=[c["file"] for c in CASES])
def test_a_hostile_file_reads_exactly_as_declared_or_is_refused_with_nothing_written(world, entry):
    content = (CORPUS / entry["file"]).read_bytes()
    before = counts(world)
    expected = entry["outcome"]
    try:
        with world.transaction() as session:
            result = read(session, entry, content)
    except UserError as error:  # ImportRefused and ValidationError are UserErrors
        assert "refused" in expected, f"refused, but the manifest expects an import: {problems_of(error)}"
        assert type(error).__name__ == expected["refused"], problems_of(error)
        assert problems_of(error) == expected["problems"]
        assert counts(world) == before, "a refused file wrote rows"
        return
    except Exception as error:  # noqa: BLE001 (anything else is a crash, a bug)
        pytest.fail(f"{entry['file']} crashed the {entry['reader']} reader: {error!r}")
    assert "imported" in expected, f"imported, but the manifest expects {expected}"
    after = counts(world)
    assert {t: after[t] - before[t] for t in after if after[t] != before[t]} == expected["written"]
    assert summary(world, entry["reader"], result) == expected["imported"]


def test_the_corpus_holds_at_least_60_files_for_every_reader():
    per_reader: dict[str, int] = {}
    for entry in CASES:
        per_reader[entry["reader"]] = per_reader.get(entry["reader"], 0) + 1
        assert (CORPUS / entry["file"]).is_file(), entry["file"]
    assert len(CASES) >= 60 and set(per_reader) == {"fx", "deals", "expenses", "cues", "ema", "revenue"}
    assert sum(n for reader, n in per_reader.items() if reader != "revenue") >= 45 and per_reader["revenue"] >= 15
    assert not any("pending" in e["outcome"] for e in CASES)


def command_line(entry: dict[str, Any], path: Path) -> list[str]:
    """The command a user types to import the case's file, with its options."""
    options = entry["options"]
    if entry["reader"] == "revenue":  # the source's mapping, declared on the command line
        flags = [part for field, header in options["mapping"].items() for part in ("--map", f"{field}={header}")]
        flags += [f"--{name}={options[name]}" for name in ("decimal", "dates", "encoding", "currency") if options.get(name)]
        flags += [part for word, kind in (options.get("revenue_types") or {}).items() for part in ("--type", f"{word}={kind}")]
        return ["revenue", "import", str(path), "--source", "ShortMax", *flags]
    flags = [f"--{name}={value}" for name, value in options.items()]
    return {"fx": ["fx", "import"], "deals": ["import", "deals"], "expenses": ["expenses", "import"], "cues": ["import", "cues"],
            "ema": ["ema", "import"]}[entry["reader"]] + [str(path), *flags]


COMMAND_LINE_CASES = CASES


@pytest.mark.parametrize("entry", COMMAND_LINE_CASES, ids=[c["file"] for c in COMMAND_LINE_CASES])
def test_the_command_line_shows_every_problem_without_a_traceback(world, entry, capsys, tmp_path):
    from rightsdesk.cli import main

    path = tmp_path / entry["file"]  # the file under its own name: readers name it in messages
    shutil.copy(CORPUS / entry["file"], path)
    before = counts(world)
    code = main([*command_line(entry, path), "--db", str(world.location)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if "refused" in entry["outcome"]:
        assert code != 0 and counts(world) == before
        for problem in entry["outcome"]["problems"]:
            for line in problem.splitlines():
                assert line.removeprefix("• ") in err, line
    else:
        assert code == 0, err
