"""Posts waiting for a chat's digest, and the digests made of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Integer, delete, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.chat_settings import effective_mode, held_or_now
from storage.clock import database_now
from storage.models import (
    Chat,
    ChatSettings,
    Delivery,
    Digest,
    DigestEntry,
    Post,
    Round,
    Subscription,
    Topic,
)
from storage.states import Calendar, DeliveryMode, DeliveryState


@dataclass(frozen=True)
class DigestLine:
    entry_id: int
    slug: str
    topic_title: str
    headline: str
    kind: str
    round_number: int | None
    round_start: date | None
    outcome_type: str | None
    outcome_text: str | None
    published_at: datetime | None
    thread_id: int | None = None  # the forum topic the chat follows this topic in
    round_title: str | None = None


@dataclass(frozen=True)
class DigestChat:
    chat_id: int
    time_zone: str
    digest_hour: int
    digest_weekday: int | None
    language: str | None = None  # chosen in /settings, else as Telegram last reported
    calendar: str = Calendar.GREGORIAN


async def hold_for_digests(session: AsyncSession, post: Post) -> int:
    """The post waits for the next digest of every active subscriber that wants this topic in
    one; fan-out gives everyone else a delivery."""
    wanted = (
        select(col(Subscription.chat_id), literal(post.id, Integer))
        .join(Chat, col(Chat.id) == col(Subscription.chat_id))
        .where(
            col(Subscription.topic_id) == post.topic_id,
            col(Chat.active).is_(True),
            effective_mode(col(Subscription.chat_id), post.topic_id) != DeliveryMode.INSTANT.value,
            ~select(col(DigestEntry.id))
            .where(
                col(DigestEntry.chat_id) == col(Subscription.chat_id),
                col(DigestEntry.post_id) == post.id,
            )
            .exists(),
        )
        .order_by(col(Subscription.chat_id))
    )
    result = await session.execute(insert(DigestEntry).from_select(["chat_id", "post_id"], wanted))
    return cast("CursorResult[Any]", result).rowcount or 0


async def chats_awaiting_digest(session: AsyncSession) -> list[DigestChat]:
    waiting = (
        select(col(DigestEntry.chat_id)).where(col(DigestEntry.digest_id).is_(None)).distinct()
    )
    rows = await session.execute(
        select(
            col(Chat.id),
            col(ChatSettings.time_zone),
            col(ChatSettings.digest_hour),
            col(ChatSettings.digest_weekday),
            func.coalesce(col(ChatSettings.language), col(Chat.language)),
            col(ChatSettings.calendar),
        )
        .join(ChatSettings, col(ChatSettings.chat_id) == col(Chat.id))
        .where(col(Chat.id).in_(waiting), col(Chat.active).is_(True))
        .order_by(col(Chat.id))
    )
    return [DigestChat(*cast("tuple[Any, ...]", row)) for row in rows.all()]


async def has_digest(session: AsyncSession, chat_id: int, period: str) -> bool:
    found = await session.scalar(
        select(col(Digest.id)).where(col(Digest.chat_id) == chat_id, col(Digest.period) == period)
    )
    return found is not None


async def stamp_waiting(session: AsyncSession, chat_id: int, period: str | None) -> None:
    """Waiting posts not yet given a period get `period`; None takes every stamp away, for
    when the chat's schedule changed and the periods must be worked out again."""
    condition = [col(DigestEntry.chat_id) == chat_id, col(DigestEntry.digest_id).is_(None)]
    if period is not None:
        condition.append(col(DigestEntry.period).is_(None))
    await session.execute(update(DigestEntry).where(*condition).values(period=period))


async def waiting_lines(session: AsyncSession, chat_id: int, up_to: str) -> list[DigestLine]:
    """Waiting posts due in period `up_to` or before (periods are ISO dates)."""
    rows = await session.execute(
        select(
            col(DigestEntry.id),
            col(Topic.slug),
            col(Topic.title),
            col(Post.headline),
            col(Post.kind),
            col(Round.number),
            col(Round.start_date),
            col(Round.outcome_type),
            col(Round.outcome_text),
            col(Post.published_at),
            col(Subscription.message_thread_id),
            col(Round.title),
        )
        .join(Post, col(Post.id) == col(DigestEntry.post_id))
        .join(Topic, col(Topic.id) == col(Post.topic_id))
        .outerjoin(Round, col(Round.id) == col(Post.round_id))
        .outerjoin(
            Subscription,
            (col(Subscription.chat_id) == col(DigestEntry.chat_id))
            & (col(Subscription.topic_id) == col(Topic.id)),
        )
        .where(
            col(DigestEntry.chat_id) == chat_id,
            col(DigestEntry.digest_id).is_(None),
            col(DigestEntry.period) <= up_to,
        )
        .order_by(col(DigestEntry.id))
    )
    return [DigestLine(*cast("tuple[Any, ...]", row)) for row in rows.all()]


async def create_digest(
    session: AsyncSession,
    chat_id: int,
    period: str,
    due_at: datetime,
    rendered: str,
    entry_ids: list[int],
    thread_id: int | None,
) -> int:
    """The digest, its entries and its delivery in one flush; a second digest for the same
    period fails on the unique (chat, period) pair, so the caller's transaction undoes it.
    `thread_id`: the forum topic it goes to, None for the chat's main thread."""
    digest = Digest(chat_id=chat_id, period=period, due_at=due_at, rendered=rendered)
    session.add(digest)
    await session.flush()
    assert digest.id is not None
    await session.execute(
        update(DigestEntry).where(col(DigestEntry.id).in_(entry_ids)).values(digest_id=digest.id)
    )
    await session.execute(
        insert(Delivery).values(
            digest_id=digest.id,
            chat_id=chat_id,
            state=DeliveryState.PENDING,
            attempts=0,
            next_attempt_at=database_now(),
            message_thread_id=thread_id,
        )
    )
    return digest.id


async def deliver_waiting_instantly(session: AsyncSession, chat_id: int) -> int:
    """Posts waiting for a digest of a topic the chat now wants instantly become deliveries at
    once, oldest first, so that they stay ahead of the chat's next alerts."""
    waiting = (
        select(col(DigestEntry.id), col(DigestEntry.post_id), col(Subscription.message_thread_id))
        .join(Post, col(Post.id) == col(DigestEntry.post_id))
        .outerjoin(
            Subscription,
            (col(Subscription.chat_id) == col(DigestEntry.chat_id))
            & (col(Subscription.topic_id) == col(Post.topic_id)),
        )
        .where(
            col(DigestEntry.chat_id) == chat_id,
            col(DigestEntry.digest_id).is_(None),
            effective_mode(chat_id, col(Post.topic_id)) == DeliveryMode.INSTANT.value,
        )
        .order_by(col(Post.published_at), col(Post.id))
    )
    rows = (await session.execute(waiting)).all()
    for _, post_id, thread_id in rows:
        already = await session.scalar(
            select(col(Delivery.id)).where(
                col(Delivery.post_id) == post_id, col(Delivery.chat_id) == chat_id
            )
        )
        if already is None:
            await session.execute(
                insert(Delivery).values(
                    post_id=post_id,
                    chat_id=chat_id,
                    state=DeliveryState.PENDING,
                    attempts=0,
                    next_attempt_at=held_or_now(chat_id),
                    message_thread_id=thread_id,
                )
            )
    if rows:
        await session.execute(
            delete(DigestEntry).where(col(DigestEntry.id).in_([r[0] for r in rows]))
        )
    return len(rows)


@dataclass(frozen=True)
class DigestCounts:
    """For /stats: digests queued and not yet sent, those sent whose time fell in the day
    asked about, and the posts still waiting for a digest (and in how many chats)."""

    pending: int
    sent: int
    waiting_posts: int
    waiting_chats: int


async def digest_counts(
    session: AsyncSession, day_start: datetime, day_end: datetime
) -> DigestCounts:
    open_states = [DeliveryState.PENDING.value, DeliveryState.LEASED.value]
    pending = await session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(col(Delivery.digest_id).is_not(None), col(Delivery.state).in_(open_states))
    )
    sent = await session.scalar(
        select(func.count())
        .select_from(Delivery)
        .join(Digest, col(Digest.id) == col(Delivery.digest_id))
        .where(
            col(Delivery.state) == DeliveryState.SENT.value,
            col(Digest.due_at) >= day_start,
            col(Digest.due_at) < day_end,
        )
    )
    waiting = (
        await session.execute(
            select(func.count(), func.count(func.distinct(col(DigestEntry.chat_id))))
            .select_from(DigestEntry)
            .join(Chat, col(Chat.id) == col(DigestEntry.chat_id))
            .where(col(DigestEntry.digest_id).is_(None), col(Chat.active).is_(True))
        )
    ).one()
    return DigestCounts(pending or 0, sent or 0, waiting[0], waiting[1])
