"""Admins limited to some topics. An admin with no row may handle every topic; owners are
never limited."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AdminTopic, Topic


async def limited_topic_ids(session: AsyncSession, user_id: int) -> set[int]:
    return set(
        await session.scalars(
            select(col(AdminTopic.topic_id)).where(col(AdminTopic.user_id) == user_id)
        )
    )


async def may_handle_topic(session: AsyncSession, user_id: int, topic_id: int | None) -> bool:
    """`topic_id` None: a topic still to be created, which only an unlimited admin may."""
    limits = await limited_topic_ids(session, user_id)
    return not limits or topic_id in limits


async def toggle_topic_limit(session: AsyncSession, user_id: int, topic_id: int) -> bool:
    """Adds the topic to the admin's limits, or takes it out; True when it is now in them."""
    removed = await session.execute(
        delete(AdminTopic).where(
            col(AdminTopic.user_id) == user_id, col(AdminTopic.topic_id) == topic_id
        )
    )
    if getattr(removed, "rowcount", 0):
        return False
    session.add(AdminTopic(user_id=user_id, topic_id=topic_id))
    await session.flush()
    return True


async def clear_topic_limits(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(AdminTopic).where(col(AdminTopic.user_id) == user_id))


async def active_topics(session: AsyncSession) -> list[Topic]:
    return list(
        await session.scalars(
            select(Topic).where(col(Topic.status) == "active").order_by(col(Topic.slug))
        )
    )
