"""Invariants of the month-end over any sequence of imports, runs, issues and rollbacks
(hypothesis): every imported amount is on a statement or listed, to the cent, per currency;
an issued statement never changes, down to the bytes of its PDF; and nothing is paid twice."""

from __future__ import annotations

import itertools
import shutil
from datetime import date
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.database import Database
from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.persistence.models import ImportBatch, RevenueLine, Statement, StatementLine
from rightsdesk.reports.statement_pdf import statement_pdf
from rightsdesk.services import issuing, revenue, statement_documents, statement_revenue, statements
from test_statement_months import make_deal  # a sibling test module: its scenario builder

QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
lines = st.lists(st.tuples(st.integers(1, 12), st.sampled_from(["T000001", "T000002", "NOBODY"]),
                           st.integers(-3000, 5000)), min_size=1, max_size=3)
operations = st.lists(st.one_of(
    st.tuples(st.just("import"), lines),
    st.tuples(st.just("run"), st.sampled_from(QUARTERS)),
    st.tuples(st.just("issue"), st.sampled_from(QUARTERS)),
    st.tuples(st.just("rollback"), st.integers(0, 5)),
), min_size=2, max_size=9)
_names = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_every_sequence_reconciles_and_leaves_issued_statements_as_they_were(migrated_file, import_revenue, tmp_path, steps):
    path = tmp_path / f"invariants-{next(_names)}.db"
    shutil.copy(migrated_file, path)
    database = Database(path)
    try:
        _, _, source = make_deal(database, default_fee_percent=D(25), tiers=[(D(0), D(60)), (D(2000), D(70))],
                                 mg_payments=[(D(500), date(2026, 5, 1), None)], reserve_percent=D(10), reserve_periods=1)
        issued: dict[int, bytes] = {}
        for number, (kind, what) in enumerate(steps):
            try:
                if kind == "import":
                    import_revenue(database, source, [(f"2026-{month:02d}", "US", series, str(amount), "USD")
                                                       for month, series, amount in what], f"file-{number}.csv")
                elif kind == "run":
                    with database.transaction() as session:
                        statements.run(session, what, user="ana")
                elif kind == "issue":
                    with database.transaction() as session:
                        start, _ = statements.parse_label(what)
                        for statement_id in session.scalars(select(Statement.id).where(
                                Statement.period_start == start, Statement.number.is_(None))):
                            issuing.issue(session, statement_id, user="ana", on=date(2027, 1, 5))
                else:
                    with database.read() as session:
                        batches = session.scalars(select(ImportBatch.id).order_by(ImportBatch.id)).all()
                    if batches:
                        with database.transaction() as session:
                            revenue.rollback_batch(session, batches[what % len(batches)])
            except UserError:
                pass  # refused as a whole (an earlier period still a draft, a batch an issued statement uses...)
            with database.read() as session:
                found = statement_revenue.reconcile(session)
                assert found.balanced, (steps[: number + 1], found)
                # no part of a line is on two statements, and none is held beyond what was imported
                assert not session.execute(select(StatementLine.revenue_line_id, StatementLine.title_id).where(
                    StatementLine.kind == StatementLineKind.GROSS_RECEIPTS, StatementLine.revenue_line_id.is_not(None))
                    .group_by(StatementLine.revenue_line_id, StatementLine.title_id).having(func.count() > 1)).all()
                gross = dict(session.execute(select(RevenueLine.id, RevenueLine.gross_amount)).all())
                assert all(u.amount * gross[u.line_id] > 0 and abs(u.amount) <= abs(gross[u.line_id]) for u in found.lines)
                for statement_id in session.scalars(select(Statement.id).where(Statement.number.is_not(None))):
                    assert issuing.verify(session, statement_id)
                    content = statement_pdf(statement_documents.load_document(session, statement_id))
                    assert issued.setdefault(statement_id, content) == content
        with database.read() as session:  # what is paid + held - owed back == what was earned
            chain = issuing.summaries(session)
            paid = sum((D(s["payable"]) for s in chain), D(0))
            earned = sum((D(s["participant_share"]) + D(s["adjustments"]) - D(s["mg_recouped"]) for s in chain), D(0))
            if chain:
                assert paid + D(chain[-1]["reserve"]) - D(chain[-1]["deficit"]) == earned
    finally:
        database.dispose()
