"""A period's statements at once: safe file names, every PDF and the workbook, cancel leaves nothing."""

import pytest
from openpyxl import load_workbook

from rightsdesk.cli import main
from rightsdesk.domain.errors import UserError
from rightsdesk.reports import batch
from rightsdesk.services import issuing, statements


@pytest.mark.parametrize(("parts", "expected"), [
    (("2026-Q3", "Golden Reel", "ST-2026-000001"), "2026-Q3_Golden Reel_ST-2026-000001.pdf"),
    (("2026-Q3", 'A/B:C*D?"E<F>|G\\H', "X"), "2026-Q3_A-B-C-D-E-F-G-H_X.pdf"),
    (("CON",), "_CON.pdf"),
    (("2026-Q3", "  trailing dots... ", ""), "2026-Q3_trailing dots.pdf"),
    (("2026-Q3", "新娘\x00影业"), "2026-Q3_新娘-影业.pdf"),
])
def test_file_names_are_safe_everywhere(parts, expected):
    assert batch.safe_file_name(*parts, suffix=".pdf") == expected


def test_long_names_are_cut():
    assert len(batch.safe_file_name("2026-Q3", "x" * 400, suffix=".pdf")) == 124


@pytest.fixture
def period(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "15000.00", "USD")], "q3.csv")
    with database.transaction() as session:
        statement_id = statements.run(session, "2026-Q3", user="ana").statements[0]
        issuing.issue(session, statement_id, user="ana")
    return statement_id


def test_a_period_exports_its_pdfs_and_workbook(database, period, tmp_path):
    result = batch.export_period(database, "2026-Q3", pdf_dir=tmp_path / "pdf", workbook=tmp_path / "q3.xlsx")
    [pdf] = result.pdfs
    assert pdf.name.startswith("2026-Q3_Golden Reel_ST-2026-") and pdf.read_bytes().startswith(b"%PDF")
    assert load_workbook(result.workbook).sheetnames[0] == "Summary"


def test_cancelling_leaves_no_files(database, period, tmp_path):
    def cancel(stage, percent):
        if stage == "Writing the workbook":
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        batch.export_period(database, "2026-Q3", pdf_dir=tmp_path / "pdf", workbook=tmp_path / "q3.xlsx", progress=cancel)
    assert list((tmp_path / "pdf").iterdir()) == [] and not (tmp_path / "q3.xlsx").exists()


def test_a_period_without_statements_says_so(database):
    with pytest.raises(UserError, match="no statements for 2025-Q1"):
        batch.export_period(database, "2025-Q1", workbook=None)


def test_the_command(capsys, database, period, tmp_path):
    assert main(["statements", "export", "--db", database.location, "--period", "2026-Q3", "--pdf", str(tmp_path),
                 "--xlsx", str(tmp_path / "q3.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "Wrote 1 PDF(s)" in out and (tmp_path / "q3.xlsx").exists()
