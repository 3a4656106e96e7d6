"""Starting the GUI: the application object, the database, the main window."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from rightsdesk import APP_NAME, __version__
from rightsdesk.domain.errors import UserError
from rightsdesk.persistence import migrate
from rightsdesk.persistence.database import DESK_BUSY_TIMEOUT_MS, Database, configured_location, default_database_path
from rightsdesk.ui import keys, settings
from rightsdesk.ui.errors import install_crash_handler, record_hard_crashes, setup_logging
from rightsdesk.ui.main_window import MainWindow
from rightsdesk.ui.resources import app_icon


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    # Wayland and X11 match the window to the .desktop file (and its icon) by this name.
    app.setDesktopFileName("app.rightsdesk.RightsDesk")
    keys.install(app)  # Return, Ctrl+S and Tab the same in every form
    return app  # type: ignore[return-value]


def open_window(location: str | None, *, read_only: bool = False) -> MainWindow | None:
    """Open (creating or upgrading) the database and its window; None if it cannot be used.

    Without a location: the RIGHTSDESK_DB setting, else the database the user chose to open on
    start, else the default file. A brand-new default file gets the demo catalogue, so a
    newcomer sees a working product (never a shared server).
    """
    database = Database(location or configured_location() or settings.START_DATABASE.get() or None, read_only=read_only,
                        busy_timeout_ms=DESK_BUSY_TIMEOUT_MS)
    first_run = database.path == default_database_path() and not default_database_path().exists()
    try:
        result = migrate.prepare(database)
    except UserError as error:
        database.dispose()
        QMessageBox.critical(None, f"{APP_NAME}: cannot open the database", str(error))
        return None
    window = MainWindow(database)
    window.show()
    if result.upgraded:
        window.statusBar().showMessage(
            f"Upgraded the database to this version; the previous one is saved at {result.backup}", 15000
        )
    if first_run and not read_only:
        window.load_demo()
    return window


def run_app(location: str | None, *, read_only: bool = False) -> int:
    app = application()
    setup_logging()
    app.crash_log = record_hard_crashes()  # type: ignore[attr-defined]  (kept open: faulthandler writes to it)
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
    return code
