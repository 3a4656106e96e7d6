"""The main window: navigation to every area of the product, the database it works on."""

from __future__ import annotations

import importlib
import logging
import platform
import time
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import PySide6
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rightsdesk import APP_NAME, __version__
from rightsdesk.domain.errors import UserError
from rightsdesk.domain.words import plural_word
from rightsdesk.persistence import migrate
from rightsdesk.persistence.backup import BackupFailed, backup_sqlite, default_backup_path, scheduled_backup_if_due
from rightsdesk.persistence.database import DESK_BUSY_TIMEOUT_MS, Database, default_database_path, demo_database_path
from rightsdesk.services.desk import desk_size, holds_titles
from rightsdesk.ui import appearance, file_check, memory, settings
from rightsdesk.ui.actions import follow
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.forms import lay_out_dialog
from rightsdesk.ui import formatting
from rightsdesk.ui.operations import Operation, Quiet, Report
from rightsdesk.ui.placeholder import PlaceholderPage
from rightsdesk.ui.read_only import SUFFIX, ReadOnlyGuard, hide_edits
from rightsdesk.ui.resources import area_icon

if TYPE_CHECKING:
    from rightsdesk.services.attention import Item
    from rightsdesk.ui.avails.page import AvailsPage
    from rightsdesk.ui.catalogue.page import CataloguePage
    from rightsdesk.ui.deals.page import DealsPage
    from rightsdesk.ui.home.page import HomePage
    from rightsdesk.ui.libraries.page import LibrariesPage
    from rightsdesk.ui.localization.page import LocalizationPage
    from rightsdesk.ui.music.page import MusicPage
    from rightsdesk.ui.parties.page import PartiesPage
    from rightsdesk.ui.reference.page import ReferencePage
    from rightsdesk.ui.reports.page import ReportsPage
    from rightsdesk.ui.revenue.page import RevenuePage
    from rightsdesk.ui.statements.page import StatementsPage
    from rightsdesk.ui.windows.page import WindowsPage

DEMO_TITLES = 300
# Modules the warm-up leaves alone: the PDF workers' fork server's own (it reads every font on
# import, holding the interpreter ~0.1 s while the window waited, and turns the cycle collector
# off and freezes all there is, meant for that process only).
NOT_LOADED_AHEAD = frozenset({"rightsdesk.reports.pdf_server"})
log = logging.getLogger(__name__)
P = TypeVar("P", bound=QWidget)


class ServerDialog(QDialog):
    """Where a team's shared PostgreSQL database is, and whether to open it on every start."""

    def __init__(self, location: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Connect to team server")
        self.location = QLineEdit(location if "://" in location else "", objectName="location")
        self.location.setPlaceholderText("postgresql+psycopg://ana@db.example.com/rightsdesk")
        self.location.setMinimumWidth(420)
        self.on_start = QCheckBox("Open this database every time RightsDesk starts", objectName="on_start")
        self.on_start.setChecked(bool(location))
        hint = QLabel("Keep passwords out of the address: PostgreSQL reads them from your ~/.pgpass "
                      "(%APPDATA%\\postgresql\\pgpass.conf on Windows).", wordWrap=True)
        form = QFormLayout()
        form.addRow("Database &address", self.location)
        form.addRow("", self.on_start)
        form.addRow("", hint)
        lay_out_dialog(self, form, ok_text="Connect")


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    promise: str  # what the area will do, shown while it is a placeholder


AREAS = (
    Area("home", "Home", ""),
    Area("catalogue", "Catalogue", ""),
    Area("libraries", "Libraries", "Bundled vertical libraries: curated sets of titles sold as one unit to AVOD and FAST channels."),
    Area("parties", "Parties", ""),
    Area("deals", "Deals", "Rights bought in from producers and licensed out to platforms: grants by title or library, territory, media, language, term and exclusivity, with conflict checking."),
    Area("avails", "Avails", "What can still be sold, where, on which media and when, with the deal and grant behind every answer; exports to Excel, PDF and EMA Avails."),
    Area("windows", "Windows", "Release windows planned from templates (APP, then AVOD, then FAST), checked against the rights held and the holdbacks."),
    Area("music", "Music", "Cue sheets per episode and music licences per track: what is cleared, where, and what blocks a release."),
    Area("localization", "Localization", "Subtitles, dubs and metadata per title and language, and the readiness matrix of what can ship where."),
    Area("revenue", "Revenue", "Platform revenue reports imported with saved column mappings, matched to titles, with unmatched lines kept for review."),
    Area("statements", "Statements", "Royalty statements per participant and period: the waterfall from gross receipts to payment, locked once issued."),
    Area("reports", "Reports", "Statements and licensing reports as PDF and Excel: avails, expiring rights, windows, music, localization, deals."),
    Area("reference", "Reference data", ""),
)
# The screen of each built area: module and class, imported when the screen is first built, so
# start-up reads neither the screens nor the libraries (reports, spreadsheets) it does not show.
SCREENS = {
    "home": ("rightsdesk.ui.home.page", "HomePage"),
    "catalogue": ("rightsdesk.ui.catalogue.page", "CataloguePage"),
    "libraries": ("rightsdesk.ui.libraries.page", "LibrariesPage"),
    "parties": ("rightsdesk.ui.parties.page", "PartiesPage"),
    "deals": ("rightsdesk.ui.deals.page", "DealsPage"),
    "avails": ("rightsdesk.ui.avails.page", "AvailsPage"),
    "windows": ("rightsdesk.ui.windows.page", "WindowsPage"),
    "music": ("rightsdesk.ui.music.page", "MusicPage"),
    "localization": ("rightsdesk.ui.localization.page", "LocalizationPage"),
    "revenue": ("rightsdesk.ui.revenue.page", "RevenuePage"),
    "statements": ("rightsdesk.ui.statements.page", "StatementsPage"),
    "reports": ("rightsdesk.ui.reports.page", "ReportsPage"),
    "reference": ("rightsdesk.ui.reference.page", "ReferencePage"),
}


class Screen(Generic[P]):
    """`window.catalogue`: the area's screen, built the first time anything asks for it (shown,
    a menu or the home screen reaching into it), so start-up builds only the screen in front."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    def __get__(self, window: MainWindow | None, owner: type | None = None) -> P:
        if window is None:
            return self  # type: ignore[return-value]
        return window.page(self.key)  # type: ignore[return-value]


class MainWindow(QMainWindow):
    database_changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.operation: Operation | None = None
        self.setWindowTitle(APP_NAME)
        self._fit_to_screen()

        self.built: dict[str, QWidget] = {}
        self.backup_check: Quiet | None = None
        self.navigation = QListWidget(objectName="navigation")
        self.navigation.setMaximumWidth(200)
        self.navigation.setMinimumWidth(140)
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setSpacing(1)  # (icons need air between the rows to be told apart)
        self.pages = QStackedWidget(objectName="pages")
        # Each drawn once, for the navigation and the Go menu both (drawing them twice was 30 ms of the start)
        self.area_icons = {area.key: area_icon(area.key) for area in AREAS}
        for number, area in enumerate(AREAS, start=1):
            self.pages.addWidget(self._holder(area))
            item = QListWidgetItem(self.area_icons[area.key], area.label)
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            if number <= 10:
                item.setToolTip(f"Ctrl+{number % 10}")
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self._show_area)
        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([180, 1100])  # (else the splitter leaves a band beside the narrow navigation)
        self.setCentralWidget(splitter)
        self.read_only_guard = ReadOnlyGuard(self)
        self.database_label = QLabel()
        self.statusBar().addPermanentWidget(self.database_label)

        self._build_menus()
        self.apply_read_only()
        self._restore_layout()
        self._update_status()
        follow(self, {"title", "party"}, self._update_status)  # the status bar counts them
        # Scheduled backups: checked soon after start and every hour, off the UI thread (copying
        # a large file takes seconds); one is taken when the last is older than the setting says.
        self.backup_timer = QTimer(self, interval=3600 * 1000)
        self.backup_timer.timeout.connect(self.scheduled_backup_in_background)
        self.backup_timer.start()
        QTimer.singleShot(0, self.scheduled_backup_in_background)
        self.warm_up: Quiet | None = None
        QTimer.singleShot(1000, self, self._warm_up)  # (not after the window is gone)

    home: Screen[HomePage] = Screen()
    catalogue: Screen[CataloguePage] = Screen()
    libraries: Screen[LibrariesPage] = Screen()
    parties: Screen[PartiesPage] = Screen()
    deals: Screen[DealsPage] = Screen()
    avails: Screen[AvailsPage] = Screen()
    windows: Screen[WindowsPage] = Screen()
    music: Screen[MusicPage] = Screen()
    localization: Screen[LocalizationPage] = Screen()
    revenue: Screen[RevenuePage] = Screen()
    statements: Screen[StatementsPage] = Screen()
    reports: Screen[ReportsPage] = Screen()
    reference: Screen[ReferencePage] = Screen()

    # -- structure --------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_database_action = file_menu.addAction("&New database…", QKeySequence("Ctrl+Shift+N"), self.new_database)
        self.open_database_action = file_menu.addAction("&Open database…", QKeySequence.StandardKey.Open, self.choose_database)
        self.connect_action = file_menu.addAction("&Connect to team server…", QKeySequence("Ctrl+Shift+O"), self.connect_to_server)
        self.backup_action = file_menu.addAction("&Back up database…", self.backup_database)
        file_menu.addSeparator()
        # The demo has its own database: opening it never fills the one the user works in.
        self.demo_action = file_menu.addAction("Open &demo catalogue", self.open_demo)
        self.own_database_action = file_menu.addAction("Open &your database", self.open_own_database)
        file_menu.addSeparator()
        file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)

        go_menu = self.menuBar().addMenu("&Go")
        for number, area in enumerate(AREAS, start=1):
            action = QAction(self.area_icons[area.key], area.label, self)
            if number <= 10:
                action.setShortcut(QKeySequence(f"Ctrl+{number % 10}"))
            action.triggered.connect(lambda _=False, row=number - 1: self.navigation.setCurrentRow(row))
            go_menu.addAction(action)
            self.addAction(action)

        appearance.add_menu(self.menuBar().addMenu("&View"))

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("&About RightsDesk", self.show_about)

    @staticmethod
    def _holder(area: Area) -> QWidget:
        """The place of an area in the stack; its screen goes in when first built."""
        holder = QWidget(objectName=f"area-{area.key}")
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        if area.key not in SCREENS:
            layout.addWidget(PlaceholderPage(area.label, area.promise))
        return holder

    def page(self, key: str) -> QWidget:
        """The screen of an area, built now if it was not yet."""
        if key not in self.built:
            module, name = SCREENS[key]
            page = getattr(importlib.import_module(module), name)(self.database)
            self.built[key] = page
            self._connect(key, page)
            if self.database.read_only:
                hide_edits(page)
            self.pages.widget([area.key for area in AREAS].index(key)).layout().addWidget(page)
        return self.built[key]

    def _connect(self, key: str, page: Any) -> None:
        if key == "home":
            page.open_record.connect(self.open_record)
        if key == "statements":
            page.unstated_requested.connect(self.show_unstated)

    def _build_pages(self) -> None:
        """Another database: every screen built goes, and the one in front is built again on it."""
        self._stop_pages()
        for page in self.built.values():
            page.setParent(None)  # type: ignore[call-overload]
            page.deleteLater()
        self.built.clear()
        self.apply_read_only()
        self._show_area(self.navigation.currentRow())
        self._update_status()

    def wait_for_background(self) -> None:
        """Wait for every worker of the window and its screens: a thread must not outlive the
        objects it reports to, nor the program (Qt aborts on a thread destroyed running)."""
        self._stop_pages()
        for quiet in self.findChildren(Quiet):
            quiet.wait()

    def _warm_up(self) -> None:
        """Read the report, service and screen modules off the UI thread once the window is up,
        so that the first screen needing them (Avails, Reports) is not built waiting for them.
        Loading makes no widget: those are made on the UI thread."""
        if any(quiet.running() for quiet in self.findChildren(Quiet)):
            # After the start's own reads (the attention list, the backup check): three threads
            # taking turns with the window's for the interpreter held it 110-220 ms in four of
            # twelve starts of bench/gui.py, and loading modules was one of them each time.
            QTimer.singleShot(250, self, self._warm_up)
            return

        def load() -> None:
            import pkgutil

            import rightsdesk.reports
            import rightsdesk.services

            # Qt's PDF modules too (a library to load: the first Statements or Reports screen
            # waited for it); loading a module makes no widget.
            for qt_module in ("PySide6.QtPdf", "PySide6.QtPdfWidgets"):
                importlib.import_module(qt_module)
            for package in (rightsdesk.services, rightsdesk.reports):
                # (one level: walk_packages imports a package to walk into it, and the demo
                # builder's, loaded when asked for, held the interpreter most of a second)
                for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
                    if module.ispkg or module.name in NOT_LOADED_AHEAD:
                        continue
                    try:
                        importlib.import_module(module.name)
                    except Exception:  # noqa: BLE001  (a screen that needs it will say what is wrong)
                        log.exception("cannot load %s ahead", module.name)
            # Then the screens' own modules (their classes; no widget is made in loading them):
            # the first visit of Statements spent 100 ms loading its code before building.
            for screen_module, _ in SCREENS.values():
                try:
                    importlib.import_module(screen_module)
                except Exception:  # noqa: BLE001
                    log.exception("cannot load %s ahead", screen_module)

        if self.isVisible():  # (not for a window closed meanwhile)
            # then what lives as long as the program is out of the cycle collector's sight (ui.memory)
            self.warm_up = Quiet(self, load, lambda _: memory.freeze_what_lives_on())

    def _stop_pages(self) -> None:
        """Wait for every screen's background work: a thread must not outlive its screen."""
        for page in self.built.values():
            stop = getattr(page, "stop", None)
            if stop is not None:
                stop()
            for quiet in page.findChildren(Quiet):
                quiet.wait()

    def apply_read_only(self) -> None:
        """Hide what changes data (and lock dialogs as they open) while the database is open for
        review; called again when that changes (a file found damaged after opening)."""
        app = QApplication.instance()
        if self.database.read_only:
            hide_edits(self)
            app.installEventFilter(self.read_only_guard)
        else:
            app.removeEventFilter(self.read_only_guard)
        for action in (self.new_database_action, self.demo_action):
            action.setVisible(not self.database.read_only)

    def _show_area(self, row: int) -> None:
        if 0 <= row < len(AREAS):
            if AREAS[row].key in SCREENS:
                self.page(AREAS[row].key)
            self.pages.setCurrentIndex(row)
            settings.CURRENT_AREA.set(AREAS[row].key)

    def show_area(self, key: str) -> None:
        self.navigation.setCurrentRow([area.key for area in AREAS].index(key))

    def show_unstated(self) -> None:
        """Revenue > Not on a statement, in front."""
        self.show_area("revenue")
        self.revenue.show_unstated()

    def open_record(self, item: Item) -> None:
        """Open what a home screen item is about, in the area that edits it."""
        try:
            if item.record == "deal":
                self.show_area("deals")
                self.deals.edit_deal(item.record_id)
            elif item.record == "window":
                self.show_area("windows")
                self.windows.open_window(item.record_id)
            elif item.record == "licence":
                self.show_area("music")
                self.music.open_licence(item.record_id)
            elif item.record == "task":
                self.show_area("localization")
                self.localization.open_task(item.record_id)
            elif item.record in ("statement", "period"):
                self.show_area("statements")
                if item.record == "statement":
                    self.statements.refresh(keep=item.record_id)
                else:
                    self.statements.period.setText(item.period)
                    self.statements.period.setFocus()
        except UserError as error:  # deleted since the home screen was built
            show_user_error(self, error)
            self.home.refresh()

    def area_key(self) -> str:
        return AREAS[self.pages.currentIndex()].key

    def _update_status(self) -> None:
        with self.database.read() as session:
            size = desk_size(session)
        self.demo_action.setEnabled(not self.is_demo)
        self.own_database_action.setVisible(self.database.path != default_database_path())
        self.backup_action.setEnabled(self.database.path is not None)
        read_only = " · read-only: nothing can be changed" if self.database.read_only else ""
        demo = "demo catalogue · " if self.is_demo else ""  # (said here too: not every desktop shows titles)
        self.database_label.setText(f"{demo}{formatting.number(size.titles)} {plural_word(size.titles, 'title')} · {formatting.number(size.parties)} {plural_word(size.parties, 'party', 'parties')} · {self.database.display_name()}{read_only}")
        shown = Path(self.database.display_name()).name
        if self.is_demo:
            shown = f"demo catalogue ({shown}): made-up titles and deals to look around in"
        self.setWindowTitle(f"{APP_NAME} — {shown}" + (SUFFIX if read_only else ""))

    @property
    def is_demo(self) -> bool:
        """Whether the window is on the demo catalogue's own database."""
        return self.database.path == demo_database_path()

    # -- layout remembered between sessions --------------------------------------------------

    # What a title bar and a desktop's panel take at most: the frame is unknown until shown.
    FRAME_ALLOWANCE = 40

    def _fit_to_screen(self) -> None:
        """1280 × 800 where the screen has room, else the screen's free area less a title bar:
        on a 1280 × 720 laptop the whole window, status bar included, is on the screen. A size
        saved at the last close (restoreGeometry) takes over, maximized included."""
        screen = self.screen() or QApplication.primaryScreen()
        available = screen.availableGeometry()
        self.resize(min(1280, available.width()), min(800, available.height() - self.FRAME_ALLOWANCE))

    def _restore_layout(self) -> None:
        geometry = settings.WINDOW_GEOMETRY.get()
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.WINDOW_STATE.get()
        if not state.isEmpty():
            self.restoreState(state)
        keys = [area.key for area in AREAS]
        saved = settings.CURRENT_AREA.get()
        self.navigation.setCurrentRow(keys.index(saved) if saved in keys else 0)

    def save_layout(self) -> None:
        settings.WINDOW_GEOMETRY.set(self.saveGeometry())
        settings.WINDOW_STATE.set(self.saveState())

    def changeEvent(self, event: QEvent) -> None:
        # Light to dark (or back) while running: the icons are painted in the palette's colours.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            for row, area in enumerate(AREAS):
                self.navigation.item(row).setIcon(area_icon(area.key))
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.operation.worker.wait()
        self.wait_for_background()
        self.save_layout()
        super().closeEvent(event)

    # -- databases ---------------------------------------------------------------------------

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New database", str(Path.home() / "rightsdesk.db"),
                                              "RightsDesk databases (*.db);;All files (*)")
        if path:
            if Path(path).exists():
                show_user_error(self, UserError(f"{path} already exists; open it with File > Open database"))
                return
            self.open_database(path)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open database", str(Path.home()),
                                              "RightsDesk databases (*.db);;All files (*)")
        if path:
            self.open_database(path)

    def connect_to_server(self) -> None:
        start = settings.START_DATABASE.get()
        dialog = ServerDialog(start if "://" in start else "", self)  # (not the demo's file)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        location = dialog.location.text().strip()
        if self.open_database(location):
            settings.START_DATABASE.set(location if dialog.on_start.isChecked() else "")

    def open_database(self, location: str) -> bool:
        database = None
        try:  # (opening itself may refuse: a read-only share whose last changes cannot be read)
            database = Database(location, read_only=self.database.read_only,  # a review stays a review
                                busy_timeout_ms=DESK_BUSY_TIMEOUT_MS)
            result = migrate.prepare(database)
        except UserError as error:
            if database is not None:
                database.dispose()
            show_user_error(self, error, "Cannot open the database")
            return False
        old, self.database = self.database, database
        old.dispose()
        if settings.START_DATABASE.get() == str(demo_database_path()) and not self.is_demo:
            settings.START_DATABASE.set("")  # left the demo chosen at first start: start where you work
        self._build_pages()
        self.database_changed.emit()
        file_check.check_every_page(self)
        if result.upgraded:
            self.statusBar().showMessage(f"Upgraded the database; the previous version is saved at {result.backup}", 15000)
        return True

    def scheduled_backup(self) -> Path | None:
        """Take the scheduled backup now if one is due; the path, or None."""
        return self._said(self._backup_work()())

    def scheduled_backup_in_background(self) -> None:
        """The same off the UI thread: listing the backups and copying the file take seconds on
        a large database, and the window must not wait for them."""
        if self.backup_check is None or not self.backup_check.running():
            self.backup_check = Quiet(self, self._backup_work(), self._said)

    def _backup_work(self) -> Callable[[], Path | str | None]:
        """What takes a due backup (persistence.backup decides whether one is), with the settings
        read here (on the UI thread); a failure comes back as the sentence to show."""
        path, every, keep = self.database.path, settings.BACKUP_EVERY_HOURS.get(), settings.BACKUP_KEEP.get()

        def work() -> Path | str | None:
            try:
                return scheduled_backup_if_due(path, every_hours=every, keep=keep)
            except BackupFailed as failed:  # a full disk must not stop the work; say so
                return str(failed)

        return work

    def _said(self, outcome: Path | str | None) -> Path | None:
        if isinstance(outcome, str):
            self.statusBar().showMessage(outcome, 15000)
            return None
        if outcome is not None:
            self.statusBar().showMessage(f"Backed up to {outcome}", 5000)
        return outcome

    def backup_database(self) -> None:
        source = self.database.path
        if source is None:
            return
        suggestion = default_backup_path(source, "manual")
        path, _ = QFileDialog.getSaveFileName(self, "Back up database", str(suggestion), "Databases (*.db)")
        if path:
            try:
                backup_sqlite(source, Path(path))
            except (OSError, UserError) as error:
                show_user_error(self, UserError(str(error)), "Backup failed")
                return
            self.statusBar().showMessage(f"Backed up to {path}", 10000)

    def open_demo(self) -> None:
        """File > Open demo catalogue: the demo's own database, built the first time it is opened."""
        if not self.is_demo and not self.open_database(str(demo_database_path())):
            return
        self.build_demo_if_empty()

    def open_own_database(self) -> None:
        """File > Open your database: the default file, where the user's own catalogue lives."""
        self.open_database(str(default_database_path()))

    def build_demo_if_empty(self) -> Operation | None:
        """On the demo database with no titles yet (new, or its building cancelled), build the
        demo in the background; nothing anywhere else."""
        if not self.is_demo or self.database.read_only or self.operation is not None:
            return None
        with self.database.read() as session:
            if holds_titles(session):
                return None
        return self.load_demo()

    def load_demo(self, titles: int | None = None) -> Operation:
        """Fill the database, which must be empty, with the demo catalogue (services/demo refuses
        one with titles), behind a progress dialog that can cancel it."""
        database, titles = self.database, titles or DEMO_TITLES

        def work(report: Report) -> object:
            from rightsdesk.services.demo import build_demo

            # A file just opened has its pages read first (ui/file_check.py), saves held back
            # meanwhile: wait for it rather than fail (Cancel still works while waiting).
            while database.writes_held:
                report("checking the file", 0)
                time.sleep(0.05)
            return build_demo(database, titles=titles, progress=report)

        def done(_summary: object) -> None:
            self.operation = None
            self._build_pages()
            self.statusBar().showMessage(f"Loaded the demo catalogue ({titles} series).", 10000)

        def cancelled() -> None:
            self.operation = None
            self.statusBar().showMessage("Demo catalogue cancelled; nothing was written.", 10000)

        self.operation = Operation(self, "Loading the demo catalogue", work).on_success(done).on_cancel(cancelled)
        self.operation.finished.connect(lambda: setattr(self, "operation", None))
        return self.operation.run_in_background()

    def show_about(self) -> None:
        QMessageBox.about(
            self, f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Rights, avails and royalties for microdrama sales houses.</p>"
            f"<p><b>Database:</b> {self.database.display_name()}<br>"
            f"<b>Schema:</b> {migrate.current_revision(self.database)}<br>"
            f"<b>Python</b> {platform.python_version()} · <b>Qt</b> {PySide6.QtCore.qVersion()} · "
            f"<b>PySide6</b> {PySide6.__version__}</p>",
        )
