"""Publishing a previewed draft later: when, from the admin's words or a button, in the
admin's own time zone; the list of what waits; cancelling. The publishing itself happens on
the scheduler tick (bot/posting/schedule_tick.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.posting.publish import DEFAULT_DRAFT_LIFETIME, PostError, open_draft
from bot.reading.language import ENGLISH, N_, Translator
from bot.reading.phrasing import format_day
from storage.admins import record_audit
from storage.chat_settings import settings_of
from storage.chats import chat_by_telegram_id
from storage.database import Database
from storage.previews import latest_post_shown_in, post_shown_in, preview_message_ids
from storage.scheduled_posts import (
    WaitingPost,
    save_schedule,
    schedule_for_change,
    waiting_posts,
)
from storage.states import Calendar, ScheduleState

SCHEDULE_CHOICES = {
    "1h": N_("In 1 hour"),
    "3h": N_("In 3 hours"),
    "t8": N_("Tomorrow 08:00"),
    "t18": N_("Tomorrow 18:00"),
}
SCHEDULE_STATES = {
    "not scheduled": N_("not scheduled"),
    ScheduleState.PUBLISHED: N_("published"),
    ScheduleState.CANCELLED: N_("cancelled"),
    ScheduleState.OUTDATED: N_("outdated"),
}
_CHOICE_DELAYS = {"1h": timedelta(hours=1), "3h": timedelta(hours=3)}
_CHOICE_HOURS = {"t8": 8, "t18": 18}
_CLOCK_TIME = re.compile(r"(?:at\s+)?([01]?[0-9]|2[0-3])[:.h]([0-5][0-9])", re.IGNORECASE)
LONGEST_WAIT = timedelta(days=366)


class ScheduleError(PostError):
    """A time that cannot be used; the message says why, for the admin."""


@dataclass(frozen=True)
class Scheduled:
    post_id: int
    chat_id: int
    due_at: datetime
    zone: ZoneInfo
    preview_message_ids: list[int]


def choice_time(choice: str, now: datetime, zone: ZoneInfo) -> datetime:
    if choice in _CHOICE_DELAYS:
        return now + _CHOICE_DELAYS[choice]
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(_CHOICE_HOURS[choice]), zone)


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """`in 2 hours`, `tomorrow 08:00`, `21:30` (today, or tomorrow once it has passed),
    `2026-10-26 09:30`, `monday 10:00`, read in the admin's time zone."""
    words = " ".join(text.split())
    local_now = now.astimezone(zone)
    clock = _CLOCK_TIME.fullmatch(words)
    if clock is not None:
        at = datetime.combine(local_now.date(), time(int(clock[1]), int(clock[2])), zone)
        return at if at > local_now else at + timedelta(days=1)
    parsed = dateparser.parse(
        words,
        languages=["en"],
        settings={
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "TIMEZONE": zone.key,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "future",
        },
    )
    if parsed is None:
        raise ScheduleError(
            N_(
                "I cannot read {words} as a time. Try `in 2 hours`, `tomorrow 08:00`, "
                "`21:30` or `2026-10-26 09:30`."
            ),
            words=repr(words[:60]),
        )
    return parsed


def describe_time(moment: datetime, zone: ZoneInfo, t: Translator = ENGLISH) -> str:
    local = moment.astimezone(zone)
    if not t.right_to_left and t.calendar == Calendar.GREGORIAN:
        return f"{local:%a %d %b %Y, %H:%M} ({zone.key})"
    if not t.right_to_left:
        return f"{local:%a} {format_day(local.date(), t)}, {local:%H:%M} ({zone.key})"
    shown = t.calendar_day(local.date())
    return t._("{weekday} {day} {month} {year}, {time} ({zone})").format(
        weekday=t.weekday(local.weekday()),
        day=t.number(shown.day),
        month=t.month(local.date()),
        year=t.number(shown.year),
        time=t.digits(f"{local:%H:%M}"),
        zone=t.isolate(zone.key),
    )


async def admin_time_zone(database: Database, admin_id: int) -> ZoneInfo:
    """The time zone of the admin's private chat with the bot (set with /timezone), else UTC."""
    async with database.session() as session:
        chat = await chat_by_telegram_id(session, admin_id)
        zone = (await settings_of(session, chat.id or 0)).time_zone if chat else "UTC"
    return ZoneInfo(zone)


async def schedule_draft(
    database: Database,
    admin_id: int,
    chat_id: int,
    post_id: int,
    when: str,
    now: datetime,
    *,
    choice: bool = False,
    draft_lifetime: timedelta = DEFAULT_DRAFT_LIFETIME,
) -> Scheduled:
    """`when` is the admin's words, or with `choice` one of SCHEDULE_CHOICES. The preview must
    still be publishable, and the time ahead."""
    zone = await admin_time_zone(database, admin_id)
    if choice and when not in SCHEDULE_CHOICES:
        raise ScheduleError(N_("That choice no longer exists; press Schedule again."))
    due_at = choice_time(when, now, zone) if choice else parse_when(when, now, zone)
    if due_at <= now:
        raise ScheduleError(
            N_("{when} has already passed; choose a time ahead."),
            when=lambda t: describe_time(due_at, zone, t),
        )
    if due_at - now > LONGEST_WAIT:
        raise ScheduleError(N_("Choose a time within a year."))
    async with database.transaction() as session:
        draft = await open_draft(session, post_id, draft_lifetime)
        if draft.corrects_id is not None:
            raise ScheduleError(N_("A correction goes out when it is published, not later."))
        existing = await schedule_for_change(session, post_id)
        if existing is not None and existing.state == ScheduleState.WAITING:
            waiting_since = existing.due_at
            raise ScheduleError(
                N_("Already scheduled for {when}; /scheduled lists it."),
                when=lambda t: describe_time(waiting_since, zone, t),
            )
        await save_schedule(session, post_id, admin_id, chat_id, due_at)
        detail = f"update {post_id} at {due_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        await record_audit(session, admin_id, "schedule", detail)
        message_ids = await preview_message_ids(session, post_id, chat_id)
    return Scheduled(post_id, chat_id, due_at, zone, message_ids)


async def preview_to_schedule(
    database: Database, chat_id: int, replied_message_id: int | None
) -> int:
    """The draft of the preview replied to, else the latest preview shown in this chat."""
    async with database.session() as session:
        if replied_message_id is not None:
            post_id = await post_shown_in(session, chat_id, replied_message_id)
            if post_id is None:
                raise ScheduleError(N_("Reply to a preview (the message with Publish under it)."))
            return post_id
        latest = await latest_post_shown_in(session, chat_id)
    if latest is None:
        raise ScheduleError(N_("There is no preview to schedule: send /post with a card first."))
    return latest


async def schedule_preview(
    database: Database,
    admin_id: int,
    chat_id: int,
    replied_message_id: int | None,
    when: str,
    now: datetime,
    draft_lifetime: timedelta = DEFAULT_DRAFT_LIFETIME,
) -> Scheduled:
    """`/schedule <when>`: the preview replied to, or the latest one in the chat."""
    if not when.strip():
        raise ScheduleError(
            N_(
                "Usage: /schedule followed by when, e.g. `/schedule tomorrow 08:00`, replying to "
                "a preview (or for your latest one)."
            )
        )
    post_id = await preview_to_schedule(database, chat_id, replied_message_id)
    return await schedule_draft(
        database, admin_id, chat_id, post_id, when, now, draft_lifetime=draft_lifetime
    )


@dataclass(frozen=True)
class ScheduledList:
    posts: list[WaitingPost]
    zone: ZoneInfo


async def scheduled_for_admin(database: Database, admin_id: int) -> ScheduledList:
    """What waits, with the times to show in this admin's time zone."""
    return ScheduledList(await scheduled_posts(database), await admin_time_zone(database, admin_id))


async def cancel_schedule(database: Database, admin_id: int, post_id: int) -> Scheduled:
    """The draft goes back to an ordinary preview; its preview messages can get their buttons
    back."""
    async with database.transaction() as session:
        row = await schedule_for_change(session, post_id)
        if row is None or row.state != ScheduleState.WAITING:
            state = "not scheduled" if row is None else row.state
            raise ScheduleError(
                N_("Update {post_id} is {state}; nothing to cancel."),
                post_id=lambda t: t.number(post_id),
                state=lambda t: t._(SCHEDULE_STATES.get(state, state)),
            )
        row.state = ScheduleState.CANCELLED
        await record_audit(session, admin_id, "unschedule", f"update {post_id}")
        message_ids = await preview_message_ids(session, post_id, row.chat_id)
        due_at, chat_id = row.due_at, row.chat_id
    return Scheduled(post_id, chat_id, due_at, ZoneInfo("UTC"), message_ids)


async def scheduled_posts(database: Database) -> list[WaitingPost]:
    """Every post waiting for its time, soonest first."""
    async with database.session() as session:
        return await waiting_posts(session)
