"""Fan-out: every newly published post becomes one delivery per subscribed chat."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from storage.database import Database
from storage.deliveries import fan_out_post, posts_awaiting_fan_out

log = logging.getLogger(__name__)


async def fan_out_next_post(session: AsyncSession) -> int | None:
    """Fans out the oldest published post not yet fanned out; None when there is none.

    One post per transaction, oldest first and one at a time across all workers, so
    publishing order is delivery order and a crash in the middle leaves every post either
    fully fanned out or not at all."""
    pending = await posts_awaiting_fan_out(session, limit=1)
    if not pending:
        return None
    count = await fan_out_post(session, pending[0])
    log.info("post %s fanned out to %d chats", pending[0].id, count)
    return count


async def fan_out_published_posts(database: Database) -> int:
    created = 0
    while True:
        async with database.transaction() as session:
            count = await fan_out_next_post(session)
        if count is None:
            return created
        created += count
