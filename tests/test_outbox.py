"""The outbox's promise under attack: order across workers, leases, split alerts, lost results,
garbage answers and long outages. Each test waits on rows or on the double's records."""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from telegram.constants import FloodLimit
from telegram.ext import Application

import bot.delivery.dispatcher
import bot.delivery.recording
from bot.app import build_application, running_bot
from bot.delivery.fanout import fan_out_published_posts
from bot.delivery.recording import SentRecorder
from bot.posting.demo_data import DEMO_SLUG
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.runtime import RUNTIME_KEY
from bot.sandbox import BotApiDouble, RateLimits
from storage.database import Database
from storage.deliveries import (
    ChatSpacing,
    ClaimedDelivery,
    claim_due_deliveries,
    record_retry,
    record_sent,
    release_expired_leases,
    work_is_due,
)
from storage.models import Chat, Delivery, Post, Topic, utc_now
from tests.conftest import OWNER_ID, Chatter, StartBot, make_settings, wait_for_states
from tests.test_delivery import subscribers

PARAGRAPH = "Delegations met for a second day. " * 90  # about 3,000 characters


async def publish_rendered(database: Database, rendered: str) -> int:
    """A published post whose alert is exactly `rendered`, as the preview would have stored."""
    async with database.transaction() as session:
        topic = await session.scalar(select(Topic))
        assert topic is not None and topic.id is not None
        post = Post(
            topic_id=topic.id,
            author_id=OWNER_ID,
            card_text="/post",
            headline=rendered[:40],
            rendered=rendered,
            state="published",
            published_at=utc_now(),
        )
        session.add(post)
        await session.flush()
        assert post.id is not None
        return post.id


@asynccontextmanager
async def send_only_workers(
    double: BotApiDouble, url: str, count: int, **overrides: object
) -> AsyncIterator[list[Application]]:
    """Worker processes in miniature: each has its own engine, scheduler and rate limiter."""
    async with AsyncExitStack() as stack:
        started = []
        for _ in range(count):
            application = build_application(make_settings(double, url, **overrides), Database(url))
            started.append(await stack.enter_async_context(running_bot(application, polling=False)))
        yield started


SLOW_FAN_OUT = """
CREATE FUNCTION slow_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM inserted WHERE post_id = {post_id}) THEN
        PERFORM pg_sleep(1);
    END IF;
    RETURN NULL;
END $$;
---
CREATE TRIGGER slow_fan_out AFTER INSERT ON deliveries
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION slow_fan_out();
"""


async def test_three_posts_waiting_for_two_workers_arrive_in_order_in_every_chat(
    postgres_url: str,
) -> None:
    """Post 2 fans out slowly (as a post with many subscribers does, made certain here with a
    trigger), so a worker that skipped past it could fan out post 3 and send it first."""
    async with BotApiDouble(limits=RateLimits(enabled=False)) as double:
        database = Database(postgres_url)
        chats = await subscribers(double, database, 40)
        posts = [await publish_rendered(database, f"Alert {number}") for number in (1, 2, 3)]
        async with database.engine.begin() as connection:
            for statement in SLOW_FAN_OUT.format(post_id=posts[1]).split("---"):
                await connection.exec_driver_sql(statement)
        settings = make_settings(double, postgres_url, ROUNDWATCH_SEND_RATE=500)
        engines = [database, Database(postgres_url)]
        workers = [build_application(settings, engine) for engine in engines]
        async with workers[0], workers[1]:
            dispatchers = [worker.bot_data[RUNTIME_KEY].dispatcher for worker in workers]
            while double.stats.accepted_sends < 3 * len(chats):
                await asyncio.gather(*(dispatcher.tick() for dispatcher in dispatchers))
        for engine in engines:
            await engine.dispose()
    for chat in chats:
        assert [m.text for m in double.messages_to(chat)] == ["Alert 1", "Alert 2", "Alert 3"]


async def test_a_chat_just_sent_an_alert_rests_before_any_claim_takes_its_next(
    double: BotApiDouble, database: Database
) -> None:
    """The rest is written with the settle and read by every claim, on the database's clock,
    so it holds whichever worker claims next; a group rests longer than a private chat."""
    (private,) = await subscribers(double, database, 1)
    double.add_group(-400, "Desk")
    await subscribe_chat(database, ChatRef(-400, "group", "Desk"), DEMO_SLUG)
    for number in (1, 2):
        await publish_rendered(database, f"Alert {number}")
    await fan_out_published_posts(database)
    spacing = ChatSpacing(private=1.0, group=3.0)

    async def claim() -> list[ClaimedDelivery]:
        async with database.connection() as connection:
            return await claim_due_deliveries(connection, limit=10)

    first = await claim()
    settled_at = time.monotonic()
    async with database.connection() as connection:
        assert (
            await record_sent(connection, [(d.id, d.lease_token, (1,)) for d in first], spacing)
            == []
        )
    assert len(first) == 2
    assert await claim() == []
    async with database.connection() as connection:
        assert await work_is_due(connection) is False
    private_next = await wait_for_claim(claim)
    private_after = time.monotonic() - settled_at
    group_next = await wait_for_claim(claim)
    group_after = time.monotonic() - settled_at
    telegram_ids = await chat_telegram_ids(database)
    assert [telegram_ids[d.chat_id] for d in private_next + group_next] == [private, -400]
    assert spacing.private <= private_after < spacing.group <= group_after


async def wait_for_claim(
    claim: Callable[[], Awaitable[list[ClaimedDelivery]]], within: float = 10
) -> list[ClaimedDelivery]:
    deadline = asyncio.get_running_loop().time() + within
    while not (claimed := await claim()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"nothing could be claimed in {within} s")
        await asyncio.sleep(0.05)
    return claimed


async def chat_telegram_ids(database: Database) -> dict[int, int]:
    async with database.session() as session:
        return {chat.id: chat.telegram_id for chat in await session.scalars(select(Chat))}  # type: ignore[misc]


@pytest.mark.parametrize("double_limits", [RateLimits()])
async def test_two_workers_send_each_chat_its_alerts_a_second_apart(
    double: BotApiDouble, postgres_url: str
) -> None:
    """Each worker's own limiter sees only its own sends, and a chat's next alert may be
    claimed by the other worker the moment the last one is settled. The double's budget is
    Telegram's (one a second per private chat, after a burst of three it would let through)."""
    database = Database(postgres_url)
    chats = await subscribers(double, database, 20)
    for number in (1, 2, 3):
        await publish_rendered(database, f"Alert {number}")
    settings = make_settings(
        double, postgres_url, ROUNDWATCH_PRIVATE_RATE=FloodLimit.MESSAGES_PER_SECOND_PER_CHAT
    )
    engines = [database, Database(postgres_url)]
    workers = [build_application(settings, engine) for engine in engines]
    sent_by = [0, 0]

    async def keep_ticking(index: int) -> None:
        while double.stats.accepted_sends < 3 * len(chats):
            report = await dispatchers[index].tick()
            sent_by[index] += report.outcomes.get("sent", 0) if report else 0
            await asyncio.sleep(settings.check_interval / 4)

    async with workers[0], workers[1]:
        dispatchers = [worker.bot_data[RUNTIME_KEY].dispatcher for worker in workers]
        await asyncio.wait_for(asyncio.gather(keep_ticking(0), keep_ticking(1)), 60)
    for engine in engines:
        await engine.dispose()
    assert all(sent_by), sent_by
    for chat in chats:
        messages = double.messages_to(chat)
        assert [m.text for m in messages] == ["Alert 1", "Alert 2", "Alert 3"]
        gaps = [b.at - a.at for a, b in itertools.pairwise(messages)]
        assert min(gaps) >= 1.0, (chat, gaps)
    assert double.stats.too_many_requests == 0, double.stats


async def test_fanned_out_deliveries_read_back_through_the_orm(
    double: BotApiDouble, database: Database
) -> None:
    await subscribers(double, database, 3)
    await publish_rendered(database, "Alert")
    assert await fan_out_published_posts(database) == 3
    async with database.session() as session:
        rows = list(await session.scalars(select(Delivery)))
    assert [row.state for row in rows] == ["pending"] * 3
    assert all(row.next_attempt_at.tzinfo is not None for row in rows)
    assert all(abs((utc_now() - row.next_attempt_at).total_seconds()) < 60 for row in rows)


async def test_a_split_alert_whose_second_part_fails_resends_only_the_second_part(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    (chat,) = await subscribers(double, database, 1)
    await publish_rendered(database, f"<b>First</b> {PARAGRAPH}\n\n<i>Second</i> {PARAGRAPH}")
    double.fail_next(chat, 1, status=502, after=1)
    await bot_for(ROUNDWATCH_RETRY_DELAY=0.05)
    await wait_for_states(database, Counter({"sent": 1}))
    received = [message.plain_text.split()[:2] for message in double.messages_to(chat)]
    assert [words[0] for words in received] == ["First", "(2/2)"]
    assert received[1][1] == "Second"
    async with database.session() as session:
        (delivery,) = await session.scalars(select(Delivery))
    assert delivery.parts_sent == [m.message_id for m in double.messages_to(chat)]
    assert delivery.message_id == double.messages_to(chat)[0].message_id


async def test_only_the_part_telegram_cannot_parse_goes_out_as_plain_text(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    (chat,) = await subscribers(double, database, 1)
    broken = f"<b>First</b> {PARAGRAPH}\n\n<blink>Second</blink> {PARAGRAPH}"
    await publish_rendered(database, broken)
    await bot_for()
    await wait_for_states(database, Counter({"sent": 1}))
    first, second = double.messages_to(chat)
    assert first.parse_mode == "HTML" and first.plain_text.startswith("First")
    assert second.parse_mode is None and second.text.startswith("(2/2)\n\nSecond")


async def test_a_worker_waiting_out_a_long_retry_after_keeps_its_lease(
    double: BotApiDouble, database: Database, database_url: str
) -> None:
    (chat,) = await subscribers(double, database, 1)
    await publish_rendered(database, "Alert")
    double.flood_next(chat, retry_after=3)
    short_lease = {"ROUNDWATCH_LEASE_DURATION": 0.6}
    async with send_only_workers(double, database_url, 1, **short_lease):
        await double.wait_for(lambda: double.stats.too_many_requests == 1, timeout=10)
        async with send_only_workers(double, database_url, 1, **short_lease):
            await wait_for_states(database, Counter({"sent": 1}), within=15)
    assert len(double.messages_to(chat)) == 1


async def test_a_dead_workers_lease_is_taken_over_and_its_late_settle_is_ignored(
    double: BotApiDouble, database: Database, database_url: str
) -> None:
    (chat,) = await subscribers(double, database, 1)
    await publish_rendered(database, "Alert")
    await fan_out_published_posts(database)
    async with database.connection() as connection:
        (dead,) = await claim_due_deliveries(connection, limit=10, lease_seconds=0.3)
    async with send_only_workers(double, database_url, 1, ROUNDWATCH_LEASE_DURATION=0.3):
        await wait_for_states(database, Counter({"sent": 1}), within=15)
    async with database.connection() as connection:
        lost = await record_sent(
            connection, [(dead.id, dead.lease_token, (999,))], ChatSpacing(0.0, 0.0)
        )
    async with database.transaction() as session:
        retried = await record_retry(
            session, dead.id, dead.lease_token, "late", 0.0, attempt=True, parts_sent=()
        )
    assert lost == [dead.id] and not retried
    async with database.session() as session:
        (delivery,) = await session.scalars(select(Delivery))
    assert delivery.state == "sent"
    assert delivery.message_id == double.messages_to(chat)[0].message_id
    assert len(double.messages_to(chat)) == 1


async def test_a_result_the_database_refuses_to_record_is_recorded_later_not_resent(
    double: BotApiDouble,
    database: Database,
    bot_for: StartBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chats = await subscribers(double, database, 3)
    await publish_rendered(database, "Alert")
    real_record_sent_batch = bot.delivery.recording.record_sent_batch
    refusals = iter(range(3))

    async def locked_at_first(*args: Any, **kwargs: Any) -> Any:
        if next(refusals, None) is not None:
            cause = sqlite3.OperationalError("database is locked")
            raise OperationalError("UPDATE deliveries", {}, cause)
        return await real_record_sent_batch(*args, **kwargs)

    monkeypatch.setattr(bot.delivery.recording, "record_sent_batch", locked_at_first)
    caplog.set_level(logging.WARNING)
    await bot_for(ROUNDWATCH_LEASE_DURATION=0.6)
    await wait_for_states(database, Counter({"sent": 3}))
    for chat in chats:
        assert len(double.messages_to(chat)) == 1
    assert "database is locked" in caplog.text


async def test_a_garbage_answer_is_retried_and_delivered(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    chats = await subscribers(double, database, 3)
    await publish_rendered(database, "Alert")
    double.garble_next(chats[0])
    double.garble_next(chats[1], 2)
    await bot_for(ROUNDWATCH_RETRY_DELAY=0.05)
    await wait_for_states(database, Counter({"sent": 3}))
    assert double.stats.garbage_answers == 3
    assert [len(double.messages_to(chat)) for chat in chats] == [1, 1, 1]


async def test_an_outage_longer_than_a_few_retries_does_not_fail_the_alert(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    """Time scaled down: twelve failed attempts stand for a two-minute outage, which used to
    exhaust the attempts an alert had."""
    (chat,) = await subscribers(double, database, 1)
    await publish_rendered(database, "Alert")
    double.fail_next(chat, 12, status=502)
    await bot_for(
        ROUNDWATCH_RETRY_DELAY=0.02,
        ROUNDWATCH_RETRY_BACKOFF_CAP=0.05,
        ROUNDWATCH_PRIVATE_RATE=30,  # failed attempts do not use up the double's chat budget
    )
    await wait_for_states(database, Counter({"sent": 1}))
    assert double.stats.rejected[502] == 12
    assert len(double.messages_to(chat)) == 1


async def test_retry_requeues_failed_deliveries_for_admins_only(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    chats = await subscribers(double, database, 2)
    post_id = await publish_rendered(database, "Alert")
    for chat in chats:
        double.fail_next(chat, 1, status=502)
    double.add_private_chat(OWNER_ID)
    double.add_private_chat(7)
    await bot_for(ROUNDWATCH_RETRY_FOR=0)
    await wait_for_states(database, Counter({"failed": 2}))
    stranger = Chatter(double, 7, 7)
    (refusal,) = await stranger.says(f"/retry {post_id}")
    assert "only" in refusal.plain_text.lower()
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    (answer,) = await owner.says(f"/retry {post_id}")
    assert "2" in answer.plain_text
    await wait_for_states(database, Counter({"sent": 2}))
    assert [len(double.messages_to(chat)) for chat in chats] == [1, 1]
    (nothing,) = await owner.says("/retry all")
    assert "0" in nothing.plain_text or "no" in nothing.plain_text.lower()


async def test_an_error_while_delivering_is_logged_once_shown_in_stats_and_not_lost(
    double: BotApiDouble,
    database: Database,
    bot_for: StartBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (chat,) = await subscribers(double, database, 1)
    double.add_private_chat(OWNER_ID)
    await publish_rendered(database, "Alert")
    real_send_parts = bot.delivery.dispatcher.send_parts
    calls = iter(range(1))

    async def broken_once(*args: Any, **kwargs: Any) -> Any:
        if next(calls, None) is not None:
            raise RuntimeError("a bug in sending")
        return await real_send_parts(*args, **kwargs)

    monkeypatch.setattr(bot.delivery.dispatcher, "send_parts", broken_once)
    await bot_for(ROUNDWATCH_LEASE_DURATION=0.5)
    await wait_for_states(database, Counter({"sent": 1}))
    assert len(double.messages_to(chat)) == 1
    (stats,) = await Chatter(double, OWNER_ID, OWNER_ID).says("/stats")
    assert "RuntimeError: a bug in sending" in stats.plain_text
    logged = [r for r in caplog.records if r.exc_info and "a bug in sending" in str(r.exc_info[1])]
    assert len(logged) == 1


async def leased_alerts(
    double: BotApiDouble, database: Database, count: int
) -> list[ClaimedDelivery]:
    await subscribers(double, database, count)
    await publish_rendered(database, "Alert")
    await fan_out_published_posts(database)
    async with database.connection() as connection:
        return await claim_due_deliveries(connection, limit=count)


async def test_sent_results_arriving_one_by_one_share_a_commit(
    double: BotApiDouble, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At broadcast speed the answers come a few at a time; committing each on arrival cost a
    third of the bot's CPU in commits of one or two rows."""
    claimed = await leased_alerts(double, database, 8)
    real_record_sent_batch = bot.delivery.recording.record_sent_batch
    batches: list[int] = []

    async def counted(database: Database, rows: list[Any], spacing: ChatSpacing) -> list[int]:
        batches.append(len(rows))
        return await real_record_sent_batch(database, rows, spacing)

    monkeypatch.setattr(bot.delivery.recording, "record_sent_batch", counted)
    recorder = SentRecorder(
        database, bot.delivery.dispatcher.TELEGRAM_CHAT_SPACING, batch_size=4, linger=60.0
    )
    recording: list[asyncio.Task[bool]] = []
    for delivery in claimed:
        recording.append(
            asyncio.create_task(recorder.record(delivery.id, delivery.lease_token, (1,)))
        )
        await asyncio.sleep(0.002)
    assert await asyncio.wait_for(asyncio.gather(*recording), 30) == [True] * 8
    assert batches[0] >= 4 and sum(batches) == 8
    await wait_for_states(database, Counter({"sent": 8}))


async def test_a_lone_sent_result_is_committed_after_the_linger(
    double: BotApiDouble, database: Database
) -> None:
    (delivery,) = await leased_alerts(double, database, 1)
    recorder = SentRecorder(
        database, bot.delivery.dispatcher.TELEGRAM_CHAT_SPACING, batch_size=4, linger=0.05
    )
    recorded = recorder.record(delivery.id, delivery.lease_token, (1,))
    assert await asyncio.wait_for(recorded, 30) is True
    await wait_for_states(database, Counter({"sent": 1}))


async def test_a_worker_whose_leases_ran_out_sends_none_of_its_claimed_backlog(
    double: BotApiDouble,
    database: Database,
    bot_for: StartBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker that cannot renew (its database away, or itself stalled) while one slow send
    holds its only slot: by the time the send returns, another worker has taken its rows. It
    used to go on and send them all, each a second copy of what the other worker sends."""
    chats = await subscribers(double, database, 4)
    await publish_rendered(database, "Alert")
    double.delay(chats[0], 3.0)

    async def cannot_renew(*_: Any, **__: Any) -> int:
        raise OperationalError("UPDATE deliveries", {}, sqlite3.OperationalError("locked"))

    monkeypatch.setattr(bot.delivery.dispatcher, "renew_leases", cannot_renew)
    caplog.set_level(logging.WARNING)
    await bot_for(ROUNDWATCH_SEND_CONCURRENCY=1, ROUNDWATCH_LEASE_DURATION=1.0)
    taken_over: list[ClaimedDelivery] = []
    deadline = time.monotonic() + 20
    while len(taken_over) < len(chats) and time.monotonic() < deadline:
        async with database.connection() as connection:
            await release_expired_leases(connection)
            taken_over += await claim_due_deliveries(connection, limit=10)
        await asyncio.sleep(0.05)
    assert len(taken_over) == len(chats)
    backlog = chats[1:]
    await double.wait_for(
        lambda: (
            caplog.text.count("its lease ran out before it was sent") == len(backlog)
            or any(double.messages_to(chat) for chat in backlog)
        ),
        timeout=20,
    )
    assert not any(double.messages_to(chat) for chat in backlog)
    async with database.session() as session:
        rows = list(await session.scalars(select(Delivery)))
    assert {row.lease_token for row in rows} == {taken_over[0].lease_token}
