"""The cycle collector kept from freezing the window.

Python's cycle collector stops every thread while it runs, and a full collection walks every
object alive: at the 20 000-title demo, once the start-up has loaded its modules and the
screens their lists, half a million objects, 0.2-0.5 s in which the window does not answer,
whichever thread (most often a background read making its rows) set it off. So:

- young collections run every YOUNG allocations instead of CPython's 700, so that the older
  generations' collections, counted in young ones, come thirty times as rarely: reading a list
  of 20 000 rows no longer adds up to a full collection of everything alive;
- what is alive once the start-up is over (modules, classes, the mappers' configuration, which
  live as long as the program) is moved out of the collector's sight (`gc.freeze`), before the
  window shows and again once the warm-up has loaded the remaining modules, so that a full
  collection, when it comes, walks the screens' data only.

- while background work runs (ui.operations' workers: every list read off the UI thread), the
  collector does not run at all (`held_for_background_work`), and what the work leaves alive
  (the rows a screen now shows) is frozen when the last one ends: at the 20 000-title demo its
  passes over a reading's rows as they came in, made in the worker but holding the interpreter,
  were the window's last stalls (40-120 ms after a month-end import, an assignment, a run);
- so that cycles frozen that way do not pile up, everything is unfrozen and swept in one full
  collection (`sweep`) when the user has left the program alone (`IdleSweep`), or, should
  that never happen, once the program has grown by GROWN_AT_MOST blocks since the last sweep.

Reference counting still frees at once everything that holds no cycle (nearly all of it, frozen
or not), and cycles among young objects are still found.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QCursor, QGuiApplication

YOUNG = 20_000  # allocations (less deallocations) between two young collections (CPython: 700)
OLDER = 10  # young collections between two of the middle generation
OLDEST = 10  # middle ones before a full collection is considered (CPython adds its own 25 % rule)
# Memory blocks (sys.getallocatedblocks: about one an object) the program may grow by before a
# sweep, idle or not: reading every screen of the 20 000-title demo again freezes ~6 000 objects
# (2-3 MB), a month-end import's unstated lines a few hundred thousand.
GROWN_AT_MOST = 3_000_000


def collect_rarely() -> None:
    """Set the collector's thresholds for an interactive program (at start, once)."""
    gc.set_threshold(YOUNG, OLDER, OLDEST)


_frozen_start_up = False
_frozen_after_warm_up = False


def freeze_the_start_up() -> None:
    """Once a process, before the first window shows: collect the young garbage the start-up
    left (the migration check's cycles, made last), then move every object still alive out of
    the collector's sight. A cycle among those, were it to become garbage, is never freed:
    modules, classes and the mappers' configuration never do.

    Only the young generations are collected: a full collection here walked the whole start-up
    (130 000 objects at the 20 000-title demo, 70-100 ms before the window could show) and
    found nothing more to free than the young one."""
    global _frozen_start_up
    if not _frozen_start_up:
        _frozen_start_up = True
        gc.collect(1)
        gc.freeze()


def freeze_what_lives_on() -> None:
    """Once a process, when the start-up's warm-up has loaded the remaining modules: freeze
    again, without collecting first (a full collection now would be the very stall this is
    for). What is garbage in a cycle at that moment stays in memory for good: once, and small."""
    global _frozen_after_warm_up
    if not _frozen_after_warm_up:
        _frozen_after_warm_up = True
        gc.freeze()


_lock = threading.Lock()
_working = 0  # background works running, the collector held for them
_freezes = 0  # times what background work left alive was frozen (counting the frozen walks them all)


@contextmanager
def held_for_background_work() -> Iterator[None]:
    """Around a background work (in its thread): the cycle collector does not run until the last
    work running ends; then what is still alive is frozen, out of the collector's sight, and the
    collector runs again for what comes next. What the works made and let go is freed by
    reference counting as usual; a reference cycle among it waits for the next `sweep`."""
    global _working, _freezes
    with _lock:
        _working += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _working -= 1
            if _working == 0:
                gc.freeze()
                _freezes += 1
                gc.enable()


def sweep() -> None:
    """Everything back in the collector's sight, one full collection, then frozen again: frees
    the cycles frozen since the last sweep. A fraction of a second at the 20 000-title demo, for
    when nobody waits on the window (IdleSweep); not while background work runs."""
    with _lock:
        if _working:
            return
        gc.unfreeze()
        gc.collect()
        gc.freeze()


class IdleSweep(QObject):
    """Sweeps when the user has left the program alone: checked every CHECK_MS, for IDLE_CHECKS
    checks in a row the mouse has not moved, the focus has not changed and no background work
    ran. (Input itself is not watched: an application-wide event filter in Python would cost
    every event of the window what this saves. Nor is the application's state: Qt says it is
    inactive as its own windows come and go.) Sweeps at the next check, idle or not, once the
    program has grown by GROWN_AT_MOST blocks since the last sweep. (Not by counting what is
    frozen: gc.get_freeze_count walks it, 40-80 ms at the 20 000-title demo.)"""

    CHECK_MS = 20_000
    IDLE_CHECKS = 3

    def __init__(self, app: QGuiApplication):
        super().__init__(app)
        self.freezes_at_sweep = _freezes
        self.blocks_at_sweep = sys.getallocatedblocks()
        self.last_seen: tuple[object, ...] | None = None  # (the focus by id: not kept alive here)
        self.still = 0
        self.timer = QTimer(self, interval=self.CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        seen = (QCursor.pos().toTuple(), id(QGuiApplication.focusObject()), _working, _freezes)
        self.still = self.still + 1 if seen == self.last_seen else 0
        self.last_seen = seen
        if self.still >= self.IDLE_CHECKS or sys.getallocatedblocks() > self.blocks_at_sweep + GROWN_AT_MOST:
            self.sweep_if_needed()

    def sweep_if_needed(self) -> None:
        """Sweep, unless nothing was frozen since the last sweep."""
        if _freezes != self.freezes_at_sweep:
            sweep()
            self.freezes_at_sweep = _freezes
            self.blocks_at_sweep = sys.getallocatedblocks()
        self.still = 0


_idle_sweep: IdleSweep | None = None


def sweep_when_idle(app: QGuiApplication) -> None:
    """Start the idle sweep for `app` (once)."""
    global _idle_sweep
    if _idle_sweep is None:
        _idle_sweep = IdleSweep(app)
