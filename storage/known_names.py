"""Names Telegram gave for people who wrote to the bot."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import KnownName, utc_now


async def note_name(
    session: AsyncSession, user_id: int, first_name: str, username: str | None
) -> None:
    known = await session.get(KnownName, user_id)
    first_name, username = first_name[:200], username[:64] if username else None
    if known is None:
        session.add(KnownName(user_id=user_id, first_name=first_name, username=username))
    elif (known.first_name, known.username) != (first_name, username):
        known.first_name, known.username, known.seen_at = first_name, username, utc_now()
    await session.flush()


async def names_of(session: AsyncSession, user_ids: list[int]) -> dict[int, KnownName]:
    rows = await session.scalars(select(KnownName).where(col(KnownName.user_id).in_(user_ids)))
    return {row.user_id: row for row in rows}
