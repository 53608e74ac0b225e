"""/timeline: the picture of a topic's rounds, or a sentence when there is nothing to draw."""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass

from bot.reading.language import ENGLISH, Translator
from bot.reading.topics import TopicNotFound
from storage.database import Database
from storage.timeline import topic_timeline
from storage.topics import topic_by_slug


@dataclass(frozen=True)
class TimelineAnswer:
    """`picture` is PNG bytes with `text` as its caption, or None and `text` is the answer."""

    text: str
    picture: bytes | None = None


async def timeline_answer(database: Database, slug: str, t: Translator = ENGLISH) -> TimelineAnswer:
    """Drawing takes a few hundred milliseconds of CPU, so it runs in a thread: the event loop
    keeps answering other chats and sending alerts meanwhile. The caption, the sentences and
    the labels drawn in the picture are in the reader's language."""
    async with database.session() as session:
        topic = await topic_by_slug(session, slug.lower())
        if topic is None or topic.id is None:
            raise TopicNotFound(slug)
        rounds = await topic_timeline(session, topic.id)
    title, slug_shown = t.isolate(html.escape(topic.title)), t.isolate(topic.slug)
    if not rounds:
        text = t._(
            "<b>{title}</b> has no rounds yet, so there is no timeline to draw. "
            "/history {slug} lists what there is."
        )
        return TimelineAnswer(t.directed(text.format(title=title, slug=slug_shown)))
    # matplotlib takes half a second to import: paid by the first /timeline, not by every start.
    from bot.reading.timeline_picture import render_timeline

    picture = await asyncio.to_thread(render_timeline, topic.title, rounds, t)
    text = t._("🗓 <b>{title}</b>: every round on a time axis. /history {slug} has them in words.")
    return TimelineAnswer(t.directed(text.format(title=title, slug=slug_shown)), picture)
