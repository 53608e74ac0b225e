"""How far a broadcast has got, counted from its deliveries, and the progress message's row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from storage.chat_settings import HELD
from storage.models import BroadcastProgress, Delivery, Post
from storage.states import DeliveryState


@dataclass(frozen=True)
class DeliveryCounts:
    """`pending` includes deliveries in flight; `held` are pending until quiet hours end."""

    sent: int
    pending: int
    held: int
    failed: int
    skipped: int
    fanned_out: bool

    @property
    def done(self) -> bool:
        return self.fanned_out and self.pending == 0


async def delivery_counts(session: AsyncSession, post_id: int) -> DeliveryCounts:
    held = (col(Delivery.state) == DeliveryState.PENDING) & (col(Delivery.next_attempt_at) >= HELD)
    open_now = col(Delivery.state).in_((DeliveryState.PENDING, DeliveryState.LEASED)) & ~held

    def total(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = (
        await session.execute(
            select(
                total(col(Delivery.state) == DeliveryState.SENT),
                total(open_now),
                total(held),
                total(col(Delivery.state) == DeliveryState.FAILED),
                total(col(Delivery.state) == DeliveryState.SKIPPED),
            ).where(col(Delivery.post_id) == post_id)
        )
    ).one()
    fanned_out = await session.scalar(
        select(col(Post.fanned_out_at)).where(col(Post.id) == post_id)
    )
    sent, pending, held_count, failed, skipped = (int(value) for value in row)
    return DeliveryCounts(sent, pending, held_count, failed, skipped, fanned_out is not None)


async def start_progress(
    session: AsyncSession, post_id: int, chat_id: int, message_id: int, now: datetime
) -> None:
    session.add(
        BroadcastProgress(
            post_id=post_id, chat_id=chat_id, message_id=message_id, started_at=now,
            last_edit_at=now,
        )
    )  # fmt: skip
    await session.flush()


async def open_progress(session: AsyncSession) -> list[BroadcastProgress]:
    rows = await session.scalars(
        select(BroadcastProgress)
        .where(col(BroadcastProgress.done).is_(False))
        .order_by(col(BroadcastProgress.post_id))
    )
    return list(rows)


async def claim_progress_edit(
    session: AsyncSession,
    post_id: int,
    seen_edit_at: datetime,
    now: datetime,
    sent: int,
    *,
    done: bool,
) -> bool:
    """True for the one process whose update lands: another worker that read the same row in
    the meantime finds `last_edit_at` moved and leaves the edit to this one."""
    result = await session.execute(
        update(BroadcastProgress)
        .where(
            col(BroadcastProgress.post_id) == post_id,
            col(BroadcastProgress.last_edit_at) == seen_edit_at,
            col(BroadcastProgress.done).is_(False),
        )
        .values(last_edit_at=now, last_sent=sent, done=done)
    )
    return bool(getattr(result, "rowcount", 0))
