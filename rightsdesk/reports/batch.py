"""All statements of a period at once: a PDF per statement and one workbook, on both cores.

PDFs are drawn in worker processes (reportlab is pure Python and holds the GIL); the documents
they need are plain data, loaded once in the calling process. `progress(stage, percent)` is
called as the work goes and may raise to cancel: files already written are removed.
"""

from __future__ import annotations

import os
from multiprocessing import get_context
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.database import Database
from rightsdesk.persistence.models import Statement
from rightsdesk.reports.statement_pdf import statement_pdf
from rightsdesk.reports.statement_workbook import statement_workbook
from rightsdesk.services import statement_documents, statement_revenue, statements
from rightsdesk.services.statement_documents import StatementDocument
from rightsdesk.services.statement_revenue import Unstated

Progress = Callable[[str, int], None]
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MAX_NAME = 120


def safe_file_name(*parts: str, suffix: str) -> str:
    """A file name every file system takes: no path or reserved characters, no trailing dots or
    spaces, not a Windows device name, at most 120 characters before the suffix."""
    joined = "_".join(_FORBIDDEN.sub("-", unicodedata.normalize("NFC", p)).strip() for p in parts if p)
    name = re.sub(r"\s+", " ", joined).strip(" .") or "statement"
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    encoded = name.encode("utf-8")[:MAX_NAME * 2].decode("utf-8", "ignore")  # keep multi-byte names short too
    return encoded[:MAX_NAME].rstrip(" .") + suffix


def file_name(document: StatementDocument) -> str:
    return safe_file_name(document.period, document.participant, document.number or f"DRAFT-{document.statement_id}",
                          suffix=".pdf")


@dataclass
class ExportResult:
    pdfs: list[Path] = field(default_factory=list)
    workbook: Path | None = None


def load_period(database: Database, label: str) -> list[StatementDocument]:
    start, _ = statements.parse_label(label)
    with database.read() as session:
        ids = session.scalars(select(Statement.id).where(Statement.period_start == start).order_by(Statement.id)).all()
        return [statement_documents.load_document(session, i) for i in ids]


def load_unstated(database: Database) -> list[Unstated]:
    """What no statement holds (all periods): the workbook's "Not on a statement" sheet."""
    with database.read() as session:
        return statement_revenue.reconcile(session).lines


def _render(document: StatementDocument) -> bytes:
    return statement_pdf(document)


def export_period(database: Database, label: str, *, pdf_dir: Path | None = None, workbook: Path | None = None,
                  progress: Progress | None = None, workers: int | None = None) -> ExportResult:
    report = progress or (lambda stage, percent: None)
    report("Reading statements", 0)
    documents = load_period(database, label)
    if not documents:
        raise UserError(f"there are no statements for {label}; run the period first")
    unstated = load_unstated(database) if workbook is not None else None
    return export_documents(documents, pdf_dir=pdf_dir, workbook=workbook, progress=report, workers=workers,
                            unstated=unstated)


def export_documents(documents: list[StatementDocument], *, pdf_dir: Path | None = None, workbook: Path | None = None,
                     progress: Progress | None = None, workers: int | None = None,
                     unstated: list[Unstated] | None = None) -> ExportResult:
    """The PDFs and the workbook of these statements (see export_period)."""
    report = progress or (lambda stage, percent: None)
    result = ExportResult()
    count = len(documents)
    processes = workers or min(os.cpu_count() or 1, 4)
    try:
        if pdf_dir is not None and processes > 1 and count > 8:
            pdf_dir.mkdir(parents=True, exist_ok=True)
            # spawn, not fork: the GUI calls this from a worker thread, and forking a threaded
            # Qt process is unsafe. The workers draw PDFs while this process writes the workbook.
            with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
                rendered = pool.map(_render, documents, chunksize=max(1, count // (processes * 8)))
                if workbook is not None:
                    report("Writing the workbook", 5)
                    result.workbook = _write(workbook, statement_workbook(documents, unstated))
                for number, (name, content) in enumerate(zip(_names(documents), rendered), start=1):
                    result.pdfs.append(_write(pdf_dir / name, content))
                    report(f"PDF {number} of {count}", 10 + 90 * number // count)
        else:
            if pdf_dir is not None:
                pdf_dir.mkdir(parents=True, exist_ok=True)
                for number, (name, document) in enumerate(zip(_names(documents), documents), start=1):
                    result.pdfs.append(_write(pdf_dir / name, _render(document)))
                    report(f"PDF {number} of {count}", 90 * number // count)
            if workbook is not None:
                report("Writing the workbook", 92)
                result.workbook = _write(workbook, statement_workbook(documents, unstated))
    except BaseException:
        for path in result.pdfs + ([result.workbook] if result.workbook else []):
            path.unlink(missing_ok=True)
        raise
    report("Done", 100)
    return result


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _names(documents: list[StatementDocument]) -> list[str]:
    return _unique([file_name(d) for d in documents])


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        key = name.lower()
        seen[key] = seen.get(key, 0) + 1
        unique.append(name if seen[key] == 1 else name.replace(".pdf", f" ({seen[key]}).pdf"))
    return unique
