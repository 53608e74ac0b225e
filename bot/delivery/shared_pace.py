"""Telegram's overall pace held by all worker processes together, through PostgreSQL.

Each process takes a batch of send slots (a fifth of a second's worth) with one
statement and spends them locally; a 429 any process receives is written to the same row, so
no process is handed a slot inside the pause. A process that has slots in hand when another
receives the 429 sends at most that batch before it learns of the pause.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable

from storage.database import Database
from storage.deliveries import TRANSIENT_DATABASE_ERRORS
from storage.send_budget import pause_sending, take_send_slots

log = logging.getLogger(__name__)

BUDGET_NAME = "global"
BATCH_SECONDS = 0.2


class SharedPace:
    def __init__(
        self,
        database: Database,
        messages_per_second: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._interval = 1.0 / messages_per_second
        self._batch = max(1, math.ceil(messages_per_second * BATCH_SECONDS))
        self._clock = clock
        self._slots: deque[float] = deque()
        self._taking = asyncio.Lock()
        self._local_next = 0.0
        self.paused_until = 0.0

    async def next_slot(self) -> float:
        """The local monotonic time of this process's next slot. A slot already past by more
        than an interval is dropped: spending it late would send beside someone else's."""
        async with self._taking:
            while True:
                now = self._clock()
                while self._slots and self._slots[0] < now - self._interval:
                    self._slots.popleft()
                if self._slots:
                    return self._slots.popleft()
                await self._take_batch()

    async def pause(self, seconds: float) -> None:
        try:
            async with self._database.connection() as connection:
                await pause_sending(connection, BUDGET_NAME, seconds)
        except TRANSIENT_DATABASE_ERRORS as error:
            log.warning("the 429 pause was not shared with the other workers: %s", error)

    async def _take_batch(self) -> None:
        asked_at = self._clock()
        try:
            async with self._database.connection() as connection:
                taken = await take_send_slots(connection, BUDGET_NAME, self._batch, self._interval)
        except TRANSIENT_DATABASE_ERRORS as error:
            # The database is away: this process goes on alone at the full pace rather than
            # stopping every send until it is back.
            log.warning("shared send pace unavailable, pacing this process alone: %s", error)
            start = max(asked_at, self._local_next)
            self._local_next = start + self._interval
            self._slots.append(start)
            return
        # The database's now is placed halfway through the round trip, where it was most likely
        # read, so that slots of different processes line up within half a round trip.
        first = (asked_at + self._clock()) / 2 + taken.starts_in
        self._slots.extend(first + i * self._interval for i in range(self._batch))
        if taken.paused_for > 0:
            self.paused_until = max(self.paused_until, asked_at + taken.paused_for)
