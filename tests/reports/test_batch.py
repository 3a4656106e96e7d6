"""A period's statements at once: safe file names, every PDF and the workbook, cancel leaves nothing."""

import dataclasses
import io

import pytest
from openpyxl import load_workbook

try:
    import resource
except ImportError:  # Windows
    resource = None

from rightsdesk.cli import main
from rightsdesk.domain.errors import UserError
from rightsdesk.reports import batch
from rightsdesk.reports.statement_workbook import statement_workbook
from rightsdesk.services import issuing, period_statements, statement_documents, statements


@pytest.mark.parametrize(("parts", "expected"), [
    (("2026-Q3", "Golden Reel", "ST-2026-000001"), "2026-Q3_Golden Reel_ST-2026-000001.pdf"),
    (("2026-Q3", 'A/B:C*D?"E<F>|G\\H', "X"), "2026-Q3_A-B-C-D-E-F-G-H_X.pdf"),
    (("CON",), "_CON.pdf"),
    (("2026-Q3", "  trailing dots... ", ""), "2026-Q3_trailing dots.pdf"),
    (("2026-Q3", "新娘\x00影业"), "2026-Q3_新娘影业.pdf"),  # control characters are stripped, not replaced
])
def test_file_names_are_safe_everywhere(parts, expected):
    assert batch.safe_file_name(*parts, suffix=".pdf") == expected


def test_long_names_are_cut():
    assert len(batch.safe_file_name("2026-Q3", "x" * 400, suffix=".pdf")) == 124


def _period(database, label):
    return period_statements.for_export(database, label, unstated=True)


@pytest.fixture
def period(database, worked, import_revenue):
    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "15000.00", "USD")], "q3.csv")
    with database.transaction() as session:
        statement_id = statements.run(session, "2026-Q3", user="ana").statements[0]
        issuing.issue(session, statement_id, user="ana")
    return statement_id


def test_a_period_exports_its_pdfs_and_workbook(database, period, tmp_path):
    result = batch.export_period(_period(database, "2026-Q3"), pdf_dir=tmp_path / "pdf", workbook=tmp_path / "q3.xlsx")
    [pdf] = result.pdfs
    assert pdf.name.startswith("2026-Q3_Golden Reel_ST-2026-") and pdf.read_bytes().startswith(b"%PDF")
    assert load_workbook(result.workbook).sheetnames[0] == "Summary"


def test_what_no_statement_holds_is_read_while_the_statements_are(database, period, import_revenue, worked, tmp_path):
    """The workbook's "Not on a statement" sheet (second, after the summary) is read by a
    thread of its own while the workers read and draw the statements: 3-4 s of a core at a
    million lines, which waited before the first statement was read."""
    import threading

    import_revenue(database, worked["source"], [("2026-08", "US", "NOBODY", "5.00", "USD")], "late.csv")
    period_of = _period(database, "2026-Q3")
    read_by = []

    def unstated():
        read_by.append(threading.current_thread())
        return period_of.unstated()

    result = batch.export_period(dataclasses.replace(period_of, unstated=unstated), pdf_dir=tmp_path / "pdf",
                                 workbook=tmp_path / "q3.xlsx")
    assert read_by and read_by[0] is not threading.current_thread()
    book = load_workbook(result.workbook, read_only=True)
    assert book.sheetnames[:2] == ["Summary", "Not on a statement"]
    rows = list(book["Not on a statement"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[7]) for r in rows] == [("NOBODY", 5)]


def test_cancelling_leaves_no_files(database, period, tmp_path):
    def cancel(stage, percent):
        if stage == "Writing the workbook":
            raise KeyboardInterrupt
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        batch.export_period(_period(database, "2026-Q3"), pdf_dir=out / "pdf", workbook=out / "q3.xlsx", progress=cancel)
    assert list(out.iterdir()) == []  # not even the hidden folder the PDFs were written in


def test_a_period_without_statements_says_so(database):
    with pytest.raises(UserError, match="no statements for 2025-Q1"):
        period_statements.for_export(database, "2025-Q1", unstated=False)


def test_the_command(capsys, database, period, tmp_path):
    assert main(["statements", "export", "--db", database.location, "--period", "2026-Q3", "--pdf", str(tmp_path),
                 "--xlsx", str(tmp_path / "q3.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "Wrote 1 PDF" in out and (tmp_path / "q3.xlsx").exists()


def test_statements_stream_through_the_workers_in_their_order(database, period, tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", 1)  # three statements are enough to go through the pool
    result = batch._export([period] * 3, 3, period_statements.Reader(database), pdf_dir=tmp_path / "pdf", workbook=tmp_path / "q3.xlsx",
                           progress=None, workers=2, unstated=None)
    assert [p.name for p in result.pdfs] == [result.pdfs[0].name, result.pdfs[0].name.replace(".pdf", " (2).pdf"),
                                             result.pdfs[0].name.replace(".pdf", " (3).pdf")]
    assert all(p.read_bytes().startswith(b"%PDF") for p in result.pdfs)
    summary = load_workbook(result.workbook, read_only=True)["Summary"]
    assert [row[6] for row in summary.iter_rows(min_row=2, max_row=4, values_only=True)] == ["Golden Reel"] * 3


def test_documents_may_come_from_a_generator(database, period, tmp_path):
    with database.read() as session:
        document = statement_documents.load_document(session, period)
    many = (dataclasses.replace(document, participant=f"Golden Reel {n}") for n in range(12))
    result = batch.export_documents(many, count=12, pdf_dir=tmp_path / "pdf", workbook=tmp_path / "q3.xlsx", workers=2)
    assert [p.name.split("_")[1] for p in result.pdfs] == [f"Golden Reel {n}" for n in range(12)]
    assert len(load_workbook(result.workbook, read_only=True).sheetnames) == 13


def test_the_workbook_is_packed_while_the_workers_still_draw(database, period, tmp_path, monkeypatch):
    """Statements already read are sent ahead of the PDFs drawn (a sixth of them, AHEAD, at most
    MOST_AHEAD), so that when the last is in the workbook and it is packed, the workers still
    have PDFs to draw: both cores busy to the end, not one packing while the other waits."""
    from rightsdesk.reports.statement_workbook import StatementWorkbook

    with database.read() as session:
        document = statement_documents.load_document(session, period)
    monkeypatch.setattr(batch, "CHUNK", 1)
    monkeypatch.setattr(batch, "AHEAD", 2)  # 20 of 40 sent ahead, more than the 8 the workers' window holds
    drawn, drawn_at_packing = [], []
    close = StatementWorkbook.close
    monkeypatch.setattr(StatementWorkbook, "close", lambda book: (drawn_at_packing.append(len(drawn)), close(book)))
    many = (dataclasses.replace(document, participant=f"Golden Reel {n}") for n in range(40))
    result = batch.export_documents(many, count=40, pdf_dir=tmp_path / "pdf", workbook=tmp_path / "q3.xlsx", workers=2,
                                    progress=lambda stage, percent: drawn.append(stage) if stage.startswith("Statement") else None)
    assert len(result.pdfs) == 40 and len(drawn) == 40
    assert 40 - drawn_at_packing[0] >= 19  # PDFs still to come when the workbook was packed
    monkeypatch.setattr(batch, "MOST_AHEAD", 12)
    drawn.clear(), drawn_at_packing.clear()
    many = (dataclasses.replace(document, participant=f"Golden Reel {n}") for n in range(40))
    batch.export_documents(many, count=40, pdf_dir=tmp_path / "again", workbook=tmp_path / "again.xlsx", workers=2,
                           progress=lambda stage, percent: drawn.append(stage) if stage.startswith("Statement") else None)
    assert 40 - drawn_at_packing[0] <= 13


def test_a_periods_workbook_is_packed_while_the_workers_still_draw(database, period, tmp_path, monkeypatch):
    """Statements the workers read go into the workbook as they come back: the last of them (a
    sixth, AHEAD) are read first and drawn after, so that the workbook is packed while the
    workers draw them, not after the last PDF with one core."""
    from rightsdesk.reports.statement_workbook import StatementWorkbook

    monkeypatch.setattr(batch, "CHUNK", 1)
    monkeypatch.setattr(batch, "AHEAD", 4)  # 10 of 40 drawn after the workbook has them
    staged, staged_at_packing = [], []
    close = StatementWorkbook.close
    monkeypatch.setattr(StatementWorkbook, "close", lambda book: (staged_at_packing.append(len(staged)), close(book)))
    result = batch._export([period] * 40, 40, period_statements.Reader(database), pdf_dir=tmp_path / "pdf",
                           workbook=tmp_path / "q3.xlsx", workers=2, unstated=None,
                           progress=lambda stage, percent: staged.append(stage) if stage.startswith("Statement") else None)
    assert staged_at_packing[0] == 30  # PDFs still to come when the workbook was packed
    assert staged == [f"Statement {n} of 40" for n in range(1, 41)]
    first = result.pdfs[0].name
    assert [p.name for p in result.pdfs] == [first] + [first.replace(".pdf", f" ({n}).pdf") for n in range(2, 41)]
    assert all(p.read_bytes().startswith(b"%PDF") for p in result.pdfs)
    assert len(load_workbook(result.workbook, read_only=True).sheetnames) == 41


def test_statements_go_into_the_workbook_while_the_workers_start(database, period, tmp_path, monkeypatch):
    """The first export of a program waits ~2 s for the fork server to load reportlab and the
    fonts: meanwhile this process puts statements already read into the workbook (at most
    MOST_AHEAD) instead of waiting for the workers with a core idle."""
    import threading

    from rightsdesk.reports.statement_workbook import StatementWorkbook

    with database.read() as session:
        document = statement_documents.load_document(session, period)
    monkeypatch.setattr(batch, "CHUNK", 1)
    monkeypatch.setattr(batch, "MOST_AHEAD", 12)
    added, enough, added_when_started = [], threading.Event(), []
    add = StatementWorkbook.add

    def counted(book, statement):
        add(book, statement)
        added.append(statement)
        if len(added) == 10:
            enough.set()

    start = batch._start_workers

    def slow_start(pool, processes):  # the workers start once ten statements are in the workbook
        def started():
            enough.wait(timeout=60)
            added_when_started.append(len(added))
            start(pool, processes).join()
        thread = threading.Thread(target=started)
        thread.start()
        return thread

    monkeypatch.setattr(StatementWorkbook, "add", counted)
    monkeypatch.setattr(batch, "_start_workers", slow_start)
    many = (dataclasses.replace(document, participant=f"Golden Reel {n}") for n in range(40))
    result = batch.export_documents(many, count=40, pdf_dir=tmp_path / "pdf", workbook=tmp_path / "q3.xlsx", workers=2)
    assert added_when_started[0] >= 10
    assert len(result.pdfs) == 40 and len(load_workbook(result.workbook, read_only=True).sheetnames) == 41


def test_exporting_again_replaces_the_pdfs_and_keeps_other_files(database, period, tmp_path):
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "notes.txt").write_text("mine")
    first = batch.export_period(_period(database, "2026-Q3"), pdf_dir=tmp_path / "pdf")
    again = batch.export_period(_period(database, "2026-Q3"), pdf_dir=tmp_path / "pdf")
    assert first.pdfs == again.pdfs
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == sorted([first.pdfs[0].name, "notes.txt"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(resource is None, reason="no file limits to lower on this system")
def test_a_workbook_of_more_statements_than_files_a_process_may_open(database, period):
    with database.read() as session:
        document = statement_documents.load_document(session, period)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
    try:
        content = statement_workbook([dataclasses.replace(document, participant=f"P{n}") for n in range(400)])
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert len(load_workbook(io.BytesIO(content), read_only=True).sheetnames) == 401


def test_control_and_format_characters_never_reach_a_file_name():
    from rightsdesk.reports.batch import safe_file_name

    assert safe_file_name("2026-Q3", "Evil\u202eFdp.exe", "ST-2026-1", suffix=".pdf") == "2026-Q3_EvilFdp.exe_ST-2026-1.pdf"
    assert safe_file_name("A\u200bB\u2066C\x07", suffix=".pdf") == "ABC.pdf"


def test_exported_files_open_for_colleagues_and_what_a_killed_export_left_is_cleared(database, period, tmp_path):
    """Issue 17: the export stages in a hidden folder named with its process id, made with the
    permissions of any new file (mkdtemp's 0700 kept colleagues out), and the next export
    removes what an export killed midway left (its process gone) but not a running one's."""
    import os
    import stat

    dead = tmp_path / f".pdfs.{2 ** 22 + 7}.abcd.partial"  # no such process
    dead.mkdir()
    (dead / "half.pdf").write_bytes(b"%PDF")
    (tmp_path / f".book.{2 ** 22 + 7}.efgh.partial.xlsx").write_bytes(b"PK")
    alive = tmp_path / f".pdfs.{os.getpid()}.ijkl.partial"  # a running export's
    alive.mkdir()
    result = batch.export_period(_period(database, "2026-Q3"), pdf_dir=tmp_path / "pdfs", workbook=tmp_path / "book.xlsx")
    assert result.pdfs and result.workbook
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "pdfs").stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((tmp_path / "book.xlsx").stat().st_mode) == 0o666 & ~mask
    assert not dead.exists() and not (tmp_path / f".book.{2 ** 22 + 7}.efgh.partial.xlsx").exists()
    assert alive.exists()


@pytest.mark.parametrize("start", ["spawn", "forkserver"])
def test_a_pdf_worker_dies_with_the_program_that_started_it(tmp_path, start):
    """A SIGKILLed export left its PDF worker processes running (the kernel's parent-death
    signal now ends them), whether spawned or forked from the fork server the export uses."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "starts_a_worker.py"
    script.write_text(
        "import os, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from multiprocessing import get_context\n"
        "from rightsdesk.reports.batch import _pool_context, _start_worker\n"
        "if __name__ == '__main__':\n"
        f"    context = get_context('spawn') if {start!r} == 'spawn' else _pool_context()\n"
        "    pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker,\n"
        "                               initargs=(os.getpid(),))\n"
        "    print(pool.submit(os.getpid).result(), flush=True)\n"
        "    time.sleep(120)\n")
    program = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    worker = int(program.stdout.readline())

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                return handle.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
        except FileNotFoundError:
            return False

    assert alive(worker)
    program.send_signal(signal.SIGKILL)
    program.wait()
    deadline = time.monotonic() + 10
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(worker)


def test_the_pdf_workers_server_loads_neither_openpyxl_nor_the_workbook_writer():
    """What a program's first export waits for: the fork server's imports (the workbook is the
    export's own process's)."""
    import subprocess
    import sys

    loaded = subprocess.run([sys.executable, "-c", "import sys, rightsdesk.reports.pdf_server; "
                             "print(sorted(m for m in ('openpyxl', 'xlsxwriter', 'rightsdesk.reports.statement_workbook') "
                             "if m in sys.modules))"], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
