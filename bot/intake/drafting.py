"""From an article an admin sent to a stored draft card, and from its buttons to the normal
preview: the service behind handlers/intake.py, taking and returning plain values."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date

from bot.intake.card_writing import write_card
from bot.intake.extraction import Extraction, extract_card
from bot.intake.known_topics import KnownParty, KnownTopic
from bot.posting.publish import PostError, Preview, preview_post
from storage.admins import record_audit
from storage.article_drafts import (
    article_draft_by_id,
    article_draft_for_change,
    create_article_draft,
)
from storage.database import Database
from storage.models import ArticleDraft
from storage.topic_parties import active_topics_with_parties

# Shorter than this, a message to the bot is a remark, not an article.
MIN_ARTICLE_CHARS = 200
MIN_ARTICLE_SENTENCES = 2
MAX_CARD_CHARS = 3500
MIN_SUMMARY_CHARS = 200


@dataclass(frozen=True)
class DraftProposal:
    draft_id: int
    card_text: str
    topic_slug: str | None
    candidates: tuple[tuple[str, str], ...]  # (slug, title) when the topic is still to choose
    suggested_slug: str


def looks_like_article(text: str) -> bool:
    sentences = re.findall(r"[.!?](?:\s|$)", text)
    return len(text) >= MIN_ARTICLE_CHARS and len(sentences) >= MIN_ARTICLE_SENTENCES


async def draft_from_article(
    database: Database,
    admin_id: int,
    text: str,
    message_date: date,
    publisher: str | None = None,
) -> DraftProposal:
    async with database.session() as session:
        stored = await active_topics_with_parties(session)
    topics = tuple(
        KnownTopic(t.slug, t.title, tuple(KnownParty(p.name, p.aliases, p.role) for p in t.parties))
        for t in stored
    )
    # Reading an article takes tens of milliseconds of CPU (the gazetteer's first load longer):
    # off the event loop, so alerts keep flowing meanwhile.
    extraction = await asyncio.to_thread(extract_card, text, message_date, topics, publisher)
    slug = extraction.topics[0].slug if len(extraction.topics) == 1 else None
    body = fitted_card_body(extraction)
    async with database.transaction() as session:
        draft = await create_article_draft(
            session, admin_id, body, slug, [t.slug for t in extraction.topics]
        )
        await record_audit(session, admin_id, "draft-article", f"draft {draft.id}: {slug or '?'}")
    return _proposal(draft, extraction, {t.slug: t.title for t in topics})


async def choose_topic(
    database: Database, admin_id: int, draft_id: int, slug: str
) -> DraftProposal:
    async with database.transaction() as session:
        draft = _open(await article_draft_for_change(session, draft_id))
        if slug not in draft.candidate_slugs.split():
            raise PostError("That topic was not one of the choices for this draft.")
        draft.topic_slug = slug
        await record_audit(session, admin_id, "draft-topic", f"draft {draft_id}: {slug}")
        await session.flush()
    return DraftProposal(draft.id or 0, _with_command(draft.card_text, slug), slug, (), slug)


async def preview_article_draft(database: Database, admin_id: int, draft_id: int) -> Preview:
    """Publish as is: the card goes through the same preview as a typed `/post`."""
    async with database.transaction() as session:
        draft = _open(await article_draft_for_change(session, draft_id))
        if draft.topic_slug is None:
            raise PostError("Choose or create the topic first; the card needs one.")
        slug, card_text = draft.topic_slug, draft.card_text
    preview = await preview_post(database, admin_id, slug, _with_command(card_text, slug))
    async with database.transaction() as session:
        draft = _open(await article_draft_for_change(session, draft_id))
        draft.state = "previewed"
    return preview


async def discard_article_draft(database: Database, admin_id: int, draft_id: int) -> None:
    async with database.transaction() as session:
        draft = _open(await article_draft_for_change(session, draft_id))
        draft.state = "discarded"
        await record_audit(session, admin_id, "draft-discard", f"draft {draft_id}")


async def draft_card_text(database: Database, draft_id: int) -> str:
    """The card as the admin should copy it, with the `/post` line."""
    async with database.session() as session:
        draft = _open(
            await article_draft_by_id(session, draft_id), states=("proposed", "previewed")
        )
        return _with_command(draft.card_text, draft.topic_slug)


def fitted_card_body(extraction: Extraction) -> str:
    """The card without its `/post` line, small enough for one Telegram message: members,
    then statements, then summary text give way first, since the admin can add them back."""
    lines = write_card(extraction.card, None).split("\n")[1:]
    at = lines.index("summary:") if "summary:" in lines else len(lines)
    head, summary = lines[:at], " ".join(lines[at + 1 :])
    for key in ("member:", "claim:", "position:", "announcement:", "demand:"):
        while len("\n".join(head)) > MAX_CARD_CHARS - MIN_SUMMARY_CHARS and any(
            line.startswith(key) for line in head
        ):
            head.pop(max(i for i, line in enumerate(head) if line.startswith(key)))
    room = MAX_CARD_CHARS - len("\n".join(head)) - len("\nsummary:\n")
    if not summary or room < MIN_SUMMARY_CHARS:
        return "\n".join(head)
    if len(summary) > room:
        summary = summary[:room].rsplit(" ", 1)[0]
    return "\n".join([*head, "summary:", summary])


def _proposal(draft: ArticleDraft, extraction: Extraction, titles: dict[str, str]) -> DraftProposal:
    slug = draft.topic_slug
    candidates = () if slug else tuple((t.slug, titles[t.slug]) for t in extraction.topics)
    return DraftProposal(
        draft_id=draft.id or 0,
        card_text=_with_command(draft.card_text, slug),
        topic_slug=slug,
        candidates=candidates,
        suggested_slug=slug or _suggested_slug(extraction.card.parties),
    )


def _suggested_slug(parties: tuple[str, ...]) -> str:
    words = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parties[:2])
    slug = f"{words}-talks" if words else "new-talks"
    return slug[:32].strip("-")


def _with_command(card_text: str, slug: str | None) -> str:
    return f"/post {slug or '<slug>'}\n{card_text}"


def _open(draft: ArticleDraft | None, *, states: tuple[str, ...] = ("proposed",)) -> ArticleDraft:
    if draft is None:
        raise PostError("That draft no longer exists.")
    if draft.state not in states:
        raise PostError(f"That draft was already {draft.state}.")
    return draft
