"""All statements of a period at once: a PDF per statement and one workbook, on every core.

Statements stream through in a few at a time, so memory stays flat however many there are:
worker processes read each statement (with the reader services/period_statements.py gives,
each process its own read-only connection) and draw its PDF (reportlab is pure Python and holds
the GIL), while this process writes the workbook row by row and the PDFs to disk as they come
back, in order. Everything is written into a temporary folder beside the targets and moved into
place once complete. `progress(stage, percent)` is called as the work goes and may raise to
cancel: then nothing is left behind.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING

from rightsdesk.reports.statement_pdf import statement_pdf
from rightsdesk.services.period_statements import PeriodStatements
from rightsdesk.services.processes import die_with, running
from rightsdesk.services.statement_documents import StatementDocument
from rightsdesk.services.statement_revenue import Unstated

if TYPE_CHECKING:
    from rightsdesk.reports.statement_workbook import StatementWorkbook

Progress = Callable[[str, int], None]
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MAX_NAME = 120
CHUNK = 4  # statements a worker takes at a time: few enough that both cores stay busy to the last
WINDOW = 4  # chunks waiting per worker: what bounds memory
# When statements go into the workbook as they are sent (already read), the workbook is packed
# once the last is sent: about as much work as drawing a sixth of their PDFs (bench/reports.py).
# So many are sent ahead of the PDFs drawn that the workers still have that much to draw while
# it is packed, and both cores stay busy to the end; at most MOST_AHEAD, what bounds memory then.
# Rather than wait for a PDF (the first ones wait for the workers to start), this process sends
# more, up to MOST_AHEAD: each goes into the workbook as it is sent, work done while a core is free.
AHEAD = 6  # statements in all for one sent ahead
MOST_AHEAD = 400


def _visible(text: str) -> str:
    """Text without format and control characters: a right-to-left override in a party's name
    would make "Fdp.exe" of "exe.pdF" in a file list, and a zero-width space hides in a name."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def safe_file_name(*parts: str, suffix: str) -> str:
    """A file name every file system takes: no path or reserved characters, no control or format
    characters (stripped), no trailing dots or spaces, not a Windows device name, at most 120
    characters before the suffix."""
    joined = "_".join(_FORBIDDEN.sub("-", _visible(unicodedata.normalize("NFC", p))).strip() for p in parts if p)
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


Read = Callable[[list[int]], list[StatementDocument]]  # statements by id; picklable to reach a worker


def export_period(period: PeriodStatements, *, pdf_dir: Path | None = None, workbook: Path | None = None,
                  progress: Progress | None = None, workers: int | None = None) -> ExportResult:
    """Each statement of the period as a PDF in `pdf_dir` and all of them in `workbook`
    (either may be None), read and drawn a few at a time on every core."""
    return _export(period.ids, len(period.ids), period.read, pdf_dir=pdf_dir, workbook=workbook, progress=progress,
                   workers=workers, unstated=period.unstated)


def export_documents(documents: Iterable[StatementDocument], *, count: int | None = None, pdf_dir: Path | None = None,
                     workbook: Path | None = None, progress: Progress | None = None, workers: int | None = None,
                     unstated: list[Unstated] | None = None) -> ExportResult:
    """The PDFs and the workbook of statements already read (see export_period); `documents`
    may be a generator when `count` is given."""
    if count is None:
        documents = list(documents)
        count = len(documents)
    return _export(documents, count, None, pdf_dir=pdf_dir, workbook=workbook, progress=progress, workers=workers,
                   unstated=unstated)


def _export(items: Iterable[int | StatementDocument], count: int, read: Read | None, *, pdf_dir: Path | None,
            workbook: Path | None, progress: Progress | None, workers: int | None,
            unstated: list[Unstated] | Callable[[], list[Unstated]] | None) -> ExportResult:
    # Here, not with this module: the PDF workers' fork server loads this module for them, and
    # the workbook's brings openpyxl (~0.15 s of every program's first export, for nothing).
    from rightsdesk.reports.statement_workbook import UNSTATED_LATER, StatementWorkbook

    report = progress or (lambda stage, percent: None)
    processes = workers or min(os.cpu_count() or 1, 4)
    render = pdf_dir is not None
    with ExitStack() as stack:
        staging = stack.enter_context(_Staging(pdf_dir, workbook))
        unstated_read: Future | None = None
        if callable(unstated) and staging.workbook:  # read by a thread while the workers start and draw
            reading = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="Not on a statement"))
            unstated_read, unstated = reading.submit(unstated), UNSTATED_LATER
        book = stack.enter_context(StatementWorkbook(staging.workbook, unstated)) if staging.workbook else None
        staged = 0

        def stage(document: StatementDocument, content: bytes | None) -> None:
            nonlocal staged
            staged += 1
            if content is not None:
                staging.add_pdf(file_name(document), content)
            report(f"Statement {staged} of {count}", 95 * staged // count)

        later: _DrawnLater | None = None
        if processes > 1 and count > 2 * CHUNK:
            pool = ProcessPoolExecutor(processes, mp_context=_pool_context(), initializer=_start_worker,
                                       initargs=(os.getpid(),))
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)  # on cancel, what has not started never does
            later = _DrawnLater(pool)
            early = book is not None and read is None
            tail = min(count // AHEAD, MOST_AHEAD) if book is not None and render else 0
            if early:  # statements already read go into the workbook as they are sent, while workers start and draw
                items = _adding(items, book)  # type: ignore[arg-type]
            window = most = processes * WINDOW
            if early and render:
                window = max(window, tail // CHUNK)
                most = max(window, MOST_AHEAD // CHUNK)
            done = _in_order(pool, items, render, read, window=window, most=most,
                             starting=_start_workers(pool, processes) if early else None,
                             drawn=count - tail if read is not None else None)
        else:
            early, done = False, _here(items, render, read)
        # "Not on a statement" is written as soon as it is read, a part between two statements
        # while the workers draw: at a month-end of a million lines its 200 000 rows are seconds
        # of this thread's work, which at the end (before the workbook's packing) left a core
        # idle, and at once in the middle kept the workers waiting for statements to draw.
        unstated_parts: Iterator[None] = iter(())
        for document, content in done:
            if unstated_read is not None and unstated_read.done():
                unstated_parts, unstated_read = book.adding_unstated(unstated_read.result()), None  # type: ignore[union-attr]
            next(unstated_parts, None)
            if book is not None and not early:
                book.add(document)
            if content is None and render and later is not None:  # read ahead of its PDF: see _DrawnLater
                later.add(document)
            else:
                stage(document, content)
        if later is not None:
            later.send()
        if book is not None:
            report("Writing the workbook", 95 * staged // count)
            if unstated_read is not None:
                unstated_parts = book.adding_unstated(unstated_read.result())
            for _ in unstated_parts:  # (what is left of it)
                pass
            book.close()
        for document, content in later.drawn() if later is not None else ():
            stage(document, content)
        return staging.finish()


class _DrawnLater:
    """Statements the workers read ahead of drawing them: when they read a period's statements,
    each goes into the workbook as it comes back, and the workbook is packed once the last is
    in. The last (a sixth, at most MOST_AHEAD) are read first and drawn after, while it is
    packed, so that both cores stay busy to the end."""

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool
        self.waiting: list[StatementDocument] = []
        self.sent: deque[tuple[list[StatementDocument], Future]] = deque()

    def add(self, document: StatementDocument) -> None:
        self.waiting.append(document)
        if len(self.waiting) == CHUNK:
            self.send()

    def send(self) -> None:
        """What waits, to the workers."""
        if self.waiting:
            self.sent.append((self.waiting, self.pool.submit(_work, self.waiting, True)))
            self.waiting = []

    def drawn(self) -> Iterator[tuple[StatementDocument, bytes | None]]:
        """Each statement sent and its PDF, in the order they were added."""
        for chunk, future in self.sent:
            for document, (_, content) in zip(chunk, future.result()):
                yield document, content


def _pool_context() -> BaseContext:
    """Where PDF workers come from: a fork server started once per program (a fresh,
    single-threaded interpreter that has imported reportlab and loaded the fonts,
    reports/pdf_server.py), each worker forked from it in milliseconds. A spawned worker spent
    ~2 s of CPU importing and loading fonts before its first PDF, at every export. Never a fork
    of this process: the GUI calls this from a worker thread, and forking a threaded Qt
    process is unsafe. Spawn where there is no fork server (Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    context.set_forkserver_preload(["rightsdesk.reports.pdf_server"])  # read when the server starts
    return context


def _start_worker(parent: int) -> None:
    die_with(parent)


def _work(items: list[int | StatementDocument], render: bool,
          read: Read | None = None) -> list[tuple[StatementDocument | None, bytes | None]]:
    """Each item's document (read here when given by id, else None: the caller has it) and its PDF."""
    wanted = [item for item in items if isinstance(item, int)]
    if wanted:
        assert read is not None, "statements given by id need a reader"
        loaded = iter(read(wanted))
    done: list[tuple[StatementDocument | None, bytes | None]] = []
    for item in items:
        if isinstance(item, int):
            document = next(loaded)
            done.append((document, statement_pdf(document) if render else None))
        else:  # not sent back: pickling it again cost as much as sending it
            done.append((None, statement_pdf(item) if render else None))
    return done


def _start_workers(pool: ProcessPoolExecutor, processes: int) -> threading.Thread:
    """The pool's workers started by a thread of their own: the first waits for the fork server
    to load reportlab and the fonts (~2 s of a core, the first export of a program), and the
    pool's submit() holds its lock throughout, which would keep this process from anything else."""
    def start() -> None:
        try:
            for _ in range(processes):  # each submitted before any has finished: a worker each
                pool.submit(int)
        except Exception:  # noqa: BLE001 (a pool that cannot start raises again at the export's next submit)
            pass

    starting = threading.Thread(target=start, name="PDF workers' start", daemon=True)
    starting.start()
    return starting


def _in_order(pool: ProcessPoolExecutor, items: Iterable[int | StatementDocument], render: bool, read: Read | None,
              window: int, most: int | None = None, starting: threading.Thread | None = None,
              drawn: int | None = None) -> Iterator[tuple[StatementDocument, bytes | None]]:
    """Each item's document and PDF, in the items' order, `window` chunks at work or waiting:
    the rest of `items` is not read until there is room. While the next chunk is not back, or
    the workers are `starting`, more are taken instead of waiting, up to `most` chunks (taking
    an item may be work: see _adding). Only the first `drawn` items (by chunks) are drawn
    when a number is given; the others come back read, without a PDF."""
    most = max(most or window, window)
    source = iter(items)
    chunks = iter(lambda: list(islice(source, CHUNK)), [])
    pending: deque[tuple[list[int | StatementDocument], Future]] = deque()
    sent = 0

    def submit(chunk: list[int | StatementDocument]) -> None:
        nonlocal sent
        draw = render and (drawn is None or sent < drawn)
        pending.append((chunk, pool.submit(_work, chunk, draw, read)))
        sent += len(chunk)

    def send() -> bool:
        """The next chunk to the workers; False when there is none."""
        following = next(chunks, None)
        if following is not None:
            submit(following)
        return following is not None

    more = True
    if starting is not None:  # taken while the workers start, sent once they have
        taken = []
        while starting.is_alive() and len(taken) < most:
            following = next(chunks, None)
            if following is None:
                more = False
                break
            taken.append(following)
        starting.join()
        for following in taken:
            submit(following)
    while more and len(pending) < window:
        more = send()
    while pending:
        chunk, future = pending[0]
        while more and len(pending) < most and not future.done():
            more = send()
        pending.popleft()
        results = future.result()
        if more and len(pending) < window:
            more = send()
        for item, (loaded, content) in zip(chunk, results):
            yield loaded if loaded is not None else item, content  # type: ignore[misc]


def _adding(documents: Iterable[StatementDocument], book: StatementWorkbook) -> Iterator[StatementDocument]:
    for document in documents:
        book.add(document)
        yield document
    book.close()  # every statement is in: packed while the workers draw the last PDFs, not after them


def _here(items: Iterable[int | StatementDocument], render: bool,
          read: Read | None) -> Iterator[tuple[StatementDocument, bytes | None]]:
    """The same as _in_order, in this process: for a few statements, or one core."""
    for item in items:
        [(loaded, content)] = _work([item], render, read)
        yield loaded if loaded is not None else item, content  # type: ignore[misc]


class _Staging:
    """Where an export writes until it is complete: a hidden folder beside the PDFs' folder and
    a hidden file beside the workbook. finish() moves them into place; leaving the block
    without finishing removes them."""

    def __init__(self, pdf_dir: Path | None, workbook: Path | None) -> None:
        self.pdf_dir, self.target = pdf_dir, workbook
        self.pdfs: Path | None = None
        self.workbook: Path | None = None
        self.names: list[str] = []  # of the PDFs, in the order written
        self.seen: dict[str, int] = {}

    def add_pdf(self, name: str, content: bytes) -> None:
        """Write a PDF, its name told apart from an earlier one's when they would be the same
        (names compared as a case-insensitive file system does)."""
        key = name.lower()
        self.seen[key] = self.seen.get(key, 0) + 1
        if self.seen[key] > 1:
            name = name.replace(".pdf", f" ({self.seen[key]}).pdf")
        assert self.pdfs is not None
        (self.pdfs / name).write_bytes(content)
        self.names.append(name)

    def __enter__(self) -> _Staging:
        # Named with this process's id, so that what a killed export left is known and removed
        # by the next one; made with the permissions of any new file (mkdtemp gives 0700, which
        # colleagues on a shared drive could not open).
        mask = _umask()
        if self.pdf_dir is not None:
            self.pdf_dir.parent.mkdir(parents=True, exist_ok=True)
            _remove_left_behind(self.pdf_dir.parent, f".{self.pdf_dir.name}.", ".partial")
            self.pdfs = Path(tempfile.mkdtemp(prefix=f".{self.pdf_dir.name}.{os.getpid()}.", suffix=".partial",
                                              dir=self.pdf_dir.parent))
            self.pdfs.chmod(0o777 & ~mask)
        if self.target is not None:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            _remove_left_behind(self.target.parent, f".{self.target.stem}.", ".partial.xlsx")
            handle, name = tempfile.mkstemp(prefix=f".{self.target.stem}.{os.getpid()}.", suffix=".partial.xlsx",
                                            dir=self.target.parent)
            os.close(handle)
            self.workbook = Path(name)
            self.workbook.chmod(0o666 & ~mask)
        return self

    def finish(self) -> ExportResult:
        """Move what was written into place (replacing files of the same names) and say where."""
        result = ExportResult()
        if self.pdfs is not None and self.pdf_dir is not None:
            if not self.pdf_dir.exists():
                os.replace(self.pdfs, self.pdf_dir)
            else:  # exported before: the new PDFs replace the old of the same names
                for name in self.names:
                    os.replace(self.pdfs / name, self.pdf_dir / name)
                self.pdfs.rmdir()
            self.pdfs = None
            result.pdfs = [self.pdf_dir / name for name in self.names]
        if self.workbook is not None and self.target is not None:
            os.replace(self.workbook, self.target)
            self.workbook = None
            result.workbook = self.target
        return result

    def __exit__(self, *_: object) -> None:
        if self.pdfs is not None:
            shutil.rmtree(self.pdfs, ignore_errors=True)
        if self.workbook is not None:
            self.workbook.unlink(missing_ok=True)


def _umask() -> int:
    """The process's umask, read without changing it (os.umask sets it while reading it, and
    another thread may be making a file at that moment)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def _remove_left_behind(folder: Path, prefix: str, suffix: str) -> None:
    """What an export killed midway left in `folder` (its staging folder or workbook, named
    prefix + process id + random part + suffix), when that process is gone."""
    for path in folder.glob(f"{prefix}*{suffix}"):
        owner = path.name[len(prefix):].split(".", 1)[0]
        if not owner.isdigit() or running(int(owner)):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
