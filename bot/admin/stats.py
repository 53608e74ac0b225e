"""Delivery health for admins: per-topic counts, the scheduler's pulse, recent failures."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reading.phrasing import format_count
from bot.reading.schedule_times import DigestSchedule, next_digest_time
from storage.database import Database
from storage.deliveries import delivery_stats, read_scheduler_state, recent_failures
from storage.digests import chats_awaiting_digest, digest_counts


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "never"


async def stats_text(database: Database, now: datetime) -> str:
    """`now` is the readers' clock, the one digest times are kept by; "today" is its UTC day."""
    day_start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    async with database.session() as session:
        rows = await delivery_stats(session)
        state = await read_scheduler_state(session)
        digests = await digest_counts(session, day_start, day_start + timedelta(days=1))
        awaiting = await chats_awaiting_digest(session)
    lines = ["📊 <b>Delivery stats</b>"]
    for row in rows:
        lines.append(
            f"<code>{html.escape(row.slug)}</code>: "
            f"{format_count(row.subscribers, 'subscriber', 'subscribers')} · "
            f"{row.pending} pending · {row.sent} sent · {row.failed} failed · "
            f"{row.skipped} skipped"
        )
    if not rows:
        lines.append("No topics yet.")
    upcoming = [
        next_digest_time(
            now, ZoneInfo(c.time_zone), DigestSchedule(c.digest_hour, c.digest_weekday)
        )
        for c in awaiting
    ]
    lines.append("")
    lines.append(
        f"Digests: {digests.pending} pending · {digests.sent} sent today · "
        f"{format_count(digests.waiting_posts, 'post', 'posts')} waiting in "
        f"{format_count(digests.waiting_chats, 'chat', 'chats')}"
    )
    if upcoming:
        day, at = min(upcoming, key=lambda due: due[1])
        lines.append(f"Next digest due: {_when(at.astimezone(UTC))} (local date {day})")
    else:
        lines.append("Next digest due: none waiting")
    last_check = state.get("last_check")
    last_error = state.get("last_error")
    lines.append("")
    lines.append(f"Last check: {_when(last_check.at if last_check else None)}")
    if last_error and last_error.value:
        lines.append(f"Last error ({_when(last_error.at)}): {html.escape(last_error.value)}")
    else:
        lines.append("Last error: none")
    return "\n".join(lines)


async def failures_text(database: Database, limit: int = 10) -> str:
    async with database.session() as session:
        failures = await recent_failures(session, limit)
    if not failures:
        return "No failed deliveries."
    lines = ["⚠️ <b>Recent failed deliveries</b>"]
    for item in failures:
        chat = html.escape(item.chat_title) if item.chat_title else str(item.telegram_id)
        lines.append(
            f"• <code>{html.escape(item.slug)}</code> post {item.post_id} → {chat} "
            f"({format_count(item.attempts, 'attempt', 'attempts')}): "
            f"{html.escape(item.error or 'unknown error')}"
        )
    return "\n".join(lines)
