"""The outbox: one row per (update, chat), claimed in batches and settled one by one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Chat,
    Delivery,
    SchedulerState,
    Subscription,
    Topic,
    Update,
    utc_now,
)

OPEN_STATES = ("pending", "sending")


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    update_id: int
    chat_id: int
    telegram_id: int
    chat_type: str
    rendered: str
    attempts: int


@dataclass(frozen=True)
class TopicDeliveryStats:
    slug: str
    subscribers: int
    pending: int
    sent: int
    failed: int
    skipped: int


@dataclass(frozen=True)
class FailedDelivery:
    update_id: int
    slug: str
    telegram_id: int
    chat_title: str | None
    attempts: int
    error: str | None
    at: datetime | None


async def updates_awaiting_fan_out(session: AsyncSession, limit: int = 20) -> list[Update]:
    query = (
        select(Update)
        .where(Update.state == "published", Update.fanned_out_at.is_(None))
        .order_by(Update.published_at, Update.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(await session.scalars(query))


async def fan_out_update(session: AsyncSession, target: Update) -> int:
    """One Delivery row per active subscriber, in a single INSERT ... SELECT so that a
    hundred thousand subscribers never pass through Python."""
    now = utc_now()
    subscribers = (
        select(
            func.cast(target.id, Delivery.__table__.c.update_id.type),
            Subscription.chat_id,
            func.cast("pending", Delivery.__table__.c.state.type),
            func.cast(0, Delivery.__table__.c.attempts.type),
            func.cast(now, Delivery.__table__.c.next_attempt_at.type),
        )
        .join(Chat, Chat.id == Subscription.chat_id)
        .where(Subscription.topic_id == target.topic_id, Chat.active.is_(True))
        .order_by(Subscription.chat_id)
    )
    already = select(Delivery.id).where(
        Delivery.update_id == target.id, Delivery.chat_id == Subscription.chat_id
    )
    subscribers = subscribers.where(~already.exists())
    result = await session.execute(
        insert(Delivery).from_select(
            ["update_id", "chat_id", "state", "attempts", "next_attempt_at"], subscribers
        )
    )
    target.fanned_out_at = now
    await session.flush()
    return result.rowcount or 0


async def claim_due_deliveries(
    session: AsyncSession, limit: int, now: datetime | None = None
) -> list[ClaimedDelivery]:
    """Due rows become `sending`. Only the oldest open delivery of each chat is due, which keeps
    each chat's alerts in publishing order and never sends two to one chat at once."""
    now = now or utc_now()
    earlier = aliased(Delivery)
    blocked = (
        select(earlier.id)
        .where(
            earlier.chat_id == Delivery.chat_id,
            earlier.id < Delivery.id,
            earlier.state.in_(OPEN_STATES),
        )
        .exists()
    )
    due = (
        select(Delivery.id)
        .where(Delivery.state == "pending", Delivery.next_attempt_at <= now, ~blocked)
        .order_by(Delivery.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claimed_ids = list(
        await session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(due.scalar_subquery()))
            .values(state="sending", claimed_at=now)
            .returning(Delivery.id)
        )
    )
    if not claimed_ids:
        return []
    rows = await session.execute(
        select(
            Delivery.id,
            Delivery.update_id,
            Delivery.chat_id,
            Chat.telegram_id,
            Chat.type,
            Update.rendered,
            Delivery.attempts,
        )
        .join(Chat, Chat.id == Delivery.chat_id)
        .join(Update, Update.id == Delivery.update_id)
        .where(Delivery.id.in_(claimed_ids))
        .order_by(Delivery.id)
    )
    return [ClaimedDelivery(*row) for row in rows.all()]


async def record_sent(session: AsyncSession, delivery_id: int, message_id: int | None) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            state="sent", sent_at=utc_now(), message_id=message_id, attempts=Delivery.attempts + 1
        )
    )


async def record_retry(
    session: AsyncSession, delivery_id: int, error: str, next_attempt_at: datetime, *, attempt: bool
) -> None:
    """Back to `pending`; a Telegram-asked pause (`attempt=False`) does not use up an attempt."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            state="pending",
            claimed_at=None,
            next_attempt_at=next_attempt_at,
            last_error=error[:500],
            attempts=Delivery.attempts + (1 if attempt else 0),
        )
    )


async def record_final(session: AsyncSession, delivery_id: int, state: str, error: str) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(state=state, last_error=error[:500], attempts=Delivery.attempts + 1)
    )


async def release_claims(session: AsyncSession, claimed_before: datetime | None = None) -> int:
    """Claims of a worker that died go back to `pending`; `None` releases all (one process)."""
    condition = [Delivery.state == "sending"]
    if claimed_before is not None:
        condition.append(Delivery.claimed_at < claimed_before)
    result = await session.execute(
        update(Delivery).where(*condition).values(state="pending", claimed_at=None)
    )
    return result.rowcount or 0


async def next_due_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(Delivery.state == "pending")
    )


async def delivery_stats(session: AsyncSession) -> list[TopicDeliveryStats]:
    counts = {
        state: func.coalesce(func.sum(case((Delivery.state == state, 1), else_=0)), 0)
        for state in ("pending", "sending", "sent", "failed", "skipped")
    }
    per_topic = (
        select(Update.topic_id, *(value.label(state) for state, value in counts.items()))
        .join(Delivery, Delivery.update_id == Update.id)
        .group_by(Update.topic_id)
        .subquery()
    )
    subscribers = (
        select(func.count(Subscription.id))
        .join(Chat, Chat.id == Subscription.chat_id)
        .where(Subscription.topic_id == Topic.id, Chat.active.is_(True))
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Topic.slug,
            subscribers,
            func.coalesce(per_topic.c.pending + per_topic.c.sending, 0),
            func.coalesce(per_topic.c.sent, 0),
            func.coalesce(per_topic.c.failed, 0),
            func.coalesce(per_topic.c.skipped, 0),
        )
        .outerjoin(per_topic, per_topic.c.topic_id == Topic.id)
        .order_by(Topic.slug)
    )
    return [TopicDeliveryStats(*row) for row in rows.all()]


async def recent_failures(session: AsyncSession, limit: int = 10) -> list[FailedDelivery]:
    rows = await session.execute(
        select(
            Delivery.update_id,
            Topic.slug,
            Chat.telegram_id,
            Chat.title,
            Delivery.attempts,
            Delivery.last_error,
            func.coalesce(Delivery.claimed_at, Delivery.next_attempt_at),
        )
        .join(Update, Update.id == Delivery.update_id)
        .join(Topic, Topic.id == Update.topic_id)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(Delivery.state == "failed")
        .order_by(Delivery.id.desc())
        .limit(limit)
    )
    return [FailedDelivery(*row) for row in rows.all()]


async def write_scheduler_state(session: AsyncSession, key: str, value: str | None) -> None:
    row = await session.get(SchedulerState, key)
    if row is None:
        session.add(SchedulerState(key=key, value=value))
    else:
        row.value = value
        row.at = utc_now()
    await session.flush()


async def read_scheduler_state(session: AsyncSession) -> dict[str, SchedulerState]:
    return {row.key: row for row in await session.scalars(select(SchedulerState))}


def backoff_until(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)
