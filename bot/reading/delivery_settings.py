"""A chat's delivery settings: instant or digest (daily or weekly, at a local hour), time zone,
quiet hours, silent delivery, and topics delivered otherwise than the chat's mode.

A change that can move a waiting post's digest (mode, schedule, zone) takes the posts' periods
away to be worked out again on the next tick, and posts of topics now wanted instantly become
deliveries in the same transaction, so that they stay ahead of the chat's later alerts."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.reading.language import CALENDAR_NAMES, ENGLISH, LANGUAGE_NAMES, Translator
from bot.reading.schedule_times import (
    WEEKDAYS,
    DigestSchedule,
    QuietHours,
    clock_label,
    next_digest_time,
)
from bot.reading.subscriptions import ChatRef
from bot.reading.topics import TopicNotFound
from storage.chat_settings import save_settings, set_topic_mode, settings_of, topic_modes
from storage.chats import chat_by_telegram_id, subscribed_topics, upsert_chat
from storage.database import Database
from storage.digests import deliver_waiting_instantly, stamp_waiting
from storage.models import ChatSettings
from storage.states import Calendar, DeliveryMode, Language
from storage.topics import topic_by_slug

DELIVERY_CHOICES = ("instant", "daily", "weekly")


class NotSubscribed(Exception):
    """A per-topic mode for a topic the chat does not follow."""


@dataclass(frozen=True)
class TopicSetting:
    slug: str
    title: str
    mode: str | None  # None: as the chat


@dataclass(frozen=True)
class DeliverySettings:
    choice: str  # one of DELIVERY_CHOICES
    time_zone: str
    digest_hour: int
    digest_weekday: int
    quiet: QuietHours | None
    silent: bool
    topics: tuple[TopicSetting, ...]
    language: str | None = None  # chosen here; None: as Telegram reports
    calendar: str = Calendar.GREGORIAN

    @property
    def schedule(self) -> DigestSchedule:
        weekly = self.choice == "weekly"
        return DigestSchedule(self.digest_hour, self.digest_weekday if weekly else None)


Change = Callable[[ChatSettings, DeliverySettings], None]


def _choice_of(row: ChatSettings) -> str:
    if row.mode == DeliveryMode.INSTANT:
        return "instant"
    return "daily" if row.digest_weekday is None else "weekly"


async def _view(database: Database, telegram_id: int) -> DeliverySettings:
    async with database.session() as session:
        found = await chat_by_telegram_id(session, telegram_id)
        chat = found.id if found is not None else None
        row = await settings_of(session, chat) if chat else ChatSettings(chat_id=0)
        own = await topic_modes(session, chat) if chat else {}
        topics = await subscribed_topics(session, chat) if chat else []
        weekday = row.digest_weekday
        quiet = None
        if row.quiet_start is not None and row.quiet_end is not None:
            quiet = QuietHours(row.quiet_start, row.quiet_end)
        return DeliverySettings(
            choice=_choice_of(row),
            time_zone=row.time_zone,
            digest_hour=row.digest_hour,
            digest_weekday=weekday if weekday is not None else 0,
            quiet=quiet,
            silent=row.silent,
            language=row.language,
            calendar=row.calendar,
            topics=tuple(TopicSetting(t.slug, t.title, own.get(t.id or 0)) for t in topics),
        )


async def delivery_settings(database: Database, telegram_id: int) -> DeliverySettings:
    return await _view(database, telegram_id)


async def change_settings(database: Database, chat: ChatRef, change: Change) -> DeliverySettings:
    """`change` edits the stored row in place; it is given the current view to read from."""
    before = await _view(database, chat.telegram_id)
    async with database.transaction() as session:
        row_chat = await upsert_chat(
            session, chat.telegram_id, chat.type, chat.title, chat.language
        )
        chat_id = row_chat.id or 0
        row = await settings_of(session, chat_id)
        change(row, before)
        await save_settings(session, row)
        await stamp_waiting(session, chat_id, None)
        await deliver_waiting_instantly(session, chat_id)
    return await _view(database, chat.telegram_id)


def choose_delivery(choice: str) -> Change:
    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.mode = DeliveryMode.INSTANT if choice == "instant" else DeliveryMode.DIGEST
        row.digest_weekday = before.digest_weekday if choice == "weekly" else None

    return apply


def choose_hour(hour: int) -> Change:
    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.digest_hour = hour

    return apply


def choose_weekday(weekday: int) -> Change:
    """Choosing a day makes the digest weekly."""

    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.mode = DeliveryMode.DIGEST
        row.digest_weekday = weekday

    return apply


def choose_quiet_hours(
    quiet: QuietHours | None,
) -> Change:
    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.quiet_start = quiet.start if quiet else None
        row.quiet_end = quiet.end if quiet else None

    return apply


def choose_silent(silent: bool) -> Change:
    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.silent = silent

    return apply


def choose_language(language: str) -> Change:
    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.language = Language(language)

    return apply


def choose_calendar(calendar: str) -> Change:
    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.calendar = Calendar(calendar)

    return apply


def choose_time_zone(zone: str) -> Change:
    def apply(row: ChatSettings, before: DeliverySettings) -> None:
        row.time_zone = zone

    return apply


async def change_topic_mode(
    database: Database, chat: ChatRef, slug: str, mode: str | None
) -> DeliverySettings:
    """`mode` None: the topic follows the chat's mode again."""
    async with database.transaction() as session:
        topic = await topic_by_slug(session, slug)
        if topic is None:
            raise TopicNotFound(slug)
        row_chat = await upsert_chat(
            session, chat.telegram_id, chat.type, chat.title, chat.language
        )
        chat_id = row_chat.id or 0
        followed = {t.id for t in await subscribed_topics(session, chat_id)}
        if topic.id not in followed:
            raise NotSubscribed(slug)
        # The digest schedule lives in the chat's settings, which an instant chat may lack.
        await save_settings(session, await settings_of(session, chat_id))
        await set_topic_mode(session, chat_id, topic.id or 0, mode)
        await stamp_waiting(session, chat_id, None)
        await deliver_waiting_instantly(session, chat_id)
    return await _view(database, chat.telegram_id)


def weekday_name(index: int, t: Translator) -> str:
    """0 is Monday."""
    return t.weekday(index) if t.right_to_left else WEEKDAYS[index]


def _mode_label(settings: DeliverySettings, t: Translator) -> str:
    hour = t.digits(clock_label(settings.digest_hour * 60))
    if settings.choice == "instant":
        return t._("instant — each alert as it is published")
    if settings.choice == "daily":
        return t._("daily digest at {hour}").format(hour=hour)
    day = weekday_name(settings.digest_weekday, t)
    return t._("weekly digest on {day} at {hour}").format(day=day, hour=hour)


def settings_text(settings: DeliverySettings, now: datetime, t: Translator = ENGLISH) -> str:
    zone = ZoneInfo(settings.time_zone)
    local_now = t.digits(f"{now.astimezone(zone):%H:%M}")
    quiet = t.digits(settings.quiet.label()) if settings.quiet else t._("none")
    lines = [
        t._("⚙️ <b>Delivery settings</b>"),
        t._("Delivery: {mode}").format(mode=_mode_label(settings, t)),
        t._("Time zone: {zone} (now {time} there)").format(
            zone=t.isolate(html.escape(settings.time_zone)), time=local_now
        ),
        t._("Quiet hours: {hours}").format(hours=quiet),
        t._("Notification sound: off (silent)")
        if settings.silent
        else t._("Notification sound: on"),
    ]
    lines.append(t._("Language: {language}").format(language=LANGUAGE_NAMES[t.language]))
    calendar = t._(CALENDAR_NAMES[Calendar(settings.calendar)])
    lines.append(t._("Calendar: {calendar}").format(calendar=calendar))
    if settings.choice != "instant" or any(topic.mode == "digest" for topic in settings.topics):
        _, at = next_digest_time(now, zone, settings.schedule)
        local = at.astimezone(zone)
        if t.right_to_left or t.calendar != Calendar.GREGORIAN:
            when = f"{weekday_name(local.weekday(), t)} {t.day_and_month(local.date())}"
            when += " " + t.digits(f"{local:%H:%M}")
        else:
            when = f"{WEEKDAYS[local.weekday()]} {local:%d %b %H:%M}"
        lines.append(t._("Next digest: {when}").format(when=when))
    for topic in settings.topics:
        if topic.mode is not None:
            own = t._("instant") if topic.mode == DeliveryMode.INSTANT else t._("in the digest")
            lines.append(f"• {t.isolate(html.escape(topic.title))}: {own}")
    lines += [
        "",
        t._(
            "Instant: every alert as it is published. Digest: one message a day or a week, "
            "at your hour, sent only when there is news."
        ),
        t._("Quiet hours hold instant alerts until they end, then send them in order."),
        t._("/timezone <i>city or UTC offset</i> · /quiet <i>22:00-07:00</i> or /quiet off"),
    ]
    return t.directed("\n".join(lines))
