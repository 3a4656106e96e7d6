"""One way to act: a use case run as one unit of work, returning its result and what changed.

    outcome = perform(database, catalogue.save_title, draft, user="ana")
    outcome.result   # what the use case returned (the title's id)
    outcome.changes  # Changes({'title': {12}, 'episode': {40, 41}})

Every action taken in the window goes through here (ui.actions), so that (1) it is
one transaction, committed whole or not at all, (2) what it wrote is known without the use case
listing it (persistence.changes watches the unit of work), and (3) the database's own errors
(a lock held by another desk, a full disk, a server gone, a damaged file) reach the person as
UserErrors saying what happened and what to do, never as a driver's text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, Generic, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.backup import damage_message
from rightsdesk.persistence.changes import NOTHING, Changes, note_changes, recording
from rightsdesk.persistence.database import Database, DatabaseBusy, ReadOnlyDatabase, busy_message, is_busy

__all__ = ["NOTHING", "Changes", "DatabaseUnusable", "Outcome", "UnitOfWork", "note_changes", "perform", "storage_problem"]

# The unit of work a use case or a reading service function is given. The UI holds one only to
# hand it on to services (`with database.read() as work: services.x(work, ...)`), never to query.
UnitOfWork = Session

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an action returned and the records it wrote."""

    result: T
    changes: Changes


class DatabaseUnusable(UserError):
    """The database cannot take the action now: its disk is full, the server went away, the
    file is damaged. Nothing of the action was saved."""


def perform(database: Database, use_case: Callable[Concatenate[Session, P], T], /, *args: P.args,
            **kwargs: P.kwargs) -> Outcome[T]:
    """Run `use_case(session, *args, **kwargs)` as one unit of work and return its result with
    the records it wrote. Raises what the use case raises (UserError subclasses: ValidationError,
    Conflict, ...), rolled back; a database error as the UserError `storage_problem` makes of it.
    A use case that computes for long before writing (a statement run) is passed
    `compute_first=True`: it runs through `Database.compute_then_write`, holding no write lock
    while it computes."""
    compute_first = bool(kwargs.pop("compute_first", False))
    written: list[Callable[[], Changes]] = []

    def work(session: Session) -> T:
        with recording(session) as changes:
            written[:] = [changes]
            result = use_case(session, *args, **kwargs)
            session.flush()  # so that what the ORM still holds is written, and seen, now
            return result

    try:
        if compute_first:
            result = database.compute_then_write(work)
        else:
            with database.transaction() as session:
                result = work(session)
    except DBAPIError as error:
        problem = storage_problem(database, error)
        if problem is None:
            raise
        raise problem from error
    return Outcome(result, written[0]() if written else NOTHING)


def storage_problem(database: Database, error: DBAPIError) -> UserError | None:
    """What a database error means to the person at the desk, as a UserError whose message
    says what happened and what to do; None for an error that is a bug (a constraint the
    domain should have checked first, a malformed query). Nothing was saved in every case: the
    unit of work rolled back."""
    name = database.display_name()
    text = str(error.orig if error.orig is not None else error).lower()
    kept = "Nothing was saved and your edits are kept"
    if is_busy(error):
        return DatabaseBusy(busy_message(name))
    if "disk is full" in text or "no space left" in text or "could not extend file" in text:
        return DatabaseUnusable(f"the disk holding {name} is full. {kept}; free some space, then save again.")
    if "readonly database" in text or "read-only" in text:
        return ReadOnlyDatabase(f"{name} cannot be written to now (its file or folder has become read-only). "
                                f"{kept}; ask whoever manages the folder, or save again once it can be written.")
    if "malformed" in text or "not a database" in text or "disk i/o error" in text:
        if database.path is not None:
            return DatabaseUnusable(damage_message(database.path, [str(error.orig)]))
        return DatabaseUnusable(f"{name} reported damage: {error.orig}. {kept}.")
    if isinstance(error, OperationalError) and not database.is_sqlite and (
            error.connection_invalidated or any(words in text for words in (
                "server closed", "connection refused", "terminating connection", "could not connect",
                "connection timed out", "no connection to the server", "connection is closed"))):
        return DatabaseUnusable(f"the connection to the database server ({name}) was lost. {kept}; "
                                "check the network or ask whoever runs the server, then save again.")
    return None
