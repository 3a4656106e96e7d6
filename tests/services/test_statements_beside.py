"""A month-end on both cores (issue 15): a second process sums and drafts a share of the deals,
whole groups of deals that share no title with the rest, and the run writes them all. What it
drafts must be exactly what one process drafts: same statements, lines, holdings, balances,
corrections and figures."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.enums import DealDirection, DealStatus, PartyKind
from rightsdesk.domain.parties import PartyDraft
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import ScopeItem, TerritoryScope
from rightsdesk.persistence.models import (
    Library,
    LibraryMember,
    RevenueLine,
    Statement,
    StatementAdjustment,
    StatementBalance,
    StatementExpense,
    StatementLine,
)
from rightsdesk.services import (
    catalogue,
    deals,
    issuing,
    parties,
    processes,
    revenue,
    royalty_terms,
    statement_receipts,
    statement_revenue,
    statements,
)
from rightsdesk.services.royalty_terms import TermsDraft

USER = "ana"


def _deal(session, reference: str, titles: list[int], country: str, libraries: list[int] = ()) -> int:
    producer = parties.save_party(session, PartyDraft(f"Producer of {reference}", PartyKind.PRODUCER), user=USER)
    deal = deals.save_deal(session, DealDraft(DealDirection.IN, producer, reference, date(2026, 1, 1), DealStatus.SIGNED, grants=[
        GrantDraft([GrantTitleDraft(t) for t in titles], libraries=list(libraries),
                   territories=TerritoryScope((ScopeItem(country),)), media=["APP"], term_start=date(2026, 1, 1),
                   exclusive=True)]), user=USER).deal_id
    royalty_terms.save_terms(session, deal, TermsDraft(producer, "USD", default_fee_percent=D(20), tiers=[(D(0), D(50))]),
                             user=USER)
    return deal


def _catalogue(database, import_revenue) -> dict[str, int]:
    """Five groups of deals: two deals that share a title (by country), two alone, one granted
    a library; revenue of 2026-Q3 for all of them, a library's line, a late line, a line of a
    country no deal covers, a title no deal governs and a series nobody knows."""
    with database.transaction() as session:
        names = ("Split", "Whole", "Alone", "Corrected", "Members A", "Members B", "Nobody's")
        title = {name: catalogue.save_title(session, TitleDraft(name, episodes=[EpisodeDraft(1, "", 60 + 30 * n)]),
                                            user=USER) for n, name in enumerate(names)}
        library = Library(code="VL-9", name="Vertical library")
        session.add(library)
        session.flush()
        for name in ("Members A", "Members B"):
            session.add(LibraryMember(library_id=library.id, title_id=title[name], added_on=date(2026, 1, 1)))
        deal = {"IN-TH": _deal(session, "IN-TH", [title["Split"], title["Whole"]], "TH"),
                "IN-US": _deal(session, "IN-US", [title["Split"]], "US"),
                "IN-ALONE": _deal(session, "IN-ALONE", [title["Alone"]], "TH"),
                "IN-CORRECTED": _deal(session, "IN-CORRECTED", [title["Corrected"]], "TH"),
                "IN-LIBRARY": _deal(session, "IN-LIBRARY", [], "TH", [library.id])}
        source = revenue.save_source(session, "ShortMax")
        series = {name: session.get(catalogue.Title, t).internal_id for name, t in title.items()}
    import_revenue(database, source, [("2026-06", "TH", series["Corrected"], "40", "USD")], "q2.csv")
    with database.transaction() as session:  # Q2 issued for one deal, and corrected: the Q3 draft carries it
        q2 = statements.run(session, "2026-Q2", user=USER, deal_ids={deal["IN-CORRECTED"]}).statements[0]
        issuing.issue(session, q2, user=USER, on=date(2026, 7, 5))
        issuing.adjust(session, q2, D("-3.50"), "a platform's credit note", user=USER)
    import_revenue(database, source, [
        ("2026-07", "TH", series["Split"], "100.10", "USD"), ("2026-08", "US", series["Split"], "200.20", "USD"),
        ("2026-08", "BR", series["Split"], "50", "USD"),  # no deal covers Brazil
        ("2026-08", "TH", series["Whole"], "7", "USD"), ("2026-09", "TH", series["Whole"], "3.33", "USD"),
        ("2026-08", "TH", series["Alone"], "12.34", "USD"), ("2026-09", "TH", series["Alone"], "1", "USD"),
        ("2026-08", "TH", series["Corrected"], "99.99", "USD"),
        ("2026-06", "TH", series["Corrected"], "5", "USD"),  # of Q2, issued: late, on Q3
        ("2026-09", "TH", "VL-9", "1000.01", "USD"),  # split to the library's titles by runtime
        ("2026-09", "TH", series["Nobody's"], "8", "USD"),  # no deal governs it
        ("2026-09", "TH", "NO-SUCH-SERIES", "9", "USD"),  # matches nothing
    ], "q3.csv")
    return deal


def _drafted(database, result: statements.RunResult) -> dict[str, object]:
    """Everything a run drafted, by deal (statement ids differ from run to run)."""
    with database.read() as session:
        deal_of = dict(session.execute(select(Statement.id, Statement.deal_id).where(
            Statement.id.in_(result.statements))).all())
        by_deal = lambda rows: sorted((deal_of[row[0]], *row[1:]) for row in rows if row[0] in deal_of)  # noqa: E731
        figures = {k: v for k, v in vars(result).items() if k not in ("statements", "redrafted")}
        return {
            "statements": by_deal(session.execute(select(
                Statement.id, Statement.gross_receipts, Statement.distribution_fee, Statement.net_receipts,
                Statement.participant_share, Statement.payable, Statement.paid, Statement.notes))),
            "lines": by_deal(session.execute(select(
                StatementLine.statement_id, StatementLine.position, StatementLine.kind, StatementLine.description,
                StatementLine.title_id, StatementLine.territory_code, StatementLine.amount,
                StatementLine.revenue_line_id, StatementLine.library_id, StatementLine.split_basis,
                StatementLine.source_amount, StatementLine.fx_rate, StatementLine.revenue_period_start))),
            "held": by_deal(session.execute(statement_revenue.held_lines())),
            "balances": by_deal(session.execute(select(
                StatementBalance.statement_id, StatementBalance.title_id, StatementBalance.closing_cumulative_net,
                StatementBalance.closing_deficit))),
            "expenses": by_deal(session.execute(select(StatementExpense.statement_id, StatementExpense.expense_id))),
            "corrections": by_deal(session.execute(select(
                StatementAdjustment.applied_statement_id, StatementAdjustment.amount))),
            "figures": figures,
        }


def _watch_jobs(monkeypatch) -> list:
    """The jobs runs send their second process (statements._DraftingBeside), in a list."""
    jobs, send = [], processes.Beside.send

    def watched(self, value):
        if isinstance(value, statements._DraftingBeside):
            jobs.append(value)
        send(self, value)

    monkeypatch.setattr(processes.Beside, "send", watched)
    return jobs


def test_a_month_end_drafted_on_two_cores_is_what_one_process_drafts(database, import_revenue, monkeypatch):
    deal = _catalogue(database, import_revenue)
    alone = database.compute_then_write(lambda session: statements.run(session, "2026-Q3", user=USER))
    on_one = _drafted(database, alone)
    # The figures hold together: the library's line, the late line and the correction are on it
    assert on_one["figures"]["unmatched_lines"] and on_one["figures"]["ungoverned_lines"]
    assert on_one["figures"]["late_lines"] and on_one["corrections"]
    assert any(line[9] is not None for line in on_one["lines"])  # a library's split

    jobs = _watch_jobs(monkeypatch)
    monkeypatch.setattr(statements, "BESIDE_FROM", 1)  # any period: here, a dozen lines
    monkeypatch.setattr(statements, "BESIDE_SHARE", {"sqlite": 0.6, "postgresql": 0.6})  # (the same on both)
    # The share the run chooses (the deals sharing a title, and one alone: the bigger part), and
    # the one with the library's split, the late line and the correction, which the process
    # drafting the rest hands over
    for chosen in (None, {"IN-LIBRARY", "IN-CORRECTED"}):
        if chosen:
            monkeypatch.setattr(statements, "_share_beside", lambda *_: frozenset(deal[d] for d in chosen))
        # (on new connections: a run's first writes, its temporary tables, come after its
        # snapshot is taken, or on PostgreSQL no other connection can read what it reads)
        database.dispose()
        again = database.compute_then_write(lambda session: statements.run(session, "2026-Q3", user=USER))
        job = jobs.pop()
        assert set(job.drafting) == ({deal[d] for d in chosen} if chosen else
                                     {deal["IN-TH"], deal["IN-US"], deal["IN-ALONE"]})
        assert _drafted(database, again) == on_one
        assert len(again.statements) == len(deal) and not job.scratch.exists()


def test_deals_that_share_a_title_are_drafted_by_the_same_process(database, import_revenue, monkeypatch):
    deal = _catalogue(database, import_revenue)
    monkeypatch.setattr(statements, "BESIDE_FROM", 1)
    with database.read() as session:
        terms = statements._terms_by_deal(session)
        for part in (0.2, 0.5, 0.8):
            monkeypatch.setattr(statements, "BESIDE_SHARE", {"sqlite": part, "postgresql": part})
            share = statements._share_beside(session, terms, terms)
            assert share is not None and (deal["IN-TH"] in share) == (deal["IN-US"] in share)
            # no process sums the lines of a title granted to the other's deals
            for beside in (True, False):
                mine = statement_receipts.Share(share, beside=beside)
                summed = set(session.scalars(select(RevenueLine.title_id).where(mine.lines()))) - {None}
                theirs = statement_receipts._granted_titles(session, [d for d in terms if not mine.keeps(d)])
                assert summed and not summed & theirs
        # too few lines: one process does it all
        assert statements._month_end(session, date(2026, 7, 1), date(2026, 9, 30))
        monkeypatch.setattr(statements, "BESIDE_FROM", 10_000)
        assert not statements._month_end(session, date(2026, 7, 1), date(2026, 9, 30))


class Cancelled(Exception):
    pass


def test_a_month_end_cancelled_while_the_other_process_drafts_leaves_nothing_behind(database, import_revenue,
                                                                                    monkeypatch):
    _catalogue(database, import_revenue)
    started, jobs, handles = processes.beside, _watch_jobs(monkeypatch), []

    @contextmanager
    def watched(work):
        with started(work) as handle:
            handles.append(handle)
            yield handle

    def cancel(stage, percent):
        if stage.startswith("Drafting"):  # (this process's own deals, the other still at work)
            raise Cancelled

    monkeypatch.setattr(statements, "BESIDE_FROM", 1)
    monkeypatch.setattr(statements.processes, "beside", watched)
    with pytest.raises(Cancelled):
        database.compute_then_write(lambda session: statements.run(session, "2026-Q3", user=USER, report=cancel))
    [job], [handle] = jobs, handles
    assert not handle.process.is_alive() and not job.scratch.exists()
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Statement).where(Statement.period_label == "2026-Q3")) == 0


def test_a_second_process_started_for_a_month_end_without_a_share_to_give_is_stopped(database, import_revenue,
                                                                                    monkeypatch, tmp_path):
    deal = _catalogue(database, import_revenue)
    started, handles = processes.beside, []

    @contextmanager
    def watched(work):
        with started(work) as handle:
            handles.append(handle)
            yield handle

    monkeypatch.setattr(statements, "BESIDE_FROM", 1)
    monkeypatch.setattr(statements.processes, "beside", watched)
    monkeypatch.setattr(statements, "_share_beside", lambda *_: None)  # (as when one deal is due)
    (scratch := tmp_path / "scratch").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = database.compute_then_write(lambda session: statements.run(session, "2026-Q3", user=USER))
    [handle] = handles
    assert not handle.process.is_alive() and not list(scratch.iterdir())
    assert len(result.statements) == len(deal)  # all drafted here
