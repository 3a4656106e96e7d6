"""Libraries: curated bundles of titles sold as one unit; the list, the editor, and the workbook
to export and import them in bulk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QToolBar, QVBoxLayout, QWidget

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.database import Database
from rightsdesk.services import libraries
from rightsdesk.services.audit import current_user
from rightsdesk.services.libraries import ImportedLibraries, LibraryRow
from rightsdesk.ui.actions import act, follow, run
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.formatting import day, number
from rightsdesk.ui.forms import confirm, screen_action
from rightsdesk.ui.libraries.library_editor import LibraryEditor
from rightsdesk.ui.table import Column, RecordList, ServiceTableModel
from rightsdesk.domain.words import plural, plural_word

LIBRARY_COLUMNS: list[Column[LibraryRow]] = [
    Column("code", "Code", lambda r: r.code),
    Column("name", "Name", lambda r: r.name, tooltip=lambda r: r.name),
    Column("titles_now", "Titles today", lambda r: number(r.titles_now), numeric=True),
    Column("granted_by", "Deals granting it", lambda r: number(r.granted_by), numeric=True),
    Column("retired_on", "Retired on", lambda r: day(r.retired_on)),
]


class LibraryTableModel(ServiceTableModel[LibraryRow]):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(database, LIBRARY_COLUMNS, libraries.find_library_ids, libraries.library_rows_of,
                         parent=parent)


# What the list shows: libraries, the titles in them today, and the deals whose grants name them.
SHOWN_KINDS = frozenset({"library", "library_member", "title", "deal", "grant", "grant_library"})


class LibrariesPage(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.model = LibraryTableModel(database, self)
        self.list = RecordList("libraries", self.model, noun="libraries", sort_column=0, empty_hint=(
            "No libraries yet.\nBundle titles into a library with New library (Ctrl+N), "
            "or import a workbook of them."))
        self.list.activated.connect(self.edit_library)
        self.list.current_changed.connect(self._selection_changed)

        self.new_action = screen_action(self, "&New library", QKeySequence.StandardKey.New,
                                        lambda: self._run_editor(None), changes_data=True)
        self.edit_action = screen_action(self, "&Edit library", "Ctrl+E", self._edit_current, enabled=False)
        self.delete_action = screen_action(self, "&Delete library", QKeySequence.StandardKey.Delete,
                                           self._delete_current, enabled=False, changes_data=True)
        self.export_action = screen_action(self, "E&xport to Excel…", None, self.export)
        self.export_action.setToolTip("Every library and every title's stays in a workbook, to edit and import")
        self.import_action = screen_action(self, "&Import from Excel…", None, self.import_file, changes_data=True)
        self.import_action.setToolTip("Libraries and their titles from a workbook laid out as the export "
                                      "(all or nothing: every problem is listed)")
        toolbar = QToolBar()
        toolbar.addActions([self.new_action, self.edit_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.export_action, self.import_action])
        self.message = QLabel(objectName="libraries-message", wordWrap=True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        # Counts change elsewhere (a deal granting a library, titles deleted): read again when
        # an action writes them, now if the screen shows, else when it next does.
        follow(self, SHOWN_KINDS, self.refresh)

    def refresh(self) -> None:
        """The list as saved now, the same library chosen."""
        if self.model.filled:
            self.list.reload()

    def stop(self) -> None:
        self.list.stop()

    def _selection_changed(self, library_id: int | None) -> None:
        self.edit_action.setEnabled(library_id is not None)
        self.delete_action.setEnabled(library_id is not None)

    def _edit_current(self) -> None:
        if self.list.current_id() is not None:
            self.edit_library(self.list.current_id())

    def _delete_current(self) -> None:
        if self.list.current_id() is not None:
            self.delete_library(self.list.current_id())

    def edit_library(self, library_id: int) -> None:
        self._run_editor(library_id)

    def _run_editor(self, library_id: int | None) -> None:
        self.list.run_editor(lambda: LibraryEditor(self.database, library_id, self))

    def delete_library(self, library_id: int) -> None:
        position = self.model.row_of(library_id)
        row = self.model.row_at(position) if position is not None else None
        name = f"{row.code} {row.name}" if row else f"library {library_id}"
        if not confirm(self, "Delete library", f"Delete the library {name} and its history of titles? "
                                               "This cannot be undone."):
            return
        # Refused while a grant names it: the service says which, and to retire it instead.
        act(self, "Cannot delete the library", self.database, libraries.delete_library, library_id, user=current_user())

    # -- the workbook -------------------------------------------------------------------------

    def export(self) -> Path | None:
        suggestion = Path.home() / f"Libraries {date.today().isoformat()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Export libraries", str(suggestion), "Excel workbook (*.xlsx)")
        return self.export_to(Path(path)) if path else None

    def export_to(self, path: Path) -> Path | None:
        try:
            with self.database.read() as session:
                content = libraries.export_workbook(session)
            path.write_bytes(content)
        except OSError as error:
            show_user_error(self, UserError(f"cannot write {path}: {error.strerror or error}"), "Nothing was exported")
            return None
        self._say(f"Exported every library to {path}.")
        return path

    def import_file(self) -> ImportedLibraries | None:
        path, _ = QFileDialog.getOpenFileName(self, "Import libraries", str(Path.home()),
                                              "Excel workbook (*.xlsx);;All files (*)")
        return self.import_path(Path(path)) if path else None

    def import_path(self, path: Path) -> ImportedLibraries | None:
        """Libraries from a workbook, all or nothing; the problems listed when refused."""
        try:
            done = run(self.database, libraries.import_workbook, path.read_bytes(), user=current_user())
        except (UserError, OSError) as error:  # ImportRefused lists every problem by sheet, row and column
            show_user_error(self, error if isinstance(error, UserError) else UserError(str(error)),
                            "Nothing was imported")
            return None
        libraries_now = len(done.created) + len(done.updated)
        self._say(f"Imported {len(done.created)} new and {len(done.updated)} updated "
                  f"{plural_word(libraries_now, 'library', 'libraries')} with {plural(done.stays, 'title stay')} "
                  f"from {path.name}.")
        return done

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
