"""Telegram's overall pace held by all worker processes together, through PostgreSQL.

A process takes send slots with one statement and spends them locally, each at its own time; a
429 any process receives is written to the same row, so no process is handed a slot inside the
pause. A process takes only as many slots as it has sends waiting for one (at most a fifth of a
second's worth), starting no sooner than its answer can arrive: slots taken for sends that are
not ready would go unused, and a process holding a fifth of a second it cannot fill keeps
every other process waiting behind it. A process spending slots it already holds reads the
shared pause again at most every `PAUSE_READ_EVERY`, so a 429 another process received stops
it within that time plus a round trip, not only at its next take.

The database's clock is placed on the process's own clock from the round trip of each take,
and the reading from the shortest round trip is kept (aged by how far two clocks may drift),
as NTP does: a take that waited for the row's lock, or for a stalled event loop, would
otherwise shift this process's slots onto another's and bunch their sends together.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from storage.database import Database
from storage.deliveries import TRANSIENT_DATABASE_ERRORS
from storage.send_budget import TakenSlots, pause_sending, read_send_pause, take_send_slots

log = logging.getLogger(__name__)

BUDGET_NAME = "global"
BATCH_SECONDS = 0.2
# Ten cheap reads a second at most, whatever the pace: slots ahead reach up to a batch plus a
# round trip past the take, longer than Telegram's 429 reaches every worker by itself.
PAUSE_READ_EVERY = 0.1
# How fast two computers' clocks may run apart (NTP's largest correction, 500 ppm).
CLOCK_DRIFT = 500e-6
# TCP's weights (RFC 6298) for the smoothed round trip and its variation; slots are asked to
# start after the smoothed round trip plus four variations, as TCP's retransmission timer.
ROUND_TRIP_WEIGHT = 1 / 8
VARIATION_WEIGHT = 1 / 4


@dataclass(frozen=True)
class ClockReading:
    """This process's clock minus the database's, known to within `error` seconds at `at`."""

    offset: float
    error: float
    at: float

    def error_at(self, now: float) -> float:
        return self.error + (now - self.at) * CLOCK_DRIFT


def better_reading(kept: ClockReading | None, new: ClockReading) -> ClockReading:
    """The reading with the smaller error by now; the new one also when the two disagree by
    more than their errors allow, which means a clock was set."""
    if kept is None:
        return new
    kept_error = kept.error_at(new.at)
    if new.error <= kept_error or abs(new.offset - kept.offset) > new.error + kept_error:
        return new
    return kept


class SharedPace:
    def __init__(
        self,
        database: Database,
        messages_per_second: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._interval = 1.0 / messages_per_second
        self._most = max(1, math.ceil(messages_per_second * BATCH_SECONDS))
        self._clock = clock
        self._slots: deque[float] = deque()
        self._taking = asyncio.Lock()
        self._waiting = 0
        self._local_next = 0.0
        self._reading: ClockReading | None = None
        self._round_trip: float | None = None
        self._variation = 0.0
        self._pause_read_at = -math.inf
        self.paused_until = 0.0

    async def next_slot(self) -> float:
        """The local monotonic time of this process's next slot. A slot already past by more
        than an interval is dropped: spending it late would send beside someone else's."""
        self._waiting += 1
        try:
            async with self._taking:
                while True:
                    now = self._clock()
                    while self._slots and self._slots[0] < now - self._interval:
                        self._slots.popleft()
                    if self._slots:
                        return self._slots.popleft()
                    await self._take_batch(min(self._most, self._waiting))
        finally:
            self._waiting -= 1

    async def latest_pause(self) -> float:
        """The local time the shared pause ends, read again when the last reading is older than
        `PAUSE_READ_EVERY`; concurrent senders share one read."""
        now = self._clock()
        if self._reading is None or now - self._pause_read_at < PAUSE_READ_EVERY:
            return self.paused_until
        self._pause_read_at = now
        try:
            async with self._database.autocommit() as connection:
                until = await read_send_pause(connection, BUDGET_NAME)
        except TRANSIENT_DATABASE_ERRORS as error:
            log.warning("the shared pause could not be read: %s", error)
            return self.paused_until
        if until is not None:
            self.paused_until = max(self.paused_until, until + self._reading.offset)
        return self.paused_until

    async def pause(self, seconds: float) -> None:
        try:
            async with self._database.autocommit() as connection:
                await pause_sending(connection, BUDGET_NAME, seconds)
        except TRANSIENT_DATABASE_ERRORS as error:
            log.warning("the 429 pause was not shared with the other workers: %s", error)

    async def _take_batch(self, count: int) -> None:
        try:
            async with self._database.autocommit() as connection:
                asked_at = self._clock()
                taken = await take_send_slots(
                    connection, BUDGET_NAME, count, self._interval, lead=self._lead
                )
                answered_at = self._clock()
        except TRANSIENT_DATABASE_ERRORS as error:
            # The database is away: this process goes on alone at the full pace rather than
            # stopping every send until it is back.
            log.warning("shared send pace unavailable, pacing this process alone: %s", error)
            start = max(self._clock(), self._local_next)
            self._local_next = start + self._interval
            self._slots.append(start)
            return
        offset = self._place(taken, asked_at, answered_at)
        first = taken.first_at + offset
        self._slots.extend(first + i * self._interval for i in range(count))
        self.paused_until = max(self.paused_until, taken.paused_until + offset)

    @property
    def _lead(self) -> float:
        """How long after the database's now slots are asked to start: slots starting at it
        would be past, and dropped, by the time a slow answer arrived, and taken again."""
        if self._round_trip is None:
            return 0.0
        return self._round_trip + 4 * self._variation

    def _place(self, taken: TakenSlots, asked_at: float, answered_at: float) -> float:
        """The database's clock was read somewhere inside the round trip, most likely halfway."""
        round_trip = answered_at - asked_at
        if self._round_trip is None:
            self._round_trip, self._variation = round_trip, round_trip / 2
        else:
            deviation = abs(round_trip - self._round_trip)
            self._variation += VARIATION_WEIGHT * (deviation - self._variation)
            self._round_trip += ROUND_TRIP_WEIGHT * (round_trip - self._round_trip)
        reading = ClockReading(
            offset=(asked_at + answered_at) / 2 - taken.clock_at,
            error=(answered_at - asked_at) / 2,
            at=answered_at,
        )
        self._reading = better_reading(self._reading, reading)
        return self._reading.offset
