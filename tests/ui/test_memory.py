"""The cycle collector kept from stalling the window (ui.memory)."""

import gc
import weakref

from rightsdesk.ui import memory
from rightsdesk.ui.app import application


def test_the_window_s_process_collects_young_objects_rarely():
    gc.set_threshold(700, 10, 10)
    application()
    assert gc.get_threshold() == (memory.YOUNG, memory.OLDER, memory.OLDEST)


def test_what_lives_on_is_frozen_once_and_garbage_is_collected_first(monkeypatch):
    class Node:
        pass

    cycle = Node()
    cycle.me = cycle  # garbage only the collector finds
    gone = weakref.ref(cycle)
    del cycle
    monkeypatch.setattr(memory, "_frozen", False)
    try:
        memory.freeze_what_lives_on()
        assert gone() is None  # not kept alive for good by the freeze
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        memory.freeze_what_lives_on()  # once a process: the second start of a window does nothing
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
