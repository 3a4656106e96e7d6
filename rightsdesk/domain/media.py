"""Media codes: kept as entered, found whatever their case.

A medium's code is stored exactly as it was entered ('inflight', 'Hotels', the standard 'APP',
'SVOD'...), and no two codes differ only by case. So wherever a user or a file names a medium
(a grant's media, a holdback, a window, a fee rate, a revenue line, an EMA row, an avails
question), what was typed is matched to the stored code without regard to case and then used as
stored: 'INFLIGHT' typed in a revenue file is the medium 'inflight', and every answer and export
shows 'inflight'. A code that names no medium is kept as typed (trimmed), so that the check
that follows refuses it with its value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Letters, digits, - _ . up to 32; the case is the user's.
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


class MediaCodes(frozenset[str]):
    """The set of stored media codes, which also finds the stored code for one typed in any case.

    Being a set, it answers `code in media` for a stored code as before; `as_stored` is the one
    way from what was typed to what is stored. Build it once per unit of work
    (rightsdesk.services.reference.known_media) and hand it to whatever reads media codes.
    """

    _folded: dict[str, str]

    def __new__(cls, codes: Iterable[str] = ()) -> MediaCodes:
        self = super().__new__(cls, codes)
        self._folded = {code.casefold(): code for code in self}
        return self

    def as_stored(self, typed: str) -> str:
        """The stored code `typed` names, whatever its case ('INFLIGHT' -> 'inflight'); when it
        names none, `typed` trimmed, for validation to refuse with its value."""
        text = typed.strip()
        return self._folded.get(text.casefold(), text)

    def stored(self, typed: str) -> str | None:
        """The stored code `typed` names, whatever its case; None when it names no medium."""
        return self._folded.get(typed.strip().casefold())

    def all_as_stored(self, typed: Iterable[str]) -> list[str]:
        """Each code of a list as stored, sorted, once each (a code typed twice, or in two cases,
        is one); blanks left out."""
        return sorted({self.as_stored(code) for code in typed if code.strip()})


def media_codes(codes: Iterable[str]) -> MediaCodes:
    """`codes` as MediaCodes (the same object when it already is): readers that take any set of
    stored codes use this, so a plain set still works."""
    return codes if isinstance(codes, MediaCodes) else MediaCodes(codes)
