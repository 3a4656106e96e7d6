"""Long work off the UI thread, behind a cancellable progress dialog (after Anki's CollectionOp).

    Operation(parent, "Loading demo", work).on_success(done).run_in_background()

`work(report)` runs in a worker thread and must open its own unit of work; it calls
`report(stage, percent)` now and then, which raises Cancelled once the user cancels, so
the transaction rolls back and nothing is left half-written.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from rightsdesk.domain.errors import UserError
from rightsdesk.ui import memory
from rightsdesk.ui.errors import show_crash, show_user_error

Report = Callable[[str, int], None]


class Cancelled(Exception):
    """The user cancelled; raised inside the work to unwind it."""


class _Worker(QThread):
    progressed = Signal(str, int)
    ended = Signal(object, object)  # result, error

    def __init__(self, work: Callable[[Report], Any]):
        super().__init__()
        self.work = work
        self.cancel_requested = False

    def start(self) -> None:  # type: ignore[override]
        # Qt aborts the program when a thread's last reference goes while it runs (a screen or
        # dialog closed during its work takes its Operation, and the Operation its worker, with
        # it): every worker is held here until it has finished, and let go on a later start.
        for finished in [worker for worker in _running if worker.isFinished()]:
            finished.wait()
            _running.discard(finished)
        _running.add(self)
        super().start()

    def report(self, stage: str, percent: int) -> None:
        if self.cancel_requested:
            raise Cancelled()
        self.progressed.emit(stage, percent)

    def run(self) -> None:
        try:
            with memory.held_for_background_work():
                result = self.work(self.report)
        except BaseException as error:  # handed to the UI thread, which decides what it is
            self.ended.emit(None, error)
        else:
            self.ended.emit(result, None)


_running: set[_Worker] = set()


def finish_every_worker() -> None:
    """Cancel the work still running and wait for it to unwind, as the program ends: Qt aborts
    on a thread still running when the interpreter lets it go (a report being saved as the
    window was closed). Cancelled work rolls back; a Quiet read is simply waited for."""
    for worker in list(_running):
        worker.cancel_requested = True
        worker.wait()
    _running.clear()


# Also when the program ends another way (an exception out of the event loop's caller, a script).
atexit.register(finish_every_worker)


class Operation(QObject):
    finished = Signal()

    def __init__(self, parent: QWidget, title: str, work: Callable[[Report], Any]):
        super().__init__(parent)
        self.parent_widget = parent
        self.title = title
        self.worker = _Worker(work)
        self._success: Callable[[Any], None] = lambda result: None
        self._cancelled: Callable[[], None] = lambda: None
        self.dialog: QProgressDialog | None = None
        self._showing_progress = False

    def on_success(self, callback: Callable[[Any], None]) -> Operation:
        self._success = callback
        return self

    def on_cancel(self, callback: Callable[[], None]) -> Operation:
        self._cancelled = callback
        return self

    def run_in_background(self) -> Operation:
        dialog = QProgressDialog(self.title, "Cancel", 0, 100, self.parent_widget)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        self.worker.progressed.connect(self._show_progress)
        self.worker.ended.connect(self._end)
        self.worker.start()
        return self

    def cancel(self) -> None:
        self.worker.cancel_requested = True
        if self.dialog:
            self.dialog.setLabelText("Cancelling…")

    def _show_progress(self, stage: str, percent: int) -> None:
        if self.dialog and not self.worker.cancel_requested:
            self.dialog.setLabelText(f"{self.title}: {stage}…")
            # A window-modal progress dialog handles events inside setValue(): the work's end
            # can arrive in there, and must not delete the dialog under its own feet (_end).
            self._showing_progress = True
            try:
                self.dialog.setValue(percent)
            finally:
                self._showing_progress = False

    def _end(self, result: Any, error: BaseException | None) -> None:
        if self._showing_progress:  # (called from inside the dialog's setValue: end once it returns)
            QTimer.singleShot(0, self, lambda: self._end(result, error))
            return
        self.worker.wait()
        if self.dialog:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        if isinstance(error, Cancelled):
            self._cancelled()
        elif isinstance(error, UserError):
            show_user_error(self.parent_widget, error, self.title)
        elif error is not None:
            show_crash(type(error), error, error.__traceback__)
        else:
            self._success(result)
        self.finished.emit()


class Quiet(QObject):
    """Short work off the UI thread with no dialog, for a screen that refreshes itself (the home
    screen): the window stays responsive and the screen says it is updating. `wait()` before the
    screen goes away."""

    ended = Signal()  # after `done`, or after the error was shown

    def __init__(self, parent: QWidget, work: Callable[[], Any], done: Callable[[Any], None]):
        super().__init__(parent)
        self.parent_widget = parent
        self.done = done
        self.worker = _Worker(lambda _report: work())
        self.worker.ended.connect(self._end)
        self.worker.start()

    def running(self) -> bool:
        return self.worker.isRunning()

    def wait(self) -> None:
        self.worker.wait()

    def _end(self, result: Any, error: BaseException | None) -> None:
        self.worker.wait()
        if isinstance(error, UserError):
            show_user_error(self.parent_widget, error)
        elif error is not None:
            show_crash(type(error), error, error.__traceback__)
        else:
            self.done(result)
        self.ended.emit()


class LatestReading:
    """A screen's reading off the UI thread (Quiet) that shows only what was asked last: asked
    again while a reading is on, the screen is asked once more (`again()`) when it ends, and
    what that reading found is not shown, being old already."""

    def __init__(self, parent: QWidget, again: Callable[[], None]):
        self.parent, self.again = parent, again
        self.quiet: Quiet | None = None
        self.asked_again = False

    def busy(self) -> bool:
        """Whether a reading is on (until it has been shown, or its error said)."""
        return self.quiet is not None

    def later(self) -> bool:
        """Whether a reading is on, in which case the screen is asked again when it ends."""
        if self.quiet is not None:
            self.asked_again = True
        return self.quiet is not None

    def start(self, work: Callable[[], Any], show: Callable[[Any], None]) -> None:
        """Read with `work` in a worker thread, then `show` what it found (not if asked again
        meanwhile); an error is said as Quiet says it. Only when not busy."""
        assert self.quiet is None
        self.quiet = Quiet(self.parent, work, lambda found: self.asked_again or show(found))
        self.quiet.ended.connect(self._ended)

    def wait(self) -> None:
        """Until the reading asked last is shown (tests; the screen never waits)."""
        while self.quiet is not None:
            self.quiet.wait()
            QCoreApplication.sendPostedEvents()
            QCoreApplication.processEvents()

    def stop(self) -> None:
        """Wait for the reading on, if any (the screen is about to go)."""
        if self.quiet is not None:
            self.quiet.wait()

    def _ended(self) -> None:
        if self.quiet is not None:
            self.quiet.deleteLater()
        self.quiet = None
        if self.asked_again:  # something changed while reading: what was read may be old already
            self.asked_again = False
            self.again()
