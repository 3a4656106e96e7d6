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


def _sheet_xml(path, number=1):
    import zipfile

    with zipfile.ZipFile(path) as package:
        return package.read(f"xl/worksheets/sheet{number}.xml").decode()


def test_rows_written_whole_are_the_xml_xlsxwriter_writes_cell_by_cell(tmp_path):
    """put_row writes a row as one string; the sheet is byte for byte what XlsxWriter's own
    write_string, write_number, write_datetime, write_formula and write_url make of the same
    cells: hostile and blank-edged text, control characters, Excel's escapes, dates, links."""
    from datetime import date

    from rightsdesk.reports.statement_workbook import Formula, Link, _Book

    rows = [
        [(0, " leading and trailing ", None), (2, "a & b < c > \"d\"", "bold"), (3, 1234.5, "money")],
        [(1, "bell\x07 and _x0041_ kept", None), (4, date(2026, 7, 1), "day"), (5, date(2026, 9, 30), None)],
        [(0, "=SUM(A1:A9)", None), (1, Formula("=SUMIF($A$1:$A$3,\"x\",$B$1:$B$3)", -0.1), "money"),
         (2, Formula("B2", 3.0), None), (3, Link("Golden Reel", "internal:'Golden Reel'!A1"), "link"),
         (11, 7, None), (12, -1e-7, "money")],
    ]

    def write(path, whole):
        book = _Book(str(path), {"constant_memory": True})
        formats = {"bold": book.add_format({"bold": True}), "money": book.add_format({"num_format": "#,##0.00"}),
                   "day": book.add_format({"num_format": "yyyy-mm-dd"}), "link": book.add_format({"underline": 1})}
        sheet = book.add_worksheet("Lines")
        sheet.set_column(0, 0, 20)
        sheet.write_string(0, 0, "written cell by cell first")
        for number, row in enumerate(rows, start=2):
            cells = [(column, value, formats.get(name)) for column, value, name in row]
            if whole:
                sheet.put_row(number, cells)
                continue
            for column, value, cell_format in cells:
                if isinstance(value, Formula):
                    sheet.write_formula(number, column, value.formula, cell_format, value.value)
                elif isinstance(value, Link):
                    sheet.write_url(number, column, value.target, cell_format, value.text)
                elif isinstance(value, date):
                    sheet.write_datetime(number, column, value, cell_format)
                elif isinstance(value, str):
                    sheet.write_string(number, column, value, cell_format)
                else:
                    sheet.write_number(number, column, value, cell_format)
        sheet.write_string(9, 1, "and cell by cell after")
        book.close()
        return _sheet_xml(path)

    assert write(tmp_path / "whole.xlsx", True) == write(tmp_path / "cells.xlsx", False)


def test_a_row_written_whole_goes_below_the_rows_before_and_text_never_becomes_markup(tmp_path):
    from rightsdesk.reports.statement_workbook import _Book

    book = _Book(str(tmp_path / "rows.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("Lines")
    sheet.put_row(3, [(0, "<r><t>rich?</t></r>", None)])  # XlsxWriter would write this as XML
    with pytest.raises(ValueError):
        sheet.put_row(2, [(0, "above", None)])
    with pytest.raises(ValueError):
        sheet.put_row(4, [(16384, "beyond the last column", None)])
    book.close()
    assert load_workbook(tmp_path / "rows.xlsx")["Lines"]["A4"].value == "<r><t>rich?</t></r>"


def test_what_no_statement_holds_may_come_after_the_statements(database, two_periods):
    """An export reads "Not on a statement" while its statements are drawn: the sheet has its
    place (after the summary) from the start, and its lines are given before closing; once."""
    from datetime import date
    from decimal import Decimal

    from rightsdesk.reports.statement_workbook import UNSTATED_LATER, StatementWorkbook
    from rightsdesk.services.statement_revenue import Unstated

    with database.read() as session:
        documents = [statement_documents.load_document(session, i) for i in two_periods]
    lines = [Unstated(line_id=7, source="Platform", identifier="NOBODY", period_start=date(2026, 7, 1),
                      period_end=date(2026, 7, 31), territory="US", currency="USD", amount=Decimal("5.00"),
                      reason="no title matched")]
    buffer = io.BytesIO()
    book = StatementWorkbook(buffer, UNSTATED_LATER)
    for document in documents:
        book.add(document)
    book.add_unstated(lines)
    with pytest.raises(ValueError, match="filled already"):
        book.add_unstated(lines)
    book.close()
    sheets = load_workbook(io.BytesIO(buffer.getvalue()))
    assert sheets.sheetnames[:2] == ["Summary", "Not on a statement"] and len(sheets.sheetnames) == 4
    rows = list(sheets["Not on a statement"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[7], r[8]) for r in rows] == [(7, "NOBODY", 5, "no title matched")]


def test_the_lines_on_no_statement_written_in_parts_make_the_same_sheet(database, two_periods):
    """An export writes "Not on a statement" a part at a time between its statements: the
    parts make the sheet all at once makes, byte for byte, and it is filled from the first."""
    import zipfile
    from datetime import date
    from decimal import Decimal

    from rightsdesk.reports.statement_workbook import UNSTATED_LATER, StatementWorkbook
    from rightsdesk.services.statement_revenue import Unstated

    with database.read() as session:
        documents = [statement_documents.load_document(session, i) for i in two_periods]
    lines = [Unstated(line_id=n, source="Platform", identifier=f"NOBODY-{n}", period_start=date(2026, 7, 1),
                      period_end=date(2026, 7, 31), territory="US", currency="USD", amount=Decimal(n) / 4,
                      reason="no title matched") for n in range(1, 8)]

    def sheet(write) -> bytes:
        buffer = io.BytesIO()
        book = StatementWorkbook(buffer, UNSTATED_LATER)
        book.add(documents[0])
        write(book)
        book.add(documents[1])
        book.close()
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as packed:
            return packed.read("xl/worksheets/sheet2.xml")  # (the summary is sheet1)

    def in_parts(book) -> None:
        parts = book.adding_unstated(lines, rows_at_once=3)
        next(parts)  # three rows
        with pytest.raises(ValueError, match="filled already"):
            book.add_unstated(lines)
        assert len(list(parts)) == 2  # three more, then the last row and the sheet put away

    whole = sheet(lambda book: book.add_unstated(lines))
    assert whole == sheet(in_parts) and b"NOBODY-7" in whole
