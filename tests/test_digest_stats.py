"""/stats tells admins about digests: waiting posts, the next one due, pending and sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import select

from bot.app import build_application, running_bot
from bot.posting.demo_data import ROUND_ONE_CARD
from bot.runtime import RUNTIME_KEY
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.models import Delivery
from tests.conftest import OWNER_ID, Chatter, make_settings
from tests.test_digests import (
    MovableClock,
    daily_at,
    publish,
    topic_with_reader,
    utc,
    wait_for_periods,
)

READER = 9_001


@pytest.fixture
async def running() -> AsyncIterator[AsyncExitStack]:
    async with AsyncExitStack() as stack:
        yield stack


async def wait_for_digest_state(database: Database, state: str) -> None:
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        async with database.session() as session:
            found = await session.scalar(
                select(Delivery.state).where(Delivery.digest_id.is_not(None))
            )
        if found == state:
            return
        assert asyncio.get_running_loop().time() < deadline, f"the digest is {found}"
        await asyncio.sleep(0.05)


async def test_stats_show_waiting_pending_next_and_sent_digests(
    double: BotApiDouble, database: Database, database_url: str, running: AsyncExitStack
) -> None:
    await topic_with_reader(double, database, READER)
    await daily_at(database, READER, "Asia/Kabul", 8)  # 08:00 in Kabul is 03:30 UTC
    clock = MovableClock(utc(2026, 6, 1, 12))
    settings = make_settings(
        double, database_url, ROUNDWATCH_RETRY_DELAY=0.1, ROUNDWATCH_RETRY_BACKOFF_CAP=0.2
    )
    application = build_application(settings, database)
    application.bot_data[RUNTIME_KEY].clock = clock
    await running.enter_async_context(running_bot(application))
    double.add_private_chat(OWNER_ID)
    owner = Chatter(double, OWNER_ID, OWNER_ID)

    (before,) = await owner.says("/stats")
    assert "Digests: 0 pending · 0 sent today · 0 posts waiting in 0 chats" in before.plain_text
    assert "Next digest due: none waiting" in before.plain_text

    await publish(database, ROUND_ONE_CARD)
    await wait_for_periods(database, ["2026-06-02"])
    (waiting,) = await owner.says("/stats")
    assert "Digests: 0 pending · 0 sent today · 1 post waiting in 1 chat" in waiting.plain_text
    assert "Next digest due: 2026-06-02 03:30:00 UTC (local date 2026-06-02)" in waiting.plain_text

    double.fail_next(READER, 10_000, 502)
    clock.now = utc(2026, 6, 2, 3, 30, 30)
    await double.wait_for(lambda: double.stats.rejected[502] > 0, timeout=10)
    await wait_for_digest_state(database, "pending")
    (pending,) = await owner.says("/stats")
    assert "Digests: 1 pending · 0 sent today · 0 posts waiting in 0 chats" in pending.plain_text
    assert "Next digest due: none waiting" in pending.plain_text

    double.reset_faults()
    await double.wait_for_messages(READER, 1, timeout=10)
    await wait_for_digest_state(database, "sent")
    (sent,) = await owner.says("/stats")
    assert "Digests: 0 pending · 1 sent today · 0 posts waiting in 0 chats" in sent.plain_text

    clock.now = utc(2026, 6, 3, 1)
    (next_day,) = await owner.says("/stats")
    assert "Digests: 0 pending · 0 sent today" in next_day.plain_text


async def test_a_failed_digest_is_listed_in_failures_and_sent_after_retry(
    double: BotApiDouble, database: Database, database_url: str, running: AsyncExitStack
) -> None:
    await topic_with_reader(double, database, READER)
    await daily_at(database, READER, "Asia/Kabul", 8)
    clock = MovableClock(utc(2026, 6, 1, 12))
    settings = make_settings(
        double,
        database_url,
        ROUNDWATCH_RETRY_DELAY=0.1,
        ROUNDWATCH_RETRY_BACKOFF_CAP=0.2,
        ROUNDWATCH_RETRY_FOR=1,
    )
    application = build_application(settings, database)
    application.bot_data[RUNTIME_KEY].clock = clock
    await running.enter_async_context(running_bot(application))
    double.add_private_chat(OWNER_ID)
    owner = Chatter(double, OWNER_ID, OWNER_ID)

    await publish(database, ROUND_ONE_CARD)
    await wait_for_periods(database, ["2026-06-02"])
    double.fail_next(READER, 10_000, 502)
    clock.now = utc(2026, 6, 2, 3, 30, 30)
    await wait_for_digest_state(database, "failed")
    double.reset_faults()
    (failures,) = await owner.says("/failures")
    assert f"• digest of 2026-06-02 → {READER} (" in failures.plain_text
    assert failures.plain_text.endswith("): Bad Gateway")

    (retried,) = await owner.says("/retry all")
    assert retried.plain_text.startswith("🔁 1 failed delivery")
    await double.wait_for_messages(READER, 1, timeout=10)
    await wait_for_digest_state(database, "sent")
    (after,) = await owner.says("/failures")
    assert after.plain_text == "No failed deliveries."
