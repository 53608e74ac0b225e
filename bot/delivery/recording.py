"""Recording results: accepted alerts as sent, many to one commit, and every other settle, each
retried until the database takes it.

Each send waits for the commit that records it before its slot is freed, so no more messages
than the send concurrency are ever accepted by Telegram yet unrecorded (the duplicate bound
after a crash). A commit costs about as much for one row as for eight, and at broadcast speed
commits of one or two rows took a third of the bot's CPU: so an accepted alert waits a moment
(until a batch is full, or `linger` seconds) for others to share its transaction. A result that
is not recorded would be sent again once its lease runs out, so a database that refuses a write
(SQLite locked past its busy timeout, a server restarting) is asked again, with backoff, for as
long as the process lives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from functools import partial
from typing import TypeVar

from storage.database import Database
from storage.deliveries import TRANSIENT_DATABASE_ERRORS, ChatSpacing, record_sent_batch

log = logging.getLogger(__name__)

T = TypeVar("T")
FIRST_WAIT = 0.05
LONGEST_WAIT = 5.0


async def until_recorded(what: str, write: Callable[[], Awaitable[T]]) -> T:
    """Runs `write` (one transaction) until it commits; only transient database errors are
    retried, anything else is a bug and propagates."""
    wait = FIRST_WAIT
    while True:
        try:
            return await write()
        except TRANSIENT_DATABASE_ERRORS as error:
            log.warning("recording %s failed, retrying in %.2fs: %s", what, wait, error)
            await asyncio.sleep(wait)
            wait = min(LONGEST_WAIT, wait * 2)


class SentRecorder:
    def __init__(
        self, database: Database, spacing: ChatSpacing, batch_size: int, linger: float
    ) -> None:
        self.database = database
        self.spacing = spacing
        self.batch_size = batch_size
        self.linger = linger
        self._waiting: list[tuple[int, str, tuple[int, ...], asyncio.Future[bool]]] = []
        self._batch_full = asyncio.Event()
        self._committing: asyncio.Task[None] | None = None

    async def record(self, delivery_id: int, lease_token: str, parts: tuple[int, ...]) -> bool:
        """Returns once the row is committed as sent: True, or False when the lease had been
        taken over and the row was left to its new holder."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((delivery_id, lease_token, parts, done))
        if len(self._waiting) >= self.batch_size:
            self._batch_full.set()
        if self._committing is None or self._committing.done():
            self._committing = asyncio.create_task(self._commit_waiting())
        return await done

    async def _commit_waiting(self) -> None:
        while self._waiting:
            if len(self._waiting) < self.batch_size:
                self._batch_full.clear()
                with suppress(TimeoutError):
                    async with asyncio.timeout(self.linger):
                        await self._batch_full.wait()
            batch, self._waiting = self._waiting, []
            try:
                lost = set(await until_recorded("sent alerts", partial(self._commit, batch)))
            except Exception as error:
                for *_, done in batch:
                    done.set_exception(error)
            else:
                for delivery_id, _, _, done in batch:
                    done.set_result(delivery_id not in lost)

    async def _commit(
        self, batch: list[tuple[int, str, tuple[int, ...], asyncio.Future[bool]]]
    ) -> list[int]:
        rows = [(d, t, p) for d, t, p, _ in batch]
        return await record_sent_batch(self.database, rows, self.spacing)
