"""The import wizard: file, mapping with preview, problems, import; the unmatched resolver."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.persistence.models import ColumnMapping
from rightsdesk.services import catalogue, revenue
from rightsdesk.services.revenue_mapping import propose_mapping
from rightsdesk.ui.actions import run
from rightsdesk.ui.revenue.page import ImportWizard, RevenuePage


def read(qtbot, page):
    """Wait for the screen's lists, read off the UI thread, and for any action under way."""
    qtbot.waitUntil(lambda: not page.reading() and not page.acting(), timeout=20000)


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
    assert "'oops' is not a number" in wizard.preview_problems.text()
    assert not wizard.check_all()  # the whole file is checked off the UI thread: the wizard waits
    qtbot.waitUntil(lambda: wizard.operation is None, timeout=20000)
    assert "Nothing can be imported" in wizard.preview_problems.text() and wizard.checked is None

    path.write_text("Month,Country,Series,Revenue,Currency\n2026-07,TH,T000001,\"1,234.50\",USD\n"
                    "2026-07,US,Mystery Show,10,USD\n", encoding="utf-8-sig")
    assert wizard.read_file() and not wizard.check_all()
    qtbot.waitUntil(lambda: wizard.operation is None, timeout=20000)
    assert wizard.checked is not None and wizard.check_all()  # checked once: what the import writes
    assert wizard.outcome.text() == "2 lines are ready to import."
    wizard.save_as.setText("ShortMax monthly")
    wizard.run_import()
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=20000)
    assert (wizard.report.lines, wizard.report.matched, wizard.report.unmatched) == (2, 1, 1)
    assert "waiting in Unmatched" in wizard.outcome.text()


def test_the_resolver_assigns_and_the_batch_rolls_back(qtbot, database, tmp_path, answer_dialogs):
    source, path = setup(database, tmp_path, "Month,Series,Revenue,Currency\n2026-07,Brida,10,USD\n")
    with database.transaction() as session:
        revenue.import_file(session, source, "july.csv", path.read_bytes(), propose_mapping(["Month", "Series", "Revenue", "Currency"]),
                            revenue.Options(), user="li")
    page = RevenuePage(database)
    qtbot.addWidget(page)
    assert page.reading()  # off the UI thread: the screen is up before its lists are in
    read(qtbot, page)
    assert page.tabs.tabText(1) == "Unmatched (1)" and page.unmatched_model.index(0, 1).data() == "Brida"
    page.assign(0, 1)
    assert page.acting()  # in the background
    read(qtbot, page)
    assert page.tabs.tabText(1) == "Unmatched" and not page.unmatched_empty.isHidden() and page.unmatched.isHidden()
    page.batches.selectRow(0)
    asked = answer_dialogs(QMessageBox.StandardButton.Yes)
    page.rollback_selected()
    assert "cannot be undone" in asked[0]
    read(qtbot, page)
    assert page.batches.item(0, 6).text() == "rolled back"


def test_likely_titles_are_found_in_the_background_for_the_unmatched_rows_in_view(qtbot, database, tmp_path):
    source, path = setup(database, tmp_path, "Month,Series,Revenue,Currency\n"
                         + "".join(f"2026-07,Brida {n},10,USD\n" for n in range(60)) + "2026-07,Zzzz,1,USD\n")
    with database.transaction() as session:
        revenue.import_file(session, source, "july.csv", path, propose_mapping(["Month", "Series", "Revenue", "Currency"]),
                            revenue.Options(), user="li")
    page = RevenuePage(database)
    qtbot.addWidget(page)
    read(qtbot, page)
    assert page.unmatched_model.rowCount() == 61 and page.chooser(0) is None  # listed, nothing scored
    page.resize(900, 400)
    page.show()
    page.tabs.setCurrentIndex(1)
    in_view = page._rows_in_view()
    assert 0 < len(in_view) < 61
    qtbot.waitUntil(lambda: page.chooser(0) is not None
                    and page.chooser(0).itemText(1) == "T000001  Bride", timeout=20000)
    assert page.chooser(60) is None and "Zzzz" not in page.suggestions.known  # not in view: not scored
    index = page.suggestions.index
    page.refresh()  # (an assignment, a rollback...): the titles are the same, so is the index
    read(qtbot, page)
    qtbot.waitUntil(lambda: not page.suggestions.running(), timeout=20000)
    assert page.suggestions.index is index
    run(database, catalogue.save_title, TitleDraft("Brida 1!"), user="li")  # as Catalogue saves it: followed
    qtbot.waitUntil(lambda: page.suggestions.index is not index and not page.suggestions.running(), timeout=20000)
    row = next(r for r in in_view if page.parked[r].identifier == "Brida 1")
    qtbot.waitUntil(lambda: page.chooser(row).itemText(1) == "T000002  Brida 1!", timeout=20000)
    page.unmatched.scrollToBottom()
    qtbot.waitUntil(lambda: "Zzzz" in page.suggestions.known, timeout=20000)
    page.stop()


def test_what_another_screen_imports_assigns_or_rates_appears_and_a_hidden_screen_reads_it_when_shown(
        qtbot, database, tmp_path):
    from datetime import date
    from decimal import Decimal

    from rightsdesk.services import fx

    source, path = setup(database, tmp_path, "Month,Series,Revenue,Currency\n2026-07,Brida,10,USD\n")
    page = RevenuePage(database)
    qtbot.addWidget(page)
    page.show()
    read(qtbot, page)
    assert page.tabs.tabText(1) == "Unmatched" and page.batches.rowCount() == 0
    run(database, revenue.import_file, source, "july.csv", path.read_bytes(),
        propose_mapping(["Month", "Series", "Revenue", "Currency"]), revenue.Options(), user="li")
    qtbot.waitUntil(lambda: page.tabs.tabText(1) == "Unmatched (1)", timeout=20000)
    assert page.batches.item(0, 2).text() == "july.csv" and page.unmatched_model.index(0, 1).data() == "Brida"

    page.hide()  # another screen in front: a change is read once this one is shown again, not before
    run(database, revenue.assign, source, "Brida", 1, user="li")
    run(database, fx.save_rate, "THB", "USD", date(2026, 9, 30), Decimal("0.0275"))
    assert not page.reading() and page.tabs.tabText(1) == "Unmatched (1)" and page.rates_model.rowCount() == 0
    page.show()
    qtbot.waitUntil(lambda: page.tabs.tabText(1) == "Unmatched", timeout=20000)
    read(qtbot, page)
    assert page.rates_model.index(0, 3).data() == "0.0275" and page.unmatched.isHidden()
    page.stop()


def test_exchange_rates_are_imported_and_entered(qtbot, qtmodeltester, database, tmp_path, answer_dialogs,
                                                monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    page = RevenuePage(database)
    qtbot.addWidget(page)
    rates = tmp_path / "rates.csv"
    rates.write_text("date,base,quote,rate\n2026-09-30,THB,USD,0.0275\n")
    asked = answer_dialogs()
    page.import_rates(str(rates))
    read(qtbot, page)
    assert asked == ["Imported 1 rate."] and page.rates_model.index(0, 3).data() == "0.0275"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("2026-10-31 USD BRL 5,42", True)))
    page.add_rate()
    read(qtbot, page)
    qtmodeltester.check(page.rates_model, force_py=True)
    assert page.rates_model.rowCount() == 2 and page.rates_model.index(0, 1).data() == "USD" and page.rates_model.index(0, 3).data() == "5.42"
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("2026-10-31 USD", True)))
    page.add_rate()
    assert "Write the date, the two currencies and the rate" in asked[-1]


def shown_unstated(qtbot, page):
    """The Revenue screen in front on its Not on a statement tab, once the check has finished."""
    page.show()
    page.show_unstated()
    qtbot.waitUntil(lambda: page.unstated.result is not None and not page.unstated.running(), timeout=20000)
    return page.unstated


def cells(view, column):
    return [view.model.index(r, column).data() for r in range(view.model.rowCount())]


def test_a_line_no_title_matched_is_not_on_a_statement_and_the_totals_balance(qtbot, database, worked, import_revenue):
    from rightsdesk.services import statements

    import_revenue(database, worked["source"], [("2026-08", "US", "T000002", "30000", "USD"),
                                                ("2026-09", "US", "NOT-OURS", "99.99", "USD")], "q3.csv")
    with database.transaction() as session:
        statements.run(session, "2026-Q3", user="ana")
    page = RevenuePage(database)
    qtbot.addWidget(page)
    view = shown_unstated(qtbot, page)
    assert page.tabs.currentWidget() is view and page.tabs.tabText(page.tabs.indexOf(view)) == "Not on a statement (1)"
    assert cells(view, 2) == ["NOT-OURS"] and cells(view, 5) == ["$99.99"] and cells(view, 6) == ["no title matched"]
    assert cells(view, 3) == ["2026-09"] and cells(view, 4) == ["US"]
    assert view.summary.text() == "USD: imported $30,099.99 = on statements $30,000.00 + listed $99.99"
    assert view.result.balanced and view.warning.isHidden()

    view.list.filter_box.setText("someone else's")
    view.list.filter_box.returnPressed.emit()
    assert view.model.rowCount() == 0 and view.list.empty_label.text() == "No lines match “someone else's”."
    view.list.filter_box.setText("no title")  # the reason is searched too
    view.list.filter_box.returnPressed.emit()
    assert view.model.rowCount() == 1
    view.list.filter_box.clear()
    view.list.filter_box.returnPressed.emit()

    # Assigned to a title, the line waits for its deal's statement to be run again...
    read(qtbot, page)
    page.assign(0, worked["titles"][0])
    qtbot.waitUntil(lambda: not view.running() and cells(view, 6) != ["no title matched"], timeout=20000)
    assert cells(view, 6) == ["not run yet: the statement of deal IN-1 for this revenue"]
    # ...and once it is (by the Statements screen: the list follows what statements write), every
    # line is on a statement.
    run(database, statements.run, "2026-Q3", user="ana")
    qtbot.waitUntil(lambda: not view.running() and view.model.rowCount() == 0, timeout=20000)
    assert view.list.stack.currentWidget() is view.list.empty_label
    assert view.list.empty_label.text() == "Every imported line is on a statement."
    assert view.summary.text() == "USD: imported $30,099.99 = on statements $30,099.99 + listed $0.00"
    assert page.tabs.tabText(page.tabs.indexOf(view)) == "Not on a statement"


def test_not_on_a_statement_is_checked_only_when_in_front(qtbot, database, worked, import_revenue):
    page = RevenuePage(database)
    qtbot.addWidget(page)
    assert page.unstated.stale and page.unstated.background is None  # not shown: nothing read yet
    assert page.unstated.list.empty_label.text().startswith("Checking")  # not "every line is on a statement" yet
    import_revenue(database, worked["source"], [("2026-09", "US", "NOT-OURS", "10", "USD")], "september.csv")
    page.refresh()
    assert page.unstated.background is None
    page.show()
    qtbot.waitUntil(lambda: page.unstated.result is not None and not page.unstated.running(), timeout=20000)
    assert page.tabs.tabText(page.tabs.indexOf(page.unstated)) == "Not on a statement (1)"


def test_the_unstated_model_passes_the_model_tester_and_sorts(qtmodeltester, database, worked, import_revenue):
    from rightsdesk.services.statement_revenue import reconcile
    from rightsdesk.ui.revenue.unstated import UnstatedModel

    import_revenue(database, worked["source"], [("2026-07", "US", "NOT-OURS", "5", "USD"),
                                                ("2026-08", "TH", "ALSO-NOT", "700", "THB"),
                                                ("2026-09", "US", "T000001", "12.50", "USD")], "q3.csv")
    with database.read() as session:
        result = reconcile(session)
    model = UnstatedModel()
    model.set_lines(result.lines)
    qtmodeltester.check(model, force_py=True)
    identifier = [c.key for c in model.columns].index("identifier")
    model.sort(identifier)
    assert [model.index(r, identifier).data() for r in range(3)] == ["ALSO-NOT", "NOT-OURS", "T000001"]
    model.sort([c.key for c in model.columns].index("period"), Qt.SortOrder.DescendingOrder)
    assert [model.index(r, identifier).data() for r in range(3)] == ["T000001", "ALSO-NOT", "NOT-OURS"]


def test_a_period_reads_as_accountants_write_it():
    from datetime import date
    from decimal import Decimal

    from rightsdesk.services.statement_revenue import Unstated
    from rightsdesk.ui.revenue.unstated import period_text

    def line(start, end):
        return Unstated(1, "ShortMax", "X", start, end, "US", "USD", Decimal(1), "no title matched")

    assert period_text(line(date(2026, 7, 1), date(2026, 7, 31))) == "2026-07"
    assert period_text(line(date(2026, 7, 1), date(2026, 9, 30))) == "2026-Q3"
    assert period_text(line(date(2026, 7, 1), date(2026, 12, 31))) == "2026-H2"
    assert period_text(line(date(2026, 1, 1), date(2026, 12, 31))) == "2026"
    assert period_text(line(date(2026, 8, 1), date(2026, 10, 31))) == "2026-08-01 to 2026-10-31"
    assert period_text(line(date(2026, 7, 3), date(2026, 7, 9))) == "2026-07-03 to 2026-07-09"


def test_the_wizard_proposes_the_encoding_shows_the_text_and_reads_types_and_dates_as_declared(qtbot, database, tmp_path):
    from rightsdesk.domain.enums import RevenueType

    source, path = setup(database, tmp_path, "")
    path.write_bytes("Month,Country,Series,Type,Revenue,Currency\n01.07.2026,UK,红色的爱,Coins,10,USD\n"
                     "01.07.2026,TH,T000001,refund,-2,USD\n".encode("gb18030"))
    wizard = ImportWizard(database, source)
    qtbot.addWidget(wizard)
    wizard.path.setText(str(path))
    assert wizard.read_file()
    assert wizard.encoding.currentText() == "gb18030" and "红色的爱" in wizard.decoded.toPlainText()
    assert wizard.options().revenue_types == {"coins": RevenueType.UNLOCKS}  # proposed; refund is the user's to map
    problems = wizard.preview_problems.text()
    assert "'01.07.2026' reads day-first or month-first" in problems and "'refund' is not a revenue type" in problems
    wizard.dates.setCurrentIndex(wizard.dates.findData("dmy"))
    refund = wizard.type_words.cellWidget(1, 1)
    refund.setCurrentIndex(refund.findData(RevenueType.OTHER))
    assert wizard.preview_problems.isHidden() and wizard.preview_table.rowCount() == 2
    assert wizard.preview_table.item(0, 3).text() == "GB"
    wizard.save_as.setText("gb")
    assert not wizard.check_all()
    qtbot.waitUntil(lambda: wizard.operation is None, timeout=20000)
    wizard.run_import()
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=20000)
    with database.read() as session:
        [saved] = session.scalars(select(ColumnMapping.options)).all()
    assert (saved["encoding"], saved["dates"], saved["revenue_types"]) == ("gb18030", "dmy", {"coins": "unlocks",
                                                                                               "refund": "other"})


def test_the_wizard_labels_show_no_stray_ampersand(qtbot, database, tmp_path):
    from PySide6.QtWidgets import QLabel

    source, _path = setup(database, tmp_path, "Month,Country,Series,Revenue,Currency\n")
    wizard = ImportWizard(database, source)
    qtbot.addWidget(wizard)
    stray = [label.text() for label in wizard.findChildren(QLabel) if "&" in label.text() and label.buddy() is None
             and label.textFormat() != Qt.TextFormat.RichText]
    assert stray == []  # a '&' with no buddy is drawn as itself ("&File")
