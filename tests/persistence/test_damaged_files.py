"""Damaged database files are never written to, read-only desks never write, and a mistyped
--db never leaves a database behind (issue 17). Each command is run as a user would run it."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

from rightsdesk import cli
from rightsdesk.cli import main
from rightsdesk.persistence import database as database_module


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cut_short(path):
    path.write_bytes(path.read_bytes()[:-1000])


def zero_a_page(path):
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    # a page of the title table's b-tree: what every report and import reads
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'title'").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size:root * page_size] = bytes(page_size)
    path.write_bytes(bytes(data))


def a_text_file(path):
    path.write_text("Title,Territory\nLove in Bangkok,TH\n")


def a_workbook(path):
    path.write_bytes(b"PK\x03\x04" + bytes(4000))


def a_dropped_table(path):
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("DROP TABLE cue")
    connection.close()  # the last connection checkpoints the WAL into the file, now


DAMAGE = {"cut short by 1 000 bytes": cut_short, "a zeroed page": zero_a_page, "a text file": a_text_file,
          "an .xlsx": a_workbook, "a dropped table": a_dropped_table}


@pytest.fixture
def damaged(demo_file, tmp_path):
    def make(kind):
        path = tmp_path / "damaged.db"
        shutil.copy(demo_file, path)
        DAMAGE[kind](path)
        return path
    return make


@pytest.mark.parametrize("kind", DAMAGE)
@pytest.mark.parametrize("command", [("import", "deals", "{file}"), ("db", "backup", "{out}"),
                                     ("report", "catalogue", "--pdf", "{out}"), ("fx", "import", "{file}"),
                                     ("fx", "list")])  # (reads no title: the zeroed page is found all the same)
def test_a_damaged_file_is_refused_with_the_restore_command_and_left_as_it_was(capsys, damaged, tmp_path, kind, command):
    path = damaged(kind)
    before = digest(path)
    (tmp_path / "in.csv").write_text("date,base,quote,rate\n2026-09-30,THB,USD,0.0275\n")
    args = [part.format(file=tmp_path / "in.csv", out=tmp_path / "out.db") for part in command]
    code, out, err = run(capsys, *args, "--db", path)
    assert code == 1 and "Traceback" not in err
    assert f"{path} is damaged" in err and "Nothing was changed" in err
    assert digest(path) == before
    assert not (tmp_path / "out.db").exists()


def test_a_damaged_file_names_the_backup_to_restore(capsys, demo_file, tmp_path):
    path = tmp_path / "rightsdesk.db"
    shutil.copy(demo_file, path)
    assert run(capsys, "db", "backup", "--db", path)[0] == 0
    cut_short(path)
    code, _, err = run(capsys, "fx", "list", "--db", path)
    assert code == 1 and "the file is cut short" in err and "rightsdesk db restore" in err
    backup = err.split("restore it with `rightsdesk db restore \"")[1].split('"')[0]
    assert run(capsys, "db", "restore", backup, "--db", path)[0] == 0
    assert run(capsys, "fx", "list", "--db", path)[0] == 0


# Every command that changes the database, with arguments enough to reach the database.
WRITING = {
    ("demo", None): ["demo"], ("db", "upgrade"): ["db", "upgrade"], ("db", "restore"): ["db", "restore", "{backup}"],
    ("ema", "import"): ["ema", "import", "{file}"], ("statements", "run"): ["statements", "run", "--period", "2026-Q3"],
    ("statements", "issue"): ["statements", "issue", "--period", "2026-Q3"],
    ("statements", "adjust"): ["statements", "adjust", "ST-2026-1", "--amount", "1", "--reason", "x"],
    ("import", "deals"): ["import", "deals", "{file}"], ("import", "cues"): ["import", "cues", "{file}"],
    ("revenue", "import"): ["revenue", "import", "{file}", "--source", "X"],
    ("revenue", "assign"): ["revenue", "assign", "X", "T000001", "--source", "X"],
    ("revenue", "rollback"): ["revenue", "rollback", "1"], ("fx", "import"): ["fx", "import", "{file}"],
    ("expenses", "import"): ["expenses", "import", "{file}"],
    ("libraries", "import"): ["libraries", "import", "{file}"],
    ("import", "catalogue"): ["import", "catalogue", "{file}"],
    ("statements", "send"): ["statements", "send", "--period", "2026-Q3"],  # it logs each message sent
    ("payments", "record"): ["payments", "record", "ST-2026-1", "--amount", "1", "--date", "2026-10-01"],
    ("payments", "run"): ["payments", "run", "--period", "2026-Q3", "--date", "2026-10-01", "--csv", "{file}"],
    ("groups", "save"): ["groups", "save", "NORDICS", "--countries", "DK,NO,SE"],
    ("groups", "delete"): ["groups", "delete", "NORDICS"],
    ("media", "add"): ["media", "add", "INFLIGHT", "Inflight"], ("media", "edit"): ["media", "edit", "APP", "--name", "Apps"],
    ("media", "retire"): ["media", "retire", "APP"], ("media", "restore"): ["media", "restore", "APP"],
}


def test_every_command_that_writes_is_listed_here_or_reads_only():
    assert set(cli.COMMANDS) == set(WRITING) | cli.READS_ONLY | cli.NO_DATABASE


@pytest.mark.parametrize("command", sorted(WRITING, key=str))
def test_every_command_that_writes_is_refused_read_only(capsys, demo_file, tmp_path, monkeypatch, command):
    path = tmp_path / "review.db"
    shutil.copy(demo_file, path)
    shutil.copy(demo_file, tmp_path / "backup.db")
    (tmp_path / "in.csv").write_text("date,base,quote,rate\n2026-09-30,THB,USD,0.0275\n")
    before = digest(path)
    args = [part.format(file=tmp_path / "in.csv", backup=tmp_path / "backup.db") for part in WRITING[command]]
    for how in ("flag", "variable"):
        if how == "variable":
            monkeypatch.setenv("RIGHTSDESK_READ_ONLY", "1")
        code, _, err = run(capsys, *args, "--db", path, *(["--read-only"] if how == "flag" else []))
        assert code == 1 and "open read-only" in err and "nothing was changed" in err, (how, err)
    assert digest(path) == before


@pytest.mark.parametrize("command", [["fx", "list"], ["statements", "list"], ["revenue", "batches"], ["fx", "import", "x.csv"]])
def test_a_mistyped_db_path_leaves_no_database_behind(capsys, tmp_path, command):
    path = tmp_path / "rightsdsk.db"
    code, _, err = run(capsys, *command, "--db", path)
    assert code == 1 and f"there is no RightsDesk database at {path}" in err
    assert not path.exists()
    code, _, err = run(capsys, *command, "--db", path, "--read-only")
    assert code == 1 and not path.exists()


def test_read_only_opens_a_database_in_a_folder_it_cannot_write(capsys, demo_file, tmp_path, monkeypatch):
    """A reviewer's read-only share: SQLite cannot make its -shm file there, so the file opens
    immutable (tests run as root, who may write anywhere: the check is what is replaced)."""
    path = tmp_path / "share" / "rightsdesk.db"
    path.parent.mkdir()
    shutil.copy(demo_file, path)
    monkeypatch.setattr(database_module, "_writable", lambda _path: False)
    before = sorted(p.name for p in path.parent.iterdir())
    code, out, err = run(capsys, "statements", "list", "--db", path, "--read-only")
    assert code == 0, err
    assert sorted(p.name for p in path.parent.iterdir()) == before  # no -wal, -shm or journal made


def test_a_share_that_cannot_be_written_opens_for_review_even_without_read_only(capsys, demo_file, tmp_path, monkeypatch):
    """Without --read-only, a file in a folder the user cannot write opens for review (a save
    is refused clearly) instead of failing at the first write with SQLite's raw error."""
    path = tmp_path / "share" / "rightsdesk.db"
    path.parent.mkdir()
    shutil.copy(demo_file, path)
    monkeypatch.setattr(database_module, "_writable", lambda _path: False)
    code, out, err = run(capsys, "statements", "list", "--db", path)
    assert code == 0, err
    code, _, err = run(capsys, "statements", "run", "--period", "2026-Q3", "--db", path)
    assert code == 1 and "is open read-only (you cannot write to the file or its folder)" in err
    assert "Traceback" not in err


def test_a_read_only_share_with_unwritten_changes_is_refused_not_read_stale(capsys, demo_file, tmp_path, monkeypatch):
    """SQLite opens a share it cannot write as immutable, which ignores the -wal file: the last
    changes would be missing without a word. Such a file is refused, saying why and what to do."""
    path = tmp_path / "share" / "rightsdesk.db"
    path.parent.mkdir()
    shutil.copy(demo_file, path)
    path.with_name("rightsdesk.db-wal").write_bytes(b"\0" * 4096)
    monkeypatch.setattr(database_module, "_writable", lambda _path: False)
    code, _, err = run(capsys, "statements", "list", "--db", path, "--read-only")
    assert code == 1 and "has changes not yet written into it (in rightsdesk.db-wal)" in err
    assert "Traceback" not in err


def test_a_backup_that_cannot_be_taken_leaves_no_empty_file(capsys, demo_file, tmp_path, monkeypatch):
    import sqlite3

    from rightsdesk.persistence import backup as backup_module

    path = tmp_path / "rightsdesk.db"
    shutil.copy(demo_file, path)
    target = tmp_path / "copy.db"
    monkeypatch.setattr(backup_module.sqlite3, "connect", _connections_whose_backup_fails(sqlite3.connect))
    code, _, err = run(capsys, "db", "backup", str(target), "--db", path)
    assert code == 1 and "could not copy" in err and "Traceback" not in err
    assert not target.exists()


def _connections_whose_backup_fails(connect):
    import sqlite3

    class Failing(sqlite3.Connection):
        def backup(self, *args, **kwargs):
            raise sqlite3.OperationalError("unable to open database file")

    return lambda *args, **kwargs: connect(*args, factory=Failing, **kwargs)


def test_a_mistyped_path_creates_no_folder_either(capsys, tmp_path):
    path = tmp_path / "nosuch" / "deeper" / "typo.db"
    code, _, err = run(capsys, "statements", "list", "--db", path)
    assert code == 1 and "nothing was created" in err
    assert not (tmp_path / "nosuch").exists()


def test_a_backup_into_a_folder_that_cannot_be_written_says_so(capsys, demo_file, tmp_path, monkeypatch):
    import sqlite3

    from rightsdesk.persistence import backup as backup_module

    path = tmp_path / "rightsdesk.db"
    shutil.copy(demo_file, path)
    target = tmp_path / "share" / "copy.db"
    real = sqlite3.connect

    def connect(where, *args, **kwargs):
        if str(where) == str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real(where, *args, **kwargs)

    monkeypatch.setattr(backup_module.sqlite3, "connect", connect)
    code, _, err = run(capsys, "db", "backup", str(target), "--db", path)
    assert code == 1 and f"could not write a copy at {target}" in err and "Traceback" not in err
