"""Forgetting settled deliveries once they are old, so the outbox does not grow without end.

A sent delivery is as old as its `sent_at`; a skipped one (the chat left, blocked the bot) as
old as the last time it was due. Each call deletes one bounded batch, so no statement holds
its locks for long, and the caller commits each batch on its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from storage.models import Delivery
from storage.states import DeliveryState


async def prune_settled_deliveries(
    connection: AsyncConnection, older_than: datetime, limit: int
) -> int:
    """Deletes at most `limit` sent or skipped deliveries settled before `older_than`, oldest
    ids first; returns how many. Pending, leased and failed rows are never touched."""
    old = or_(
        and_(col(Delivery.state) == DeliveryState.SENT, col(Delivery.sent_at) < older_than),
        and_(
            col(Delivery.state) == DeliveryState.SKIPPED,
            col(Delivery.next_attempt_at) < older_than,
        ),
    )
    batch = select(col(Delivery.id)).where(old).order_by(col(Delivery.id)).limit(limit)
    result = await connection.execute(
        delete(Delivery).where(col(Delivery.id).in_(batch.scalar_subquery()))
    )
    return cast("CursorResult[Any]", result).rowcount or 0
