"""The cycle collector kept from stalling the window (ui.memory)."""

import gc
import weakref

import pytest

from rightsdesk.ui import memory
from rightsdesk.ui.app import application


def test_the_window_s_process_collects_young_objects_rarely():
    gc.set_threshold(700, 10, 10)
    application()
    assert gc.get_threshold() == (memory.YOUNG, memory.OLDER, memory.OLDEST)


def test_the_start_up_is_frozen_once_its_garbage_is_collected(monkeypatch):
    monkeypatch.setattr(memory, "_frozen_start_up", False)

    class Node:
        pass

    cycle = Node()
    cycle.me = cycle  # garbage only the collector finds
    gone = weakref.ref(cycle)
    del cycle
    try:
        memory.freeze_the_start_up()
        assert gone() is None  # not kept alive for good by the freeze
        frozen = gc.get_freeze_count()
        assert frozen > 0
        memory.freeze_the_start_up()  # a second window (another database) collects nothing again
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_what_the_warm_up_loaded_is_frozen_once_a_process(monkeypatch):
    monkeypatch.setattr(memory, "_frozen_after_warm_up", False)
    try:
        memory.freeze_what_lives_on()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        memory.freeze_what_lives_on()  # a second window's warm-up does nothing
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_busy_worker_hands_the_interpreter_to_the_window_within_a_millisecond():
    import sys

    from rightsdesk.ui.app import HAND_OVER_S

    sys.setswitchinterval(0.005)
    application()
    assert sys.getswitchinterval() == pytest.approx(HAND_OVER_S) and HAND_OVER_S <= 0.001


class Node:
    pass


def cycle() -> weakref.ref:
    """Garbage only the cycle collector finds: gone once it has run over it."""
    node = Node()
    node.me = node
    return weakref.ref(node)


def test_background_work_runs_without_the_collector_and_what_it_keeps_is_frozen(qtbot):
    from rightsdesk.ui.operations import Quiet

    seen = {}

    def work():
        seen["collecting"] = gc.isenabled()
        kept = Node()
        kept.rows = [(n, str(n)) for n in range(1000)]
        return kept

    frozen_before = gc.get_freeze_count()
    try:
        shown = []
        quiet = Quiet(None, work, shown.append)
        qtbot.waitUntil(lambda: bool(shown))
        quiet.wait()
        assert seen["collecting"] is False and gc.isenabled()
        assert gc.get_freeze_count() > frozen_before
        ids = {id(o) for o in gc.get_objects()}  # (the frozen are in no generation)
        assert id(shown[0]) not in ids and id(shown[0].rows) not in ids
    finally:
        gc.unfreeze()


def test_the_collector_is_held_until_the_last_of_two_works_ends():
    try:
        with memory.held_for_background_work():
            with memory.held_for_background_work():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the first still runs
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_sweep_frees_the_cycles_frozen_and_freezes_what_lives():
    gc.unfreeze()
    gone = cycle()
    gc.freeze()
    try:
        gc.collect()
        assert gone() is not None  # frozen: out of the collector's sight
        memory.sweep()
        assert gone() is None and gc.get_freeze_count() > 0
        with memory.held_for_background_work():
            later = cycle()
            memory.sweep()  # not while a work runs: it would walk what the work is making
        assert later() is not None
    finally:
        gc.unfreeze()


def test_the_idle_sweep_comes_after_the_user_left_the_window_alone(qtbot, monkeypatch):
    from PySide6.QtWidgets import QApplication, QLineEdit

    swept = []
    monkeypatch.setattr(memory, "sweep", lambda: swept.append(1))

    def walked(*_):
        raise AssertionError("counting the frozen walks them all: a stall every check")

    monkeypatch.setattr(gc, "get_freeze_count", walked)
    idle = memory.IdleSweep(QApplication.instance())
    idle.timer.stop()
    try:
        idle.freezes_at_sweep = -1  # something was frozen since the last sweep
        for _ in range(memory.IdleSweep.IDLE_CHECKS):
            idle.check()
        assert swept == []  # (the first check has nothing to compare with)
        field = QLineEdit()
        qtbot.addWidget(field)
        field.show()
        qtbot.waitUntil(lambda: QApplication.focusObject() is field)
        idle.check()  # the focus moved: the user is there
        assert swept == [] and idle.still == 0
        for _ in range(memory.IdleSweep.IDLE_CHECKS):
            idle.check()
        assert swept == [1]
        for _ in range(memory.IdleSweep.IDLE_CHECKS + 1):
            idle.check()
        assert swept == [1]  # nothing frozen since: nothing to sweep
        idle.blocks_at_sweep = -memory.GROWN_AT_MOST  # as if the program had grown that much since
        idle.freezes_at_sweep = -1
        idle.check()
        assert swept == [1, 1]  # grown too much: swept whether the user is there or not
    finally:
        idle.deleteLater()
