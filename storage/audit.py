"""Reading the audit log back, newest first, a page at a time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AuditLog


async def audit_page(
    session: AsyncSession, topic: str | None, offset: int, limit: int
) -> tuple[list[AuditLog], bool]:
    """The entries of one page, and whether older ones follow."""
    query = select(AuditLog).order_by(col(AuditLog.id).desc()).offset(offset).limit(limit + 1)
    if topic is not None:
        query = query.where(col(AuditLog.topic_slug) == topic)
    rows = list(await session.scalars(query))
    return rows[:limit], len(rows) > limit
