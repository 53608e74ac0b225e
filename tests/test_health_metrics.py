"""The operator's endpoint: /metrics agrees with what the double recorded, the queue gauges
read the database at scrape time, and /healthz turns 503 when the database goes away."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import aiohttp
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from telegram.ext import Application

from bot.app import build_application, running_bot
from bot.delivery.fanout import fan_out_published_posts
from bot.runtime import RUNTIME_KEY
from bot.sandbox import BotApiDouble
from storage.database import Database, async_database_url
from storage.models import Delivery, utc_now
from tests.conftest import POSTGRES_URL, StartBot, make_settings, wait_for_states
from tests.test_delivery import subscribers
from tests.test_outbox import publish_rendered

TERMINATE_CONNECTIONS = text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
)
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def endpoint(application: Application) -> str:
    health = application.bot_data[RUNTIME_KEY].health
    assert health is not None
    return f"http://127.0.0.1:{health.port}"


async def scrape(application: Application) -> Samples:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{endpoint(application)}/metrics") as answer,
    ):
        assert answer.status == 200
        assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        body = await answer.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    matching = [v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= set(ls)]
    assert matching, f"no sample {name} {labels}"
    return sum(matching)


async def health(application: Application) -> tuple[int, dict[str, object]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{endpoint(application)}/healthz") as answer,
    ):
        return answer.status, await answer.json()


async def test_metrics_count_what_the_double_recorded_after_a_broadcast(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    chats = await subscribers(double, database, 6)
    double.block(chats[0])
    double.fail_next(chats[1], 1, status=502)
    application = await bot_for(
        ROUNDWATCH_HEALTH_PORT=0, ROUNDWATCH_WORKER_ID="w1", ROUNDWATCH_RETRY_FOR=0
    )
    await publish_rendered(database, "Round 2 begins in Istanbul")
    await wait_for_states(database, Counter(sent=4, skipped=1, failed=1))

    samples = await scrape(application)
    assert value(samples, "roundwatch_deliveries_sent_total", worker="w1") == 4
    assert double.stats.accepted_sends == 4
    assert value(samples, "roundwatch_deliveries_failed_total") == double.stats.rejected[502] == 1
    skipped = value(
        samples, "roundwatch_deliveries_skipped_total", reason="bot was blocked by the user"
    )
    assert skipped == double.stats.rejected[403] == 1
    throttled = value(samples, "roundwatch_too_many_requests_total")
    assert throttled == double.stats.too_many_requests == 0
    assert value(samples, "roundwatch_send_seconds_count") == 6
    assert value(samples, "roundwatch_tick_seconds_count") >= 1
    assert value(samples, "roundwatch_lease_takeovers_total") == 0
    assert value(samples, "roundwatch_queue_depth", state="pending") == 0
    assert value(samples, "roundwatch_queue_due") == 0


async def test_queue_gauges_read_the_database_on_each_scrape(
    double: BotApiDouble, database: Database, database_url: str
) -> None:
    await subscribers(double, database, 3)
    settings = make_settings(double, database_url, ROUNDWATCH_HEALTH_PORT=0)
    async with running_bot(build_application(settings, database, dispatch=False)) as application:
        await publish_rendered(database, "Round 2 begins in Istanbul")
        await fan_out_published_posts(database)
        async with database.transaction() as session:
            await session.execute(
                update(Delivery).values(next_attempt_at=utc_now() - timedelta(minutes=5))
            )
        samples = await scrape(application)
        assert value(samples, "roundwatch_queue_depth", state="pending") == 3
        assert value(samples, "roundwatch_queue_depth", state="leased") == 0
        assert value(samples, "roundwatch_queue_due") == 3
        assert 300 <= value(samples, "roundwatch_oldest_due_delivery_age_seconds") < 400

        async with database.transaction() as session:
            await session.execute(update(Delivery).values(state="sent", sent_at=utc_now()))
        samples = await scrape(application)
        assert value(samples, "roundwatch_queue_depth", state="pending") == 0
        assert value(samples, "roundwatch_oldest_due_delivery_age_seconds") == 0


def has_ticked(body: dict[str, object]) -> bool:
    scheduler = body["scheduler"]
    return isinstance(scheduler, dict) and scheduler["last_tick_age_seconds"] is not None


async def wait_for_health(
    application: Application,
    status: int,
    also: Callable[[dict[str, object]], bool] = lambda _: True,
) -> dict[str, object]:
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        code, body = await health(application)
        if code == status and also(body):
            return body
        assert asyncio.get_running_loop().time() < deadline, body
        await asyncio.sleep(0.1)


async def test_healthz_turns_503_while_the_database_is_away(
    double: BotApiDouble, database: Database, database_url: str, bot_for: StartBot
) -> None:
    application = await bot_for(ROUNDWATCH_HEALTH_PORT=0)
    body = await wait_for_health(application, 200, has_ticked)
    assert body["status"] == "ok"
    assert body["database"] == {"reachable": True, "error": None}
    scheduler = body["scheduler"]
    assert isinstance(scheduler, dict) and scheduler["running"] is True
    assert 0 <= scheduler["last_tick_age_seconds"] < scheduler["stale_after_seconds"]
    assert body["taking_updates"] is True

    if database.local:
        # Another process's lock, taken off the event loop, which must go on committing.
        path = make_url(database_url).database or ""
        lock = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        await asyncio.to_thread(lock.execute, "BEGIN EXCLUSIVE")
        try:
            body = await wait_for_health(application, 503)
        finally:
            await asyncio.to_thread(lock.execute, "ROLLBACK")
            lock.close()
    else:
        name = make_url(database_url).database
        admin = create_async_engine(async_database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                await connection.execute(TERMINATE_CONNECTIONS, {"name": name})
            body = await wait_for_health(application, 503)
        finally:
            async with admin.connect() as connection:
                await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            await admin.dispose()
    assert body["status"] == "unhealthy"
    database_state = body["database"]
    assert isinstance(database_state, dict) and database_state["reachable"] is False
    assert database_state["error"]

    await wait_for_health(application, 200)
