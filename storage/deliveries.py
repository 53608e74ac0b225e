"""The outbox: one row per (update, chat), claimed in batches and settled one by one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, bindparam, case, func, insert, select, update
from sqlalchemy import Update as UpdateStatement
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Chat,
    Delivery,
    Post,
    SchedulerState,
    Subscription,
    Topic,
    utc_now,
)

OPEN_STATES = ("pending", "sending")


@dataclass(frozen=True)
class ClaimedDelivery:
    id: int
    post_id: int
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
    post_id: int
    slug: str
    telegram_id: int
    chat_title: str | None
    attempts: int
    error: str | None
    at: datetime | None


async def posts_awaiting_fan_out(session: AsyncSession, limit: int = 20) -> list[Post]:
    query = (
        select(Post)
        .where(Post.state == "published", Post.fanned_out_at.is_(None))
        .order_by(Post.published_at, Post.id)
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(await session.scalars(query))


async def fan_out_post(session: AsyncSession, target: Post) -> int:
    """One Delivery row per active subscriber, in a single INSERT ... SELECT so that a
    hundred thousand subscribers never pass through Python."""
    now = utc_now()
    subscribers = (
        select(
            func.cast(target.id, Delivery.__table__.c.post_id.type),
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
        Delivery.post_id == target.id, Delivery.chat_id == Subscription.chat_id
    )
    subscribers = subscribers.where(~already.exists())
    result = await session.execute(
        insert(Delivery).from_select(
            ["post_id", "chat_id", "state", "attempts", "next_attempt_at"], subscribers
        )
    )
    target.fanned_out_at = now
    await session.flush()
    return result.rowcount or 0


_NOW = bindparam("now", type_=Delivery.__table__.c.next_attempt_at.type)
_EARLIER = aliased(Delivery)
_EARLIER_OPEN = (
    select(_EARLIER.id)
    .where(
        _EARLIER.chat_id == Delivery.chat_id,
        _EARLIER.id < Delivery.id,
        _EARLIER.state.in_(OPEN_STATES),
    )
    .exists()
)
_DUE = (
    select(Delivery.id)
    .where(Delivery.state == "pending", Delivery.next_attempt_at <= _NOW, ~_EARLIER_OPEN)
    .order_by(Delivery.id)
    .limit(bindparam("limit"))
)


def _claiming(due: Select[tuple[int]]) -> UpdateStatement:
    return (
        update(Delivery.__table__)
        .where(Delivery.id.in_(due.scalar_subquery()))
        .values(state="sending", claimed_at=_NOW)
        .returning(Delivery.id)
    )


# Built once: compiling this statement costs more than running it on an idle queue.
_CLAIM = _claiming(_DUE)
_CLAIM_SKIP_LOCKED = _claiming(_DUE.with_for_update(skip_locked=True))
_CLAIMED_DETAILS = (
    select(
        Delivery.id,
        Delivery.post_id,
        Delivery.chat_id,
        Chat.telegram_id,
        Chat.type,
        Post.rendered,
        Delivery.attempts,
    )
    .join(Chat, Chat.id == Delivery.chat_id)
    .join(Post, Post.id == Delivery.post_id)
    .where(Delivery.id.in_(bindparam("ids", expanding=True)))
    .order_by(Delivery.id)
)
_RECORD_SENT = (
    update(Delivery.__table__)
    .where(Delivery.id == bindparam("delivery_id"))
    .values(
        state="sent",
        sent_at=bindparam("sent_at"),
        message_id=bindparam("message_id"),
        attempts=Delivery.attempts + 1,
    )
)


def _on_postgresql(executor: AsyncSession | AsyncConnection) -> bool:
    engine = executor.bind if isinstance(executor, AsyncSession) else executor
    return engine.dialect.name == "postgresql"


async def claim_due_deliveries(
    session: AsyncSession | AsyncConnection, limit: int, now: datetime | None = None
) -> list[ClaimedDelivery]:
    """Due rows become `sending`. Only the oldest open delivery of each chat is due, which keeps
    each chat's alerts in publishing order and never sends two to one chat at once. On
    PostgreSQL, rows another worker is claiming are skipped, not waited for."""
    claim = _CLAIM_SKIP_LOCKED if _on_postgresql(session) else _CLAIM
    claimed_ids = list(await session.scalars(claim, {"now": now or utc_now(), "limit": limit}))
    if not claimed_ids:
        return []
    rows = await session.execute(_CLAIMED_DETAILS, {"ids": claimed_ids})
    return [ClaimedDelivery(*row) for row in rows.all()]


async def record_sent(
    session: AsyncSession | AsyncConnection, sent: list[tuple[int, int | None]]
) -> None:
    """Several (delivery id, Telegram message id) pairs in one statement."""
    now = utc_now()
    await session.execute(
        _RECORD_SENT,
        [{"delivery_id": d, "message_id": m, "sent_at": now} for d, m in sent],
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


async def delivery_stats(session: AsyncSession) -> list[TopicDeliveryStats]:
    counts = {
        state: func.coalesce(func.sum(case((Delivery.state == state, 1), else_=0)), 0)
        for state in ("pending", "sending", "sent", "failed", "skipped")
    }
    per_topic = (
        select(Post.topic_id, *(value.label(state) for state, value in counts.items()))
        .join(Delivery, Delivery.post_id == Post.id)
        .group_by(Post.topic_id)
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
            Delivery.post_id,
            Topic.slug,
            Chat.telegram_id,
            Chat.title,
            Delivery.attempts,
            Delivery.last_error,
            func.coalesce(Delivery.claimed_at, Delivery.next_attempt_at),
        )
        .join(Post, Post.id == Delivery.post_id)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Chat, Chat.id == Delivery.chat_id)
        .where(Delivery.state == "failed")
        .order_by(Delivery.id.desc())
        .limit(limit)
    )
    return [FailedDelivery(*row) for row in rows.all()]


async def write_scheduler_state(session: AsyncSession, key: str, value: str | None) -> None:
    """One upsert: every tick writes this, even when it has nothing else to do."""
    dialect_insert = (
        postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    )
    table = SchedulerState.__table__
    statement = dialect_insert(table).values(key=key, value=value, at=utc_now())
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"value": statement.excluded.value, "at": statement.excluded.at},
        )
    )


async def read_scheduler_state(session: AsyncSession) -> dict[str, SchedulerState]:
    return {row.key: row for row in await session.scalars(select(SchedulerState))}
