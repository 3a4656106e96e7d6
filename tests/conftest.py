"""Shared fixtures: an offscreen Qt, isolated user folders, and migrated databases."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt or platformdirs: no screen, and no touching the real user's
# data folder or settings.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="rightsdesk-tests-"))
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["RIGHTSDESK_USER"] = "tester"

import pytest  # noqa: E402

from rightsdesk.persistence import migrate  # noqa: E402
from rightsdesk.persistence.database import Database  # noqa: E402


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database at the newest schema, made once; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(path)
    migrate.prepare(database)
    database.dispose()
    return path


@pytest.fixture
def database(migrated_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "rightsdesk.db"
    shutil.copy(migrated_file, path)
    db = Database(path)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory, migrated_file: Path) -> Path:
    """A small demo catalogue, made once; tests that only read may share copies of it."""
    from rightsdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(migrated_file, path)
    db = Database(path)
    build_demo(db, titles=60, seed=7)
    db.dispose()
    return path


@pytest.fixture
def demo_database(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    db = Database(path)
    yield db
    db.dispose()
