"""The part of each scheduler tick that runs on the reader's clock: quiet hours end, and
digests fall due. It runs before the dispatcher's tick, so what it makes due goes out at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from bot.reading.digest_text import render_digest
from bot.reading.language import Translator, translator
from bot.reading.phrasing import format_day
from bot.reading.schedule_times import (
    WEEKDAYS,
    DigestSchedule,
    QuietHours,
    is_quiet,
    latest_digest_time,
    next_digest_time,
)
from storage.chat_settings import chats_with_held_deliveries, release_held_deliveries
from storage.database import Database
from storage.digests import (
    DigestChat,
    chats_awaiting_digest,
    create_digest,
    has_digest,
    stamp_waiting,
    waiting_lines,
)
from storage.states import Calendar

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


async def release_quiet_alerts(database: Database, now: datetime) -> int:
    """Held alerts of every chat whose quiet hours are over (or gone) become due. Only reads
    unless there is something to release: on SQLite a write transaction takes the one write
    lock, which every tick must not take from the dispatcher for nothing."""
    async with database.session() as session:
        held = await chats_with_held_deliveries(session)
    releasable = []
    for chat_id, zone, start, end in held:
        quiet = QuietHours(start, end) if start is not None and end is not None else None
        if quiet is None or not is_quiet(now, ZoneInfo(zone), quiet):
            releasable.append(chat_id)
    if not releasable:
        return 0
    async with database.transaction() as session:
        return await release_held_deliveries(session, releasable)


def digest_title(chat: DigestChat, day: datetime, t: Translator) -> str:
    local = day.astimezone(ZoneInfo(chat.time_zone))
    if t.right_to_left:
        kind = t._("Daily digest") if chat.digest_weekday is None else t._("Weekly digest")
        when = f"{t.weekday(local.weekday())} {t.day_and_month(local.date())}"
        return f"{kind} · {when} {t.number(t.calendar_day(local.date()).year)}"
    kind = "Daily digest" if chat.digest_weekday is None else "Weekly digest"
    if t.calendar != Calendar.GREGORIAN:
        return f"{kind} · {WEEKDAYS[local.weekday()][:3]} {format_day(local.date(), t)}"
    return f"{kind} · {WEEKDAYS[local.weekday()][:3]} {local.day} {local:%b %Y}"


async def compose_due_digests(database: Database, now: datetime) -> int:
    """A post first seen waiting is given the period of the chat's next digest time; at that
    time (or the first tick after) the period's posts make its digest, unless the period has
    one already. One transaction per chat; the unique (chat, period) pair makes a second
    worker's attempt at the same digest fail and change nothing."""
    async with database.session() as session:
        chats = await chats_awaiting_digest(session)
    made = 0
    for chat in chats:
        schedule = DigestSchedule(chat.digest_hour, chat.digest_weekday)
        zone = ZoneInfo(chat.time_zone)
        day, due_at = latest_digest_time(now, zone, schedule)
        period = day.isoformat()
        upcoming = next_digest_time(now, zone, schedule)[0].isoformat()
        try:
            async with database.transaction() as session:
                await stamp_waiting(session, chat.chat_id, upcoming)
                if await has_digest(session, chat.chat_id, period):
                    continue
                lines = await waiting_lines(session, chat.chat_id, period)
                if not lines:
                    continue
                t = translator(chat.language or "en", chat.calendar)
                rendered = render_digest(lines, digest_title(chat, due_at, t), t)
                entries = [line.entry_id for line in lines]
                # A forum chat's digest goes to the topic all its news is followed in, if one.
                threads = {line.thread_id for line in lines}
                thread = threads.pop() if len(threads) == 1 else None
                await create_digest(
                    session, chat.chat_id, period, due_at, rendered, entries, thread
                )
                made += 1
        except IntegrityError:
            log.info("digest %s of chat %s was made by another worker", period, chat.chat_id)
    return made


async def run_reader_schedule(database: Database, now: datetime) -> None:
    await release_quiet_alerts(database, now)
    await compose_due_digests(database, now)
