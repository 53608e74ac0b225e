"""Updates: drafts, publishing, corrections."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Update, utc_now


async def create_draft(
    session: AsyncSession, topic_id: int, author_id: int, card_text: str
) -> Update:
    draft = Update(topic_id=topic_id, author_id=author_id, card_text=card_text)
    session.add(draft)
    await session.flush()
    return draft


async def update_for_change(session: AsyncSession, update_id: int) -> Update | None:
    """The row, locked where the database can, so two admins cannot publish it twice."""
    return await session.scalar(select(Update).where(Update.id == update_id).with_for_update())


async def mark_published(
    session: AsyncSession,
    update: Update,
    *,
    round_id: int | None,
    kind: str,
    headline: str,
    summary: str | None,
    rendered: str,
) -> None:
    update.round_id = round_id
    update.kind = kind
    update.headline = headline[:300]
    update.summary = summary
    update.rendered = rendered
    update.state = "published"
    update.published_at = utc_now()
    await session.flush()
