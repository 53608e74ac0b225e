"""What was last published about a round, so that publishing it again is noticed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Post
from storage.states import PostState


async def published_rendering_of_round(
    session: AsyncSession, round_id: int
) -> tuple[int, str, str] | None:
    """The newest published post about the round: its id, text and kind."""
    row = (
        await session.execute(
            select(col(Post.id), col(Post.rendered), col(Post.kind))
            .where(col(Post.round_id) == round_id, col(Post.state) == PostState.PUBLISHED)
            .where(col(Post.kind) != "correction")
            .order_by(col(Post.id).desc())
            .limit(1)
        )
    ).first()
    if row is None or row[0] is None:
        return None
    return int(row[0]), str(row[1] or ""), str(row[2])
