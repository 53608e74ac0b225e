"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.database import Database, is_sqlite
from storage.migrate import alembic_config, upgrade_database


async def test_migrations_match_the_models(database: Database) -> None:
    await upgrade_database(database)
    await upgrade_database(database)
    async with database.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
        )
    assert differences == []


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(database: Database) -> None:
    if not is_sqlite(database.engine):
        pytest.skip("journal mode and busy timeout are SQLite's")
    async with database.engine.connect() as connection:
        journal = await connection.scalar(text("PRAGMA journal_mode"))
        busy_timeout = await connection.scalar(text("PRAGMA busy_timeout"))
    assert journal == "wal"
    assert busy_timeout >= 5000


@pytest.mark.timeout(60)
async def test_processes_started_together_migrate_one_after_another(postgres_url: str) -> None:
    databases = [Database(postgres_url) for _ in range(4)]
    try:
        await asyncio.gather(*(upgrade_database(database) for database in databases))
        async with databases[0].engine.connect() as connection:
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        for database in databases:
            await database.dispose()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
