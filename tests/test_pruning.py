"""Old sent and skipped deliveries are pruned by the scheduler in bounded batches; everything
still open, failed or recent stays."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.delivery.fanout import fan_out_published_posts
from bot.delivery.pruning import DeliveryPruner
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.models import Chat, Delivery, utc_now
from storage.pruning import delete_settled_deliveries, old_settled_deliveries
from tests.test_delivery import subscribers
from tests.test_digests import Bots, MovableClock
from tests.test_outbox import publish_rendered

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


async def deliveries_by_chat(database: Database) -> dict[int, str]:
    async with database.session() as session:
        rows = await session.execute(
            select(Chat.telegram_id, Delivery.state).join(Chat, Chat.id == Delivery.chat_id)
        )
        return {telegram_id: state for telegram_id, state in rows.all()}


async def set_delivery(database: Database, telegram_id: int, **values: object) -> None:
    async with database.transaction() as session:
        chat_id = await session.scalar(select(Chat.id).where(Chat.telegram_id == telegram_id))
        await session.execute(
            update(Delivery).where(Delivery.chat_id == chat_id).values(**values)  # type: ignore[arg-type]
        )


async def old_sent_deliveries(double: BotApiDouble, database: Database, count: int) -> None:
    await subscribers(double, database, count)
    await publish_rendered(database, "Round 2 begins")
    await fan_out_published_posts(database)
    async with database.transaction() as session:
        await session.execute(
            update(Delivery).values(state="sent", sent_at=utc_now() - timedelta(days=400))
        )


async def test_the_scheduler_prunes_old_sent_and_skipped_and_keeps_the_rest(
    double: BotApiDouble, database: Database, database_url: str
) -> None:
    chats = await subscribers(double, database, 8)
    await publish_rendered(database, "Round 2 begins")
    await fan_out_published_posts(database)
    now = utc_now()
    old, recent = now - timedelta(days=91), now - timedelta(days=89)
    sent_old, sent_recent, skipped_old, skipped_recent = chats[:4]
    failed_old, pending, leased, sent_old_too = chats[4:]
    await set_delivery(database, sent_old, state="sent", sent_at=old)
    await set_delivery(database, sent_old_too, state="sent", sent_at=old - timedelta(days=300))
    await set_delivery(database, sent_recent, state="sent", sent_at=recent)
    await set_delivery(database, skipped_old, state="skipped", next_attempt_at=old)
    await set_delivery(database, skipped_recent, state="skipped", next_attempt_at=recent)
    await set_delivery(database, failed_old, state="failed", next_attempt_at=old)
    await set_delivery(database, pending, next_attempt_at=FAR_FUTURE)
    await set_delivery(
        database,
        leased,
        state="leased",
        next_attempt_at=old,
        lease_token="someone",
        lease_expires_at=FAR_FUTURE,
    )

    expected = {
        sent_recent: "sent",
        skipped_recent: "skipped",
        failed_old: "failed",
        pending: "pending",
        leased: "leased",
    }
    bots = Bots(double, database, database_url)
    await bots.start(MovableClock(now))
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while (remaining := await deliveries_by_chat(database)) != expected:
            assert asyncio.get_running_loop().time() < deadline, remaining
            await asyncio.sleep(0.05)
    finally:
        await bots.stop()
    assert await deliveries_by_chat(database) == expected
    assert not double.sent


async def test_one_batch_prunes_at_most_its_size(double: BotApiDouble, database: Database) -> None:
    await old_sent_deliveries(double, database, 25)
    cutoff = utc_now() - timedelta(days=90)
    counts = []
    for _ in range(4):
        async with database.connection() as connection:
            found = await old_settled_deliveries(connection, cutoff, 10)
        async with database.connection() as connection:
            counts.append(await delete_settled_deliveries(connection, found, cutoff))
    assert counts == [10, 10, 5, 0]


class SteppingClock:
    """A monotonic clock that moves `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


async def test_a_pass_stops_at_its_time_budget_and_rests_once_nothing_is_left(
    double: BotApiDouble, database: Database
) -> None:
    await old_sent_deliveries(double, database, 25)
    clock = SteppingClock(0.4)
    pruner = DeliveryPruner(batch_rows=5, time_budget=1.0, rest=100.0, monotonic=clock)
    keep = timedelta(days=90)
    assert await pruner.prune(database, utc_now(), keep) == 15  # three batches fill 1.2 s
    assert await pruner.prune(database, utc_now(), keep) == 10
    assert await deliveries_by_chat(database) == {}

    await publish_rendered(database, "Round 3 begins")
    await fan_out_published_posts(database)
    async with database.transaction() as session:
        await session.execute(update(Delivery).values(state="sent", sent_at=utc_now() - keep * 2))
    assert await pruner.prune(database, utc_now(), keep) == 0  # resting
    clock.now += 100
    assert await pruner.prune(database, utc_now(), keep) == 15  # the budget again
