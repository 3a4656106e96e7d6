"""The app takes a scheduled backup on start when one is due, keeping the last few."""

import pytest

from rightsdesk.persistence.backup import backups
from rightsdesk.ui import settings
from rightsdesk.ui.main_window import MainWindow

# Backups copy a database file; a PostgreSQL server is backed up by its own tools.
pytestmark = pytest.mark.sqlite_only


def test_a_backup_is_taken_on_start_and_not_again_until_due(qtbot, database):
    main = MainWindow(database)
    qtbot.addWidget(main)
    qtbot.waitUntil(lambda: any(b.reason == "scheduled" for b in backups(database.path)), timeout=3000)
    assert main.scheduled_backup() is None  # the next is due in 24 hours
    assert [b.reason for b in backups(database.path)] == ["scheduled"]


def test_scheduled_backups_can_be_turned_off(qtbot, database):
    settings.BACKUP_EVERY_HOURS.set(0)
    main = MainWindow(database)
    qtbot.addWidget(main)
    qtbot.wait(50)
    assert main.scheduled_backup() is None and backups(database.path) == []
