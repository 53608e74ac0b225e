"""What the outbox holds right now, for the metrics scrape: one indexed aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col
from sqlmodel.sql.sqltypes import UTCDateTime

from storage.clock import database_now
from storage.models import Delivery
from storage.states import DeliveryState


@dataclass(frozen=True)
class QueueDepth:
    pending: int
    leased: int
    due: int
    oldest_due_at: datetime | None
    now: datetime


async def queue_depth(session: AsyncSession) -> QueueDepth:
    """Pending and leased rows, how many pending are due, and since when the oldest due one
    waits, by the database's clock (the one due times are written on)."""
    now = database_now()
    is_due = (col(Delivery.state) == DeliveryState.PENDING) & (col(Delivery.next_attempt_at) <= now)
    row = (
        await session.execute(
            select(
                func.count().filter(col(Delivery.state) == DeliveryState.PENDING),
                func.count().filter(col(Delivery.state) == DeliveryState.LEASED),
                func.count().filter(is_due),
                type_coerce(func.min(case((is_due, col(Delivery.next_attempt_at)))), UTCDateTime()),
                now,
            ).where(col(Delivery.state).in_((DeliveryState.PENDING, DeliveryState.LEASED)))
        )
    ).one()
    pending, leased, due, oldest, at = row
    return QueueDepth(pending or 0, leased or 0, due or 0, oldest, at)
