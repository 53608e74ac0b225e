"""Several workers on PostgreSQL: claims never overlap, fan-out never doubles a delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import build_application
from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic, preview_post, publish_post
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.runtime import RUNTIME_KEY
from bot.sandbox import BotApiDouble, RateLimits
from storage.database import Database
from storage.deliveries import (
    ChatSpacing,
    claim_due_deliveries,
    fan_out_post,
    posts_awaiting_fan_out,
    read_scheduler_state,
    record_sent,
    write_scheduler_state,
)
from storage.migrate import upgrade_database
from storage.models import Chat, Delivery, Post, Subscription, Topic, utc_now
from tests.conftest import OWNER_ID, make_settings


@pytest.fixture
async def postgres(postgres_url: str) -> AsyncIterator[Database]:
    database = Database(postgres_url)
    await upgrade_database(database)
    yield database
    await database.dispose()


async def _published_update_with_subscribers(database: Database, chats: int) -> int:
    async with database.transaction() as session:
        topic = Topic(slug="pak-taliban-talks", title="Pakistan–Taliban talks")
        session.add(topic)
        await session.flush()
        rows = [Chat(telegram_id=1000 + i, type="private") for i in range(chats)]
        session.add_all(rows)
        await session.flush()
        session.add_all(Subscription(chat_id=c.id, topic_id=topic.id) for c in rows)
        update = Post(
            topic_id=topic.id,
            author_id=1,
            card_text="/post pak-taliban-talks",
            rendered="<b>Round 2</b>",
            state="published",
            published_at=utc_now(),
        )
        session.add(update)
        await session.flush()
        return update.id


async def test_concurrent_workers_claim_disjoint_deliveries(postgres: Database) -> None:
    await _published_update_with_subscribers(postgres, 300)
    async with postgres.transaction() as session:
        (update,) = await posts_awaiting_fan_out(session)
        assert await fan_out_post(session, update) == 300

    async def worker() -> list[tuple[int, str]]:
        claimed: list[tuple[int, str]] = []
        while True:
            async with postgres.transaction() as session:
                batch = await claim_due_deliveries(session, limit=7)
                await asyncio.sleep(0.01)  # keep the rows locked while the other workers look
            if not batch:
                return claimed
            claimed += [(d.id, d.lease_token) for d in batch]

    results = await asyncio.gather(*(worker() for _ in range(4)))
    everything = [item for result in results for item in result]
    assert len(everything) == 300
    assert len(set(everything)) == 300
    assert sum(1 for result in results if result) >= 2
    async with postgres.transaction() as session:
        lost = await record_sent(
            session, [(d, token, (7,)) for d, token in everything], ChatSpacing(1.0, 3.0)
        )
        await write_scheduler_state(session, "last_check", None)
        await write_scheduler_state(session, "last_check", "again")
    async with postgres.session() as session:
        states = set(await session.scalars(select(Delivery.state)))
        state = await read_scheduler_state(session)
    assert lost == []
    assert states == {"sent"}
    assert state["last_check"].value == "again"


async def test_fan_out_twice_creates_each_delivery_once(postgres: Database) -> None:
    post_id = await _published_update_with_subscribers(postgres, 50)
    async with postgres.transaction() as session:
        update = await session.get(Post, post_id)
        assert update is not None
        assert await fan_out_post(session, update) == 50
        assert await fan_out_post(session, update) == 0
    async with postgres.transaction() as session:
        assert await posts_awaiting_fan_out(session) == []


async def test_two_workers_on_postgresql_deliver_each_alert_exactly_once(
    postgres: Database,
) -> None:
    """Two bot processes' dispatchers, each with its own engine, drain one broadcast together;
    the double's limits are off because this is about who sends what, not how fast."""
    async with BotApiDouble(limits=RateLimits(enabled=False)) as double:
        await _broadcast_with_two_workers(postgres, double)


async def _broadcast_with_two_workers(postgres: Database, double: BotApiDouble) -> None:
    chats = range(5_000, 5_120)
    for chat_id in chats:
        double.add_private_chat(chat_id)
        # Slow answers keep the first worker busy long enough for the second to claim too.
        double.delay(chat_id, 0.2)
    await create_new_topic(postgres, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    for chat_id in chats:
        await subscribe_chat(postgres, ChatRef(chat_id, "private", None), DEMO_SLUG)
    preview = await preview_post(postgres, OWNER_ID, DEMO_SLUG, ROUND_TWO_CARD)
    await publish_post(postgres, preview.post_id, OWNER_ID)
    second_engine = Database(postgres.url)
    settings = make_settings(double, postgres.url, ROUNDWATCH_SEND_RATE=200)
    workers = [build_application(settings, db) for db in (postgres, second_engine)]
    try:
        async with workers[0], workers[1]:
            dispatchers = [worker.bot_data[RUNTIME_KEY].dispatcher for worker in workers]
            sent_by_worker = [0, 0]

            async def keep_ticking(index: int) -> None:
                """As the scheduler does: a worker that found nothing claimable ticks again."""
                while sum(sent_by_worker) < len(chats):
                    report = await dispatchers[index].tick()
                    sent_by_worker[index] += report.outcomes.get("sent", 0) if report else 0
                    await asyncio.sleep(settings.check_interval)

            await asyncio.wait_for(asyncio.gather(keep_ticking(0), keep_ticking(1)), 60)
    finally:
        await second_engine.dispose()
    assert sum(sent_by_worker) == len(chats)
    assert all(count > 0 for count in sent_by_worker)
    assert [len(double.messages_to(chat_id)) for chat_id in chats] == [1] * len(chats)
