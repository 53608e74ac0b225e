"""Posts: drafts, publishing, corrections."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Post, utc_now
from storage.states import PostState


async def create_draft(
    session: AsyncSession,
    topic_id: int,
    author_id: int,
    card_text: str,
    *,
    kind: str,
    rendered: str,
    fingerprint: str,
) -> Post:
    draft = Post(
        topic_id=topic_id,
        author_id=author_id,
        card_text=card_text,
        kind=kind,
        rendered=rendered,
        preview_fingerprint=fingerprint,
    )
    session.add(draft)
    await session.flush()
    return draft


async def renew_preview(
    session: AsyncSession, draft: Post, *, kind: str, rendered: str, fingerprint: str
) -> None:
    """A fresh preview starts the draft's lifetime again."""
    draft.kind = kind
    draft.rendered = rendered
    draft.preview_fingerprint = fingerprint
    draft.created_at = utc_now()
    await session.flush()


async def post_for_change(session: AsyncSession, post_id: int) -> Post | None:
    """The row, locked where the database can, so two admins cannot publish it twice."""
    return await session.scalar(select(Post).where(col(Post.id) == post_id).with_for_update())


async def mark_published(
    session: AsyncSession,
    update: Post,
    *,
    round_id: int | None,
    kind: str,
    headline: str,
    summary: str | None,
) -> None:
    update.round_id = round_id
    update.kind = kind
    update.headline = headline[:300]
    update.summary = summary
    update.state = PostState.PUBLISHED
    update.published_at = utc_now()
    await session.flush()
