"""Topics and who follows them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Chat, Round, Subscription, Topic


async def topic_by_slug(session: AsyncSession, slug: str) -> Topic | None:
    return await session.scalar(select(Topic).where(Topic.slug == slug))


async def create_topic(
    session: AsyncSession, slug: str, title: str, description: str | None = None
) -> Topic:
    topic = Topic(slug=slug, title=title, description=description)
    session.add(topic)
    await session.flush()
    return topic


async def list_topics_with_counts(session: AsyncSession) -> list[tuple[Topic, int, int]]:
    """Each active topic with its active subscriber count and its number of rounds."""
    subscribers = (
        select(func.count(Subscription.id))
        .join(Chat, Chat.id == Subscription.chat_id)
        .where(Subscription.topic_id == Topic.id, Chat.active.is_(True))
        .scalar_subquery()
    )
    rounds = select(func.count(Round.id)).where(Round.topic_id == Topic.id).scalar_subquery()
    rows = await session.execute(
        select(Topic, subscribers, rounds).where(Topic.status == "active").order_by(Topic.slug)
    )
    return [(topic, subs, count) for topic, subs, count in rows.all()]


async def topic_counts(session: AsyncSession, topic_id: int) -> tuple[int, int]:
    subscribers = await session.scalar(
        select(func.count(Subscription.id))
        .join(Chat, Chat.id == Subscription.chat_id)
        .where(Subscription.topic_id == topic_id, Chat.active.is_(True))
    )
    rounds = await session.scalar(select(func.count(Round.id)).where(Round.topic_id == topic_id))
    return subscribers or 0, rounds or 0


async def lock_topic(session: AsyncSession, topic_id: int) -> Topic | None:
    """Publishes to one topic wait for each other, so each records its card against what the
    one before it stored."""
    return await session.scalar(select(Topic).where(Topic.id == topic_id).with_for_update())
