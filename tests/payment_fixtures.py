"""An issued statement with something to pay, for the payment tests (services and command line)."""

from datetime import date

import pytest
from sqlalchemy import select

from rightsdesk.persistence.models import Party, Statement
from rightsdesk.services import issuing, statements

USER = "ana"


@pytest.fixture
def paid_quarter(database, worked, import_revenue):
    """Q3 (nothing payable) and Q4 (7 650.00 to pay) issued; the producer has an IBAN."""
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "40000", "USD"),
                                                ("2026-10", "US", "T000001", "30000", "USD")], "rev.csv")
    ids = {}
    for period, day in (("2026-Q3", date(2026, 10, 5)), ("2026-Q4", date(2027, 1, 10))):
        with database.transaction() as session:
            [ids[period]] = statements.run(session, period, user=USER).statements
            issuing.issue(session, ids[period], user=USER, on=day)
    with database.transaction() as session:
        party = session.scalar(select(Party).where(Party.name == "Golden Reel"))
        party.iban, party.bic = "DE89370400440532013000", "COBADEFFXXX"
        number = session.get(Statement, ids["2026-Q4"]).number
    return {**worked, "q3": ids["2026-Q3"], "q4": ids["2026-Q4"], "number": number}
