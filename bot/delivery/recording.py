"""Recording accepted alerts as sent, many to one commit.

Each send waits for the commit that records it before its slot is freed, so no more messages
than the send concurrency are ever accepted by Telegram yet unrecorded (the duplicate bound
after a crash), while concurrent results share one transaction instead of queueing for
SQLite's single writer one by one.
"""

from __future__ import annotations

import asyncio

from storage.database import Database
from storage.deliveries import record_sent


class SentRecorder:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._waiting: list[tuple[int, int | None, asyncio.Future[None]]] = []
        self._committing: asyncio.Task[None] | None = None

    async def record(self, delivery_id: int, message_id: int | None) -> None:
        """Returns once the row is committed as sent."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((delivery_id, message_id, done))
        if self._committing is None or self._committing.done():
            self._committing = asyncio.create_task(self._commit_waiting())
        await done

    async def _commit_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with self.database.connection() as connection:
                    await record_sent(connection, [(d, m) for d, m, _ in batch])
            except Exception as error:
                for *_, done in batch:
                    done.set_exception(error)
            else:
                for *_, done in batch:
                    done.set_result(None)
