"""Each chat's delivery settings, and the SQL pieces fan-out uses to honour them.

Rows of a chat with quiet hours are created held (due at `HELD`, never reached by the clock)
and released by `release_held_deliveries` once the reader's clock says the quiet time is over;
a held row is pending, so the chat's later alerts queue behind it and keep their order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, case, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col
from sqlmodel.sql.sqltypes import UTCDateTime

from storage.clock import database_now
from storage.models import Chat, ChatSettings, Delivery, TopicMode
from storage.states import Calendar, DeliveryMode, DeliveryState

HELD = datetime(9999, 1, 1, tzinfo=UTC)


async def settings_of(session: AsyncSession, chat_id: int) -> ChatSettings:
    """The stored row, or the defaults (not added to the session) when there is none."""
    row = await session.get(ChatSettings, chat_id)
    return row if row is not None else ChatSettings(chat_id=chat_id)


async def chosen_reading(session: AsyncSession, telegram_id: int) -> tuple[str | None, str]:
    """(language, calendar) the chat chose in /settings: no language when it chose none, and
    the Gregorian calendar unless it chose another."""
    row = (
        await session.execute(
            select(col(ChatSettings.language), col(ChatSettings.calendar))
            .join(Chat, col(Chat.id) == col(ChatSettings.chat_id))
            .where(col(Chat.telegram_id) == telegram_id)
        )
    ).first()
    return (row[0], row[1]) if row is not None else (None, Calendar.GREGORIAN)


async def reading_of_chat(session: AsyncSession, telegram_id: int) -> tuple[str | None, str]:
    """(language, calendar): the language chosen in /settings, else the one Telegram last
    reported for the chat; the calendar chosen, else the Gregorian."""
    row = (
        await session.execute(
            select(
                func.coalesce(col(ChatSettings.language), col(Chat.language)),
                col(ChatSettings.calendar),
            )
            .select_from(Chat)
            .outerjoin(ChatSettings, col(ChatSettings.chat_id) == col(Chat.id))
            .where(col(Chat.telegram_id) == telegram_id)
        )
    ).first()
    if row is None:
        return None, Calendar.GREGORIAN
    return row[0], row[1] or Calendar.GREGORIAN


async def save_settings(session: AsyncSession, settings: ChatSettings) -> None:
    await session.merge(settings)
    await session.flush()


async def topic_modes(session: AsyncSession, chat_id: int) -> dict[int, str]:
    rows = await session.execute(
        select(col(TopicMode.topic_id), col(TopicMode.mode)).where(
            col(TopicMode.chat_id) == chat_id
        )
    )
    return {topic_id: mode for topic_id, mode in rows.all()}


async def set_topic_mode(
    session: AsyncSession, chat_id: int, topic_id: int, mode: str | None
) -> None:
    """None: the topic follows the chat's mode again."""
    await session.execute(
        delete(TopicMode).where(
            col(TopicMode.chat_id) == chat_id, col(TopicMode.topic_id) == topic_id
        )
    )
    if mode is not None:
        session.add(TopicMode(chat_id=chat_id, topic_id=topic_id, mode=mode))
    await session.flush()


def effective_mode(chat_id: Any, topic_id: Any) -> ColumnElement[Any]:
    """The topic's own mode for the chat, else the chat's, else instant."""
    own = (
        select(col(TopicMode.mode))
        .where(col(TopicMode.chat_id) == chat_id, col(TopicMode.topic_id) == topic_id)
        .scalar_subquery()
    )
    chats = (
        select(col(ChatSettings.mode)).where(col(ChatSettings.chat_id) == chat_id).scalar_subquery()
    )
    return func.coalesce(own, chats, literal(DeliveryMode.INSTANT.value))


def held_or_now(chat_id: Any) -> ColumnElement[Any]:
    """The due time of a new alert to the chat: held when it has quiet hours, else now."""
    has_quiet_hours = (
        select(col(ChatSettings.chat_id))
        .where(col(ChatSettings.chat_id) == chat_id, col(ChatSettings.quiet_start).is_not(None))
        .exists()
    )
    return case((has_quiet_hours, literal(HELD, UTCDateTime())), else_=database_now())


async def chats_with_held_deliveries(
    session: AsyncSession,
) -> list[tuple[int, str, int | None, int | None]]:
    """(chat id, time zone, quiet start, quiet end) of every chat with a held alert."""
    held = (
        select(col(Delivery.chat_id))
        .where(col(Delivery.state) == DeliveryState.PENDING, col(Delivery.next_attempt_at) == HELD)
        .distinct()
        .subquery()
    )
    rows = await session.execute(
        select(
            held.c.chat_id,
            func.coalesce(col(ChatSettings.time_zone), "UTC"),
            col(ChatSettings.quiet_start),
            col(ChatSettings.quiet_end),
        )
        .select_from(held)
        .outerjoin(ChatSettings, col(ChatSettings.chat_id) == held.c.chat_id)
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows.all()]


async def release_held_deliveries(session: AsyncSession, chat_ids: list[int]) -> int:
    if not chat_ids:
        return 0
    result = await session.execute(
        update(Delivery)
        .where(
            col(Delivery.chat_id).in_(chat_ids),
            col(Delivery.state) == DeliveryState.PENDING,
            col(Delivery.next_attempt_at) == HELD,
        )
        .values(next_attempt_at=database_now())
    )
    return cast("CursorResult[Any]", result).rowcount or 0
