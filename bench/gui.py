"""The window at real volume: how soon it is usable, and the longest the Qt event loop stalls
while a user starts it, visits every screen and does a month-end, on the 20 000-title demo.

    .venv/bin/python bench/gui.py [--db bench/demo-20000.db] [--lines 100000] [--soak ROUNDS]

Builds the demo database on first use (bench/royalties.py's) and works on a copy of it, in a
temporary folder with its own settings, offscreen (QT_QPA_PLATFORM=offscreen), the program's
modules byte-compiled first as an installed program's are. Before the
window opens, 2026-Q1 and Q2 are run and issued as earlier month-ends would have (a deal's
statements are issued in order). Then, with a timer ticking every 10 ms on the UI thread and
the longest gap between two ticks kept per phase (a gap is a stall: the window did not answer):

- start: a child process from its start to the window shown and the event loop idle
  (`startup_to_window`), and from the MainWindow's construction (`startup_window_only`); in
  this process, the window built (`startup_open_window`: before the event loop first runs,
  with no window on screen, not a stall), then the start until the home screen's attention
  list is in;
- every screen shown in turn, each until its lists are filled and its background reads done;
- a `--lines` CSV imported through Revenue > Import report (the wizard driven as a user's
  clicks would: the file, the title column, Next, Next, Import, each once the window has
  handled the one before);
- one unmatched identifier assigned to a title on Revenue > Unmatched;
- 2026-Q3 run, then its drafts issued, through the Statements screen's actions;
- with `--soak ROUNDS`, every screen visited and read again ROUNDS times: how much memory and
  how many frozen objects each round adds until the next idle sweep (ui.memory), how long the
  sweep takes, and what is still frozen after it against before (`soak_*`).

Prints one figure a line as `name: value unit`, a stall with how much of it the UI thread spent
computing (its own CPU time) and waiting for a core (on a loaded machine; Linux's schedstat): the
rest is the UI thread waiting for the GIL (or for a lock, a file), then `#` notes: the screens that stalled over
100 ms and what any message box said. With `--stacks FILE`, each stall's stacks of every thread
go to FILE: a UI thread waiting in the event loop while a worker runs Python is a stall from
the GIL (or from a loaded machine), not from work on the UI thread.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()

import argparse  # noqa: E402  (the clock starts before the imports a start-up pays for)
import faulthandler  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TICK_MS = 10
STACKS_AFTER_S = 0.15
SETTLE_MS = 300  # quiet time after a phase's work is done, in which a late stall still counts
CLICK_MS = 150  # between two of a user's clicks: the window handles one before the next comes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path(__file__).with_name("demo-20000.db"))
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--stacks", type=Path, help="write every thread's stack here whenever the event loop "
                                                    "has not ticked for 150 ms (where each stall is); faulthandler "
                                                    "reads the threads as they run, which can crash the bench")
    parser.add_argument("--no-month-end", action="store_true", help="stop after the assignment (the run and issue "
                                                                     "take minutes; for working on the other phases)")
    parser.add_argument("--soak", type=int, default=0, metavar="ROUNDS",
                        help="then visit every screen and read it again ROUNDS times, and print how memory grows "
                             "between two idle sweeps (ui.memory) and how long a sweep takes")
    parser.add_argument("--startup", type=Path, help=argparse.SUPPRESS)  # the child that times a start
    args = parser.parse_args()
    if args.startup:
        _startup_child(args.startup)
        return

    import royalties

    royalties._demo(args.db)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")  # settings of its own, none remembered
        database = work / "product.db"
        shutil.copy(_with_earlier_month_ends(args.db), database)
        report = work / "platform-2026-q3.csv"
        royalties._report(database, report, args.lines)
        _byte_compiled()
        for name, value in _startup_in_child(database).items():
            print(f"{name}: {value:.0f} ms", flush=True)
        _drive(database, report, args.lines, args.stacks, month_end=not args.no_month_end, soak=args.soak)


# -- start-up, in a process of its own -----------------------------------------------------------


def _byte_compiled() -> None:
    """The program's modules compiled to bytecode beside them, as an installed program's are
    (pip and the bundle compile them): where PYTHONDONTWRITEBYTECODE is set, or a module was
    edited since, every start compiled the sources again, 0.4-0.7 s of the start-up, and a
    module compiled in a worker held the interpreter for all of it (a stall of the window)."""
    import compileall

    import rightsdesk

    compileall.compile_dir(Path(rightsdesk.__file__).parent, quiet=1)



def _startup_in_child(database: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--startup", str(database)], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    figures = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(": ")
        if name.startswith("startup_"):
            figures[name] = float(value.split()[0])
    if done.returncode or not figures:
        raise SystemExit(f"the start-up child failed:\n{done.stdout}\n{done.stderr}")
    return figures


def _startup_child(database: Path) -> None:
    from rightsdesk import cli  # what `rightsdesk` loads, in its order (the GUI's start after the models)

    window_start = cli.window_module()
    application, open_window = window_start.application, window_start.open_window
    from PySide6.QtCore import QTimer

    app = application()
    constructed = time.perf_counter()
    window = open_window(str(database))
    assert window is not None

    def idle() -> None:  # the first timer after the window is shown and every queued event handled
        now = time.perf_counter()
        print(f"startup_to_window: {(now - PROCESS_START) * 1000:.0f} ms (process start to shown and idle)")
        print(f"startup_window_only: {(now - constructed) * 1000:.0f} ms (open_window, the window's construction included, to idle)")
        window.close()
        window.wait_for_background()
        app.quit()

    QTimer.singleShot(0, idle)
    app.exec()


# -- earlier month-ends, before the window ---------------------------------------------------------


def _with_earlier_month_ends(demo: Path) -> Path:
    """The demo with 2026-Q1 and Q2 run and issued, made once beside it (a few minutes; delete
    it to make it again)."""
    prepared = demo.with_name(demo.stem + "-q2-issued.db")
    if not prepared.exists():
        with tempfile.TemporaryDirectory() as folder:  # (issuing backs the file up beside it)
            making = Path(folder) / prepared.name
            shutil.copy(demo, making)
            _earlier_month_ends(making)
            shutil.move(making, prepared)
    else:
        _upgraded(prepared)  # a migration added since: not to be timed in the start-up
    return prepared


def _upgraded(path: Path) -> None:
    from rightsdesk.persistence import migrate
    from rightsdesk.persistence.database import Database

    database = Database(path)
    current = migrate.check(database) == migrate.head_revision()
    database.dispose()
    if not current:
        with tempfile.TemporaryDirectory() as folder:  # (the backup before upgrading goes beside it)
            copy = Path(folder) / path.name
            shutil.copy(path, copy)
            database = Database(copy)
            migrate.prepare(database)
            database.dispose()
            shutil.move(copy, path)


def _earlier_month_ends(path: Path) -> None:
    from rightsdesk.persistence import migrate
    from rightsdesk.persistence.database import Database
    from rightsdesk.services import issuing, statements
    from rightsdesk.domain.enums import StatementStatus

    database = Database(path)
    migrate.prepare(database)
    for period in ("2026-Q1", "2026-Q2"):
        with database.transaction() as session:
            statements.run(session, period, user="bench")
        with database.read() as session:
            drafts = [i for i, _, status in issuing.period_statements(session, period) if status is StatementStatus.DRAFT]
        if drafts:
            issuing.issue_statements(database, drafts, user="bench")
    database.dispose()


# -- the stall logger and the phases --------------------------------------------------------------


class Stalls:
    """A timer on the UI thread: the longest gap between two ticks, per phase."""

    def __init__(self, stacks: Path | None = None) -> None:
        from PySide6.QtCore import QTimer

        # faulthandler's own thread writes the stacks, needing neither the GIL nor the event loop.
        self.stacks = stacks.open("w") if stacks else None
        self.longest: dict[str, float] = {}
        self.busy: dict[str, float] = {}  # of the longest stall, the milliseconds the UI thread itself computed
        self.queued: dict[str, float] = {}  # ... and those it was ready to run, waiting for a core
        self.where: dict[str, str] = {}
        self.phase = "start"
        self.doing = ""
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.last_queued = _queued()
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        if self.stacks:
            faulthandler.dump_traceback_later(STACKS_AFTER_S, file=self.stacks)
        now, cpu, queued = time.perf_counter(), time.thread_time(), _queued()
        gap = (now - self.last) * 1000
        busy, waited = (cpu - self.last_cpu) * 1000, queued - self.last_queued
        self.last, self.last_cpu, self.last_queued = now, cpu, queued
        if gap > self.longest.get(self.phase, 0):
            self.longest[self.phase] = gap
            self.busy[self.phase] = busy
            self.queued[self.phase] = waited
            self.where[self.phase] = self.doing

    def enter(self, phase: str) -> None:
        self.phase, self.doing = phase, ""
        self.longest.setdefault(phase, 0.0)
        self.last, self.last_cpu, self.last_queued = time.perf_counter(), time.thread_time(), _queued()

    def step(self, doing: str) -> None:
        """Name what the UI thread is about to do (a stall is put down to the step it ended in)."""
        self.doing = doing
        if self.stacks:
            self.stacks.write(f"\n=== {self.phase}: {doing} at {time.perf_counter():.3f}\n")
            self.stacks.flush()

    def click(self, doing: str) -> None:
        """A user's next click: `step`, once the window has handled the one before, as it would
        between two clicks (clicks run back to back, with no turn of the event loop between
        them, made one stall of several: the import wizard's four made a 130 ms one)."""
        wait_until(lambda: True, settle_ms=CLICK_MS)
        self.step(doing)


_schedstat: int | None = None


def _queued() -> float:
    """Milliseconds the UI thread has spent ready to run but waiting for a core (Linux's
    schedstat; 0 elsewhere): on a loaded machine, the part of a stall that is not the program's.
    The file is opened once, by the UI thread (opening it at every tick cost the thread 0.5 ms)."""
    global _schedstat
    try:
        if _schedstat is None:
            _schedstat = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        return int(os.pread(_schedstat, 128, 0).split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def wait_until(condition: Callable[[], bool], timeout: float = 600.0, settle_ms: int = SETTLE_MS) -> float:
    """Run the event loop until the condition holds (then `settle_ms` more); seconds taken."""
    from PySide6.QtCore import QEventLoop, QTimer

    started = time.perf_counter()
    loop = QEventLoop()
    poll = QTimer(interval=20)

    def check() -> None:
        if condition() or time.perf_counter() - started > timeout:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(0, check)
    loop.exec()
    poll.stop()
    taken = time.perf_counter() - started
    if not condition():
        raise SystemExit(f"timed out after {timeout:.0f} s")
    if settle_ms:
        pause = QEventLoop()
        QTimer.singleShot(settle_ms, pause.quit)
        pause.exec()
    return taken


def _settled(page: object) -> bool:
    """A screen's lists are filled and nothing of it is read in the background."""
    from rightsdesk.ui.operations import Quiet
    from rightsdesk.ui.table import RecordList

    lists = [found for found in page.findChildren(RecordList) if found.isVisible()]  # type: ignore[attr-defined]
    busy = [getattr(page, name)() for name in ("reading", "acting") if hasattr(page, name)]  # (the Revenue screen's)
    return (all(found.model.filled for found in lists) and not any(busy)
            and not any(quiet.running() for quiet in page.findChildren(Quiet)))  # type: ignore[attr-defined]


def _drive(database: Path, report: Path, lines: int, stacks: Path | None, *, month_end: bool = True,
           soak: int = 0) -> None:
    from PySide6.QtWidgets import QMessageBox

    from rightsdesk.ui import errors, operations
    from rightsdesk.ui.app import application, open_window
    from rightsdesk.ui.main_window import AREAS, SCREENS

    app = application()
    said: list[str] = []  # a message box would wait for a click: the bench notes it and goes on
    for name in ("critical", "warning", "information"):
        setattr(QMessageBox, name, staticmethod(lambda parent, title, text, *a, **k: said.append(f"{title}: {text}") or 0))
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)  # type: ignore[method-assign]
    QMessageBox.exec = lambda self: said.append(self.text()) or 0  # type: ignore[method-assign]
    def crash(kind: type, error: BaseException, trace: object) -> None:
        said.append(f"crash: {kind.__name__}: {error}")

    errors.show_crash = operations.show_crash = crash  # type: ignore[assignment]

    stalls = Stalls(stacks)
    stalls.enter("open_window")
    started = time.perf_counter()
    stalls.step("open_window")
    window = open_window(str(database))
    assert window is not None
    # The window is built before the event loop first runs: no window on screen yet, so no
    # stall, but the start-up's time (startup_to_window); the start's stalls count from here.
    print(f"startup_open_window: {(time.perf_counter() - started) * 1000:.0f} ms (building the window, "
          "before it shows)", flush=True)
    stalls.enter("start")
    stalls.step("home")
    wait_until(lambda: _settled(window.home) and not (window.backup_check and window.backup_check.running()))
    print(f"startup_to_attention_list: {(time.perf_counter() - started) * 1000 - SETTLE_MS:.0f} ms", flush=True)

    stalls.enter("visit_pages")
    per_page = {}
    for area in AREAS:
        if area.key not in SCREENS:
            continue
        before = dict(stalls.longest)
        stalls.longest["page"] = 0.0
        stalls.phase = "page"
        stalls.step(f"show {area.key}")
        window.show_area(area.key)
        wait_until(lambda: _settled(window.page(area.key)))
        per_page[area.key] = (stalls.longest["page"], stalls.where.get("page", ""), stalls.busy.get("page", 0.0),
                              stalls.queued.get("page", 0.0))
        stalls.longest = before
        stalls.longest["visit_pages"] = max(stalls.longest.get("visit_pages", 0), per_page[area.key][0])
        stalls.phase = "visit_pages"
    for key, (gap, _, busy, queued) in per_page.items():
        print(f"stall_visit_{key}_max: {gap:.0f} ms (UI thread busy {busy:.0f} ms, waiting for a core {queued:.0f} ms "
              "of it)", flush=True)
    print(f"stall_visit_pages_max: {stalls.longest['visit_pages']:.0f} ms", flush=True)

    try:
        _import(window, stalls, report, lines)
        _assign(window, stalls)
        if month_end:
            _run_and_issue(window, stalls)
    finally:
        _report(stalls, per_page, said)
    try:
        if soak:
            _soak(window, soak)
    finally:
        window.close()
        window.wait_for_background()


def _soak(window, rounds: int) -> None:  # type: ignore[no-untyped-def]
    """A day's use between two idle sweeps, in small: every screen visited and read again
    `rounds` times. What background work left alive is frozen (ui.memory), the cycles among it
    too until the next sweep: the growth per round is that, plus whatever a screen keeps."""
    import gc

    from rightsdesk.ui import memory
    from rightsdesk.ui.main_window import AREAS, SCREENS

    def resident_mb() -> float:
        with open("/proc/self/statm") as statm:  # (Linux: pages resident now, not the peak)
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    memory.sweep()
    first_mb, first_frozen = resident_mb(), gc.get_freeze_count()
    for _ in range(rounds):
        for area in AREAS:
            if area.key in SCREENS:
                window.show_area(area.key)
                page = window.page(area.key)
                wait_until(lambda: _settled(page), settle_ms=0)  # noqa: B023 (called at once)
                if hasattr(page, "refresh"):
                    page.refresh()
                    wait_until(lambda: _settled(page), settle_ms=0)  # noqa: B023
    grown_mb, frozen = resident_mb() - first_mb, gc.get_freeze_count() - first_frozen
    started = time.perf_counter()
    memory.sweep()
    print(f"soak_rounds: {rounds}")
    print(f"soak_resident_growth_per_round: {grown_mb / rounds:.1f} MB")
    print(f"soak_frozen_growth_per_round: {frozen / rounds:.0f} objects")
    print(f"soak_sweep: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"soak_frozen_after_sweep: {gc.get_freeze_count() - first_frozen:+d} objects (against the first sweep)")


def _report(stalls: Stalls, per_page: dict[str, tuple[float, str, float, float]], said: list[str]) -> None:
    # The UI thread's own CPU time in the stall tells its work (near the stall) from waiting for
    # the GIL or for a core on a loaded machine (near nothing).
    for phase in ("start", "import", "assign", "run", "issue"):
        print(f"stall_{phase}_max: {stalls.longest.get(phase, 0):.0f} ms"
              + (f" (UI thread busy {stalls.busy.get(phase, 0):.0f} ms, waiting for a core "
                 f"{stalls.queued.get(phase, 0):.0f} ms of it"
                 + (f", in {stalls.where[phase]})" if stalls.where.get(phase) else ")")), flush=True)
    for key, (gap, where, _, _) in per_page.items():
        if gap > 100:
            print(f"# {key}: {gap:.0f} ms in {where}")
    for message in said:
        print(f"# said: {message[:300]}")


def _import(window, stalls: Stalls, report: Path, lines: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWizard

    from rightsdesk.ui.revenue.page import ImportWizard

    stalls.enter("import")
    page = window.revenue
    window.show_area("revenue")
    wait_until(lambda: _settled(page), settle_ms=0)
    started = time.perf_counter()
    stalls.click("wizard opens")
    wizard = ImportWizard(page.database, parent=page)  # what Import report… (Ctrl+I) opens
    wizard.show()
    stalls.click("file chosen")
    wizard.path.setText(str(report))
    wizard.source.setCurrentIndex(0)
    stalls.click("Next: reading the file")
    wizard.next()
    stalls.click("title column chosen")
    wizard.columns["title_name"].setCurrentIndex(0)
    wizard.columns["title_id"].setCurrentIndex(wizard.columns["title_id"].findData("Series"))
    stalls.click("Next: checking every row")
    wizard.next()  # the check runs, then moves on to the last page (or says what is wrong)
    wait_until(lambda: wizard.currentPage() is wizard.import_page or wizard.operation is None, settle_ms=0)
    if wizard.currentPage() is not wizard.import_page:
        raise SystemExit(f"the check refused the file: {wizard.preview_problems.text()[:500]}")
    stalls.click("Import")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(lambda: wizard.report is not None or (wizard.operation is None and wizard.report is None and
                                                     time.perf_counter() - started > 5), settle_ms=0)
    if wizard.report is None:
        raise SystemExit("the import did not finish")
    stalls.click("Close")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    stalls.click("the screen after the import")
    page.refresh()  # what import_report does once the wizard is closed
    wait_until(lambda: _settled(page))
    print(f"import_{lines}_lines_in_wizard: {time.perf_counter() - started:.1f} s", flush=True)


def _assign(window, stalls: Stalls) -> None:  # type: ignore[no-untyped-def]
    stalls.enter("assign")
    page = window.revenue
    page.tabs.setCurrentIndex(1)
    wait_until(lambda: _settled(page), settle_ms=0)

    def suggested() -> bool:  # a chooser on the first row, with likely titles found
        chooser = page.chooser(0)
        return chooser is not None and chooser.count() >= 3 and chooser.itemData(1) not in (None, "other")

    wait_until(suggested, timeout=120, settle_ms=0)
    chooser = page.chooser(0)
    stalls.click("assign an identifier")
    chooser.setCurrentIndex(1)
    chooser.activated.emit(1)  # the user picks the first suggestion
    wait_until(lambda: _settled(page))


def _run_and_issue(window, stalls: Stalls) -> None:  # type: ignore[no-untyped-def]
    from rightsdesk.ui.statements import page as statements_page

    stalls.enter("run")
    page = window.statements
    window.show_area("statements")
    wait_until(lambda: _settled(page) and page.operation is None, settle_ms=0)
    stalls.click("Run period")
    started = time.perf_counter()
    page.period.setText("2026-Q3")
    page.run_period()
    wait_until(lambda: page.operation is None and _settled(page))
    print(f"statement_run_in_window: {time.perf_counter() - started:.1f} s", flush=True)

    stalls.enter("issue")
    statements_page.confirm = lambda *a, **k: True  # the user answers Issue
    stalls.click("select the period's drafts")
    page.select_period_drafts()
    stalls.click("Issue")
    started = time.perf_counter()
    page.issue_selected()
    wait_until(lambda: page.operation is None and _settled(page))
    print(f"statement_issue_in_window: {time.perf_counter() - started:.1f} s", flush=True)
    print(f"# {page.outcome.text()[:300]}")


if __name__ == "__main__":
    main()
