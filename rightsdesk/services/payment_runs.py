"""A payment run made end to end, the same way from the app and the command line (issue 20):
planned, its files made (the bank file validated) and written beside their targets as
`.partial` files, the run recorded in one transaction, and only then the files renamed into
place. Anything that cannot be written is found before anything is recorded; a failure leaves
neither a statement paid nor a bank file for money not recorded.

The files are drawn by a renderer the caller passes (reports/payment_runs.py: run_files): the
run reads, renders and records in one transaction, and services do not import reports.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.database import Database
from rightsdesk.services import payments, remittance
from rightsdesk.services.payments import Payer, RunPlan
from rightsdesk.services.remittance import RemittanceAdvice

PARTIAL = ".partial"


@dataclass(frozen=True)
class RunOutputs:
    """Where each file of a run goes (None: not written)."""

    pain: Path | None = None
    csv: Path | None = None
    xlsx: Path | None = None
    remittance: Path | None = None  # a folder: one advice PDF per transfer

    @classmethod
    def in_folder(cls, folder: Path, label: str, *, pain: bool, csv: bool, xlsx: bool, advice: bool) -> RunOutputs:
        """The app's files: named after the run's label, in one folder (the advice in 'remittance')."""
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in label) or "payment-run"
        return cls(folder / f"{stem}.xml" if pain else None, folder / f"{stem}.csv" if csv else None,
                   folder / f"{stem}.xlsx" if xlsx else None, folder / "remittance" if advice else None)


@dataclass(frozen=True)
class RunPapers:
    """What a run's files are made from: the plan, where each file goes, the account paid from
    (for the bank file) and an advice per transfer (when advices are asked for)."""

    plan: RunPlan
    outputs: RunOutputs
    payer: Payer | None
    advices: list[RemittanceAdvice]


RenderRun = Callable[[RunPapers], dict[Path, bytes]]  # the files by path (reports/payment_runs.py: run_files)


def papers_of_run(session: Session, plan: RunPlan, outputs: RunOutputs) -> RunPapers:
    """What the files `outputs` asks for are made from, read in the run's transaction."""
    return RunPapers(plan, outputs, payments.payer(session) if outputs.pain is not None else None,
                     remittance.run_advices(session, plan) if outputs.remittance is not None else [])


def partial_of(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL)


def stage(files: dict[Path, bytes]) -> None:
    """Write every file beside its target as a `.partial` file, so that renaming it into place
    later cannot fail for anything found now (a folder in the way, a folder that cannot be made
    or written to). On any failure the partial files written are removed and UserError says
    which file and why."""
    written: list[Path] = []
    try:
        for path, content in files.items():
            if path.is_dir():
                raise UserError(f"cannot write {path}: it is a folder; give a file name")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = partial_of(path)
                partial.write_bytes(content)
            except OSError as error:
                raise UserError(f"cannot write {path}: {error.strerror or error}") from error
            written.append(partial)
    except BaseException:
        discard(written)
        raise


def discard(partials: list[Path]) -> None:
    """Remove staged files (those never written, or already gone, are no error)."""
    for partial in partials:
        with contextlib.suppress(OSError):
            partial.unlink()


def put_in_place(files: dict[Path, bytes], *, recorded: str) -> None:
    """Rename the staged files to their names. `recorded` says what is already committed, for
    the message should a rename fail (the files are then left as `.partial`)."""
    left = []
    for path in files:
        try:
            os.replace(partial_of(path), path)
        except OSError as error:
            left.append(f"{partial_of(path)} ({error.strerror or error})")
    if left:
        raise UserError(f"{recorded}, but these files could not take their names and are left as: "
                        f"{'; '.join(left)}. Rename them by hand.")


def _shape(plan: RunPlan) -> list[tuple]:
    return [(t.party_id, t.currency, t.bank, tuple((s.statement_id, s.owed) for s in t.statements))
            for t in plan.transfers]


def make_run(database: Database, *, execution_date: date, period: str | None, statement_ids: list[int] | None,
             label: str, outputs: Callable[[RunPlan], RunOutputs], render: RenderRun, bank: bool, user: str,
             payer_account: tuple[str, str] | None = None, approved: RunPlan | None = None, dry_run: bool = False,
             report: Callable[[str, int], None] = lambda _what, _percent: None) -> tuple[RunPlan, list[Path]]:
    """Plan, stage the files, record the run in one transaction, then put the files in place.

    `outputs`: where the plan's files go; `render`: makes them (the bank file validated, UserError
    when it cannot be); `bank`: a bank run (every participant needs bank
    details). `approved`: the plan the user previewed and approved: the run is refused
    ("prepare the run again") unless what is owed, to whom and to which account is still what
    it showed, and its transfer references are the ones written. `dry_run`: the files are
    written, nothing is recorded (not even the account paid from). Returns the plan and the
    files written."""
    with database.transaction() as session:
        if payer_account is not None:
            payments.save_payer_account(session, *payer_account)
        report("working out what is owed", 10)
        plan = payments.plan_run(session, execution_date=execution_date, period=period, statement_ids=statement_ids,
                                 label=label, bank=bank) if approved is None else _agreed(session, approved, period,
                                                                                         statement_ids, bank)
        report("writing the files", 40)
        files = render(papers_of_run(session, plan, outputs(plan)))
        stage(files)
        try:
            if dry_run:
                session.rollback()  # records nothing, not even the account paid from
            else:
                report("recording the payments", 80)
                payments.record_run(session, plan, user=user)
        except BaseException:
            discard([partial_of(p) for p in files])
            raise
    count = len(plan.statement_ids)
    put_in_place(files, recorded="nothing was recorded (a dry run)" if dry_run else
                 f"the payment run '{plan.label}' IS recorded ({count} statement{'s' if count != 1 else ''} paid; "
                 "do not run it again)")
    return plan, list(files)


def _agreed(session: Session, approved: RunPlan, period: str | None, statement_ids: list[int] | None,
            bank: bool) -> RunPlan:
    """The approved plan, once a plan made now agrees with it."""
    try:
        fresh = payments.plan_run(session, execution_date=approved.execution_date, period=period,
                                  statement_ids=statement_ids, label=approved.label, bank=bank)
    except UserError as error:
        raise UserError(f"the run previewed cannot be made any more ({error}): prepare the run again") from error
    if _shape(fresh) != _shape(approved):
        raise UserError("what is owed on the statements previewed changed since the run was prepared (a payment was "
                        "recorded, or a statement or bank details changed, meanwhile): prepare the run again")
    return approved
