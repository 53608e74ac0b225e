"""In a forum supergroup the bot answers in the thread it was asked in, never in General."""

from __future__ import annotations

from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from tests.conftest import OWNER_ID, buttons_of
from tests.test_digests import publish

FORUM = -1_007_000
THREAD = 41
MEMBER = 7_001


async def asks_in_thread(
    double: BotApiDouble, text: str, thread_id: int | None, user_id: int = OWNER_ID
) -> SentMessage:
    before = len(double.messages_to(FORUM))
    double.user_sends(FORUM, text, user_id=user_id, thread_id=thread_id)
    await double.wait_for_messages(FORUM, before + 1)
    return double.messages_to(FORUM)[before]


async def test_every_command_is_answered_in_the_thread_it_was_sent_in(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    for card in (ROUND_ONE_CARD, ROUND_TWO_CARD):
        await publish(database, card)
    double.add_group(FORUM, "Negotiations", type="supergroup", admins={OWNER_ID}, forum=True)
    for command in (
        "/latest",
        f"/history {DEMO_SLUG}",
        "/parties",
        "/subscribe",
        "/subscriptions",
        "/settings",
        "/help",
        "/latest nope",
        "/timeline",
    ):
        answer = await asks_in_thread(double, command, THREAD)
        assert answer.thread_id == THREAD, f"{command} was answered in thread {answer.thread_id}"
    refused = await asks_in_thread(double, "/unsubscribe", THREAD, user_id=MEMBER)
    assert "administrators" in refused.plain_text and refused.thread_id == THREAD
    in_general = await asks_in_thread(double, "/latest", None)
    assert "Istanbul" in in_general.plain_text and in_general.thread_id is None


async def test_a_button_pressed_in_a_thread_is_answered_in_that_thread(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    await create_new_topic(database, OWNER_ID, "other-talks", "Other talks")
    double.add_group(FORUM, "Negotiations", type="supergroup", admins={OWNER_ID}, forum=True)
    question = await asks_in_thread(double, "/subscribe", THREAD)
    assert question.thread_id == THREAD
    follow = next(data for data in buttons_of(question).values() if data == f"sub:{DEMO_SLUG}")
    before = len(double.messages_to(FORUM))
    double.user_presses(FORUM, question.message_id, follow, user_id=OWNER_ID)
    (answer,) = (await double.wait_for_messages(FORUM, before + 1))[before:]
    assert "Subscribed to" in answer.plain_text and answer.thread_id == THREAD
