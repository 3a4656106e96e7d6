"""Deal expenses from a spreadsheet (CSV or XLSX), one expense a row, all or nothing.

The file is read strictly, because an expense is recouped from what a participant is paid: a
date is ISO (YYYY-MM-DD) or a real spreadsheet date, never 03/04/2026; an amount is digits with
an optional point and no thousands separator, and has no more decimals than its currency has
(so '1.234' in US dollars, a European thousand or a typo, is refused rather than guessed).
A row identical to an expense already saved for the deal (same day, category, amount, currency
and description) is refused too: importing the same file twice must not recoup it twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.catalogue import MAX_NAME
from rightsdesk.domain.enums import ExpenseCategory
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.reference import currency_problem
from rightsdesk.domain.reading import Refused, clean_text, parse_date, parse_decimal, parse_yes_no, shown
from rightsdesk.domain.revenue import FileProblem
from rightsdesk.persistence.models import Deal, Expense
from rightsdesk.services import reference
from rightsdesk.services.revenue import ImportRefused
from rightsdesk.services.spreadsheets import read_records
from rightsdesk.services.royalty_terms import ExpenseDraft, save_expense

# The columns an expenses file may have, under any of these headers (case, '_' and '-' ignored).
HEADERS: dict[str, tuple[str, ...]] = {
    "deal": ("deal", "deal reference", "deal ref", "deal no", "reference", "contract"),
    "date": ("date", "incurred on", "incurred", "expense date", "day"),
    "category": ("category", "type", "kind", "expense category"),
    "amount": ("amount", "cost", "value", "expense"),
    "currency": ("currency", "ccy", "cur"),
    "recoupable": ("recoupable", "recoup", "recoupable?"),
    "description": ("description", "notes", "note", "memo", "details"),
}
REQUIRED = ("deal", "date", "category", "amount", "currency")


@dataclass(frozen=True)
class _Row:
    deal_id: int
    draft: ExpenseDraft


def import_expenses(session: Session, file_name: str, content: bytes, *, user: str, encoding: str | None = None) -> int:
    """Save every row of the file as an expense of the deal it names; returns how many. A file
    with any problem saves nothing and lists every problem (row, column, value, reason). CSV
    text is read in its declared `encoding` (UTF-8 or a BOM by default), strictly."""
    table = read_records(content, file_name, encoding=encoding)
    columns = _columns(table.headers, table.header_row)
    if not table.rows:
        raise UserError(f"{file_name} holds no expenses below its header row")
    deals = dict(session.execute(select(Deal.reference, Deal.id)).all())
    currencies = reference.currency_codes(session)
    places = reference.minor_units(session)
    saved = _saved_expenses(session)
    problems: list[FileProblem] = []
    rows = []
    in_file: dict[tuple[object, ...], int] = {}  # each expense once: a repeated row would be recouped twice
    for number, row in table.rows:
        parsed = _row(number, row, table.headers, columns, deals, currencies, places, problems)
        if parsed is None:
            continue
        key = (parsed.deal_id, *_key(parsed.draft))
        if key in saved:
            problems.append(FileProblem(number, "", "", "the deal already has this expense (same date, category, "
                                                         "amount, currency and description)"))
            continue
        if key in in_file:
            problems.append(FileProblem(number, "", "", f"the same expense as row {in_file[key]} (same deal, date, "
                                                         "category, amount, currency and description)"))
            continue
        in_file[key] = number
        rows.append(parsed)
    if problems:
        raise ImportRefused(problems)
    for parsed in rows:
        save_expense(session, parsed.deal_id, parsed.draft, user=user)
    return len(rows)


def _columns(headers: list[str], header_row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = " ".join(header.lower().replace("_", " ").replace("-", " ").split())
        for name, names in HEADERS.items():
            if key in names and name not in found:
                found[name] = position
                break
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        shown = ", ".join(h for h in headers if h) or "none"
        raise ImportRefused([FileProblem(header_row, name, "", f"no such column (say it as one of: {', '.join(HEADERS[name])}); "
                                                      f"the file's columns are {shown}") for name in missing])
    return found


def _key(draft: ExpenseDraft) -> tuple[Any, ...]:
    return draft.incurred_on, draft.category, draft.amount, draft.currency, draft.description


def _saved_expenses(session: Session) -> set[tuple[Any, ...]]:
    return {(deal_id, day, category, amount, currency, description) for deal_id, day, category, amount, currency, description
            in session.execute(select(Expense.deal_id, Expense.incurred_on, Expense.category, Expense.amount,
                                      Expense.currency, Expense.description))}


def _row(number: int, row: list[Any], headers: list[str], columns: dict[str, int], deals: dict[str, int],
         currencies: set[str], places: dict[str, int], problems: list[FileProblem]) -> _Row | None:
    before = len(problems)

    def cell(name: str) -> Any:
        position = columns.get(name)
        value = row[position] if position is not None and position < len(row) else None
        return value.strip() if isinstance(value, str) else value

    def problem(name: str, reason: str) -> None:
        problems.append(FileProblem(number, headers[columns[name]], shown(cell(name)), reason))

    reference_text = str(cell("deal") or "")
    deal_id = deals.get(reference_text)
    if deal_id is None:
        problem("deal", "is empty" if not reference_text else "is not the reference of a deal")
    try:
        day = parse_date(cell("date"), "iso")
    except Refused as refused:
        day = None
        # An expenses file has no mapping to declare day-first or month-first: it takes ISO.
        problem("date", "is not a date written YYYY-MM-DD (or a spreadsheet date)" if "day-first" in str(refused)
                else str(refused))
    category = next((c for c in ExpenseCategory if c.value == str(cell("category") or "").lower()), None)
    if category is None:
        problem("category", f"is not one of {', '.join(c.value for c in ExpenseCategory)}")
    currency = str(cell("currency") or "").upper()
    if currency not in currencies:
        problem("currency", "is not an ISO 4217 currency")
    elif day is not None and (retired := currency_problem(currency, day)):
        problem("currency", retired.removeprefix(f"{currency} "))  # the value shows the code
    amount = _read(parse_decimal, cell, problem, "amount", ".", currency=currency or None)
    written = _written_decimals(cell("amount"))
    if amount is None:
        pass
    elif amount <= 0:
        problem("amount", "an expense is more than zero")
    elif currency in places and written > places[currency] and written == 3:
        # 'Rp 2.500', '20.000': a '.' before three digits in a currency of fewer decimals is a
        # thousands separator the file may not use ('.' is its decimal separator), not 2.5
        problem("amount", f"has 3 decimals after '.' and {currency} has {places[currency]}: write it without thousands "
                          f"separators ({_digits(cell('amount'))}) or with {currency}'s decimals")
    elif currency in places and amount != amount.quantize(Decimal(1).scaleb(-places[currency])):
        problem("amount", f"has more decimals than {currency} has ({places[currency]})")
    recoupable = _read(parse_yes_no, cell, problem, "recoupable") if "recoupable" in columns else None
    recoupable = True if recoupable is None else recoupable  # blank means yes
    description = _read(clean_text, cell, problem, "description") or "" if "description" in columns else ""
    if len(description) > MAX_NAME:
        problem("description", f"is longer than {MAX_NAME} characters")
    if len(problems) > before:
        return None
    return _Row(deal_id, ExpenseDraft(category=category, incurred_on=day, amount=amount, currency=currency,  # type: ignore[arg-type]
                                      description=description, recoupable=recoupable))


def _written_decimals(value: Any) -> int:
    """How many digits a text amount has after its '.' (0 for spreadsheet numbers)."""
    match = re.search(r"\.(\d+)\D*$", value) if isinstance(value, str) else None
    return len(match.group(1)) if match else 0


def _digits(value: Any) -> str:
    return "".join(c for c in str(value) if c.isdigit())


def _read(reader: Any, cell: Any, problem: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """A cell read by the file's convention, or None with the problem recorded."""
    try:
        return reader(cell(name), *args, **kwargs)
    except Refused as refused:
        problem(name, str(refused))
        return None
