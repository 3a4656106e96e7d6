"""Read-only mode: reviewers and auditors can read everything and change nothing."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from rightsdesk.cli import main
from rightsdesk.domain.catalogue import TitleDraft
from rightsdesk.persistence import migrate
from rightsdesk.persistence.database import Database, ReadOnlyDatabase
from rightsdesk.persistence.models import Title
from rightsdesk.services import catalogue, deals, statements


@pytest.fixture
def review(database, worked):
    reviewer = Database(database.location, read_only=True)
    yield reviewer
    reviewer.dispose()


def test_the_services_refuse_every_unit_of_work(review, worked):
    for work in (lambda s: catalogue.save_title(s, TitleDraft("New"), user="auditor"),
                 lambda s: deals.delete_deal(s, worked["deal"], user="auditor"),
                 lambda s: statements.run(s, "2026-Q3", user="auditor")):
        with pytest.raises(ReadOnlyDatabase, match=r"is open read-only, for review \(--read-only or RIGHTSDESK_READ_ONLY\); nothing can be changed"):
            with review.transaction() as session:
                work(session)
    with review.read() as session:  # reading is what review is for
        assert deals.load_deal(session, worked["deal"]).reference == "IN-1"


def test_the_connection_itself_refuses_writes(review):
    with review.read() as session:
        with pytest.raises(DBAPIError, match="(?i)read.only|readonly"):
            session.execute(text("update title set genre = 'x'"))
            session.commit()
    with review.read() as session:
        assert session.scalar(select(func.count()).where(Title.genre == "x")) == 0


def test_a_database_that_needs_an_upgrade_is_not_upgraded_for_a_review(database):
    with database.transaction() as session:
        session.execute(text("update alembic_version set version_num = '0002'"))
    reviewer = Database(database.location, read_only=True)
    with pytest.raises(ReadOnlyDatabase, match="needs upgrading .*open it once without read-only"):
        migrate.prepare(reviewer)
    reviewer.dispose()


def test_the_command_line_reads_but_does_not_write(capsys, database, worked, tmp_path):
    assert main(["--db", database.location, "--read-only", "report", "deal", "--deal", "IN-1",
                 "--xlsx", str(tmp_path / "deal.xlsx")]) == 0
    cues = tmp_path / "cues.csv"
    cues.write_text("Series,Episode,Track,Usage,In,Out\nT000001,1,Theme,BI,00:00:01,00:00:05\n")
    assert main(["--db", database.location, "--read-only", "import", "cues", str(cues)]) == 1
    assert "read-only" in capsys.readouterr().err
