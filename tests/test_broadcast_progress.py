"""Broadcast progress: after Publish the admin's confirmation becomes a live progress message,
edited at most once per interval, ending with counts that match what the double delivered."""

from __future__ import annotations

import re
from contextlib import AsyncExitStack
from itertools import pairwise

from bot.app import build_application, running_bot
from bot.posting.demo_data import DEMO_SLUG, ROUND_ONE_CARD, ROUND_TWO_CARD
from bot.posting.progress_text import progress_text
from bot.reading.subscriptions import ChatRef, subscribe_chat
from bot.sandbox import BotApiDouble, SentMessage
from storage.broadcast_progress import DeliveryCounts
from storage.database import Database
from tests.conftest import OWNER_ID, StartBot, buttons_of, make_settings
from tests.preview_steps import STRANGER, Desk, open_desk

READERS = list(range(300, 340))
BLOCKED, REFUSING = READERS[0], READERS[1]
INTERVAL = 1.0
SLOW = {
    "ROUNDWATCH_PROGRESS_INTERVAL": INTERVAL,
    "ROUNDWATCH_SEND_RATE": 10,
    "ROUNDWATCH_SEND_CONCURRENCY": 2,
}
DONE = re.compile(r"Done in .*: sent (\d+) · pending (\d+) · failed (\d+) · skipped (\d+)")


async def desk_with_readers(double: BotApiDouble, database: Database) -> Desk:
    desk = await open_desk(double, [])
    for reader in READERS:
        double.add_private_chat(reader)
        await subscribe_chat(database, ChatRef(reader, "private", None), DEMO_SLUG)
    return desk


async def published(desk: Desk, card: str) -> SentMessage:
    """The confirmation message that Publish answers with."""
    preview = await desk.preview(card)
    (confirmation,) = await desk.owner.presses(preview, buttons_of(preview)["✅ Publish"])
    assert "Published" in confirmation.plain_text
    return confirmation


async def final_counts(desk: Desk, confirmation: SentMessage) -> tuple[int, int, int, int]:
    await desk.double.wait_for(
        lambda: DONE.search(desk.shown(confirmation).plain_text) is not None, timeout=30
    )
    match = DONE.search(desk.shown(confirmation).plain_text)
    assert match is not None
    sent, pending, failed, skipped = (int(group) for group in match.groups())
    return sent, pending, failed, skipped


def delivered_alerts(double: BotApiDouble, headline_word: str) -> int:
    return sum(
        1
        for reader in READERS
        for message in double.messages_to(reader)
        if headline_word in message.plain_text
    )


async def test_the_progress_message_ends_with_the_counts_the_double_recorded(
    double: BotApiDouble, bot_for: StartBot, database: Database
) -> None:
    await bot_for(**SLOW, ROUNDWATCH_RETRY_FOR=0)
    desk = await desk_with_readers(double, database)
    double.block(BLOCKED)
    double.fail_next(REFUSING, 5)
    confirmation = await published(desk, ROUND_ONE_CARD)

    sent, pending, failed, skipped = await final_counts(desk, confirmation)
    assert sent == delivered_alerts(double, "First round of talks held in Doha") == len(READERS) - 2
    assert (pending, failed, skipped) == (0, 1, 1)
    edits = [
        e for e in double.edits if e.chat_id == OWNER_ID and e.message_id == confirmation.message_id
    ]
    running = [e for e in edits if "Done in" not in e.plain_text]
    assert any("msg/s" in e.plain_text or "measuring" in e.plain_text for e in running)
    assert all(later.at - earlier.at >= INTERVAL * 0.9 for earlier, later in pairwise(running))
    assert sum("Done in" in e.plain_text for e in edits) == 1

    final = desk.shown(confirmation)
    assert set(buttons_of(final)) == {"✏️ Correct", "⚠️ Failures"}
    answer = await desk.press(final, buttons_of(final)["⚠️ Failures"], user_id=STRANGER)
    assert answer.show_alert and "Only Roundwatch admins" in (answer.text or "")
    (failures,) = await desk.owner.presses(final, buttons_of(final)["⚠️ Failures"])
    assert str(REFUSING) in failures.plain_text


async def test_two_broadcasts_at_once_each_have_their_own_progress(
    double: BotApiDouble, bot_for: StartBot, database: Database
) -> None:
    await bot_for(ROUNDWATCH_PROGRESS_INTERVAL=INTERVAL)
    desk = await desk_with_readers(double, database)
    first = await published(desk, ROUND_ONE_CARD)
    second = await published(desk, ROUND_TWO_CARD)
    assert await final_counts(desk, first) == (len(READERS), 0, 0, 0)
    assert await final_counts(desk, second) == (len(READERS), 0, 0, 0)
    assert delivered_alerts(double, "First round of talks held in Doha") == len(READERS)
    assert delivered_alerts(double, "Second round of talks begins in Istanbul") == len(READERS)
    assert buttons_of(desk.shown(first)) == {"✏️ Correct": "howfix:1"}
    assert "(post 2)" in desk.shown(second).plain_text


async def test_progress_goes_on_after_a_restart(
    double: BotApiDouble, database: Database, database_url: str
) -> None:
    settings = make_settings(double, database_url, **SLOW)
    async with AsyncExitStack() as first_run:
        await first_run.enter_async_context(running_bot(build_application(settings, database)))
        desk = await desk_with_readers(double, database)
        confirmation = await published(desk, ROUND_ONE_CARD)
        await double.wait_for(lambda: delivered_alerts(double, "First round") >= 2, timeout=10)
    assert delivered_alerts(double, "First round") < len(READERS)
    async with running_bot(build_application(settings, database)):
        assert await final_counts(desk, confirmation) == (len(READERS), 0, 0, 0)
    assert delivered_alerts(double, "First round") >= len(READERS)


def test_the_running_text_shows_rate_and_time_left() -> None:
    counts = DeliveryCounts(sent=100, pending=900, held=0, failed=0, skipped=0, fanned_out=True)
    text = progress_text("Round 3 · Talks", 7, DEMO_SLUG, counts, 30.0, 4)
    assert "10%" in text and "30.0 msg/s" in text and "about 30 s left" in text
    assert "sent 100 · pending 900 · failed 0 · skipped 0" in text
