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


def test_a_crash_in_c_leaves_every_threads_python_stack_in_the_data_folder(tmp_path):
    """A segmentation fault in Qt kills the process without a Python traceback: the app turns on
    faulthandler into crashes.log in the data folder (issue 18, "never crash" without a word)."""
    import os
    import subprocess
    import sys

    script = ("from rightsdesk.ui.errors import record_hard_crashes, crash_log\n"
              "log = record_hard_crashes()\n"
              "print(crash_log(), flush=True)\n"
              "import ctypes; ctypes.string_at(0)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "XDG_DATA_HOME": str(tmp_path)})
    assert done.returncode != 0
    log = done.stdout.strip().splitlines()[0]
    text = open(log, encoding="utf-8").read()
    assert "Segmentation fault" in text and "RightsDesk started" in text and "<string>" in text
