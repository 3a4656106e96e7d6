"""Connecting the app to a team's PostgreSQL server, and opening it on every start."""

import pytest
from PySide6.QtWidgets import QDialog

from rightsdesk.persistence import migrate
from rightsdesk.persistence.database import Database
from rightsdesk.ui import settings
from rightsdesk.ui.app import open_window
from rightsdesk.ui.main_window import MainWindow, ServerDialog


@pytest.fixture
def team_server(postgres_server, postgres_template):
    postgres_server.create_database("team", postgres_template)
    yield postgres_server.url("team").render_as_string(hide_password=False)
    postgres_server.drop_database("team")


@pytest.fixture
def local_window(qtbot, tmp_path):
    local = Database(tmp_path / "local.db")
    migrate.prepare(local)
    window = MainWindow(local)
    qtbot.addWidget(window)
    yield window
    window.database.dispose()


def answer_server_dialog(monkeypatch, location, on_start):
    def fill(dialog):
        dialog.location.setText(location)
        dialog.on_start.setChecked(on_start)
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(ServerDialog, "exec", fill)


def test_the_team_server_is_opened_and_remembered_for_the_next_start(qtbot, monkeypatch, local_window, team_server):
    answer_server_dialog(monkeypatch, team_server, on_start=True)
    local_window.connect_action.trigger()
    assert local_window.database.url.get_backend_name() == "postgresql"
    assert "team" in local_window.windowTitle()
    assert not local_window.backup_action.isEnabled()  # the server's backups are its own tools'
    assert settings.START_DATABASE.get() == team_server

    again = open_window(None)  # no --db: the next start opens the team's database
    qtbot.addWidget(again)
    assert again.database.url.render_as_string(hide_password=False) == team_server
    again.database.dispose()


def test_a_server_that_cannot_be_reached_is_said_and_the_open_database_kept(monkeypatch, local_window, answer_dialogs):
    asked = answer_dialogs()
    answer_server_dialog(monkeypatch, "postgresql+psycopg://nobody@127.0.0.1:1/rightsdesk", on_start=True)
    local_window.connect_to_server()
    assert asked and asked[0].startswith("Cannot open postgresql+psycopg://nobody@127.0.0.1:1/rightsdesk: ")
    assert local_window.database.is_sqlite
    assert settings.START_DATABASE.get() == ""
