"""The `rightsdesk` command: the GUI by default, and subcommands for scripted work.

Errors the user can act on print one line and exit non-zero; nothing else is printed on
failure unless RIGHTSDESK_DEBUG is set.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from sqlalchemy.exc import DatabaseError, OperationalError

from rightsdesk import __version__, cli_reference
from rightsdesk.domain.errors import UserError, ValidationError
from rightsdesk.domain.revenue import Options as RevenueOptions
from rightsdesk.persistence import migrate
from rightsdesk.persistence.backup import (backup_folder, backup_sqlite, backups, check_integrity, damage_message,
                                          default_backup_path, restore_sqlite)
from rightsdesk.persistence.database import Database, ReadOnlyDatabase, configured_read_only, database_url
from rightsdesk.domain.words import plural


def _database_option(parser: argparse.ArgumentParser, default: object = None) -> argparse.ArgumentParser:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=default,
        help="database file or SQLAlchemy URL (default: RIGHTSDESK_DB, else rightsdesk.db in your data folder)",
    )
    parser.add_argument(
        "--read-only", action="store_true", default=False if default is None else default,
        help="open the database for review only: nothing can be changed (also RIGHTSDESK_READ_ONLY=1)",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the command; the commands' copy must not reset
    # a value given before them, hence SUPPRESS.
    database = _database_option(argparse.ArgumentParser(add_help=False), default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="rightsdesk",
        description="Rights, avails and royalties for microdrama. Without a command, opens the app.",
    )
    _database_option(parser)
    parser.add_argument("--version", action="version", version=f"RightsDesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo", parents=[database], help="fill an empty database with a demo catalogue"
    )
    demo.add_argument("--titles", type=int, default=300, metavar="N", help="series to create (default 300)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="same seed, same catalogue (default 1)")
    demo.add_argument("--revenue-lines", type=int, default=0, metavar="N",
                      help="also one platform report of N lines for 2026-09, to try the month-end at volume")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser(
        "upgrade", parents=[database], help="bring the database to this version's schema (backs it up first)"
    )
    backup = db_commands.add_parser(
        "backup", parents=[database], help="copy the database safely, even while the app runs"
    )
    backup.add_argument("destination", nargs="?", type=Path, metavar="DEST",
                        help="file to write (default: a dated file in the backups folder beside the database)")
    restore = db_commands.add_parser(
        "restore", parents=[database], help="put a backup back in place of the database (the current one is backed up first)")
    restore.add_argument("backup", type=Path, metavar="BACKUP", nargs="?",
                         help="the backup file (default: list the database's backups)")
    _avails_parser(commands, database)
    statements_parser = commands.add_parser("statements", help="royalty statements")
    statement_commands = statements_parser.add_subparsers(dest="statements_command", metavar="ACTION", required=True)
    export = statement_commands.add_parser(
        "export", parents=[database], help="every statement of a period: a PDF each and one workbook",
        description="A PDF per statement (<period>_<participant>_<number>.pdf; an issued statement's PDF is the same "
                    "bytes every time) and one workbook: a summary with live formulas, a sheet per statement, and "
                    "'Not on a statement' with every imported line no statement holds.")
    export.add_argument("--period", required=True, help="2026-Q3, 2026-07, 2026-H2 or 2026")
    export.add_argument("--pdf", type=Path, metavar="DIR", help="folder for the PDFs (<period>_<participant>_<number>.pdf)")
    export.add_argument("--xlsx", type=Path, metavar="FILE", help="the statements workbook")
    run = statement_commands.add_parser(
        "run", parents=[database], help="draft every deal's statement of a period (redrafts the period's drafts)",
        description="Drafts the statements of every deal whose period it is; issued statements stay as they are. "
                    "Prints each statement's figures and, per currency, imported = on statements + listed.")
    run.add_argument("--period", required=True, help="2026-Q3, 2026-07, 2026-H2 or 2026")
    run.add_argument("--json", action="store_true", help="every figure as decimal strings (docs/month-end.md)")
    issue = statement_commands.add_parser(
        "issue", parents=[database], help="issue a period's drafts: numbered, dated and locked",
        description="Issues the period's drafts (or one deal's), all or nothing, after copying the database file. "
                    "Each is numbered ST-<year>-<n>, gap-free per year, dated on this desk's local day (or --date, "
                    "not before the period ends) and locked. A deal's statements are issued in period order.")
    issue.add_argument("--period", required=True, help="2026-Q3, 2026-07, 2026-H2 or 2026")
    issue.add_argument("--deal", metavar="REF", help="only this deal's statement (default: every draft of the period)")
    issue.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the date of issue (default: today, here)")
    issue.add_argument("--json", action="store_true", help="print what was issued as JSON")
    adjust = statement_commands.add_parser(
        "adjust", parents=[database], help="correct an issued statement: carried by the deal's next statement")
    adjust.add_argument("number", metavar="NUMBER", help="the issued statement's number (ST-2026-000012)")
    adjust.add_argument("--amount", required=True, type=_amount, metavar="A",
                        help="in the statement's currency, with a point: 120.50 is owed to the participant, -120.50 was overpaid")
    adjust.add_argument("--reason", required=True, metavar="TEXT", help="why: it is printed on the next statement")
    listing = statement_commands.add_parser("list", parents=[database], help="statements, drafts and issued")
    listing.add_argument("--period", help="only this period's")
    listing.add_argument("--json", action="store_true", help="every figure as decimal strings")
    journal = statement_commands.add_parser("journal", parents=[database],
                                            help="the general-ledger journal of a period's statements")
    journal.add_argument("--period", required=True, help="2026-Q3, 2026-07, 2026-H2 or 2026")
    journal.add_argument("--csv", type=Path, metavar="FILE", help="for import into an accounting system")
    journal.add_argument("--xlsx", type=Path, metavar="FILE", help="for reading, with totals per currency")
    journal.add_argument("--drafts", action="store_true", help="include statements not yet issued")
    _statements_send_parser(statement_commands, database)
    _report_parser(commands, database)
    template = commands.add_parser("template", help="write a blank import template")
    template_commands = template.add_subparsers(dest="template_command", metavar="KIND", required=True)
    template_deals = template_commands.add_parser("deals", help="the Excel template for deals, grants and royalty terms")
    template_deals.add_argument("file", type=Path, metavar="FILE")
    template_catalogue = template_commands.add_parser("catalogue", help="the Excel template for parties, titles and episodes")
    template_catalogue.add_argument("file", type=Path, metavar="FILE")
    bulk = commands.add_parser("import", help="bulk imports")
    bulk_commands = bulk.add_subparsers(dest="import_command", metavar="KIND", required=True)
    bulk_deals = bulk_commands.add_parser("deals", parents=[database], help="import a filled-in deals template (all or nothing)")
    bulk_deals.add_argument("file", type=Path, metavar="FILE")
    bulk_catalogue = bulk_commands.add_parser("catalogue", parents=[database],
                                              help="import a filled-in catalogue template: parties, titles, episodes (all or nothing)")
    bulk_catalogue.add_argument("file", type=Path, metavar="FILE")
    bulk_cues = bulk_commands.add_parser("cues", parents=[database],
                                         help="import cue sheets from CSV or XLSX, one cue a row (all or nothing)")
    bulk_cues.add_argument("file", type=Path, metavar="FILE")
    bulk_cues.add_argument("--encoding", default=None, metavar="NAME",
                           help="a CSV file's text encoding, e.g. shift_jis or windows-1252 (default UTF-8)")
    ema = commands.add_parser("ema", help="EMA Avails workbooks")
    ema_commands = ema.add_subparsers(dest="ema_command", metavar="ACTION", required=True)
    ema_import = ema_commands.add_parser(
        "import", parents=[database], help="take a producer's EMA Avails offer as a draft IN deal")
    ema_import.add_argument("file", type=Path, metavar="FILE")
    ema_import.add_argument("--producer", default="", help="who offers (default: the workbook's DisplayName)")
    ema_import.add_argument("--sheet", default="", metavar="NAME",
                            help="read only this sheet (default: every sheet with EMA Avails fields, e.g. Movies and TV)")
    _month_end_parsers(commands, database)
    _libraries_parser(commands, database)
    _payments_parser(commands, database)
    cli_reference.add_parsers(commands, database)
    return parser


def _avails_parser(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    avails = commands.add_parser(
        "avails", parents=[database], help="what can still be licensed: titles x territories x media over a term",
        description="Avails for titles or a library. Territories are countries and groups, with exclusions: "
                    "'WORLD -CN -HK' or 'WORLD excluding CN, HK'. Media and languages are comma- or space-separated.",
    )
    which = avails.add_mutually_exclusive_group(required=True)
    which.add_argument("--title", nargs="+", metavar="ID", help="titles by internal ID (T000123) or number")
    which.add_argument("--library", metavar="CODE", help="every title of a library (its code, as libraries list shows)")
    avails.add_argument("--territory", required=True, nargs="+", metavar="CODES")
    avails.add_argument("--media", nargs="+", default=[], metavar="CODES", help="default: every media")
    avails.add_argument("--language", nargs="+", default=[], metavar="TAGS", help="BCP 47 tags; default: every language")
    avails.add_argument("--from", dest="start", required=True, type=_day, metavar="DATE")
    avails.add_argument("--to", dest="end", required=True, type=_day_or_open, metavar="DATE|open")
    avails.add_argument("--exclusive", action="store_true", help="ask for exclusive rights")
    avails.add_argument("--any-part", action="store_true",
                        help="available if available on any day of the term (default: on every day)")
    avails.add_argument("--music", action="store_true", help="also require every cue's music to be cleared")
    avails.add_argument("--localized-in", nargs="+", default=[], metavar="TAGS",
                        help="also require subtitles or a dub delivered in these languages (BCP 47)")
    output = avails.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the documented JSON structure (docs/avails-json.md)")
    output.add_argument("--xlsx", type=Path, metavar="FILE", help="write the answer as an Excel workbook")
    output.add_argument("--pdf", type=Path, metavar="FILE", help="write the answer as a PDF report")
    output.add_argument("--ema", type=Path, metavar="FILE", help="write what is available as an EMA Avails 1.9 workbook")
    avails.add_argument("--licensee", default="", help="with --ema: who the offer is for")


def _report_parser(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    from rightsdesk.services.licensing_reports import REPORTS

    report = commands.add_parser("report", help="a licensing report as PDF and/or Excel")
    kinds = report.add_subparsers(dest="report_command", metavar="NAME", required=True)
    for kind in REPORTS.values():
        parser = kinds.add_parser(kind.name, parents=[database], help=kind.description, description=kind.description)
        for option in kind.options:
            flag = "--" + option.name.replace("_", "-")
            if option.kind == "bool":
                parser.add_argument(flag, dest=f"option_{option.name}", action="store_true", help=option.help)
            else:
                parser.add_argument(flag, dest=f"option_{option.name}", metavar=option.name.upper(),
                                    choices=option.choices or None, required=option.required and not option.default,
                                    help=" ".join(p for p in (option.help, f"(default {option.default})" if option.default else "") if p))
        parser.add_argument("--pdf", type=Path, metavar="FILE", help="write the report as PDF")
        parser.add_argument("--xlsx", type=Path, metavar="FILE", help="write the report as an Excel workbook")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _day_or_open(text: str) -> date | None:
    return None if text.lower() == "open" else _day(text)


def _amount(text: str) -> Decimal:
    """An amount typed on the command line: digits with a point for decimals, nothing else, so
    that 1.234 is never read as a thousand."""
    cleaned = text.strip()
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount (digits with a point: -1234.50)")
    return Decimal(cleaned)


def _words(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(word for value in values for word in value.replace(",", " ").split())


def window_module() -> ModuleType:
    """rightsdesk.ui.app, the GUI's start, loaded after the mapped models: once Qt (PySide6) is
    loaded it reads the source of every module imported after it, to see whether it uses Qt, and
    the models' modules and SQLAlchemy's are ~300 of them (~30 ms of the start, for nothing)."""
    import rightsdesk.persistence.models  # noqa: F401
    from rightsdesk.ui import app

    return app


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            return window_module().run_app(args.db, read_only=args.read_only or configured_read_only())
        database = Database(args.db, read_only=args.read_only or configured_read_only())
        try:
            action = getattr(args, f"{args.command}_command", None)
            # every report shares one command; the others are one function per action
            key = (args.command, action) if (args.command, action) in COMMANDS else (args.command, None)
            _guard(database, key)
            return COMMANDS[key](database, args)
        finally:
            database.dispose()
    except ValidationError as error:
        if len(error.problems) == 1:
            return _fail(str(error))
        # A list reads better one problem a line, under one error line.
        listed = "".join(f"\n  {problem}" for problem in error.problems)
        return _fail(f"{len(error.problems)} problems; nothing was changed:{listed}")
    except UserError as error:
        return _fail(str(error))
    except OperationalError as error:
        return _fail(f"cannot use the database: {error.orig}")
    except DatabaseError as error:  # a page found damaged while reading (the cheap check passed)
        url = database_url(args.db)
        if url.get_backend_name() == "sqlite" and url.database:
            return _fail(damage_message(Path(url.database), [str(error.orig)]))
        return _fail(f"the database refused the command: {error.orig}")
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, as command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:
        return _fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was written")


# What each command does to the database. A command that changes it is refused read-only and
# on a damaged file (checked page by page first); one that only reads gets the cheap structural
# check; only these may start from no database file at all.
READS_ONLY = {("avails", None), ("report", None), ("statements", "export"), ("statements", "list"),
              ("statements", "journal"), ("revenue", "batches"), ("revenue", "unmatched"), ("fx", "list"), ("db", "backup"),
              ("libraries", "export"), ("libraries", "list"), ("payments", "list")}
READS_ONLY |= cli_reference.READS_ONLY  # groups list, media list
MAY_CREATE = {("demo", None), ("db", "upgrade")}
NO_DATABASE = {("template", "deals"), ("template", "catalogue")}


def _guard(database: Database, command: tuple[str, str | None]) -> None:
    """Refuse a command the database cannot take, before anything is opened or written: a
    change on a read-only desk, a missing file (a mistyped --db must not leave an empty
    database behind), a damaged file (with the command that restores its last backup)."""
    if command in NO_DATABASE:
        return
    shown = " ".join(part for part in command if part)
    if database.read_only and command not in READS_ONLY:
        raise ReadOnlyDatabase(f"`rightsdesk {shown}` changes the database, and {database.display_name()} is open "
                               f"read-only ({database.read_only_reason}); nothing was changed")
    path = database.path
    if path is None:
        return
    if command == ("db", "restore"):
        return  # what restoring is for; it saves a readable database first
    if not path.exists() or path.stat().st_size == 0:
        if command in MAY_CREATE:
            return
        raise UserError(f"there is no RightsDesk database at {path} (check --db); nothing was created")
    # Every page is read first (about a second per 150 MB): a change must not be written into
    # damage, and a report must not be read from it as if it were sound.
    check_integrity(path)
    if command not in READS_ONLY and command not in MAY_CREATE and migrate.current_revision(database) == migrate.head_revision():
        migrate.learn_reference(database)  # currencies and countries assigned since the file was made


def _fail(message: str) -> int:
    if os.environ.get("RIGHTSDESK_DEBUG"):
        raise
    print(f"rightsdesk: error: {message}", file=sys.stderr)
    return 1


def _demo(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services.demo import build_demo

    started = time.perf_counter()
    migrate.prepare(database)
    summary = build_demo(database, titles=args.titles, seed=args.seed, revenue_lines=args.revenue_lines)
    seconds = time.perf_counter() - started
    print(
        f"Demo catalogue written to {database.display_name()} in {seconds:.1f} s: "
        f"{summary['title']} titles, {summary['episode']} episodes, {summary['party']} parties, "
        f"{summary['deal']} deals, {summary['revenue_line']} revenue lines."
    )
    return 0


def _avails(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.domain.avails import DateMatch
    from rightsdesk.reports import avails as report
    from rightsdesk.services import avails, libraries

    migrate.check(database)
    with database.read() as session:
        titles = tuple(avails.resolve_title(session, t) for t in _words(args.title or ()))
        request = avails.AvailsRequest(
            territories=" ".join(args.territory), start=args.start, end=args.end, titles=titles,
            library_id=libraries.library_id_of(session, args.library) if args.library else None, media=_words(args.media), languages=_words(args.language),
            exclusive=args.exclusive, match=DateMatch.ANY_PART if args.any_part else DateMatch.WHOLE_TERM,
            music=args.music, localized_in=_words(args.localized_in),
        )
        answer = avails.ask(session, request)
        if args.ema:
            from rightsdesk.reports import ema as ema_report
            from rightsdesk.services import ema

            rows = ema.offer_rows(session, answer, licensee=args.licensee)
            args.ema.write_bytes(ema_report.offer_workbook(rows))
            print(f"Wrote {len(rows)} avails to {args.ema}")
            return 0
    if args.json:
        json.dump(report.as_json(answer), sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.xlsx:
        args.xlsx.write_bytes(report.workbook(answer))
        print(f"Wrote {args.xlsx}")
    elif args.pdf:
        args.pdf.write_bytes(report.pdf_document(answer))
        print(f"Wrote {args.pdf}")
    else:
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        for line in report.text_table(answer, width):
            print(line)
    return 0


def _ema_import(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import ema
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with database.transaction() as session:
        report = ema.import_offer_file(session, args.file, producer=args.producer, user=current_user(), sheet=args.sheet)
    print(f"Draft IN deal {report.reference}: {plural(report.grants, 'grant')} from {plural(report.rows_taken, 'row')}.")
    for name in report.titles_created:
        print(f"New title (episodes to be entered): {name}")
    return 0


def _export_statements(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.reports import batch
    from rightsdesk.services import period_statements

    if args.pdf is None and args.xlsx is None:
        raise UserError("say what to write: --pdf DIR and/or --xlsx FILE")
    migrate.check(database)
    shown = [-1]

    def progress(stage: str, percent: int) -> None:
        if percent // 10 != shown[0] // 10 and sys.stderr.isatty():
            print(f"{stage} ({percent} %)", file=sys.stderr)
        shown[0] = percent

    period = period_statements.for_export(database, args.period, unstated=args.xlsx is not None)
    result = batch.export_period(period, pdf_dir=args.pdf, workbook=args.xlsx, progress=progress)
    if args.pdf is not None:
        print(f"Wrote {plural(len(result.pdfs), 'PDF')} to {args.pdf}")
    if result.workbook is not None:
        print(f"Wrote {result.workbook}")
    return 0


def _statements_run(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import issuing, reference, statement_revenue, statements
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    result = database.compute_then_write(lambda session: statements.run(session, args.period, user=current_user()))
    with database.read() as session:
        drafted = issuing.summaries(session, statement_ids=result.statements)
        redrafted = issuing.summaries(session, statement_ids=result.redrafted)
        found = statement_revenue.reconcile(session)
        places = reference.minor_units(session)
    reconciliation = {currency: {name: _money(getattr(found, name).get(currency, Decimal(0)), places.get(currency, 2))
                                 for name in ("imported", "on_statements", "listed")} for currency in found.currencies}
    if args.json:
        listed = [{"line": u.line_id, "source": u.source, "identifier": u.identifier,
                   "period_start": u.period_start.isoformat(), "period_end": u.period_end.isoformat(),
                   "territory": u.territory, "currency": u.currency, "amount": _money(u.amount, places.get(u.currency, 2)),
                   "reason": u.reason} for u in found.lines]
        _print_json({"period": args.period, "statements": drafted, "redrafted": redrafted,
                     "skipped_issued": result.skipped_issued, "not_drafted_later_issued": result.closed, "late_lines": len(result.late_lines),
                     "stale_rates": result.stale_rates, "reconciliation": reconciliation, "not_on_a_statement": listed})
        return 0
    print(f"Drafted {plural(len(drafted), 'statement')} for {args.period}" + (
        f"; {len(result.skipped_issued)} already issued: {', '.join(result.skipped_issued)}" if result.skipped_issued else "")
        + (f"; redrafted {plural(len(redrafted), 'later draft')}" if redrafted else "") + ".")
    for closed in result.closed:
        print(f"Not drafted for {closed}: a later period is issued, so this period's revenue goes on the deal's "
              "next statement not issued.")
    for figures in drafted:
        print(f"  {figures['deal']:<14} {figures['participant'][:28]:<28} {figures['currency']} gross {figures['gross_receipts']}"
              f"  payable {figures['payable']}  paid {figures['paid']}" + _carried(figures))
    if result.late_lines and drafted:
        print(f"{plural(len(result.late_lines), 'line')} of earlier periods (issued, or never run for the deal) are on these "
              "statements, as revenue of earlier periods.")
    for stale in result.stale_rates:
        print(f"Rate older than the period used: {stale}")
    for currency, figures in reconciliation.items():
        print(f"{currency}: imported {figures['imported']} = on statements {figures['on_statements']} + "
              f"listed {figures['listed']} (all periods)")
    if found.lines:
        # one count per kind of reason; --json and Revenue > Not on a statement give each line's
        kinds = Counter("not run yet" if line.reason.startswith("not run yet") else line.reason for line in found.lines)
        print(f"On no statement: {plural(len(found.lines), 'line')} — " + "; ".join(f"{n} × {r}" for r, n in sorted(kinds.items()))
              + " (statements run --json lists them)")
    return 0


def _carried(figures: dict[str, object]) -> str:
    """What a minimum payout moved, when it moved anything: brought, carried, and to pay now."""
    moved = [f"{words} {abs(Decimal(str(figures[key])))}" for key, words in (("brought_forward", "brought forward"),
                                                         ("carried_forward", "carried forward")) if Decimal(str(figures[key]))]
    return f"  ({', '.join(moved)}; to pay now {figures['to_pay']})" if moved else ""


def _statements_issue(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.domain.enums import StatementStatus
    from rightsdesk.services import issuing
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with database.read() as session:
        found = issuing.period_statements(session, args.period)
    if args.deal is not None and not any(deal == args.deal for _, deal, _ in found):
        raise UserError(f"deal {args.deal} has no statement for {args.period}")
    drafts = [i for i, deal, status in found if status is StatementStatus.DRAFT and args.deal in (None, deal)]
    if not drafts:
        raise UserError(f"no draft statements for {args.period}" + (f" of deal {args.deal}" if args.deal else "")
                        + "; run the period first (rightsdesk statements run --period ...)")
    issued, saved = issuing.issue_statements(database, drafts, user=current_user(), on=args.date)
    if args.json:
        _print_json({"issued": [{"deal": i.deal, "number": i.number, "issued_on": i.issued_on.isoformat()} for i in issued],
                     "backup": str(saved) if saved else None})
        return 0
    for done in issued:
        print(f"Issued {done.number} for {done.deal}, dated {done.issued_on}")
    if saved:
        print(f"The database before issuing is saved at {saved}.")
    return 0


def _statements_adjust(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import issuing
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with database.transaction() as session:
        statement_id = issuing.statement_numbered(session, args.number)
        issuing.adjust(session, statement_id, args.amount, args.reason, user=current_user())
    print(f"Recorded a correction of {args.amount} to {args.number}; the deal's next statement run carries it.")
    return 0


def _statements_list(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import issuing

    migrate.check(database)
    with database.read() as session:
        found = issuing.summaries(session, period=args.period)
    if args.json:
        _print_json(found)
        return 0
    if not found:
        print("No statements" + (f" for {args.period}." if args.period else "."))
    for figures in found:
        print(f"{figures['number'] or 'draft':<16} {figures['period']:<8} {figures['deal']:<14} "
              f"{figures['participant'][:28]:<28} {figures['currency']} payable {figures['payable']}"
              + (f" (issued {figures['issued_on']})" if figures["issued_on"] else ""))
    return 0


def _statements_journal(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.reports import journal
    from rightsdesk.services import period_statements

    if args.csv is None and args.xlsx is None:
        raise UserError("say what to write: --csv FILE and/or --xlsx FILE")
    migrate.check(database)
    documents = period_statements.journal_documents(database, args.period, drafts=args.drafts)
    _write(args.csv, lambda: journal.journal_csv(documents))
    _write(args.xlsx, lambda: journal.journal_workbook(documents))
    return 0


def _write(path: Path | None, content: Callable[[], bytes]) -> None:
    """Write a file the user asked for (content made only then) and say so."""
    if path is not None:
        path.write_bytes(content())
        print(f"Wrote {path}")


def _statements_send_parser(statements: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    send = statements.add_parser(
        "send", parents=[database], help="email a period's issued statements, each participant its own PDF",
        description="Sends each issued statement of the period not sent yet to its participant: to the party's "
                    "contacts ticked to receive statements, or, when none is ticked, to the party's own email "
                    "address. The PDF is attached, and the workbook too when the party asks for it. The mail "
                    "server and the message are the team's mail settings (Statements > Send by email in the app); "
                    "the password is read from RIGHTSDESK_SMTP_PASSWORD, else from this computer's keyring. Every "
                    "attempt is logged; a statement that fails does not stop the others, and the command exits "
                    "non-zero when any was not sent.")
    send.add_argument("--period", required=True, help="2026-Q3, 2026-07, 2026-H2 or 2026")
    send.add_argument("--dry-run", action="store_true", help="list who would get what, and send nothing")
    send.add_argument("--again", action="store_true", help="also send the statements already sent")


def _statements_send(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.domain.delivery import settings_problems
    from rightsdesk.domain.enums import DeliveryResult
    from rightsdesk.reports.statement_mail import attachments
    from rightsdesk.services import delivery, mail_settings
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with database.read() as session:
        plan = delivery.plan_period(session, args.period, again=args.again)
        settings = mail_settings.load_settings(session)
    if not plan.items:
        raise UserError(f"no issued statements for {args.period}" + (f" ({plural(plan.drafts, 'draft')}: issue them first)"
                                                                     if plan.drafts else ""))
    print(f"{plan.period}: {plural(len(plan.to_send), 'statement')} to send, {len(plan.already_sent)} already sent, "
          f"{len(plan.without_address)} without a usable address"
          + (f"; {plural(plan.drafts, 'draft')}, never sent until issued" if plan.drafts else "") + ".")
    for item in plan.items:
        files = "PDF and workbook" if item.workbook else "PDF"
        if item.problem:
            what = f"NOT SENT: {item.problem}"
        elif not item.will_send:
            what = f"already sent {item.sent_before:%Y-%m-%d %H:%M} UTC to {item.last.recipients if item.last else ''} (--again sends it again)"
        else:
            what = f"{files} to {item.where}"
        print(f"  {item.number:<16} {item.participant[:28]:<28} {what}")
    if not settings.configured:
        raise UserError("no mail server is set: enter it in the app (Statements > Send by email > Mail server…)")
    problems = settings_problems(settings, password_given=False)
    if problems:
        raise ValidationError(problems)
    if args.dry_run:
        print(f"Dry run: nothing was sent (the mail server would be {settings.host}:{settings.port}, "
              f"from {settings.sender}).")
        return 0
    password = mail_settings.stored_password(settings)
    outcomes: list[delivery.Outcome] = []
    try:
        for outcome in delivery.send(database, plan.items, settings, password, attachments, user=current_user()):
            outcomes.append(outcome)
            if outcome.skipped:
                print(f"Skipped {outcome.number}: {outcome.error}")
            elif outcome.result is DeliveryResult.SENT:
                print(f"Sent {outcome.number} to {', '.join(outcome.recipients)}"
                      + (f" ({outcome.error})" if outcome.error else ""))
            else:
                print(f"FAILED {outcome.number} ({outcome.participant}): {outcome.error}")
    except KeyboardInterrupt:
        print(f"Stopped: {plural(len(outcomes), 'statement')} were tried before the interruption, each logged.", file=sys.stderr)
        return 1
    failed = [o for o in outcomes if o.result is not DeliveryResult.SENT]
    sent = sum(1 for o in outcomes if o.result is DeliveryResult.SENT and not o.skipped)
    print(f"Sent {plural(sent, 'statement')} for {plan.period}" + (f"; {len(failed)} failed" if failed else "")
          + (f"; {len(plan.without_address)} without a usable address" if plan.without_address else "") + ".")
    if failed or plan.without_address:
        print(f"rightsdesk: error: {plural(len(failed) + len(plan.without_address), 'statement')} of {plan.period} were not "
              "sent; once the cause is fixed, the same command sends just those", file=sys.stderr)
        return 1
    return 0


def _report(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.reports import document
    from rightsdesk.services import licensing_reports as licensing
    from rightsdesk.services.statement_documents import letterhead

    if args.pdf is None and args.xlsx is None:
        raise UserError("say what to write: --pdf FILE and/or --xlsx FILE")
    migrate.check(database)
    given = {key.removeprefix("option_"): ("yes" if value is True else "" if value is False else value)
             for key, value in vars(args).items() if key.startswith("option_") and value is not None}
    with database.read() as session:
        report = licensing.build(args.report_command, given, session)
        company = letterhead(session).name
    _write(args.pdf, lambda: document.report_pdf(report, company=company))
    _write(args.xlsx, lambda: document.report_workbook(report))
    return 0


def _template_deals(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.reports import deal_template

    args.file.write_bytes(deal_template.template())
    print(f"Wrote the deals template to {args.file}; its Instructions sheet says how to fill it in.")
    return 0


def _template_catalogue(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.reports import catalogue_template

    args.file.write_bytes(catalogue_template.template())
    print(f"Wrote the catalogue template to {args.file}; its Instructions sheet says how to fill it in.")
    return 0


def _import_catalogue(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import catalogue_template
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with _every_problem(), database.transaction() as session:
        done = catalogue_template.import_catalogue(session, args.file.read_bytes(), user=current_user())
    print(f"Imported {len(done.parties)} part{'y' if len(done.parties) == 1 else 'ies'}, {plural(len(done.titles), 'title')} "
          f"and {plural(done.episodes, 'episode')} from {args.file.name}" + (f": {', '.join(done.titles)}" if done.titles else "."))
    return 0


def _import_deals(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import deal_template
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with database.transaction() as session:
        report = deal_template.import_deals(session, args.file.read_bytes(), user=current_user())
    print(f"Imported {plural(len(report.deals), 'deal')} with {plural(report.grants, 'grant')}: {', '.join(report.deals)}")
    return 0


def _import_cues(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import cue_sheets
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with database.transaction() as session:
        done = cue_sheets.import_cue_sheets(session, args.file.name, args.file.read_bytes(), user=current_user(),
                                            encoding=args.encoding)
    new = f"; new tracks: {', '.join(done.new_tracks)}" if done.new_tracks else ""
    print(f"Imported {plural(done.cues, 'cue')} for {plural(done.episodes, 'episode')}{new}")
    return 0


def _upgrade(database: Database, args: argparse.Namespace) -> int:
    result = migrate.prepare(database)
    if result.created:
        print(f"Created {database.display_name()} at schema {result.to_revision}.")
    elif result.upgraded:
        saved = f" (backup: {result.backup})" if result.backup else ""
        print(f"Upgraded {database.display_name()} from schema {result.from_revision} to {result.to_revision}{saved}.")
    else:
        print(f"{database.display_name()} is up to date (schema {result.to_revision}).")
    return 0


def _backup(database: Database, args: argparse.Namespace) -> int:
    path = database.path
    if path is None:
        raise UserError("backups of a server database are made with the server's own tools (pg_dump)")
    if not path.exists():
        raise UserError(f"there is no database at {path}")
    migrate.check(database)
    destination = args.destination or default_backup_path(path, "manual")
    if destination.exists():
        raise UserError(f"{destination} already exists; choose another name")
    print(f"Backed up {path} to {backup_sqlite(path, destination)}.")
    return 0


def _restore(database: Database, args: argparse.Namespace) -> int:
    path = database.path
    if path is None:
        raise UserError("a server database is restored with the server's own tools (pg_restore)")
    if args.backup is None:
        found = backups(path)
        if not found:
            print(f"There are no backups of {path} in {backup_folder(path)}.")
        for backup in found:
            print(f"{backup.taken:%Y-%m-%d %H:%M:%S}  {backup.reason:<15} {backup.path}")
        return 0
    database.dispose()  # our own connections must not hold the file while it is replaced
    saved = restore_sqlite(args.backup, path)
    kept = f"; the database as it was is saved at {saved}" if saved else ""
    print(f"Restored {path} from {args.backup}{kept}.")
    return 0


COMMANDS = {
    ("demo", None): _demo,
    ("db", "upgrade"): _upgrade,
    ("db", "backup"): _backup,
    ("db", "restore"): _restore,
    ("avails", None): _avails,
    ("ema", "import"): _ema_import,
    ("template", "deals"): _template_deals,
    ("statements", "export"): _export_statements,
    ("statements", "run"): _statements_run,
    ("statements", "issue"): _statements_issue,
    ("statements", "adjust"): _statements_adjust,
    ("statements", "list"): _statements_list,
    ("statements", "journal"): _statements_journal,
    ("statements", "send"): _statements_send,
    ("report", None): _report,
    ("import", "deals"): _import_deals,
    ("import", "catalogue"): _import_catalogue,
    ("template", "catalogue"): _template_catalogue,
    ("import", "cues"): _import_cues,
}


# -- month end: revenue reports, exchange rates, expenses -----------------------------------------
# Kept apart from the statement commands: `statements run/issue/adjust/list` belong beside
# `statements export` above.


def _month_end_parsers(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    _revenue_parser(commands, database)
    _fx_parser(commands, database)
    _expenses_parser(commands, database)


def _revenue_parser(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    from rightsdesk.domain.revenue import FIELDS

    revenue = commands.add_parser("revenue", help="platform revenue reports: import, match, roll back")
    actions = revenue.add_subparsers(dest="revenue_command", metavar="ACTION", required=True)
    report = actions.add_parser(
        "import", parents=[database], help="import a platform's report (CSV or XLSX), all or nothing",
        description="Without --map or --mapping, nothing is imported: a mapping is proposed from the file's "
                    "headers, with the command that imports with it. Details: docs/month-end.md.")
    report.add_argument("file", type=Path, metavar="FILE")
    report.add_argument("--source", required=True, metavar="NAME", help="the platform or channel that sent it (created if new)")
    report.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                        help=f"the column holding a field; once per field. Fields: {', '.join(FIELDS)}")
    report.add_argument("--mapping", metavar="NAME", help="a mapping saved for the source (--map overrides its fields)")
    report.add_argument("--save-mapping", metavar="NAME", help="save the mapping used, under this name, for the source's next files")
    report.add_argument("--replace", action="store_true", help="the same file was imported before: replace that batch")
    report.add_argument("--currency", metavar="CUR", help="the currency of every line, for a file without a currency column")
    report.add_argument("--decimal", choices=(".", ","), metavar="SEP",
                        help="the decimal separator, '.' or ',' (default: none declared, so a number that reads "
                             "two ways, 2.500, is refused)")
    report.add_argument("--dates", choices=("iso", "dmy", "mdy"),
                        help="how dates written with numbers only read: dmy (01.07.2026 is 1 July), mdy "
                             "(7/1/2026 is 1 July), or iso (default: only 2026-07-01 and written months)")
    report.add_argument("--encoding", metavar="NAME",
                        help="a CSV file's text encoding, e.g. windows-1252, gb18030, big5, shift_jis, euc-kr "
                             "(default UTF-8, or what a BOM says); saved with the mapping")
    report.add_argument("--type", action="append", default=[], metavar="WORD=TYPE", dest="types",
                        help="what a word of the revenue type column means, once per word; types: "
                             "unlocks, subscription, ads, tips, licence_fee, other")
    report.add_argument("--sheet", metavar="NAME", help="XLSX: the sheet to read (default: the first)")
    report.add_argument("--json", action="store_true", help="print the outcome as JSON")
    actions.add_parser("batches", parents=[database], help="every imported file: batch, source, when, by whom, status, rows") \
        .add_argument("--json", action="store_true", help="print them as JSON")
    actions.add_parser("unmatched", parents=[database], help="imported lines that match no title, with likely titles") \
        .add_argument("--json", action="store_true", help="print them as JSON")
    assign = actions.add_parser("assign", parents=[database],
                                help="match a source's unmatched identifier to a title, now and in later imports")
    assign.add_argument("identifier", metavar="IDENTIFIER", help="what the report calls the title")
    assign.add_argument("title", metavar="TITLE", help="the title's internal ID (T000123) or number")
    assign.add_argument("--source", required=True, metavar="NAME")
    rollback = actions.add_parser("rollback", parents=[database],
                                  help="take an imported batch out again (refused while an issued statement uses it)")
    rollback.add_argument("batch", type=int, metavar="BATCH", help="the batch number (rightsdesk revenue batches)")


def _fx_parser(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    fx = commands.add_parser("fx", help="exchange rates")
    actions = fx.add_subparsers(dest="fx_command", metavar="ACTION", required=True)
    importing = actions.add_parser("import", parents=[database],
                                   help="rates from CSV: date, base, quote, rate (all or nothing)")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--decimal", choices=(".", ","), default=".", help="the file's decimal separator (default .)")
    importing.add_argument("--dates", choices=("iso", "dmy", "mdy"), default="iso",
                           help="how dates written with numbers only read (default: ISO 2026-09-30 only)")
    importing.add_argument("--encoding", default=None, metavar="NAME",
                           help="the file's text encoding, e.g. windows-1252 (default UTF-8)")
    listing = actions.add_parser("list", parents=[database], help="every stored rate: date, base, quote, rate, source")
    listing.add_argument("--base", metavar="CUR", default="", help="only rates from this currency")
    listing.add_argument("--quote", metavar="CUR", default="", help="only rates into this currency")
    listing.add_argument("--json", action="store_true", help="print them as JSON")


def _expenses_parser(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    expenses = commands.add_parser("expenses", help="recoupable deal expenses")
    actions = expenses.add_subparsers(dest="expenses_command", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import", parents=[database], help="expenses from CSV or XLSX, one a row, all or nothing",
        description="Columns: deal (reference), date (YYYY-MM-DD), category, amount (1234.56), currency, "
                    "recoupable (yes/no; blank is yes) and an optional description.",
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--encoding", default=None, metavar="NAME",
                           help="a CSV file's text encoding, e.g. gb18030 or windows-1252 (default UTF-8)")


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    print()


def _money(amount: Decimal, places: int = 2) -> str:
    """An amount as a decimal string: the currency's decimals, and more only where it has them."""
    exponent = min(amount.normalize().as_tuple().exponent, -places)  # type: ignore[type-var]
    return format(amount.quantize(Decimal(1).scaleb(exponent)), "f")


def _amounts(totals: dict[str, Decimal], places: dict[str, int]) -> dict[str, str]:
    return {currency: _money(totals[currency], places.get(currency, 2)) for currency in sorted(totals)}


@contextmanager
def _every_problem() -> Iterator[None]:
    """A file refused for its rows: every problem under the error, one a line (the service's
    own message stops at 30; an accountant fixing a file wants them all)."""
    from rightsdesk.services.revenue import ImportRefused

    try:
        yield
    except ImportRefused as refused:
        listed = "".join(f"\n  {problem}" for problem in refused.problems)
        raise UserError(f"nothing was imported: {plural(len(refused.problems), 'problem')} in the file:{listed}") from refused


def _revenue_options(args: argparse.Namespace, saved: RevenueOptions) -> RevenueOptions:
    """A saved mapping's reading options, with what the command line says instead."""
    from rightsdesk.services import revenue_mapping

    return replace(saved, currency=(args.currency or saved.currency).strip().upper(), decimal=args.decimal or saved.decimal,
                   dates=args.dates or saved.dates, sheet=args.sheet or saved.sheet,
                   encoding=args.encoding or saved.encoding,
                   revenue_types={**saved.revenue_types, **revenue_mapping.parse_type_options(args.types)})


def _revenue_import(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import reference, revenue, revenue_mapping
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    content = args.file.read_bytes()
    given = revenue_mapping.parse_map_options(args.map)
    if not given and not args.mapping:
        return _propose_revenue_mapping(database, args, content)
    with _every_problem(), database.transaction() as session:
        source_id = revenue_mapping.source_named(session, args.source) or revenue.save_source(session, args.source)
        columns, saved = {}, RevenueOptions()
        if args.mapping:
            columns, saved = revenue.load_mapping(session, revenue_mapping.mapping_named(session, source_id, args.mapping))
        columns.update(given)
        options = _revenue_options(args, saved)
        try:
            report = revenue.import_file(session, source_id, args.file.name, content, columns, options,
                                         user=current_user(), replace=args.replace)
        except revenue.DuplicateImport as error:
            raise UserError(f"{error} (--replace)") from error
        if args.save_mapping:
            revenue.save_mapping(session, source_id, args.save_mapping, columns, options)
        places = reference.minor_units(session)
    outcome = {"batch": report.batch_id, "source": args.source.strip(), "file": args.file.name, "lines": report.lines,
               "matched": report.matched, "unmatched": report.unmatched, "totals": _amounts(report.totals, places),
               "late_lines": report.late_lines, "late": report.late,
               "replaced_batch": report.replaced_batch, "saved_mapping": args.save_mapping}
    if args.json:
        _print_json(outcome)
        return 0
    print(f"Imported batch {report.batch_id} from {args.file.name} for {outcome['source']}: {plural(report.lines, 'line')}, "
          f"{report.matched} matched, {report.unmatched} unmatched.")
    if report.totals:
        print("Gross: " + ", ".join(f"{amount} {currency}" for currency, amount in outcome["totals"].items()))
    if report.replaced_batch is not None:
        print(f"Replaced batch {report.replaced_batch}, imported from the same file before.")
    if args.save_mapping:
        print(f"Saved the mapping as '{args.save_mapping}': next time, --mapping {shlex.quote(args.save_mapping)}")
    if report.late_lines:
        print(f"{plural(report.late_lines, 'line')} fall in periods already issued; they go on the deal's next statement "
              "not issued: " + ", ".join(f"{count} for {where}" for where, count in report.late.items()))
    if report.unmatched:
        print("Lines that match no title: rightsdesk revenue unmatched")
    return 0


def _propose_revenue_mapping(database: Database, args: argparse.Namespace, content: bytes) -> int:
    from rightsdesk.services import revenue, revenue_mapping

    options = _revenue_options(args, RevenueOptions())
    encoding = options.encoding or revenue.proposed_encoding(content)
    table = revenue.read_table(content, args.file.name, options.sheet, encoding=encoding)
    with database.read() as session:
        source_id = revenue_mapping.source_named(session, args.source)
        saved = revenue_mapping.mapping_names(session, source_id) if source_id else []
    proposed = revenue_mapping.propose_mapping(table.headers)
    types = revenue_mapping.type_words(table, proposed)
    needed = revenue_mapping.still_needed(proposed, options)
    needed += [f"--type '{word}=TYPE': what '{word}' in the revenue type column means" for word in types
               if types[word] is None and word not in options.revenue_types]
    unused = [h for h in table.headers if h and h not in proposed.values()]
    command = ["rightsdesk", "revenue", "import", str(args.file), "--source", args.source]
    command += [part for field, header in proposed.items() for part in ("--map", f"{field}={header}")]
    command += ["--currency", options.currency] if options.currency else []
    command += ["--decimal", options.decimal] if args.decimal else []
    command += ["--dates", options.dates] if args.dates else []
    command += ["--encoding", encoding] if args.encoding or encoding not in ("", "utf-8", "utf-16") else []
    command += [part for word, kind in {**{w: k for w, k in types.items() if k}, **options.revenue_types}.items()
                for part in ("--type", f"{word}={kind.value}")]
    command += ["--sheet", options.sheet] if options.sheet else []
    command += ["--save-mapping", args.save_mapping] if args.save_mapping else []
    command += ["--db", str(args.db)] if getattr(args, "db", None) else []
    if args.json:
        _print_json({"imported": False, "headers": table.headers, "mapping": proposed, "unused_headers": unused,
                     "encoding": encoding, "revenue_types": {w: k.value if k else None for w, k in types.items()},
                     "still_needed": needed, "saved_mappings": saved, "command": shlex.join(command)})
        return 0
    print(f"Nothing was imported. The columns of {args.file.name} would be read as:")
    for field, header in proposed.items():
        print(f"  {field}={header}")
    if encoding and not args.encoding:
        print(f"Its text looks like {encoding}: check the names read right before importing (--encoding)")
    for word, kind in types.items():
        print(f"  revenue type '{word}' = {kind.value}" if kind else f"  revenue type '{word}' = ? (add --type)")
    if unused:
        print(f"Not used: {', '.join(unused)}")
    for need in needed:
        print(f"Still needed, add --map for it: {need}")
    print("To import with this mapping (change or add --map FIELD=HEADER as needed):")
    print(f"  {shlex.join(command)}")
    if saved:
        print(f"{args.source} has saved mappings: {', '.join(saved)} (use --mapping NAME)")
    return 0


def _revenue_batches(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import month_end

    migrate.check(database)
    with database.read() as session:
        found = month_end.batches(session)
    if args.json:
        _print_json([{"batch": b.id, "source": b.source, "file": b.file_name, "imported_at": b.imported_at.isoformat(),
                      "imported_by": b.imported_by, "status": b.status.value, "rows": b.rows} for b in found])
        return 0
    if not found:
        print("No revenue report has been imported.")
    for b in found:
        print(f"{b.id:>6}  {b.imported_at:%Y-%m-%d %H:%M} UTC  {b.imported_by:<12} {b.status.value:<11} "
              f"{b.rows:>7} rows  {b.source}: {b.file_name}")
    return 0


def _revenue_unmatched(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import reference, revenue, revenue_mapping

    migrate.check(database)
    with database.read() as session:
        found = revenue.unmatched(session)
        sources = revenue_mapping.source_names(session)
        places = reference.minor_units(session)
    listed = [{"source": sources.get(group.source_id, str(group.source_id)), "identifier": group.identifier,
               "lines": group.lines, "gross": _amounts(group.gross, places),
               "suggestions": [{"title": internal_id, "name": name} for _, internal_id, name in group.suggestions]}
              for group in found]
    if args.json:
        _print_json(listed)
        return 0
    if not listed:
        print("Every imported line matches a title or a library.")
        return 0
    for group in listed:
        gross = ", ".join(f"{amount} {currency}" for currency, amount in group["gross"].items())
        print(f"{group['source']}  {group['identifier']!r}  {plural(group['lines'], 'line')}  {gross}")
        if group["suggestions"]:
            print("  maybe: " + ", ".join(f"{s['title']} {s['name']}" for s in group["suggestions"]))
    print("Match one with: rightsdesk revenue assign IDENTIFIER TITLE --source NAME")
    return 0


def _revenue_assign(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import avails, revenue, revenue_mapping

    migrate.check(database)
    with database.transaction() as session:
        source_id = revenue_mapping.source_named(session, args.source)
        if source_id is None:
            raise UserError(f"there is no revenue source '{args.source}'")
        title_id = avails.resolve_title(session, args.title)
        assigned = revenue.assign(session, source_id, args.identifier, title_id)
    print(f"Assigned {plural(assigned, 'line')} of {args.source} reported as '{args.identifier}' to {args.title}; "
          f"{args.source}'s later reports match it too.")
    return 0


def _revenue_rollback(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import month_end, revenue

    migrate.check(database)
    with database.transaction() as session:
        found = month_end.batches(session, args.batch)
        revenue.rollback_batch(session, args.batch)
    batch = found[0]
    print(f"Rolled back batch {batch.id} ({batch.source}: {batch.file_name}, {plural(batch.rows, 'line')}); "
          "draft statements that used it are rebuilt by the next statement run.")
    return 0


def _fx_import(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import fx

    migrate.check(database)
    content = args.file.read_bytes()
    with database.transaction() as session:
        count = fx.import_rates(session, content, source=args.file.name, decimal=args.decimal, dates=args.dates,
                                encoding=args.encoding)
    print(f"Imported {plural(count, 'exchange rate')} from {args.file.name}.")
    return 0


def _fx_list(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import month_end

    migrate.check(database)
    with database.read() as session:
        found = month_end.rates(session, base=args.base, quote=args.quote)
    listed = [{"date": r.rate_date.isoformat(), "base": r.base, "quote": r.quote, "rate": format(r.rate.normalize(), "f"),
               "source": r.source} for r in found]
    if args.json:
        _print_json(listed)
        return 0
    if not listed:
        print("No exchange rate is stored" + (" for that currency." if args.base or args.quote else "."))
    for r in listed:
        print(f"{r['date']}  1 {r['base']} = {r['rate']} {r['quote']}  ({r['source']})")
    return 0


def _expenses_import(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import expense_import
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    content = args.file.read_bytes()
    with _every_problem(), database.transaction() as session:
        count = expense_import.import_expenses(session, args.file.name, content, user=current_user(), encoding=args.encoding)
    print(f"Imported {plural(count, 'expense')} from {args.file.name}.")
    return 0


COMMANDS.update({
    ("revenue", "import"): _revenue_import,
    ("revenue", "batches"): _revenue_batches,
    ("revenue", "unmatched"): _revenue_unmatched,
    ("revenue", "assign"): _revenue_assign,
    ("revenue", "rollback"): _revenue_rollback,
    ("fx", "import"): _fx_import,
    ("fx", "list"): _fx_list,
    ("expenses", "import"): _expenses_import,
})


# -- libraries --------------------------------------------------------------------------------------


def _libraries_parser(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    libraries = commands.add_parser("libraries", help="vertical libraries: titles sold as one bundle")
    actions = libraries.add_subparsers(dest="libraries_command", metavar="ACTION", required=True)
    actions.add_parser("list", parents=[database], help="every library: code, name, titles in it today, deals granting it")
    exporting = actions.add_parser("export", parents=[database],
                                   help="every library and its titles' dated stays as an Excel workbook")
    exporting.add_argument("file", type=Path, metavar="FILE")
    importing = actions.add_parser(
        "import", parents=[database], help="libraries from a workbook in the export's layout (all or nothing)",
        description="Sheet Libraries: Code, Name, Description, Retired on. Sheet Titles: Library (code), Title "
                    "(internal ID), Joined on, Last day in (empty: still in). Each library named gets exactly "
                    "the stays the file gives it; dates are Excel dates or ISO 2026-07-01.")
    importing.add_argument("file", type=Path, metavar="FILE")


def _libraries_list(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import libraries

    migrate.check(database)
    with database.read() as session:
        rows = libraries.library_rows(session, date.today())
    if not rows:
        print("No libraries yet: create one on the Libraries screen or with `rightsdesk libraries import FILE`.")
    for row in rows:
        retired = f"  retired {row.retired_on}" if row.retired_on else ""
        print(f"{row.code:<16} {row.name:<40} {plural(row.titles_now, 'title'):>13} {plural(row.granted_by, 'deal'):>10}{retired}")
    return 0


def _libraries_export(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import libraries

    migrate.check(database)
    with database.read() as session:
        content = libraries.export_workbook(session)
    args.file.write_bytes(content)
    print(f"Wrote every library to {args.file}")
    return 0


def _libraries_import(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import libraries
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    content = args.file.read_bytes()
    with _every_problem(), database.transaction() as session:
        done = libraries.import_workbook(session, content, user=current_user())
    print(f"Imported {len(done.created)} new and {len(done.updated)} updated librar{'y' if len(done.created) + len(done.updated) == 1 else 'ies'} "
          f"with {plural(done.stays, 'title stay')} from {args.file.name}.")
    return 0


COMMANDS.update({
    ("libraries", "list"): _libraries_list,
    ("libraries", "export"): _libraries_export,
    ("libraries", "import"): _libraries_import,
})


# -- payments ---------------------------------------------------------------------------------------


def _payments_parser(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    from rightsdesk.domain.enums import PaymentMethod

    payments = commands.add_parser("payments", help="payments to participants against issued statements")
    actions = payments.add_subparsers(dest="payments_command", metavar="ACTION", required=True)
    record = actions.add_parser(
        "record", parents=[database], help="record money paid against an issued statement, whole or in part",
        description="Records a payment in the statement's currency. More than is still owed is refused unless "
                    "--overpay says it is an overpayment.")
    record.add_argument("number", metavar="NUMBER", help="the issued statement's number (ST-2026-000012)")
    record.add_argument("--amount", required=True, type=_amount, metavar="A", help="in the statement's currency, with a point")
    record.add_argument("--date", required=True, type=_day, metavar="YYYY-MM-DD", help="the day it was paid")
    record.add_argument("--reference", default="", metavar="R", help="the bank's or cheque's reference")
    record.add_argument("--method", default=PaymentMethod.BANK_TRANSFER.value, choices=[m.value for m in PaymentMethod])
    record.add_argument("--currency", default="", metavar="CODE", help="refused unless it is the statement's (default: it)")
    record.add_argument("--overpay", action="store_true", help="record it even though it is more than is owed")
    record.add_argument("--note", default="", metavar="TEXT")
    record.add_argument("--remittance", type=Path, metavar="FILE", help="also write the payment's remittance advice PDF")
    run = actions.add_parser(
        "run", parents=[database], help="pay what is owed on a period's (or chosen) statements: a file for the bank",
        description="Pays every participant what is still owed on the issued statements of a period (or those "
                    "named), one transfer per participant and currency: writes the bank file (ISO 20022 pain.001, "
                    "validated against its schema) and/or a CSV or Excel list, then records the run: every "
                    "statement in it is paid, all in one transaction, or none is. --dry-run writes the files only.")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--period", help="2026-Q3, 2026-07, 2026-H2 or 2026")
    which.add_argument("--statement", nargs="+", metavar="NUMBER", help="these issued statements")
    run.add_argument("--date", required=True, type=_day, metavar="YYYY-MM-DD", help="the day the bank is asked to pay")
    run.add_argument("--label", default="", help="what the run is called (default: '<period> royalties')")
    run.add_argument("--pain", type=Path, metavar="FILE", help="the pain.001.001.03 XML file for the bank")
    run.add_argument("--csv", type=Path, metavar="FILE", help="the transfers as a CSV list")
    run.add_argument("--xlsx", type=Path, metavar="FILE", help="the transfers as an Excel list with totals per currency")
    run.add_argument("--remittance", type=Path, metavar="DIR", help="a remittance advice PDF per transfer, in this folder")
    run.add_argument("--from-iban", default="", metavar="IBAN", help="the account to pay from (remembered for next time)")
    run.add_argument("--from-bic", default="", metavar="BIC", help="its bank's BIC")
    run.add_argument("--dry-run", action="store_true", help="write the files but record nothing")
    listing = actions.add_parser("list", parents=[database], help="payments recorded, or what is still owed")
    listing.add_argument("--period", help="only statements of this period")
    listing.add_argument("--owed", action="store_true", help="list the statements with something still owed, overdue first")
    listing.add_argument("--json", action="store_true", help="amounts as decimal strings")


def _payments_record(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.domain.enums import PaymentMethod
    from rightsdesk.services import payment_runs
    from rightsdesk.services import issuing, payments
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    advice: dict[Path, bytes] = {}
    try:
        with database.transaction() as session:
            statement_id = issuing.statement_numbered(session, args.number)
            payment_id = payments.record_payment(session, statement_id, payments.PaymentDraft(
                args.amount, args.date, args.reference, PaymentMethod(args.method), args.currency, args.note),
                user=current_user(), overpay=args.overpay, today=payments.today())
            [due] = payments.standing(session, today=date.today(), statement_ids=[statement_id])
            if args.remittance is not None:  # made and written beside its name before the payment is committed:
                from rightsdesk.reports.remittance_pdf import remittance_pdf  # an advice that cannot be written
                from rightsdesk.services import remittance  # refuses the payment, nothing recorded

                advice = {args.remittance: remittance_pdf(remittance.advice_of_payment(session, payment_id))}
                payment_runs.stage(advice)
    except BaseException:
        payment_runs.discard([payment_runs.partial_of(p) for p in advice])
        raise
    if advice:
        payment_runs.put_in_place(advice, recorded=f"the payment of {args.number} IS recorded (do not record it "
                                                   "again); its remittance advice can be saved again from the "
                                                   "statement's Payments tab in the app (Remittance advice…)")
        print(f"Wrote {args.remittance}")
    owed = "nothing more is owed" if due.owed == 0 else (
        f"{_money(-due.owed, due.minor_units)} {due.currency} overpaid" if due.owed < 0 else
        f"{_money(due.owed, due.minor_units)} {due.currency} still owed")
    print(f"Recorded {_money(args.amount, due.minor_units)} {due.currency} paid on {args.number} on {args.date}; {owed}.")
    return 0


def _payments_run(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.reports.payment_runs import run_files
    from rightsdesk.services import payment_runs
    from rightsdesk.services.audit import current_user

    outputs = [p for p in (args.pain, args.csv, args.xlsx, args.remittance) if p is not None]
    if not outputs:
        raise UserError("say what to write: --pain FILE (for the bank), --csv FILE and/or --xlsx FILE")
    migrate.check(database)
    with database.read() as session:
        ids = [_statement_id(session, number) for number in args.statement] if args.statement else None
    # the app's path: files staged beside their targets before the commit, renamed after it
    plan, written = payment_runs.make_run(
        database, execution_date=args.date, period=args.period, statement_ids=ids, label=args.label,
        bank=args.pain is not None, user=current_user(), dry_run=args.dry_run,
        payer_account=(args.from_iban, args.from_bic) if args.from_iban or args.from_bic else None,
        outputs=lambda _plan: payment_runs.RunOutputs(args.pain, args.csv, args.xlsx, args.remittance), render=run_files)
    for path in written:
        print(f"Wrote {path}")
    places = {t.currency: t.minor_units for t in plan.transfers}
    for transfer in plan.transfers:
        print(f"  {transfer.reference:<22} {transfer.participant[:28]:<28} {transfer.currency} "
              f"{_money(transfer.amount, transfer.minor_units):>14}  {transfer.account_shown}  "
              f"({', '.join(s.number for s in transfer.statements)})")
    totals = ", ".join(f"{_money(total, places[c])} {c}" for c, total in plan.totals.items())
    count = len(plan.statement_ids)
    if args.dry_run:
        print(f"Dry run: {plural(len(plan.transfers), 'transfer')} for {plural(count, 'statement')}, {totals}; nothing was recorded.")
    else:
        print(f"Recorded payment run '{plan.label}' for {args.date}: {plural(len(plan.transfers), 'transfer')}, "
              f"{plural(count, 'statement')} paid, {totals}.")
    return 0


def _statement_id(session: object, number: str) -> int:
    from rightsdesk.services import issuing

    return issuing.statement_numbered(session, number)  # type: ignore[arg-type]


def _payments_list(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import payments

    migrate.check(database)
    today = date.today()
    with database.read() as session:
        if args.owed:
            dues = payments.standing(session, today=today, period=args.period, owed_only=True)
        else:
            rows = payments.payments(session, period=args.period)
            places = {}
            if rows:
                from rightsdesk.services import reference
                places = reference.minor_units(session)
    if args.owed:
        dues.sort(key=lambda d: (not d.overdue, d.due_on))
        if args.json:
            _print_json([{"statement": d.number, "deal": d.deal, "participant": d.participant, "period": d.period,
                          "currency": d.currency, "issued_on": d.issued_on.isoformat(), "due_on": d.due_on.isoformat(),
                          "to_pay": _money(d.to_pay, d.minor_units), "paid": _money(d.paid, d.minor_units),
                          "owed": _money(d.owed, d.minor_units), "overdue": d.overdue} for d in dues])
            return 0
        if not dues:
            print("Nothing is owed" + (f" on {args.period}'s statements." if args.period else "."))
        for d in dues:
            print(f"{d.number:<16} {d.period:<8} {d.deal:<14} {d.participant[:28]:<28} {d.currency} owed "
                  f"{_money(d.owed, d.minor_units):>12} of {_money(d.to_pay, d.minor_units):>12}  due {d.due_on}"
                  + ("  OVERDUE" if d.overdue else ""))
        places = {d.currency: d.minor_units for d in dues}
        for currency, total in payments.owed_totals(dues).items():
            print(f"Owed in {currency}: {_money(total, places[currency])}")
        return 0
    if args.json:
        _print_json([{"statement": p.statement, "deal": p.deal, "participant": p.participant, "period": p.period,
                      "paid_on": p.paid_on.isoformat(), "amount": _money(p.amount, places.get(p.currency, 2)),
                      "currency": p.currency, "reference": p.reference, "method": p.method.value, "run": p.run,
                      "recorded_by": p.recorded_by} for p in rows])
        return 0
    if not rows:
        print("No payments recorded" + (f" on {args.period}'s statements." if args.period else "."))
    for p in rows:
        print(f"{p.paid_on}  {p.statement:<16} {p.deal:<14} {p.participant[:28]:<28} {p.currency} "
              f"{_money(p.amount, places.get(p.currency, 2)):>12}  {p.reference}" + (f"  (run {p.run})" if p.run else ""))
    return 0


COMMANDS.update({
    ("payments", "record"): _payments_record,
    ("payments", "run"): _payments_run,
    ("payments", "list"): _payments_list,
})

COMMANDS.update(cli_reference.COMMANDS)  # groups and media (issue 19)
