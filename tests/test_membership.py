"""The bot follows its own membership: out of a chat it sends nothing, back in it resumes."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.reading.delivery_settings import (
    change_settings,
    choose_quiet_hours,
    choose_silent,
    delivery_settings,
)
from bot.reading.schedule_times import QuietHours
from bot.reading.subscriptions import ChatRef, chat_subscriptions, subscribe_chat
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.models import Chat, Delivery
from tests.conftest import OWNER_ID, wait_for_states
from tests.test_digests import (
    ROUND_ONE_CARD,
    ROUND_TWO_CARD,
    Bots,
    MovableClock,
    clocked_bot,
    publish,
    ticks_pass,
    topic_with_reader,
    utc,
)

__all__ = ["clocked_bot"]  # the fixture, used here by name

READER = 4_001
GROUP, SUPERGROUP = -4_100, -1_004_100


async def chat_row(database: Database, telegram_id: int) -> Chat | None:
    async with database.session() as session:
        return await session.scalar(select(Chat).where(Chat.telegram_id == telegram_id))


async def until(check: Callable[[], Awaitable[bool]], within: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "the condition never held"
        await asyncio.sleep(0.05)


async def is_active(database: Database, telegram_id: int, active: bool) -> bool:
    row = await chat_row(database, telegram_id)
    return row is not None and row.active is active


async def test_a_reader_who_blocks_the_bot_loses_nothing_by_coming_back(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database, READER)
    chat = ChatRef(READER, "private", None)
    await change_settings(database, chat, choose_quiet_hours(QuietHours(22 * 60, 7 * 60)))
    await change_settings(database, chat, choose_silent(True))
    clock = MovableClock(utc(2026, 6, 1, 23))  # quiet: the alert is held
    await clocked_bot.start(clock)
    await publish(database, ROUND_ONE_CARD)
    await wait_for_states(database, Counter({"pending": 1}))
    double.bot_status_changes(READER, "kicked")
    await until(lambda: is_active(database, READER, False))
    async with database.session() as session:
        (held,) = await session.scalars(select(Delivery))
    assert (held.state, held.last_error) == ("skipped", "the user blocked the bot")

    double.bot_status_changes(READER, "member")
    await until(lambda: is_active(database, READER, True))
    settings = await delivery_settings(database, READER)
    assert settings.silent and settings.quiet == QuietHours(22 * 60, 7 * 60)
    assert [slug for slug, _ in await chat_subscriptions(database, READER)] != []
    clock.now = utc(2026, 6, 1, 12)
    await publish(database, ROUND_TWO_CARD)
    await double.wait_for_messages(READER, 1)
    (alert,) = double.messages_to(READER)
    assert "Istanbul" in alert.plain_text and alert.silent


async def test_a_group_that_removes_the_bot_is_skipped_and_an_upgraded_group_keeps_everything(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database)
    double.add_group(GROUP, "Desk", admins={OWNER_ID})
    group = ChatRef(GROUP, "group", "Desk")
    await subscribe_chat(database, group, "pak-taliban-talks")
    await change_settings(database, group, choose_silent(True))
    await clocked_bot.start(MovableClock(utc(2026, 6, 1, 12)))
    double.bot_status_changes(GROUP, "left", by_user=OWNER_ID)
    await until(lambda: is_active(database, GROUP, False))
    await publish(database, ROUND_ONE_CARD)
    await ticks_pass(database)
    assert double.messages_to(GROUP) == []
    row = await chat_row(database, GROUP)
    assert row is not None and row.inactive_reason == "the bot was removed from the chat"

    double.bot_status_changes(GROUP, "member", by_user=OWNER_ID)
    await until(lambda: is_active(database, GROUP, True))
    double.group_upgrades(GROUP, SUPERGROUP)
    await until(lambda: is_active(database, SUPERGROUP, True))
    assert (await delivery_settings(database, SUPERGROUP)).silent
    assert await chat_subscriptions(database, SUPERGROUP) != []
    await publish(database, ROUND_TWO_CARD)
    await double.wait_for_messages(SUPERGROUP, 1)
    (alert,) = double.messages_to(SUPERGROUP)
    assert "Istanbul" in alert.plain_text and alert.silent
    assert double.messages_to(GROUP) == []
