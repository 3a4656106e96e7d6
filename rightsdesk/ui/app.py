"""Starting the GUI: the application object, the database, the main window."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from rightsdesk import APP_NAME, __version__
from rightsdesk.domain.errors import UserError
from rightsdesk.persistence import migrate
from rightsdesk.persistence.database import DESK_BUSY_TIMEOUT_MS, Database, configured_location, demo_database_path
from rightsdesk.ui import appearance, file_check, keys, memory, settings
from rightsdesk.ui.errors import install_crash_handler, record_hard_crashes, setup_logging
from rightsdesk.ui.main_window import MainWindow
from rightsdesk.ui.operations import finish_every_worker
from rightsdesk.ui.resources import app_icon
from rightsdesk.ui.welcome import FirstStart, WelcomeDialog, is_first_start


# How long a worker running Python keeps the interpreter lock while the UI thread waits for it
# (CPython: 5 ms). The window takes the lock for each event handled in Python (an event filter
# sees them all), so under a busy worker a repaint waited 5 ms an event, hundreds of times; at
# 1 ms a month-end import's check still held the window ~160 ms. A worker is asked to hand it
# over only when another thread wants it: alone, it runs as before.
HAND_OVER_S = 0.0002


def application() -> QApplication:
    memory.collect_rarely()  # (the collector's full sweeps stalled the window for a third of a second)
    sys.setswitchinterval(HAND_OVER_S)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    # Wayland and X11 match the window to the .desktop file (and its icon) by this name.
    app.setDesktopFileName("app.rightsdesk.RightsDesk")
    keys.install(app)  # Return, Ctrl+S and Tab the same in every form
    memory.sweep_when_idle(app)  # (the cycles background work left frozen: ui.memory)
    appearance.apply()  # light or dark as the user chose (View > Appearance), else as the desktop is
    return app  # type: ignore[return-value]


def open_window(location: str | None, *, read_only: bool = False) -> MainWindow | None:
    """Open (creating or upgrading) the database and its window; None if it cannot be used.

    Without a location: the RIGHTSDESK_DB setting, else the database the user chose to open on
    start, else the default file. On the very first start (none of these, and no default file
    yet) the user chooses between the demo catalogue, in its own database (built now in the
    background, and opened again on later starts until another database is opened), and their
    own database, empty. Nothing is ever put in the user's own database unasked.
    """
    chosen = location or configured_location() or settings.START_DATABASE.get() or None
    # (a packaging check that starts the program and quits is not a person to ask)
    if chosen is None and not read_only and is_first_start() and not os.environ.get("RIGHTSDESK_QUIT_AFTER_START"):
        if WelcomeDialog.ask() == FirstStart.DEMO:
            chosen = str(demo_database_path())
            settings.START_DATABASE.set(chosen)
    database = None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # (a new file takes seconds to set up)
    try:  # (opening itself may refuse: a read-only share whose last changes cannot be read)
        database = Database(chosen, read_only=read_only, busy_timeout_ms=DESK_BUSY_TIMEOUT_MS)
        result = migrate.prepare(database)
    except UserError as error:
        if database is not None:
            database.dispose()
        QApplication.restoreOverrideCursor()
        QMessageBox.critical(None, f"{APP_NAME}: cannot open the database", str(error))
        return None
    finally:
        if QApplication.overrideCursor() is not None:
            QApplication.restoreOverrideCursor()
    window = MainWindow(database)
    memory.freeze_the_start_up()  # (before the window answers anyone: a full collection takes a while)
    window.show()
    file_check.check_every_page(window)  # opening checked the structure; every page is read now
    if result.upgraded:
        window.statusBar().showMessage(
            f"Upgraded the database to this version; the previous one is saved at {result.backup}", 15000
        )
    window.build_demo_if_empty()  # (a demo whose building was cancelled last time)
    return window


def run_app(location: str | None, *, read_only: bool = False) -> int:
    record_hard_crashes()  # first: an abort while Qt starts is one of the deaths it records
    app = application()
    setup_logging()
    install_crash_handler()
    window = open_window(location, read_only=read_only)
    if window is None:
        return 1
    if os.environ.get("RIGHTSDESK_QUIT_AFTER_START"):
        # For packaging checks: prove the program starts and shows its window, then leave.
        def report_and_quit() -> None:
            print(f"started: {window.windowTitle()} · {window.database_label.text()}", flush=True)
            app.quit()

        QTimer.singleShot(int(float(os.environ["RIGHTSDESK_QUIT_AFTER_START"]) * 1000), report_and_quit)
    code = app.exec()
    window.wait_for_background()  # (work started as the last window closed)
    finish_every_worker()  # (and any other screen's: a report still being saved)
    return code
