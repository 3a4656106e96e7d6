"""Bringing a database to the schema this program expects, safely.

On start the app calls `prepare()`: a new database is created at the newest schema; an older
one is backed up and upgraded; a newer one (written by a later RightsDesk) is refused, since
this program would misread it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from rightsdesk.domain.errors import UserError
from rightsdesk.persistence.backup import backup_sqlite, check_integrity, default_backup_path
from rightsdesk.persistence.database import Database, ReadOnlyDatabase

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic (and Mako with it) costs about half a second to import: a database already at this
# program's schema, the case at nearly every start, is checked without it (`revisions`).
_REVISION = re.compile(r"^revision(?:: *str)? *= *['\"]([^'\"]+)['\"]", re.MULTILINE)


class DatabaseTooNew(UserError):
    pass


class NotARightsDeskDatabase(UserError):
    pass


class DatabaseUnavailable(UserError):
    pass


@dataclass(frozen=True)
class Preparation:
    """What `prepare()` did."""

    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def created(self) -> bool:
        return self.from_revision is None

    @property
    def upgraded(self) -> bool:
        return self.from_revision is not None and self.from_revision != self.to_revision


def alembic_config(database: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database"] = database
    return config


def scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


def revisions() -> frozenset[str]:
    """Every schema revision this program ships, read from the migration files themselves."""
    return _revisions(MIGRATIONS)


@cache
def _revisions(folder: Path) -> frozenset[str]:
    found = {match.group(1) for path in (folder / "versions").glob("*.py")
             for match in [_REVISION.search(path.read_text(encoding="utf-8"))] if match}
    assert found, "no migrations shipped"
    return frozenset(found)


def head_revision() -> str:
    """The newest schema: revisions are numbered in order ('0001', '0002', ...)."""
    return max(revisions())


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _has_tables(database: Database) -> bool:
    return bool(inspect(database.engine).get_table_names())


def check(database: Database) -> str | None:
    """The database's revision, after refusing one this program cannot work with."""
    revision = current_revision(database)
    if revision is None:
        if _has_tables(database):
            raise NotARightsDeskDatabase(
                f"{database.display_name()} holds tables but is not a RightsDesk database"
            )
        return None
    if revision not in revisions():
        raise DatabaseTooNew(
            f"{database.display_name()} was written by a newer RightsDesk (schema {revision}); "
            f"this version knows schemas up to {head_revision()}. Install the newer version "
            "to open it."
        )
    return revision


def upgrade(database: Database, revision: str = "head") -> None:
    from alembic import command

    _run(database, lambda config: command.upgrade(config, revision))


def downgrade(database: Database, revision: str) -> None:
    from alembic import command

    _run(database, lambda config: command.downgrade(config, revision))


# Any number the app alone uses: the server lock that lets one client at a time migrate.
_MIGRATION_LOCK = 7_318_424


def _run(database: Database, step) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config(database)
    with database.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Two people starting a new version against one server at once: the second waits
            # here, then finds the schema already upgraded and does nothing.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        step(config)
        connection.commit()


def prepare(database: Database) -> Preparation:
    """Check a database file's integrity, then create or upgrade the database to this program's
    schema, backing up a file first."""
    try:
        return _prepare(database)
    except OperationalError as error:  # a server that is down, refuses us, or a file we cannot open
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnavailable(f"cannot open {database.display_name()}: {reason}") from error


def _prepare(database: Database) -> Preparation:
    if database.path is not None and database.path.exists() and database.path.stat().st_size > 0:
        # The file's structure here (header, length, tables: milliseconds); every page is read
        # before anything copies or changes it (backups, the command line's writing commands).
        check_integrity(database.path, thorough=False)
    revision = check(database)
    head = head_revision()
    if database.read_only and revision != head:
        raise ReadOnlyDatabase(
            f"{database.display_name()} " + ("is not a RightsDesk database yet" if revision is None else
                                           f"needs upgrading to this version's schema ({head})")
            + "; open it once without read-only, then review it")
    backup = None
    if revision is not None and revision != head and database.path is not None:
        backup = backup_sqlite(database.path, default_backup_path(database.path, "before-upgrade"))
    if revision != head:
        upgrade(database)
    if not database.read_only:
        learn_reference(database)
    return Preparation(revision, head, backup)


def learn_reference(database: Database) -> list[str]:
    """Add the currencies and territories this version of the program knows and the database
    lacks (a code ISO assigned since the database was made, XCG; a replaced one still needed for
    old periods, HRK; user-assigned XK), so reference data is never frozen at the first start.
    New territories join WORLD and their CLDR region. The world's regions as CLDR contains them
    (EUROPE, ASIA, LATIN_AMERICA, SOUTHEAST_ASIA... rightsdesk.domain.regions) are learnt the
    same way, as standard groups inside groups; a code already taken keeps its meaning.
    Returns the codes added."""
    try:
        return _learn_reference(database)
    except IntegrityError:  # another desk starting at the same moment added them first
        return []


def _learn_reference(database: Database) -> list[str]:
    from rightsdesk.domain import reference, regions
    from rightsdesk.persistence.models import (Currency, Territory, TerritoryGroup, TerritoryGroupMember,
                                               TerritoryGroupSubgroup)

    # Read first: at nearly every start nothing is new, and a writing transaction would take
    # SQLite's write lock (waiting on any desk that is writing) for nothing.
    with database.read() as session:
        known = set(session.scalars(select(Currency.code)))
        present = set(session.scalars(select(Territory.code)))
        group_codes = set(session.scalars(select(TerritoryGroup.code)))
    currencies = [c for c in reference.currencies() if c.code not in known]
    new = [c for c in reference.countries() if c.code not in present]
    countries = frozenset(present | {c.code for c in new})
    cldr = regions.regions(countries)
    missing = [r for code, r in cldr.items() if code not in group_codes]
    if not currencies and not new and not missing:
        return []
    with database.transaction() as session:
        session.add_all(Currency(code=c.code, name=c.name, minor_units=c.minor_units) for c in currencies)
        session.add_all(Territory(code=c.code, name=c.name) for c in new)
        session.flush()
        session.add_all(TerritoryGroup(code=r.code, name=r.name, is_standard=True) for r in missing)
        session.flush()
        ids = dict(session.execute(select(TerritoryGroup.code, TerritoryGroup.id)).all())
        world = ids.get("WORLD")
        if world is not None:
            session.add_all(TerritoryGroupMember(group_id=world, territory_code=c.code) for c in new)
        for region in missing:
            session.add_all(TerritoryGroupMember(group_id=ids[region.code], territory_code=country)
                            for country in region.countries)
            session.add_all(TerritoryGroupSubgroup(group_id=ids[region.code], member_group_id=ids[sub])
                            for sub in region.subgroups if sub in ids)
        learnt = {r.code for r in missing}
        for region in cldr.values():  # a country new to the database joins its region
            if region.code not in learnt and region.code in ids:
                session.add_all(TerritoryGroupMember(group_id=ids[region.code], territory_code=c.code)
                                for c in new if c.code in region.countries)
    return [c.code for c in currencies] + [c.code for c in new] + [r.code for r in missing]
