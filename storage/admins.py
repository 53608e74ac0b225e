"""Who may post, and what each admin did."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Admin, AuditLog


async def stored_admin_ids(session: AsyncSession) -> set[int]:
    return set(await session.scalars(select(col(Admin.user_id))))


async def add_admin(session: AsyncSession, user_id: int, added_by: int) -> bool:
    if await session.get(Admin, user_id) is not None:
        return False
    session.add(Admin(user_id=user_id, added_by=added_by))
    await session.flush()
    return True


async def remove_admin(session: AsyncSession, user_id: int) -> bool:
    result = await session.execute(delete(Admin).where(col(Admin.user_id) == user_id))
    return bool(cast("CursorResult[Any]", result).rowcount)


async def record_audit(
    session: AsyncSession,
    user_id: int,
    action: str,
    detail: str | None,
    *,
    allowed: bool = True,
    topic: str | None = None,
) -> None:
    """`topic` is the slug the action was about, which `/audit <slug>` looks for."""
    session.add(
        AuditLog(
            user_id=user_id,
            action=action[:40],
            detail=detail[:1000] if detail else None,
            topic_slug=topic,
            allowed=allowed,
        )
    )
    await session.flush()
