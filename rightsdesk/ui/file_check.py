"""The whole file read once after the window opens (issue 17): a damaged database is never
written to from the window either.

Opening checks only the file's structure (header, length, tables), which is instant; SQLite's
check of every page takes about a second per 150 MB, too long to keep the window from showing.
So the window shows at once, the pages are read in the background, and until they are, a save
is held back ("being checked, try again in a moment"); a damaged file leaves the window open for
review only, with what is wrong and the command that restores its last backup.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from rightsdesk import APP_NAME
from rightsdesk.persistence.backup import damage_message, integrity_problems
from rightsdesk.ui.operations import Quiet

HELD = "is being checked (every page of its file is read once after opening)"


def check_every_page(window) -> Quiet | None:  # noqa: ANN001  (the main window)
    """Read every page of the window's SQLite file off the UI thread; None for a server database
    or one open for review (nothing is written to those)."""
    database = window.database
    path = database.path
    if path is None or database.read_only:
        return None
    database.writes_held = HELD

    def checked(problems: list[str]) -> None:
        database.writes_held = ""
        if not problems:
            return
        database.read_only, database.read_only_reason = True, "its file is damaged"
        window.apply_read_only()
        QMessageBox.critical(window, f"{APP_NAME}: the database is damaged",
                             damage_message(path, problems) + "\n\nIt is open for review only: nothing can be changed.")

    return Quiet(window, lambda: integrity_problems(path), checked)
