"""Channel readers and group members can press any button under the bot's posts: only the
chat's administrators change what the chat receives, and reading answers the presser alone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_TWO_CARD
from bot.sandbox import BotApiDouble, SentMessage
from bot.sandbox.records import CallbackAnswer
from storage.database import Database
from storage.models import Subscription
from tests.conftest import OWNER_ID, Chatter, buttons_of

CHANNEL, GROUP = -1_000_777, -300
CHANNEL_ADMIN, STARTED_READER, SILENT_READER = 150, 201, 202


@pytest.fixture
async def listing(double: BotApiDouble, app: Application) -> SentMessage:
    """The bot's /topics post in a channel, after round 2 was published."""
    for user_id in (OWNER_ID, STARTED_READER):
        double.add_private_chat(user_id)
    double.add_channel(CHANNEL, "Negotiations desk", admins={CHANNEL_ADMIN})
    double.add_group(GROUP, "Analysts", type="supergroup", admins={CHANNEL_ADMIN})
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await owner.says(f"/newtopic {DEMO_SLUG} {DEMO_TITLE}")
    preview = await owner.says(ROUND_TWO_CARD, replies=2)
    await owner.presses(preview[-1], buttons_of(preview[-1])["✅ Publish"])
    (posted,) = await Chatter(double, CHANNEL, CHANNEL_ADMIN).says("/topics")
    return posted


async def subscriptions(database: Database) -> int:
    async with database.session() as session:
        return await session.scalar(select(func.count(Subscription.id))) or 0


async def answer_to(
    double: BotApiDouble, chat_id: int, message_id: int, data: str, user: int
) -> CallbackAnswer:
    query_id = double.user_presses(chat_id, message_id, data, user_id=user)
    await double.wait_for(
        lambda: any(a.callback_query_id == query_id for a in double.callback_answers)
    )
    return next(a for a in double.callback_answers if a.callback_query_id == query_id)


async def test_a_channel_reader_cannot_change_the_channels_subscriptions(
    double: BotApiDouble, listing: SentMessage, database: Database
) -> None:
    in_channel = len(double.messages_to(CHANNEL))
    for action in ("sub", "unsub"):
        answer = await answer_to(
            double, CHANNEL, listing.message_id, f"{action}:{DEMO_SLUG}", SILENT_READER
        )
        assert answer.show_alert and "administrators" in (answer.text or "")
    assert await subscriptions(database) == 0
    assert len(double.messages_to(CHANNEL)) == in_channel

    await answer_to(double, CHANNEL, listing.message_id, f"sub:{DEMO_SLUG}", CHANNEL_ADMIN)
    await double.wait_for(lambda: len(double.messages_to(CHANNEL)) == in_channel + 1)
    assert "Subscribed" in double.messages_to(CHANNEL)[-1].plain_text
    assert await subscriptions(database) == 1


@pytest.mark.parametrize("chat_id", [CHANNEL, GROUP])
async def test_reading_buttons_answer_the_presser_never_the_chat(
    double: BotApiDouble, listing: SentMessage, chat_id: int
) -> None:
    if chat_id == GROUP:
        (listing,) = await Chatter(double, GROUP, CHANNEL_ADMIN).says("/topics")
    in_chat = len(double.messages_to(chat_id))
    for action in ("latest", "parties", "history"):
        answer = await answer_to(
            double, chat_id, listing.message_id, f"{action}:{DEMO_SLUG}", STARTED_READER
        )
        assert not answer.show_alert
    await double.wait_for(lambda: len(double.messages_to(STARTED_READER)) >= 3)
    privately = "\n".join(m.plain_text for m in double.messages_to(STARTED_READER))
    assert "Haji Najib" in privately and "Istanbul" in privately

    answer = await answer_to(
        double, chat_id, listing.message_id, f"latest:{DEMO_SLUG}", SILENT_READER
    )
    assert answer.show_alert and "@roundwatch_bot" in (answer.text or "")
    assert len(double.messages_to(chat_id)) == in_chat
