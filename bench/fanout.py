"""How fast one alert reaches its subscribers, and what the delivery machinery costs.

`python -m bench.fanout` prints, in one run, a machine line and four figures, each with its
goal:

1. limits: sending under Telegram's limits (the double enforces 30/s and answers 429 beyond)
   reaches 30/s without a single 429;
2. overhead: with no limits, the real pipeline (fan-out, claims, results recorded in shared commits)
   and a plain PTB send loop on the project's aiohttp request, each against a raw aiohttp POST
   loop to the same double, by rate and by the bot's CPU per message;
3. fanout: one update fanned out to 100,000 subscriptions, time and peak memory, in a fresh
   process so the peak is the fan-out's own;
4. idle: one scheduler tick with nothing due on a table of 1,000,000 sent deliveries, and the
   plan of the due-query;
5. workers (PostgreSQL, `bench.workers`): 20,000 deliveries sent by 1, 2 and 4 `roundwatch
   worker` processes with no limits, and three workers at the 30/s limit over 1,500 chats;
6. growth (PostgreSQL, `bench.growth`): a claim of 32 and the idle tick on a small table, on
   1,000,000 rows, and after the real pruner has deleted the old ones batch by batch.

The PostgreSQL parts create a database of their own on ROUNDWATCH_BENCH_POSTGRES (by default
the local server, user postgres) and drop it; without a server they say so and are left out.

The double runs in its own process (`bench.double_process`) so that the bot and the double do
not share one event loop's CPU. Everything lives in temporary directories that are removed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.constants import ParseMode

from bench import PROJECT_ROOT
from bench.double_process import DoubleProcess
from bench.growth import bench_growth
from bench.scratch_postgres import PostgresUnreachable, check_reachable
from bench.seeding import (
    add_private_subscribers,
    add_sent_history,
    create_topic_schema,
    publish_round_two,
)
from bench.workers import (
    LIMITED_CHATS,
    UNLIMITED_DELIVERIES,
    WORKER_COUNTS,
    bench_limited_workers,
    bench_workers,
)
from bot.app import build_application
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.fanout import fan_out_published_posts
from bot.delivery.sender import NO_PREVIEW
from bot.delivery.split import split_message
from bot.runtime import RUNTIME_KEY
from bot.telegram_request import AiohttpRequest
from storage.database import Database
from storage.deliveries import claim_due_deliveries
from storage.models import Delivery

LIMITED_SUBSCRIBERS = 1_500
OVERHEAD_SUBSCRIBERS = 3_000
FANOUT_SUBSCRIBERS = 100_000
OVERHEAD_ROUNDS = 5
# The unlimited pipeline keeps its rate limiter, set past what any run reaches: Telegram's own
# ceiling (the configuration's maximum, 1,000/s) would cap the very figure being measured.
PAST_REACH_RATE = 1_000_000.0
HISTORY_CHATS = 10_000
HISTORY_UPDATES = 100  # 100 updates × 10,000 chats = 1,000,000 sent deliveries
IDLE_WARMUP = 5
IDLE_SAMPLES = 50
IDLE_CLAIM_LIMIT = 16  # what the dispatcher claims at a time at the default concurrency of 8
OFFLINE_TOKEN = "123456:BENCH"
OFFLINE_API_URL = "http://127.0.0.1:9/bot"  # the discard port: an idle tick never calls it
DUE_INDEX = "ix_deliveries_due"

GOAL_LIMITED_RATIO = 0.95
GOAL_PIPELINE_OF_RAW = 0.45
GOAL_PLAIN_OF_RAW = 0.85
PAID_BROADCAST_RATE = 1000.0
GOAL_FANOUT_SECONDS = 2.0
GOAL_FANOUT_PEAK_MB = 200.0
GOAL_IDLE_OF_EMPTY = 2.0

PARTS = ("all", "limits", "overhead", "fanout", "idle", "workers", "growth")
FANOUT_CHILD = "fanout-child"


def bench_settings(token: str, api_base_url: str, database: Database, **overrides: Any) -> Settings:
    """The bot's settings as an operator would give them, never read from a local `.env`."""
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": api_base_url,
        "DATABASE_URL": database.url,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def scratch_database() -> AsyncIterator[Database]:
    """A fresh SQLite file in a temporary directory that goes away with it."""
    with tempfile.TemporaryDirectory(prefix="roundwatch-bench-") as directory:
        database = Database(f"sqlite:///{Path(directory) / 'bench.sqlite3'}")
        try:
            yield database
        finally:
            await database.dispose()


async def published_to_subscribers(database: Database, subscribers: int) -> str:
    """Chats 1..N subscribed to the demo topic and one update published; returns its text."""
    topic_id = await create_topic_schema(database)
    await add_private_subscribers(database, topic_id, range(1, subscribers + 1))
    _, rendered = await publish_round_two(database)
    return rendered


@asynccontextmanager
async def production_bot(settings: Settings, database: Database) -> AsyncIterator[Dispatcher]:
    """The bot exactly as `build_application` wires it (PTB's ExtBot, the project's rate
    limiter and request pool), initialized but not polling; yields its dispatcher."""
    application = build_application(settings, database)
    async with application:
        yield application.bot_data[RUNTIME_KEY].dispatcher


async def delivery_states(database: Database) -> Counter[str]:
    async with database.session() as session:
        rows = await session.execute(select(Delivery.state, func.count()).group_by(Delivery.state))
        return Counter({state: count for state, count in rows.all()})


async def timed(action: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await action()
    return time.perf_counter() - started


def ru_maxrss_mb() -> float:
    """getrusage's peak resident memory; Linux reports ru_maxrss in KiB. A child started by
    fork and exec inherits its parent's peak here, so it is printed only beside `proc_rss_mb`."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def proc_rss_mb(field: str) -> float:
    """`VmRSS` (now) or `VmHWM` (peak) from /proc/self/status, in MB: unlike ru_maxrss, they
    belong to this process image alone, and the peak can be reset (`reset_peak_rss`)."""
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name == field:
                return int(value.split()[0]) / 1024
    raise RuntimeError(f"/proc/self/status has no {field}")


def reset_peak_rss() -> None:
    """Linux sets VmHWM back to the current RSS when "5" is written to clear_refs."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def print_machine() -> None:
    print(
        f"machine: os.cpu_count()={os.cpu_count()}, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, python-telegram-bot {version('python-telegram-bot')}, "
        f"SQLAlchemy {version('SQLAlchemy')}, aiosqlite {version('aiosqlite')}",
        flush=True,
    )


async def bench_limits(subscribers: int) -> None:
    """The broadcast a real bot makes, paced by the project's limiter against a double that
    enforces Telegram's budgets. The update is fanned out before the clock starts, so the
    figure runs from the sending tick's start (its first send follows within milliseconds)
    to the last recorded delivery."""
    async with (
        DoubleProcess(subscribers, limits_enabled=True) as double,
        scratch_database() as database,
    ):
        await published_to_subscribers(database, subscribers)
        await fan_out_published_posts(database)
        settings = bench_settings(double.token, double.base_url, database)
        async with production_bot(settings, database) as dispatcher:
            elapsed = await timed(dispatcher.tick)
        counters = await double.stats()
        states = await delivery_states(database)
    rate = states["sent"] / elapsed
    goal_rate = settings.global_send_rate
    print(
        f"limits: {states['sent']} messages in {elapsed:.1f} s = {rate:.1f} msg/s = "
        f"{rate / goal_rate:.3f} of {goal_rate:g}/s, 429s: {counters.too_many_requests} "
        f"(goal ≥ {GOAL_LIMITED_RATIO}, 0)",
        flush=True,
    )
    print(
        f"  double accepted {counters.accepted_sends} sends, first to last in "
        f"{counters.accepted_span:.2f} s; rejected by status {dict(counters.rejected) or 'none'}; "
        f"sends during a 429 pause {counters.sent_during_pause}; "
        f"deliveries by state {dict(states)}",
        flush=True,
    )


async def raw_aiohttp_loop(
    base_url: str, token: str, chat_ids: range, parts: list[str], concurrency: int
) -> None:
    """The floor under everything: the same POSTs with aiohttp alone, no PTB, reading only the
    message id from each answer."""
    slots = asyncio.Semaphore(concurrency)
    url = f"{base_url}{token}/sendMessage"
    preview = json.dumps(NO_PREVIEW.to_dict())
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def send_to(chat_id: int) -> None:
            async with slots:
                for part in parts:
                    form = {
                        "chat_id": str(chat_id),
                        "text": part,
                        "parse_mode": ParseMode.HTML,
                        "link_preview_options": preview,
                    }
                    async with session.post(url, data=form) as response:
                        answer = json.loads(await response.read())
                    if not answer["ok"] or not answer["result"]["message_id"]:
                        raise RuntimeError(f"the double refused a raw send: {answer}")

        await asyncio.gather(*(send_to(chat_id) for chat_id in chat_ids))


async def send_without_database(
    bot: Bot, chat_ids: range, parts: list[str], concurrency: int
) -> None:
    """The floor the pipeline is compared with: the same sends with the same concurrency,
    nothing claimed or recorded."""
    slots = asyncio.Semaphore(concurrency)

    async def send_to(chat_id: int) -> None:
        async with slots:
            for part in parts:
                await bot.send_message(
                    chat_id, part, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                )

    await asyncio.gather(*(send_to(chat_id) for chat_id in chat_ids))


@dataclass(frozen=True)
class OverheadRun:
    """One timed broadcast; CPU is this process's (event loop and SQLite threads), which shows
    whether the bot side, not the double, bounds the rate."""

    messages: int
    seconds: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    @property
    def cpu_ms_per_message(self) -> float:
        return self.cpu_seconds / self.messages * 1000

    def describe(self) -> str:
        return f"{self.rate:.0f} msg/s ({self.cpu_ms_per_message:.2f} ms CPU/msg)"


async def measured_run(
    double: DoubleProcess, subscribers: int, action: Callable[[], Awaitable[object]]
) -> OverheadRun:
    """Times the action, then has the double confirm each subscriber got exactly one message."""
    cpu_before = time.process_time()
    seconds = await timed(action)
    cpu_seconds = time.process_time() - cpu_before
    counters = await double.stats()
    await double.reset_records()
    if counters.accepted_sends != subscribers or counters.rejected:
        raise RuntimeError(
            f"the double accepted {counters.accepted_sends} of {subscribers} sends, "
            f"rejected {dict(counters.rejected)}"
        )
    return OverheadRun(subscribers, seconds, cpu_seconds)


async def plain_loop_run(double: DoubleProcess, subscribers: int) -> OverheadRun:
    """PTB's own `Bot.send_message`, on the project's request class, nothing else around it."""
    async with scratch_database() as database:
        rendered = await published_to_subscribers(database, subscribers)
    concurrency = Settings.model_fields["send_concurrency"].default
    request = AiohttpRequest(connection_pool_size=concurrency)
    async with Bot(double.token, base_url=double.base_url, request=request) as bot:
        return await measured_run(
            double,
            subscribers,
            lambda: send_without_database(
                bot, range(1, subscribers + 1), split_message(rendered), concurrency
            ),
        )


async def raw_loop_run(double: DoubleProcess, subscribers: int, concurrency: int) -> OverheadRun:
    async with scratch_database() as database:
        rendered = await published_to_subscribers(database, subscribers)
    parts = split_message(rendered)
    chats = range(1, subscribers + 1)
    return await measured_run(
        double,
        subscribers,
        lambda: raw_aiohttp_loop(double.base_url, double.token, chats, parts, concurrency),
    )


async def pipeline_run(double: DoubleProcess, subscribers: int) -> OverheadRun:
    """Fan-out included: the plain loop has nothing like it, and the bot cannot skip it."""
    async with scratch_database() as database:
        await published_to_subscribers(database, subscribers)
        settings = bench_settings(double.token, double.base_url, database).model_copy(
            update={"send_rate": PAST_REACH_RATE}
        )
        async with production_bot(settings, database) as dispatcher:
            run = await measured_run(double, subscribers, dispatcher.tick)
        states = await delivery_states(database)
    if states != Counter({"sent": subscribers}):
        raise RuntimeError(f"the pipeline left deliveries {dict(states)}")
    return run


async def bench_overhead(subscribers: int) -> None:
    """Runs alternate so that a slow phase of the machine hits all sides alike, and each ratio
    is taken within one round, then the median over the rounds: this machine's speed moves by
    half between runs a minute apart, more than any difference measured. The floor is a raw
    aiohttp POST loop; the plain loop is PTB on the project's request class."""
    raw: list[OverheadRun] = []
    plain: list[OverheadRun] = []
    pipeline: list[OverheadRun] = []
    concurrency = Settings.model_fields["send_concurrency"].default
    async with DoubleProcess(subscribers, limits_enabled=False) as double:
        for _ in range(OVERHEAD_ROUNDS):
            raw.append(await raw_loop_run(double, subscribers, concurrency))
            plain.append(await plain_loop_run(double, subscribers))
            pipeline.append(await pipeline_run(double, subscribers))
    plain_of_raw = statistics.median(p.rate / r.rate for p, r in zip(plain, raw, strict=True))
    pipeline_of_raw = statistics.median(p.rate / r.rate for p, r in zip(pipeline, raw, strict=True))
    best_pipeline = max(pipeline, key=lambda run: run.rate)
    print(
        f"overhead: {subscribers} messages, limits off, concurrency {concurrency}, "
        f"{OVERHEAD_ROUNDS} rounds of raw, plain and pipeline runs back to back, median of each "
        f"round's ratio: plain PTB loop {plain_of_raw:.2f} of raw aiohttp (goal ≥ "
        f"{GOAL_PLAIN_OF_RAW}), pipeline {pipeline_of_raw:.2f} of raw (goal ≥ "
        f"{GOAL_PIPELINE_OF_RAW}); median rates raw {statistics.median(r.rate for r in raw):.0f}, "
        f"plain {statistics.median(r.rate for r in plain):.0f}, pipeline "
        f"{statistics.median(r.rate for r in pipeline):.0f} msg/s, best pipeline run "
        f"{best_pipeline.rate:.0f} msg/s against the paid-broadcast ceiling "
        f"{PAID_BROADCAST_RATE:g} msg/s",
        flush=True,
    )
    cpu_raw = min(run.cpu_ms_per_message for run in raw)
    cpu_plain = min(run.cpu_ms_per_message for run in plain)
    cpu_pipeline = min(run.cpu_ms_per_message for run in pipeline)
    print(
        f"  by the bot's CPU per message, which other work on the machine disturbs less: raw "
        f"{cpu_raw:.2f} ms, plain PTB {cpu_plain:.2f} ms = {cpu_raw / cpu_plain:.2f} of raw, "
        f"pipeline {cpu_pipeline:.2f} ms = {cpu_raw / cpu_pipeline:.2f} of raw; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    print(
        f"  runs in order: raw {', '.join(run.describe() for run in raw)}; "
        f"plain {', '.join(run.describe() for run in plain)}; "
        f"pipeline {', '.join(run.describe() for run in pipeline)}",
        flush=True,
    )


async def bench_fanout(subscribers: int) -> None:
    """Setup happens here; the fan-out is measured in a fresh process started after it, so
    the memory figures are the fan-out's own, not the setup's."""
    async with scratch_database() as database:
        setup_seconds = await timed(lambda: published_to_subscribers(database, subscribers))
        await database.dispose()
        database_path = make_url(database.url).database
        assert database_path is not None
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.fanout",
            "--part",
            FANOUT_CHILD,
            database_path,
            stdout=asyncio.subprocess.PIPE,
            cwd=PROJECT_ROOT,
        )
        output, _ = await child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"the fan-out process failed with exit status {child.returncode}")
    measured = json.loads(output)
    print(
        f"fanout: {measured['created']} deliveries from one update to {subscribers} "
        f"subscriptions in {measured['seconds']:.2f} s (goal < {GOAL_FANOUT_SECONDS:g} s); "
        f"fan-out process peak RSS {measured['process_peak_mb']:.0f} MB, the fan-out raised it "
        f"{measured['fanout_peak_mb'] - measured['start_mb']:.1f} MB over the "
        f"{measured['start_mb']:.0f} MB before it (goal < {GOAL_FANOUT_PEAK_MB:g} MB)",
        flush=True,
    )
    print(
        f"  peaks from /proc/self/status VmHWM; the child's ru_maxrss reads "
        f"{measured['ru_maxrss_mb']:.0f} MB because fork+exec hands it the parent's peak; "
        f"setup (schema, {subscribers} chats and subscriptions, publishing) {setup_seconds:.1f} s",
        flush=True,
    )


async def fanout_child(database_path: str) -> None:
    """Prints one JSON line. The connection is opened before the clock starts, as in the
    running bot, whose pool keeps it open between ticks; the peak is reset just before the
    fan-out, so its rise over the RSS at that moment is the fan-out's own."""
    database = Database(f"sqlite:///{database_path}")
    try:
        async with database.session() as session:
            await session.execute(text("SELECT 1"))
        peak_before_mb = proc_rss_mb("VmHWM")
        start_mb = proc_rss_mb("VmRSS")
        reset_peak_rss()
        started = time.perf_counter()
        created = await fan_out_published_posts(database)
        seconds = time.perf_counter() - started
        fanout_peak_mb = proc_rss_mb("VmHWM")
    finally:
        await database.dispose()
    result = {
        "created": created,
        "seconds": seconds,
        "start_mb": start_mb,
        "fanout_peak_mb": fanout_peak_mb,
        "process_peak_mb": max(peak_before_mb, fanout_peak_mb),
        "ru_maxrss_mb": ru_maxrss_mb(),
    }
    print(json.dumps(result), flush=True)


async def bench_idle() -> None:
    """What the bot pays every check interval for nothing, once years of deliveries pile up.
    Beside the tick: the claim alone, the cost of an empty transaction and how many
    transactions a tick makes, which together tell query time from per-transaction cost."""
    async with scratch_database() as database:
        topic_id = await create_topic_schema(database)
        started = time.perf_counter()
        deliveries = await add_sent_history(database, topic_id, HISTORY_CHATS, HISTORY_UPDATES)
        setup_seconds = time.perf_counter() - started
        settings = bench_settings(OFFLINE_TOKEN, OFFLINE_API_URL, database)
        dispatcher: Dispatcher = (
            build_application(settings, database).bot_data[RUNTIME_KEY].dispatcher
        )
        tick_ms = await median_ms(lambda: timed(dispatcher.tick))
        claim_ms = await median_ms(lambda: timed_claim(database))
        empty_ms = await median_ms(lambda: timed(lambda: empty_transaction(database)))
        commits = await commits_during(database, dispatcher.tick)
        plan = await due_query_plan(database)
    print(
        f"idle: one tick with nothing due over {deliveries:,} sent deliveries: median "
        f"{tick_ms:.2f} ms of {IDLE_SAMPLES} after {IDLE_WARMUP} warm-up, an empty transaction "
        f"(SELECT 1) {empty_ms:.2f} ms: {tick_ms / empty_ms:.2f}× "
        f"(goal ≤ {GOAL_IDLE_OF_EMPTY:g}×); "
        f"claim_due_deliveries alone {claim_ms:.2f} ms",
        flush=True,
    )
    print(
        f"  a tick commits {commits} transactions (its time is written once a second); "
        f"setup {setup_seconds:.1f} s",
        flush=True,
    )
    uses_index = any(DUE_INDEX in line for line in plan)
    print(f"  due-query plan ({DUE_INDEX} used: {'yes' if uses_index else 'NO'}):", flush=True)
    for line in plan:
        print(f"    {line}", flush=True)


async def median_ms(sample: Callable[[], Awaitable[float]]) -> float:
    """Median in milliseconds of samples that each time themselves, after a warm-up."""
    for _ in range(IDLE_WARMUP):
        await sample()
    return statistics.median([await sample() for _ in range(IDLE_SAMPLES)]) * 1000


async def timed_claim(database: Database) -> float:
    """The claim's own seconds: the transaction is begun and its connection checked out
    before the clock starts, and committed after it stops."""
    async with database.transaction() as session:
        await session.execute(text("SELECT 1"))
        started = time.perf_counter()
        claimed = await claim_due_deliveries(session, limit=IDLE_CLAIM_LIMIT)
        seconds = time.perf_counter() - started
    if claimed:
        raise RuntimeError(f"{len(claimed)} deliveries were due on a table of sent ones")
    return seconds


async def empty_transaction(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(text("SELECT 1"))


async def commits_during(database: Database, action: Callable[[], Awaitable[object]]) -> int:
    commits = 0

    def count_commit(_connection: Any) -> None:
        nonlocal commits
        commits += 1

    engine = database.engine.sync_engine
    event.listen(engine, "commit", count_commit)
    try:
        await action()
    finally:
        event.remove(engine, "commit", count_commit)
    return commits


async def due_query_plan(database: Database) -> list[str]:
    """The plan of the statement `claim_due_deliveries` really sends, caught on its way to
    SQLite, so the plan shown cannot drift from the code it describes."""
    statements: list[tuple[str, Any]] = []

    def catch_claim(
        _connection: Any,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if statement.lstrip().upper().startswith("UPDATE DELIVERIES"):
            statements.append((statement, parameters))

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", catch_claim)
    try:
        await timed_claim(database)
    finally:
        event.remove(engine, "before_cursor_execute", catch_claim)
    statement, parameters = statements[0]
    async with database.engine.connect() as connection:
        rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        steps = rows.all()
    depth: dict[int, int] = {0: -1}
    lines = []
    for step_id, parent_id, _, detail in steps:
        depth[step_id] = depth.get(parent_id, -1) + 1
        lines.append("  " * depth[step_id] + detail)
    return lines


async def run(part: str, subscribers: int | None, worker_counts: Sequence[int]) -> None:
    print_machine()
    print(f"load average {', '.join(f'{load:.1f}' for load in os.getloadavg())}", flush=True)
    if part in ("all", "limits"):
        await bench_limits(subscribers or LIMITED_SUBSCRIBERS)
    if part in ("all", "overhead"):
        await bench_overhead(subscribers or OVERHEAD_SUBSCRIBERS)
    if part in ("all", "fanout"):
        await bench_fanout(subscribers or FANOUT_SUBSCRIBERS)
    if part in ("all", "idle"):
        await bench_idle()
    if part in ("all", "workers", "growth"):
        try:
            check_reachable()
        except PostgresUnreachable as error:
            print(f"workers, growth: left out: {error}", flush=True)
            return
    if part in ("all", "workers"):
        await bench_workers(subscribers or UNLIMITED_DELIVERIES, worker_counts)
        await bench_limited_workers(LIMITED_CHATS)
    if part in ("all", "growth"):
        await bench_growth()


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"a positive count is needed, got {value}")
    return value


def worker_counts(text: str) -> tuple[int, ...]:
    try:
        counts = tuple(positive_int(count) for count in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"comma-separated counts are needed, got {text}") from None
    return counts


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--part",
        choices=(*PARTS, FANOUT_CHILD),
        default="all",
        help=f"one part, or all; {FANOUT_CHILD} is the measured process of the fanout part",
    )
    parser.add_argument(
        "--subscribers",
        type=positive_int,
        help=f"subscriber count for the limits ({LIMITED_SUBSCRIBERS}), overhead "
        f"({OVERHEAD_SUBSCRIBERS}), fanout ({FANOUT_SUBSCRIBERS}) and unlimited workers "
        f"({UNLIMITED_DELIVERIES}) parts that run",
    )
    parser.add_argument(
        "--workers",
        type=worker_counts,
        default=WORKER_COUNTS,
        help=f"worker process counts for the unlimited workers run "
        f"({','.join(map(str, WORKER_COUNTS))})",
    )
    parser.add_argument("database_path", nargs="?", help=f"the database, for {FANOUT_CHILD}")
    args = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # as the bot's CLI: PTB's timedelta durations
    if args.part == FANOUT_CHILD:
        if not args.database_path:
            parser.error(f"{FANOUT_CHILD} needs the database path")
        asyncio.run(fanout_child(args.database_path))
    else:
        asyncio.run(run(args.part, args.subscribers, args.workers))


if __name__ == "__main__":
    main()
