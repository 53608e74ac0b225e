"""Admin posting: a card becomes a draft with a preview, then one published update."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.posting.card_grammar import parse_card, read_card
from bot.posting.card_review import review_card
from bot.reading.alert_parts import split_alert
from bot.reading.render import render_alert, render_update
from bot.reading.what_changed import changes_between, changes_from_previous_round
from storage.admins import record_audit
from storage.card import CardError, CardProblem, RoundCard
from storage.database import Database
from storage.models import Post, Round, Topic
from storage.posts import create_draft, mark_published, post_for_change
from storage.round_views import previous_round, round_view
from storage.rounds import RoundNotFound, card_context, card_target, record_card
from storage.topics import create_topic, topic_by_slug

SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?")
KIND_LABELS = {
    "new_round": "New round",
    "round_update": "Round update",
    "development": "Development",
    "outcome": "Outcome",
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
    warnings: list[CardProblem] = field(default_factory=list)


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
            "with '-', e.g. `pak-taliban-talks`."
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
            raise PostError(f"The topic `{slug}` already exists.")
        topic = await create_topic(session, slug, title, description)
        await record_audit(session, author_id, "newtopic", slug)
    return topic


async def preview_post(database: Database, author_id: int, slug: str, text: str) -> Preview:
    """Renders the card exactly as subscribers will see it by recording it in a transaction that
    is then rolled back; only the draft (the card's text) is kept. The topic is looked up first
    (a wrong slug is the one mistake that makes the rest meaningless), then the card's syntax
    and its sense against the stored topic are checked together, so every error comes at once."""
    async with database.session() as session:
        topic = await _topic(session, slug)
        topic_id = topic.id or 0
        card, problems = read_card(text)
        review = review_card(card, await card_context(session, topic_id), problems)
        if problems or review.errors:
            raise CardError([*problems, *review.errors])
        try:
            kind, rendered, _ = await _record_and_render(session, topic, card)
        finally:
            await session.rollback()
    async with database.transaction() as session:
        draft = await create_draft(session, topic_id, author_id, text)
        await record_audit(session, author_id, "draft", f"update {draft.id} for {slug}")
    return Preview(
        post_id=draft.id or 0,
        slug=slug,
        kind=kind,
        parts=split_alert(rendered),
        warnings=review.warnings,
    )


async def publish_post(database: Database, post_id: int, admin_id: int) -> Published:
    """One transaction: the card's facts and the published update land together or not at all."""
    async with database.transaction() as session:
        draft = await _draft(session, post_id)
        topic = await session.get(Topic, draft.topic_id)
        assert topic is not None
        card = parse_card(draft.card_text)
        kind, rendered, round_id = await _record_and_render(session, topic, card)
        target = await session.get(Round, round_id)
        assert target is not None
        headline = f"{KIND_LABELS[kind]}: {_named(target)}"
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
        raise PostError(f"There is no topic `{slug}`. /topics lists them; /newtopic creates one.")
    return topic


async def _draft(session: AsyncSession, post_id: int) -> Post:
    draft = await post_for_change(session, post_id)
    if draft is None:
        raise PostError("That draft no longer exists.")
    if draft.state != "draft":
        raise PostError(f"That update was already {draft.state}.")
    return draft


def _named(target: Round) -> str:
    return f"Round {target.number} · {target.title}" if target.number is not None else target.title


async def _record_and_render(
    session: AsyncSession, topic: Topic, card: RoundCard
) -> tuple[str, str, int]:
    """A change to a stored round is told as what changed; anything new is told whole, with
    what differs from the round before it."""
    existing = await card_target(session, topic.id or 0, card)
    before = await round_view(session, topic, existing) if existing is not None else None
    try:
        recorded = await record_card(session, topic.id or 0, card)
    except RoundNotFound as error:
        raise PostError(str(error)) from None
    target = await session.get(Round, recorded.round_id)
    assert target is not None
    after = await round_view(session, topic, target, summary=card.summary)
    if before is not None:
        rendered = render_update(
            replace(after, summary=card.summary),
            kind=recorded.kind,
            changes=changes_between(before, after),
            sources=[source for source in after.sources if source not in before.sources],
        )
        return recorded.kind, rendered, recorded.round_id
    prior = await previous_round(session, target)
    since = []
    if prior is not None:
        since = changes_from_previous_round(await round_view(session, topic, prior), after)
    return (
        recorded.kind,
        render_alert(after, kind=recorded.kind, since_previous=since),
        recorded.round_id,
    )
