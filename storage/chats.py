"""Subscriber chats and their subscriptions."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import (
    Chat,
    ChatSettings,
    Delivery,
    Digest,
    DigestEntry,
    KnownName,
    Post,
    Subscription,
    Topic,
    TopicMode,
)
from storage.states import DeliveryState


async def chat_by_telegram_id(session: AsyncSession, telegram_id: int) -> Chat | None:
    return await session.scalar(select(Chat).where(col(Chat.telegram_id) == telegram_id))


async def upsert_chat(
    session: AsyncSession,
    telegram_id: int,
    chat_type: str,
    title: str | None,
    language: str | None = None,
) -> Chat:
    """A chat that writes to the bot is reachable again, so it becomes active."""
    chat = await chat_by_telegram_id(session, telegram_id)
    if chat is None:
        chat = Chat(telegram_id=telegram_id, type=chat_type, title=title, language=language)
        session.add(chat)
    else:
        chat.type = chat_type
        chat.title = title
        chat.language = language or chat.language
        chat.active = True
        chat.inactive_reason = None
    await session.flush()
    return chat


async def subscribe(
    session: AsyncSession, chat_id: int, topic_id: int, thread_id: int | None = None
) -> bool:
    """True when the subscription is new. In a forum, `thread_id` is the topic the
    subscription was made in, where its alerts go."""
    existing = await session.scalar(
        select(col(Subscription.id)).where(
            col(Subscription.chat_id) == chat_id, col(Subscription.topic_id) == topic_id
        )
    )
    if existing is not None:
        return False
    session.add(Subscription(chat_id=chat_id, topic_id=topic_id, message_thread_id=thread_id))
    await session.flush()
    return True


async def unsubscribe(session: AsyncSession, chat_id: int, topic_id: int) -> bool:
    result = await session.execute(
        delete(Subscription).where(
            col(Subscription.chat_id) == chat_id, col(Subscription.topic_id) == topic_id
        )
    )
    await _skip_pending(session, chat_id, "unsubscribed", topic_id=topic_id)
    await session.execute(
        delete(TopicMode).where(
            col(TopicMode.chat_id) == chat_id, col(TopicMode.topic_id) == topic_id
        )
    )
    await session.execute(
        delete(DigestEntry).where(
            col(DigestEntry.chat_id) == chat_id,
            col(DigestEntry.digest_id).is_(None),
            col(DigestEntry.post_id).in_(
                select(col(Post.id)).where(col(Post.topic_id) == topic_id)
            ),
        )
    )
    return bool(cast("CursorResult[Any]", result).rowcount)


async def subscribed_topics(session: AsyncSession, chat_id: int) -> list[Topic]:
    rows = await session.scalars(
        select(Topic)
        .join(Subscription, col(Subscription.topic_id) == col(Topic.id))
        .where(col(Subscription.chat_id) == chat_id)
        .order_by(col(Topic.slug))
    )
    return list(rows)


async def forget_chat(session: AsyncSession, chat_id: int) -> None:
    """`/stop`: the chat's subscriptions, deliveries and settings go. The audit log stays: it
    holds ids and actions, no message content, and letting anyone erase their own record
    would make it worthless. The name Telegram gave for a private chat's person goes too."""
    telegram_id = await session.scalar(select(col(Chat.telegram_id)).where(col(Chat.id) == chat_id))
    if telegram_id is not None:
        await session.execute(delete(KnownName).where(col(KnownName.user_id) == telegram_id))
    await session.execute(delete(Delivery).where(col(Delivery.chat_id) == chat_id))
    await session.execute(delete(DigestEntry).where(col(DigestEntry.chat_id) == chat_id))
    await session.execute(delete(Digest).where(col(Digest.chat_id) == chat_id))
    await session.execute(delete(TopicMode).where(col(TopicMode.chat_id) == chat_id))
    await session.execute(delete(ChatSettings).where(col(ChatSettings.chat_id) == chat_id))
    await session.execute(delete(Subscription).where(col(Subscription.chat_id) == chat_id))
    await session.execute(delete(Chat).where(col(Chat.id) == chat_id))


async def deactivate_chat(session: AsyncSession, chat_id: int, reason: str) -> None:
    await session.execute(
        update(Chat).where(col(Chat.id) == chat_id).values(active=False, inactive_reason=reason)
    )
    await _skip_pending(session, chat_id, reason)


async def move_chat(session: AsyncSession, chat_id: int, new_telegram_id: int) -> None:
    """A group became a supergroup: same subscriber, new id. A row already holding the new id
    (someone used the bot there first) hands its subscriptions over and goes."""
    other = await chat_by_telegram_id(session, new_telegram_id)
    if other is not None and other.id != chat_id:
        assert other.id is not None
        taken = select(col(Subscription.topic_id)).where(col(Subscription.chat_id) == chat_id)
        await session.execute(
            update(Subscription)
            .where(col(Subscription.chat_id) == other.id, col(Subscription.topic_id).not_in(taken))
            .values(chat_id=chat_id)
        )
        await forget_chat(session, other.id)
    await session.execute(
        update(Chat)
        .where(col(Chat.id) == chat_id)
        .values(telegram_id=new_telegram_id, type="supergroup", active=True)
    )


async def _skip_pending(
    session: AsyncSession, chat_id: int, reason: str, topic_id: int | None = None
) -> None:

    condition = [col(Delivery.chat_id) == chat_id, col(Delivery.state) == DeliveryState.PENDING]
    if topic_id is not None:
        condition.append(
            col(Delivery.post_id).in_(select(col(Post.id)).where(col(Post.topic_id) == topic_id))
        )
    await session.execute(
        update(Delivery)
        .where(*condition)
        .values(state=DeliveryState.SKIPPED, last_error=reason[:500])
    )
