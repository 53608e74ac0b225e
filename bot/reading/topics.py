"""What readers ask for: topics, the latest round, who sits at the table, the history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reading.render import (
    render_history,
    render_parties,
    render_round_summary,
    render_topic_card,
    render_topic_list,
)
from storage.chats import chat_by_telegram_id, subscribed_topics
from storage.database import Database
from storage.models import Topic
from storage.round_views import latest_round, round_view, topic_history, topic_parties
from storage.topics import list_topics_with_counts, topic_by_slug, topic_counts
from storage.views import TopicView


class TopicNotFound(Exception):
    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


@dataclass(frozen=True)
class TopicChoice:
    """Either the one topic a command is about, or the topics to offer as buttons."""

    slug: str | None
    options: tuple[tuple[str, str], ...] = ()  # (slug, title)


async def choose_topic(database: Database, chat_telegram_id: int, slug: str | None) -> TopicChoice:
    """An explicit slug wins; otherwise the chat's only subscription, or the only topic there is;
    otherwise the chat's subscriptions (or every topic) to pick from."""
    if slug:
        return TopicChoice(slug=slug.lower())
    async with database.session() as session:
        chat = await chat_by_telegram_id(session, chat_telegram_id)
        topics: list[Topic] = await subscribed_topics(session, chat.id) if chat and chat.id else []
        if not topics:
            topics = [topic for topic, _, _ in await list_topics_with_counts(session)]
    if len(topics) == 1:
        return TopicChoice(slug=topics[0].slug)
    return TopicChoice(slug=None, options=tuple((t.slug, t.title) for t in topics))


async def topic_options(database: Database) -> tuple[tuple[str, str], ...]:
    async with database.session() as session:
        rows = await list_topics_with_counts(session)
    return tuple((topic.slug, topic.title) for topic, _, _ in rows)


async def topic_listing(database: Database) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The /topics text and the (slug, title) pairs to offer as Subscribe buttons."""
    async with database.session() as session:
        rows = await list_topics_with_counts(session)
    text = render_topic_list([_topic_view(topic, subs, rounds) for topic, subs, rounds in rows])
    return text, tuple((topic.slug, topic.title) for topic, _, _ in rows)


async def topic_card_text(database: Database, slug: str) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        subscribers, rounds = await topic_counts(session, topic.id or 0)
    return render_topic_card(_topic_view(topic, subscribers, rounds))


async def latest_text(database: Database, slug: str) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        target = await latest_round(session, topic.id or 0)
        if target is None:
            return render_history(topic.title, topic.slug, [])
        view = await round_view(session, topic, target)
    return render_round_summary(view, kind="latest")


async def parties_text(database: Database, slug: str) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        target = await latest_round(session, topic.id or 0)
        parties = await topic_parties(session, topic, target)
    label = None
    if target is not None:
        label = f"round {target.number}" if target.number is not None else target.title
    return render_parties(topic.title, topic.slug, parties, round_label=label)


async def history_text(database: Database, slug: str) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        rounds = await topic_history(session, topic.id or 0)
    return render_history(topic.title, topic.slug, rounds)


async def topic_title(database: Database, slug: str) -> str:
    async with database.session() as session:
        return (await _topic(session, slug)).title


async def _topic(session: AsyncSession, slug: str) -> Topic:
    topic = await topic_by_slug(session, slug.lower())
    if topic is None:
        raise TopicNotFound(slug)
    return topic


def _topic_view(topic: Topic, subscribers: int, rounds: int) -> TopicView:
    return TopicView(
        slug=topic.slug,
        title=topic.title,
        description=topic.description,
        status=topic.status,
        subscribers=subscribers,
        rounds=rounds,
    )
