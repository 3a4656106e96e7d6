import shutil
import sqlite3
from decimal import Decimal as D
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, func, inspect, select, text

from rightsdesk.persistence import migrate
from rightsdesk.persistence.base import Base
from rightsdesk.persistence.database import Database
from rightsdesk.persistence.alembic_hooks import compare_type
from rightsdesk.persistence.models import Territory, TerritoryGroup, Title

EXTRA_REVISION = '''
"""A later schema, for testing upgrades."""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("title") as batch:
        batch.add_column(sa.Column("tagline", sa.String(100), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("title") as batch:
        batch.drop_column("tagline")
'''


def test_empty_database_goes_to_head_and_back_to_base(tmp_path):
    database = Database(tmp_path / "fresh.db")
    migrate.upgrade(database)
    assert migrate.current_revision(database) == migrate.head_revision()
    assert "grant" in inspect(database.engine).get_table_names()
    migrate.downgrade(database, "base")
    assert migrate.current_revision(database) is None
    assert inspect(database.engine).get_table_names() == ["alembic_version"]
    database.dispose()


def test_models_and_migrations_agree(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_reference_data_is_loaded(database):
    with database.read() as session:
        assert session.scalar(select(func.count(Territory.code))) == 250
        world = session.scalars(select(TerritoryGroup).where(TerritoryGroup.code == "WORLD")).one()
        assert len(world.members) == 250
        codes = set(session.scalars(select(TerritoryGroup.code)))
    assert {"WORLD", "EU", "LATAM", "SEA", "MENA"} <= codes


def test_migrations_run_on_a_database_with_data(demo_database):
    migrate.downgrade(demo_database, "base")
    migrate.upgrade(demo_database)
    with demo_database.read() as session:
        assert session.scalar(select(func.count(Title.id))) == 0
        assert session.scalar(select(func.count(Territory.code))) == 250


@pytest.fixture
def later_schema(tmp_path, monkeypatch):
    """The shipped migrations plus one more, as a later release of the app would have."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_later.py").write_text(EXTRA_REVISION.format(head=migrate.head_revision()))
    monkeypatch.setattr(migrate, "MIGRATIONS", folder)
    return folder


def test_an_older_database_is_backed_up_then_upgraded_keeping_its_data(demo_file, tmp_path, later_schema):
    path = tmp_path / "old.db"
    shutil.copy(demo_file, path)
    database = Database(path)
    with database.read() as session:
        titles = session.scalar(select(func.count(Title.id)))

    result = migrate.prepare(database)

    assert result.upgraded and result.to_revision == "9001"
    assert migrate.current_revision(database) == "9001"
    with database.read() as session:
        assert session.scalar(select(func.count(Title.id))) == titles
        assert session.execute(text("select count(*) from title where tagline = ''")).scalar() == titles
    backup = sqlite3.connect(result.backup)
    try:
        assert backup.execute("select version_num from alembic_version").fetchone()[0] != "9001"
        assert backup.execute("select count(*) from title").fetchone()[0] == titles
    finally:
        backup.close()
    database.dispose()


def test_a_database_newer_than_the_program_is_refused(database):
    with database.transaction() as session:
        session.execute(text("update alembic_version set version_num = 'f00dfeed'"))
    with pytest.raises(migrate.DatabaseTooNew, match="newer RightsDesk"):
        migrate.prepare(database)


def test_a_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("create table customers (id integer)")
    connection.close()
    with pytest.raises(migrate.NotARightsDeskDatabase):
        migrate.prepare(Database(path))


def test_a_new_database_is_created_without_a_backup(tmp_path):
    database = Database(tmp_path / "new.db")
    result = migrate.prepare(database)
    assert result.created and result.backup is None
    assert not (tmp_path / "backups").exists()
    assert migrate.prepare(database).upgraded is False
    database.dispose()


def test_alembic_check_finds_nothing_to_generate(database, monkeypatch):
    """The same check `alembic check` makes, through the project's own Alembic set-up."""
    from alembic import command
    from alembic.util import AutogenerateDiffsDetected

    config = migrate.alembic_config(database)
    with database.engine.connect() as connection:
        config.attributes["connection"] = connection
        try:
            command.check(config)
        except AutogenerateDiffsDetected as error:  # pragma: no cover - the failure message
            pytest.fail(str(error))


def test_shipped_migration_files_are_packaged():
    versions = Path(migrate.MIGRATIONS, "versions")
    assert any(versions.glob("0001_*.py"))


def test_the_adjustments_migration_keeps_existing_statements(tmp_path):
    """0001 -> head on a database that already holds a deal and an issued statement."""
    from decimal import Decimal

    from rightsdesk.services import issuing

    database = Database(tmp_path / "old.db")
    migrate.upgrade(database, "0001")
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO party (id, name, legal_name, kind, contact_name, email, phone, address, tax_id,"
                                " payment_reference, notes, version, created_at, updated_at) VALUES (1, 'Golden Reel', '',"
                                " 'producer', '', '', '', '', '', '', '', 1, '2026-01-01', '2026-01-01')"))
        connection.execute(text("INSERT INTO deal (id, direction, counterparty_id, reference, status, currency, notes, version,"
                                " created_at, updated_at) VALUES (1, 'in', 1, 'IN-1', 'signed', 'USD', '', 1, '2026-01-01', '2026-01-01')"))
        connection.execute(text("INSERT INTO statement (id, number, deal_id, participant_id, period_label, period_start,"
                                " period_end, currency, status, issued_by, gross_receipts, distribution_fee, expenses_recouped,"
                                " net_receipts, participant_share, mg_recouped, payable, withholding, paid, notes, created_at,"
                                " updated_at) VALUES (1, 'ST-2026-000001', 1, 1, '2026-Q3', '2026-07-01', '2026-09-30', 'USD',"
                                " 'issued', 'ana', 1, 0, 0, 1, 1, 0, 1, 0, 1, '', '2026-10-01', '2026-10-01')"))
    result = migrate.prepare(database)
    assert result.upgraded and result.backup is not None and result.backup.exists()
    assert migrate.current_revision(database) == migrate.head_revision()
    with database.transaction() as session:
        issuing.adjust(session, 1, Decimal("12.50"), "late report", user="ana")
    with database.read() as session:
        assert session.scalar(text("SELECT number FROM statement WHERE id = 1")) == "ST-2026-000001"
        assert session.scalar(text("SELECT amount FROM statement_adjustment")) == 12_500_000
    migrate.downgrade(database, "0001")
    assert "statement_adjustment" not in inspect(database.engine).get_table_names()
    database.dispose()


def test_two_desks_starting_on_a_new_server_database_create_it_once(postgres_server, tmp_path):
    """Each process migrates under the server's migration lock; the second finds the schema made
    instead of failing half-way on tables the first created."""
    import subprocess
    import sys

    postgres_server.create_database("two_desks")
    url = postgres_server.url("two_desks").render_as_string(hide_password=False)
    script = "import sys; from rightsdesk.persistence import migrate; from rightsdesk.persistence.database import Database; " \
             "migrate.prepare(Database(sys.argv[1]))"
    desks = [subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [desk.communicate(timeout=60) for desk in desks]
    assert all(desk.returncode == 0 for desk in desks), results
    database = Database(url)
    try:
        assert migrate.current_revision(database) == migrate.head_revision()
    finally:
        database.dispose()
        postgres_server.drop_database("two_desks")


def test_a_server_that_cannot_be_reached_is_one_clear_error():
    database = Database("postgresql+psycopg://nobody@127.0.0.1:1/rightsdesk")
    with pytest.raises(migrate.DatabaseUnavailable, match=r"^cannot open postgresql\+psycopg://nobody@127.0.0.1:1/rightsdesk: "):
        migrate.prepare(database)
    database.dispose()


def test_mg_schedules_migration_keeps_what_was_recouped_and_expensed(database, worked, import_revenue):
    """Back to 0003 (one MG per deal, no record of which statement took which expense), then up
    again: the next statement neither counts the MG twice nor takes Q3's expenses again."""
    from datetime import date
    from decimal import Decimal

    from rightsdesk.persistence.models import MgPayment, Statement, StatementExpense
    from rightsdesk.services import issuing, statements

    import_revenue(database, worked["source"], [("2026-08", "US", "T000001", "40000", "USD")], "q3.csv")
    with database.transaction() as session:
        issuing.issue(session, statements.run(session, "2026-Q3", user="ana").statements[0], user="ana")
    migrate.downgrade(database, "0003")
    with database.engine.connect() as connection:
        amount, paid_on = connection.execute(text("SELECT mg_amount, mg_paid_on FROM royalty_terms")).one()
    assert (amount, str(paid_on)) == (20_000_000_000, "2026-01-10")
    migrate.upgrade(database)
    with database.read() as session:
        [payment] = session.scalars(select(MgPayment)).all()
        assert (payment.amount, payment.paid_on) == (Decimal(20000), date(2026, 1, 10))
        assert len(session.scalars(select(StatementExpense)).all()) == 1
        q3 = session.scalars(select(Statement)).one()
        assert (q3.balances[0].closing_mg_paid_to_date, q3.balances[0].closing_mg_outstanding) == (Decimal(20000), Decimal(5000))
    import_revenue(database, worked["source"], [("2026-10", "US", "T000001", "30000", "USD")], "q4.csv")
    with database.transaction() as session:
        q4 = session.get(Statement, statements.run(session, "2026-Q4", user="ana").statements[0])
        # DOMAIN.md's worked example, Q4: 5 000 recoups the rest of the MG, 8 500 payable, 7 650 paid
        assert (q4.expenses_recouped, q4.mg_recouped, q4.payable, q4.paid) == (0, Decimal(5000), Decimal(8500), Decimal(7650))


def test_codes_assigned_after_the_database_was_made_are_learnt_at_start(database):
    """A database made by an older install lacks XCG, HRK and XK: opening it adds them (XK to
    WORLD too); reference data is never frozen at the first start."""
    from rightsdesk.persistence.models import Currency, TerritoryGroupMember

    with database.transaction() as session:
        session.execute(delete(TerritoryGroupMember).where(TerritoryGroupMember.territory_code == "XK"))
        session.execute(delete(Territory).where(Territory.code == "XK"))
        session.execute(delete(Currency).where(Currency.code.in_(["XCG", "HRK"])))
    assert sorted(migrate.prepare(database) and migrate.learn_reference(database)) == []
    with database.read() as session:
        assert {"XCG", "HRK"} <= set(session.scalars(select(Currency.code)))
        world = session.scalars(select(TerritoryGroup).where(TerritoryGroup.code == "WORLD")).one()
        assert "XK" in {m.territory_code for m in world.members}


def test_the_statement_revenue_migration_keeps_which_lines_statements_hold(database, worked, import_revenue):
    """Back to 0005 (a gross receipts line named the revenue line it came from), then up again:
    the statements hold the same lines, everything imported still reconciles, and an issued
    statement still says what it said."""
    from rightsdesk.persistence.models import StatementLine
    from rightsdesk.services import issuing, statement_revenue, statements

    import_revenue(database, worked["source"], [("2026-07", "US", "T000001", "100", "USD"),
                                                ("2026-08", "BR", "T000002", "200.50", "USD"),
                                                ("2026-09", "US", "NOT-OURS", "1", "USD")], "q3.csv")
    with database.transaction() as session:
        statement_id = statements.run(session, "2026-Q3", user="ana").statements[0]
        issuing.issue(session, statement_id, user="ana")

    def holdings():
        with database.read() as session:
            return (sorted(session.execute(statement_revenue.held_lines()).all()),
                    sorted(session.execute(select(StatementLine.id, StatementLine.revenue_period_start)).all()))

    before = holdings()
    assert len(before[0]) == 2
    migrate.downgrade(database, "0005")
    assert "statement_revenue" not in inspect(database.engine).get_table_names()
    migrate.upgrade(database)
    assert holdings() == before
    with database.read() as session:
        assert statement_revenue.reconcile(session).balanced
        assert issuing.verify(session, statement_id)


def _quarter_drafted(database, worked, import_revenue) -> None:
    """Two lines of one title imported for 2026-Q3, and the quarter's statements drafted."""
    from rightsdesk.services import statements

    import_revenue(database, worked["source"], [("2026-07", "US", "T000001", "100", "USD"),
                                                ("2026-08", "US", "T000001", "20.25", "USD")], "q3.csv")
    with database.transaction() as session:
        statements.run(session, "2026-Q3", user="ana")


def test_holdings_by_batch_and_title_are_written_out_line_by_line_going_down(database, worked, import_revenue):
    """Down to 0010 (holdings line by line only) and up again: a statement run's holdings by
    import batch and title become the lines they hold, and the statement holds the same lines."""
    from rightsdesk.services import statement_revenue

    _quarter_drafted(database, worked, import_revenue)

    def holdings():
        with database.read() as session:
            return sorted(session.execute(statement_revenue.held_lines()).all())

    before = holdings()
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM statement_title_revenue")).scalar() == 1
    assert [amount for *_, amount in before] == [D("100"), D("20.25")]
    migrate.downgrade(database, "0010")
    assert "statement_title_revenue" not in inspect(database.engine).get_table_names()
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM statement_revenue")).scalar() == 2
    migrate.upgrade(database)
    assert holdings() == before
    with database.read() as session:
        assert statement_revenue.reconcile(session).balanced


def test_the_statement_lines_revenue_line_index_holds_only_lines_that_name_one(database, worked, import_revenue):
    """0012: the index holds the statement lines that name a revenue line, and a revenue
    line's lookup (what deleting one does for its key) still goes through it; down to 0011 it
    holds every line again, and the lines are the same either way."""
    from rightsdesk.persistence.models import StatementLine

    _quarter_drafted(database, worked, import_revenue)

    def lines():
        with database.read() as session:
            return sorted(session.execute(select(StatementLine.id, StatementLine.revenue_line_id)).all())

    def index():
        with database.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                definition = connection.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'ix_statement_line_revenue_line_id'").scalar()
                plan = " ".join(row[-1] for row in connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT id FROM statement_line WHERE revenue_line_id = 1"))
            else:
                definition = connection.exec_driver_sql(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_statement_line_revenue_line_id'").scalar()
                connection.exec_driver_sql("SET enable_seqscan = off")  # (a few rows: the index, if it can)
                plan = " ".join(row[0] for row in connection.exec_driver_sql(
                    "EXPLAIN SELECT id FROM statement_line WHERE revenue_line_id = 1"))
        assert "ix_statement_line_revenue_line_id" in plan
        return "WHERE" in definition.upper() and "IS NOT NULL" in definition.upper()

    before = lines()
    assert {named is None for _, named in before} == {True, False}  # lines that name one, and lines that do not
    assert index()
    migrate.downgrade(database, "0011")
    assert not index() and lines() == before
    migrate.upgrade(database)
    assert index() and lines() == before


def test_the_library_history_migration_keeps_every_membership(demo_database):
    """Down to 0006 (one membership per library and title) and up again: the demo's libraries
    keep every member with its dates; a title's second stay, which 0006 cannot hold, goes on the
    way down and the latest stay is the one kept."""
    from rightsdesk.persistence.models import Library, LibraryMember

    def memberships():
        with demo_database.read() as session:
            return sorted(session.execute(select(LibraryMember.library_id, LibraryMember.title_id,
                                                 LibraryMember.added_on, LibraryMember.removed_on)).all())

    before = memberships()
    assert before, "the demo has libraries with members"
    migrate.downgrade(demo_database, "0006")
    migrate.upgrade(demo_database)
    assert memberships() == before
    with demo_database.transaction() as session:
        library_id, title_id, added, _ = before[0]
        session.execute(LibraryMember.__table__.update().where(
            LibraryMember.library_id == library_id, LibraryMember.title_id == title_id).values(removed_on=added))
        session.add(LibraryMember(library_id=library_id, title_id=title_id, added_on=added.replace(year=added.year + 1)))
        assert session.get(Library, library_id).retired_on is None
    migrate.downgrade(demo_database, "0006")
    with demo_database.engine.connect() as connection:
        kept = connection.execute(text("SELECT added_on FROM library_member WHERE library_id = :l AND title_id = :t"),
                                  {"l": library_id, "t": title_id}).scalars().all()
    assert [str(day) for day in kept] == [str(added.replace(year=added.year + 1))]
    migrate.upgrade(demo_database)


def test_the_versions_migration_keeps_tracks_episodes_and_templates(demo_database):
    from rightsdesk.persistence.models import Episode, MusicTrack

    def rows():
        with demo_database.read() as session:
            return (sorted(session.execute(select(MusicTrack.id, MusicTrack.title)).all()),
                    session.scalar(select(func.count(Episode.id))))

    before = rows()
    assert before[0] and before[1]
    migrate.downgrade(demo_database, "0007")
    migrate.upgrade(demo_database)
    assert rows() == before
    with demo_database.read() as session:
        assert set(session.scalars(select(MusicTrack.version))) == {1}
        assert set(session.scalars(select(Episode.cue_sheet_version))) == {1}


def test_the_revisions_read_from_the_files_are_alembics():
    """Start-up checks the schema without importing alembic; it must agree with alembic's own view."""
    assert migrate.revisions() == {s.revision for s in migrate.scripts().walk_revisions()}
    assert migrate.head_revision() == migrate.scripts().get_current_head()


def test_the_payments_and_groups_migration_keeps_parties_media_groups_and_statements(demo_database):
    """Issue 19/20's columns arrive with defaults: existing parties, media, groups and terms read
    as before (nothing paid, carried, nested or anchored), and a round trip keeps every row."""
    from rightsdesk.persistence.models import Media, Party, RoyaltyTerms, TerritoryGroup

    def rows():
        with demo_database.read() as session:
            return (sorted(session.execute(select(Party.id, Party.name)).all()),
                    sorted(session.scalars(select(Media.code))),
                    sorted(session.scalars(select(TerritoryGroup.code))),
                    session.scalar(select(func.count(RoyaltyTerms.id))))

    before = rows()
    assert all(before)
    migrate.downgrade(demo_database, "0009")
    migrate.upgrade(demo_database)
    assert rows() == before
    with demo_database.read() as session:
        assert set(session.scalars(select(Media.version))) == {1}
        assert set(session.scalars(select(TerritoryGroup.version))) == {1}
        assert set(session.scalars(select(RoyaltyTerms.payment_due_days))) == {45}
        assert set(session.scalars(select(Party.iban))) == {""}
