"""A death in C (a segmentation fault in QtWidgets, an abort from Qt) kills the process before
any Python handler runs: the app must still leave in crashes.log, in the data folder, what Qt
said last and the Python stack of every thread (issue 18, "never crash" without a word).

Each test starts the app as `rightsdesk` does (ui.app.run_app) in a subprocess and kills it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# The app, started on a database of its own, crashes once its window is up; a second thread
# sleeps in a function of its own so that "every thread" is seen in the log.
_STARTER = textwrap.dedent("""
    import sys, threading, time
    from PySide6.QtCore import QThread, QTimer, qWarning
    from rightsdesk.ui import app

    def sleeping_helper_thread():
        time.sleep(60)

    busy_running = threading.Event()

    class BusyThread(QThread):
        def run(self):
            busy_running.set()
            time.sleep(0.5)

    threading.Thread(target=sleeping_helper_thread, name="helper", daemon=True).start()
    opened = app.open_window

    def open_then_die(*args, **kwargs):
        window = opened(*args, **kwargs)
        def die():
            qWarning("the last thing Qt said")
            {death}
        QTimer.singleShot(300, die)
        return window

    app.open_window = open_then_die
    sys.exit(app.run_app(sys.argv[1]))
""")


def _start_and_die(tmp_path: Path, death: str) -> tuple[subprocess.CompletedProcess[str], str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("RIGHTSDESK_DB", None)
    script = _STARTER.replace("{death}", death)
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "desk.db")], capture_output=True,
                          text=True, timeout=90, env=env)
    logs = list((tmp_path / "data").rglob("crashes.log"))
    assert len(logs) == 1, f"no crash log; the app said:\n{done.stderr}"
    return done, logs[0].read_text(encoding="utf-8")


def test_a_segmentation_fault_leaves_qts_last_words_and_every_threads_stack(tmp_path):
    done, log = _start_and_die(tmp_path, "import faulthandler; faulthandler._sigsegv()")
    assert done.returncode == -11, done.stderr
    assert "RightsDesk started" in log
    assert "Fatal Python error: Segmentation fault" in log
    # where it died (the current thread) and the thread that was only waiting
    assert "Current thread" in log and "in die" in log
    assert "Thread 0x" in log and "in sleeping_helper_thread" in log
    # what Qt said just before, above the stacks
    assert log.index("Qt warning") < log.index("Fatal Python error")
    assert "the last thing Qt said" in log
    assert "the last thing Qt said" in done.stderr  # (still shown on the terminal too)


def test_an_abort_from_qt_leaves_its_fatal_message_above_the_stacks(tmp_path):
    # The classic PySide6 abort: the last reference to a QThread dropped while it runs. Its own
    # run() holds one until it returns, so the thread destroys itself then, and Qt aborts.
    # (Dropped before run() begins, it dies at once, sometimes of a segmentation fault instead.)
    done, log = _start_and_die(tmp_path, "busy = BusyThread(); busy.start(); busy_running.wait(10); del busy")
    assert done.returncode == -6, done.stderr
    fatal = log.index("Qt fatal")
    assert "QThread: Destroyed while thread" in log[fatal:]
    assert fatal < log.index("Fatal Python error: Aborted")
    assert "in run_app" in log  # where the window was: waiting for the user


@pytest.mark.qt_log_level_fail("NO")  # (pytest-qt's own check would fail it first)
def test_qt_complaining_of_a_wrong_thread_is_held_against_the_test_that_caused_it(take_thread_complaints, qapp):
    """The guard of tests/ui/conftest.py: a widget's child made from a worker thread is the
    kind of slip that segfaults under load; Qt only warns, and the test must not pass."""
    import threading

    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    made: list[QObject] = []
    worker = threading.Thread(target=lambda: made.append(QObject(parent)))
    worker.start()
    worker.join()
    complaints = take_thread_complaints()
    assert any("Cannot create children for a parent that is in a different thread" in c for c in complaints)


_CLOSED_DURING_WORK = textwrap.dedent("""
    import gc, sys, time
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from rightsdesk.ui.operations import Operation, Quiet

    app = QApplication(sys.argv)
    for kind in ("operation", "quiet"):
        screen = QWidget()
        if kind == "operation":
            Operation(screen, "Exporting", lambda report: time.sleep(0.5)).run_in_background()
        else:
            Quiet(screen, lambda: time.sleep(0.5), lambda result: None)
        screen.deleteLater()  # closed by the user while the work runs
        del screen
        QCoreApplication.sendPostedEvents(None, 0)
        gc.collect()
        loop = QEventLoop()
        QTimer.singleShot(800, loop.quit)  # the work ends with nobody left to tell
        loop.exec()
        print("survived", kind, flush=True)
""")


def test_a_screen_closed_while_its_work_runs_does_not_abort_the_program(tmp_path):
    """Qt aborts when the last reference to a running QThread goes: a screen or dialog deleted
    during its Operation took the worker with it (issue 18's abort)."""
    done = subprocess.run([sys.executable, "-c", _CLOSED_DURING_WORK], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["survived", "operation", "survived", "quiet"]


def test_leaving_the_program_while_a_report_is_being_saved_ends_it_cleanly(tmp_path):
    """Closing the window during an export used to end in "QThread: Destroyed while thread is
    still running" and an abort: the work is now cancelled and waited for."""
    saving = ("from rightsdesk.ui.operations import Operation; global held_by_a_screen; "  # (as a page holds it)
              "held_by_a_screen = Operation(window, 'Saving', "
              "lambda report: [time.sleep(0.05) or report('page', n) for n in range(100)]).run_in_background(); "
              "QTimer.singleShot(200, window.close)")
    done, log = _start_and_die(tmp_path, saving)
    assert done.returncode == 0, done.stderr
    assert "Fatal" not in log and "Qt fatal" not in log


def test_work_ending_while_its_progress_is_shown_ends_after_the_progress_dialog_returns(qtbot):
    """A window-modal QProgressDialog handles events inside setValue(); the work's end arriving
    there deleted the dialog under its own feet (a candidate for the segmentation fault in
    QtWidgets during an export's progress). The end now waits for setValue() to return."""
    import threading

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget
    from shiboken6 import Shiboken

    from rightsdesk.ui.operations import Operation

    screen = QWidget()
    qtbot.addWidget(screen)
    release = threading.Event()
    succeeded: list[str] = []
    operation = Operation(screen, "Exporting", lambda report: release.wait(5) and "written")
    operation.on_success(succeeded.append).run_in_background()
    dialog = operation.dialog
    inside: list[tuple[bool, bool]] = []

    def set_value_handling_events(_percent: int) -> None:
        release.set()
        operation.worker.wait()
        QCoreApplication.processEvents()  # as the dialog does: the work's end is delivered in here
        QCoreApplication.sendPostedEvents(None, 0)
        inside.append((Shiboken.isValid(dialog), operation.dialog is dialog))

    dialog.setValue = set_value_handling_events
    operation._show_progress("Writing PDFs", 20)
    assert inside == [(True, True)] and succeeded == []
    qtbot.waitUntil(lambda: succeeded == ["written"])
    assert operation.dialog is None


def test_a_script_ending_while_work_runs_ends_cleanly():
    """Any way out of the interpreter (here: a script's last line) with work still running
    cancels it and waits, rather than aborting on a thread destroyed while it runs."""
    script = textwrap.dedent("""
        import sys, time
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QWidget
        from rightsdesk.ui.operations import Operation
        app = QApplication(sys.argv)
        screen = QWidget()
        saving = Operation(screen, "Saving", lambda report: [time.sleep(0.05) or report("page", n) for n in range(100)])
        saving.run_in_background()
        QTimer.singleShot(200, app.quit)
        app.exec()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
