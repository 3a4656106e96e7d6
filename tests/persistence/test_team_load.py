"""A team under load never sees a database error (issue 17): several desks, each its own
process, edit the same few parties and titles and add titles for a few seconds, on SQLite and on
the PostgreSQL server the tests start. Every save either lands or is refused as a conflict (or
"busy"); no raw error reaches a desk, and no save that landed is lost."""

from __future__ import annotations

import multiprocessing
import random
import time

import pytest

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.errors import Conflict
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.persistence.database import Database, DatabaseBusy
from rightsdesk.services import catalogue, parties

DESKS = 4
SECONDS = 4.0
SHARED = 3  # parties and titles every desk edits: clashes are the point


def desk(location: str, number: int, party_ids: list[int], title_ids: list[int], seconds: float, results) -> None:  # noqa: ANN001
    """One desk: load a shared record, append its token to it, save; now and then add a title."""
    database = Database(location, busy_timeout_ms=2000)
    rng = random.Random(number)
    landed, refused, raw, added = [], 0, [], []
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        count += 1
        token = f"d{number}n{count}"
        kind = rng.choice(("party", "title", "new"))
        try:
            if kind == "party":
                party_id = rng.choice(party_ids)
                with database.read() as session:
                    draft = parties.load_party(session, party_id)
                draft.notes = f"{draft.notes} {token}".strip()
                with database.transaction() as session:
                    parties.save_party(session, draft, user=f"desk{number}")
                landed.append(("party", party_id, token))
            elif kind == "title":
                title_id = rng.choice(title_ids)
                with database.read() as session:
                    draft = catalogue.load_title(session, title_id)
                draft.synopsis = f"{draft.synopsis} {token}".strip()
                with database.transaction() as session:
                    catalogue.save_title(session, draft, user=f"desk{number}")
                landed.append(("title", title_id, token))
            else:
                with database.transaction() as session:
                    new_id = catalogue.save_title(session, TitleDraft(f"New {token}", episodes=[EpisodeDraft(1, "", 90)]),
                                                  user=f"desk{number}")
                added.append(new_id)
        except (Conflict, DatabaseBusy):
            refused += 1
        except Exception as error:  # noqa: BLE001 (what the test is looking for)
            raw.append(f"{kind}: {type(error).__name__}: {error}"[:300])
    database.dispose()
    results.put((number, landed, refused, raw, added))


@pytest.mark.timeout(120)
def test_desks_editing_the_same_records_at_once_lose_nothing_and_see_no_raw_error(database):
    with database.transaction() as session:
        party_ids = [parties.save_party(session, PartyDraft(f"Shared party {n}"), user="setup") for n in range(SHARED)]
        title_ids = [catalogue.save_title(session, TitleDraft(f"Shared title {n}", episodes=[EpisodeDraft(1, "", 90)]),
                                          user="setup") for n in range(SHARED)]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [context.Process(target=desk, args=(database.location, n, party_ids, title_ids, SECONDS, results))
                 for n in range(DESKS)]
    for process in processes:
        process.start()
    found = [results.get(timeout=100) for _ in processes]
    for process in processes:
        process.join(timeout=30)

    raw = [error for _, _, _, errors, _ in found for error in errors]
    assert raw == []
    landed = [save for _, saves, _, _, _ in found for save in saves]
    assert len(landed) > DESKS  # the desks did get work done
    with database.read() as session:
        notes = {p: parties.load_party(session, p).notes.split() for p in party_ids}
        synopses = {t: catalogue.load_title(session, t).synopsis.split() for t in title_ids}
        added = [t for _, _, _, _, new in found for t in new]
        internal_ids = [catalogue.load_title(session, t).internal_id for t in added]
    lost = [(kind, record, token) for kind, record, token in landed
            if token not in (notes[record] if kind == "party" else synopses[record])]
    assert lost == []
    assert len(internal_ids) == len(set(internal_ids))  # no two desks numbered a title alike


def accountant(location: str, results) -> None:  # noqa: ANN001
    from rightsdesk.services import statements

    database = Database(location, busy_timeout_ms=20_000)
    try:
        result = database.compute_then_write(lambda session: statements.run(session, "2026-Q3", user="accountant"))
        results.put(("ok", len(result.statements)))
    except Exception as error:  # noqa: BLE001 (what the test is looking for)
        results.put(("raw", f"{type(error).__name__}: {error}"[:300]))
    database.dispose()


@pytest.mark.timeout(120)
def test_two_accountants_running_the_same_period_at_once_take_turns(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB")], "q3.csv")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [context.Process(target=accountant, args=(database.location, results)) for _ in range(2)]
    for process in processes:
        process.start()
    found = [results.get(timeout=100) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert found == [("ok", 1), ("ok", 1)]  # the second redrafted the first's draft
