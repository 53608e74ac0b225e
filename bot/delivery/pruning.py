"""The scheduler's pruning of old sent and skipped deliveries.

A busy year is hundreds of millions of rows; deleting them in one statement would lock the
table for minutes. A pass deletes small batches, each its own short transaction, and stops
when its time budget is spent, leaving the rest to the next tick. Once a pass finds nothing
left to prune it rests for `rest` seconds, so the search for old rows is not repeated on
every tick of an idle bot.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from storage.database import Database
from storage.pruning import delete_settled_deliveries, old_settled_deliveries

log = logging.getLogger(__name__)

BATCH_ROWS = 1000
TIME_BUDGET = 0.5
REST_WHEN_DONE = 3600.0


@dataclass
class DeliveryPruner:
    batch_rows: int = BATCH_ROWS
    time_budget: float = TIME_BUDGET
    rest: float = REST_WHEN_DONE
    monotonic: Callable[[], float] = time.monotonic
    _rest_until: float = field(default=float("-inf"), init=False)

    async def prune(self, database: Database, now: datetime, keep: timedelta) -> int:
        """One pass: deletes deliveries settled before `now - keep`; returns how many."""
        started = self.monotonic()
        if started < self._rest_until:
            return 0
        cutoff = now - keep
        pruned = 0
        while True:
            async with database.connection() as connection:
                found = await old_settled_deliveries(connection, cutoff, self.batch_rows)
            async with database.connection() as connection:
                pruned += await delete_settled_deliveries(connection, found, cutoff)
            if len(found) < self.batch_rows:
                self._rest_until = self.monotonic() + self.rest
                break
            if self.monotonic() - started >= self.time_budget:
                break
        if pruned:
            log.info("pruned %d deliveries settled before %s", pruned, cutoff.isoformat())
        return pruned
