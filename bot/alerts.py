"""Fan-out: every newly published update becomes one delivery per subscribed chat."""

from __future__ import annotations

import logging

from storage.database import Database
from storage.deliveries import fan_out_update, updates_awaiting_fan_out

log = logging.getLogger(__name__)


async def fan_out_published_updates(database: Database) -> int:
    """Each update in its own transaction, oldest first, so publishing order is delivery order
    and a crash in the middle leaves every update either fully fanned out or not at all."""
    created = 0
    while True:
        async with database.transaction() as session:
            pending = await updates_awaiting_fan_out(session, limit=1)
            if not pending:
                return created
            count = await fan_out_update(session, pending[0])
        log.info("update %s fanned out to %d chats", pending[0].id, count)
        created += count
