"""Updates of different chats are handled concurrently, each chat's own in order: one chat's
slow write must not keep another chat waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.util import await_only

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE
from bot.sandbox import BotApiDouble
from storage.database import Database
from tests.conftest import OWNER_ID, Chatter, StartBot

SLOW_CHAT, OTHER_CHAT = 200, 300


class SlowWrite:
    """Holds every subscription insert until `release`, as a lock held elsewhere would."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.released = asyncio.Event()

    def hold(self, _connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO SUBSCRIPTIONS"):
            self.entered.set()
            await_only(self.released.wait())


@pytest.fixture
def slow_write(database: Database) -> Iterator[SlowWrite]:
    slow = SlowWrite()
    event.listen(database.engine.sync_engine, "before_cursor_execute", slow.hold)
    yield slow
    slow.released.set()
    event.remove(database.engine.sync_engine, "before_cursor_execute", slow.hold)


async def test_a_chat_is_answered_while_another_waits_on_a_slow_write(
    double: BotApiDouble, bot_for: StartBot, slow_write: SlowWrite
) -> None:
    for user_id in (OWNER_ID, SLOW_CHAT, OTHER_CHAT):
        double.add_private_chat(user_id)
    await bot_for()
    await Chatter(double, OWNER_ID, OWNER_ID).says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")

    double.user_sends(SLOW_CHAT, f"/subscribe {DEMO_SLUG}")
    await asyncio.wait_for(slow_write.entered.wait(), timeout=10)
    double.user_sends(SLOW_CHAT, "/subscriptions")
    (answer,) = await Chatter(double, OTHER_CHAT, OTHER_CHAT).says("/latest", within=5)
    assert DEMO_TITLE in answer.plain_text
    assert double.messages_to(SLOW_CHAT) == []

    slow_write.released.set()
    await double.wait_for_messages(SLOW_CHAT, 2, timeout=10)
    first, second = double.messages_to(SLOW_CHAT)
    assert "Subscribed" in first.plain_text
    assert DEMO_SLUG in second.plain_text
