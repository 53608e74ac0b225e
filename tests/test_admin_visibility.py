"""What admins see about delivery: /stats, /failures, and notices about rejected alerts."""

from __future__ import annotations

import re
from collections import Counter

from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic, preview_post, publish_post
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.sandbox import BotApiDouble
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import Post
from tests.conftest import OWNER_ID, Chatter, StartBot, wait_for_states

READER, BLOCKED, BROKEN = 200, 201, 202


async def prepare(double: BotApiDouble, database: Database) -> None:
    await upgrade_database(database)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    double.add_private_chat(OWNER_ID)
    for chat_id in (READER, BLOCKED, BROKEN):
        double.add_private_chat(chat_id)
        await subscribe_chat(database, ChatRef(chat_id, "private", None), DEMO_SLUG)


async def test_stats_and_failures_show_what_happened_to_each_delivery(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    await prepare(double, database)
    double.block(BLOCKED)
    double.fail_next(BROKEN, 100, status=500)
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, ROUND_TWO_CARD)
    await publish_post(database, preview.post_id, OWNER_ID)
    await bot_for(ROUNDWATCH_RETRY_FOR=0.1, ROUNDWATCH_RETRY_DELAY=0.05)
    await double.wait_for(lambda: double.stats.rejected[500] >= 2, timeout=20)
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    await wait_for_states(database, Counter({"sent": 1, "failed": 1, "skipped": 1}))
    stats = (await owner.says("/stats"))[0].plain_text
    assert f"{DEMO_SLUG}: 2 subscribers · 0 pending · 1 sent · 1 failed · 1 skipped" in stats
    assert "Last check: 20" in stats
    failures = (await owner.says("/failures"))[0].plain_text
    assert re.search(rf"{DEMO_SLUG} post {preview.post_id} → {BROKEN} \(\d+ attempts\)", failures)
    assert "Internal Server Error" in failures or "500" in failures
    (refusal,) = await Chatter(double, READER, READER).says("/stats")
    assert "only Roundwatch admins" in refusal.plain_text


async def test_an_alert_telegram_cannot_parse_goes_out_as_plain_text_and_admins_hear_of_it(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    await prepare(double, database)
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, ROUND_TWO_CARD)
    await publish_post(database, preview.post_id, OWNER_ID)
    async with database.transaction() as session:
        update = await session.get(Post, preview.post_id)
        assert update is not None
        update.rendered = "<b>Round 2 &amp; a broken <i>tag</b>"
    await bot_for()
    await double.wait_for(lambda: len(double.messages_to(READER)) == 1, timeout=20)
    (alert,) = double.messages_to(READER)
    assert alert.parse_mode is None
    assert alert.text == "Round 2 & a broken tag"
    await double.wait_for(lambda: len(double.messages_to(OWNER_ID)) == 1, timeout=20)
    (notice,) = double.messages_to(OWNER_ID)
    assert f"Post {preview.post_id}" in notice.plain_text
    assert "plain text" in notice.plain_text
    await wait_for_states(database, Counter({"sent": 3}))
    assert len(double.messages_to(OWNER_ID)) == 1
