"""Where a correction goes: a notice to the chats that got the original, and the corrected
version in place of the original for the chats that had not got it yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Integer, Select, String, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.clock import database_now
from storage.models import Chat, Delivery, Post, utc_now
from storage.states import DeliveryState, PostState

CORRECTION_KIND = "correction"
# Far below SQLite's and PostgreSQL's limits on bound parameters per statement.
_IDS_PER_STATEMENT = 500
_NOT_YET_RECEIVED = (DeliveryState.PENDING, DeliveryState.FAILED)


@dataclass(frozen=True)
class CorrectionReach:
    notified: int  # chats that get the notice, as a reply to the original
    replaced: int  # chats that get the corrected version instead of the original


@dataclass(frozen=True)
class CorrectionBrief:
    published_at: datetime
    headline: str


async def route_correction(
    session: AsyncSession, original: Post, notice: Post, corrected: Post
) -> CorrectionReach:
    """Within the correcting transaction, after `corrected` is flushed. A pending or failed
    delivery of the original (or of an earlier corrected version) that no part of has reached
    its chat is moved to the corrected version, keeping its place in the chat's queue (a failed
    one then goes out corrected on /retry); it is moved only while still unleased, so a send in
    flight is left alone and counts as received. Every other delivery that reached its chat, or
    may have, gives its chat the notice while the chat is active. The rows are locked first
    where the database can (SQLite's write lock, taken when the transaction began, already
    covers them)."""
    rows = (
        await session.execute(
            select(col(Delivery.id), col(Delivery.state), col(Delivery.parts_sent))
            .where(col(Delivery.post_id).in_(versions_of(original.id or 0)))
            .order_by(col(Delivery.id))
            .with_for_update()
        )
    ).all()
    unreceived = [
        row.id for row in rows if row.state in _NOT_YET_RECEIVED and not (row.parts_sent or [])
    ]
    moved: set[int] = set()
    for chunk in _chunks(unreceived):
        result = await session.execute(
            update(Delivery)
            .where(col(Delivery.id).in_(chunk), col(Delivery.state).in_(_NOT_YET_RECEIVED))
            .values(post_id=corrected.id)
            .returning(col(Delivery.id))
        )
        moved.update(delivery_id for delivery_id in result.scalars() if delivery_id is not None)
    received = [
        row.id
        for row in rows
        if row.id not in moved
        and (row.id in unreceived or row.state != DeliveryState.SKIPPED or row.parts_sent)
    ]
    notified = 0
    for chunk in _chunks(received):
        result = await session.execute(
            insert(Delivery).from_select(
                ["post_id", "chat_id", "state", "attempts", "next_attempt_at"],
                select(
                    literal(notice.id, Integer),
                    col(Delivery.chat_id),
                    literal(DeliveryState.PENDING.value, String),
                    literal(0, Integer),
                    database_now(),
                )
                .join(Chat, col(Chat.id) == col(Delivery.chat_id))
                .where(col(Delivery.id).in_(chunk), col(Chat.active).is_(True))
                .order_by(col(Delivery.id)),
            )
        )
        notified += cast("CursorResult[Any]", result).rowcount or 0
    return CorrectionReach(notified=notified, replaced=len(moved))


def versions_of(original_id: object) -> Select[int | None]:
    """The post and every corrected version of it: together they hold one delivery per chat
    that was meant to get it, since a correction moves a waiting delivery rather than adding
    one."""
    version = aliased(Post)
    return select(col(version.id)).where(
        (col(version.id) == original_id)
        | ((col(version.corrects_id) == original_id) & (col(version.kind) != CORRECTION_KIND))
    )


def mark_routed(*posts: Post) -> None:
    """Corrections reach the original's recipients, not the topic's subscribers: fan-out must
    leave them alone."""
    now = utc_now()
    for post in posts:
        post.state = PostState.PUBLISHED
        post.published_at = now
        post.fanned_out_at = now


async def corrections_of_topic(session: AsyncSession, topic_id: int) -> list[CorrectionBrief]:
    rows = await session.execute(
        select(col(Post.published_at), col(Post.headline))
        .where(
            col(Post.topic_id) == topic_id,
            col(Post.kind) == CORRECTION_KIND,
            col(Post.state) == PostState.PUBLISHED,
        )
        .order_by(col(Post.published_at), col(Post.id))
    )
    return [CorrectionBrief(at, headline) for at, headline in rows.all() if at is not None]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _IDS_PER_STATEMENT] for i in range(0, len(ids), _IDS_PER_STATEMENT)]
