"""A channel is subscribed with Telegram's chat picker from a private chat: the bot offers
`KeyboardButtonRequestChat`, the person picks, and the bot checks both memberships itself."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic
from bot.reading.subscriptions import chat_subscriptions
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from tests.conftest import OWNER_ID, Chatter, buttons_of
from tests.test_digests import publish

CHANNEL = -1_008_000
CHANNEL_ADMIN, READER = 8_101, 8_102


def picker_request(message: SentMessage) -> dict[str, Any]:
    """The one chat-picker button of a reply keyboard."""
    markup = message.reply_markup or {}
    (row,) = markup["keyboard"]
    (button,) = row
    request: dict[str, Any] = button["request_chat"]
    return request


async def open_picker(person: Chatter) -> dict[str, Any]:
    (listing,) = await person.says("/subscriptions")
    (offer,) = await person.presses(listing, buttons_of(listing)["📣 Subscribe a channel"])
    return picker_request(offer)


async def shares(double: BotApiDouble, person: Chatter, request_id: int) -> SentMessage:
    before = len(double.messages_to(person.chat_id))
    double.user_shares_chat(person.chat_id, request_id, CHANNEL)
    await double.wait_for_messages(person.chat_id, before + 1)
    return double.messages_to(person.chat_id)[before]


async def test_a_channel_picked_by_its_administrator_is_subscribed(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    await create_new_topic(database, OWNER_ID, "other-talks", "Other talks")
    double.add_channel(CHANNEL, "Private desk", admins={CHANNEL_ADMIN})
    double.add_private_chat(CHANNEL_ADMIN)
    admin = Chatter(double, CHANNEL_ADMIN, CHANNEL_ADMIN)

    request = await open_picker(admin)
    assert request["chat_is_channel"] is True and request["bot_is_member"] is True
    for rights in ("user_administrator_rights", "bot_administrator_rights"):
        assert request[rights]["can_post_messages"] is True
    question = await shares(double, admin, request["request_id"])
    assert "Which topic should Private desk follow?" in question.plain_text
    assert set(buttons_of(question).values()) == {
        f"chsub:{CHANNEL}:{DEMO_SLUG}",
        f"chsub:{CHANNEL}:other-talks",
    }
    assert await chat_subscriptions(database, CHANNEL) == []

    (done,) = await admin.presses(question, f"chsub:{CHANNEL}:{DEMO_SLUG}")
    assert done.plain_text.startswith("Private desk: 🔔 Subscribed to")
    assert await chat_subscriptions(database, CHANNEL) == [(DEMO_SLUG, DEMO_TITLE)]
    assert await chat_subscriptions(database, CHANNEL_ADMIN) == []
    await publish(database, ROUND_TWO_CARD)
    await double.wait_for(
        lambda: any("Istanbul" in m.plain_text for m in double.messages_to(CHANNEL))
    )

    again = await shares(double, admin, request["request_id"])
    assert list(buttons_of(again).values()) == [f"chsub:{CHANNEL}:other-talks"]


async def test_a_channel_picked_by_someone_who_does_not_administer_it_is_refused(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    """Telegram's client lists only chats matching the requested rights, but rights change
    between the pick and the message: the bot asks Telegram itself."""
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    double.add_channel(CHANNEL, "Private desk", admins={CHANNEL_ADMIN})
    double.add_private_chat(READER)
    reader = Chatter(double, READER, READER)
    request = await open_picker(reader)
    refused = await shares(double, reader, request["request_id"])
    assert "Only an administrator of Private desk" in refused.plain_text
    assert buttons_of(refused) == {}
    assert await chat_subscriptions(database, CHANNEL) == []


async def test_a_forged_topic_button_for_someone_elses_channel_is_refused(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    double.add_channel(CHANNEL, "Private desk", admins={CHANNEL_ADMIN})
    double.add_private_chat(READER)
    reader = Chatter(double, READER, READER)
    (listing,) = await reader.says("/subscriptions")
    (refused,) = await reader.presses(listing, f"chsub:{CHANNEL}:{DEMO_SLUG}")
    assert "Only an administrator of Private desk" in refused.plain_text
    assert await chat_subscriptions(database, CHANNEL) == []


async def test_subscribe_naming_a_channel_without_a_topic_asks_which(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    double.add_channel(CHANNEL, "Desk", admins={CHANNEL_ADMIN}, username="negotiations_desk")
    double.add_private_chat(CHANNEL_ADMIN)
    admin = Chatter(double, CHANNEL_ADMIN, CHANNEL_ADMIN)
    (question,) = await admin.says("/subscribe @negotiations_desk")
    assert list(buttons_of(question).values()) == [f"chsub:{CHANNEL}:{DEMO_SLUG}"]
    (done,) = await admin.presses(question, f"chsub:{CHANNEL}:{DEMO_SLUG}")
    assert "Subscribed to" in done.plain_text
    assert await chat_subscriptions(database, CHANNEL) == [(DEMO_SLUG, DEMO_TITLE)]


async def test_help_and_which_topic_offer_the_picker_in_private_chats_only(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    await create_new_topic(database, OWNER_ID, "other-talks", "Other talks")
    double.add_private_chat(READER)
    reader = Chatter(double, READER, READER)
    (help_text,) = await reader.says("/help")
    assert buttons_of(help_text) == {"📣 Subscribe a channel": "pickchat"}
    (question,) = await reader.says("/subscribe")
    assert buttons_of(question)["📣 Subscribe a channel"] == "pickchat"
    group = -1_008_100
    double.add_group(group, "Club", admins={OWNER_ID})
    before = len(double.messages_to(group))
    double.user_sends(group, "/help", user_id=OWNER_ID)
    (group_help,) = (await double.wait_for_messages(group, before + 1))[before:]
    assert group_help.reply_markup is None
