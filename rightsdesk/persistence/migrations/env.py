"""Alembic environment: runs on the app's own connection, or on `-x db=...` for developers."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import text

from rightsdesk.persistence import models  # noqa: F401  (fills the metadata)
from rightsdesk.persistence.alembic_hooks import compare_type, render_item
from rightsdesk.persistence.base import Base
from rightsdesk.persistence.database import Database


def run_migrations(connection: Any) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds tables; foreign keys must be off while it does, and can only be
        # switched outside a transaction. They are checked as a whole at the end instead.
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=compare_type,
        transaction_per_migration=False,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
    finally:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")


config = context.config
connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    database = Database(context.get_x_argument(as_dictionary=True).get("db"))
    with database.engine.connect() as own_connection:
        run_migrations(own_connection)
        own_connection.commit()
    database.dispose()
