"""Digests, quiet hours and /settings through the real bot, on a clock the test moves."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.app import build_application, running_bot
from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic, preview_post, publish_post
from bot.reading.delivery_settings import (
    change_settings,
    change_topic_mode,
    choose_delivery,
    choose_hour,
    choose_quiet_hours,
    choose_silent,
    choose_time_zone,
    choose_weekday,
    delivery_settings,
)
from bot.reading.schedule_times import QuietHours
from bot.reading.subscriptions import ChatRef, stop_chat, subscribe_chat, unsubscribe_chat
from bot.runtime import RUNTIME_KEY
from bot.sandbox import BotApiDouble, CallbackAnswer, SentMessage
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import ChatSettings, Delivery, Digest, DigestEntry, SchedulerState, TopicMode
from tests.conftest import OWNER_ID, Chatter, buttons_of, make_settings

READER = 2_001
OTHER_READER = 2_002
GROUP = -3_001
GROUP_ADMIN = 3_100
GROUP_MEMBER = 3_200


class MovableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


class Bots:
    """Starts the bot with the readers' clock set before its first tick; `stop` ends it, as a
    restart would."""

    def __init__(self, double: BotApiDouble, database: Database, database_url: str) -> None:
        self.double, self.database, self.database_url = double, database, database_url
        self.running: AsyncExitStack | None = None

    async def start(self, clock: MovableClock) -> Application:
        settings = make_settings(self.double, self.database_url)
        application = build_application(settings, self.database)
        application.bot_data[RUNTIME_KEY].clock = clock
        self.running = AsyncExitStack()
        return await self.running.enter_async_context(running_bot(application))

    async def stop(self) -> None:
        if self.running is not None:
            await self.running.aclose()
            self.running = None


@pytest.fixture
async def clocked_bot(
    double: BotApiDouble, database: Database, database_url: str
) -> AsyncIterator[Bots]:
    bots = Bots(double, database, database_url)
    try:
        yield bots
    finally:
        await bots.stop()


async def topic_with_reader(double: BotApiDouble, database: Database, *readers: int) -> None:
    await upgrade_database(database)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    for reader in readers:
        double.add_private_chat(reader)
        await subscribe_chat(database, ChatRef(reader, "private", None), DEMO_SLUG)


async def publish(database: Database, card: str) -> None:
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, card)
    await publish_post(database, preview.post_id, OWNER_ID)


async def waiting_periods(database: Database) -> list[str | None]:
    async with database.session() as session:
        rows = await session.scalars(
            select(DigestEntry.period)
            .where(DigestEntry.digest_id.is_(None))
            .order_by(DigestEntry.id)
        )
        return list(rows)


async def wait_for_periods(database: Database, expected: list[str]) -> None:
    """The first tick after fan-out gives each waiting post its digest period."""
    deadline = asyncio.get_running_loop().time() + 10
    while (periods := await waiting_periods(database)) != expected:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"waiting periods are {periods}, expected {expected}")
        await asyncio.sleep(0.05)


async def last_tick(database: Database) -> datetime | None:
    async with database.session() as session:
        state = await session.get(SchedulerState, "last_check")
        return state.at if state is not None else None


async def ticks_pass(database: Database, count: int = 3) -> None:
    """Waits until the scheduler has run `count` more times, so that what it would have sent
    by now has been sent."""
    for _ in range(count):
        before = await last_tick(database)
        deadline = asyncio.get_running_loop().time() + 10
        while await last_tick(database) == before:
            assert asyncio.get_running_loop().time() < deadline, "the scheduler stopped"
            await asyncio.sleep(0.05)


async def digest_rows(database: Database) -> int:
    async with database.session() as session:
        count = await session.scalar(
            select(func.count(Delivery.id)).where(Delivery.digest_id.is_not(None))
        )
        return count or 0


async def daily_at(database: Database, reader: int, zone: str, hour: int) -> None:
    chat = ChatRef(reader, "private", None)
    for change in (choose_time_zone(zone), choose_delivery("daily"), choose_hour(hour)):
        await change_settings(database, chat, change)


async def test_a_london_daily_digest_comes_once_a_day_across_the_change_to_summer_time(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    await daily_at(database, READER, "Europe/London", 8)
    clock = MovableClock(utc(2026, 3, 28, 9))
    await clocked_bot.start(clock)
    await publish(database, ROUND_ONE_CARD)
    await wait_for_periods(database, ["2026-03-29"])
    clock.now = utc(2026, 3, 29, 6, 59)  # 06:59 GMT: the clocks go forward at 01:00
    await ticks_pass(database)
    assert double.messages_to(READER) == []
    clock.now = utc(2026, 3, 29, 7, 0, 30)  # 08:00 BST
    await double.wait_for_messages(READER, 1)
    (digest,) = double.messages_to(READER)
    assert "Daily digest · Sun 29 Mar 2026" in digest.plain_text
    assert "Doha" in digest.plain_text and f"/latest {DEMO_SLUG}" in digest.plain_text
    await publish(database, ROUND_TWO_CARD)
    await wait_for_periods(database, ["2026-03-30"])
    clock.now = utc(2026, 3, 29, 8, 0, 30)  # 08:00 by winter time is no second digest
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 1
    clock.now = utc(2026, 3, 30, 7, 0, 30)
    await double.wait_for_messages(READER, 2)
    second = double.messages_to(READER)[1].plain_text
    assert "Mon 30 Mar" in second and "Istanbul" in second and "Doha" not in second
    await ticks_pass(database)
    assert await digest_rows(database) == 2


async def test_a_new_york_weekly_digest_comes_on_its_monday_at_eight_local_after_the_change(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    chat = ChatRef(READER, "private", None)
    await change_settings(database, chat, choose_time_zone("America/New_York"))
    await change_settings(database, chat, choose_weekday(0))
    await change_settings(database, chat, choose_hour(8))
    clock = MovableClock(utc(2026, 3, 3, 12))  # a Tuesday, before the change on 8 March
    await clocked_bot.start(clock)
    await publish(database, ROUND_ONE_CARD)
    await wait_for_periods(database, ["2026-03-09"])
    clock.now = utc(2026, 3, 9, 11, 59)  # 07:59 EDT; 12:59 would have been 08:00 a week ago
    await ticks_pass(database)
    assert double.messages_to(READER) == []
    clock.now = utc(2026, 3, 9, 12, 0, 30)
    await double.wait_for_messages(READER, 1)
    assert "Weekly digest · Mon 9 Mar 2026" in double.messages_to(READER)[0].plain_text
    clock.now = utc(2026, 3, 10, 12, 0, 30)
    await ticks_pass(database)
    clock.now = utc(2026, 3, 16, 12, 0, 30)  # the next Monday, with no news: no digest
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 1


async def test_quiet_hours_hold_alerts_and_then_release_them_in_order_silently(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER, OTHER_READER)
    chat = ChatRef(READER, "private", None)
    await change_settings(database, chat, choose_time_zone("Asia/Tehran"))
    await change_settings(database, chat, choose_quiet_hours(QuietHours(22 * 60, 7 * 60)))
    await change_settings(database, chat, choose_silent(True))
    clock = MovableClock(utc(2026, 6, 1, 20))  # 23:30 in Tehran
    await clocked_bot.start(clock)
    await publish(database, ROUND_ONE_CARD)
    await publish(database, ROUND_TWO_CARD)
    await double.wait_for_messages(OTHER_READER, 2)
    clock.now = utc(2026, 6, 2, 3, 29)  # 06:59
    await ticks_pass(database)
    assert double.messages_to(READER) == []
    clock.now = utc(2026, 6, 2, 3, 31)  # 07:01
    await double.wait_for_messages(READER, 2)
    first, second = double.messages_to(READER)
    assert "Doha" in first.plain_text and "Istanbul" in second.plain_text
    assert first.silent and second.silent
    assert not any(m.silent for m in double.messages_to(OTHER_READER))


async def test_alerts_outside_quiet_hours_go_out_at_once(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    chat = ChatRef(READER, "private", None)
    await change_settings(database, chat, choose_quiet_hours(QuietHours(22 * 60, 7 * 60)))
    await clocked_bot.start(MovableClock(utc(2026, 6, 1, 12)))
    await publish(database, ROUND_ONE_CARD)
    await double.wait_for_messages(READER, 1)
    assert not double.messages_to(READER)[0].silent


async def test_a_restart_just_before_the_digest_is_due_brings_exactly_one_digest(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    await daily_at(database, READER, "Europe/London", 8)
    bots = clocked_bot
    await bots.start(MovableClock(utc(2026, 6, 10, 6, 59, 50)))
    await publish(database, ROUND_ONE_CARD)
    await wait_for_periods(database, ["2026-06-10"])
    await bots.stop()
    after = MovableClock(utc(2026, 6, 10, 7, 0, 5))
    await bots.start(after)
    await double.wait_for_messages(READER, 1)
    await ticks_pass(database)
    await bots.stop()
    after.now = utc(2026, 6, 10, 7, 30)
    await bots.start(after)
    await ticks_pass(database)
    assert len(double.messages_to(READER)) == 1
    assert await digest_rows(database) == 1


async def test_a_topic_can_be_instant_in_a_digest_chat_and_waiting_posts_follow_a_switch(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    await create_new_topic(database, OWNER_ID, "other-talks", "Other talks")
    chat = ChatRef(READER, "private", None)
    await subscribe_chat(database, chat, "other-talks")
    await daily_at(database, READER, "UTC", 8)
    await change_topic_mode(database, chat, DEMO_SLUG, "instant")
    await clocked_bot.start(MovableClock(utc(2026, 6, 1, 12)))
    await publish(database, ROUND_ONE_CARD)
    await double.wait_for_messages(READER, 1)
    await change_topic_mode(database, chat, DEMO_SLUG, None)
    await publish(database, ROUND_TWO_CARD)
    await wait_for_periods(database, ["2026-06-02"])
    await change_settings(database, chat, choose_delivery("instant"))
    await double.wait_for_messages(READER, 2)
    assert "Istanbul" in double.messages_to(READER)[1].plain_text
    assert await waiting_periods(database) == []


async def answer_to(
    double: BotApiDouble, chat_id: int, message_id: int, data: str, user: int
) -> CallbackAnswer:
    query_id = double.user_presses(chat_id, message_id, data, user_id=user)
    await double.wait_for(
        lambda: any(a.callback_query_id == query_id for a in double.callback_answers)
    )
    return next(a for a in double.callback_answers if a.callback_query_id == query_id)


async def pressed(
    double: BotApiDouble, message: SentMessage, data: str, expected: str
) -> SentMessage:
    """Presses a button under `message` and waits for the message to read `expected`."""
    await answer_to(double, message.chat_id, message.message_id, data, message.chat_id)

    def now_shown() -> SentMessage:
        return double.latest(message.chat_id, message.message_id) or message

    await double.wait_for(lambda: expected in now_shown().plain_text)
    return now_shown()


async def test_only_a_groups_administrators_change_its_settings(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    double.add_group(GROUP, "Desk", admins={GROUP_ADMIN})
    admin, member = Chatter(double, GROUP, GROUP_ADMIN), Chatter(double, GROUP, GROUP_MEMBER)
    (shown,) = await member.says("/settings")
    assert "Delivery: instant" in shown.plain_text
    daily = buttons_of(shown)["Daily"]
    answer = await answer_to(double, GROUP, shown.message_id, daily, GROUP_MEMBER)
    assert answer.show_alert and "administrators" in (answer.text or "")
    (refused,) = await member.says("/quiet 22:00-07:00")
    assert "administrators" in refused.plain_text
    (refused,) = await member.says("/timezone Kabul")
    assert "administrators" in refused.plain_text
    assert (await delivery_settings(database, GROUP)).choice == "instant"

    answer = await answer_to(double, GROUP, shown.message_id, daily, GROUP_ADMIN)
    assert answer.text == "Saved."
    await double.wait_for(
        lambda: (
            "daily digest at 08:00" in (double.latest(GROUP, shown.message_id) or shown).plain_text
        )
    )
    (zone,) = await admin.says("/timezone kabul")
    assert "Asia/Kabul" in zone.plain_text
    (quiet,) = await admin.says("/quiet 22-7")
    assert "Quiet hours: 22:00–07:00" in quiet.plain_text
    (wrong,) = await admin.says("/timezone Atlantis")
    assert "don't know that place" in wrong.plain_text
    (wrong,) = await admin.says("/quiet 25-7")
    assert "Hours go from 00 to 23" in wrong.plain_text
    settings = await delivery_settings(database, GROUP)
    assert (settings.choice, settings.time_zone) == ("daily", "Asia/Kabul")
    assert settings.quiet == QuietHours(22 * 60, 7 * 60)


async def test_the_hour_and_day_pickers_set_a_weekly_digest(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    double.add_private_chat(READER)
    reader = Chatter(double, READER, READER)
    (shown,) = await reader.says("/settings")
    days = await pressed(double, shown, "set:pick:day", "On which day?")
    await pressed(double, shown, buttons_of(days)["Fri"], "weekly digest on Friday at 08:00")
    hours = await pressed(double, shown, "set:pick:hour", "Digest at which hour")
    await pressed(double, shown, buttons_of(hours)["18"], "weekly digest on Friday at 18:00")
    settings = await delivery_settings(database, READER)
    assert (settings.choice, settings.digest_weekday, settings.digest_hour) == ("weekly", 4, 18)


async def test_unsubscribing_and_stop_take_the_settings_and_digests_with_them(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    chat = ChatRef(READER, "private", None)
    await daily_at(database, READER, "UTC", 8)
    await change_topic_mode(database, chat, DEMO_SLUG, "digest")
    clock = MovableClock(utc(2026, 6, 1, 12))
    await clocked_bot.start(clock)
    await publish(database, ROUND_ONE_CARD)
    await wait_for_periods(database, ["2026-06-02"])
    clock.now = utc(2026, 6, 2, 8, 0, 30)
    await double.wait_for_messages(READER, 1)
    await publish(database, ROUND_TWO_CARD)
    await wait_for_periods(database, ["2026-06-03"])
    await unsubscribe_chat(database, READER, DEMO_SLUG)
    assert await waiting_periods(database) == []
    assert await stop_chat(database, READER)
    async with database.session() as session:
        for table in (ChatSettings, TopicMode, Digest, DigestEntry, Delivery):
            assert list(await session.scalars(select(table))) == [], table


async def test_an_instant_chat_can_take_one_topic_in_the_default_daily_digest(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    await change_topic_mode(database, ChatRef(READER, "private", None), DEMO_SLUG, "digest")
    clock = MovableClock(utc(2026, 6, 1, 12))
    await clocked_bot.start(clock)
    await publish(database, ROUND_ONE_CARD)
    await wait_for_periods(database, ["2026-06-02"])
    clock.now = utc(2026, 6, 2, 8, 0, 30)  # the default: 08:00 UTC
    await double.wait_for_messages(READER, 1)
    assert "Daily digest" in double.messages_to(READER)[0].plain_text
