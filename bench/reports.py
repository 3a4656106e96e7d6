"""Statement documents at scale on the 20 000-title demo.

    .venv/bin/python bench/reports.py [--db bench/demo-20000.db]

Runs 2026-Q1 and Q2, then times the 2026-Q3 run on the demo (building it on first use), then
1 000 statements (PDFs on both cores and the workbook, streamed), the workbook alone written
by XlsxWriter's constant-memory mode (the product's) and by openpyxl's write-only mode side by
side, the export of the whole period as the app does it (statements read from the database),
and one statement of about 100 pages. The 1 000 are the period's statements repeated, each
under its own participant name, exported twice: the first export of a program starts the fork
server PDF workers come from, the second finds it running. Prints one figure a line as `name: value unit`.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rightsdesk.persistence import migrate  # noqa: E402
from rightsdesk.persistence.database import Database  # noqa: E402
from rightsdesk.reports import batch  # noqa: E402
from rightsdesk.reports.statement_pdf import statement_pdf  # noqa: E402
from rightsdesk.reports.statement_workbook import StatementWorkbook  # noqa: E402
from rightsdesk.services.statement_documents import StatementDocument  # noqa: E402
from statement_workbook_openpyxl import OpenpyxlStatementWorkbook  # noqa: E402  (beside this file)
from rightsdesk.services import period_statements, statements  # noqa: E402

PERIOD = "2026-Q3"
COUNT = 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path(__file__).with_name("demo-20000.db"))
    args = parser.parse_args()
    database = Database(args.db)
    if not args.db.exists() or not migrate.check(database):
        from rightsdesk.services.demo import build_demo

        migrate.prepare(database)
        build_demo(database, titles=20000, seed=1)
    migrate.prepare(database)
    # The month-end in order: the quarters before hold their own revenue, so Q3's statements
    # carry Q3's (a deal's first statement takes the revenue of periods never run).
    for earlier in ("2026-Q1", "2026-Q2"):
        with database.transaction() as session:
            statements.run(session, earlier, user="bench")
    started = time.perf_counter()
    with database.transaction() as session:
        ran = statements.run(session, PERIOD, user="bench")
    print(f"statement_run_{PERIOD.replace('-', '_').lower()}: {time.perf_counter() - started:.2f} s")
    print(f"statements_in_demo_period: {len(ran.statements)} statements")

    documents = period_statements.documents(database, PERIOD)[:COUNT]

    def many() -> Iterator[StatementDocument]:
        for n in range(COUNT):
            document = documents[n % len(documents)]
            yield dataclasses.replace(document, participant=f"{document.participant} #{n}", statement_id=n)

    with tempfile.TemporaryDirectory() as folder:
        started, cpu = time.perf_counter(), _cpu()
        result = batch.export_documents(many(), count=COUNT, pdf_dir=Path(folder) / "pdf",
                                        workbook=Path(folder) / "q3.xlsx")
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        size = sum(p.stat().st_size for p in result.pdfs) / len(result.pdfs) / 1024
    print(f"statements_1000_pdfs_and_workbook: {seconds:.1f} s")
    # What the wall time would be on two free cores: the machine is often shared. Under load the
    # CPU seconds grow too (by a third and more at a load of 6, processes sharing cores and
    # caches): the load average says how busy it was.
    print(f"statements_1000_pdfs_and_workbook_cpu: {cpu:.1f} s")
    print(f"load_average_during_1000: {os.getloadavg()[0]:.1f}")
    print(f"statement_pdf_average_size: {size:.0f} KiB")
    # The fork server the PDF workers come from is started once per program (its ~2 s of a
    # core are in the figures above): a program's next export is this one.
    with tempfile.TemporaryDirectory() as folder:
        started, cpu = time.perf_counter(), _cpu()
        batch.export_documents(many(), count=COUNT, pdf_dir=Path(folder) / "pdf", workbook=Path(folder) / "q3.xlsx")
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    print(f"statements_1000_pdfs_and_workbook_again: {seconds:.1f} s")
    print(f"statements_1000_pdfs_and_workbook_again_cpu: {cpu:.1f} s")
    print(f"load_average_during_1000_again: {os.getloadavg()[0]:.1f}")
    for name, writer in (("openpyxl_write_only", OpenpyxlStatementWorkbook), ("xlsxwriter_constant_memory", StatementWorkbook)):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            book = writer(Path(folder) / "q3.xlsx")
            for document in many():
                book.add(document)
            book.close()
            print(f"statement_workbook_{name}_1000: {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        period = period_statements.for_export(database, PERIOD, unstated=True)
        result = batch.export_period(period, pdf_dir=Path(folder) / "pdf", workbook=Path(folder) / "q3.xlsx")
        print(f"statements_export_{PERIOD.replace('-', '_').lower()}: {time.perf_counter() - started:.1f} s "
              f"({len(result.pdfs)} statements)")

    longest = max(documents, key=lambda d: len(d.lines))
    receipts = [line for line in longest.lines if line.kind.value == "gross_receipts"]
    others = [line for line in longest.lines if line.kind.value != "gross_receipts"]
    big = dataclasses.replace(longest, lines=[receipts[n % len(receipts)] for n in range(4150)] + others)
    started = time.perf_counter()
    content = statement_pdf(big)
    seconds = time.perf_counter() - started
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    print(f"statement_pdf_{pages}_pages: {seconds:.2f} s")
    database.dispose()


def _cpu() -> float:
    """CPU seconds of this process, of its workers that have ended, and of the fork server PDF
    workers are forked from, with its workers that have ended (its children, not ours)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime + _fork_server_cpu()


def _fork_server_cpu() -> float:
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() if pid else []
    except OSError:
        fields = []
    # utime, stime, cutime, cstime: fields 14 to 17 of proc(5), counted from the state (field 3)
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK") if fields else 0.0


if __name__ == "__main__":
    main()
