"""In a forum supergroup, alerts go to the topic (thread) the subscription was made in."""

from __future__ import annotations

from sqlalchemy import select
from telegram.ext import Application

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic
from bot.reading.delivery_settings import change_settings, choose_delivery, choose_hour
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.models import Delivery, Subscription
from tests.conftest import OWNER_ID
from tests.test_digests import (
    Bots,
    MovableClock,
    clocked_bot,
    publish,
    topic_with_reader,
    utc,
    wait_for_periods,
)

__all__ = ["clocked_bot"]  # the fixture, used here by name

FORUM = -1_005_000
NEWS_THREAD = 77


async def test_alerts_go_to_the_forum_thread_the_subscription_was_made_in(
    double: BotApiDouble, database: Database, app: Application
) -> None:
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    double.add_group(FORUM, "Negotiations", type="supergroup", admins={OWNER_ID}, forum=True)
    before = len(double.messages_to(FORUM))
    double.user_sends(FORUM, f"/subscribe {DEMO_SLUG}", user_id=OWNER_ID, thread_id=NEWS_THREAD)
    await double.wait_for_messages(FORUM, before + 1)
    async with database.session() as session:
        (subscription,) = await session.scalars(select(Subscription))
    assert subscription.message_thread_id == NEWS_THREAD
    await publish(database, ROUND_TWO_CARD)
    await double.wait_for(
        lambda: any("Istanbul" in m.plain_text for m in double.messages_to(FORUM))
    )
    alerts = [m for m in double.messages_to(FORUM) if "Istanbul" in m.plain_text]
    assert [m.thread_id for m in alerts] == [NEWS_THREAD] * len(alerts)
    async with database.session() as session:
        (delivery,) = await session.scalars(select(Delivery))
    assert delivery.message_thread_id == NEWS_THREAD


async def test_a_forum_digest_goes_to_the_thread_its_news_is_followed_in(
    double: BotApiDouble, database: Database, clocked_bot: Bots
) -> None:
    await topic_with_reader(double, database)
    double.add_group(FORUM, "Negotiations", type="supergroup", admins={OWNER_ID}, forum=True)
    forum = ChatRef(FORUM, "supergroup", "Negotiations", thread_id=NEWS_THREAD)
    await subscribe_chat(database, forum, DEMO_SLUG)
    for change in (choose_delivery("daily"), choose_hour(8)):
        await change_settings(database, forum, change)
    clock = MovableClock(utc(2026, 6, 1, 12))
    await clocked_bot.start(clock)
    await publish(database, ROUND_TWO_CARD)
    await wait_for_periods(database, ["2026-06-02"])
    clock.now = utc(2026, 6, 2, 8, 0, 30)
    await double.wait_for_messages(FORUM, 1)
    (digest,) = double.messages_to(FORUM)
    assert "Daily digest" in digest.plain_text and digest.thread_id == NEWS_THREAD
