"""Two kinds of error: the user's (a clear message saying what to do) and bugs (a crash
dialog with details to copy, and a log file)."""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
import traceback
from types import TracebackType

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


def record_hard_crashes() -> object:
    """Write the Python stacks of every thread to crashes.log in the data folder if the process
    dies in C (a segmentation fault or an abort in Qt), which no Python handler sees. Returns the
    open log, which must stay open for the life of the process."""
    handle = crash_log().open("a", encoding="utf-8")
    handle.write(f"\n--- RightsDesk started (pid {os.getpid()})\n")
    handle.flush()
    faulthandler.enable(file=handle, all_threads=True)
    return handle


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
