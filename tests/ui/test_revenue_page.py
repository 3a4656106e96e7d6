"""The import wizard: file, mapping with preview, problems, import; the unmatched resolver."""

from PySide6.QtWidgets import QMessageBox

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.services import catalogue, revenue
from rightsdesk.ui.revenue.page import ImportWizard, RevenuePage, guess_mapping


def setup(database, tmp_path, text):
    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Bride", episodes=[EpisodeDraft(1, "", 90)]), user="li")
        source = revenue.save_source(session, "ShortMax")
    path = tmp_path / "july.csv"
    path.write_text(text, encoding="utf-8-sig")
    return source, path


def test_the_wizard_previews_refuses_bad_rows_and_imports(qtbot, database, tmp_path):
    source, path = setup(database, tmp_path, "Month,Country,Series,Revenue,Currency\n2026-07,TH,T000001,\"1,234.50\",USD\n"
                                             "2026-07,US,Mystery Show,10,USD\n2026-07,US,T000001,oops,USD\n")
    wizard = ImportWizard(database, source)
    qtbot.addWidget(wizard)
    wizard.path.setText(str(path))
    assert wizard.read_file()
    assert wizard.mapping() == {"period": "Month", "territory": "Country", "title_name": "Series",
                                "gross_amount": "Revenue", "currency": "Currency"}
    assert wizard.preview_table.rowCount() == 2  # the bad row is not previewed; it is listed
    assert "'oops' not a number" in wizard.preview_problems.text()
    assert not wizard.check_all()
    assert "Nothing can be imported" in wizard.preview_problems.text()

    path.write_text("Month,Country,Series,Revenue,Currency\n2026-07,TH,T000001,\"1,234.50\",USD\n"
                    "2026-07,US,Mystery Show,10,USD\n", encoding="utf-8-sig")
    assert wizard.read_file() and wizard.check_all()
    wizard.save_as.setText("ShortMax monthly")
    wizard.run_import()
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=5000)
    assert (wizard.report.lines, wizard.report.matched, wizard.report.unmatched) == (2, 1, 1)
    assert "waiting in Unmatched" in wizard.outcome.text()


def test_the_resolver_assigns_and_the_batch_rolls_back(qtbot, database, tmp_path, answer_dialogs):
    source, path = setup(database, tmp_path, "Month,Series,Revenue,Currency\n2026-07,Brida,10,USD\n")
    with database.transaction() as session:
        revenue.import_file(session, source, "july.csv", path.read_bytes(), guess_mapping(["Month", "Series", "Revenue", "Currency"]),
                            revenue.Options(), user="li")
    page = RevenuePage(database)
    qtbot.addWidget(page)
    assert page.tabs.tabText(1) == "Unmatched (1)" and page.unmatched.item(0, 1).text() == "Brida"
    page.assign(0, 1)
    assert page.tabs.tabText(1) == "Unmatched" and not page.unmatched_empty.isHidden() and page.unmatched.isHidden()
    page.batches.selectRow(0)
    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    page.rollback_selected()
    assert "cannot be undone" in asked[0]
    assert page.batches.item(0, 6).text() == "rolled back"


def test_exchange_rates_are_imported_and_entered(qtbot, database, tmp_path, answer_dialogs, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    page = RevenuePage(database)
    qtbot.addWidget(page)
    rates = tmp_path / "rates.csv"
    rates.write_text("date,base,quote,rate\n2026-09-30,THB,USD,0.0275\n")
    asked = answer_dialogs()
    page.import_rates(str(rates))
    assert asked == ["Imported 1 rate(s)."] and page.rates.item(0, 3).text() == "0.0275"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("2026-10-31 USD BRL 5,42", True)))
    page.add_rate()
    assert page.rates.rowCount() == 2 and page.rates.item(0, 1).text() == "USD" and page.rates.item(0, 3).text() == "5.42"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("2026-10-31 USD", True)))
    page.add_rate()
    assert "Write the date, the two currencies and the rate" in asked[-1]
