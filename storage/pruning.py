"""Forgetting settled deliveries once they are old, so the outbox does not grow without end.

A sent delivery is as old as its `sent_at`; a skipped one (the chat left, blocked the bot) as
old as the last time it was due. Pruning is a bounded batch at a time: the search for old rows
is a read transaction of its own (on SQLite it takes no write lock, and a read that turned into
a write would fail whenever another writer committed in between), then the delete by primary
key is a short write transaction, so no statement holds a lock for long.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from storage.models import Delivery
from storage.states import DeliveryState


def _settled_before(older_than: datetime) -> ColumnElement[bool]:
    return or_(
        and_(col(Delivery.state) == DeliveryState.SENT, col(Delivery.sent_at) < older_than),
        and_(
            col(Delivery.state) == DeliveryState.SKIPPED,
            col(Delivery.next_attempt_at) < older_than,
        ),
    )


async def old_settled_deliveries(
    connection: AsyncConnection, older_than: datetime, limit: int
) -> list[int]:
    """Ids of at most `limit` sent or skipped deliveries settled before `older_than`, oldest
    first. Pending, leased and failed rows are never among them."""
    found = await connection.scalars(
        select(col(Delivery.id))
        .where(_settled_before(older_than))
        .order_by(col(Delivery.id))
        .limit(limit)
    )
    return [delivery_id for delivery_id in found if delivery_id is not None]


async def delete_settled_deliveries(
    connection: AsyncConnection, delivery_ids: list[int], older_than: datetime
) -> int:
    """Deletes those of the rows that are still settled and old; returns how many."""
    if not delivery_ids:
        return 0
    result = await connection.execute(
        delete(Delivery).where(col(Delivery.id).in_(delivery_ids), _settled_before(older_than))
    )
    return cast("CursorResult[Any]", result).rowcount or 0
