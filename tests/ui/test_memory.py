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
