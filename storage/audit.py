"""Reading the audit log back, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AuditLog


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditLog]  # newest first
    has_older: bool
    has_newer: bool


async def audit_page(
    session: AsyncSession,
    topic: str | None,
    limit: int,
    *,
    older_than: int | None = None,
    newer_than: int | None = None,
) -> AuditPage:
    """Pages are marked by entry ids rather than counted, so entries written while someone
    reads do not shift the pages they turn to. Without a mark: the newest page."""
    query = select(AuditLog)
    if topic is not None:
        query = query.where(col(AuditLog.topic_slug) == topic)
    if newer_than is not None:
        ascending = query.where(col(AuditLog.id) > newer_than).order_by(col(AuditLog.id))
        entries = list(reversed(list(await session.scalars(ascending.limit(limit)))))
    else:
        if older_than is not None:
            query_older = query.where(col(AuditLog.id) < older_than)
        else:
            query_older = query
        descending = query_older.order_by(col(AuditLog.id).desc())
        entries = list(await session.scalars(descending.limit(limit)))
    if not entries:
        return AuditPage([], has_older=False, has_newer=False)
    oldest, newest = entries[-1].id or 0, entries[0].id or 0
    return AuditPage(
        entries,
        has_older=await _any(session, query.where(col(AuditLog.id) < oldest)),
        has_newer=await _any(session, query.where(col(AuditLog.id) > newest)),
    )


async def _any(session: AsyncSession, query: Select[AuditLog]) -> bool:
    return (await session.scalar(query.limit(1))) is not None
