"""Claims and the idle tick as the deliveries table grows, and pruning it back, on PostgreSQL.

Three tables are measured alike: a small one (one open delivery per chat, nothing else), the
same with a year's worth of history (1,000,000 rows in all, most sent long before the pruning
age), and that one after the real pruner (`DeliveryPruner`) has deleted what is older than the
default 90 days, batch by batch. The figures are a claim of 32 due rows (rolled back, so
every sample claims the same rows) and a dispatcher tick with nothing due (the open rows are
then waiting for a retry an hour away). The history goes in with one INSERT ... SELECT per age,
and `ANALYZE` runs after it, as autovacuum would have long since on a table grown over a year.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, literal, select, text, update

from bench.scratch_postgres import scratch_postgres
from bench.seeding import (
    DELIVERIES,
    add_private_subscribers,
    add_sent_deliveries,
    create_topic_schema,
    publish_round_two,
)
from bot.app import build_application
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.fanout import fan_out_published_posts
from bot.delivery.pruning import DeliveryPruner
from bot.runtime import RUNTIME_KEY
from storage.database import Database
from storage.deliveries import claim_due_deliveries
from storage.models import utc_now

GROWTH_CHATS = 10_000
OLD_UPDATES = 90  # 900,000 deliveries sent 120 days ago, older than the pruning age
RECENT_UPDATES = 9  # 90,000 sent 10 days ago, kept; with one open per chat, 1,000,000 rows
OLD_AGE = timedelta(days=120)
RECENT_AGE = timedelta(days=10)
CLAIM_ROWS = 32
WARMUP = 5
SAMPLES = 50
OFFLINE_TOKEN = "123456:BENCH"
OFFLINE_API_URL = "http://127.0.0.1:9/bot"  # the discard port: an idle tick never calls it


@dataclass(frozen=True)
class TableFigures:
    rows: int
    claim_ms: float
    tick_ms: float
    empty_ms: float

    def describe(self) -> str:
        return (
            f"{self.rows:>9,} rows: claim of {CLAIM_ROWS} {self.claim_ms:6.2f} ms, idle tick "
            f"{self.tick_ms:6.2f} ms, empty transaction {self.empty_ms:5.2f} ms"
        )


@dataclass(frozen=True)
class PruningFigures:
    pruned: int
    batches: int
    longest_ms: float
    total_seconds: float


async def median_ms(sample: Callable[[], Awaitable[float]]) -> float:
    for _ in range(WARMUP):
        await sample()
    return statistics.median([await sample() for _ in range(SAMPLES)]) * 1000


async def timed_claim(database: Database) -> float:
    """The claim alone, on a connection checked out and in a transaction before the clock
    starts; rolled back, so the same rows are due for the next sample."""
    async with database.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        started = time.perf_counter()
        claimed = await claim_due_deliveries(connection, limit=CLAIM_ROWS)
        seconds = time.perf_counter() - started
        await connection.rollback()
    if len(claimed) != CLAIM_ROWS:
        raise RuntimeError(f"a claim of {CLAIM_ROWS} found {len(claimed)} due rows")
    return seconds


async def timed_tick(dispatcher: Dispatcher) -> float:
    started = time.perf_counter()
    await dispatcher.tick()
    return time.perf_counter() - started


async def timed_empty_transaction(database: Database) -> float:
    started = time.perf_counter()
    async with database.transaction() as session:
        await session.execute(text("SELECT 1"))
    return time.perf_counter() - started


async def open_rows_due_in(database: Database, delay: timedelta) -> None:
    async with database.transaction() as session:
        await session.execute(
            update(DELIVERIES)
            .where(DELIVERIES.c.state == "pending")
            .values(next_attempt_at=literal(utc_now() + delay, DELIVERIES.c.next_attempt_at.type))
        )


async def row_count(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(DELIVERIES)) or 0)


async def analyze(database: Database) -> None:
    async with database.engine.connect() as connection:
        await connection.execute(text("ANALYZE deliveries"))
        await connection.commit()


async def measure(database: Database, dispatcher: Dispatcher) -> TableFigures:
    await open_rows_due_in(database, timedelta(0))
    claim_ms = await median_ms(lambda: timed_claim(database))
    await open_rows_due_in(database, timedelta(hours=1))
    tick_ms = await median_ms(lambda: timed_tick(dispatcher))
    empty_ms = await median_ms(lambda: timed_empty_transaction(database))
    return TableFigures(await row_count(database), claim_ms, tick_ms, empty_ms)


async def prune_in_batches(database: Database, keep: timedelta) -> PruningFigures:
    """The scheduler's pruner with a zero time budget does exactly one batch a pass, so each
    batch is timed on its own; passes repeat until one finds less than a full batch."""
    pruner = DeliveryPruner(time_budget=0.0)
    batches: list[float] = []
    pruned = 0
    while True:
        started = time.perf_counter()
        deleted = await pruner.prune(database, utc_now(), keep)
        batches.append(time.perf_counter() - started)
        pruned += deleted
        if deleted < pruner.batch_rows:
            break
    return PruningFigures(pruned, len(batches), max(batches) * 1000, sum(batches))


def offline_dispatcher(database: Database) -> Dispatcher:
    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=OFFLINE_TOKEN,
        TELEGRAM_API_BASE_URL=OFFLINE_API_URL,
        DATABASE_URL=database.url,
    )
    dispatcher: Dispatcher = build_application(settings, database).bot_data[RUNTIME_KEY].dispatcher
    return dispatcher


async def bench_growth(chats: int = GROWTH_CHATS) -> None:
    async with scratch_postgres() as database:
        topic_id = await create_topic_schema(database)
        await add_private_subscribers(database, topic_id, range(1, chats + 1))
        await publish_round_two(database)
        await fan_out_published_posts(database)
        await analyze(database)
        dispatcher = offline_dispatcher(database)
        small = await measure(database, dispatcher)
        started = time.perf_counter()
        await add_sent_deliveries(database, topic_id, OLD_UPDATES, OLD_AGE)
        await add_sent_deliveries(database, topic_id, RECENT_UPDATES, RECENT_AGE)
        await analyze(database)
        setup_seconds = time.perf_counter() - started
        grown = await measure(database, dispatcher)
        keep = timedelta(days=Settings.model_fields["prune_after_days"].default)
        pruning = await prune_in_batches(database, keep)
        pruned = await measure(database, dispatcher)
        await analyze(database)
        analyzed = await measure(database, dispatcher)
    print(
        f"growth: PostgreSQL, medians of {SAMPLES} after {WARMUP} warm-up; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    print(f"  small table         {small.describe()}", flush=True)
    print(f"  grown, before prune {grown.describe()}", flush=True)
    print(f"  right after pruning {pruned.describe()}", flush=True)
    print(f"  after ANALYZE       {analyzed.describe()}", flush=True)
    print(
        f"  pruning (older than {keep.days} days): {pruning.pruned:,} rows in {pruning.batches} "
        f"batches of {DeliveryPruner.batch_rows}, longest batch {pruning.longest_ms:.1f} ms, "
        f"total {pruning.total_seconds:.1f} s; history inserted in {setup_seconds:.1f} s",
        flush=True,
    )
    print(
        f"  grown over small: claim {grown.claim_ms / small.claim_ms:.2f}×, idle tick "
        f"{grown.tick_ms / small.tick_ms:.2f}× (goal: flat); idle tick over an empty "
        f"transaction on the grown table {grown.tick_ms / grown.empty_ms:.2f}× (goal ≤ 2×)",
        flush=True,
    )
