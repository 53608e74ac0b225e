"""Dispatch by `roundwatch worker` processes sharing one PostgreSQL queue and one send budget.

Two runs. Unlimited: the double's flood control is off and the bot's rate is the highest
ROUNDWATCH_SEND_RATE allows, so the figure is what the processes and PostgreSQL can do; the
same broadcast goes out with 1, 2 and 4 workers, and the ratio of two workers to one shows what
coordination costs (on 2 cores a second worker has little CPU to add; a larger machine shows
the scaling). Limited: three workers at one limit set identically in the bot and the double,
as a ratio of that limit, with the 429s the double answered.

The update is fanned out before any worker starts, and the rate is taken from the double's
first to its last accepted send, so process start-up (seconds on a busy machine) is not in it.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import col

from bench import PROJECT_ROOT
from bench.double_process import DoubleCounters, DoubleProcess
from bench.scratch_postgres import scratch_postgres
from bench.seeding import add_private_subscribers, create_topic_schema, publish_round_two
from bot.delivery.fanout import fan_out_published_posts
from bot.sandbox import RateLimits
from storage.database import Database
from storage.models import Delivery

UNLIMITED_DELIVERIES = 20_000
WORKER_COUNTS = (1, 2, 4)
UNBINDING_SEND_RATE = 1000.0  # the highest ROUNDWATCH_SEND_RATE allows
LIMITED_WORKERS = 3
LIMITED_CHATS = 1_500
LIMITED_RATE = 30.0  # Telegram's free limit, in the double and the bot alike
CHECK_INTERVAL = 0.2
WAIT_POLL = 0.2
GOAL_TWO_OF_ONE = 0.9
GOAL_LIMITED_RATIO = 0.95
TAKEN_OVER = "its lease was taken over"
# Worker warnings of every run, which say nothing about a repeated send.
NOISE = re.compile(r"maximum number of running instances reached|ROUNDWATCH_ADMIN_IDS is empty")


@dataclass(frozen=True)
class WorkersRun:
    workers: int
    counters: DoubleCounters
    states: Counter[str]
    repeated_sends: int
    errors_before_sending: Counter[str]
    takeovers: int

    @property
    def repeats(self) -> str:
        """Sends to a chat that already had its alert, and what led to them."""
        if not self.repeated_sends and not self.errors_before_sending and not self.takeovers:
            return "no chat sent to twice"
        errors = ", ".join(f"{n} after {e!r}" for e, n in self.errors_before_sending.items())
        return (
            f"{self.repeated_sends} sends repeated to a chat; retried: {errors or 'none'}; "
            f"leases taken over from a late sender: {self.takeovers}"
        )

    @property
    def rate(self) -> float:
        return self.counters.accepted_sends / self.counters.accepted_span


async def broadcast_ready(database: Database, chats: int) -> None:
    """Chats 1..N subscribed, one update published and fanned out: N pending deliveries."""
    topic_id = await create_topic_schema(database)
    await add_private_subscribers(database, topic_id, range(1, chats + 1))
    await publish_round_two(database)
    created = await fan_out_published_posts(database)
    if created != chats:
        raise RuntimeError(f"the fan-out made {created} deliveries for {chats} chats")


def worker_environment(double: DoubleProcess, database: Database, rate: float) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": double.token,
        "TELEGRAM_API_BASE_URL": double.base_url,
        "DATABASE_URL": database.url,
        "ROUNDWATCH_CHECK_INTERVAL": str(CHECK_INTERVAL),
        "ROUNDWATCH_SEND_RATE": str(rate),
        "ROUNDWATCH_LOG_LEVEL": "WARNING",
    }


@asynccontextmanager
async def worker_processes(count: int, environment: dict[str, str]) -> AsyncIterator[list[str]]:
    """`python -m bot worker` × count; each one's stderr goes to a log printed if it fails. The
    list yielded holds every log's text once the workers have stopped, as their directory is
    removed."""
    logs_read: list[str] = []
    with tempfile.TemporaryDirectory(prefix="roundwatch-workers-") as directory:
        logs = [Path(directory) / f"worker-{number}.log" for number in range(count)]
        started: list[asyncio.subprocess.Process] = []
        try:
            for log_path in logs:
                with log_path.open("wb") as log:
                    started.append(
                        await asyncio.create_subprocess_exec(
                            sys.executable,
                            "-m",
                            "bot",
                            "worker",
                            env=environment,
                            cwd=PROJECT_ROOT,
                            stderr=log,
                        )
                    )
            yield logs_read
        finally:
            for process in started:
                if process.returncode is None:
                    process.terminate()
            for process in started:
                await asyncio.wait_for(process.wait(), 30)
            logs_read.extend(log_path.read_text() for log_path in logs[: len(started)])
        for text, process in zip(logs_read, started, strict=True):
            if process.returncode:
                print(f"  a worker failed:\n{text}", file=sys.stderr, flush=True)


async def sent_to_chats(double: DoubleProcess, count: int) -> DoubleCounters:
    """The double runs in another process, so its counters are asked for, not awaited. Chats,
    not sends: a send repeated after a timeout must not stand in for a chat still waiting."""
    while True:
        counters = await double.stats()
        if counters.chats_sent_to >= count:
            return counters
        await asyncio.sleep(WAIT_POLL)


async def settled(database: Database, count: int) -> Counter[str]:
    """The double has the sends before the workers record them; waits for the records."""
    while True:
        async with database.session() as session:
            rows = await session.execute(
                select(Delivery.state, func.count()).group_by(Delivery.state)
            )
            states = Counter({state: number for state, number in rows.all()})
        if states["sent"] >= count:
            return states
        await asyncio.sleep(WAIT_POLL)


async def dispatch_with_workers(
    double: DoubleProcess, workers: int, chats: int, rate: float
) -> WorkersRun:
    await double.reset_records()
    async with scratch_postgres() as database:
        await broadcast_ready(database, chats)
        timeout = 60 + 4 * chats / min(rate, 100)
        async with worker_processes(workers, worker_environment(double, database, rate)) as logs:
            try:
                async with asyncio.timeout(timeout):
                    counters = await sent_to_chats(double, chats)
                    states = await settled(database, chats)
            except TimeoutError:
                raise RuntimeError(
                    f"{workers} workers did not send all {chats} deliveries in {timeout:.0f} s: "
                    f"{await double.stats()}"
                ) from None
            final = await double.stats()
            errors = await errors_before_sending(database)
    missing = chats - final.chats_sent_to
    if missing or states != Counter({"sent": chats}):
        raise RuntimeError(
            f"{workers} workers: {missing} of {chats} chats got nothing, deliveries {dict(states)}"
        )
    takeovers = sum(log.count(TAKEN_OVER) for log in logs)
    if final.repeated_sends:
        warnings = [line for log in logs for line in log.splitlines() if NOISE.search(line) is None]
        print("  worker warnings of a run with repeated sends:", *warnings, sep="\n    ")
    return WorkersRun(workers, counters, states, final.repeated_sends, errors, takeovers)


async def errors_before_sending(database: Database) -> Counter[str]:
    """A delivery keeps the error of its last failed attempt once sent, so this counts the
    deliveries that went out only on a retry, by what made them retry."""
    async with database.session() as session:
        rows = await session.execute(
            select(col(Delivery.last_error), func.count())
            .where(col(Delivery.last_error).is_not(None))
            .group_by(Delivery.last_error)
        )
        return Counter({str(error): number for error, number in rows.all()})


async def bench_workers(deliveries: int, worker_counts: Sequence[int] = WORKER_COUNTS) -> None:
    runs: list[WorkersRun] = []
    async with DoubleProcess(deliveries, limits_enabled=False) as double:
        for workers in worker_counts:
            run = await dispatch_with_workers(double, workers, deliveries, UNBINDING_SEND_RATE)
            runs.append(run)
            print(
                f"workers: {workers} × `roundwatch worker` on PostgreSQL, {deliveries:,} "
                f"deliveries, limits off: {run.rate:.0f} msg/s "
                f"(first to last send {run.counters.accepted_span:.1f} s); load average "
                f"{os.getloadavg()[0]:.1f}; {run.repeats}",
                flush=True,
            )
    by_count = {run.workers: run.rate for run in runs}
    if 1 in by_count:
        scaling = ", ".join(
            f"{workers} workers {rate / by_count[1]:.2f}" for workers, rate in by_count.items()
        )
        goal = f" (goal for 2 ≥ {GOAL_TWO_OF_ONE})" if 2 in by_count else ""
        print(
            f"  of one worker's rate: {scaling}{goal}; the bot's rate cap is "
            f"{UNBINDING_SEND_RATE:g}/s (ROUNDWATCH_SEND_RATE's maximum), on "
            f"{os.cpu_count()} cores shared by the double, PostgreSQL and the workers",
            flush=True,
        )


async def bench_limited_workers(chats: int, rate: float = LIMITED_RATE) -> None:
    async with DoubleProcess(chats, limits_enabled=True, global_rate=rate) as double:
        run = await dispatch_with_workers(double, LIMITED_WORKERS, chats, rate)
    burst = RateLimits().global_burst
    paced = (run.counters.accepted_sends - burst) / run.counters.accepted_span
    print(
        f"workers limited: {LIMITED_WORKERS} workers, {chats:,} chats, limit {rate:g}/s in bot "
        f"and double: {paced:.2f} msg/s = {paced / rate:.3f} of the limit (goal "
        f"{GOAL_LIMITED_RATIO}–1.0), 429s {run.counters.too_many_requests} (goal 0), sends during "
        f"a pause {run.counters.sent_during_pause}; load average {os.getloadavg()[0]:.1f}; "
        f"{run.repeats}",
        flush=True,
    )
