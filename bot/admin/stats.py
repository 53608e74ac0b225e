"""Delivery health for admins: per-topic counts, the scheduler's pulse, recent failures.
Slugs, chat titles and error texts are shown as stored, isolated in a Persian sentence."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reading.language import Translator
from bot.reading.schedule_times import DigestSchedule, next_digest_time
from storage.database import Database
from storage.deliveries import delivery_stats, read_scheduler_state, recent_failures
from storage.digests import chats_awaiting_digest, digest_counts


def _when(moment: datetime | None, t: Translator) -> str:
    if moment is None:
        return t._("never")
    return t.isolate(t.digits(moment.strftime("%Y-%m-%d %H:%M:%S UTC")))


def _code(text: str, t: Translator) -> str:
    return t.isolate(f"<code>{html.escape(text)}</code>")


async def stats_text(database: Database, now: datetime, t: Translator) -> str:
    """`now` is the readers' clock, the one digest times are kept by; "today" is its UTC day."""
    day_start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    async with database.session() as session:
        rows = await delivery_stats(session)
        state = await read_scheduler_state(session)
        digests = await digest_counts(session, day_start, day_start + timedelta(days=1))
        awaiting = await chats_awaiting_digest(session)
    lines = [t._("📊 <b>Delivery stats</b>")]
    for row in rows:
        counts = t._(
            "{subscribers} · {pending} pending · {sent} sent · {failed} failed · {skipped} skipped"
        ).format(
            subscribers=t.ngettext(
                "{count} subscriber", "{count} subscribers", row.subscribers
            ).format(count=t.number(row.subscribers)),
            pending=t.number(row.pending),
            sent=t.number(row.sent),
            failed=t.number(row.failed),
            skipped=t.number(row.skipped),
        )
        lines.append(f"{_code(row.slug, t)}: {counts}")
    if not rows:
        lines.append(t._("No topics yet."))
    upcoming = [
        next_digest_time(
            now, ZoneInfo(c.time_zone), DigestSchedule(c.digest_hour, c.digest_weekday)
        )
        for c in awaiting
    ]
    lines.append("")
    lines.append(
        t._("Digests: {pending} pending · {sent} sent today · {posts} waiting in {chats}").format(
            pending=t.number(digests.pending),
            sent=t.number(digests.sent),
            posts=t.ngettext("{count} post", "{count} posts", digests.waiting_posts).format(
                count=t.number(digests.waiting_posts)
            ),
            chats=t.ngettext("{count} chat", "{count} chats", digests.waiting_chats).format(
                count=t.number(digests.waiting_chats)
            ),
        )
    )
    if upcoming:
        day, at = min(upcoming, key=lambda due: due[1])
        lines.append(
            t._("Next digest due: {when} (local date {day})").format(
                when=_when(at.astimezone(UTC), t), day=_day(day, t)
            )
        )
    else:
        lines.append(t._("Next digest due: none waiting"))
    last_check = state.get("last_check")
    last_error = state.get("last_error")
    lines.append("")
    lines.append(
        t._("Last check: {when}").format(when=_when(last_check.at if last_check else None, t))
    )
    if last_error and last_error.value:
        lines.append(
            t._("Last error ({when}): {error}").format(
                when=_when(last_error.at, t), error=t.isolate(html.escape(last_error.value))
            )
        )
    else:
        lines.append(t._("Last error: none"))
    return t.directed("\n".join(lines))


def _day(day: date, t: Translator) -> str:
    return t.isolate(t.digits(day.isoformat()))


async def failures_text(database: Database, t: Translator, limit: int = 10) -> str:
    async with database.session() as session:
        failures = await recent_failures(session, limit)
    if not failures:
        return t.directed(t._("No failed deliveries."))
    lines = [t._("⚠️ <b>Recent failed deliveries</b>")]
    for item in failures:
        chat = html.escape(item.chat_title) if item.chat_title else str(item.telegram_id)
        error = html.escape(item.error) if item.error else None
        values = {
            "chat": t.isolate(chat),
            "attempts": t.ngettext("{count} attempt", "{count} attempts", item.attempts).format(
                count=t.number(item.attempts)
            ),
            "error": t.isolate(error) if error else t._("unknown error"),
        }
        if item.post_id is None or item.slug is None:
            line = t._("digest of {period} → {chat} ({attempts}): {error}").format(
                period=t.isolate(item.digest_period or "?"), **values
            )
        else:
            line = t._("{slug} post {post_id} → {chat} ({attempts}): {error}").format(
                slug=_code(item.slug, t), post_id=t.number(item.post_id), **values
            )
        lines.append("• " + line)
    return t.directed("\n".join(lines))
