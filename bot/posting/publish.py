"""Admin posting: a card becomes a draft with a preview, then one published update."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.split import split_message
from bot.posting.card_grammar import parse_card
from bot.reading.render import render_round_summary
from storage.admins import record_audit
from storage.card import RoundCard
from storage.database import Database
from storage.models import Post, Round, Topic
from storage.posts import create_draft, mark_published, post_for_change
from storage.round_views import round_view
from storage.rounds import RoundNotFound, record_card
from storage.topics import create_topic, topic_by_slug

SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
KIND_LABELS = {
    "new_round": "New round",
    "round_update": "Round update",
    "outcome": "Outcome",
    "statement": "Statement",
    "correction": "Correction",
}


class PostError(Exception):
    """A post that cannot go ahead; the message is shown to the admin as it is."""


@dataclass(frozen=True)
class Preview:
    post_id: int
    slug: str
    kind: str
    parts: list[str]


@dataclass(frozen=True)
class Published:
    post_id: int
    slug: str
    kind: str
    headline: str


def check_slug(slug: str) -> str:
    if not SLUG_PATTERN.fullmatch(slug):
        raise PostError(
            "A topic slug is 1–32 characters of a–z, 0–9 and '-', not starting or ending "
            "with '-', e.g. pak-taliban-talks."
        )
    return slug


async def create_new_topic(
    database: Database, author_id: int, slug: str, title: str, description: str | None = None
) -> Topic:
    check_slug(slug)
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise PostError("Give the topic a title of 1–200 characters after the slug.")
    async with database.transaction() as session:
        if await topic_by_slug(session, slug) is not None:
            raise PostError(f"The topic {slug} already exists.")
        topic = await create_topic(session, slug, title, description)
        await record_audit(session, author_id, "newtopic", slug)
    return topic


async def preview_post(database: Database, author_id: int, slug: str, text: str) -> Preview:
    """Renders the card exactly as subscribers will see it by recording it in a transaction that
    is then rolled back; only the draft (the card's text) is kept."""
    card = parse_card(text)
    async with database.session() as session:
        topic = await _topic(session, slug)
        topic_id = topic.id or 0
        try:
            kind, rendered, _ = await _record_and_render(session, topic, card)
        finally:
            await session.rollback()
    async with database.transaction() as session:
        draft = await create_draft(session, topic_id, author_id, text)
        await record_audit(session, author_id, "draft", f"update {draft.id} for {slug}")
    return Preview(post_id=draft.id or 0, slug=slug, kind=kind, parts=split_message(rendered))


async def publish_post(database: Database, post_id: int, admin_id: int) -> Published:
    """One transaction: the card's facts and the published update land together or not at all."""
    async with database.transaction() as session:
        draft = await _draft(session, post_id)
        topic = await session.get(Topic, draft.topic_id)
        assert topic is not None
        card = parse_card(draft.card_text)
        kind, rendered, round_id = await _record_and_render(session, topic, card)
        headline = f"{KIND_LABELS[kind]}: {card.title or topic.title}"
        await mark_published(
            session,
            draft,
            round_id=round_id,
            kind=kind,
            headline=headline,
            summary=card.summary,
            rendered=rendered,
        )
        await record_audit(session, admin_id, "publish", f"update {post_id}: {headline}")
    return Published(post_id=post_id, slug=topic.slug, kind=kind, headline=headline)


async def cancel_post(database: Database, post_id: int, admin_id: int) -> None:
    async with database.transaction() as session:
        draft = await _draft(session, post_id)
        draft.state = "cancelled"
        await record_audit(session, admin_id, "cancel", f"update {post_id}")


async def _topic(session: AsyncSession, slug: str) -> Topic:
    topic = await topic_by_slug(session, slug)
    if topic is None:
        raise PostError(f"There is no topic {slug}. /topics lists them; /newtopic creates one.")
    return topic


async def _draft(session: AsyncSession, post_id: int) -> Post:
    draft = await post_for_change(session, post_id)
    if draft is None:
        raise PostError("That draft no longer exists.")
    if draft.state != "draft":
        raise PostError(f"That update was already {draft.state}.")
    return draft


async def _record_and_render(
    session: AsyncSession, topic: Topic, card: RoundCard
) -> tuple[str, str, int]:
    try:
        recorded = await record_card(session, topic.id or 0, card)
    except RoundNotFound as error:
        raise PostError(str(error)) from None
    target = await session.get(Round, recorded.round_id)
    assert target is not None
    view = await round_view(session, topic, target, summary=card.summary)
    return recorded.kind, render_round_summary(view, kind=recorded.kind), recorded.round_id
