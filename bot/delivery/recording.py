"""Recording results: accepted alerts as sent, many to one commit, and every other settle, each
retried until the database takes it.

Each send waits for the commit that records it before its slot is freed, so no more messages
than the send concurrency are ever accepted by Telegram yet unrecorded (the duplicate bound
after a crash), while concurrent results share one transaction instead of queueing for
SQLite's single writer one by one. A result that is not recorded would be sent again once its
lease runs out, so a database that refuses a write (SQLite locked past its busy timeout, a
server restarting) is asked again, with backoff, for as long as the process lives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
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
    def __init__(self, database: Database, spacing: ChatSpacing) -> None:
        self.database = database
        self.spacing = spacing
        self._waiting: list[tuple[int, str, tuple[int, ...], asyncio.Future[bool]]] = []
        self._committing: asyncio.Task[None] | None = None

    async def record(self, delivery_id: int, lease_token: str, parts: tuple[int, ...]) -> bool:
        """Returns once the row is committed as sent: True, or False when the lease had been
        taken over and the row was left to its new holder."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((delivery_id, lease_token, parts, done))
        if self._committing is None or self._committing.done():
            self._committing = asyncio.create_task(self._commit_waiting())
        return await done

    async def _commit_waiting(self) -> None:
        while self._waiting:
            # Sends answered in the same turn of the event loop join this commit.
            await asyncio.sleep(0)
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
