"""Filling a fresh database quickly, so setup never dominates a benchmark's run time.

Subscribers and old deliveries go in with SQLAlchemy Core in a few statements (one executemany,
or one INSERT ... SELECT) instead of the bot's one-transaction-per-chat path; the update itself
is published through the bot's own posting code, so its rendered text is exactly what
subscribers would receive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, literal, select, true

from bot.posting.demo_data import DEMO_DESCRIPTION, DEMO_SLUG, DEMO_TITLE, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic, preview_post, publish_post
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import Chat, Delivery, Post, Subscription, utc_now

BENCH_ADMIN_ID = 1
CHATS = Chat.__table__
SUBSCRIPTIONS = Subscription.__table__
UPDATES = Post.__table__
DELIVERIES = Delivery.__table__


async def create_topic_schema(database: Database) -> int:
    """Migrates a fresh database and creates the demo topic; returns the topic id."""
    await upgrade_database(database)
    topic = await create_new_topic(
        database, BENCH_ADMIN_ID, DEMO_SLUG, DEMO_TITLE, DEMO_DESCRIPTION
    )
    assert topic.id is not None
    return topic.id


async def add_private_subscribers(database: Database, topic_id: int, telegram_ids: range) -> None:
    """Active private chats with these Telegram ids, each subscribed to the topic."""
    created_at = utc_now()
    rows = [
        {"telegram_id": telegram_id, "type": "private", "active": True, "created_at": created_at}
        for telegram_id in telegram_ids
    ]
    async with database.transaction() as session:
        await session.execute(insert(CHATS), rows)
        await session.execute(
            insert(SUBSCRIPTIONS).from_select(
                ["chat_id", "topic_id", "created_at"],
                select(
                    CHATS.c.id,
                    literal(topic_id, SUBSCRIPTIONS.c.topic_id.type),
                    literal(created_at, SUBSCRIPTIONS.c.created_at.type),
                ).where(CHATS.c.telegram_id.between(telegram_ids.start, telegram_ids.stop - 1)),
            )
        )


async def publish_round_two(database: Database) -> tuple[int, str]:
    """Publishes the reference round-two card as an admin would; returns its id and text."""
    preview = await preview_post(database, BENCH_ADMIN_ID, DEMO_SLUG, ROUND_TWO_CARD)
    await publish_post(database, preview.post_id, BENCH_ADMIN_ID)
    async with database.session() as session:
        update = await session.get(Post, preview.post_id)
    assert update is not None and update.rendered is not None
    return preview.post_id, update.rendered


async def add_sent_history(
    database: Database, topic_id: int, chat_count: int, update_count: int
) -> int:
    """Every one of `update_count` old, fully delivered updates sent to each of `chat_count`
    chats: the table a long-running bot accumulates. Returns the number of deliveries."""
    await add_private_subscribers(database, topic_id, range(1, chat_count + 1))
    created = await add_sent_deliveries(database, topic_id, update_count, timedelta(days=30))
    await checkpoint(database)
    return created


async def add_sent_deliveries(
    database: Database, topic_id: int, update_count: int, age: timedelta
) -> int:
    """`update_count` updates published and sent `age` ago to every chat there is, in one
    INSERT ... SELECT. Returns the number of deliveries."""
    sent_at = utc_now() - age
    async with database.transaction() as session:
        await session.execute(insert(UPDATES), _old_updates(topic_id, update_count, sent_at))
        result = await session.execute(
            insert(DELIVERIES).from_select(
                ["post_id", "chat_id", "state", "attempts", "next_attempt_at", "sent_at"],
                select(
                    UPDATES.c.id,
                    CHATS.c.id,
                    literal("sent", DELIVERIES.c.state.type),
                    literal(1, DELIVERIES.c.attempts.type),
                    literal(sent_at, DELIVERIES.c.next_attempt_at.type),
                    literal(sent_at, DELIVERIES.c.sent_at.type),
                )
                .select_from(UPDATES.join(CHATS, true()))
                .where(UPDATES.c.published_at == literal(sent_at, UPDATES.c.published_at.type))
                .order_by(UPDATES.c.id, CHATS.c.id),
            )
        )
    return result.rowcount or 0


async def checkpoint(database: Database) -> None:
    """Moves the write-ahead log into the database file and empties it, as SQLite's automatic
    checkpoints long since would have in a bot that accumulated this history; otherwise the
    first measured commits pay for checkpointing the seed's hundreds of megabytes."""
    async with database.engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _old_updates(topic_id: int, count: int, at: datetime) -> list[dict[str, object]]:
    return [
        {
            "topic_id": topic_id,
            "kind": "statement",
            "headline": f"Statement {number}",
            "card_text": f"/post {DEMO_SLUG}",
            "rendered": f"<b>Statement {number}</b>",
            "author_id": BENCH_ADMIN_ID,
            "state": "published",
            "created_at": at,
            "published_at": at,
            "fanned_out_at": at,
        }
        for number in range(1, count + 1)
    ]
