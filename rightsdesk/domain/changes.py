"""What changed between two versions of a record, field by field.

The audit log keeps each version as JSON (nested dicts and lists); people read a change as
"grant 2 › media: APP, AVOD → APP". Used by the history of a record and by the comparison shown
when a save is refused because someone else saved first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Difference:
    field: str  # e.g. "status", "grants 2 › media"
    before: str  # as people read it; "" for nothing
    after: str


def differences(before: Any, after: Any) -> list[Difference]:
    """Every field whose value differs, in the order the fields come; a record that did not
    exist (None) on one side shows every field of the other."""
    found: list[Difference] = []
    _compare(before, after, "", found)
    return found


def _compare(before: Any, after: Any, path: str, found: list[Difference]) -> None:
    if before == after:
        return
    if isinstance(before, dict | None) and isinstance(after, dict | None) and (before or after):
        before, after = before or {}, after or {}
        for key in [*before, *(k for k in after if k not in before)]:
            _compare(before.get(key), after.get(key), _join(path, _label(key)), found)
        return
    if _is_records(before) and _is_records(after):
        before, after = before or [], after or []
        for index in range(max(len(before), len(after))):
            _compare(before[index] if index < len(before) else None, after[index] if index < len(after) else None,
                     _join(path, f"{_singular(path)} {index + 1}") if path else str(index + 1), found)
        return
    found.append(Difference(path or "value", text(before), text(after)))


def _is_records(value: Any) -> bool:
    """A list of records (compared one by one), not a list of values (compared whole)."""
    return value is None or (isinstance(value, list) and all(isinstance(item, dict) for item in value))


def _join(path: str, name: str) -> str:
    if not path:
        return name
    parent, _, last = path.rpartition(" › ")
    # "grants › grant 2" reads as "grant 2": the list's name is in the item's
    if name.startswith(_singular(last) + " ") and name[len(_singular(last)) + 1:].isdigit():
        return f"{parent} › {name}" if parent else name
    return f"{path} › {name}"


def _singular(path: str) -> str:
    last = path.rpartition(" › ")[2]
    return last[:-1] if last.endswith("s") and not last.endswith("ss") else last


def _label(key: Any) -> str:
    return str(key).replace("_", " ")


def text(value: Any) -> str:
    """A stored value as people read it."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(k)}: {text(v)}" for k, v in value.items() if text(v))
    return str(value)
