"""Issue 18's one way to act, kept: a screen writes only through ui.actions (run, act,
act_in_background), which performs a service use case and announces what it wrote; a screen
that opened its own unit of work to write would change records no other screen hears of."""

import re
from pathlib import Path

import rightsdesk.ui

UI = Path(rightsdesk.ui.__file__).parent
# Screens still being moved onto ui.actions: the list only shrinks.
STILL_TO_MOVE: set[str] = set()
WRITING = re.compile(r"\.transaction\(\)|\.compute_then_write\(")


def test_no_screen_opens_its_own_unit_of_work_to_write():
    writing = sorted(str(path.relative_to(UI)) for path in UI.rglob("*.py")
                     if WRITING.search(path.read_text(encoding="utf-8")))
    assert [path for path in writing if path not in STILL_TO_MOVE] == []
