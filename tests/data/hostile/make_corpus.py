"""Writes the hostile-file corpus of issue 16 (tests/data/hostile/) and its manifest, expected.json.

    .venv/bin/python tests/data/hostile/make_corpus.py

Every file is made here, byte for byte the same on every run (CSV in its own encoding;
workbooks with fixed timestamps), so the corpus can be reviewed and changed in one place: a
case names its file, the reader that takes it, the reader's options and the outcome the user
must see: either the exact problems (row, column, value and reason, as the reader words them)
or exactly what is imported (the rows, and how many rows each table gains). tests/
test_hostile_files.py runs every case against the world it describes (`WORLD` below).

Revenue cases (kind "revenue") carry their source's mapping and declared options (decimal,
dates, encoding, revenue type words), `should` (what the user must see, in words) and its exact
outcome (OUTCOMES), through the real import (rightsdesk.services.revenue.import_file) and the
command line (`rightsdesk revenue import` with --map, --decimal, --dates, --encoding, --type).

Edit this script, not expected.json (which it rewrites).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

HERE = Path(__file__).resolve().parent
EMA_REFERENCE = HERE.parent / "ema_TV_v1.9.xlsx"

# The database every case starts from (built by tests/test_hostile_files.py:world).
WORLD = {
    "parties": ["Golden Reel (producer)", "ShortMax (platform)"],
    "titles": {"T000001": "Bride, 115 episodes of 90 s", "T000002": "Heiress, 3 episodes of 90 s",
               "T000003": "Los Detectives, EIDR 10.5240/7791-8534-2C23-9030-8610-5, 115 episodes of 90 s"},
    "deals": ["IN-1: IN from Golden Reel, USD, signed 2026-01-10, T000001 and T000002 WORLD APP/AVOD from 2026-01-01"],
    "revenue sources": ["ShortMax"],
}

CASES: list[dict[str, Any]] = []


def case(file: str, reader: str, content: bytes, outcome: dict[str, Any], *, options: dict[str, Any] | None = None,
         hostile: str) -> None:
    """One file of the corpus: `hostile` says what is hostile about it."""
    CASES.append({"file": file, "reader": reader, "options": options or {}, "hostile": hostile,
                  "outcome": outcome, "_content": content})


def refused(kind: str, *problems: str) -> dict[str, Any]:
    """The reader raises `kind` (ImportRefused, ValidationError or UserError) listing exactly these
    problems (for a UserError, its message); nothing is written."""
    return {"refused": kind, "problems": list(problems)}


def imported(written: dict[str, int], **rows: Any) -> dict[str, Any]:
    """The reader imports: `rows` are what it returns and what is in the database after (see
    tests/test_hostile_files.py:summary); `written` how many rows each table gains."""
    return {"imported": rows, "written": written}


def csv(text: str, encoding: str = "utf-8", *, bom: bytes = b"") -> bytes:
    return bom + text.encode(encoding)


def xlsx(book: Workbook) -> bytes:
    """A workbook's bytes with fixed timestamps, so each run writes the same file."""
    fixed = datetime(2026, 1, 1)
    book.properties.created = book.properties.modified = fixed
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' with now
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2026-01-01T00:00:00Z<", data)
            stamped = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            stamped.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stamped, data)
    return out.getvalue()


def sheet(rows: list[list[Any]], title: str = "Sheet") -> bytes:
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    return xlsx(book)


NOT_A_WORKBOOK = "this is not an Excel workbook that can be read (File is not a zip file)"


# ================================================================== FX rates
# rightsdesk.services.fx.import_rates(session, content, decimal=, dates=, encoding=); CLI `rightsdesk fx import FILE`.

FX_HEAD = "date,base,quote,rate\n"

case("fx_ok_iso.csv", "fx", csv(FX_HEAD + "2026-09-30,THB,USD,0.0275\n2026-09-30,EUR,USD,1.0812\n2026-10-31,IDR,USD,0.0000614\n"),
     imported({"exchange_rate": 3}, count=3, rates=[["2026-09-30", "EUR", "USD", "1.0812"], ["2026-09-30", "THB", "USD", "0.0275"],
                                                    ["2026-10-31", "IDR", "USD", "0.0000614"]]),
     hostile="none: the control case (ISO dates, '.' decimals)")
case("fx_dmy_undeclared.csv", "fx", csv(FX_HEAD + "2026-07-01,EUR,USD,1.08\n01.07.2026,THB,USD,0.0275\n"),
     refused("UserError", "no rate was imported: 1 problem\n• row 3, column 'date': '01.07.2026' reads day-first or "
             "month-first: the source must declare which (ISO 2026-07-01 needs no declaration)"),
     hostile="a day-first date in a file that declares no date order")
case("fx_dmy_declared.csv", "fx", csv(FX_HEAD + "12.07.2026,EUR,USD,1.08\n13.07.2026,EUR,USD,1.09\n"), options={"dates": "dmy"},
     outcome=imported({"exchange_rate": 2}, count=2, rates=[["2026-07-12", "EUR", "USD", "1.08"], ["2026-07-13", "EUR", "USD", "1.09"]]),
     hostile="12.07.2026 and 13.07.2026 read day-first, as declared (--dates dmy)")
case("fx_mdy_declared_13.csv", "fx", csv(FX_HEAD + "12.07.2026,EUR,USD,1.08\n13.07.2026,EUR,USD,1.09\n"), options={"dates": "mdy"},
     outcome=refused("UserError", "no rate was imported: 1 problem\n• row 3, column 'date': '13.07.2026' is not a day of the calendar"),
     hostile="13.07.2026 under a declared month-first order: no 13th month, nothing imported (not even 12.07.2026)")
case("fx_no_year.csv", "fx", csv(FX_HEAD + "Sep-25,EUR,USD,1.08\n30 Sep,EUR,USD,1.08\n"),
     refused("UserError", "no rate was imported: 2 problems\n"
             "• row 2, column 'date': 'Sep-25' has no year (write it with four digits)\n"
             "• row 3, column 'date': '30 Sep' has no year (write it with four digits)"),
     hostile="dates without a year (never completed from today)")
case("fx_incomplete_dates.csv", "fx", csv(FX_HEAD + "2030,EUR,USD,1.08\n2030-06,EUR,USD,1.08\n"),
     refused("UserError", "no rate was imported: 2 problems\n• row 2, column 'date': '2030' is not a date\n"
             "• row 3, column 'date': '2030-06' is not a date"),
     hostile="incomplete dates (a year, a month): a rate is for a day")
case("fx_comma_undeclared.csv", "fx", csv("date;base;quote;rate\n2026-09-30;THB;USD;0,0275\n2026-09-30;EUR;USD;1,0812\n"
                                         "2026-09-30;JPY;USD;0,067\n"),
     refused("UserError", "no rate was imported: 3 problems\n"
             "• row 2, column 'rate': '0,0275' is not a number written with '.' as the decimal separator and ',' between "
             "groups of three digits\n"
             "• row 3, column 'rate': '1,0812' is not a number written with '.' as the decimal separator and ',' between "
             "groups of three digits\n"
             "• row 4, column 'rate': '0,067' is not a number written with '.' as the decimal separator and ',' between "
             "groups of three digits"),
     hostile="decimal commas in a file read with the default '.' (never 275, 10 812 nor 67)")
case("fx_comma_declared.csv", "fx", csv("date;base;quote;rate\n2026-09-30;THB;USD;0,0275\n2026-09-30;USD;IDR;16.250,5\n"),
     options={"decimal": ","},
     outcome=imported({"exchange_rate": 2}, count=2, rates=[["2026-09-30", "THB", "USD", "0.0275"], ["2026-09-30", "USD", "IDR", "16250.5"]]),
     hostile="decimal commas and '.' thousands, as declared (--decimal ,)")
case("fx_decimal_comma_three_digits.csv", "fx", csv("date;base;quote;rate\n2026-09-30;USD;IDR;16,250\n"),
     options={"decimal": ","},
     outcome=imported({"exchange_rate": 1}, count=1, rates=[["2026-09-30", "USD", "IDR", "16.25"]]),
     hostile="a comma before exactly three digits read by the declared decimal comma (16.25), not guessed as 16 250")
case("fx_currency_symbol.csv", "fx", csv(FX_HEAD + "2026-09-30,EUR,USD,US$ 1.08\n2026-09-30,USD,BRL,R$ 5.40\n2026-09-30,USD,THB,₫ 36.5\n"),
     refused("UserError", "no rate was imported: 1 problem\n"
             "• row 4, column 'rate': '₫ 36.5' has '₫', which is VND, but the line's currency is THB"),
     hostile="currency symbols on rates: the quote currency's (US$, R$) read, another's (₫ on THB) refused")
case("fx_utf16.csv", "fx", csv(FX_HEAD + "2026-09-30,EUR,USD,1.0812\n", "utf-16"),
     imported({"exchange_rate": 1}, count=1, rates=[["2026-09-30", "EUR", "USD", "1.0812"]]),
     hostile="UTF-16 with its BOM, undeclared (a BOM declares itself)")
FX_NOTE = "date,base,quote,rate,note\n2026-09-30,USD,BRL,5.40,Banco Central — cotação\n"
case("fx_windows1252_undeclared.csv", "fx", csv(FX_NOTE, "windows-1252"),
     refused("UserError", "no rate was imported: the file line 2: byte 0x97 is not UTF-8; it looks like windows-1252: "
             "declare the file's encoding to import it"),
     hostile="Windows-1252 text with no encoding declared: refused, the likely encoding proposed, never used unasked")
case("fx_windows1252_declared.csv", "fx", csv(FX_NOTE, "windows-1252"), options={"encoding": "windows-1252"},
     outcome=imported({"exchange_rate": 1}, count=1, rates=[["2026-09-30", "USD", "BRL", "5.4"]]),
     hostile="Windows-1252 declared (--encoding windows-1252)")
case("fx_byte_0x81.csv", "fx", csv(FX_HEAD + "2026-09-30,EUR,USD,1.08\n") + b"2026-09-30,THB,USD,0.0275 \x81\n",
     options={"encoding": "windows-1252"},
     outcome=refused("UserError", "no rate was imported: the file line 3: byte 0x81 does not decode as windows-1252"),
     hostile="a byte (0x81) that Windows-1252 does not define, in a file declared Windows-1252")
case("fx_unquoted_delimiter.csv", "fx", csv(FX_HEAD + "2026-09-30,EUR,USD,1.08,,\n2026-09-30,USD,IDR,16,250\n"),
     refused("UserError", "no rate was imported: row 3 has 5 values where the header has 4 columns: a value holding the "
             "delimiter must be in double quotes"),
     hostile="a rate written 16,250 in a comma-separated file: 16 with a stray 250 (never read as 16 or 16 250)")
case("fx_header_only.csv", "fx", csv(FX_HEAD),
     refused("UserError", "the file holds a header and no rates"), hostile="a header and no rates")
case("fx_blank_rows_then_bad.csv", "fx", csv(FX_HEAD + "2026-09-30,EUR,USD,1.08\n\n,,,\n\n2026-09-31,EUR,USD,1.08\n"),
     refused("UserError", "no rate was imported: 1 problem\n• row 6, column 'date': '2026-09-31' is not a day of the calendar"),
     hostile="blank lines before a bad row: the error names the file's own line 6")
case("fx_replaced_currencies.csv", "fx", csv(FX_HEAD + "2022-12-30,HRK,EUR,0.1327\n2024-01-15,HRK,EUR,0.1327\n2026-03-31,ANG,USD,0.5587\n"),
     refused("UserError", "no rate was imported: 2 problems\n"
             "• row 3, column 'base': 'HRK' was replaced by EUR on 2023-01-14: use EUR for 2024-01-15\n"
             "• row 4, column 'base': 'ANG' was replaced by XCG on 2025-06-30: use XCG for 2026-03-31"),
     hostile="currencies replaced before the rate's day (HRK after its last day, 2023-01-14, ANG after 2025-06-30, as CLDR "
             "dates them); HRK in 2022 is fine")
case("fx_unknown_and_same_currency.csv", "fx", csv(FX_HEAD + "2026-09-30,EUR,XYZ,1.08\n2026-09-30,EUR,EUR,1\n2026-09-30,THB,USD,0\n"),
     refused("UserError", "no rate was imported: 3 problems\n• row 2, column 'quote': 'XYZ' is not an ISO 4217 currency\n"
             "• row 3, column 'rate': 'EUR/EUR 1' the rate must be more than zero between two currencies\n"
             "• row 4, column 'rate': 'THB/USD 0' the rate must be more than zero between two currencies"),
     hostile="a currency that does not exist, a rate of a currency to itself, a rate of zero")
case("fx_timestamps_and_tiny_rate.csv", "fx",
     csv(FX_HEAD + "2026-09-30T10:00:00Z,EUR,USD,1.08\n2026-09-30T25:99,THB,USD,0.0275\n2026-09-30,USD,VND,0.00000000001\n"),
     refused("UserError", "no rate was imported: 2 problems\n• row 3, column 'date': '2026-09-30T25:99' is not a date\n"
             "• row 4, column 'rate': '0.00000000001' is smaller than the 10 decimals a rate keeps: give the rate of the opposite pair"),
     hostile="a timestamp with no such time (25:99), and a rate that would be stored as 0 (a real timestamp's day reads)")
case("fx_nan_inf_too_large.csv", "fx", csv(FX_HEAD + "2026-09-30,EUR,USD,NaN\n2026-09-30,THB,USD,inf\n2026-09-30,USD,IDR,9200000000000\n"),
     refused("UserError", "no rate was imported: 3 problems\n• row 2, column 'rate': 'NaN' is not a number\n"
             "• row 3, column 'rate': 'inf' is not a number\n"
             "• row 4, column 'rate': '9200000000000' is too large: amounts stop below 9,000,000,000,000"),
     hostile="NaN, infinity and a number too large to store")


# ================================================================== deals template
# rightsdesk.services.deal_template.import_deals(session, content, user=); the template is
# rightsdesk.reports.deal_template.template() (docs/deals-template.md).

def deals_workbook(deal_rows: list[list[Any]], grant_rows: list[list[Any]], payment_rows: list[list[Any]] = (), *,
                   blank_deal_rows: int = 0) -> bytes:
    from rightsdesk.reports.deal_template import template

    book = load_workbook(io.BytesIO(template()))
    for name, rows in (("Deals", deal_rows), ("Grants", grant_rows), ("MG payments", payment_rows)):
        target = book[name]
        target.delete_rows(2, target.max_row)
        if name == "Deals" and blank_deal_rows:
            for _ in range(blank_deal_rows):
                target.append([None])
            for row in rows:
                target.append(row)
            # openpyxl does not write empty rows: a space keeps the first one, so the numbers
            # the user sees run past blank rows before the bad one
            target.cell(2, 7).value = " "
        else:
            for row in rows:
                target.append(row)
    return xlsx(book)


def deal(reference: str = "IN-2026-0001", **changes: Any) -> list[Any]:
    values = {"Reference": reference, "Direction": "IN", "Counterparty": "Golden Reel", "Status": "signed",
              "Signed on": date(2026, 1, 5), "Currency": "USD", "Notes": "", "Participant": "Golden Reel", "Fee %": 25,
              "Expense cap": 5000, "MG": 20000, "MG paid on": date(2026, 1, 5), "Share tiers": "0:60", "Cross-collateralized": "yes",
              "Withholding %": 10, "Statements": "quarterly",
              "Expense cap per title": None, "Reserve %": None, "Reserve periods": None, "FX rate date": None}
    changes = {k.replace("_", " "): v for k, v in changes.items()}
    assert set(changes) <= set(values), set(changes) - set(values)
    values.update(changes)
    return list(values.values())


def grant(reference: str = "IN-2026-0001", titles: str = "T000001[1-40]", **changes: Any) -> list[Any]:
    values = {"Deal reference": reference, "Titles": titles, "Libraries": "", "Territories": "SEA", "Media": "APP, AVOD",
              "Languages": "", "Start": date(2026, 7, 1), "End": date(2028, 6, 30), "Exclusive": "yes", "Sublicensing": "no",
              "Notes": ""}
    assert set(changes) <= set(values), set(changes) - set(values)
    values.update(changes)
    return list(values.values())


DEALS_WRITTEN = {"audit_entry": 2, "deal": 1, "grant": 1, "grant_media": 2, "grant_territory": 1, "grant_title": 1,
                 "mg_payment": 1, "royalty_terms": 1, "share_tier": 1}
case("deals_ok.xlsx", "deals", deals_workbook([deal()], [grant()]),
     imported(DEALS_WRITTEN, deals=["IN-2026-0001"], grants=1,
              terms=[["IN-2026-0001", "USD", "20000", "2026-01-05"]]),
     hostile="none: the control case (spreadsheet numbers and dates)")
case("deals_mg_text_20.000.xlsx", "deals", deals_workbook([deal(MG="20.000")], [grant()]),
     refused("ValidationError", "Deals!MG, row 2: '20.000' reads as 20 or as 20000: the source must declare its decimal "
             "separator ('.' or ',')"),
     hostile="an MG typed as text '20.000' (20 or 20 000?)")
case("deals_mg_currency_symbols.xlsx", "deals",
     deals_workbook([deal(MG="R$ 1.234,56"), deal("IN-2026-0002", Currency="BRL", MG="R$ 1.234,56"),
                     deal("IN-2026-0003", Currency="IDR", MG="Rp 2.500")],
                    [grant(), grant("IN-2026-0002", "T000002"), grant("IN-2026-0003", "T000003")]),
     refused("ValidationError",
             "Deals!MG, row 2: 'R$ 1.234,56' has 'R$', which is BRL, but the line's currency is USD",
             "Deals!MG, row 4: 'Rp 2.500' reads as 2.5 or as 2500: the source must declare its decimal separator ('.' or ',')"),
     hostile="currency symbols in the MG: R$ on a USD deal, Rp 2.500 (2.5 or 2 500 rupiah?); R$ 1.234,56 on a BRL deal reads")
case("deals_mg_payments_sheet.xlsx", "deals",
     deals_workbook([deal(MG=None, MG_paid_on=None), deal("IN-2026-0002", Currency="THB", MG=None, MG_paid_on=None)],
                    [grant(), grant("IN-2026-0002", "T000002")],
                    [["IN-2026-0001", "US$ 10,000.00", date(2026, 2, 1), None], ["IN-2026-0001", "฿ 5000", date(2026, 3, 1), None],
                     ["IN-2026-0002", "฿ 5000", date(2026, 3, 1), "T000002"], ["IN-2026-0002", "2.500", date(2026, 4, 1), None],
                     ["IN-2026-0002", 7500, "2026-04", None]]),
     refused("ValidationError",
             "MG payments!Amount, row 3: '฿ 5000' has '฿', which is THB, but the line's currency is USD",
             "MG payments!Amount, row 5: '2.500' reads as 2.5 or as 2500: the source must declare its decimal separator "
             "('.' or ',')",
             "MG payments!Paid on, row 6: '2026-04' is not a date; the template takes a date: an Excel date or ISO 2026-07-01"),
     hostile="MG payments: a baht symbol on a USD deal's payment, '2.500' as text, a month for the day paid")
case("deals_references_elsewhere.xlsx", "deals",
     deals_workbook([deal(), deal("IN-2026-0002", Direction="SIDEWAYS")],
                    [grant(), grant("IN-2026-0002", "T000002"), grant("IN-2026-9999", "T000002")],
                    [["IN-2026-9999", 500, date(2026, 2, 1), None]]),
     refused("ValidationError", "Grants!Deal reference, row 4: 'IN-2026-9999' is not a reference on the Deals sheet",
             "MG payments!Deal reference, row 2: 'IN-2026-9999' is not a reference on the Deals sheet",
             "Deals!Direction, row 3: 'SIDEWAYS' is neither IN nor OUT"),
     hostile="a grant and a payment for a deal the sheet does not have (named by their rows), a grant of a deal whose "
             "row is refused (not called an orphan)")
case("deals_mg_too_large.xlsx", "deals", deals_workbook([deal(MG=9.2e12)], [grant()]),
     refused("ValidationError", "Deals!MG, row 2: '9200000000000' is too large: amounts stop below 9,000,000,000,000"),
     hostile="an MG of 9.2e12 (a spreadsheet number), beyond what is stored")
case("deals_signed_on_dmy.xlsx", "deals",
     deals_workbook([deal(Signed_on="12.07.2026"), deal("IN-2026-0002", Signed_on="13.07.2026")],
                    [grant(), grant("IN-2026-0002", "T000002")]),
     refused("ValidationError",
             "Deals!Signed on, row 2: '12.07.2026' reads day-first or month-first: the source must declare which (ISO "
             "2026-07-01 needs no declaration); the template takes a date: an Excel date or ISO 2026-07-01",
             "Deals!Signed on, row 3: '13.07.2026' reads day-first or month-first: the source must declare which (ISO "
             "2026-07-01 needs no declaration); the template takes a date: an Excel date or ISO 2026-07-01"),
     hostile="dates typed day-first as text (12.07.2026 reads both ways; 13.07.2026 only one, still refused: the template is ISO)")
case("deals_dates_incomplete.xlsx", "deals",
     deals_workbook([deal(Signed_on="Sep-25")], [grant(Start="2030-06", End="2030")]),
     refused("ValidationError",
             "Grants!Start, row 2: '2030-06' is not a date; the template takes a date: an Excel date or ISO 2026-07-01",
             "Grants!End, row 2: '2030' is not a date; the template takes a date: an Excel date or ISO 2026-07-01",
             "Deals!Signed on, row 2: 'Sep-25' has no year (write it with four digits); the template takes a date: an Excel "
             "date or ISO 2026-07-01"),
     hostile="a date without a year (Sep-25) and incomplete dates (2030-06, 2030)")
case("deals_yes_no.xlsx", "deals",
     deals_workbook([deal(**{"Cross-collateralized": "42"})], [grant(Exclusive="maybe", Sublicensing="si")]),
     refused("ValidationError",
             "Grants!Exclusive, row 2: 'maybe' is not yes or no (yes, no, true, false, 1, 0 or x)",
             "Grants!Sublicensing, row 2: 'si' is not yes or no (yes, no, true, false, 1, 0 or x)",
             "Deals!Cross-collateralized, row 2: '42' is not yes or no (yes, no, true, false, 1, 0 or x)"),
     hostile="yes/no cells holding maybe, si and 42")
case("deals_episode_range_beyond.xlsx", "deals", deals_workbook([deal()], [grant(titles="T000001[1-99999]")]),
     refused("ValidationError", "Grants!Titles, row 2: 'T000001[1-99999]' has an episode range beyond the title's episodes (115)"),
     hostile="an episode range [1-99999] on a 115-episode title")
case("deals_formulas_no_result.xlsx", "deals", deals_workbook([deal(MG="=10000*2", Reference="=\"IN-\"&2026")], [grant()]),
     refused("ValidationError",
             "Deals!Reference, row 2: holds a formula (=\"IN-\"&2026) with no saved result: the workbook was written by a "
             "program that does not calculate; open and save it in a spreadsheet program, or type the value",
             "Deals!MG, row 2: holds a formula (=10000*2) with no saved result: the workbook was written by a program that "
             "does not calculate; open and save it in a spreadsheet program, or type the value"),
     hostile="formulas with no saved result (written by openpyxl), in a text column and a number column")
case("deals_blank_rows_then_bad.xlsx", "deals",
     deals_workbook([deal(), deal("IN-2026-0002", Direction="SIDEWAYS")], [grant()], blank_deal_rows=3),
     refused("ValidationError", "Deals!Direction, row 6: 'SIDEWAYS' is neither IN nor OUT"),
     hostile="blank rows before a bad row: the error names the sheet's own row 6")
case("deals_control_characters.xlsx", "deals",
     deals_workbook([deal(Notes="paid by \u202eOLLEH")], [grant(Notes="tail\u200b")]),
     refused("ValidationError",
             "Grants!Notes, row 2: 'tail\\u200b' holds a control character (U+200B)",
             "Deals!Notes, row 2: 'paid by \\u202eOLLEH' holds a control character (U+202E)"),
     hostile="a right-to-left override (U+202E) and a zero-width space in notes")
case("deals_hidden_characters_in_codes.xlsx", "deals",
     deals_workbook([deal(Direction="I\u202eN"), deal("IN-2026-0002", Counterparty="Golden\u200bReel")],
                    [grant(), grant("IN-2026-0002", "T000002")]),
     refused("ValidationError", "Deals!Direction, row 2: 'I\\u202eN' is neither IN nor OUT",
             "Deals!Counterparty, row 3: 'Golden\\u200bReel' is not a party in RightsDesk"),
     hostile="a right-to-left override in a direction, a zero-width space in a party's name (shown escaped)")
case("deals_header_only.xlsx", "deals", deals_workbook([], []),
     refused("UserError", "the Deals sheet holds no deals below its header"),
     hostile="the template with its headers and no rows")
case("deals_replaced_currency.xlsx", "deals", deals_workbook([deal(Currency="HRK", Signed_on=date(2024, 3, 1))], [grant()]),
     refused("ValidationError", "Deals!Currency, row 2: 'HRK' was replaced by EUR on 2023-01-14: use EUR for 2024-03-01"),
     hostile="a deal in kuna signed in 2024, after the euro replaced it")
case("deals_text_as_workbook.xlsx", "deals", csv("Reference,Direction\nIN-2026-0001,IN\n"),
     refused("UserError", NOT_A_WORKBOOK), hostile="a CSV text file named .xlsx")
case("deals_truncated.xlsx", "deals", deals_workbook([deal()], [grant()])[:4000],
     refused("UserError", NOT_A_WORKBOOK), hostile="a workbook cut off after 4000 bytes")


# ================================================================== expenses
# rightsdesk.services.expense_import.import_expenses(session, file_name, content, user=)

EXP_HEAD = "Deal,Date,Category,Amount,Currency,Recoupable,Description\n"


def expense_rows(*rows: list[Any]) -> list[list[Any]]:
    return [["Deal", "Date", "Category", "Amount", "Currency", "Recoupable", "Description"], *rows]


case("expenses_ok.csv", "expenses", csv(EXP_HEAD + "IN-1,2026-08-15,marketing,1234.56,USD,yes,Launch\n"
                                                  "IN-1,2026-08-16,localization,2500,IDR,no,Dub Bahasa\n"),
     imported({"expense": 2, "audit_entry": 2}, count=2, expenses=[
         ["IN-1", "2026-08-15", "marketing", "1234.56", "USD", "Launch", True],
         ["IN-1", "2026-08-16", "localization", "2500", "IDR", "Dub Bahasa", False]]),
     hostile="none: the control case")
case("expenses_rp_2.500.csv", "expenses", csv(EXP_HEAD + "IN-1,2026-08-15,localization,Rp 2.500,IDR,yes,Dub\n"),
     refused("ImportRefused", "row 2, column 'Amount': 'Rp 2.500' has 3 decimals after '.' and IDR has 2: write it "
             "without thousands separators (2500) or with IDR's decimals"),
     hostile="Rp 2.500: '.' is the file's decimal separator, but three decimals in rupiah mean 2 500 was meant")
case("expenses_brl_comma.csv", "expenses", csv(EXP_HEAD + "IN-1,2026-08-15,localization,\"R$ 1.234,56\",BRL,yes,Dub\n"),
     refused("ImportRefused", "row 2, column 'Amount': 'R$ 1.234,56' is not a number written with '.' as the decimal "
             "separator and ',' between groups of three digits"),
     hostile="R$ 1.234,56: a decimal comma where the expenses file takes '.'")
case("expenses_symbol_contradicts_currency.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,localization,₫ 1000,USD,yes,Dub\nIN-1,2026-08-15,marketing,฿ 500,USD,yes,Ads\n"
                    "IN-1,2026-08-15,marketing,CA$ 12.00,USD,yes,Ads 2\nIN-1,2026-08-15,marketing,US$ 12.00,USD,yes,Ads 3\n"),
     refused("ImportRefused",
             "row 2, column 'Amount': '₫ 1000' has '₫', which is VND, but the line's currency is USD",
             "row 3, column 'Amount': '฿ 500' has '฿', which is THB, but the line's currency is USD",
             "row 4, column 'Amount': 'CA$ 12.00' has 'CA$', which is CAD, but the line's currency is USD"),
     hostile="₫, ฿ and CA$ on a USD line (US$ agrees, and reads)")
case("expenses_dates.csv", "expenses",
     csv(EXP_HEAD + "IN-1,01.07.2026,localization,10,USD,yes,A\nIN-1,Sep-25,localization,10,USD,yes,B\n"
                    "IN-1,2030-06,localization,10,USD,yes,C\nIN-1,2030,localization,10,USD,yes,D\n"),
     refused("ImportRefused",
             "row 2, column 'Date': '01.07.2026' is not a date written YYYY-MM-DD (or a spreadsheet date)",
             "row 3, column 'Date': 'Sep-25' has no year (write it with four digits)",
             "row 4, column 'Date': '2030-06' is not a date",
             "row 5, column 'Date': '2030' is not a date"),
     hostile="a day-first date, no year, a month, a year")
case("expenses_recoupable.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,localization,10,USD,maybe,A\nIN-1,2026-08-15,localization,11,USD,si,B\n"
                    "IN-1,2026-08-15,localization,12,USD,42,C\n"),
     refused("ImportRefused",
             "row 2, column 'Recoupable': 'maybe' is not yes or no (yes, no, true, false, 1, 0 or x)",
             "row 3, column 'Recoupable': 'si' is not yes or no (yes, no, true, false, 1, 0 or x)",
             "row 4, column 'Recoupable': '42' is not yes or no (yes, no, true, false, 1, 0 or x)"),
     hostile="yes/no cells holding maybe, si and 42")
case("expenses_replaced_currencies.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2024-02-01,localization,10,HRK,yes,A\nIN-1,2026-02-01,localization,10,ANG,yes,B\n"),
     refused("ImportRefused",
             "row 2, column 'Currency': 'HRK' was replaced by EUR on 2023-01-14: use EUR for 2024-02-01",
             "row 3, column 'Currency': 'ANG' was replaced by XCG on 2025-06-30: use XCG for 2026-02-01"),
     hostile="kuna in 2024, Antillean guilders in 2026")
case("expenses_blank_rows_then_bad.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,localization,10,USD,yes,A\n\n,,,,,,\n\nIN-9,2026-08-15,localization,10,USD,yes,B\n"),
     refused("ImportRefused", "row 6, column 'Deal': 'IN-9' is not the reference of a deal"),
     hostile="blank lines before a bad row: the error names the file's own line 6")
case("expenses_blank_rows_then_bad.xlsx", "expenses",
     sheet(expense_rows(["IN-1", date(2026, 8, 15), "localization", 10, "USD", "yes", "A"], [], [], [" "],
                        ["IN-1", date(2026, 8, 15), "localization", -10, "USD", "yes", "B"])),
     refused("ImportRefused", "row 6, column 'Amount': '-10' an expense is more than zero"),
     hostile="blank rows in a workbook before a bad row: the sheet's own row 6")
case("expenses_spreadsheet_numbers.xlsx", "expenses",
     sheet(expense_rows(["IN-1", date(2026, 8, 15), "localization", 2500, "IDR", True, "Dub"],
                        ["IN-1", date(2026, 8, 16), "marketing", 12.5, "USD", 0, "Ads"])),
     imported({"expense": 2, "audit_entry": 2}, count=2, expenses=[
         ["IN-1", "2026-08-15", "localization", "2500", "IDR", "Dub", True],
         ["IN-1", "2026-08-16", "marketing", "12.5", "USD", "Ads", False]]),
     hostile="none: spreadsheet numbers, dates and booleans read as they are (2500 rupiah stays 2500)")
case("expenses_same_expense_twice.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,marketing,10,USD,yes,Ads\nIN-1,2026-08-15,marketing,10.00,USD,yes,Ads\n"),
     refused("ImportRefused", "row 3: the same expense as row 2 (same deal, date, category, amount, currency and description)"),
     hostile="one expense twice (10 and 10.00): it would be recouped twice")
case("expenses_apostrophes.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,marketing,10,USD,yes,'Bride' poster\nIN-1,2026-08-16,marketing,11,USD,yes,\"'Heiress' poster, 'teaser'\"\n"),
     imported({"expense": 2, "audit_entry": 2}, count=2, expenses=[
         ["IN-1", "2026-08-15", "marketing", "10", "USD", "'Bride' poster", True],
         ["IN-1", "2026-08-16", "marketing", "11", "USD", "'Heiress' poster, 'teaser'", True]]),
     hostile="single quotes in values, which a sniffed quote character ate (\"Bride poster\") and split on")
case("expenses_unquoted_delimiter.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,marketing,10,USD,yes,posters\nIN-1,2026-08-16,marketing,11,USD,yes,posters, flyers\n"
                    "IN-1,2026-08-17,marketing,12,USD,yes,ads,,\n"),
     refused("UserError", "expenses_unquoted_delimiter.csv cannot be read: row 3 has 8 values where the header has 7 columns: "
             "a value holding the delimiter must be in double quotes"),
     hostile="a description with an unquoted comma: one value too many (the rest was dropped: 'posters' kept, 'flyers' lost); "
             "trailing empty cells (row 4) are no values")
OLE2_FILE = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)  # the header of an .xls (or password-protected) workbook
XLS_REFUSED = ("this is an Excel 97-2003 workbook (.xls) or a password-protected one, which cannot be read: save it as an "
               "Excel Workbook (.xlsx), without a password")
case("expenses_excel_97.xls", "expenses", OLE2_FILE, refused("UserError", XLS_REFUSED),
     hostile="an Excel 97-2003 workbook (it was read as CSV text: 'byte 0xD0 is not UTF-8')")
case("expenses_header_only.csv", "expenses", csv(EXP_HEAD),
     refused("UserError", "expenses_header_only.csv holds no expenses below its header row"), hostile="a header and no rows")
case("expenses_windows1252_undeclared.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,marketing,10,USD,yes,Café crème\n", "windows-1252"),
     refused("UserError", "expenses_windows1252_undeclared.csv cannot be read: line 2: byte 0xE9 is not UTF-8; it looks "
             "like windows-1252: declare the file's encoding to import it"),
     hostile="Windows-1252 text where the file must be UTF-8: refused, never decoded by a guess")
case("expenses_gb18030_declared.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,localization,¥ 800,CNY,yes,中文配音\n", "gb18030"), options={"encoding": "gb18030"},
     outcome=imported({"expense": 1, "audit_entry": 1}, count=1, expenses=[["IN-1", "2026-08-15", "localization", "800", "CNY",
                                                                          "中文配音", True]]),
     hostile="GB18030 declared (--encoding gb18030), a yen/yuan sign on a CNY line")
case("expenses_big5_undeclared.csv", "expenses", csv(EXP_HEAD + "IN-1,2026-08-15,localization,800,TWD,yes,中文配音\n", "big5"),
     refused("UserError", "expenses_big5_undeclared.csv cannot be read: line 2: byte 0xA4 is not UTF-8; it looks like big5: "
             "declare the file's encoding to import it"),
     hostile="Big5 text with no encoding declared")
case("expenses_utf16.csv", "expenses", csv(EXP_HEAD + "IN-1,2026-08-15,marketing,10,USD,yes,Café crème\n", "utf-16"),
     imported({"expense": 1, "audit_entry": 1}, count=1, expenses=[["IN-1", "2026-08-15", "marketing", "10", "USD", "Café crème", True]]),
     hostile="UTF-16 with its BOM (which declares it)")
case("expenses_formula_no_result.xlsx", "expenses",
     sheet(expense_rows(["IN-1", date(2026, 8, 15), "localization", "=SUM(1,2)", "USD", "yes", "A"])),
     refused("ImportRefused", "row 2, column 'Amount': '=SUM(1,2)' holds a formula (=SUM(1,2)) with no saved result: the "
             "workbook was written by a program that does not calculate; open and save it in a spreadsheet program, or type "
             "the value"),
     hostile="an amount that is a formula with no saved result (written by openpyxl)")
case("expenses_control_characters.csv", "expenses",
     csv(EXP_HEAD + "IN-1,2026-08-15,localization,10,USD,yes,Dub \u202eevil\nIN-1,2026-08-15,localization,11,USD,yes,Dub\x00null\n"),
     refused("ImportRefused",
             "row 2, column 'Description': 'Dub \\u202eevil' holds a control character (U+202E)",
             "row 3, column 'Description': 'Dub\\x00null' holds a control character (U+0000)"),
     hostile="a right-to-left override and a NUL in descriptions")
case("expenses_description_too_long.csv", "expenses", csv(EXP_HEAD + f"IN-1,2026-08-15,marketing,10,USD,yes,{'x' * 301}\n"),
     refused("ImportRefused", f"row 2, column 'Description': '{'x' * 301}' is longer than 300 characters"),
     hostile="a description of 301 characters (PostgreSQL would refuse it with no row named; SQLite would keep it)")
case("expenses_too_large.csv", "expenses", csv(EXP_HEAD + "IN-1,2026-08-15,localization,9200000000000,USD,yes,A\n"),
     refused("ImportRefused", "row 2, column 'Amount': '9200000000000' is too large: amounts stop below 9,000,000,000,000"),
     hostile="an amount of 9.2e12")


# ================================================================== cue sheets
# rightsdesk.services.cue_sheets.import_cue_sheets(session, file_name, content, user=, encoding=)

CUE_HEAD = "Title,Episode,Cue,Track,Composer,Usage,In,Out\n"


def cue_rows(*rows: list[Any]) -> list[list[Any]]:
    return [["Title", "Episode", "Cue", "Track", "Composer", "Usage", "In", "Out"], *rows]


CUES_WRITTEN = {"cue": 2, "music_track": 2, "track_credit": 2, "audit_entry": 1}
case("cues_ok.csv", "cues", csv(CUE_HEAD + "T000001,1,1,Opening,Li Wei,MT,00:00,00:30\nT000001,1,2,Sting,Li Wei,BI,00:40,00:45\n"),
     imported(CUES_WRITTEN, episodes=1, cues=2, new_tracks=["Opening", "Sting"],
              cue_rows=[["T000001", 1, 1, "Opening", "MT", 0, 30000], ["T000001", 1, 2, "Sting", "BI", 40000, 45000]]),
     hostile="none: the control case")
case("cues_nan_inf.csv", "cues", csv(CUE_HEAD + "T000001,1,NaN,Opening,Li Wei,MT,00:00,00:30\nT000001,1,inf,Sting,Li Wei,BI,00:40,00:45\n"
                                                "T000001,1,-Infinity,Sting 2,Li Wei,BI,00:50,00:55\n"),
     refused("ImportRefused", "row 2, column 'cue': 'NaN' is not a cue number", "row 3, column 'cue': 'inf' is not a cue number",
             "row 4, column 'cue': '-Infinity' is not a cue number"),
     hostile="NaN and infinite cue numbers (which float() reads)")
case("cues_episode_superscript.csv", "cues", csv(CUE_HEAD + "T000001,²,1,Opening,Li Wei,MT,00:00,00:30\n"),
     refused("ImportRefused", "row 2, column 'episode': '²' is not an episode number"),
     hostile="episode '²' (which str.isdigit() takes for a digit)")
case("cues_episode_beyond.csv", "cues", csv(CUE_HEAD + "T000001,116,1,Opening,Li Wei,MT,00:00,00:30\n"),
     refused("ImportRefused", "row 2, column 'episode': '116' T000001 has no such episode"),
     hostile="episode 116 of a 115-episode title")
case("cues_episode_huge.csv", "cues", csv(CUE_HEAD + "T000001,99999999999999999999,1,Opening,Li Wei,MT,00:00,00:30\n"),
     refused("ImportRefused", "row 2, column 'episode': '99999999999999999999' T000001 has no such episode"),
     hostile="an episode number beyond what the database's integers hold (it crashed the import)")
case("cues_shares_and_lengths.csv", "cues",
     csv(CUE_HEAD + "T000001,1,1,Opening,Li Wei 60%; Wu Fang 60%,MT,00:00,00:30\n"
         f"T000001,1,2,{'La' * 151},Li Wei,BI,00:40,00:45\n"),
     refused("ImportRefused", "row 2, column 'composers': 'Li Wei 60%; Wu Fang 60%' the writers' shares add up to 120%, more than 100%",
             f"row 3, column 'track': '{'La' * 151}' is longer than 300 characters"),
     hostile="writers' shares adding up to 120 %, a track title of 302 characters")
case("cues_control_characters.csv", "cues",
     csv(CUE_HEAD + "T000001,1,1,Open\u202egnin,Li Wei,MT,00:00,00:30\nT000001,1,2,Sting,Li\x00Wei,BI,00:40,00:45\n"),
     refused("ImportRefused", "row 2, column 'track': 'Open\\u202egnin' holds a control character (U+202E)",
             "row 3, column 'composers': 'Li\\x00Wei' holds a control character (U+0000)"),
     hostile="a right-to-left override in a track title, a NUL in a composer's name")
for encoding, track, composer in (("gb18030", "红色的爱", "李伟"), ("big5", "紅色的愛", "李偉"), ("shift_jis", "赤い愛", "山田太郎"),
                                  ("euc-kr", "붉은 사랑", "김민수")):
    case(f"cues_{encoding.replace('-', '_')}_declared.csv", "cues",
         csv(CUE_HEAD + f"T000001,1,1,{track},{composer},MT,00:00,00:30\n", encoding), options={"encoding": encoding},
         outcome=imported({"cue": 1, "music_track": 1, "track_credit": 1, "audit_entry": 1}, episodes=1, cues=1, new_tracks=[track],
                          cue_rows=[["T000001", 1, 1, track, "MT", 0, 30000]]),
         hostile=f"{encoding} text, declared (--encoding {encoding})")
case("cues_gb18030_undeclared.csv", "cues", csv(CUE_HEAD + "T000001,1,1,红色的爱之歌,李伟,MT,00:00,00:30\n", "gb18030"),
     refused("UserError", "cues_gb18030_undeclared.csv cannot be read: line 2: byte 0xBA is not UTF-8; it looks like gb18030: "
             "declare the file's encoding to import it"),
     hostile="GB18030 text with no encoding declared")
case("cues_shift_jis_declared_as_big5.csv", "cues", csv(CUE_HEAD + "T000001,1,1,赤い愛,山田太郎,MT,00:00,00:30\n", "shift_jis"),
     options={"encoding": "big5"},
     outcome=refused("UserError", "cues_shift_jis_declared_as_big5.csv cannot be read: line 2: byte 0x90 does not decode as big5"),
     hostile="Shift-JIS bytes declared Big5: refused, not read as other characters")
case("cues_byte_0x81.csv", "cues", csv(CUE_HEAD) + b"T000001,1,1,Opening \x81,Li Wei,MT,00:00,00:30\n",
     options={"encoding": "windows-1252"},
     outcome=refused("UserError", "cues_byte_0x81.csv cannot be read: line 2: byte 0x81 does not decode as windows-1252"),
     hostile="a byte 0x81, which Windows-1252 does not define")
case("cues_utf16.csv", "cues", csv(CUE_HEAD + "T000001,1,1,Canção,Zé,MT,00:00,00:30\n", "utf-16"),
     imported({"cue": 1, "music_track": 1, "track_credit": 1, "audit_entry": 1}, episodes=1, cues=1, new_tracks=["Canção"],
              cue_rows=[["T000001", 1, 1, "Canção", "MT", 0, 30000]]),
     hostile="UTF-16 with its BOM")
case("cues_header_only.csv", "cues", csv(CUE_HEAD),
     refused("ImportRefused", "row 2: the file has no cues"), hostile="a header and no cues")
case("cues_blank_rows_then_bad.xlsx", "cues",
     sheet(cue_rows(["T000001", 1, 1, "Opening", "Li Wei", "MT", "00:00", "00:30"], [], [" "], [],
                    ["T000001", 1, 2, "Sting", "Li Wei", "XX", "00:40", "00:45"])),
     refused("ImportRefused", "row 6, column 'usage': 'XX' is not a usage code (BI, BV, VI, VV, MT, ET, SRC)"),
     hostile="blank rows in a workbook before a bad row: the sheet's own row 6")
case("cues_formula_no_result.xlsx", "cues",
     sheet(cue_rows(["T000001", 1, 1, "=UPPER(\"opening\")", "Li Wei", "MT", "00:00", "00:30"])),
     refused("ImportRefused", "row 2, column 'track': '=UPPER(\"opening\")' holds a formula (=UPPER(\"opening\")) with no saved "
             "result: the workbook was written by a program that does not calculate; open and save it in a spreadsheet "
             "program, or type the value"),
     hostile="a track title that is a formula with no saved result")
case("cues_truncated.xlsx", "cues", sheet(cue_rows(["T000001", 1, 1, "Opening", "Li Wei", "MT", "00:00", "00:30"]))[:1500],
     refused("UserError", NOT_A_WORKBOOK), hostile="a workbook cut off after 1500 bytes")


# ================================================================== EMA offers
# rightsdesk.services.ema.import_offer(session, content, user=, sheet=); reference: tests/data/ema_TV_v1.9.xlsx

EMA_FIELDS = ("Territory", "WorkType", "SeriesTitleInternalAlias", "SeriesID", "EpisodeNumber", "LicenseType", "Start",
              "End", "Exclusive", "DisplayName")


def ema_row(**changes: Any) -> dict[str, Any]:
    values = {"Territory": "TH", "WorkType": "Season", "SeriesTitleInternalAlias": "Golden Bride", "SeriesID": "",
              "EpisodeNumber": None, "LicenseType": "SVOD", "Start": date(2027, 1, 1), "End": date(2027, 12, 31),
              "Exclusive": "yes", "DisplayName": "Golden Reel"}
    values.update(changes)
    return values


def ema_workbook(*sheets: tuple[str, list[dict[str, Any]]]) -> bytes:
    """The reference workbook's field-name rows, with these rows (one sheet each)."""
    book = load_workbook(EMA_REFERENCE)
    template = book.worksheets[0]
    fields = [template.cell(2, c).value for c in range(1, template.max_column + 1)]
    template.delete_rows(4, template.max_row)
    for _ in sheets[1:]:
        book.copy_worksheet(template)
    for worksheet, (title, rows) in zip(book.worksheets, sheets):
        worksheet.title = title
        for row in rows:
            worksheet.append([row.get(name) for name in fields])
    return xlsx(book)


EMA_DEAL = {"audit_entry": 1, "deal": 1, "grant": 1, "grant_media": 1, "grant_territory": 1, "grant_title": 1}
case("ema_movies_and_tv.xlsx", "ema",
     ema_workbook(("Movies", [ema_row(SeriesTitleInternalAlias="Bride", Territory="VN")]),
                  ("TV", [ema_row(SeriesTitleInternalAlias="Bride"), ema_row(SeriesTitleInternalAlias="Bride", Territory="XX")])),
     refused("ValidationError", "TV!row 5, Territory: 'XX' is not an ISO 3166-1 country code"),
     hostile="Movies and TV sheets: both read, a bad row named with its sheet")
case("ema_sheet_named.xlsx", "ema",
     ema_workbook(("Movies", [ema_row(SeriesTitleInternalAlias="Bride", Territory="VN")]),
                  ("TV", [ema_row(SeriesTitleInternalAlias="Bride")])), options={"sheet": "TV"},
     outcome=imported(EMA_DEAL, rows_taken=1, titles_created=[], skipped=[],
                      grants=[["T000001", None, None, "TH", ["SVOD"], True, "2027-01-01", "2027-12-31"]]),
     hostile="Movies and TV sheets, the TV one named (--sheet TV)")
case("ema_eidr_written_forms.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Detectives", SeriesID="md:cid:eidr-s:7791-8534-2C23-9030-8610-5"),
                          ema_row(SeriesTitleInternalAlias="Detectives", SeriesID="doi:10.5240/7791-8534-2c23-9030-8610-5",
                                  Territory="VN"),
                          ema_row(SeriesTitleInternalAlias="Detectives",
                                  SeriesID="https://doi.org/10.5240/7791-8534-2C23-9030-8610-5", Territory="ID")])),
     imported(EMA_DEAL | {"grant_territory": 3}, rows_taken=3, titles_created=[], skipped=[],
              grants=[["T000003", None, None, "ID, TH, VN", ["SVOD"], True, "2027-01-01", "2027-12-31"]]),
     hostile="an EIDR written three ways (md:cid:eidr-s:, doi:, https://doi.org/): the title held, no duplicate")
case("ema_exclusive_not_yes_no.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Bride", Exclusive="maybe"),
                          ema_row(SeriesTitleInternalAlias="Bride", Exclusive="si", Territory="VN"),
                          ema_row(SeriesTitleInternalAlias="Bride", Exclusive=42, Territory="ID")])),
     refused("ValidationError", "row 4, Exclusive: 'maybe' is not yes or no (yes, no, true, false, 1, 0 or x)",
             "row 5, Exclusive: 'si' is not yes or no (yes, no, true, false, 1, 0 or x)",
             "row 6, Exclusive: '42' is not yes or no (yes, no, true, false, 1, 0 or x)"),
     hostile="Exclusive holding maybe, si and 42")
case("ema_dates.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Bride", Start="01.07.2026"),
                          ema_row(SeriesTitleInternalAlias="Bride", Start="Sep-25", Territory="VN"),
                          ema_row(SeriesTitleInternalAlias="Bride", Start="2026-07-01", End="2030-06", Territory="ID"),
                          ema_row(SeriesTitleInternalAlias="Bride", Start="2026-07-01", End="2030", Territory="MY")])),
     refused("ValidationError", "row 4, Start: '01.07.2026' reads day-first or month-first: the source must declare which "
             "(ISO 2026-07-01 needs no declaration)",
             "row 5, Start: 'Sep-25' has no year (write it with four digits)",
             "row 6, End: '2030-06' is not a date or Open",
             "row 7, End: '2030' is not a date or Open"),
     hostile="a day-first date, a date without a year, incomplete end dates")
case("ema_formulas_no_result.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="=C5"), ema_row(SeriesTitleInternalAlias="Bride", Start="=TODAY()"),
                          ema_row(SeriesTitleInternalAlias="Bride", Exclusive="=TRUE()", Territory="VN")])),
     refused("ValidationError", "row 4, SeriesTitleInternalAlias: holds a formula (=C5) with no saved result: the workbook was written by a program "
         "that does not calculate; open and save it in a spreadsheet program, or type the value",
         "row 5, Start: holds a formula (=TODAY()) with no saved result: the workbook was written by a program that does not "
         "calculate; open and save it in a spreadsheet program, or type the value"),
     hostile="formulas with no saved result (never a title named '=C5'); =TRUE(), a constant, reads as yes")
case("ema_control_characters.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Bride\u202e"),
                          ema_row(SeriesTitleInternalAlias="Bride", Territory="VN")])),
     refused("ValidationError", "row 4, SeriesTitleInternalAlias: 'Bride\\u202e' holds a control character (U+202E)"),
     hostile="a right-to-left override in a series name (no title created with it)")
case("ema_rows_that_failed_the_whole_offer.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Bride", AllowedLanguages="th, xx-!!"),
                          ema_row(SeriesTitleInternalAlias=None, Territory="VN"), ema_row(SeriesTitleInternalAlias="Bride", Start=None),
                          ema_row(SeriesTitleInternalAlias="Bride", Territory="ID", AllowedLanguages="id, en")])),
     refused("ValidationError", "row 4, AllowedLanguages: 'xx-!!' is not a BCP 47 language tag (e.g. en, zh-Hans, es-419)",
         "row 5, SeriesTitleInternalAlias: no series title",
         "row 6, Start: is empty: a date is needed"),
     hostile="a language that is no BCP 47 tag (it failed the whole offer on saving, naming no row), no series title, no start")
case("ema_blank_rows_and_hidden_characters.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Bride"), {}, {"Territory": " "}, {},
                          ema_row(SeriesTitleInternalAlias="Bride", Territory="T\u202eH"),
                          ema_row(SeriesTitleInternalAlias="Bride", LicenseType="SVOD\u2066")])),
     refused("ValidationError", "row 8, Territory: 'T\\u202eH' is not an ISO 3166-1 country code",
         "row 9, LicenseType: 'SVOD\\u2066' is not a licence type we know (EST, VOD, SVOD, POEST)"),
     hostile="blank rows before bad rows (the sheet's own rows 8 and 9), a right-to-left override and a left-to-right isolate in codes "
             "(shown escaped, never reversing the message)")
case("ema_episode_beyond.xlsx", "ema",
     ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Bride", WorkType="Episode", EpisodeNumber=99999),
                          ema_row(SeriesTitleInternalAlias="Bride", WorkType="Episode", EpisodeNumber=115, Territory="VN")])),
     refused("ValidationError", "row 4, EpisodeNumber: '99999' is beyond Bride's episodes (115)"),
     hostile="episode 99999 of a 115-episode title")
case("ema_header_only.xlsx", "ema", ema_workbook(("TV", [])),
     refused("UserError", "the workbook has no avails below its field-name rows"),
     hostile="the EMA field-name rows and no avails")
case("ema_password_protected.xlsx", "ema", OLE2_FILE, refused("UserError", XLS_REFUSED),
     hostile="a password-protected workbook (an OLE2 file named .xlsx)")
case("ema_text_as_workbook.xlsx", "ema", csv("Territory,LicenseType\nTH,SVOD\n"),
     refused("UserError", NOT_A_WORKBOOK), hostile="a CSV text file named .xlsx")
case("ema_truncated.xlsx", "ema", ema_workbook(("TV", [ema_row(SeriesTitleInternalAlias="Bride")]))[:6000],
     refused("UserError", NOT_A_WORKBOOK), hostile="a workbook cut off after 6000 bytes")


# ================================================================== revenue
# rightsdesk.services.revenue.import_file(session, source_id, file_name, report, mapping, options, user=)
# Each case gives the mapping (field -> the file's column) and the source's declared options.

# Options in rightsdesk.domain.reading's terms: decimal '.' or ',' (None: undeclared), dates 'iso',
# 'dmy' or 'mdy', encoding (None: UTF-8 or a BOM), currency (for files without a currency column).
# `should` says in words what the user must see; OUTCOMES (below) is the exact outcome.
SHOULD = {
    "revenue_ok.csv": "imported: 1 line, T000001, TH, 2026-09-01..2026-09-30, gross 1234.56 USD",
    "revenue_rp_2.500_undeclared.csv": "refused: row 2, column 'Gross': 'Rp 2.500' reads as 2.5 or as 2500: the source must "
                                       "declare its decimal separator",
    "revenue_rp_2.500_declared_comma.csv": "imported: 1 line, gross 2500 IDR",
    "revenue_brl_symbol.csv": "imported: 1 line, gross 1234.56 BRL",
    "revenue_symbol_contradicts_currency.csv": "refused: rows 2, 3 and 4, column 'Gross' (₫ is VND, ฿ THB, CA$ CAD, the "
                                               "line's currency is USD); row 5 (US$) is fine",
    "revenue_period_no_year.csv": "refused: row 2, column 'Period': 'Sep-25' has no year",
    "revenue_dates_undeclared.csv": "refused: row 2, column 'Period': '01.07.2026' reads day-first or month-first",
    "revenue_dates_dmy_declared.csv": "imported: 2 lines, both of July 2026 (12 and 13 July)",
    "revenue_incomplete_periods.csv": "row 2 '2030' refused (a year is no reporting period, unless the mapping says "
                                      "annual); row 3 '2030-06' is June 2030",
    "revenue_gb18030_undeclared.csv": "refused: the file is not UTF-8, line 2, byte 0x.., looks like gb18030",
    "revenue_big5_undeclared.csv": "refused: not UTF-8, looks like big5",
    "revenue_shift_jis_undeclared.csv": "refused: not UTF-8, looks like shift_jis",
    "revenue_euc_kr_undeclared.csv": "refused: not UTF-8, looks like euc-kr",
    "revenue_utf16.csv": "imported: 1 line (the BOM declares UTF-16)",
    "revenue_windows1252_declared.csv": "read as Canção (an unmatched title name, as the revenue rules treat one)",
    "revenue_byte_0x81.csv": "refused: line 2: byte 0x81 does not decode as windows-1252",
    "revenue_blank_rows_then_bad.csv": "refused: row 6, column 'Gross': 'ten' is not a number",
    "revenue_header_only.csv": "refused: a header and no lines",
    "revenue_gross_too_large.csv": "refused: rows 2 and 3, column 'Gross': too large (9.2e12 is no number to the "
                                   "declared convention, or too large)",
    "revenue_nan_inf.csv": "refused: rows 2 and 3, column 'Gross': not a number",
    "revenue_replaced_currencies.csv": "refused: row 2 HRK replaced by EUR (2023-01-14) for 2024-01; row 3 ANG replaced "
                                       "by XCG (2025-06-30) for 2026-09",
    "revenue_eidr_forms.csv": "imported: 3 lines, all matched to T000003 (no duplicate title, nothing unmatched)",
    "revenue_control_characters.csv": "refused: row 2, column 'Title': holds a control character (U+202E)",
    "revenue_formula_no_result.xlsx": "refused: row 2, column 'Gross': holds a formula (=100*2) with no saved result",
    "revenue_blank_rows_then_bad.xlsx": "refused: row 6, column 'Gross': 'ten' is not a number",
    "revenue_truncated.xlsx": "refused: not an Excel workbook that can be read",
    "revenue_text_as_workbook.xlsx": "refused: not an Excel workbook that can be read",
    "revenue_uk_and_kosovo.csv": "imported: UK read as GB (a declared alias), XK (Kosovo) a territory",
    "revenue_unmapped_type.csv": "refused: row 3, column 'Type': 'refund' is no type the mapping names (coins is "
                                 "mapped; never read as 'other')",
    "revenue_bad_period_end.csv": "refused: row 2, the Period End column (not Period Start): '2026-09-31' is no day",
    "revenue_auto_thousands.csv": "refused: row 3, '20.000' reads two ways with no separator declared (row 2's "
                                  "'20.50' reads one way), in a column that is otherwise plain",
}
REV_MAPPING = {"period": "Period", "territory": "Country", "title_id": "Series", "gross_amount": "Gross", "currency": "Currency"}
REV_HEAD = "Period,Country,Series,Gross,Currency\n"


# The exact outcome of each revenue case (SHOULD says it in words). Undeclared, cp932 and cp949 are
# what charset-normalizer names Shift-JIS and EUC-KR text (Microsoft's supersets, which read both).
OUTCOMES = {
    "revenue_ok.csv": imported({"import_batch": 1, "revenue_line": 1}, lines=1, matched=1, unmatched=0, totals={"USD": "1234.56"}, rows=[
        [2, "2026-09-01", "2026-09-30", "TH", "T000001", "T000001", "1234.56", "USD", "other"]]),
    "revenue_rp_2.500_undeclared.csv": refused("ImportRefused",
        "row 2, column 'Gross': 'Rp 2.500' reads as 2.5 or as 2500: the source must declare its decimal separator ('.' or ',')"),
    "revenue_rp_2.500_declared_comma.csv": imported({"import_batch": 1, "revenue_line": 1}, lines=1, matched=1, unmatched=0, totals={"IDR": "2500"}, rows=[
        [2, "2026-09-01", "2026-09-30", "ID", "T000001", "T000001", "2500", "IDR", "other"]]),
    "revenue_brl_symbol.csv": imported({"import_batch": 1, "revenue_line": 1}, lines=1, matched=1, unmatched=0, totals={"BRL": "1234.56"}, rows=[
        [2, "2026-09-01", "2026-09-30", "BR", "T000001", "T000001", "1234.56", "BRL", "other"]]),
    "revenue_symbol_contradicts_currency.csv": refused("ImportRefused",
        "row 2, column 'Gross': '₫ 1000' has '₫', which is VND, but the line's currency is USD",
        "row 3, column 'Gross': '฿ 500' has '฿', which is THB, but the line's currency is USD",
        "row 4, column 'Gross': 'CA$ 12.00' has 'CA$', which is CAD, but the line's currency is USD"),
    "revenue_period_no_year.csv": refused("ImportRefused",
        "row 2, column 'Period': 'Sep-25' has no year (write it with four digits)"),
    "revenue_dates_undeclared.csv": refused("ImportRefused",
        "row 2, column 'Period': '01.07.2026' reads day-first or month-first: the source's mapping must declare its date order (Dates: day first or month first; --dates dmy or mdy); ISO 2026-07-01 needs none"),
    "revenue_dates_dmy_declared.csv": imported({"import_batch": 1, "revenue_line": 2}, lines=2, matched=2, unmatched=0, totals={"USD": "21"}, rows=[
        [2, "2026-07-01", "2026-07-31", "TH", "T000001", "T000001", "10", "USD", "other"],
        [3, "2026-07-01", "2026-07-31", "TH", "T000001", "T000001", "11", "USD", "other"]]),
    "revenue_incomplete_periods.csv": refused("ImportRefused",
        "row 2, column 'Period': '2030' is a year, not a reporting period: write its month (2030-06), quarter (2030-Q2) or half (2030-H1)"),
    "revenue_gb18030_undeclared.csv": refused("UserError",
        "revenue_gb18030_undeclared.csv cannot be read: line 2: byte 0xBA is not UTF-8; it looks like gb18030: declare the file's encoding to import it"),
    "revenue_big5_undeclared.csv": refused("UserError",
        "revenue_big5_undeclared.csv cannot be read: line 2: byte 0xAC is not UTF-8; it looks like big5: declare the file's encoding to import it"),
    "revenue_shift_jis_undeclared.csv": refused("UserError",
        "revenue_shift_jis_undeclared.csv cannot be read: line 2: byte 0x90 is not UTF-8; it looks like cp932: declare the file's encoding to import it"),
    "revenue_euc_kr_undeclared.csv": refused("UserError",
        "revenue_euc_kr_undeclared.csv cannot be read: line 2: byte 0xBA is not UTF-8; it looks like cp949: declare the file's encoding to import it"),
    "revenue_utf16.csv": imported({"import_batch": 1, "revenue_line": 1}, lines=1, matched=1, unmatched=0, totals={"USD": "10"}, rows=[
        [2, "2026-09-01", "2026-09-30", "TH", "T000001", "T000001", "10", "USD", "other"]]),
    "revenue_windows1252_declared.csv": imported({"import_batch": 1, "revenue_line": 1}, lines=1, matched=0, unmatched=1, totals={"USD": "10"}, rows=[
        [2, "2026-09-01", "2026-09-30", "BR", "Canção", None, "10", "USD", "other"]]),
    "revenue_byte_0x81.csv": refused("UserError",
        "revenue_byte_0x81.csv cannot be read: line 2: byte 0x81 does not decode as windows-1252"),
    "revenue_blank_rows_then_bad.csv": refused("ImportRefused",
        "row 6, column 'Gross': 'ten' is not a number"),
    "revenue_header_only.csv": refused("ImportRefused",
        "row 1: the file has a header and no lines under it"),
    "revenue_gross_too_large.csv": refused("ImportRefused",
        "row 2, column 'Gross': '9200000000000' is too large: amounts stop below 9,000,000,000,000",
        "row 3, column 'Gross': '9.2e12' is not a number"),
    "revenue_nan_inf.csv": refused("ImportRefused",
        "row 2, column 'Gross': 'NaN' is not a number",
        "row 3, column 'Gross': 'inf' is not a number"),
    "revenue_replaced_currencies.csv": refused("ImportRefused",
        "row 2, column 'Currency': 'HRK' was replaced by EUR on 2023-01-14: use EUR for 2024-01-31",
        "row 3, column 'Currency': 'ANG' was replaced by XCG on 2025-06-30: use XCG for 2026-09-30"),
    "revenue_eidr_forms.csv": imported({"import_batch": 1, "revenue_line": 3}, lines=3, matched=3, unmatched=0, totals={"USD": "33"}, rows=[
        [2, "2026-09-01", "2026-09-30", "TH", "md:cid:eidr-s:7791-8534-2C23-9030-8610-5", "T000003", "10", "USD", "other"],
        [3, "2026-09-01", "2026-09-30", "TH", "doi:10.5240/7791-8534-2C23-9030-8610-5", "T000003", "11", "USD", "other"],
        [4, "2026-09-01", "2026-09-30", "TH", "https://doi.org/10.5240/7791-8534-2C23-9030-8610-5", "T000003", "12", "USD", "other"]]),
    "revenue_control_characters.csv": refused("ImportRefused",
        "row 2, column 'Title': 'Bride\\u202e' holds a control character (U+202E)"),
    "revenue_formula_no_result.xlsx": refused("ImportRefused",
        "row 2, column 'Gross': '=100*2' holds a formula (=100*2) with no saved result: the workbook was written by a program that does not calculate; open and save it in a spreadsheet program, or type the value"),
    "revenue_blank_rows_then_bad.xlsx": refused("ImportRefused",
        "row 6, column 'Gross': 'ten' is not a number"),
    "revenue_truncated.xlsx": refused("UserError",
        "revenue_truncated.xlsx is not an Excel workbook that can be read (File is not a zip file)"),
    "revenue_text_as_workbook.xlsx": refused("UserError",
        "revenue_text_as_workbook.xlsx is not an Excel workbook that can be read (File is not a zip file)"),
    "revenue_uk_and_kosovo.csv": imported({"import_batch": 1, "revenue_line": 2}, lines=2, matched=2, unmatched=0, totals={"EUR": "11", "USD": "10"}, rows=[
        [2, "2026-09-01", "2026-09-30", "GB", "T000001", "T000001", "10", "USD", "other"],
        [3, "2026-09-01", "2026-09-30", "XK", "T000001", "T000001", "11", "EUR", "other"]]),
    "revenue_unmapped_type.csv": refused("ImportRefused",
        "row 3, column 'Type': 'refund' is not a revenue type the source's mapping names: map the word to a type (unlocks, subscription, ads, tips, licence_fee, other)"),
    "revenue_bad_period_end.csv": refused("ImportRefused",
        "row 2, column 'Period End': '2026-09-31' is not a day of the calendar"),
    "revenue_auto_thousands.csv": refused("ImportRefused",
        "row 3, column 'Gross': '20.000' reads as 20 or as 20000: the source must declare its decimal separator ('.' or ',')"),
}


def revenue(file: str, content: bytes, hostile: str, *, mapping: dict[str, str] | None = None, **options: Any) -> None:
    case(file, "revenue", content, OUTCOMES[file] | {"should": SHOULD[file]},
         options={"mapping": mapping or REV_MAPPING, "decimal": None, "dates": "iso", "encoding": None, **options},
         hostile=hostile)


revenue("revenue_ok.csv", csv(REV_HEAD + "2026-09,TH,T000001,1234.56,USD\n"), "none: the control case", decimal=".")
revenue("revenue_rp_2.500_undeclared.csv", csv(REV_HEAD + "2026-09,ID,T000001,Rp 2.500,IDR\n"),
        "Rp 2.500 with no decimal separator declared (2.5 or 2 500?)")
revenue("revenue_rp_2.500_declared_comma.csv", csv(REV_HEAD + "2026-09,ID,T000001,\"Rp 2.500\",IDR\n"),
        "Rp 2.500 with ',' declared: 2 500 rupiah", decimal=",")
revenue("revenue_brl_symbol.csv", csv("Period;Country;Series;Gross;Currency\n2026-09;BR;T000001;R$ 1.234,56;BRL\n"),
        "R$ 1.234,56 on a BRL line, ',' declared", decimal=",")
revenue("revenue_symbol_contradicts_currency.csv",
        csv(REV_HEAD + "2026-09,VN,T000001,₫ 1000,USD\n2026-09,TH,T000001,฿ 500,USD\n2026-09,CA,T000001,CA$ 12.00,USD\n"
                       "2026-09,US,T000001,US$ 12.00,USD\n"),
        "₫, ฿ and CA$ on USD lines (US$ agrees)", decimal=".")
revenue("revenue_period_no_year.csv", csv(REV_HEAD + "Sep-25,TH,T000001,10,USD\n"), "a period without a year (Sep-25)")
revenue("revenue_dates_undeclared.csv", csv(REV_HEAD + "01.07.2026,TH,T000001,10,USD\n"),
        "a day-first date with no date order declared")
revenue("revenue_dates_dmy_declared.csv", csv(REV_HEAD + "12.07.2026,TH,T000001,10,USD\n13.07.2026,TH,T000001,11,USD\n"),
        "12.07.2026 and 13.07.2026 under a declared day-first order", dates="dmy")
revenue("revenue_incomplete_periods.csv", csv(REV_HEAD + "2030,TH,T000001,10,USD\n2030-06,TH,T000001,11,USD\n"),
        "a bare year and a month as periods")
for encoding, name in (("gb18030", "红色的爱"), ("big5", "紅色的愛"), ("shift_jis", "赤い愛"), ("euc-kr", "붉은 사랑")):
    revenue(f"revenue_{encoding.replace('-', '_')}_undeclared.csv", csv("Period,Country,Title,Gross,Currency\n"
                                                                         f"2026-09,TH,{name},10,USD\n", encoding),
            f"{encoding} text with no encoding declared",
            mapping={"period": "Period", "territory": "Country", "title_name": "Title", "gross_amount": "Gross", "currency": "Currency"})
revenue("revenue_utf16.csv", csv(REV_HEAD + "2026-09,TH,T000001,10,USD\n", "utf-16"), "UTF-16 with its BOM")
revenue("revenue_windows1252_declared.csv", csv("Period,Country,Title,Gross,Currency\n2026-09,BR,Canção,10,USD\n", "windows-1252"),
        "Windows-1252 declared", encoding="windows-1252",
        mapping={"period": "Period", "territory": "Country", "title_name": "Title", "gross_amount": "Gross", "currency": "Currency"})
revenue("revenue_byte_0x81.csv", csv(REV_HEAD) + b"2026-09,TH,T000001 \x81,10,USD\n", "a byte 0x81 (undefined in Windows-1252)",
        encoding="windows-1252")
revenue("revenue_blank_rows_then_bad.csv", csv(REV_HEAD + "2026-09,TH,T000001,10,USD\n\n,,,,\n\n2026-09,TH,T000001,ten,USD\n"),
        "blank lines before a bad row (the error must name line 6)")
revenue("revenue_header_only.csv", csv(REV_HEAD), "a header and no lines")
revenue("revenue_gross_too_large.csv", csv(REV_HEAD + "2026-09,TH,T000001,9200000000000,USD\n2026-09,TH,T000001,9.2e12,USD\n"),
        "a gross of 9.2e12")
revenue("revenue_nan_inf.csv", csv(REV_HEAD + "2026-09,TH,T000001,NaN,USD\n2026-09,TH,T000001,inf,USD\n"), "NaN and infinite grosses")
revenue("revenue_replaced_currencies.csv", csv(REV_HEAD + "2024-01,HR,T000001,10,HRK\n2026-09,CW,T000001,10,ANG\n"),
        "kuna in 2024, Antillean guilders in 2026-09")
revenue("revenue_eidr_forms.csv",
        csv("Period,Country,EIDR,Gross,Currency\n2026-09,TH,md:cid:eidr-s:7791-8534-2C23-9030-8610-5,10,USD\n"
            "2026-09,TH,doi:10.5240/7791-8534-2C23-9030-8610-5,11,USD\n"
            "2026-09,TH,https://doi.org/10.5240/7791-8534-2C23-9030-8610-5,12,USD\n"),
        "EIDRs written three ways, all T000003",
        mapping={"period": "Period", "territory": "Country", "eidr": "EIDR", "gross_amount": "Gross", "currency": "Currency"})
revenue("revenue_control_characters.csv", csv("Period,Country,Title,Gross,Currency\n2026-09,TH,Bride\u202e,10,USD\n"),
        "a right-to-left override in a title name",
        mapping={"period": "Period", "territory": "Country", "title_name": "Title", "gross_amount": "Gross", "currency": "Currency"})
revenue("revenue_formula_no_result.xlsx", sheet([["Period", "Country", "Series", "Gross", "Currency"],
                                                 ["2026-09", "TH", "T000001", "=100*2", "USD"]]),
        "a gross that is a formula with no saved result")
revenue("revenue_blank_rows_then_bad.xlsx", sheet([["Period", "Country", "Series", "Gross", "Currency"],
                                                   ["2026-09", "TH", "T000001", 10, "USD"], [], [" "], [],
                                                   ["2026-09", "TH", "T000001", "ten", "USD"]]),
        "blank rows in a workbook before a bad row (row 6)")
revenue("revenue_truncated.xlsx", sheet([["Period", "Country", "Series", "Gross", "Currency"],
                                         ["2026-09", "TH", "T000001", 10, "USD"]])[:1500], "a workbook cut off")
revenue("revenue_text_as_workbook.xlsx", csv(REV_HEAD + "2026-09,TH,T000001,10,USD\n"), "a CSV text file named .xlsx")
revenue("revenue_uk_and_kosovo.csv", csv(REV_HEAD + "2026-09,UK,T000001,10,USD\n2026-09,XK,T000001,11,EUR\n"),
        "UK for the United Kingdom, XK for Kosovo (no ISO 3166-1 code)")
revenue("revenue_unmapped_type.csv", csv("Period,Country,Series,Type,Gross,Currency\n2026-09,TH,T000001,Coins,10,USD\n"
                                         "2026-09,TH,T000001,refund,-2,USD\n"),
        "a revenue type word the mapping does not name (refund)",
        mapping=REV_MAPPING | {"revenue_type": "Type"}, revenue_types={"coins": "unlocks"})
revenue("revenue_bad_period_end.csv", csv("Period Start,Period End,Country,Series,Gross,Currency\n"
                                          "2026-09-01,2026-09-31,TH,T000001,10,USD\n"),
        "a period end that is no day (reported against Period End, not Period Start)",
        mapping={"period_start": "Period Start", "period_end": "Period End", "territory": "Country", "title_id": "Series",
                 "gross_amount": "Gross", "currency": "Currency"})
revenue("revenue_auto_thousands.csv", csv(REV_HEAD + "2026-09,TH,T000001,20.50,USD\n2026-09,TH,T000001,20.000,USD\n"),
        "20.000 with no decimal separator declared, among plain numbers (the fast path must refuse it too)")


def main() -> None:
    names = [c["file"] for c in CASES]
    assert len(names) == len(set(names)), "a file name twice"
    for old in HERE.iterdir():
        if old.suffix in (".csv", ".xlsx", ".xls") and old.name not in names:
            old.unlink()
    for entry in CASES:
        (HERE / entry["file"]).write_bytes(entry["_content"])
    manifest = {"about": "Hostile files of issue 16 and what each reader must make of them; written by make_corpus.py "
                         "(edit that, not this)", "world": WORLD,
                "cases": [{k: v for k, v in c.items() if not k.startswith("_")} for c in CASES]}
    (HERE / "expected.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for entry in CASES:
        counts[entry["reader"]] = counts.get(entry["reader"], 0) + 1
    print(f"{len(CASES)} files: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
