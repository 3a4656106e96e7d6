"""Bulk entry of deals: a documented Excel template, and its import (all or nothing).

Sheet "Deals" holds one deal a row with its royalty terms; sheet "Grants" one grant a row,
tied to its deal by reference; sheet "Instructions" says how to fill them (docs/deals-template.md
says the same). Every deal goes through the same service as the deal editor, so validation and
conflict checks are the same: one bad cell or one clash and nothing is imported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.domain.deal_template import (DEAL_COLUMNS, GRANT_COLUMNS, MG_PAYMENT_COLUMNS, OPTIONAL_DEAL_COLUMNS,
                                             OPTIONAL_GRANT_COLUMNS)
from rightsdesk.domain import terms
from rightsdesk.domain.enums import DealDirection, DealStatus, FxDateRule, StatementFrequency, TermAnchor
from rightsdesk.domain.errors import Problem, UserError, ValidationError
from rightsdesk.domain.reading import (Refused, clean_text, parse_date, parse_decimal,
                                       parse_yes_no, shown)
from rightsdesk.domain.reference import currency_problem
from rightsdesk.domain.revenue import FileProblem
from rightsdesk.domain.rights import DealDraft, GrantDraft, GrantTitleDraft
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.persistence.models import Episode, Library, Party, Title
from rightsdesk.services import deals, reference, royalty_terms
from rightsdesk.services.royalty_terms import TermsDraft
from rightsdesk.services.spreadsheets import Spreadsheet, sheet_table

# The template's own conventions (docs/deals-template.md): numbers are spreadsheet numbers, or
# text that reads one way only; dates are spreadsheet dates or ISO 8601 text.
DATE_FORMAT = "a date: an Excel date or ISO 2026-07-01"

@dataclass
class ImportReport:
    deals: list[str]
    grants: int


_TITLE = re.compile(r"^\s*([^\[\]]+?)\s*(?:\[\s*(\d+)\s*-\s*(\d+)\s*\])?\s*$")


def import_deals(session: Session, content: bytes, *, user: str) -> ImportReport:
    book = Spreadsheet(content)
    missing = [name for name in ("Deals", "Grants") if name not in book.sheet_names]
    if missing:
        raise UserError(f"the workbook has no sheet {' or '.join(missing)}; start from `rightsdesk template deals FILE`")
    problems: list[FileProblem] = []
    deal_rows = sheet_table(book, "Deals", DEAL_COLUMNS, problems, optional=OPTIONAL_DEAL_COLUMNS)
    grant_rows = sheet_table(book, "Grants", GRANT_COLUMNS, problems, optional=OPTIONAL_GRANT_COLUMNS)
    payment_rows = sheet_table(book, "MG payments", MG_PAYMENT_COLUMNS, problems) if "MG payments" in book.sheet_names else []
    book.close()
    if problems:
        raise ValidationError([_as_problem(p) for p in problems])
    if not deal_rows:
        raise UserError("the Deals sheet holds no deals below its header")
    parties = dict(session.execute(select(Party.name, Party.id)).all())
    titles = dict(session.execute(select(Title.internal_id, Title.id)).all())
    episodes = dict(session.execute(select(Episode.title_id, func.max(Episode.number)).group_by(Episode.title_id)).all())
    libraries = dict(session.execute(select(Library.code, Library.id)).all())
    groups = reference.territory_groups(session)

    grants_by_deal: dict[str, list[GrantDraft]] = defaultdict(list)
    sheet_rows_of_grants: dict[str, list[int]] = defaultdict(list)  # each grant's row, for its problems
    references = {_text(values["Reference"]) for _, values in deal_rows}
    for row, values in grant_rows:
        def problem(column: str, value: object, reason: str) -> None:
            problems.append(FileProblem(row, f"Grants!{column}", "" if value is None else str(value), reason))
        reference_text = _text(values["Deal reference"])
        if reference_text not in references:  # named by its own row, and not again as the deal's
            problem("Deal reference", reference_text, "is not a reference on the Deals sheet")
            continue
        titles_in = []
        for item in _list(values["Titles"]):
            match = _TITLE.match(item)
            if not match or match.group(1) not in titles:
                problem("Titles", item, "is not a title's internal ID (with an optional [first-last] episode range)")
                continue
            first = int(match.group(2)) if match.group(2) else None
            last = int(match.group(3)) if match.group(3) else None
            held = episodes.get(titles[match.group(1)])
            if first is not None and last is not None and not 1 <= first <= last:
                problem("Titles", item, "has an episode range that runs backwards or starts before episode 1")
                continue
            if last is not None and (held is None or last > held):
                problem("Titles", item, f"has an episode range beyond the title's episodes ({held or 0})")
                continue
            titles_in.append(GrantTitleDraft(titles[match.group(1)], first, last))
        library_ids = []
        for code in _list(values["Libraries"]):
            if code not in libraries:
                problem("Libraries", code, "is not a library code")
            else:
                library_ids.append(libraries[code])
        start, end = _day(values["Start"], "Grants!Start", row, problems), _day(values["End"], "Grants!End", row, problems)
        sheet_rows_of_grants[reference_text].append(row)
        grants_by_deal[reference_text].append(GrantDraft(
            titles=titles_in, libraries=library_ids, territories=TerritoryScope.parse(_text(values["Territories"]), groups),
            media=_list(values["Media"]), languages=_list(values["Languages"]),  # saving finds each medium whatever the case
            term_start=start, term_end=end, exclusive=_yes(values["Exclusive"], "Grants!Exclusive", row, problems),
            sublicensing_allowed=_yes(values["Sublicensing"], "Grants!Sublicensing", row, problems),
            notes=_clean(values["Notes"], "Grants!Notes", row, problems),
            **_event_term(values, start, end, row, problems),
        ))

    payments_by_deal: dict[str, list[tuple[Decimal, date, int | None]]] = defaultdict(list)
    # a payment is in its deal's currency: a symbol or code in the cell must be that one
    currency_of = {_text(values["Reference"]): _text(values["Currency"]).upper() or "USD" for _, values in deal_rows}
    for row, values in payment_rows:
        if _text(values["Deal reference"]) not in references:
            problems.append(FileProblem(row, "MG payments!Deal reference", _text(values["Deal reference"]),
                                        "is not a reference on the Deals sheet"))
            continue
        amount, paid_on = _number(values["Amount"], "MG payments!Amount", row, problems,
                                  currency=currency_of.get(_text(values["Deal reference"]))), \
            _day(values["Paid on"], "MG payments!Paid on", row, problems)
        title_code = _text(values["Title"])
        if title_code and title_code not in titles:
            problems.append(FileProblem(row, "MG payments!Title", title_code, "is not a title's internal ID"))
        if paid_on is None and not _text(values["Paid on"]):
            problems.append(FileProblem(row, "MG payments!Paid on", "", "is needed: the date the MG was paid"))
        if amount is not None and paid_on is not None:
            payments_by_deal[_text(values["Deal reference"])].append((amount, paid_on, titles.get(title_code)))

    drafts: list[tuple[int, DealDraft, TermsDraft | None]] = []
    seen: set[str] = set()
    for row, values in deal_rows:
        def problem(column: str, value: object, reason: str) -> None:
            problems.append(FileProblem(row, f"Deals!{column}", "" if value is None else str(value), reason))
        reference_text = _text(values["Reference"])
        if reference_text in seen:
            problem("Reference", reference_text, "appears twice")
        seen.add(reference_text)
        direction = _text(values["Direction"]).lower()
        if direction not in ("in", "out"):
            problem("Direction", values["Direction"], "is neither IN nor OUT")
            continue
        counterparty = parties.get(_text(values["Counterparty"]))
        if counterparty is None:
            problem("Counterparty", values["Counterparty"], "is not a party in RightsDesk")
        status_text = _text(values["Status"]).lower() or "draft"
        if status_text not in {s.value for s in DealStatus}:
            problem("Status", values["Status"], "is not draft, signed, expired or terminated")
            continue
        signed_on = _day(values["Signed on"], "Deals!Signed on", row, problems)
        currency = _text(values["Currency"]).upper() or "USD"
        if signed_on is not None and (replaced := currency_problem(currency, signed_on)):
            problem("Currency", currency, replaced.removeprefix(f"{currency} "))  # the value shows the code
        deal = DealDraft(DealDirection(direction), counterparty, reference_text, signed_on,
                         DealStatus(status_text), currency,
                         _clean(values["Notes"], "Deals!Notes", row, problems),
                         grants_by_deal.pop(reference_text, []))
        terms = _terms(values, parties, deal.currency, row, problems)
        payments = payments_by_deal.pop(reference_text, [])
        if terms is not None:
            terms.mg_payments += payments
        elif payments:
            problem("Participant", "", "is needed: the MG payments sheet has payments for this deal")
        drafts.append((row, deal, terms))
    if problems:
        raise ValidationError([_as_problem(p) for p in problems])

    saved_refs, grant_count = [], 0
    for row, deal, terms in drafts:
        try:
            saved = deals.save_deal(session, deal, user=user)
            if terms is not None:
                royalty_terms.save_terms(session, saved.deal_id, terms, user=user)
        except ValidationError as error:
            problems += [_where_in_file(p, row, deal.reference, sheet_rows_of_grants[deal.reference])
                         for p in error.problems]
            continue
        except UserError as error:  # a clash, a duplicate reference...
            problems.append(FileProblem(row, "Deals", deal.reference, str(error)))
            continue
        saved_refs.append(deal.reference)
        grant_count += len(deal.grants)
    if problems:
        # Raised inside the caller's transaction: everything saved above rolls back with it.
        raise ValidationError([_as_problem(p) for p in problems])
    return ImportReport(saved_refs, grant_count)


def _terms(values: dict[str, Any], parties: dict[str, int], currency: str, row: int,
           problems: list[FileProblem]) -> TermsDraft | None:
    participant = _text(values["Participant"])
    if not participant:
        return None
    if participant not in parties:
        problems.append(FileProblem(row, "Deals!Participant", participant, "is not a party in RightsDesk"))
        return None

    def number(column: str, empty: Decimal | None = Decimal(0)) -> Decimal | None:
        value = values[column]
        if value is None or _text(value) == "":
            return empty
        try:
            # a currency symbol or code in the cell must be the deal's ('R$' on a USD deal is refused)
            return parse_decimal(value, currency=currency)
        except Refused as refused:
            problems.append(FileProblem(row, f"Deals!{column}", _text(value), str(refused)))
            return empty

    tiers = []
    for pair in [p for p in _text(values["Share tiers"]).split(";") if p.strip()] or ["0:0"]:
        floor, _, percent = pair.partition(":")
        try:
            tiers.append((parse_decimal(floor.strip() or "0"), parse_decimal(percent.strip())))
        except Refused as refused:
            problems.append(FileProblem(row, "Deals!Share tiers", pair, f"is not from:percent, e.g. 0:60 ({refused})"))
    frequency = _text(values["Statements"]).lower() or "quarterly"
    if frequency not in {f.value for f in StatementFrequency}:
        problems.append(FileProblem(row, "Deals!Statements", frequency, "is not monthly, quarterly, semi_annual or annual"))
        frequency = "quarterly"
    cross = _text(values["Cross-collateralized"])
    fx_rule = _text(values["FX rate date"]).lower() or FxDateRule.PERIOD_END.value
    if fx_rule not in {r.value for r in FxDateRule}:
        problems.append(FileProblem(row, "Deals!FX rate date", fx_rule, "is not period_end or line_period_end"))
        fx_rule = FxDateRule.PERIOD_END.value
    periods = number("Reserve periods") or Decimal(0)
    if periods != int(periods):
        problems.append(FileProblem(row, "Deals!Reserve periods", _text(values["Reserve periods"]), "is not a whole number"))
    mg, paid_on = number("MG") or Decimal(0), _day(values["MG paid on"], "Deals!MG paid on", row, problems)
    if mg and paid_on is None and not _text(values["MG paid on"]):
        # a payment counts from the statement whose period holds its date (DOMAIN.md)
        problems.append(FileProblem(row, "Deals!MG paid on", "", "is needed with an MG: the date it was paid"))
    return TermsDraft(
        parties[participant], currency, number("Fee %") or Decimal(0), [], number("Expense cap", None),
        [(mg, paid_on, None)] if mg and paid_on else [], tiers,
        _yes(cross, "Deals!Cross-collateralized", row, problems) if cross else True, number("Withholding %") or Decimal(0),
        StatementFrequency(frequency), fx_date_rule=FxDateRule(fx_rule),
        expense_cap_per_title=_yes(values["Expense cap per title"], "Deals!Expense cap per title", row, problems),
        reserve_percent=number("Reserve %") or Decimal(0), reserve_periods=int(periods),
    )


def _number(value: Any, where: str, row: int, problems: list[FileProblem], *, currency: str | None = None) -> Decimal | None:
    if value is None or _text(value) == "":
        problems.append(FileProblem(row, where, "", "is needed"))
        return None
    try:
        return parse_decimal(value, currency=currency)
    except Refused as refused:
        problems.append(FileProblem(row, where, _text(value), str(refused)))
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _clean(value: Any, where: str, row: int, problems: list[FileProblem]) -> str:
    try:
        return clean_text(value)
    except Refused as refused:
        problems.append(FileProblem(row, where, shown(_text(value)), str(refused)))
        return ""


def _list(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r",(?![^\[]*\])", _text(value)) if part.strip()]


def _yes(value: Any, where: str, row: int, problems: list[FileProblem]) -> bool:
    try:
        return bool(parse_yes_no(value))
    except Refused as refused:
        problems.append(FileProblem(row, where, _text(value), str(refused)))
        return False


def _day(value: Any, where: str, row: int, problems: list[FileProblem]) -> date | None:
    if value is None or _text(value) == "":
        return None
    try:
        return parse_date(value, "iso")
    except Refused as refused:
        problems.append(FileProblem(row, where, _text(value), f"{refused}; the template takes {DATE_FORMAT}"))
        return None


def _event_term(values: dict[str, Any], start: date | None, end: date | None, row: int,
                problems: list[FileProblem]) -> dict[str, Any]:
    """A grant's term counted from an event (Counted from, Lasts, Event on) as GrantDraft fields:
    it starts on the event unless Start is given, and lasts Lasts unless End is given (not both)."""
    counted, lasts = _text(values["Counted from"]), _text(values["Lasts"])
    event_on = _day(values["Event on"], "Grants!Event on", row, problems)
    if not counted:
        for column in ("Lasts", "Event on"):
            if _text(values[column]):
                problems.append(FileProblem(row, f"Grants!{column}", _text(values[column]),
                                            "needs Counted from: the event the term counts from"))
        return {}
    try:
        anchor, media = terms.parse_anchor(counted)
    except ValueError as error:
        problems.append(FileProblem(row, "Grants!Counted from", "", str(error)))
        return {}
    if lasts:
        try:
            lasts = terms.parse_duration(lasts).iso()
        except ValueError as error:
            problems.append(FileProblem(row, "Grants!Lasts", "", str(error)))
        if end is not None:
            problems.append(FileProblem(row, "Grants!End", str(end), "and Lasts both end the term: give one of them"))
    elif start is not None:
        problems.append(FileProblem(row, "Grants!Lasts", "", f"is needed: how long the term runs from {counted}"))
    if anchor is TermAnchor.SIGNATURE and event_on is not None:
        problems.append(FileProblem(row, "Grants!Event on", str(event_on),
                                    "is the deal's Signed on for a term from signature: leave it empty"))
    return dict(term_anchor=anchor, term_anchor_media=media, term_anchor_on=event_on,
                term_start_offset=None if start is not None else "P0D", term_duration=lasts or None)


def _where_in_file(problem: Problem, deal_row: int, reference: str, grant_rows: list[int]) -> FileProblem:
    """A problem the deal service found, placed where the user wrote it: "grant 2: territories"
    is the Grants sheet's row of the deal's second grant, its Territories column."""
    match = re.match(r"^grant (\d+): (.*)$", problem.where)
    if match and 0 < int(match.group(1)) <= len(grant_rows):
        field = match.group(2).split(":")[0].strip()
        return FileProblem(grant_rows[int(match.group(1)) - 1], f"Grants!{field.capitalize()}", "",
                           f"{problem.message} (deal {reference})")
    return FileProblem(deal_row, "Deals", reference, str(problem))


def _as_problem(problem: FileProblem) -> Problem:
    where = f"{problem.column}, row {problem.row}" if problem.row else problem.column
    # control characters in any value shown escaped (a right-to-left override would reverse the message)
    return Problem(where, f"'{shown(problem.value)}' {problem.reason}" if problem.value else problem.reason)
