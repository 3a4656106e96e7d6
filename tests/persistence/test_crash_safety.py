"""A process killed (SIGKILL) in the middle of writing leaves the database as it was before the
write began, and sound: an import, a statement run and a bulk edit are each one transaction."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from rightsdesk.domain.enums import LocalizationKind
from rightsdesk.persistence.backup import integrity_problems
from rightsdesk.persistence.models import AuditEntry, LocalizationTask, RevenueLine, Statement

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# Run in a child process: open the database and do the work; when every row of it has been
# written to the database (SQLite's log, or the server) but not yet committed, say so and wait to be killed.
CHILD = """
import os, sys, time
from sqlalchemy import event
from sqlalchemy.orm import Session
from rightsdesk.persistence.database import Database

@event.listens_for(Session, "before_commit")
def pause(session):
    # The work's one transaction is about to commit: everything it wrote (through the ORM, Core
    # or the driver's executemany, which no ORM event sees) is in the database's log, uncommitted.
    if os.environ.get("PAUSE"):
        session.flush()
        print("writing", flush=True)
        time.sleep(60)

database = Database(sys.argv[1])
{work}
print("finished", flush=True)
"""

WORK = {
    "import": """
from rightsdesk.domain.revenue import Options
from rightsdesk.services import revenue
rows = "".join(f"2026-0{m},US,T00000{t},{100 + m},USD\\n" for m in (7, 8, 9) for t in (1, 2))
mapping = {"period": "Period", "territory": "Country", "title_id": "Series", "gross_amount": "Gross", "currency": "Currency"}
with database.transaction() as session:
    revenue.import_file(session, int(sys.argv[2]), "killed.csv", ("Period,Country,Series,Gross,Currency\\n" + rows).encode(),
                        mapping, Options(), user="ana")
""",
    "statements": """
from rightsdesk.services import statements
with database.transaction() as session:
    statements.run(session, "2026-Q3", user="ana")
""",
    "bulk": """
from sqlalchemy import select
from rightsdesk.domain.enums import LocalizationStatus
from rightsdesk.persistence.models import LocalizationTask
from rightsdesk.services import clearance
with database.transaction() as session:
    ids = list(session.scalars(select(LocalizationTask.id)))
    clearance.set_task_status(session, ids, LocalizationStatus.IN_PROGRESS, user="ana")
""",
}


def fingerprint(database):
    """Every row of every table that the work could touch, hashed."""
    with database.read() as session:
        counts = tuple(session.scalar(select(func.count()).select_from(model)) for model in
                       (RevenueLine, Statement, AuditEntry, LocalizationTask))
        statuses = tuple(session.scalars(select(LocalizationTask.status).order_by(LocalizationTask.id)))
    return counts, hashlib.sha256(repr(statuses).encode()).hexdigest()


@pytest.fixture
def prepared(database, worked, import_revenue):
    """Revenue already imported and tasks to change: each piece of work has something to do."""
    import_revenue(database, worked["source"], [("2026-07", "TH", "T000001", "400000", "THB")], "first.csv")
    with database.transaction() as session:
        session.add_all(LocalizationTask(title_id=worked["titles"][0], language_tag=tag, kind=LocalizationKind.SUBTITLES)
                        for tag in ("th", "vi", "id", "es", "fr", "de"))
    return worked


def start(database, worked, work, tmp_path, *, pause: bool) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(work=textwrap.dedent(WORK[work])))
    return subprocess.Popen([sys.executable, str(script), database.location, str(worked["source"])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PAUSE": "1" if pause else ""})


@pytest.mark.parametrize("work", sorted(WORK))
def test_the_work_left_alone_changes_the_database(database, prepared, work, tmp_path):
    """The control: without the kill, each piece of work does write."""
    before = fingerprint(database)
    child = start(database, prepared, work, tmp_path, pause=False)
    out, err = child.communicate(timeout=60)
    assert out.strip() == "finished", err
    assert fingerprint(database) != before


@pytest.mark.parametrize("work", sorted(WORK))
def test_a_process_killed_mid_write_changes_nothing(database, prepared, work, tmp_path):
    before = fingerprint(database)
    child = start(database, prepared, work, tmp_path, pause=True)
    try:
        line = child.stdout.readline().strip()
        assert line == "writing", child.stderr.read()
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert fingerprint(database) == before
    if database.path:  # a server checks its own files; a SQLite file is ours to check
        assert integrity_problems(database.path) == []
