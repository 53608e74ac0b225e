"""What readers ask for: topics, the latest round, who sits at the table, the history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.reading.language import ENGLISH, Translator
from bot.reading.render import (
    render_history,
    render_latest,
    render_parties,
    render_statements,
    render_topic_card,
    render_topic_list,
    render_unknown_party,
)
from storage.chats import chat_by_telegram_id, subscribed_topics
from storage.corrections import corrections_of_topic
from storage.database import Database
from storage.models import Topic
from storage.round_views import (
    latest_development,
    latest_round,
    party_statements,
    round_view,
    topic_history,
    topic_parties,
)
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
            topics = [row[0] for row in await list_topics_with_counts(session)]
    if len(topics) == 1:
        return TopicChoice(slug=topics[0].slug)
    return TopicChoice(slug=None, options=tuple((t.slug, t.title) for t in topics))


async def topic_options(database: Database) -> tuple[tuple[str, str], ...]:
    async with database.session() as session:
        rows = await list_topics_with_counts(session)
    return tuple((row[0].slug, row[0].title) for row in rows)


async def topic_listing(
    database: Database, t: Translator = ENGLISH
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The /topics text and the (slug, title) pairs to offer as Subscribe buttons."""
    async with database.session() as session:
        rows = await list_topics_with_counts(session)
    text = render_topic_list([_topic_view(*row) for row in rows], t)
    return text, tuple((row[0].slug, row[0].title) for row in rows)


async def topic_card_text(database: Database, slug: str, t: Translator = ENGLISH) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        counts = await topic_counts(session, topic.id or 0)
    return render_topic_card(_topic_view(topic, *counts), t)


async def latest_text(database: Database, slug: str, t: Translator = ENGLISH) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        target = await latest_round(session, topic.id or 0)
        development = await latest_development(session, topic.id or 0)
        round_shown = await round_view(session, topic, target) if target else None
        development_shown = await round_view(session, topic, development) if development else None
    return render_latest(round_shown, development_shown, topic.title, t)


async def parties_text(database: Database, slug: str, t: Translator = ENGLISH) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        parties = await topic_parties(session, topic)
    return render_parties(topic.title, topic.slug, parties, t)


@dataclass(frozen=True)
class StatementsAnswer:
    """The answer to /statements, or the topics to choose from when it is not clear which."""

    text: str | None
    options: tuple[tuple[str, str], ...] = ()


async def statements_answer(
    database: Database, chat_telegram_id: int, words: Sequence[str], t: Translator = ENGLISH
) -> StatementsAnswer:
    """The first word names the topic when it is a topic's slug and a party follows; otherwise
    the topic is chosen as for /latest, and every word is the party's name."""
    if len(words) > 1:
        async with database.session() as session:
            named = await topic_by_slug(session, words[0].lower())
        if named is not None:
            return StatementsAnswer(
                await statements_text(database, named.slug, " ".join(words[1:]), t)
            )
    choice = await choose_topic(database, chat_telegram_id, None)
    if choice.slug is None:
        return StatementsAnswer(None if choice.options else t._("No topics yet."), choice.options)
    return StatementsAnswer(await statements_text(database, choice.slug, " ".join(words), t))


async def statements_text(
    database: Database, slug: str, party: str, t: Translator = ENGLISH
) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        found = await party_statements(session, topic, party)
    if found is None:
        return render_unknown_party(topic.title, topic.slug, party, t)
    name, statements = found
    return render_statements(topic.title, topic.slug, name, statements, t)


async def history_text(database: Database, slug: str, t: Translator = ENGLISH) -> str:
    async with database.session() as session:
        topic = await _topic(session, slug)
        rounds = await topic_history(session, topic.id or 0)
        corrections = await corrections_of_topic(session, topic.id or 0)
    return render_history(
        topic.title, topic.slug, rounds, [(c.published_at, c.headline) for c in corrections], t
    )


async def topic_title(database: Database, slug: str) -> str:
    async with database.session() as session:
        return (await _topic(session, slug)).title


async def _topic(session: AsyncSession, slug: str) -> Topic:
    topic = await topic_by_slug(session, slug.lower())
    if topic is None:
        raise TopicNotFound(slug)
    return topic


def _topic_view(topic: Topic, subscribers: int, rounds: int, developments: int) -> TopicView:
    return TopicView(
        slug=topic.slug,
        title=topic.title,
        description=topic.description,
        status=topic.status,
        subscribers=subscribers,
        rounds=rounds,
        developments=developments,
    )
