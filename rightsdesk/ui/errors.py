"""Two kinds of error: the user's (a clear message saying what to do) and bugs (a crash
dialog with details to copy, and a log file)."""

from __future__ import annotations

import atexit
import faulthandler
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import TextIO

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QMessageBox, QWidget

from rightsdesk.domain.errors import ValidationError
from rightsdesk.persistence.database import DatabaseBusy, busy_message, data_folder, is_busy

log = logging.getLogger("rightsdesk")


def log_file():  # type: ignore[no-untyped-def]
    folder = data_folder() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "rightsdesk.log"


def crash_log():  # type: ignore[no-untyped-def]
    return log_file().with_name("crashes.log")


# Kept open for the life of the process: faulthandler writes to it from a signal handler, when
# no Python code can run any more.
_crash_file: TextIO | None = None
_crash_lock = threading.Lock()
# A warning repeated in a loop must not fill the disk; a fatal message is always written.
_QT_LINES_PER_RUN = 500
_CRASH_LOG_KEPT_BYTES = 1_000_000


def record_hard_crashes() -> TextIO:
    """Make a death in C leave its story in crashes.log in the data folder; call it first thing
    on start, before the QApplication exists (an abort while starting is one of those deaths).

    faulthandler writes the Python stack of every thread there on a segmentation fault, an abort,
    a bus error or an illegal instruction; Python 3.14 adds the C stack (`c_stack`), used when
    there. Python 3.11 cannot walk the C stack, so what Qt said last stands in for it: every Qt
    warning, critical and fatal message is written there as it comes, flushed (an abort from Qt
    is a qFatal whose text names the cause, e.g. "QThread: Destroyed while thread is still
    running"), and still printed on stderr. Returns the open log; calling it again reuses it.
    """
    global _crash_file
    if _crash_file is None:
        path = crash_log()
        if path.exists() and path.stat().st_size > _CRASH_LOG_KEPT_BYTES:
            path.replace(path.with_name("crashes.previous.log"))  # one generation kept
        _crash_file = path.open("a", encoding="utf-8")
        _crash_file.write(f"\n--- RightsDesk started (pid {os.getpid()}) {datetime.now().isoformat(timespec='seconds')}\n")
        _crash_file.flush()
    if sys.version_info >= (3, 14):
        faulthandler.enable(file=_crash_file, all_threads=True, c_stack=True)  # type: ignore[call-arg]
    else:
        faulthandler.enable(file=_crash_file, all_threads=True)
    _QtMessagesToCrashLog.install(_crash_file)
    return _crash_file


class _QtMessagesToCrashLog:
    """Qt's message handler while the app runs: warnings and worse go to the crash log as well
    as to whatever handled them before (stderr by default)."""

    _installed: _QtMessagesToCrashLog | None = None

    def __init__(self, file: TextIO):
        self.file = file
        self.written = 0
        self.previous: Callable[..., None] | None = None

    @classmethod
    def install(cls, file: TextIO) -> None:
        if cls._installed is not None:
            return
        handler = cls(file)
        cls._installed = handler  # (a reference kept: Qt calls it for the life of the process)
        handler.previous = qInstallMessageHandler(handler)
        # Qt objects destroyed while the interpreter shuts down may still warn: Qt's own handler
        # then, not Python code half torn down.
        atexit.register(qInstallMessageHandler, None)

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg:
            self._write(kind, context, message)
        if self.previous is not None:
            self.previous(kind, context, message)
        else:
            print(message, file=sys.stderr, flush=True)

    def _write(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        fatal = kind == QtMsgType.QtFatalMsg
        with _crash_lock:
            if self.written >= _QT_LINES_PER_RUN and not fatal:
                return
            self.written += 1
            where = f" ({context.file}:{context.line})" if context.file else ""
            label = {QtMsgType.QtWarningMsg: "warning", QtMsgType.QtCriticalMsg: "critical"}.get(kind, "fatal")
            try:
                self.file.write(f"{datetime.now().isoformat(timespec='milliseconds')} Qt {label} "
                                f"[{threading.current_thread().name}]: {message}{where}\n")
                if self.written == _QT_LINES_PER_RUN:
                    self.file.write("(further Qt warnings of this run are not recorded)\n")
                self.file.flush()
            except (OSError, ValueError):  # a full disk or a closed log must not add a crash
                pass


def setup_logging() -> None:
    handler = logging.FileHandler(log_file(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def show_user_error(parent: QWidget | None, error: Exception, title: str = "RightsDesk") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, _first_line(error), parent=parent)
    if isinstance(error, ValidationError) and len(error.problems) > 1:
        box.setText("This cannot be saved yet:")
        box.setInformativeText("\n".join(f"• {p}" for p in error.problems))
    box.exec()


def _first_line(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text[0].upper() + text[1:]


def show_crash(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    details = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "RightsDesk: unexpected error",
                      "Something went wrong that should not have. Your saved work is safe.")
    box.setInformativeText(
        f"Please send the details below to support. They are also in {log_file()}."
    )
    box.setDetailedText(details)
    box.exec()


def install_crash_handler() -> None:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        if is_busy(error):  # a read waited on another desk's write: not a bug, and nothing is lost
            show_user_error(None, DatabaseBusy(busy_message("The database")), "Database busy")
            return
        show_crash(kind, error, tb)

    sys.excepthook = hook
