"""Backups: scheduled with the last N kept, restored safely, and a damaged database refused
on open with what is wrong and where the last backup is."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from rightsdesk.cli import main
from rightsdesk.domain.catalogue import EpisodeDraft, TitleDraft
from rightsdesk.domain.errors import UserError
from rightsdesk.persistence import migrate
from rightsdesk.persistence.backup import (
    DatabaseDamaged,
    backup_sqlite,
    backups,
    default_backup_path,
    integrity_problems,
    restore_sqlite,
    scheduled_backup,
)
from rightsdesk.persistence.database import Database
from rightsdesk.persistence.models import Title
from rightsdesk.services import catalogue

# Backups copy a database file; a PostgreSQL server is backed up by its own tools.
pytestmark = pytest.mark.sqlite_only


def title_count(database):
    with database.read() as session:
        return session.scalar(select(func.count(Title.id)))


def test_scheduled_backups_are_taken_when_due_and_only_the_last_n_kept(database):
    path = database.path
    start = datetime(2026, 11, 25, 9, 0)
    assert scheduled_backup(path, every=timedelta(hours=24), keep=2, now=start) is not None
    assert scheduled_backup(path, every=timedelta(hours=24), keep=2, now=start + timedelta(hours=1)) is None  # not due
    manual = backup_sqlite(path, default_backup_path(path, "manual"))
    for _ in range(3):  # backups named by the clock; make each look a day older than the next
        for backup in backups(path):
            if backup.reason == "scheduled":
                older = backup.taken - timedelta(days=1)
                backup.path.rename(backup.path.with_name(f"{path.stem}-{older:%Y%m%d-%H%M%S}-scheduled.db"))
        assert scheduled_backup(path, every=timedelta(hours=24), keep=2) is not None
    kept = backups(path)
    assert [b.reason for b in kept].count("scheduled") == 2
    assert manual in [b.path for b in kept]  # other backups are not pruned


def test_restore_puts_a_backup_back_and_keeps_the_database_it_replaced(database, worked):
    path = database.path
    before = backup_sqlite(path, default_backup_path(path, "manual"))
    with database.transaction() as session:
        catalogue.save_title(session, TitleDraft("Added after the backup", episodes=[EpisodeDraft(1, "", 60)]), user="ana")
    assert title_count(database) == 3
    saved = restore_sqlite(before, path)
    assert title_count(database) == 2  # seen through the connections already open
    assert saved is not None and saved.name.endswith("-before-restore.db")
    restore_sqlite(saved, path)
    assert title_count(database) == 3


def test_restore_refuses_what_is_not_a_rightsdesk_backup(database, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(UserError, match="not a sound database"):
        restore_sqlite(junk, database.path)
    other = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (x)")
    with pytest.raises(UserError, match="not a RightsDesk database"):
        restore_sqlite(other, database.path)
    with pytest.raises(UserError, match="there is no backup"):
        restore_sqlite(tmp_path / "missing.db", database.path)


def test_a_damaged_database_is_refused_on_open_naming_the_last_backup(database, demo_database, tmp_path):
    path = demo_database.path
    backup = backup_sqlite(path, default_backup_path(path, "scheduled"))
    demo_database.dispose()
    assert integrity_problems(path) == []
    # Scribble over pages in the middle of the file, as a failing disk would.
    content = bytearray(path.read_bytes())
    page = 4096
    for at in range(page * 20, min(len(content), page * 40), page):
        content[at + 100:at + 600] = b"\xff" * 500
    path.write_bytes(bytes(content))
    assert integrity_problems(path)
    damaged = Database(path)
    with pytest.raises(DatabaseDamaged) as refused:
        migrate.prepare(damaged)
    damaged.dispose()
    message = str(refused.value)
    assert "is damaged" in message and str(backup) in message and "rightsdesk db restore" in message
    # and the way back: the command the message gives
    assert main(["db", "restore", str(backup), "--db", str(path)]) == 0
    assert integrity_problems(path) == []


def test_db_restore_lists_backups_when_given_none(database, capsys):
    backup_sqlite(database.path, default_backup_path(database.path, "manual"))
    assert main(["db", "restore", "--db", str(database.path)]) == 0
    out = capsys.readouterr().out
    assert "manual" in out and str(database.path.parent / "backups") in out


def test_the_scheduled_backup_is_decided_here_never_of_the_demo_nor_when_turned_off(tmp_path, monkeypatch):
    import sqlite3 as sqlite

    from rightsdesk.persistence import backup as backup_module
    from rightsdesk.persistence.backup import backups, scheduled_backup_if_due

    own, demo = tmp_path / "desk.db", tmp_path / "rightsdesk-demo.db"
    for path in (own, demo):
        sqlite.connect(path).execute("create table t (x)").connection.commit()
    monkeypatch.setattr(backup_module, "demo_database_path", lambda: demo)

    assert scheduled_backup_if_due(own, every_hours=0, keep=3) is None  # turned off
    assert scheduled_backup_if_due(demo, every_hours=24, keep=3) is None and backups(demo) == []
    assert scheduled_backup_if_due(None, every_hours=24, keep=3) is None  # a team server
    taken = scheduled_backup_if_due(own, every_hours=24, keep=0)  # keeps one at least
    assert taken is not None and [b.path for b in backups(own)] == [taken]
    assert scheduled_backup_if_due(own, every_hours=24, keep=3) is None  # not due again yet
