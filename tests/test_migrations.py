"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

import asyncio

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from storage.database import Database, is_sqlite
from storage.migrate import alembic_config, upgrade_database
from storage.models import Delivery


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


def _upgrade_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def test_an_upgrade_keeps_existing_rows_and_requeues_old_claims(database: Database) -> None:
    """0003 rebuilds tables other rows reference (SQLite copies them) and replaces unleased
    claims; both must work on a database that already holds deliveries."""
    async with database.engine.begin() as connection:
        await connection.run_sync(_upgrade_to, "0002")
        for statement in (
            "INSERT INTO topics (slug, title, status, created_at) VALUES ('t', 'T', 'active', "
            "'2026-10-24 00:00:00.000000')",
            "INSERT INTO chats (telegram_id, type, active, created_at) VALUES (5, 'private', "
            "true, '2026-10-24 00:00:00.000000')",
            "INSERT INTO posts (topic_id, kind, headline, card_text, author_id, state, "
            "created_at) VALUES (1, 'new_round', 'h', 'c', 1, 'published', "
            "'2026-10-24 00:00:00.000000')",
            "INSERT INTO deliveries (post_id, chat_id, state, attempts, next_attempt_at, "
            "claimed_at) VALUES (1, 1, 'sending', 0, '2026-10-24 00:00:00.000000', "
            "'2026-10-24 00:00:00.000000')",
        ):
            await connection.exec_driver_sql(statement)
    await upgrade_database(database)
    async with database.session() as session:
        (delivery,) = await session.scalars(select(Delivery))
    assert (delivery.state, delivery.lease_token, delivery.post_id) == ("pending", None, 1)
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            await session.execute(text("UPDATE deliveries SET state = 'sending'"))
