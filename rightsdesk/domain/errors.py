"""Errors the user can act on, as opposed to bugs.

Services raise these; the command line prints them as one line and the GUI shows them
in a message box. Anything else that escapes is a bug and goes to the crash dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class UserError(Exception):
    """Something the user can fix: bad input, a missing file, a locked database."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a field, or 'episodes[3].runtime') and why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ValidationError(UserError):
    """Input that breaks a rule; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class NotFound(UserError):
    """A record the user asked for does not exist (any more)."""


class Conflict(UserError):
    """Someone else changed the record since it was loaded: who and when, if the log knows."""

    def __init__(self, message: str, changed_by: str = "", changed_at: datetime | None = None):
        super().__init__(message)
        self.changed_by, self.changed_at = changed_by, changed_at
