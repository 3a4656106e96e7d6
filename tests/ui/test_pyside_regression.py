"""PySide6 6.12.0 leaked a reference to None on every Qt call returning nothing, and after a
few thousand such calls the interpreter aborted ("Fatal Python error: none_dealloc").
This makes ~20 000 of them; on a broken PySide6 it dies instead of passing."""

import sys

from PySide6.QtWidgets import QLabel


def test_many_void_qt_calls_do_not_leak_none(qapp):
    label = QLabel("x")
    before = sys.getrefcount(None)
    for _ in range(5_000):
        label.show()
        label.update()
        label.hide()
        qapp.processEvents()
    after = sys.getrefcount(None)
    # A leak of one reference per call would add ~20 000; allow for unrelated noise.
    assert after - before < 1_000
