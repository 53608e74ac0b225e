"""Sending due deliveries under Telegram's limits and recording each result at once."""

from __future__ import annotations

import asyncio
import html
import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from telegram import Bot

from bot.delivery.fanout import fan_out_next_post
from bot.delivery.recording import SentRecorder
from bot.delivery.sender import SendOutcome, SendStatus, send_notice, send_parts
from bot.reading.alert_parts import split_alert
from storage.chats import deactivate_chat, move_chat
from storage.database import Database, is_sqlite
from storage.deliveries import (
    ClaimedDelivery,
    claim_due_deliveries,
    record_final,
    record_retry,
    release_claims,
    write_scheduler_state,
)
from storage.models import utc_now

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 15 * 60


@dataclass(frozen=True)
class DispatchSettings:
    concurrency: int = 8
    max_attempts: int = 5
    retry_delay: float = 5.0
    claim_timeout: float = 120.0
    paid_broadcast: bool = False
    notify_chat_ids: tuple[int, ...] = ()


@dataclass
class TickReport:
    fanned_out: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, status: str) -> None:
        self.outcomes[status] = self.outcomes.get(status, 0) + 1


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential, with ±50% jitter so that retries from many chats spread out."""
    delay = min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.5, 1.5)


class Dispatcher:
    """One per process. A tick fans out, then sends until nothing is due; ticks never overlap."""

    def __init__(self, database: Database, bot: Bot, settings: DispatchSettings) -> None:
        self.database = database
        self.bot = bot
        self.settings = settings
        self._running = asyncio.Lock()
        self._noticed_updates: set[int] = set()
        self._sent = SentRecorder(database)
        self.claim_batch = settings.concurrency * 4
        self._background: asyncio.Task[TickReport | None] | None = None
        self._closing = False

    def wake(self) -> None:
        """Starts a tick in the background unless one is running: the scheduler's job returns at
        once, so a long broadcast never makes APScheduler skip (and warn about) its runs."""
        if self._closing or (self._background is not None and not self._background.done()):
            return
        self._background = asyncio.create_task(self.tick())

    async def close(self) -> None:
        """Stops claiming; what is already being sent finishes and is recorded."""
        self._closing = True
        if self._background is not None:
            await self._background

    async def recover(self) -> int:
        """At start-up, claims left by a crash go back to the queue. With SQLite only this
        process sends, so all of them; elsewhere only those older than the claim timeout."""
        cutoff = None
        if not is_sqlite(self.database.engine):
            cutoff = utc_now() - timedelta(seconds=self.settings.claim_timeout)
        async with self.database.transaction() as session:
            return await release_claims(session, cutoff)

    async def tick(self) -> TickReport | None:
        if self._running.locked():
            return None
        async with self._running:
            report = TickReport()
            try:
                first_batch = await self._housekeep_and_fan_out(report)
                if first_batch or report.fanned_out:
                    await self._drain(report, first_batch)
            except Exception as exc:
                log.exception("scheduler tick failed")
                async with self.database.transaction() as session:
                    error = f"{type(exc).__name__}: {exc}"
                    await write_scheduler_state(session, "last_error", error)
            return report

    async def _housekeep_and_fan_out(self, report: TickReport) -> list[ClaimedDelivery]:
        """Bookkeeping, the first fan-out and the first claim share one transaction, so a tick
        with nothing to do costs a single commit. Returns that first claimed batch."""
        cutoff = utc_now() - timedelta(seconds=self.settings.claim_timeout)
        async with self.database.transaction() as session:
            await release_claims(session, cutoff)
            await write_scheduler_state(session, "last_check", None)
            count = await fan_out_next_post(session)
            first_batch = await claim_due_deliveries(session, limit=self.claim_batch)
        while count is not None:
            report.fanned_out += count
            async with self.database.transaction() as session:
                count = await fan_out_next_post(session)
        return first_batch

    async def _drain(self, report: TickReport, claimed: list[ClaimedDelivery]) -> None:
        slots = asyncio.Semaphore(self.settings.concurrency)
        in_flight: set[asyncio.Task[None]] = set()
        while True:
            if not claimed and not self._closing:
                async with self.database.connection() as connection:
                    claimed = await claim_due_deliveries(connection, limit=self.claim_batch)
            if not claimed:
                if not in_flight:
                    return
                await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                continue
            for delivery in claimed:
                await slots.acquire()
                if self._closing:
                    slots.release()
                    await self._release_unsent(delivery)
                    continue
                task = asyncio.create_task(self._deliver(delivery, report))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                task.add_done_callback(lambda _: slots.release())
            claimed = []

    async def _release_unsent(self, delivery: ClaimedDelivery) -> None:
        async with self.database.transaction() as session:
            await record_retry(session, delivery.id, "shutting down", utc_now(), attempt=False)

    async def _deliver(self, delivery: ClaimedDelivery, report: TickReport) -> None:
        outcome = await send_parts(
            self.bot,
            delivery.telegram_id,
            split_alert(delivery.rendered),
            paid_broadcast=self.settings.paid_broadcast,
        )
        report.count(outcome.status)
        await self._record(delivery, outcome)
        if outcome.as_plain_text and delivery.post_id not in self._noticed_updates:
            self._noticed_updates.add(delivery.post_id)
            await send_notice(
                self.bot,
                list(self.settings.notify_chat_ids),
                f"Post {delivery.post_id} was rejected as HTML and went out as plain text. "
                f"Telegram said: {html.escape(outcome.error or '')}",
            )

    async def _record(self, delivery: ClaimedDelivery, outcome: SendOutcome) -> None:
        if outcome.status is SendStatus.SENT:
            await self._sent.record(delivery.id, outcome.message_id)
            return
        now = utc_now()
        error = outcome.error or outcome.status.value
        async with self.database.transaction() as session:
            match outcome.status:
                case SendStatus.THROTTLED:
                    wait = timedelta(seconds=outcome.retry_after or 1)
                    await record_retry(session, delivery.id, error, now + wait, attempt=False)
                case SendStatus.MIGRATED:
                    assert outcome.new_chat_id is not None
                    await move_chat(session, delivery.chat_id, outcome.new_chat_id)
                    await record_retry(session, delivery.id, error, now, attempt=False)
                case SendStatus.GONE:
                    await record_final(session, delivery.id, "skipped", error)
                    await deactivate_chat(session, delivery.chat_id, error)
                case SendStatus.RETRY if delivery.attempts + 1 < self.settings.max_attempts:
                    delay = backoff_seconds(delivery.attempts + 1, self.settings.retry_delay)
                    await record_retry(
                        session, delivery.id, error, now + timedelta(seconds=delay), attempt=True
                    )
                case _:
                    await record_final(session, delivery.id, "failed", error)
