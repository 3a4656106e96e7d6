"""Localization readiness: how far the subtitles, dubs and metadata of a title in a language have got.

A title (or each of its episodes) has tasks per language and kind. A title is only as ready in a
language as its least advanced task of that kind: one episode whose subtitles were rejected
holds the whole series back.
"""

from __future__ import annotations

from collections.abc import Iterable

from rightsdesk.domain.enums import LocalizationStatus

# From what needs action most to what is done; a rejected delivery needs action before one not started.
PROGRESS = (
    LocalizationStatus.REJECTED,
    LocalizationStatus.NOT_STARTED,
    LocalizationStatus.IN_PROGRESS,
    LocalizationStatus.IN_QC,
    LocalizationStatus.DELIVERED,
)
LABELS = {
    LocalizationStatus.REJECTED: "rejected",
    LocalizationStatus.NOT_STARTED: "not started",
    LocalizationStatus.IN_PROGRESS: "in progress",
    LocalizationStatus.IN_QC: "in QC",
    LocalizationStatus.DELIVERED: "delivered",
}


def readiness(statuses: Iterable[LocalizationStatus]) -> LocalizationStatus | None:
    """The least advanced of the tasks' statuses; None when there are no tasks at all."""
    found = set(statuses)
    return next((status for status in PROGRESS if status in found), None)
