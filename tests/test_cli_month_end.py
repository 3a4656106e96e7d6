"""Month end from the command line: revenue reports, unmatched lines, batches, exchange rates
and deal expenses, each written all or nothing."""

import json
import shlex
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from rightsdesk.cli import main
from rightsdesk.domain.enums import BatchStatus, ExpenseCategory
from rightsdesk.persistence.models import ColumnMapping, ExchangeRate, Expense, ImportBatch, RevenueLine, RevenueSource
from rightsdesk.services import royalty_terms

JULY = "Month,Series,Country,Revenue,Currency\n2026-07,T000001,US,100.50,USD\n2026-07,Unknown Show,TH,2000,THB\n"
MAP = ("--map", "period=Month", "--map", "title_id=Series", "--map", "territory=Country",
       "--map", "gross_amount=Revenue", "--map", "currency=Currency")


# The command line is a thin layer over services tested on both databases: it runs on SQLite
# (the suite keeps within its 10 minutes on 2 cores).
pytestmark = pytest.mark.sqlite_only


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def count(database, model, *where):
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def report_file(tmp_path, text=JULY, name="july.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- revenue import ------------------------------------------------------------------------------


def test_without_a_mapping_the_import_proposes_one_and_its_command_imports_the_file(capsys, database, worked, tmp_path):
    path = report_file(tmp_path)
    code, out, _ = run(capsys, "revenue", "import", path, "--source", "Vidio", "--db", database.location)
    assert code == 0 and out.startswith("Nothing was imported.")
    assert "  period=Month" in out and "  gross_amount=Revenue" in out and "  currency=Currency" in out
    assert count(database, ImportBatch) == 0 and count(database, RevenueSource, RevenueSource.name == "Vidio") == 0
    command = next(line.strip() for line in out.splitlines() if line.strip().startswith("rightsdesk revenue import"))
    code, out, err = run(capsys, *shlex.split(command)[1:])
    assert code == 0, err
    assert "2 lines, 2 matched, 0 unmatched" not in out and "2 lines, 1 matched, 1 unmatched" in out
    assert count(database, RevenueLine) == 2


def test_a_proposal_proposes_the_encoding_and_the_revenue_types_and_its_command_declares_them(capsys, database, worked,
                                                                                            tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes("Month,Series,Country,Type,Revenue,Currency\n2026-07,T000001,US,Coins,100.50,USD\n"
                     "2026-07,红色的爱,TH,refund,-20,THB\n".encode("gb18030"))
    code, out, _ = run(capsys, "revenue", "import", path, "--source", "Vidio", "--json", "--db", database.location)
    proposal = json.loads(out)
    assert code == 0 and proposal["encoding"] == "gb18030"
    assert proposal["revenue_types"] == {"coins": "unlocks", "refund": None}
    assert proposal["still_needed"][-1].startswith("--type 'refund=TYPE'")
    command = shlex.split(proposal["command"])[1:]
    assert command[command.index("--encoding") + 1] == "gb18030" and "coins=unlocks" in command
    code, _, err = run(capsys, *command)  # 'refund' is mapped to no type: refused, with its row
    assert code == 1 and "row 3, column 'Type': 'refund' is not a revenue type the source's mapping names" in err
    code, out, err = run(capsys, *command, "--type", "refund=other", "--save-mapping", "gb")
    assert code == 0, err
    with database.read() as session:
        saved = session.scalar(select(ColumnMapping.options).where(ColumnMapping.name == "gb"))
    assert (saved["encoding"], saved["revenue_types"]) == ("gb18030", {"coins": "unlocks", "refund": "other"})


def test_dates_read_by_the_declared_order_and_a_file_not_in_its_encoding_is_refused_naming_the_line(capsys, database,
                                                                                                   worked, tmp_path):
    path = report_file(tmp_path, "Month,Series,Country,Revenue,Currency\n12.07.2026,T000001,UK,10,USD\n")
    code, _, err = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--db", database.location)
    assert code == 1 and ("row 2, column 'Month': '12.07.2026' reads day-first or month-first: the source's mapping must "
                          "declare its date order (Dates: day first or month first; --dates dmy or mdy)") in err
    code, out, err = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--dates", "dmy", "--json",
                         "--db", database.location)
    assert code == 0, err
    with database.read() as session:
        assert session.execute(select(RevenueLine.period_start, RevenueLine.territory_code)).one() == (date(2026, 7, 1), "GB")
    path.write_bytes("Month,Series,Country,Revenue,Currency\n2026-08,Canção,BR,10,USD\n".encode("cp1252"))
    code, _, err = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--db", database.location)
    assert code == 1 and "july.csv cannot be read: line 2: byte 0xE7 is not UTF-8" in err and "Traceback" not in err
    code, _, err = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--encoding", "windows-1252",
                       "--db", database.location)
    assert code == 0, err


def test_a_proposal_says_what_it_could_not_find(capsys, database, worked, tmp_path):
    path = report_file(tmp_path, "Month,Series,Takings\n2026-07,T000001,10\n")
    code, out, _ = run(capsys, "revenue", "import", path, "--source", "ShortMax", "--json", "--db", database.location)
    proposal = json.loads(out)
    assert code == 0 and proposal["imported"] is False
    assert proposal["mapping"] == {"period": "Month", "title_name": "Series"} and proposal["unused_headers"] == ["Takings"]
    assert [need.split(":")[0] for need in proposal["still_needed"]] == ["gross_amount", "currency"]


def test_import_with_map_prints_json_with_money_as_decimal_strings_and_saves_the_mapping(capsys, database, worked, tmp_path):
    path = report_file(tmp_path)
    code, out, err = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--save-mapping", "monthly",
                         "--json", "--db", database.location)
    assert code == 0, err
    outcome = json.loads(out)
    assert outcome["lines"] == 2 and outcome["matched"] == 1 and outcome["unmatched"] == 1
    assert outcome["totals"] == {"THB": "2000.00", "USD": "100.50"} and outcome["saved_mapping"] == "monthly"
    with database.read() as session:
        assert sorted(session.scalars(select(RevenueLine.gross_amount))) == [Decimal("100.50"), Decimal(2000)]
        saved = session.scalar(select(ColumnMapping).where(ColumnMapping.name == "monthly"))
        assert saved.columns["gross_amount"] == "Revenue" and saved.columns["title_id"] == "Series"
    august = report_file(tmp_path, JULY.replace("2026-07", "2026-08").replace("100.50", "7"), "august.csv")
    code, out, err = run(capsys, "revenue", "import", august, "--source", "Vidio", "--mapping", "monthly",
                         "--db", database.location)
    assert code == 0, err
    assert "2 lines, 1 matched, 1 unmatched" in out and "Gross: 2000.00 THB, 7.00 USD" in out
    assert count(database, RevenueLine) == 4


def test_the_same_file_again_is_refused_unless_it_replaces_its_batch(capsys, database, worked, tmp_path):
    path = report_file(tmp_path)
    assert run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--db", database.location)[0] == 0
    code, out, err = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--db", database.location)
    assert code == 1 and out == "" and "already imported" in err and "--replace" in err
    assert err.count("\n") == 1 and err.startswith("rightsdesk: error: ")
    code, out, _ = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--replace", "--json",
                       "--db", database.location)
    first = json.loads(out)["replaced_batch"]
    assert code == 0 and first is not None
    with database.read() as session:
        assert session.get(ImportBatch, first).status is BatchStatus.ROLLED_BACK
    assert count(database, RevenueLine) == 2


def test_a_refused_report_lists_every_problem_and_writes_nothing_not_even_its_source(capsys, database, worked, tmp_path):
    rows = "2026-07,T000001,US,lots,USD\n" * 34 + "2026-07,T000001,ZZ,1,XXX\n"
    path = report_file(tmp_path, "Month,Series,Country,Revenue,Currency\n" + rows)
    code, out, err = run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--db", database.location)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "rightsdesk: error: nothing was imported: 36 problems in the file:"
    assert len(lines) == 37 and lines[1] == "  row 2, column 'Revenue': 'lots' is not a number"
    assert "  row 36, column 'Currency': 'XXX' is not an ISO 4217 currency" in lines
    assert count(database, ImportBatch) == 0 and count(database, RevenueSource, RevenueSource.name == "Vidio") == 0


def test_a_bad_map_option_or_unknown_saved_mapping_is_one_error_line(capsys, database, worked, tmp_path):
    path = report_file(tmp_path)
    code, _, err = run(capsys, "revenue", "import", path, "--source", "ShortMax", "--map", "gross=Revenue",
                       "--db", database.location)
    assert code == 1 and "'gross' is not a field of a revenue line" in err and err.count("\n") == 1
    code, _, err = run(capsys, "revenue", "import", path, "--source", "ShortMax", "--mapping", "weekly",
                       "--db", database.location)
    assert code == 1 and "no mapping 'weekly'" in err and count(database, ImportBatch) == 0


# -- unmatched, assign, batches, rollback --------------------------------------------------------


def test_unmatched_lines_are_listed_with_likely_titles_and_assigning_one_matches_it(capsys, database, worked, tmp_path):
    path = report_file(tmp_path, "Month,Series,Country,Revenue,Currency\n2026-07,Heiresss,US,12.5,USD\n"
                                 "2026-08,Heiresss,US,2.25,USD\n2026-07,T000001,US,1,USD\n")
    assert run(capsys, "revenue", "import", path, "--source", "ShortMax", *MAP, "--db", database.location)[0] == 0
    code, out, _ = run(capsys, "revenue", "unmatched", "--json", "--db", database.location)
    assert code == 0
    [group] = json.loads(out)
    assert group["source"] == "ShortMax" and group["identifier"] == "Heiresss" and group["lines"] == 2
    assert group["gross"] == {"USD": "14.75"} and group["suggestions"][0] == {"title": "T000002", "name": "Heiress"}
    code, out, err = run(capsys, "revenue", "assign", "Heiresss", "T000002", "--source", "ShortMax",
                         "--db", database.location)
    assert code == 0, err
    assert out.startswith("Assigned 2 lines")
    assert count(database, RevenueLine, RevenueLine.title_id == worked["titles"][1]) == 2
    assert run(capsys, "revenue", "unmatched", "--db", database.location)[1].startswith("Every imported line matches")


def test_assign_refuses_an_unknown_source_or_title(capsys, database, worked):
    code, _, err = run(capsys, "revenue", "assign", "X", "T000001", "--source", "Nobody", "--db", database.location)
    assert code == 1 and "no revenue source 'Nobody'" in err
    code, _, err = run(capsys, "revenue", "assign", "X", "T999999", "--source", "ShortMax", "--db", database.location)
    assert code == 1 and "there is no title 'T999999'" in err


def test_batches_are_listed_and_a_rolled_back_batch_loses_its_lines(capsys, database, worked, tmp_path):
    path = report_file(tmp_path)
    assert run(capsys, "revenue", "import", path, "--source", "Vidio", *MAP, "--db", database.location)[0] == 0
    code, out, _ = run(capsys, "revenue", "batches", "--json", "--db", database.location)
    [batch] = json.loads(out)
    assert code == 0 and batch["source"] == "Vidio" and batch["file"] == "july.csv"
    assert batch["status"] == "imported" and batch["rows"] == 2 and batch["imported_by"] == "tester"
    code, out, _ = run(capsys, "revenue", "rollback", batch["batch"], "--db", database.location)
    assert code == 0 and out.startswith(f"Rolled back batch {batch['batch']} (Vidio: july.csv, 2 lines)")
    assert count(database, RevenueLine) == 0
    assert "rolled_back" in run(capsys, "revenue", "batches", "--db", database.location)[1]
    code, _, err = run(capsys, "revenue", "rollback", batch["batch"], "--db", database.location)
    assert code == 1 and "already rolled back" in err
    assert run(capsys, "revenue", "rollback", "999", "--db", database.location)[0] == 1


# -- exchange rates -------------------------------------------------------------------------------


def test_fx_rates_are_imported_and_listed(capsys, database, worked, tmp_path):
    path = report_file(tmp_path, "date,base,quote,rate\n2026-10-31,THB,USD,0.0275\n2026-10-31,USD,BRL,5.42\n", "rates.csv")
    code, out, _ = run(capsys, "fx", "import", path, "--db", database.location)
    assert code == 0 and "Imported 2 exchange rates" in out
    code, out, _ = run(capsys, "fx", "list", "--base", "thb", "--json", "--db", database.location)
    assert code == 0
    assert json.loads(out) == [
        {"date": "2026-09-30", "base": "THB", "quote": "USD", "rate": "0.025", "source": "entered"},
        {"date": "2026-10-31", "base": "THB", "quote": "USD", "rate": "0.0275", "source": "rates.csv"},
    ]
    code, out, _ = run(capsys, "fx", "list", "--quote", "BRL", "--db", database.location)
    assert out.splitlines() == ["2026-10-31  1 USD = 5.42 BRL  (rates.csv)"]


def test_a_rates_file_with_a_bad_row_stores_no_rate(capsys, database, worked, tmp_path):
    path = report_file(tmp_path, "date,base,quote,rate\n2026-10-31,THB,USD,0.0275\n2026-10-31,USD,XXX,5\n", "rates.csv")
    code, _, err = run(capsys, "fx", "import", path, "--db", database.location)
    assert code == 1 and "column 'quote': 'XXX' is not an ISO 4217 currency" in err
    assert count(database, ExchangeRate) == 1


# -- expenses -------------------------------------------------------------------------------------

EXPENSES = ("Deal,Date,Category,Amount,Currency,Recoupable,Description\n"
            "IN-1,2026-07-01,localization,1250.50,USD,,Thai subtitles\n"
            "IN-1,2026-07-15,Marketing,300,EUR,no,Festival stand\n")


def imported_expenses(database, deal):
    """The deal's expenses but the one the worked example starts with, by date."""
    with database.read() as session:
        return [e for e in royalty_terms.expenses(session, deal) if e.description != "Launch campaign"]


def test_expenses_are_imported_to_their_deal(capsys, database, worked, tmp_path):
    path = report_file(tmp_path, EXPENSES, "expenses.csv")
    code, out, err = run(capsys, "expenses", "import", path, "--db", database.location)
    assert code == 0, err
    assert "Imported 2 expenses" in out
    added = imported_expenses(database, worked["deal"])
    assert [(e.incurred_on, e.category, e.amount, e.currency, e.recoupable, e.description) for e in added] == [
        (date(2026, 7, 1), ExpenseCategory.LOCALIZATION, Decimal("1250.50"), "USD", True, "Thai subtitles"),
        (date(2026, 7, 15), ExpenseCategory.MARKETING, Decimal(300), "EUR", False, "Festival stand"),
    ]
    code, _, err = run(capsys, "expenses", "import", path, "--db", database.location)
    assert code == 1 and "row 2: the deal already has this expense" in err and "row 3:" in err
    assert count(database, Expense) == 3


def test_an_expenses_file_with_ambiguous_values_lists_every_problem_and_saves_none(capsys, database, worked, tmp_path):
    path = report_file(tmp_path, "deal reference,incurred_on,type,cost,ccy,recoup\n"
                                 "IN-1,03/04/2026,marketing,\"1,234.56\",USD,yes\n"
                                 "IN-1,2026-04-03,food,1.234,USD,maybe\n"
                                 "NOPE,2026-02-30,music,-5,XXX,x\n"
                                 "IN-1,2026-04-03,music,10,USD,1\n", "bad.csv")
    code, out, err = run(capsys, "expenses", "import", path, "--db", database.location)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == "rightsdesk: error: nothing was imported: 8 problems in the file:"
    assert lines[1:] == [
        "  row 2, column 'incurred_on': '03/04/2026' is not a date written YYYY-MM-DD (or a spreadsheet date)",
        "  row 3, column 'type': 'food' is not one of marketing, localization, music, delivery, other",
        "  row 3, column 'cost': '1.234' has 3 decimals after '.' and USD has 2: write it without thousands separators (1234) or with USD's decimals",
        "  row 3, column 'recoup': 'maybe' is not yes or no (yes, no, true, false, 1, 0 or x)",
        "  row 4, column 'deal reference': 'NOPE' is not the reference of a deal",
        "  row 4, column 'incurred_on': '2026-02-30' is not a day of the calendar",
        "  row 4, column 'ccy': 'XXX' is not an ISO 4217 currency",
        "  row 4, column 'cost': '-5' an expense is more than zero",
    ]
    assert count(database, Expense) == 1


def test_expenses_from_a_workbook_take_real_dates_and_numbers(capsys, database, worked, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Reference", "Date", "Category", "Amount", "Currency", "Recoupable", "Notes"])
    sheet.append(["IN-1", datetime(2026, 9, 1), "delivery", 99.9, "USD", True, "Masters"])
    sheet.append(["IN-1", "2026-09-02", "music", 40, "USD", 0, None])
    path = tmp_path / "expenses.xlsx"
    book.save(path)
    code, out, err = run(capsys, "expenses", "import", path, "--db", database.location)
    assert code == 0, err
    added = imported_expenses(database, worked["deal"])
    assert [(e.incurred_on, e.amount, e.recoupable, e.description) for e in added] == [
        (date(2026, 9, 1), Decimal("99.9"), True, "Masters"), (date(2026, 9, 2), Decimal(40), False, "")]


def test_an_expenses_file_without_the_needed_columns_says_which(capsys, database, worked, tmp_path):
    path = report_file(tmp_path, "Deal,When,Amount\nIN-1,2026-01-01,5\n", "short.csv")
    code, _, err = run(capsys, "expenses", "import", path, "--db", database.location)
    assert code == 1
    assert [line.split(":")[0] for line in err.splitlines()[1:]] == [
        "  row 1, column 'date'", "  row 1, column 'category'", "  row 1, column 'currency'"]
    assert count(database, Expense) == 1


def test_the_same_expense_twice_in_one_file_is_refused(capsys, database, worked, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("deal,date,category,amount,currency\nIN-1,2026-07-01,delivery,10,USD\nIN-1,2026-07-01,delivery,10,USD\n",
                    encoding="utf-8")
    code, _, err = run(capsys, "expenses", "import", path, "--db", database.location)
    assert code == 1 and "row 3: the same expense as row 2" in err
    assert count(database, Expense, Expense.category == ExpenseCategory.DELIVERY) == 0
