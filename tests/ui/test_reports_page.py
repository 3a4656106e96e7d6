"""The reports area: options per report, a PDF preview inside the app, saving, the period's batch."""

import csv
import io
from datetime import date

from openpyxl import load_workbook
from PySide6.QtGui import QDesktopServices
from PySide6.QtCore import QBuffer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QFileDialog

from rightsdesk.services import licensing_reports as licensing
from rightsdesk.services import issuing, statements
from rightsdesk.ui.reports.page import ENTRIES, ReportsPage


def choose(page, key):
    page.list.setCurrentRow([e.key for e in ENTRIES].index(key))


def finish(qtbot, page, operation):
    assert operation is not None
    qtbot.waitUntil(lambda: page.operation is None, timeout=20000)


def test_every_report_is_listed_and_the_filter_narrows_the_list(qtbot, demo_database):
    page = ReportsPage(demo_database)
    qtbot.addWidget(page)
    titles = [page.list.item(n).text() for n in range(page.list.count())]
    assert titles[: len(licensing.REPORTS)] == [k.title for k in licensing.REPORTS.values()]
    assert "Statements of a period" in titles and "General-ledger journal" in titles
    page.filter.setText("music")
    shown = [page.list.item(n).text() for n in range(page.list.count()) if not page.list.item(n).isHidden()]
    assert shown == ["Music clearance"]


def test_preview_shows_the_pdf_in_the_app_and_options_are_remembered(qtbot, demo_database, pdf_text):
    page = ReportsPage(demo_database)
    qtbot.addWidget(page)
    choose(page, "catalogue")
    assert set(page.fields) == {"library", "deal", "title"} and page.preview_button.isVisibleTo(page)
    page.set_value("title", "noiva")
    finish(qtbot, page, page.preview())
    assert page.pdf.status() == QPdfDocument.Status.Ready and page.pdf.pageCount() >= 1
    assert page.preview_stack.currentWidget() is page.pdf_view
    text = pdf_text(page.pdf_bytes)
    assert "Catalogue" in text and "titles matching “noiva”" in text
    finish(qtbot, page, page.preview())  # previewed again: the last PDF's bytes are let go
    qtbot.waitUntil(lambda: len(page.findChildren(QBuffer)) == 1)
    again = ReportsPage(demo_database)
    qtbot.addWidget(again)
    choose(again, "catalogue")
    assert again.values()["title"] == "noiva"


def test_saving_excel_then_opening_its_folder(qtbot, demo_database, tmp_path, monkeypatch):
    target = tmp_path / "windows.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    page = ReportsPage(demo_database)
    qtbot.addWidget(page)
    choose(page, "windows")
    page.set_value("start", "2026-01-01")
    page.set_value("end", "2027-12-31")
    finish(qtbot, page, page.save("xlsx"))
    book = load_workbook(target)
    assert "Release windows" in book.sheetnames and book["Release windows"].max_row > 1
    assert page.open_folder.isVisibleTo(page) and "windows.xlsx" in page.saved_label.text()
    page.open_folder.click()
    assert opened == [str(tmp_path)]


def test_bad_options_are_shown_and_nothing_is_written(qtbot, demo_database, tmp_path, monkeypatch, answer_dialogs):
    asked = answer_dialogs()
    target = tmp_path / "deal.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    page = ReportsPage(demo_database)
    qtbot.addWidget(page)
    choose(page, "deal")
    page.set_value("deal", "NO-SUCH-DEAL")
    finish(qtbot, page, page.save("pdf"))
    assert asked == ["Deal: no deal 'NO-SUCH-DEAL'"] and not target.exists()


def test_the_period_exports_statements_and_journal(qtbot, database, worked, import_revenue, tmp_path, monkeypatch):
    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    with database.transaction() as session:
        issuing.issue(session, statements.run(session, "2026-Q4", user="ana").statements[0], user="ana",
                         on=date(2027, 1, 4))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path)))
    page = ReportsPage(database)
    qtbot.addWidget(page)
    choose(page, "statements")
    assert not page.preview_button.isVisibleTo(page) and page.output_buttons["batch"].isVisibleTo(page)
    page.set_value("period", "2026-Q4")
    finish(qtbot, page, page.save("batch"))
    pdfs = list((tmp_path / "2026-Q4").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].name.startswith("2026-Q4_Golden Reel_ST-2027-")
    assert (tmp_path / "2026-Q4_statements.xlsx").exists() and "1 PDF" in page.saved_label.text()

    journal_file = tmp_path / "journal.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(journal_file), "")))
    choose(page, "journal")
    page.set_value("period", "2026-Q4")
    finish(qtbot, page, page.save("csv"))
    rows = list(csv.DictReader(io.StringIO(journal_file.read_text("utf-8-sig"))))
    # only Q4 ran, so it takes Q3's expenses too (5 000 under the cap, 1 000 borne) and its
    # whole share of 10 500 recoups the MG
    assert [(r["account"], r["debit"], r["credit"]) for r in rows] == [
        ("5100", "10500.00", "0.00"), ("1410", "0.00", "10500.00"), ("5200", "5000.00", "0.00"),
        ("1420", "0.00", "6000.00"), ("5210", "1000.00", "0.00")]
