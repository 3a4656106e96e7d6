"""Backups of SQLite databases, safe while the app is running."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_folder(database_path: Path) -> Path:
    return database_path.parent / "backups"


def default_backup_path(database_path: Path, reason: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return backup_folder(database_path) / f"{database_path.stem}-{stamp}-{reason}.db"


def backup_sqlite(database_path: Path, destination: Path) -> Path:
    """Copy a SQLite database with its online backup API (consistent even mid-write)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise FileExistsError(f"{destination} already exists")
    source = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(destination)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return destination
