"""The licensing reports: each a name, its options and a builder from the database to a `Report`
(plain data, services/report_layout.py), which reports/document.py renders as a PDF and a workbook.

The command line (`rightsdesk report NAME`) and the reports screen are both built from
`REPORTS`, so a report added here appears in both with the same options and the same checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain.avails import DateMatch
from rightsdesk.domain.catalogue import parse_episode_numbers
from rightsdesk.domain.enums import DealDirection, LicenceStatus, LocalizationKind, LocalizationStatus, WindowStatus
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.domain.localization import LABELS as LOCALIZATION_LABELS
from rightsdesk.domain.music import episodes_text
from rightsdesk.persistence.models import Deal, Library, Party, Statement
from rightsdesk.services import (
    audit_log_report,
    avails,
    avails_report,
    catalogue,
    cue_sheet_report,
    deals,
    licensing,
    royalty_terms,
    windows,
)
from rightsdesk.services.report_layout import Column, Report, Table
from rightsdesk.services.listing import ListQuery

# Colours shared with the screens: green done, amber on the way, red blocked, grey not asked.
GOOD, WAITING, BAD, NONE = "#C8E6C9", "#FFF3B0", "#F8B4B4", "#E0E0E0"
LOCALIZATION_COLOURS = {
    LocalizationStatus.DELIVERED: GOOD, LocalizationStatus.IN_QC: "#E6F0B4",
    LocalizationStatus.IN_PROGRESS: WAITING, LocalizationStatus.NOT_STARTED: NONE, LocalizationStatus.REJECTED: BAD,
}
KIND_SHORT = {LocalizationKind.SUBTITLES: "Subs", LocalizationKind.DUB: "Dub", LocalizationKind.METADATA_ARTWORK: "Meta"}


@dataclass(frozen=True)
class Option:
    name: str  # the key, and --name on the command line
    label: str
    kind: str = "text"  # text, date, choice, bool, library, deal, title, episodes
    choices: tuple[str, ...] = ()
    default: str = ""
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str
    description: str
    options: tuple[Option, ...]
    build: Callable[[Session, dict[str, Any], date], Report]


def parse_options(options: Sequence[Option], given: Mapping[str, str], session: Session) -> dict[str, Any]:
    """The options as typed (text) turned into values; every problem is reported at once."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for option in options:
        text = str(given.get(option.name) or option.default or "").strip()
        if not text:
            if option.required:
                problems.append(f"{option.label}: required")
            values[option.name] = False if option.kind == "bool" else None
            continue
        try:
            values[option.name] = _value(option, text, session)
        except ValueError as error:
            problems.append(f"{option.label}: {error}")
    if problems:
        raise ValidationError(problems)
    return values


def _value(option: Option, text: str, session: Session) -> Any:
    if option.kind == "date":
        if text.lower() == "open":
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    if option.kind == "choice":
        if text.lower() not in option.choices:
            raise ValueError(f"'{text}' is not one of {', '.join(option.choices)}")
        return text.lower()
    if option.kind == "bool":
        return text.lower() in ("1", "yes", "true", "on")
    if option.kind == "library":
        found = session.scalar(select(Library.id).where((Library.code == text) | (Library.id == _number(text))))
        if found is None:
            raise ValueError(f"no library '{text}'")
        return found
    if option.kind == "title":
        found = catalogue.title_id_of(session, text)
        if found is None:
            raise ValueError(f"no title '{text}' (give its internal ID or original name)")
        return found
    if option.kind == "episodes":
        return parse_episode_numbers(text)
    if option.kind == "deal":
        found = deals.deal_id_of(session, text)
        if found is None:
            raise ValueError(f"no deal '{text}'")
        return found
    return text


def _number(text: str) -> int:
    return int(text) if text.isdigit() else -1


def build(name: str, given: Mapping[str, str], session: Session, today: date | None = None) -> Report:
    kind = REPORTS.get(name)
    if kind is None:
        raise UserError(f"there is no report '{name}'; choose one of {', '.join(REPORTS)}")
    return kind.build(session, parse_options(kind.options, given, session), today or date.today())


def _words(text: str | None) -> tuple[str, ...]:
    """Codes typed in one box, separated by commas or spaces."""
    return tuple((text or "").replace(",", " ").split())


def _asked(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _title_filter(session: Session, options: dict[str, Any]) -> tuple[list[int] | None, str]:
    ids = licensing.title_ids_in(session, library_id=options.get("library"), deal_id=options.get("deal"),
                                 text=options.get("title") or "", territory=options.get("licensed_in") or "")
    words = []
    if options.get("library"):
        words.append(f"library {licensing.library_of(session, options['library'])}")
    if options.get("deal"):
        words.append(f"titles of deal {session.get(Deal, options['deal']).reference}")  # type: ignore[union-attr]
    if options.get("licensed_in"):
        words.append(f"titles licensed out in {options['licensed_in'].upper()}")
    if options.get("title"):
        words.append(f"titles matching “{options['title']}”")
    return ids, _asked(*words) or "every title"


# -- the reports ----------------------------------------------------------------------------------


def _avails(session: Session, options: dict[str, Any], today: date) -> Report:
    titles = tuple(avails.resolve_title(session, t) for t in _words(options["titles"]))
    if not titles and options["library"] is None:
        raise ValidationError(["Titles or Library: say which titles to ask about"])
    answer = avails.ask(session, avails.AvailsRequest(
        territories=options["territory"], start=options["start"] or today, end=options["end"], titles=titles,
        library_id=None if titles else options["library"],
        media=_words(options["media"]), languages=_words(options["languages"]),
        exclusive=options["exclusive"], match=DateMatch.ANY_PART if options["any_part"] else DateMatch.WHOLE_TERM,
        music=options["music"], localized_in=_words(options["localized_in"])))
    return avails_report.report(answer)


def _expiring(session: Session, options: dict[str, Any], today: date) -> Report:
    days = int(options["days"])
    directions = [DealDirection(options["direction"])] if options["direction"] in ("in", "out") else list(DealDirection)
    report = Report(f"Rights expiring in the next {days} days",
                    _asked(f"{today} to {today + timedelta(days=days)}",
                           "rights acquired (IN) and licensed (OUT)" if len(directions) == 2 else
                           ("rights acquired (IN)" if directions[0] is DealDirection.IN else "rights licensed (OUT)")))
    columns = (Column("Ends", "date", 0.8), Column("Days left", "number", 0.6), Column("Deal", width=1.1),
               Column("Counterparty", width=1.5), Column("Titles", width=2.4), Column("Territories", width=1.6),
               Column("Media", width=0.9), Column("Exclusive", width=0.7), Column("Deal status", width=0.8))
    for direction in directions:
        lines = licensing.expiring_grants(session, today=today, days=days, direction=direction)
        table = Table("Acquired rights (IN) expiring" if direction is DealDirection.IN else "Licensed rights (OUT) expiring",
                      columns, [(l.term_end, (l.term_end - today).days, l.deal_reference, l.counterparty, l.titles,  # type: ignore[operator]
                                 l.territories, l.media, l.exclusive, l.deal_status.value) for l in lines],
                      empty=f"No {direction.value.upper()} rights end in the next {days} days.")
        table.colours = {(n, 1): BAD if row[1] <= 30 else WAITING if row[1] <= 90 else NONE
                         for n, row in enumerate(table.rows)}
        report.tables.append(table)
    report.legend = [(BAD, "ends within 30 days"), (WAITING, "within 90 days"), (NONE, "later")]
    return report


def _windows(session: Session, options: dict[str, Any], today: date) -> Report:
    start = options["start"] or today
    end = options["end"] or start + relativedelta(years=1)  # 29 February → 28 February
    title_ids, which = _title_filter(session, options)
    views = windows.windows_between(session, start, end, territory=options["territory"], media=options["media"],
                                    title_ids=title_ids)
    table = Table("Release windows", (
        Column("Starts", "date", 0.8), Column("Ends", "date", 0.8), Column("Title", width=2.2),
        Column("Territory", width=0.6), Column("Media", width=0.6), Column("Deal", width=1.1),
        Column("Exclusive", width=0.6), Column("Status", width=0.8), Column("Flags", width=3.0)),
        [(v.window.start, v.window.end or "open", v.title_name, v.window.territory, v.window.media, v.deal_reference,
          v.window.exclusive, v.window.status.value, "; ".join(f.explanation for f in v.flags)) for v in views],
        empty="No windows in these dates.")
    table.colours = {(n, -1): BAD for n, v in enumerate(views) if v.flags}
    table.colours.update({(n, 7): NONE for n, v in enumerate(views) if v.window.status is WindowStatus.CANCELLED})
    return Report("Release window schedule", _asked(f"{start} to {end}", options["territory"] or "every territory",
                                                    options["media"] or "every media", which),
                  facts=[("Windows", str(len(views))), ("Flagged", str(sum(1 for v in views if v.flags)))],
                  tables=[table], legend=[(BAD, "flagged: outside rights, under a holdback or clashing")])


def _music(session: Session, options: dict[str, Any], today: date) -> Report:
    title_ids, which = _title_filter(session, options)
    uses = licensing.music_uses(session, title_ids)
    rows, colours = [], {}
    for use in uses:
        in_force = [l for l in use.licences if l.in_force(today)]
        pending = [l for l in use.licences if l.status in (LicenceStatus.REQUESTED, LicenceStatus.QUOTED)]
        if in_force:
            state, colour = "cleared", GOOD
            shown = in_force
        elif pending:
            state, colour, shown = "waiting for an answer", WAITING, pending
        else:
            lapsed = [l for l in use.licences if l.status is LicenceStatus.CLEARED]
            state = "licence expired" if lapsed else "denied" if use.licences else "no licence"
            colour, shown = BAD, use.licences[-1:]
        licence = shown[0] if shown else None
        colours[(len(rows), 4)] = colour
        rows.append((use.title, use.track, episodes_text(use.episodes), use.cue_count, state,
                     licence.rights if licence else "", licence.licensor if licence else "",
                     licence.territories if licence else "", licence.media if licence else "",
                     licence.term_end if licence else None, licence.fee if licence else None,
                     licence.currency if licence else ""))
    table = Table("Music in the cue sheets", (
        Column("Title"), Column("Track", width=1.5), Column("Episodes", width=1.0),
        Column("Cues", "number", 0.5), Column("Clearance", width=1.1), Column("Rights", width=0.9),
        Column("Licensor", width=1.4), Column("Territories", width=1.0), Column("Media", width=1.6),
        Column("Term end", "date", 0.7), Column("Fee", "amount", 0.7), Column("Currency", width=0.75)),
        rows, colours, empty="No cue sheets for these titles.", group_by=0)
    states = [r[4] for r in rows]
    return Report("Music clearance status", _asked(f"as of {today}", which),
                  facts=[("Tracks in use", str(len(rows))), ("Cleared", str(states.count("cleared"))),
                         ("Waiting", str(states.count("waiting for an answer"))),
                         ("Blocked", str(len(rows) - states.count("cleared") - states.count("waiting for an answer")))],
                  tables=[table], legend=[(GOOD, "cleared today"), (WAITING, "requested or quoted"),
                                          (BAD, "no licence, denied or expired")])


def _localization(session: Session, options: dict[str, Any], today: date) -> Report:
    title_ids, which = _title_filter(session, options)
    languages = _words(options["languages"])
    matrix = licensing.readiness_matrix(session, title_ids=title_ids, languages=languages, today=today)
    rows, colours = [], {}
    for row_number, (title_id, name) in enumerate(matrix.titles):
        row: list[Any] = [name]
        for column, language in enumerate(matrix.languages, start=1):
            kinds = matrix.cells.get((title_id, language), {})
            status = matrix.status(title_id, language)
            text = " · ".join(f"{KIND_SHORT[k]} {LOCALIZATION_LABELS[kinds[k]]}" for k in KIND_SHORT if k in kinds)
            overdue = matrix.overdue.get((title_id, language))
            row.append(text + (f" ({overdue} overdue)" if overdue else "") if kinds else "—")
            if status is not None:
                colours[(row_number, column)] = LOCALIZATION_COLOURS[status]
        rows.append(row)
    table = Table("Readiness by title and language", [Column("Title", width=2.0)]
                  + [Column(language, width=1.2) for language in matrix.languages], rows, colours,
                  empty="No localization tasks for these titles.",
                  note="Each cell: subtitles, dub and metadata/artwork, each as far as its least advanced task.")
    ready = sum(1 for (t, lang), kinds in matrix.cells.items() if matrix.status(t, lang) is LocalizationStatus.DELIVERED)
    return Report("Localization readiness", _asked(which, "languages " + ", ".join(languages) if languages else "every language"),
                  facts=[("Titles", str(len(matrix.titles))), ("Languages", str(len(matrix.languages))),
                         ("Title × language ready", f"{ready} of {len(matrix.cells)}"),
                         ("Tasks overdue", str(sum(matrix.overdue.values())))],
                  tables=[table], legend=[(LOCALIZATION_COLOURS[s], LOCALIZATION_LABELS[s]) for s in reversed(
                      (LocalizationStatus.REJECTED, LocalizationStatus.NOT_STARTED, LocalizationStatus.IN_PROGRESS,
                       LocalizationStatus.IN_QC, LocalizationStatus.DELIVERED))])


def _deal(session: Session, options: dict[str, Any], today: date) -> Report:
    deal_id = options["deal"]
    deal = session.get(Deal, deal_id)
    assert deal is not None  # parse_options found it
    draft = deals.load_deal(session, deal_id)
    grants = licensing.grant_lines(session, draft)
    report = Report(f"Deal summary: {deal.reference}", _asked(
        "rights acquired (IN)" if deal.direction is DealDirection.IN else "rights licensed (OUT)", f"as of {today}"),
        facts=[("Reference", deal.reference), ("Direction", deal.direction.value.upper()),
               ("Counterparty", _party(session, deal.counterparty_id)), ("Status", deal.status.value),
               ("Signed", str(deal.signed_on or "not signed")), ("Currency", deal.currency)]
        + ([("Notes", deal.notes)] if deal.notes else []))
    report.tables.append(Table("Grants", (
        Column("Grant", "number", 0.5), Column("Titles", width=2.6), Column("Territories", width=1.6),
        Column("Media", width=0.9), Column("Languages", width=0.8), Column("Exclusive", width=0.6),
        Column("From", "date", 0.7), Column("To", "date", 0.7)),
        [(g.grant_id, g.titles, g.territories, g.media, g.languages, g.exclusive,
          g.term_start or ("not yet known" if g.pending else ""), g.term_end or ("not yet known" if g.pending else "open"))
         for g in grants], empty="This deal has no grants yet."))
    counted = [(g.id, g.event_term().describe(), g.pending or f"{g.term_anchor_on}") for g in draft.grants  # type: ignore[union-attr]
               if g.event_term() is not None]
    if counted:
        report.tables.append(Table("Terms counted from an event", (
            Column("Grant", "number", 0.5), Column("Term", width=2.5), Column("Event", width=3)), counted))
    options = [(g.id, o.describe(), o.notice_deadline,
                f"exercised on {o.exercised_on}" + (f" by {o.exercised_by}" if o.exercised_by else "") if o.exercised_on else "open")
               for g in draft.grants for o in g.options]
    if options:
        report.tables.append(Table("Options to extend", (
            Column("Grant", "number", 0.5), Column("Option", width=3.2), Column("Last day", "date", 0.8),
            Column("Exercised", width=1.5)), options))
    holdbacks = [(g.id, h.description, ", ".join(h.media), h.territories.describe(), h.starts_on, h.ends_on,
                  f"{h.days_after_release} days after {h.after_release_of}" if h.after_release_of else "")
                 for g in draft.grants for h in g.holdbacks]
    if holdbacks:
        report.tables.append(Table("Holdbacks", (
            Column("Grant", "number", 0.5), Column("What", width=2), Column("Media", width=1),
            Column("Territories", width=1.5), Column("From", "date", 0.7), Column("To", "date", 0.7),
            Column("After release", width=1.3)), holdbacks))
    terms = royalty_terms.load_terms(session, deal_id)
    if terms is not None:
        report.tables.append(Table("Royalty terms", (Column("Term", width=1.5), Column("Value", width=4)), [
            ("Participant", _party(session, terms.participant_id)), ("Currency", terms.currency),
            ("Distribution fee", f"{terms.default_fee_percent.normalize():f} %"),
            *((f"Fee on {media or 'any media'} in {territory or 'any territory'}", f"{percent.normalize():f} %")
              for media, territory, percent in terms.fee_rates),
            ("Expense cap", f"{terms.expense_cap:,.2f}" if terms.expense_cap is not None else "no cap"),
            ("Minimum guarantee", "; ".join(
                f"{amount:,.2f} paid {paid_on}" + (f" for {deals.title_names(session, [title_id]).get(title_id, title_id)}" if title_id else "")
                for amount, paid_on, title_id in terms.mg_payments) or "none"),
            *((f"Share from cumulative net {low:,.0f}", f"{percent.normalize():f} %") for low, percent in terms.tiers),
            ("Cross-collateralized", "yes" if terms.cross_collateralized else "no, titles stand alone"),
            ("Withholding tax", f"{terms.withholding_percent.normalize():f} %"),
            ("Statements", terms.frequency.value), ("FX rate date", terms.fx_date_rule.value.replace("_", " ")),
        ]))
    spent = royalty_terms.expenses(session, deal_id)
    if spent:
        report.tables.append(Table("Expenses", (
            Column("Incurred", "date", 0.8), Column("Category", width=1), Column("Description", width=3),
            Column("Amount", "amount", 1), Column("Currency", width=0.6), Column("Recoupable", width=0.7)),
            [(e.incurred_on, e.category.value, e.description, e.amount, e.currency, e.recoupable) for e in spent]))
    views = windows.windows_between(session, date.min, date.max, grant_ids=[g.grant_id for g in grants])
    if views:
        report.tables.append(Table("Release windows under this deal", (
            Column("Starts", "date", 0.8), Column("Ends", "date", 0.8), Column("Title", width=2),
            Column("Territory", width=0.6), Column("Media", width=0.6), Column("Status", width=0.8),
            Column("Flags", width=3)),
            [(v.window.start, v.window.end or "open", v.title_name, v.window.territory, v.window.media,
              v.window.status.value, "; ".join(f.explanation for f in v.flags)) for v in views]))
    issued = session.scalars(select(Statement).where(Statement.deal_id == deal_id).order_by(Statement.period_start)).all()
    if issued:
        report.tables.append(Table("Statements", (
            Column("Period", width=0.7), Column("Number", width=1.1), Column("Status", width=0.7),
            Column("Currency", width=0.6), Column("Gross receipts", "amount", 1), Column("Net receipts", "amount", 1),
            Column("Share", "amount", 1), Column("MG recouped", "amount", 1), Column("Paid", "amount", 1)),
            [(s.period_label, s.number or "draft", s.status.value, s.currency, s.gross_receipts, s.net_receipts,
              s.participant_share, s.mg_recouped, s.paid) for s in issued]))
    return report


def _party(session: Session, party_id: int | None) -> str:
    party = session.get(Party, party_id) if party_id else None
    return party.name if party else ""


def _catalogue(session: Session, options: dict[str, Any], today: date) -> Report:
    title_ids, which = _title_filter(session, options)
    ids = catalogue.find_title_ids(session, ListQuery(sort="original_name"))
    if title_ids is not None:
        chosen = set(title_ids)
        ids = [i for i in ids if i in chosen]
    rows = catalogue.title_rows(session, ids)
    listed = [rows[i] for i in ids if i in rows]
    table = Table("Titles", (
        Column("ID", width=0.7), Column("Title", width=2), Column("English title", width=1.8),
        Column("Language", width=0.6), Column("Origin", width=0.5), Column("Genre", width=0.9),
        Column("Year", "text", 0.4), Column("Producer", width=1.4), Column("Episodes", "number", 0.6),
        Column("Runtime (min)", "number", 0.7)),
        [(r.internal_id, r.original_name, r.english_name, r.original_language, r.country_of_origin, r.genre,
          str(r.production_year or ""), r.producer, r.episode_count, round(r.runtime_seconds / 60)) for r in listed],
        empty="No titles match.")
    return Report("Catalogue", which, facts=[
        ("Titles", str(len(listed))), ("Episodes", str(sum(r.episode_count for r in listed))),
        ("Runtime", f"{sum(r.runtime_seconds for r in listed) / 3600:,.1f} hours")], tables=[table])


_TITLES = (Option("library", "Library", "library", help="code or number"),
           Option("deal", "Deal", "deal", help="reference or number: the titles it grants"),
           Option("title", "Titles matching", help="part of a name or ID"))
REPORTS: dict[str, ReportKind] = {kind.name: kind for kind in (
    ReportKind("avails", "Avails", "What can still be licensed: titles × territories × media over a term.", (
        Option("titles", "Titles", help="internal IDs, e.g. T000001 T000002"),
        Option("library", "Library", "library", help="every title of a library (when no titles are given)"),
        Option("territory", "Territories", required=True, default="WORLD", help="e.g. 'WORLD -CN' or 'US CA'"),
        Option("media", "Media", help="codes; default every media"),
        Option("languages", "Languages", help="BCP 47 tags; default every language"),
        Option("start", "From", "date", required=True, help="YYYY-MM-DD"),
        Option("end", "To", "date", default="open", help="YYYY-MM-DD or open"),
        Option("exclusive", "Exclusive", "bool"), Option("any_part", "Any part of the term", "bool"),
        Option("music", "Music cleared", "bool", help="also require every cue's music to be cleared"),
        Option("localized_in", "Localized in", help="BCP 47 tags the licensee requires subtitles or a dub in")), _avails),
    ReportKind("expiring", "Expiring rights", "Grants whose term ends soon, acquired (IN) and licensed (OUT).", (
        Option("days", "Within (days)", "choice", ("30", "90", "180"), "90", help="days from today"),
        Option("direction", "Direction", "choice", ("both", "in", "out"), "both")), _expiring),
    ReportKind("windows", "Window schedule", "Release windows running between two dates, with their flags.", (
        Option("start", "From", "date", help="default today"), Option("end", "To", "date", help="default a year on"),
        Option("territory", "Territory", help="a country code"), Option("media", "Media", help="a media code"),
        *_TITLES), _windows),
    ReportKind("music", "Music clearance", "Every track in the cue sheets and whether a licence clears it today.",
               _TITLES, _music),
    ReportKind("localization", "Localization readiness", "Titles × languages: subtitles, dubs and metadata by status.",
               (*_TITLES, Option("licensed_in", "Licensed in", help="a country code: titles licensed out there"),
                Option("languages", "Languages", help="BCP 47 tags; default every language with tasks")),
               _localization),
    ReportKind("cue_sheet", "Cue sheet", "A title's cues per episode in the layout collecting societies expect.", (
        Option("title", "Title", "title", required=True, help="internal ID or original name"),
        Option("episodes", "Episodes", "episodes", help="e.g. 1-5, 8; default every episode")), cue_sheet_report.build),
    ReportKind("deal", "Deal summary", "One deal with its grants, holdbacks, royalty terms, windows and statements.",
               (Option("deal", "Deal", "deal", required=True, help="reference or number"),), _deal),
    ReportKind("catalogue", "Catalogue", "Titles with their episodes and runtime.", _TITLES, _catalogue),
    ReportKind("audit_log", "Audit log", "Who changed what and when, before and after: one record's history or all.", (
        Option("kind", "Record kind", "choice", audit_log_report.KIND_CHOICES, "any"),
        Option("record", "Record", help="deal reference, title ID or record number; default every record"),
        Option("start", "From", "date", help="YYYY-MM-DD"), Option("end", "To", "date", help="YYYY-MM-DD"),
        Option("user", "By", help="user name")), audit_log_report.build),
)}
