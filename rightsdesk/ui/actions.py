"""The UI's one way to act on the database, and how every screen hears what changed.

    saved_id = run(database, catalogue.save_title, draft, user=user)      # an editor's Save
    act(self, "Delete title", database, catalogue.delete_title, title_id)  # a page's command
    act_in_background(self, "Import report", database, revenue.import_checked, ...,
                      on_done=show_report)                                  # long work
    follow(self, {"title", "episode"}, self.refresh)                       # a screen stays current

Each of these performs a service use case as one unit of work (services.actions.perform), then
broadcasts the records it wrote. A screen that follows those kinds of record refreshes at once if
it is showing, or the next time it is shown, so that no screen shows what another has changed
(save a title in Catalogue and Music lists the new episode count).
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from rightsdesk.domain.errors import UserError
from rightsdesk.services.actions import Changes, perform
from rightsdesk.ui.errors import show_user_error
from rightsdesk.ui.operations import Operation, Report

T = TypeVar("T")

__all__ = ["Changes", "act", "act_in_background", "announce", "broadcaster", "follow", "run"]


class ChangeBroadcaster(QObject):
    """The application's one announcer of what actions wrote."""

    changed = Signal(object)  # Changes


_broadcaster: ChangeBroadcaster | None = None


def broadcaster() -> ChangeBroadcaster:
    """The application's broadcaster (made with the first use, owned by the application)."""
    global _broadcaster
    if _broadcaster is None:
        _broadcaster = ChangeBroadcaster(QCoreApplication.instance())
    return _broadcaster


def announce(changes: Changes) -> None:
    """Tell every following screen what was written (nothing is said of nothing)."""
    if changes:
        broadcaster().changed.emit(changes)


def run(database: Any, use_case: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Perform a use case now, on the UI thread (a save: milliseconds), and announce what it
    wrote. Raises its UserErrors (and the database's, made into UserErrors) for the caller,
    an editor that lists them beside the form."""
    outcome = perform(database, use_case, *args, **kwargs)
    announce(outcome.changes)
    return outcome.result


def act(parent: QWidget, title: str, database: Any, use_case: Callable[..., T], /, *args: Any,
        **kwargs: Any) -> T | None:
    """`run`, showing a refusal as a message titled `title` (None is then returned)."""
    try:
        return run(database, use_case, *args, **kwargs)
    except UserError as error:
        show_user_error(parent, error, title)
        return None


def act_in_background(parent: QWidget, title: str, database: Any, use_case: Callable[..., T], /, *args: Any,
                      on_done: Callable[[T], None] | None = None, on_cancel: Callable[[], None] | None = None,
                      **kwargs: Any) -> Operation:
    """Long work: `use_case(session, *args, report=report, **kwargs)` in a worker thread behind a
    progress dialog with Cancel (ui.operations); its unit of work rolls back when cancelled or
    refused. On success, what it wrote is announced, then `on_done(result)` runs on the UI thread."""

    def work(report: Report) -> Any:
        return perform(database, use_case, *args, report=report, **kwargs)

    def done(outcome: Any) -> None:
        announce(outcome.changes)
        if on_done is not None:
            on_done(outcome.result)

    operation = Operation(parent, title, work).on_success(done)
    if on_cancel is not None:
        operation.on_cancel(on_cancel)
    return operation.run_in_background()


class _Follower(QObject):
    """Refreshes one screen when records of its kinds change: at once while it shows, else when
    it is next shown (a hidden screen does no work for changes it may never show)."""

    def __init__(self, screen: QWidget, kinds: frozenset[str], refresh: Callable[[], Any]):
        super().__init__(screen)
        self.kinds = kinds
        # Weakly: the follower is the screen's child, so a strong reference to the screen's own
        # method would keep every closed screen and dialog alive (and hearing) for good.
        self._refresh = weakref.WeakMethod(refresh) if inspect.ismethod(refresh) else (lambda: refresh)
        self.stale = False
        screen.installEventFilter(self)
        broadcaster().changed.connect(self.hear)

    def refresh(self) -> None:
        refresh = self._refresh()
        if refresh is not None:
            refresh()

    def hear(self, changes: Changes) -> None:
        if not changes.touches(*self.kinds):
            return
        screen = self.parent()
        if isinstance(screen, QWidget) and screen.isVisible():
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            QTimer.singleShot(0, self, self.refresh)  # after the screen has been laid out
        return False


def follow(screen: QWidget, kinds: Iterable[str], refresh: Callable[[], Any]) -> None:
    """Keep `screen` current: call `refresh()` when an action writes a record of one of `kinds`
    (tables' names: 'title', 'deal', 'statement', ...), now if the screen shows, else when it is
    next shown."""
    _Follower(screen, frozenset(kinds), refresh)
