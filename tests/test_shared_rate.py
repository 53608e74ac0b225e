"""One rate for all worker processes on PostgreSQL: `roundwatch worker` processes and an
ingress, against a double that enforces Telegram's limits (a lowered overall limit, so that a
broadcast of thousands takes seconds)."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.delivery.shared_pace import SharedPace
from bot.posting.demo_data import DEMO_SLUG, DEMO_TITLE, ROUND_ONE_CARD, ROUND_TWO_CARD
from bot.posting.publish import create_new_topic, preview_post, publish_post
from bot.sandbox import BotApiDouble, RateLimits
from storage.database import Database
from storage.migrate import upgrade_database
from storage.models import Chat, Subscription, Topic
from tests.conftest import OWNER_ID

LIMIT = 30.0
FIRST_CHAT = 50_000
# Pacing is judged only on a machine with CPU to spare: with several bot processes, PostgreSQL
# and the double starved of CPU, event loops wake tens of milliseconds late and land sends
# inside the double's burst tolerance, which says nothing about the coordination.
SATURATED_LOAD_PER_CORE = 1.5


def judge_pacing(stats: object) -> None:
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    if load > SATURATED_LOAD_PER_CORE:
        pytest.skip(f"delivery checked; pacing not judged at load {load:.1f} per core: {stats}")


ROUND_THREE_CARD = (
    ROUND_ONE_CARD.replace("round: 1", "round: 3")
    .replace("First round of talks held in Doha", "Third round of talks held in Riyadh")
    .replace("2026-10-18..2026-10-19", "2026-11-20..2026-11-21")
    .replace("place: Doha, Qatar", "place: Riyadh, Saudi Arabia")
)
TITLES = (
    "First round of talks held in Doha",
    "Istanbul",
    "Third round of talks held in Riyadh",
)


@pytest.fixture
async def limited_double() -> AsyncIterator[BotApiDouble]:
    async with BotApiDouble(limits=RateLimits(global_per_second=LIMIT)) as double:
        yield double


@pytest.fixture
async def postgres(postgres_url: str) -> AsyncIterator[Database]:
    database = Database(postgres_url)
    await upgrade_database(database)
    yield database
    await database.dispose()


async def subscribed_chats(double: BotApiDouble, database: Database, count: int) -> list[int]:
    chat_ids = list(range(FIRST_CHAT, FIRST_CHAT + count))
    for chat_id in chat_ids:
        double.add_private_chat(chat_id)
    await create_new_topic(database, OWNER_ID, DEMO_SLUG, DEMO_TITLE)
    async with database.transaction() as session:
        topic = (await session.execute(Topic.__table__.select())).one()  # type: ignore[attr-defined]
        chats = [Chat(telegram_id=chat_id, type="private") for chat_id in chat_ids]
        session.add_all(chats)
        await session.flush()
        session.add_all(Subscription(chat_id=chat.id, topic_id=topic.id) for chat in chats)
    return chat_ids


async def publish(database: Database, card: str) -> None:
    preview = await preview_post(database, OWNER_ID, DEMO_SLUG, card)
    assert preview.post_id is not None, preview
    await publish_post(database, preview.post_id, OWNER_ID)


def environment(double: BotApiDouble, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": double.token,
        "DATABASE_URL": database_url,
        "TELEGRAM_API_BASE_URL": double.base_url,
        "ROUNDWATCH_CHECK_INTERVAL": "0.2",
        "ROUNDWATCH_SEND_RATE": str(LIMIT),
    }


@asynccontextmanager
async def processes(
    commands: list[list[str]], env: dict[str, str], cwd: Path
) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    started = []
    try:
        for number, command in enumerate(commands):
            log = (cwd / f"process-{number}.log").open("wb")
            started.append(
                await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", *command, env=env, cwd=cwd, stderr=log
                )
            )
            log.close()
        yield started
    finally:
        for process in started:
            if process.returncode is None:
                process.terminate()
        for process in started:
            await asyncio.wait_for(process.wait(), 30)


WORKERS = [["worker"], ["worker"], ["worker"]]
INGRESS = [["run", "--no-dispatch"]]


async def sent_at_least(double: BotApiDouble, count: int) -> None:
    """Starting a process takes seconds on a busy machine, so the wait runs from the first
    send; a moment more shows that nothing beyond `count` follows."""
    await double.wait_for(lambda: double.stats.accepted_sends > 0, timeout=60)
    try:
        await double.wait_for(lambda: double.stats.accepted_sends >= count, timeout=120)
    except TimeoutError:
        raise AssertionError(
            f"{double.stats.accepted_sends} of {count} sent; {double.stats}"
        ) from None
    await asyncio.sleep(0.5)


def alerts_per_chat(double: BotApiDouble, chat_ids: list[int]) -> list[int]:
    return [len(double.messages_to(chat_id)) for chat_id in chat_ids]


@pytest.mark.timeout(240)
async def test_three_workers_share_one_rate_at_the_limit(
    tmp_path: Path, limited_double: BotApiDouble, postgres: Database
) -> None:
    double = limited_double
    chats = await subscribed_chats(double, postgres, 900)
    await publish(postgres, ROUND_TWO_CARD)
    async with processes(INGRESS + WORKERS, environment(double, postgres.url), tmp_path):
        await sent_at_least(double, len(chats))
    assert alerts_per_chat(double, chats) == [1] * len(chats)
    judge_pacing(double.stats)
    # Three processes each pacing itself at the limit would be answered 429 on most sends, and
    # each would go on sending through the others' pauses.
    assert double.stats.sent_during_pause == 0
    assert double.stats.too_many_requests == 0, double.stats
    moments = sorted(message.at for message in double.sent)
    # The double lets a burst of `global_burst` through at once; the rate is that of the rest.
    burst = RateLimits().global_burst
    rate = (len(moments) - burst) / (moments[-1] - moments[0])
    assert 0.95 * LIMIT <= rate <= LIMIT, rate


@pytest.mark.timeout(240)
async def test_a_429_received_by_one_worker_pauses_all_of_them(
    tmp_path: Path, limited_double: BotApiDouble, postgres: Database
) -> None:
    double = limited_double
    chats = await subscribed_chats(double, postgres, 450)
    double.flood_next(chats[150], retry_after=2)
    await publish(postgres, ROUND_TWO_CARD)
    async with processes(WORKERS, environment(double, postgres.url), tmp_path):
        await sent_at_least(double, len(chats))
    assert alerts_per_chat(double, chats) == [1] * len(chats)
    assert double.stats.too_many_requests >= 1
    judge_pacing(double.stats)
    assert double.stats.sent_during_pause == 0
    moments = sorted(message.at for message in double.sent)
    assert max(b - a for a, b in itertools.pairwise(moments)) >= 1.9


@pytest.mark.timeout(240)
async def test_updates_published_while_no_worker_runs_arrive_in_order(
    tmp_path: Path, limited_double: BotApiDouble, postgres: Database
) -> None:
    double = limited_double
    chats = await subscribed_chats(double, postgres, 60)
    for card in (ROUND_ONE_CARD, ROUND_TWO_CARD, ROUND_THREE_CARD):
        await publish(postgres, card)
    async with processes(WORKERS, environment(double, postgres.url), tmp_path):
        await sent_at_least(double, 3 * len(chats))
    for chat_id in chats:
        texts = [message.plain_text for message in double.messages_to(chat_id)]
        assert len(texts) == 3, (chat_id, texts)
        assert [title in text for title, text in zip(TITLES, texts, strict=True)] == [True] * 3
    judge_pacing(double.stats)
    assert double.stats.sent_during_pause == 0
    assert double.stats.too_many_requests == 0, double.stats


async def test_a_worker_takes_only_the_slots_it_has_a_send_for(postgres: Database) -> None:
    """At a pace far above what the workers send (the paid 1,000/s), a worker that took a fifth
    of a second of slots for its one waiting send would hand the next worker a slot behind
    them, nobody would use them, and the workers would take turns instead of sending together.
    """
    other_process = Database(postgres.url)
    try:
        paces = [SharedPace(postgres, 1000.0), SharedPace(other_process, 1000.0)]
        for _ in range(5):
            await paces[0].next_slot()
            slot = await paces[1].next_slot()
            answered = time.monotonic()
            # Half the fifth of a second; the rest is room for placing the clocks.
            assert slot - answered < 0.1, (slot, answered)
        several = await asyncio.gather(*(paces[0].next_slot() for _ in range(5)))
    finally:
        await other_process.dispose()
    assert all(b - a >= 0.001 - 1e-9 for a, b in itertools.pairwise(several)), several
