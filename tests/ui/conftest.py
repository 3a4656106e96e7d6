"""Screens under test: one QApplication, fresh settings per test, and two guards against the
crashes of issue 18 ("never crash"): faulthandler stays on (pytest's plugin dumps every thread's
stack on a segmentation fault or an abort), and Qt's complaints about objects used from the
wrong thread fail the test that caused them, even when they come while it is torn down, after
pytest-qt has stopped listening (a widget collected late, a timer started from a worker)."""

import faulthandler
import re
import sys

import pytest
from PySide6.QtCore import QSettings, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from rightsdesk.ui.app import application
from rightsdesk.ui.table import RecordList


@pytest.fixture
def backend() -> str:
    """Screens are tested on SQLite only: what they do in the database goes through the services,
    whose tests run on SQLite and PostgreSQL alike (tests/services, tests/persistence); the team
    server's own screen has its tests (test_team_database.py). It keeps the suite within its
    10 minutes on 2 cores."""
    return "sqlite"


@pytest.fixture(autouse=True)
def fresh_settings(qapp):
    application()
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def answer_dialogs(monkeypatch):
    """Answer message boxes without showing them; records what was asked."""
    asked: list[str] = []

    def answering(answer):
        def ask(parent, title, text, *args, **kwargs):
            asked.append(text)
            return answer
        return ask

    def set_answer(answer=QMessageBox.StandardButton.Yes):
        for name in ("question", "warning", "information", "critical"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(answering(answer)))
        monkeypatch.setattr(QMessageBox, "exec", lambda self: asked.append(self.text()) or 0)
        return asked

    return set_answer


@pytest.fixture
def in_dialog(qtbot):
    """Wait until the user is in a dialog (its window active, a field with focus): a key goes
    only there, and the keys every form shares (rightsdesk.ui.keys) are watched from then."""
    def wait(dialog):
        qtbot.waitUntil(lambda: (focus := QApplication.focusWidget()) is not None and focus.window() is dialog)
        return dialog

    return wait


@pytest.fixture
def shown(qtbot):
    """Show a screen and wait for the lists in view to fill (they fill off the UI thread when
    first shown)."""
    def show(widget):
        widget.show()
        lists = [found for found in widget.findChildren(RecordList) if found.isVisible()]
        qtbot.waitUntil(lambda: all(found.model.filled for found in lists), timeout=5000)
        return widget

    return show


# What Qt says when an object is used from a thread it does not belong to. Each is a crash in
# waiting (most of them become one under load), so each fails the test during which it came.
_THREAD_COMPLAINTS = re.compile("|".join(re.escape(text) for text in (
    "Cannot create children for a parent that is in a different thread",
    "Timers cannot be started from another thread",
    "Timers cannot be stopped from another thread",
    "Timers can only be used with threads started with QThread",
    "Cannot send events to objects owned by a different thread",
    "QBasicTimer can only be used with threads started with QThread",
    "It is not safe to use pixmaps outside the GUI thread",
    "Must construct a QApplication before a QWidget",
    "Cannot move objects with a parent",
    "Current thread is not the object's thread",
    "QThread: Destroyed while thread",
    "QSocketNotifier: Socket notifiers cannot be enabled or disabled from another thread",
    "Widgets must be created in the GUI thread",
    "from another thread",
    "in a different thread",
)))


class _ThreadCheck:
    """Qt's message handler for the whole session: notes thread complaints against the test
    running (setup, call or teardown), then hands every message on: to pytest-qt's capture while
    it listens (it fails the test on any warning), else to stderr."""

    def __init__(self) -> None:
        self.item: pytest.Item | None = None
        self.complaints: dict[str, list[str]] = {}
        self.outside_tests: list[str] = []

    def __call__(self, kind, context, message) -> None:  # noqa: ANN001
        if _THREAD_COMPLAINTS.search(message):
            if self.item is not None:
                self.complaints.setdefault(self.item.nodeid, []).append(message)
            else:
                self.outside_tests.append(message)
        capture = getattr(self.item, "qt_log_capture", None)
        if capture is not None:
            capture._handle_with_context(kind, context, message)
        else:
            print(message, file=sys.stderr, flush=True)


_thread_check = _ThreadCheck()


@pytest.fixture
def take_thread_complaints(request: pytest.FixtureRequest):
    """For a test that makes Qt complain on purpose: the thread complaints so far in this test,
    taken back so that they do not fail it."""
    return lambda: _thread_check.complaints.pop(request.node.nodeid, [])


def pytest_configure(config: pytest.Config) -> None:
    # pytest's faulthandler plugin turns it on unless `-p no:faulthandler`; the screens always
    # run under it (a segmentation fault then names the test and every thread's stack).
    if not faulthandler.is_enabled():
        faulthandler.enable(all_threads=True)
    qInstallMessageHandler(_thread_check)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):  # noqa: ARG001
    _thread_check.item = item
    try:
        return (yield)
    finally:
        _thread_check.item = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):  # noqa: ARG001
    # pytest-qt put its own handler in place for this test; ours goes back on top of it and
    # hands messages on to it. (pytest-qt puts ours back when it stops.)
    try:
        return (yield)
    finally:
        qInstallMessageHandler(_thread_check)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if call.when in ("call", "teardown"):  # (those of the setup are reported with the call)
        complaints = _thread_check.complaints.pop(item.nodeid, [])
        listed = "\n".join(f"  {message}" for message in complaints)
        if complaints and report.passed:
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: Qt said objects were used from the wrong thread:\n{listed}"
        elif complaints:  # (failed anyway: the complaints go with the failure)
            report.sections.append(("Qt: objects used from the wrong thread", listed))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _thread_check.outside_tests:
        listed = "\n".join(f"  {message}" for message in _thread_check.outside_tests)
        print(f"\nQt said objects were used from the wrong thread outside any test:\n{listed}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
