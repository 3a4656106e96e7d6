import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text

from rightsdesk import __version__
from rightsdesk.cli import main


# The command line is a thin layer over services tested on both databases: it runs on SQLite
# (the suite keeps within its 10 minutes on 2 cores).
pytestmark = pytest.mark.sqlite_only


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"RightsDesk {__version__}"


def test_demo_fills_a_new_database(capsys, tmp_path):
    path = tmp_path / "x.db"
    code, out, _ = run(capsys, "demo", "--titles", "12", "--seed", "3", "--db", str(path))
    assert code == 0 and "12 titles" in out
    connection = sqlite3.connect(path)
    assert connection.execute("select count(*) from title").fetchone() == (12,)
    connection.close()


def test_db_given_before_the_command_counts_too(capsys, tmp_path):
    path = tmp_path / "before.db"
    code, out, _ = run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 0 and str(path) in out and path.exists()


def test_db_upgrade_reports_what_it_did(capsys, tmp_path):
    path = str(tmp_path / "u.db")
    assert "Created" in run(capsys, "db", "upgrade", "--db", path)[1]
    assert "up to date" in run(capsys, "db", "upgrade", "--db", path)[1]


@pytest.mark.sqlite_only
def test_db_backup_to_a_named_file_and_to_the_backups_folder(capsys, database, tmp_path):
    destination = tmp_path / "copy.db"
    code, out, _ = run(capsys, "db", "backup", str(destination), "--db", database.location)
    assert code == 0 and destination.exists()
    code, out, _ = run(capsys, "db", "backup", "--db", database.location)
    assert code == 0
    assert list((database.path.parent / "backups").glob("rightsdesk-*-manual.db"))


def test_a_server_database_is_backed_up_with_the_servers_own_tools(capsys, postgres_server, postgres_template):
    url = postgres_server.url(postgres_template).render_as_string(hide_password=False)
    code, _, err = run(capsys, "db", "backup", "--db", url)
    assert code == 1 and "pg_dump" in err


@pytest.mark.sqlite_only
def test_errors_are_one_clear_line_and_a_non_zero_exit(capsys, database, tmp_path):
    destination = tmp_path / "copy.db"
    destination.write_text("taken")
    code, out, err = run(capsys, "db", "backup", str(destination), "--db", database.location)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("rightsdesk: error: ") and "already exists" in err


def test_a_newer_database_is_refused_on_the_command_line(capsys, database):
    with database.transaction() as session:
        session.execute(text("update alembic_version set version_num = 'ffff'"))
    code, _, err = run(capsys, "db", "upgrade", "--db", database.location)
    assert code == 1 and "newer RightsDesk" in err


def test_the_demo_refuses_a_database_that_has_titles(capsys, demo_database):
    code, _, err = run(capsys, "demo", "--db", demo_database.location)
    assert code == 1 and "already holds titles" in err


def test_the_installed_command_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rightsdesk", "db", "upgrade", "--db", str(tmp_path / "m.db")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Created" in result.stdout


def test_statements_journal_writes_csv_of_issued_statements_only(tmp_path, database, worked, import_revenue, capsys):
    from rightsdesk.cli import main
    from rightsdesk.services import statements

    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    with database.transaction() as session:
        statements.run(session, "2026-Q4", user="ana")
    target = tmp_path / "journal.csv"
    assert main(["--db", database.location, "statements", "journal", "--period", "2026-Q4", "--csv", str(target)]) != 0
    assert "issue them first, or include drafts" in capsys.readouterr().err
    assert main(["--db", database.location, "statements", "journal", "--period", "2026-Q4", "--drafts",
                 "--csv", str(target)]) == 0
    assert "DRAFT-" in target.read_text("utf-8-sig")


def test_report_writes_pdf_and_workbook_and_lists_bad_options(tmp_path, demo_database, capsys):
    from openpyxl import load_workbook

    from rightsdesk.cli import main

    pdf, xlsx = tmp_path / "expiring.pdf", tmp_path / "expiring.xlsx"
    assert main(["--db", demo_database.location, "report", "expiring", "--days", "180", "--direction", "out",
                 "--pdf", str(pdf), "--xlsx", str(xlsx)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF") and "Licensed rights (OUT) expiring" in load_workbook(xlsx).sheetnames
    assert main(["--db", demo_database.location, "report", "windows", "--start", "2026-02-30", "--pdf", str(pdf)]) != 0
    assert "From: '2026-02-30' is not a date" in capsys.readouterr().err


def test_cue_sheets_import_from_the_command_line_all_or_nothing(tmp_path, database, worked, capsys):
    from rightsdesk.services import cue_sheets

    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("Title,Episode,Track,Usage,In,Out\nT000001,1,Song,QQ,00:00,00:05\nT000002,1,Song,BI,00:00,99:99\n")
    good.write_text("Title,Episode,Track,Usage,In,Out\nT000001,1,Song,BI,00:00,00:05\nHeiress,1,song,MT,00:10,00:30\n")
    assert main(["--db", database.location, "import", "cues", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 2, column 'usage'" in err and "row 3, column 'out'" in err
    assert main(["--db", database.location, "import", "cues", str(good)]) == 0
    assert "Imported 2 cues for 2 episodes; new tracks: Song" in capsys.readouterr().out
    with database.read() as session:
        episodes = [e.episode_id for t in worked["titles"] for e in cue_sheets.episodes_with_music(session, t)]
        assert [len(cue_sheets.load_cue_sheet(session, e).cues) for e in episodes] == [1, 1]
