"""Drafts waiting for their publishing time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Post, ScheduledPost, Topic
from storage.states import ScheduleState


@dataclass(frozen=True)
class WaitingPost:
    post_id: int
    slug: str
    kind: str
    due_at: datetime
    admin_id: int


async def save_schedule(
    session: AsyncSession, post_id: int, admin_id: int, chat_id: int, due_at: datetime
) -> None:
    """A draft whose schedule was cancelled can be scheduled again: one row per draft."""
    row = await session.get(ScheduledPost, post_id, with_for_update=True)
    if row is None:
        row = ScheduledPost(post_id=post_id, admin_id=admin_id, chat_id=chat_id, due_at=due_at)
        session.add(row)
    row.admin_id, row.chat_id, row.due_at = admin_id, chat_id, due_at
    row.state = ScheduleState.WAITING
    await session.flush()


async def schedule_for_change(session: AsyncSession, post_id: int) -> ScheduledPost | None:
    return await session.get(ScheduledPost, post_id, with_for_update=True)


async def waiting_schedule(session: AsyncSession, post_id: int) -> ScheduledPost | None:
    row = await session.get(ScheduledPost, post_id)
    return row if row is not None and row.state == ScheduleState.WAITING else None


async def due_post_ids(session: AsyncSession, now: datetime) -> list[int]:
    rows = await session.scalars(
        select(col(ScheduledPost.post_id))
        .where(col(ScheduledPost.state) == ScheduleState.WAITING, col(ScheduledPost.due_at) <= now)
        .order_by(col(ScheduledPost.due_at), col(ScheduledPost.post_id))
    )
    return list(rows)


async def waiting_posts(session: AsyncSession) -> list[WaitingPost]:
    rows = await session.execute(
        select(ScheduledPost, col(Post.kind), col(Topic.slug))
        .join(Post, col(Post.id) == col(ScheduledPost.post_id))
        .join(Topic, col(Topic.id) == col(Post.topic_id))
        .where(col(ScheduledPost.state) == ScheduleState.WAITING)
        .order_by(col(ScheduledPost.due_at), col(ScheduledPost.post_id))
    )
    return [
        WaitingPost(row.post_id, slug, kind, row.due_at, row.admin_id) for row, kind, slug in rows
    ]
