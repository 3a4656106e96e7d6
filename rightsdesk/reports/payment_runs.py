"""A payment run's files, drawn from what services/payment_runs.py read: the bank's
pain.001 file, the payment list as CSV and as a workbook, and a remittance advice per transfer."""

from __future__ import annotations

from pathlib import Path

from rightsdesk.domain.errors import UserError
from rightsdesk.services.payment_runs import RunPapers


def run_files(papers: RunPapers) -> dict[Path, bytes]:
    """Every file the run asks for, by path (the bank file validated); UserError when two would
    be written to one path."""
    from rightsdesk.reports import payment_file  # lxml and reportlab: loaded when a run is made, not
    from rightsdesk.reports.remittance_pdf import remittance_pdf  # when the screen that makes one is

    files: dict[Path, bytes] = {}

    def add(path: Path, content: bytes) -> None:
        if path in files:
            raise UserError(f"two of the run's files would be written to {path}: give each its own name")
        files[path] = content

    outputs, plan = papers.outputs, papers.plan
    if outputs.pain is not None:
        assert papers.payer is not None  # read whenever a bank file is asked for
        add(outputs.pain, payment_file.pain001(plan, papers.payer))
    if outputs.csv is not None:
        add(outputs.csv, payment_file.payment_list_csv(plan))
    if outputs.xlsx is not None:
        add(outputs.xlsx, payment_file.payment_list_workbook(plan))
    if outputs.remittance is not None:
        for advice in papers.advices:
            add(outputs.remittance / advice.file_name, remittance_pdf(advice))
    return files
