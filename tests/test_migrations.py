"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.database import Database
from storage.migrate import upgrade_database


async def test_migrations_match_the_models_and_sqlite_runs_in_wal_mode(database: Database) -> None:
    await upgrade_database(database)
    await upgrade_database(database)
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
        )
        journal = await connection.scalar(text("PRAGMA journal_mode"))
        busy_timeout = await connection.scalar(text("PRAGMA busy_timeout"))
    assert differences == []
    assert journal == "wal"
    assert busy_timeout >= 5000
