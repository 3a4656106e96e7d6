"""The statement workbook: live formulas that, recalculated, give the engine's figures."""

import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pycel import ExcelCompiler

from rightsdesk.persistence.models import Party, Statement
from rightsdesk.domain.enums import StatementLineKind
from rightsdesk.reports.statement_workbook import FIRST_AMOUNT_COLUMN, STEPS, statement_workbook
from rightsdesk.services import issuing, statement_documents, statements

# The engine's stored totals, by the summary column of the step (steps without one: None).
ATTRIBUTES = {StatementLineKind.GROSS_RECEIPTS: "gross_receipts", StatementLineKind.DISTRIBUTION_FEE: "distribution_fee",
              StatementLineKind.EXPENSES_RECOUPED: "expenses_recouped", StatementLineKind.NET_RECEIPTS: "net_receipts",
              StatementLineKind.PARTICIPANT_SHARE: "participant_share", StatementLineKind.MG_RECOUPED: "mg_recouped",
              StatementLineKind.PAYABLE: "payable", StatementLineKind.WITHHOLDING: "withholding",
              StatementLineKind.PAID: "paid"}


@pytest.fixture
def two_periods(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000.00", "THB"),
                                                ("2026-08", "US", "T000001", "15000.00", "USD"),
                                                ("2026-09", "BR", "T000002", "15000.00", "USD")], "q3.csv")
    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    with database.transaction() as session:
        first = statements.run(session, "2026-Q3", user="ana").statements[0]
        issuing.issue(session, first, user="ana")
        second = statements.run(session, "2026-Q4", user="ana").statements[0]
    return [first, second]


def test_recalculated_formulas_equal_the_engine(database, two_periods, tmp_path):
    with database.read() as session:
        documents = [statement_documents.load_document(session, i) for i in two_periods]
        engine = [session.get(Statement, i) for i in two_periods]
    path = tmp_path / "statements.xlsx"
    path.write_bytes(statement_workbook(documents))
    book = load_workbook(path)
    summary = book["Summary"]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref.startswith("A1:")
    assert str(summary.cell(2, FIRST_AMOUNT_COLUMN).value).startswith("='")  # a live formula, not a number
    assert summary.cell(2, 4).is_date and summary.cell(2, FIRST_AMOUNT_COLUMN).number_format.startswith("#,##0.00")
    computed = ExcelCompiler(filename=str(path))
    for row, statement in enumerate(engine, start=2):
        for offset, (kind, _) in enumerate(STEPS):
            attribute = ATTRIBUTES.get(kind)
            if attribute is None:
                continue
            address = f"Summary!{get_column_letter(FIRST_AMOUNT_COLUMN + offset)}{row}"
            assert round(computed.evaluate(address), 2) == float(getattr(statement, attribute)), (address, attribute)
    # the per-currency total row adds both statements
    total_row = len(engine) + 3
    assert summary.cell(total_row, 7).value == "Total USD"
    paid_column = get_column_letter(FIRST_AMOUNT_COLUMN + [kind for kind, _ in STEPS].index(StatementLineKind.PAID))
    assert round(computed.evaluate(f"Summary!{paid_column}{total_row}"), 2) == float(sum(s.paid for s in engine))
    detail = book.worksheets[1]
    assert detail.freeze_panes is not None and detail.title.startswith("ST-2026-")


def test_hostile_text_stays_text_and_sheet_names_are_legal(database, two_periods, tmp_path):
    with database.transaction() as session:
        participant = session.get(Statement, two_periods[0]).participant_id
        session.get(Party, participant).name = "=cmd|' /C calc'!A0 [x]:*?/\\ \x07" + "長" * 40
    with database.read() as session:
        documents = [statement_documents.load_document(session, i) for i in two_periods]
    book = load_workbook(io.BytesIO(statement_workbook(documents)))
    titles = book.sheetnames
    assert all(len(t) <= 31 for t in titles) and len(set(t.lower() for t in titles)) == len(titles)
    assert not any(c in t for t in titles for c in "[]:*?/\\")
    cell = book["Summary"].cell(2, 7)
    assert cell.data_type == "s" and cell.value.startswith("=cmd") and "\x07" not in cell.value


def test_sheet_names_stay_unique_whatever_their_case_and_bad_ones_are_refused(tmp_path):
    """The workbook keeps the names taken in a set (XlsxWriter compared each new name with every
    sheet's); a name taken, too long or with a character Excel refuses is still refused."""
    from xlsxwriter.exceptions import DuplicateWorksheetName, InvalidWorksheetName

    from rightsdesk.reports.statement_workbook import _Book

    book = _Book(str(tmp_path / "names.xlsx"))
    book.add_worksheet("Golden Reel")
    with pytest.raises(DuplicateWorksheetName):
        book.add_worksheet("golden reel")
    for bad in ("A/B", "x" * 32, "'quoted'"):
        with pytest.raises(InvalidWorksheetName):
            book.add_worksheet(bad)
    assert book.add_worksheet().name == "Sheet6"  # numbered as XlsxWriter numbers: every name asked for counts
    book.close()
