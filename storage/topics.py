"""Topics and who follows them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Chat, Round, Subscription, Topic


async def topic_by_slug(session: AsyncSession, slug: str) -> Topic | None:
    return await session.scalar(select(Topic).where(col(Topic.slug) == slug))


async def create_topic(
    session: AsyncSession, slug: str, title: str, description: str | None = None
) -> Topic:
    topic = Topic(slug=slug, title=title, description=description)
    session.add(topic)
    await session.flush()
    return topic


async def list_topics_with_counts(
    session: AsyncSession,
) -> list[tuple[Topic, int, int, int]]:
    """Each active topic with its active subscriber count, its number of rounds and of
    developments (entries without a round number, which are not rounds)."""
    subscribers = (
        select(func.count(col(Subscription.id)))
        .join(Chat, col(Chat.id) == col(Subscription.chat_id))
        .where(col(Subscription.topic_id) == col(Topic.id), col(Chat.active).is_(True))
        .scalar_subquery()
    )
    rounds = _counted(col(Round.number).is_not(None))
    developments = _counted(col(Round.number).is_(None))
    rows = await session.execute(
        select(Topic, subscribers, rounds, developments)
        .where(col(Topic.status) == "active")
        .order_by(col(Topic.slug))
    )
    return [tuple(row) for row in rows.all()]


async def topic_counts(session: AsyncSession, topic_id: int) -> tuple[int, int, int]:
    """Active subscribers, rounds and developments of one topic."""
    subscribers = await session.scalar(
        select(func.count(col(Subscription.id)))
        .join(Chat, col(Chat.id) == col(Subscription.chat_id))
        .where(col(Subscription.topic_id) == topic_id, col(Chat.active).is_(True))
    )
    rows = await session.execute(
        select(col(Round.number).is_(None), func.count(col(Round.id)))
        .where(col(Round.topic_id) == topic_id)
        .group_by(col(Round.number).is_(None))
    )
    counts = {bool(undated): count for undated, count in rows.all()}
    return subscribers or 0, counts.get(False, 0), counts.get(True, 0)


def _counted(condition: ColumnElement[bool]) -> ScalarSelect[int]:
    return (
        select(func.count(col(Round.id)))
        .where(col(Round.topic_id) == col(Topic.id), condition)
        .scalar_subquery()
    )


async def lock_topic(session: AsyncSession, topic_id: int) -> Topic | None:
    """Publishes to one topic wait for each other, so each records its card against what the
    one before it stored."""
    return await session.scalar(select(Topic).where(col(Topic.id) == topic_id).with_for_update())
