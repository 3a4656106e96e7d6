"""Statements read for their documents, many at once (a period's export reads thousands)."""

import pytest
from sqlalchemy import select

from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.domain.errors import NotFound
from rightsdesk.persistence.models import Statement, StatementLine
from rightsdesk.services import statement_documents, statements


def test_statements_read_together_come_in_the_order_asked_each_with_its_own_lines(demo_database):
    with demo_database.transaction() as session:
        ran = statements.run(session, "2026-Q3", user="ana")
    wanted = list(reversed(ran.statements))[:6]
    assert len(wanted) > 2
    with demo_database.read() as session:
        documents = statement_documents.load_documents(session, wanted)
        assert [d.statement_id for d in documents] == wanted
        for document in documents:
            statement = session.get(Statement, document.statement_id)
            descriptions = session.scalars(select(StatementLine.description).where(
                StatementLine.statement_id == statement.id).order_by(StatementLine.position)).all()
            assert [line.description for line in document.lines] == descriptions
            assert document.total(StatementLineKind.GROSS_RECEIPTS) == statement.gross_receipts
            assert dict(document.summary)["Payable"] == statement.payable
        assert statement_documents.load_documents(session, []) == []


def test_a_statement_that_no_longer_exists_is_named(demo_database):
    with demo_database.transaction() as session:
        ran = statements.run(session, "2026-Q3", user="ana")
    with demo_database.read() as session, pytest.raises(NotFound, match="statement 987654 no longer exists"):
        statement_documents.load_documents(session, [ran.statements[0], 987654])
