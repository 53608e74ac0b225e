"""Sending due deliveries under Telegram's limits and recording each result at once."""

from __future__ import annotations

import asyncio
import html
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from telegram import Bot
from telegram.constants import FloodLimit

from bot.delivery.fanout import fan_out_next_post
from bot.delivery.held_leases import HeldLeases
from bot.delivery.recording import SentRecorder, until_recorded
from bot.delivery.sender import SendOutcome, SendStatus, send_notice, send_parts
from bot.logs import bind_log_context
from bot.metrics import Metrics
from bot.reading.alert_parts import split_alert
from storage.chats import deactivate_chat, move_chat
from storage.database import Database
from storage.deliveries import (
    TRANSIENT_DATABASE_ERRORS,
    ChatSpacing,
    ClaimedDelivery,
    claim_due_deliveries,
    record_final,
    record_retry,
    release_expired_leases,
    renew_leases,
    rest_chats,
    work_is_due,
    write_scheduler_state,
)
from storage.models import utc_now
from storage.states import DeliveryState

log = logging.getLogger(__name__)

LAST_CHECK_EVERY = 1.0
# Long enough for a broadcast's answers to fill a shared commit, short beside a send.
RECORD_LINGER = 0.01
TELEGRAM_CHAT_SPACING = ChatSpacing(
    private=1.0 / FloodLimit.MESSAGES_PER_SECOND_PER_CHAT,
    group=60.0 / FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
)


@dataclass(frozen=True)
class DispatchSettings:
    concurrency: int = 16
    retry_delay: float = 5.0
    retry_for: float = 3600.0
    backoff_cap: float = 300.0
    lease_duration: float = 60.0
    paid_broadcast: bool = False
    send_read_timeout: float = 60.0
    notify_chat_ids: tuple[int, ...] = ()
    chat_spacing: ChatSpacing = TELEGRAM_CHAT_SPACING


@dataclass
class TickReport:
    fanned_out: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, status: str) -> None:
        self.outcomes[status] = self.outcomes.get(status, 0) + 1


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential up to `cap`, with ±50% jitter so that retries from many chats spread out."""
    delay: float = min(cap, base * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.5, 1.5)


class Dispatcher:
    """One per process. A tick fans out, then sends until nothing is due; ticks never overlap.

    While a tick has deliveries in hand it renews their leases every third of the lease, so a
    worker that waits (Telegram's retry_after, a slow answer, a busy database) keeps what it
    holds, and only a worker that stopped renewing (it died or hung) loses its rows."""

    def __init__(
        self, database: Database, bot: Bot, settings: DispatchSettings, metrics: Metrics
    ) -> None:
        self.database = database
        self.bot = bot
        self.settings = settings
        self.metrics = metrics
        self._running = asyncio.Lock()
        self._noticed_posts: set[int] = set()
        # Half the slots waiting for one shared commit leave the other half sending.
        self._sent = SentRecorder(
            database,
            settings.chat_spacing,
            batch_size=max(1, settings.concurrency // 2),
            linger=RECORD_LINGER,
        )
        self._leases = HeldLeases(settings.lease_duration)
        self.claim_batch = settings.concurrency * 4
        self._background: asyncio.Task[TickReport | None] | None = None
        self._closing = False
        self._last_check_written = -LAST_CHECK_EVERY

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

    async def tick(self) -> TickReport | None:
        if self._running.locked():
            return None
        async with self._running:
            report = TickReport()
            started = time.perf_counter()
            try:
                first_batch = await self._housekeep_and_fan_out(report)
                if first_batch or report.fanned_out:
                    await self._drain(report, first_batch)
            except Exception as error:
                await self._report_failure("scheduler tick", error)
            finally:
                # Every send of this tick has finished; rows still held were claimed but never
                # sent (the tick failed), and must be left to expire rather than renewed.
                self._leases.clear()
                self.metrics.tick_took(time.perf_counter() - started)
            return report

    async def _report_failure(self, what: str, error: Exception) -> None:
        """Logged once, and kept as the last error for /stats across workers and restarts."""
        log.error("%s failed", what, exc_info=error)
        text = f"{what}: {type(error).__name__}: {error}"[:1000]

        async def write() -> None:
            async with self.database.transaction() as session:
                await write_scheduler_state(session, "last_error", text)

        try:
            await until_recorded("the last error", write)
        except Exception:
            log.exception("the last error could not be stored")

    async def _housekeep_and_fan_out(self, report: TickReport) -> list[ClaimedDelivery]:
        """A tick with nothing due costs one read (and, once a second, the write of its time, so
        /stats tells a stopped scheduler from an idle one). Otherwise bookkeeping, the first
        fan-out and the first claim share one transaction. Returns that first claimed batch."""
        if time.monotonic() - self._last_check_written < LAST_CHECK_EVERY:
            async with self.database.connection() as connection:
                if not await work_is_due(connection):
                    return []
        async with self.database.transaction() as session:
            self.metrics.leases_taken_over(await release_expired_leases(session))
            await write_scheduler_state(session, "last_check", None)
            self._last_check_written = time.monotonic()
            count = await fan_out_next_post(session)
            first_batch = await self._claim(session)
        while count is not None:
            report.fanned_out += count
            async with self.database.transaction() as session:
                count = await fan_out_next_post(session)
        return first_batch

    async def _claim(self, executor: AsyncSession | AsyncConnection) -> list[ClaimedDelivery]:
        asked_at = self._leases.now()
        claimed = await claim_due_deliveries(
            executor,
            limit=self.claim_batch,
            lease_seconds=self.settings.lease_duration,
        )
        self._leases.claimed((delivery.lease_token for delivery in claimed), asked_at)
        return claimed

    def _let_go(self, delivery: ClaimedDelivery) -> None:
        self._leases.let_go(delivery.lease_token)

    async def _renew_leases_while_draining(self) -> None:
        while True:
            await asyncio.sleep(self.settings.lease_duration / 3)
            tokens = self._leases.tokens()
            if not tokens:
                continue
            try:
                asked_at = self._leases.now()
                async with self.database.connection() as connection:
                    await renew_leases(connection, tokens, self.settings.lease_duration)
                self._leases.renewed(tokens, asked_at)
            except TRANSIENT_DATABASE_ERRORS as error:
                log.warning("leases not renewed this time: %s", error)

    async def _drain(self, report: TickReport, claimed: list[ClaimedDelivery]) -> None:
        renewing = asyncio.create_task(self._renew_leases_while_draining())
        try:
            await self._send_until_nothing_is_due(report, claimed)
        finally:
            renewing.cancel()

    async def _send_until_nothing_is_due(
        self, report: TickReport, claimed: list[ClaimedDelivery]
    ) -> None:
        slots = asyncio.Semaphore(self.settings.concurrency)
        in_flight: set[asyncio.Task[None]] = set()
        try:
            while True:
                if not claimed and not self._closing:
                    async with self.database.connection() as connection:
                        claimed = await self._claim(connection)
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
        finally:
            # A failed claim must not leave sends running unrenewed: they finish first.
            if in_flight:
                await asyncio.wait(set(in_flight))

    async def _release_unsent(self, delivery: ClaimedDelivery) -> None:
        try:
            await self._put_back(delivery)
        finally:
            self._let_go(delivery)

    async def _put_back(self, delivery: ClaimedDelivery) -> None:
        """Due again at once, unless the lease has changed hands: then it is not this worker's."""

        async def write() -> bool:
            async with self.database.transaction() as session:
                return await record_retry(
                    session,
                    delivery.id,
                    delivery.lease_token,
                    "shutting down" if self._closing else "lease ran out before sending",
                    0.0,
                    attempt=False,
                    parts_sent=delivery.parts_sent,
                )

        await until_recorded(f"delivery {delivery.id}", write)

    async def _deliver(self, delivery: ClaimedDelivery, report: TickReport) -> None:
        """Never raises: an error here is reported, and the row's lease runs out and brings it
        back, rather than vanishing with the task."""
        bind_log_context(chat_id=delivery.telegram_id)
        try:
            if not self._leases.may_send(delivery.lease_token):
                log.warning(
                    "delivery %s: its lease ran out before it was sent (this worker stalled), "
                    "so it is left to whoever holds it now",
                    delivery.id,
                )
                await self._put_back(delivery)
                return
            try:
                parts = split_alert(delivery.rendered)
            except ValueError as error:
                outcome = SendOutcome(SendStatus.FAILED, error=str(error))
            else:
                sending = time.perf_counter()
                outcome = await send_parts(
                    self.bot,
                    delivery.telegram_id,
                    parts[len(delivery.parts_sent) :],
                    paid_broadcast=self.settings.paid_broadcast,
                    reply_to=None if delivery.parts_sent else delivery.reply_to_message_id,
                    silent=delivery.silent,
                    thread_id=delivery.message_thread_id,
                    read_timeout=self.settings.send_read_timeout,
                )
                self.metrics.send_took(time.perf_counter() - sending)
            if outcome.status is SendStatus.THROTTLED:
                self.metrics.throttled()
            report.count(outcome.status)
            sent_parts = delivery.parts_sent + outcome.message_ids
            if not await self._record(delivery, outcome, sent_parts):
                log.warning(
                    "delivery %s: its lease was taken over, so this %s result is ignored",
                    delivery.id,
                    outcome.status,
                )
            post_id = delivery.post_id
            if outcome.plain_text_error and post_id and post_id not in self._noticed_posts:
                self._noticed_posts.add(post_id)
                await send_notice(
                    self.bot,
                    list(self.settings.notify_chat_ids),
                    f"Post {post_id} was rejected as HTML and went out as plain text. "
                    f"Telegram said: {html.escape(outcome.plain_text_error)}",
                )
        except Exception as error:
            await self._report_failure(f"delivery {delivery.id}", error)
        finally:
            self._let_go(delivery)

    async def _record(
        self, delivery: ClaimedDelivery, outcome: SendOutcome, sent_parts: tuple[int, ...]
    ) -> bool:
        if outcome.status is SendStatus.SENT:
            recorded = await self._sent.record(delivery.id, delivery.lease_token, sent_parts)
            if recorded:
                self.metrics.sent()
            return recorded

        counted: list[Callable[[], None]] = []  # metrics of the attempt that committed

        async def write() -> bool:
            counted.clear()
            async with self.database.transaction() as session:
                # Whatever came of it, the attempt may have reached the chat.
                await rest_chats(session, [delivery.id], self.settings.chat_spacing)
                return await self._settle(session, delivery, outcome, sent_parts, counted)

        settled = await until_recorded(f"delivery {delivery.id}", write)
        for count in counted:
            count()
        return settled

    async def _settle(
        self,
        session: AsyncSession,
        delivery: ClaimedDelivery,
        outcome: SendOutcome,
        sent_parts: tuple[int, ...],
        counted: list[Callable[[], None]],
    ) -> bool:
        error = outcome.error or outcome.status.value
        row, token = delivery.id, delivery.lease_token
        match outcome.status:
            case SendStatus.THROTTLED:
                wait = outcome.retry_after or 1.0
                return await record_retry(
                    session, row, token, error, wait, attempt=False, parts_sent=sent_parts
                )
            case SendStatus.MIGRATED:
                assert outcome.new_chat_id is not None
                await move_chat(session, delivery.chat_id, outcome.new_chat_id)
                return await record_retry(
                    session, row, token, error, 0.0, attempt=False, parts_sent=sent_parts
                )
            case SendStatus.GONE:
                skipped = DeliveryState.SKIPPED
                settled = await record_final(session, row, token, skipped, error, sent_parts)
                if settled:
                    await deactivate_chat(session, delivery.chat_id, error)
                    counted.append(partial(self.metrics.skipped, error))
                return settled
            case SendStatus.RETRY if self._may_retry(delivery):
                settings = self.settings
                delay = backoff_seconds(
                    delivery.attempts + 1, settings.retry_delay, settings.backoff_cap
                )
                return await record_retry(
                    session, row, token, error, delay, attempt=True, parts_sent=sent_parts
                )
            case _:
                failed = DeliveryState.FAILED
                settled = await record_final(session, row, token, failed, error, sent_parts)
                if settled:
                    counted.append(self.metrics.failed)
                return settled

    def _may_retry(self, delivery: ClaimedDelivery) -> bool:
        """Retries go on for `retry_for` seconds from the first failed attempt."""
        if self.settings.retry_for <= 0:
            return False
        if delivery.retrying_since is None:
            return True
        elapsed = (utc_now() - delivery.retrying_since).total_seconds()
        return elapsed < self.settings.retry_for
