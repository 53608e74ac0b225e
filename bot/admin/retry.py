"""Giving failed deliveries another go once an admin has dealt with the cause."""

from __future__ import annotations

from storage.admins import record_audit
from storage.database import Database
from storage.deliveries import requeue_failed_deliveries


async def requeue_failed(database: Database, admin_id: int, post_id: int | None) -> int:
    """Failed deliveries of one post, or of all posts when `post_id` is None, are due again
    with a fresh retry window; returns how many. The audit log says who asked."""
    async with database.transaction() as session:
        count = await requeue_failed_deliveries(session, post_id)
        target = "all posts" if post_id is None else f"post {post_id}"
        await record_audit(session, admin_id, "retry", f"{target}: {count} re-queued")
    return count
