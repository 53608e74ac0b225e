"""A channel is subscribed from a private chat, by someone who administers it, once the bot
can post there."""

from __future__ import annotations

from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic
from bot.reading.subscriptions import chat_subscriptions
from bot.sandbox import BotApiDouble
from storage.database import Database
from tests.conftest import OWNER_ID, Chatter
from tests.test_digests import publish

CHANNEL, GROUP = -1_006_000, -1_006_100
CHANNEL_ADMIN, READER = 6_001, 6_002


async def test_a_channel_administrator_subscribes_the_channel_from_a_private_chat(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    double.add_channel(CHANNEL, "Desk", admins={CHANNEL_ADMIN}, username="negotiations_desk")
    double.add_group(GROUP, "Club", type="supergroup", admins={CHANNEL_ADMIN}, username="club")
    for user in (CHANNEL_ADMIN, READER):
        double.add_private_chat(user)
    admin, reader = Chatter(double, CHANNEL_ADMIN, CHANNEL_ADMIN), Chatter(double, READER, READER)

    (refused,) = await reader.says(f"/subscribe @negotiations_desk {DEMO_SLUG}")
    assert "Only an administrator of @negotiations_desk" in refused.plain_text
    (refused,) = await admin.says(f"/subscribe @club {DEMO_SLUG}")
    assert "Make me an administrator of @club" in refused.plain_text
    (unknown,) = await admin.says(f"/subscribe @nowhere {DEMO_SLUG}")
    assert "can't find @nowhere" in unknown.plain_text
    assert await chat_subscriptions(database, CHANNEL) == []
    assert await chat_subscriptions(database, GROUP) == []

    (done,) = await admin.says(f"/subscribe @negotiations_desk {DEMO_SLUG}")
    assert "Subscribed to" in done.plain_text
    assert await chat_subscriptions(database, CHANNEL) == [(DEMO_SLUG, DEMO_TITLE)]
    assert await chat_subscriptions(database, CHANNEL_ADMIN) == []
    (listing,) = await admin.says("/subscriptions @negotiations_desk")
    assert DEMO_TITLE in listing.plain_text and DEMO_SLUG in listing.plain_text
    await publish(database, ROUND_TWO_CARD)
    await double.wait_for(
        lambda: any("Istanbul" in m.plain_text for m in double.messages_to(CHANNEL))
    )

    (gone,) = await admin.says(f"/unsubscribe @negotiations_desk {DEMO_SLUG}")
    assert "@negotiations_desk" in gone.plain_text
    assert await chat_subscriptions(database, CHANNEL) == []
