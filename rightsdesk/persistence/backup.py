"""Backups of SQLite databases, safe while the app is running: taken before upgrades, before
statements are issued, on a schedule (the last few kept) and by hand; restored with the same
online backup API; and the integrity check run when a database is opened.

Backups live in `backups/` beside the database, named `<db>-<YYYYmmdd-HHMMSS>-<reason>.db`.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.database import demo_database_path, read_only_uri

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z-]+)\.db$")


class DatabaseDamaged(UserError):
    """The integrity check found problems; the message says what and where the last backup is."""


def backup_folder(database_path: Path) -> Path:
    return database_path.parent / "backups"


def default_backup_path(database_path: Path, reason: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = backup_folder(database_path) / f"{database_path.stem}-{stamp}-{reason}.db"
    counter = 2
    while path.exists():  # two backups in one second (a quick upgrade, then an issue)
        path = path.with_name(f"{database_path.stem}-{stamp}-{reason}-{counter}.db")
        counter += 1
    return path


def backup_sqlite(database_path: Path, destination: Path) -> Path:
    """Copy a SQLite database with its online backup API (consistent even mid-write), after
    reading every page of it: a backup never copies damage over the last good one (raises
    DatabaseDamaged with the restore command instead)."""
    check_integrity(database_path)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise FileExistsError(f"{destination} already exists")
    _copy_online(database_path, destination)
    return destination


def _copy_online(source_path: Path, target_path: Path) -> None:
    """SQLite's online backup API, page by page: the copy is consistent however busy the source,
    and a target open elsewhere sees the new content on its next read."""
    # (read_only_uri: from a folder that cannot be written, mode=ro alone cannot open WAL files)
    source = sqlite3.connect(read_only_uri(source_path), uri=True)
    try:
        try:
            target = sqlite3.connect(target_path)
        except sqlite3.Error as error:  # a folder that cannot be written (a read-only share)
            raise UserError(f"could not write a copy at {target_path}: {error}") from error
        try:
            source.backup(target)
        except sqlite3.Error as error:  # nothing half-copied is left to look like a backup
            target.close()
            target_path.unlink(missing_ok=True)
            raise UserError(f"could not copy {source_path} to {target_path}: {error}") from error
        finally:
            target.close()
    finally:
        source.close()


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    reason: str


def backups(database_path: Path) -> list[Backup]:
    """The database's backups in its backups folder, newest first."""
    found = []
    folder = backup_folder(database_path)
    for path in folder.glob(f"{database_path.stem}-*.db") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match and match["stem"] == database_path.stem:
            reason = re.sub(r"-\d+$", "", match["reason"])
            found.append(Backup(path, datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S"), reason))
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def scheduled_backup(database_path: Path, *, every: timedelta, keep: int, now: datetime | None = None) -> Path | None:
    """Take a scheduled backup when the last one is older than `every`, then keep only the newest
    `keep` scheduled ones (backups taken for other reasons are left alone). The path, or None
    when none was due."""
    now = now or datetime.now()
    scheduled = [b for b in backups(database_path) if b.reason == "scheduled"]
    if scheduled and now - scheduled[0].taken < every:
        return None
    taken = backup_sqlite(database_path, default_backup_path(database_path, "scheduled"))
    for old in [b for b in backups(database_path) if b.reason == "scheduled"][keep:]:
        old.path.unlink(missing_ok=True)
    return taken


class BackupFailed(UserError):
    """A scheduled backup could not be taken; the message says why (the work goes on)."""


def scheduled_backup_if_due(database_path: Path | None, *, every_hours: int, keep: int) -> Path | None:
    """The desk's scheduled backup: taken when the last is older than `every_hours` (0: never),
    keeping the newest `keep` (at least 1); none of a database that is not a file (a team
    server is backed up by its own tools) nor of the demo catalogue (made-up data, built again
    from nothing at any time). The path taken, or None. Raises BackupFailed (a full disk, a
    damaged file found reading it) for the person to be told, never to stop their work."""
    if database_path is None or every_hours <= 0 or database_path == demo_database_path() or not database_path.exists():
        return None
    try:
        return scheduled_backup(database_path, every=timedelta(hours=every_hours), keep=max(1, keep))
    except (OSError, sqlite3.Error) as error:
        raise BackupFailed(f"The scheduled backup failed: {error}") from error
    except DatabaseDamaged as damaged:  # found reading every page before copying
        raise BackupFailed(f"No backup was taken: {damaged}") from damaged


def integrity_problems(database_path: Path, limit: int = 20, *, thorough: bool = True) -> list[str]:
    """What is wrong with a database file (empty when it is sound): its structure (a SQLite
    header, a file as long as its header says, every table of the schema), then, when
    `thorough`, SQLite's quick check of every page (a zeroed page; O(size): ~1 s per 150 MB)."""
    problems = structure_problems(database_path)
    if problems or not thorough:
        return problems
    try:
        connection = sqlite3.connect(read_only_uri(database_path), uri=True)
        try:
            rows = connection.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:  # not a database at all, or its header is gone
        return [str(error)]
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found


_MAGIC = b"SQLite format 3\x00"


def structure_problems(database_path: Path) -> list[str]:
    """The damage found without reading every page: not a SQLite file (a text file, a
    workbook), a file cut short of the length its header gives, a table of the schema missing
    (dropped). Cheap enough for every command; `integrity_problems` reads every page."""
    try:
        with database_path.open("rb") as handle:
            header = handle.read(100)
        size = database_path.stat().st_size
    except OSError as error:
        return [f"cannot be read ({error.strerror})"]
    if len(header) < 100 or not header.startswith(_MAGIC):
        kind = "an Excel workbook or another zip file" if header.startswith(b"PK") else "not a SQLite file"
        return [f"it is {kind}, not a database"]
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is valid when its "version-valid-for" equals the change counter.
    if header[92:96] == header[24:28] and size < pages * page_size:
        return [f"the file is cut short: {size} bytes of the {pages * page_size} its header gives"]
    try:
        connection = sqlite3.connect(read_only_uri(database_path), uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone() \
                if "alembic_version" in tables else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    from rightsdesk.persistence import migrate, models  # noqa: F401  (models registers every table with Base)
    from rightsdesk.persistence.base import Base

    if revision is None or revision[0] != migrate.head_revision():
        return []  # not made yet, or by an older program: its tables come with the upgrade

    return [f"table {name} is missing (dropped?)" for name in sorted(set(Base.metadata.tables) - tables)]


def check_integrity(database_path: Path, *, thorough: bool = True) -> None:
    """Refuse a damaged database, saying what is wrong and how to restore the last backup."""
    problems = integrity_problems(database_path, thorough=thorough)
    if problems:
        raise DatabaseDamaged(damage_message(database_path, problems))


def damage_message(database_path: Path, problems: list[str]) -> str:
    """What is wrong with a damaged database, and the command that restores its last backup."""
    latest = backups(database_path)
    where = (f"Nothing was changed. The last backup is {latest[0].path} (taken {latest[0].taken:%Y-%m-%d %H:%M}); "
             f"restore it with `rightsdesk db restore \"{latest[0].path}\" --db \"{database_path}\"`." if latest
             else f"Nothing was changed. There is no backup in {backup_folder(database_path)}.")
    shown = "\n".join(f"  • {p}" for p in problems[:10])
    return f"{database_path} is damaged:\n{shown}\n{where}"


def restore_sqlite(backup_path: Path, database_path: Path) -> Path | None:
    """Put a backup back in place of the database, through the online backup API (safe while
    another program has it open: they see the restored data on their next read). The current
    database is backed up first ('before-restore') when it can be read; that copy is returned."""
    if not backup_path.is_file():
        raise UserError(f"there is no backup at {backup_path}")
    problems = integrity_problems(backup_path)
    if problems:
        raise UserError(f"{backup_path} cannot be restored: it is not a sound database ({problems[0]})")
    with sqlite3.connect(read_only_uri(backup_path), uri=True) as probe:
        tables = {row[0] for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" not in tables:
        raise UserError(f"{backup_path} is not a RightsDesk database")
    saved = None
    if database_path.exists() and not integrity_problems(database_path):
        saved = backup_sqlite(database_path, default_backup_path(database_path, "before-restore"))
    _copy_online(backup_path, database_path)
    return saved
