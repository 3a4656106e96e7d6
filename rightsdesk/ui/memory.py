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

Reference counting still frees at once everything that holds no cycle (nearly all of it), and
cycles among young objects are still found.
"""

from __future__ import annotations

import gc

YOUNG = 20_000  # allocations (less deallocations) between two young collections (CPython: 700)
OLDER = 10  # young collections between two of the middle generation
OLDEST = 10  # middle ones before a full collection is considered (CPython adds its own 25 % rule)


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
