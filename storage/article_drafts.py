"""Cards drafted from articles, waiting for an admin's Publish, Edit or Discard."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ArticleDraft


async def create_article_draft(
    session: AsyncSession,
    author_id: int,
    card_text: str,
    topic_slug: str | None,
    candidate_slugs: list[str],
) -> ArticleDraft:
    draft = ArticleDraft(
        author_id=author_id,
        card_text=card_text,
        topic_slug=topic_slug,
        candidate_slugs=" ".join(candidate_slugs),
    )
    session.add(draft)
    await session.flush()
    return draft


async def article_draft_for_change(session: AsyncSession, draft_id: int) -> ArticleDraft | None:
    """Locked where the database can, so two presses cannot act on one draft at once."""
    return await session.scalar(
        select(ArticleDraft).where(col(ArticleDraft.id) == draft_id).with_for_update()
    )


async def article_draft_by_id(session: AsyncSession, draft_id: int) -> ArticleDraft | None:
    return await session.get(ArticleDraft, draft_id)
