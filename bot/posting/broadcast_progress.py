"""The admin's confirmation message as a live progress message, one per broadcast, edited by
whichever process ticks first (the row is claimed), at most once per interval, through the same
rate limiter as everything the bot sends. The row is in the database, so a restart goes on
editing the same message."""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot

from bot.delivery.sender import refresh_message
from bot.posting.progress_text import progress_buttons, progress_text
from bot.posting.publish import headline_text
from bot.reading.language import ENGLISH, Translator, translator
from storage.broadcast_progress import (
    claim_progress_edit,
    delivery_counts,
    open_progress,
    start_progress,
)
from storage.chat_settings import reading_of_chat
from storage.chats import chat_by_telegram_id, upsert_chat
from storage.database import Database
from storage.models import Post, Round, Topic
from storage.states import Language

log = logging.getLogger(__name__)


async def track_broadcast(
    database: Database,
    post_id: int,
    chat_id: int,
    message_id: int,
    now: datetime,
    reader: tuple[str, Language] | None = None,
) -> None:
    """`reader`, the chat's type and the language its admin reads, is kept on the chat so that
    the edits, which come without an update to tell, are in the same language; a chat reading
    English needs no row for it."""
    async with database.transaction() as session:
        await start_progress(session, post_id, chat_id, message_id, now)
        if reader is None:
            return
        chat_type, language = reader
        chat = await chat_by_telegram_id(session, chat_id)
        if chat is not None:
            chat.language = language
        elif language != Language.ENGLISH:
            await upsert_chat(session, chat_id, chat_type, None, language)


async def refresh_progress(database: Database, bot: Bot, now: datetime, interval: float) -> int:
    """Edits every progress message that is due: `interval` seconds after its last edit, or at
    once when its broadcast is done. Returns how many were edited."""
    edited = 0
    async with database.session() as session:
        rows = await open_progress(session)
    for row in rows:
        async with database.transaction() as session:
            counts = await delivery_counts(session, row.post_id)
            since = (now - _as_utc(row.last_edit_at)).total_seconds()
            if not counts.done and since < interval:
                continue
            if not await claim_progress_edit(
                session, row.post_id, row.last_edit_at, now, counts.sent, done=counts.done
            ):
                continue
            post = await session.get(Post, row.post_id)
            topic = await session.get(Topic, post.topic_id) if post is not None else None
            if post is None or topic is None:
                continue
            t = await _admin_translator(session, row.chat_id)
            headline = html.escape(post.headline or "")
            shown = await session.get(Round, post.round_id) if post.round_id else None
            if t.right_to_left and shown is not None:
                headline = headline_text(post.kind, shown.number, shown.title, t)
            slug = topic.slug
        rate = (counts.sent - row.last_sent) / since if since > 0 else None
        elapsed = (now - _as_utc(row.started_at)).total_seconds()
        text = progress_text(headline, row.post_id, slug, counts, rate, elapsed, t)
        if await refresh_message(
            bot, row.chat_id, row.message_id, text, progress_buttons(row.post_id, counts, t)
        ):
            edited += 1
        else:
            log.info("progress of post %s not shown", row.post_id)
    return edited


async def _admin_translator(session: AsyncSession, chat_id: int) -> Translator:
    """The progress is written in the language the admin's chat reads, as its answers are."""
    language, calendar = await reading_of_chat(session, chat_id)
    return translator(language or ENGLISH.language, calendar)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
