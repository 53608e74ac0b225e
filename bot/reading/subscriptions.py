"""Following topics: subscribe, unsubscribe, list, and forgetting a chat on /stop."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reading.topics import TopicNotFound
from storage.chats import (
    chat_by_telegram_id,
    forget_chat,
    subscribe,
    subscribed_topics,
    unsubscribe,
    upsert_chat,
)
from storage.database import Database
from storage.topics import topic_by_slug


@dataclass(frozen=True)
class ChatRef:
    telegram_id: int
    type: str
    title: str | None
    language: str | None = None
    thread_id: int | None = None  # the forum topic the command came from


@dataclass(frozen=True)
class SubscriptionChange:
    slug: str
    title: str
    changed: bool


async def subscribe_chat(database: Database, chat: ChatRef, slug: str) -> SubscriptionChange:
    async with database.transaction() as session:
        topic = await topic_by_slug(session, slug.lower())
        if topic is None:
            raise TopicNotFound(slug)
        row = await upsert_chat(session, chat.telegram_id, chat.type, chat.title, chat.language)
        changed = await subscribe(session, row.id or 0, topic.id or 0, chat.thread_id)
    return SubscriptionChange(slug=topic.slug, title=topic.title, changed=changed)


async def unsubscribe_chat(
    database: Database, chat_telegram_id: int, slug: str
) -> SubscriptionChange:
    async with database.transaction() as session:
        topic = await topic_by_slug(session, slug.lower())
        if topic is None:
            raise TopicNotFound(slug)
        row = await chat_by_telegram_id(session, chat_telegram_id)
        changed = row is not None and await unsubscribe(session, row.id or 0, topic.id or 0)
    return SubscriptionChange(slug=topic.slug, title=topic.title, changed=changed)


async def chat_subscriptions(database: Database, chat_telegram_id: int) -> list[tuple[str, str]]:
    async with database.session() as session:
        row = await chat_by_telegram_id(session, chat_telegram_id)
        if row is None:
            return []
        return [(t.slug, t.title) for t in await subscribed_topics(session, row.id or 0)]


async def stop_chat(database: Database, chat_telegram_id: int) -> bool:
    """True when something was stored and is now gone."""
    async with database.transaction() as session:
        row = await chat_by_telegram_id(session, chat_telegram_id)
        if row is None:
            return False
        await forget_chat(session, row.id or 0)
    return True


async def remember_chat(database: Database, chat: ChatRef) -> None:
    async with database.transaction() as session:
        await upsert_chat(session, chat.telegram_id, chat.type, chat.title, chat.language)
