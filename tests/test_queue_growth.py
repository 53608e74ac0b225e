"""The queue's hot queries stay index probes however many settled deliveries pile up.

asyncpg prepares every statement, and after five runs PostgreSQL may keep a generic plan that
knows nothing of the bound values: a state compared with a parameter then looks as common as
any other, and the idle check read the whole table (226 ms a tick on 1,000,000 rows in
`python -m bench.fanout --part growth`). The plans are forced generic here, as they become in a
long-running worker, and the table's own counters say how many rows a scan read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.seeding import (
    add_private_subscribers,
    add_sent_deliveries,
    create_topic_schema,
    publish_round_two,
)
from bot.delivery.fanout import fan_out_published_posts
from storage.database import Database
from storage.deliveries import claim_due_deliveries, work_is_due

CHATS = 2_000
SENT_UPDATES = 10  # 20,000 sent rows beside 2,000 open ones


@pytest.fixture
async def grown_queue(postgres_url: str) -> AsyncIterator[Database]:
    database = Database(postgres_url)
    topic_id = await create_topic_schema(database)
    await add_private_subscribers(database, topic_id, range(1, CHATS + 1))
    await add_sent_deliveries(database, topic_id, SENT_UPDATES, timedelta(days=30))
    await publish_round_two(database)
    await fan_out_published_posts(database)
    async with database.engine.connect() as connection:
        await connection.execute(text("ANALYZE deliveries"))
        await connection.commit()
    yield database
    await database.dispose()


async def rows_scanned(connection: AsyncConnection) -> int:
    """Rows this transaction read from `deliveries` by sequential scans."""
    return int(
        await connection.scalar(
            text(
                "SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_xact_user_tables "
                "WHERE relname = 'deliveries'"
            )
        )
        or 0
    )


async def generic_plans(connection: AsyncConnection) -> None:
    await connection.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))


async def test_the_idle_check_never_scans_the_settled_rows(grown_queue: Database) -> None:
    async with grown_queue.engine.connect() as connection:
        await connection.execute(
            text("UPDATE deliveries SET next_attempt_at = now() + '1 hour' WHERE state = 'pending'")
        )
        await generic_plans(connection)
        before = await rows_scanned(connection)
        assert await work_is_due(connection) is False
        assert await rows_scanned(connection) == before
        await connection.rollback()


async def test_a_claim_never_scans_the_settled_rows(grown_queue: Database) -> None:
    """Also while half the chats rest after their last alert, which the claim skips."""
    async with grown_queue.engine.connect() as connection:
        await connection.execute(
            text("UPDATE chats SET next_send_at = now() + '1 hour' WHERE id % 2 = 0")
        )
        await generic_plans(connection)
        before = await rows_scanned(connection)
        claimed = await claim_due_deliveries(connection, limit=32)
        assert len(claimed) == 32
        assert all(delivery.chat_id % 2 for delivery in claimed)
        assert await rows_scanned(connection) == before
        await connection.rollback()
