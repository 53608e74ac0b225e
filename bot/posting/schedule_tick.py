"""On the scheduler tick: scheduled drafts whose time has come are published through the same
path as a Publish press, so they go out exactly as previewed, or not at all when the stored
data changed since (the admin gets the new preview instead)."""

from __future__ import annotations

import html
import logging
from datetime import datetime

from telegram import Bot

from bot.delivery.sender import remove_buttons, send_to_admin
from bot.posting.broadcast_progress import track_broadcast
from bot.posting.card_feedback import with_code
from bot.posting.preview_buttons import preview_buttons
from bot.posting.preview_edit import remember_preview
from bot.posting.progress_text import progress_buttons
from bot.posting.publish import (
    KIND_LABELS,
    DraftClosed,
    PostError,
    Preview,
    headline_text,
    publish_post,
)
from bot.reading.language import Translator, translator_of_chat
from storage.broadcast_progress import DeliveryCounts
from storage.database import Database
from storage.previews import preview_message_ids
from storage.scheduled_posts import due_post_ids, schedule_for_change
from storage.states import ScheduleState

log = logging.getLogger(__name__)
NOT_YET_COUNTED = DeliveryCounts(0, 0, 0, 0, 0, fanned_out=False)


async def publish_scheduled_posts(database: Database, bot: Bot, now: datetime) -> int:
    """Returns how many went out. A schedule is claimed (marked published) before publishing,
    so a cancel that comes in between waits for the claim and finds nothing to cancel, and two
    workers never publish one draft twice."""
    async with database.session() as session:
        due = await due_post_ids(session, now)
    published = 0
    for post_id in due:
        async with database.transaction() as session:
            row = await schedule_for_change(session, post_id)
            if row is None or row.state != ScheduleState.WAITING:
                continue
            row.state = ScheduleState.PUBLISHED
            admin_id, chat_id = row.admin_id, row.chat_id
            shown = await preview_message_ids(session, post_id, chat_id)
        t = await translator_of_chat(database, chat_id)
        try:
            outcome = await publish_post(database, post_id, admin_id, draft_lifetime=None)
        except DraftClosed as closed:
            await _settle(database, post_id, ScheduleState.CANCELLED)
            text = t._("🕒 Scheduled update {post_id} was not published: {reason}").format(
                post_id=t.number(post_id), reason=with_code(closed.text(t), t)
            )
            await send_to_admin(bot, chat_id, [t.directed(text)])
            continue
        except PostError as error:
            log.warning("scheduled update %s not published yet: %s", post_id, error)
            await _settle(database, post_id, ScheduleState.WAITING)
            continue
        for message_id in shown:
            await remove_buttons(bot, chat_id, message_id)
        if isinstance(outcome, Preview):
            await _settle(database, post_id, ScheduleState.OUTDATED)
            await _send_new_preview(database, bot, chat_id, outcome, t)
            continue
        text = t._(
            "📣 Published as scheduled — {headline} (post {post_id}). Subscribers of {slug} are "
            "being notified."
        ).format(
            headline=headline_text(outcome.kind, outcome.round_number, outcome.round_title, t),
            post_id=t.number(outcome.post_id),
            slug=t.isolate(f"<code>{html.escape(outcome.slug)}</code>"),
        )
        sent = await send_to_admin(
            bot, chat_id, [t.directed(text)], progress_buttons(outcome.post_id, NOT_YET_COUNTED, t)
        )
        if sent:
            await track_broadcast(database, outcome.post_id, chat_id, sent[-1], now)
        published += 1
    return published


async def _settle(database: Database, post_id: int, state: ScheduleState) -> None:
    async with database.transaction() as session:
        row = await schedule_for_change(session, post_id)
        if row is not None:
            row.state = state


async def _send_new_preview(
    database: Database, bot: Bot, chat_id: int, preview: Preview, t: Translator
) -> None:
    heading = t._(
        "⚠️ Scheduled update {post_id} was not published: the stored data changed since its "
        "preview. This is what subscribers would see now ({kind}):"
    ).format(post_id=t.number(preview.post_id), kind=t._(KIND_LABELS[preview.kind]))
    await send_to_admin(bot, chat_id, [t.directed(heading)])
    sent = await send_to_admin(bot, chat_id, preview.parts, preview_buttons(preview.post_id, t))
    await remember_preview(database, preview.post_id, chat_id, sent)
