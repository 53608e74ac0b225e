"""/correct and its buttons: fixing a published post from a phone."""

from __future__ import annotations

import html
from datetime import timedelta

from telegram import Update

from bot.delivery.sender import answer_press, remove_buttons
from bot.posting.card_feedback import card_problems_text, with_code
from bot.posting.corrections import (
    CorrectionPublished,
    preview_correction,
    publish_correction,
)
from bot.posting.publish import PostError, Preview
from bot.reading.language import ENGLISH
from bot.runtime import Context, run_scheduler_tick, runtime_of
from handlers.admin import admin_only, refuse_press
from handlers.replies import button_row, reply
from storage.card import CardError

CORRECTION_BUTTON_PATTERN = r"^fix:[0-9]{1,18}$"
HOW_TO_CORRECT_PATTERN = r"^howfix:[0-9]{1,18}$"
USAGE = (
    "Usage: /correct <i>post id</i> on the first line, then only the lines that were wrong, "
    "written as they should be, e.g.\n<code>/correct 12\nplace: Ankara, Turkey</code>"
)


def how_to_correct_text(post_id: int) -> str:
    return (
        f"✏️ To correct post {post_id}, send <code>/correct {post_id}</code> and, on the "
        "following lines, only the card lines that were wrong, written as they should be, e.g."
        f"\n<code>/correct {post_id}\nplace: Ankara, Turkey\nhead: Pakistan = Khawaja Asif"
        "</code>\nYou will see the correction notice before anything is sent. Chats that got "
        "the post get the notice as a reply to it; chats still waiting for it get the corrected "
        "alert instead."
    )


async def correct(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "correct")
    message = update.effective_message
    if admin_id is None or message is None:
        return
    text = message.text or ""
    command_line = text.split("\n", 1)[0].split()
    if len(command_line) < 2 or not command_line[1].isdigit() or not command_line[1].isascii():
        await reply(update, USAGE)
        return
    try:
        preview = await preview_correction(
            runtime_of(context).database, admin_id, int(command_line[1]), text
        )
    except CardError as error:
        await reply(update, card_problems_text(error.problems, ENGLISH))
        return
    except PostError as error:
        await reply(update, with_code(str(error)))
        return
    await send_correction_preview(
        update, preview, "👀 <b>Correction preview</b> — the chats that got the post see this:"
    )


async def send_correction_preview(update: Update, preview: Preview, heading: str) -> None:
    buttons = button_row(
        ("✅ Publish correction", f"fix:{preview.post_id}"),
        ("✖️ Cancel", f"cancel:{preview.post_id}"),
    )
    await reply(update, heading)
    for part in preview.parts[:-1]:
        await reply(update, part)
    await reply(update, preview.parts[-1], buttons)


async def correction_button(update: Update, context: Context) -> None:
    """Answered after the commit, like Publish: a failure leaves the buttons to press again."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    runtime = runtime_of(context)
    raw_id = query.data.split(":", 1)[1]
    if not await runtime.roster.is_admin(query.from_user.id):
        await runtime.roster.refuse(query.from_user.id, "correct", f"update {raw_id}")
        await answer_press(query, "Only Roundwatch admins can do that.", alert=True)
        return
    chat_id, message_id = query.message.chat.id, query.message.message_id
    try:
        outcome = await publish_correction(
            runtime.database,
            int(raw_id),
            query.from_user.id,
            draft_lifetime=timedelta(hours=runtime.settings.draft_lifetime_hours),
        )
    except (PostError, CardError) as error:
        await refuse_press(update, context, error)
        return
    await answer_press(query)
    await remove_buttons(context.bot, chat_id, message_id)
    if isinstance(outcome, Preview):
        await send_correction_preview(
            update,
            outcome,
            "⚠️ The stored data changed since this preview, so nothing was sent. "
            "This is the correction now:",
        )
        return
    if context.job_queue is not None:
        context.job_queue.run_once(run_scheduler_tick, when=0)
    await reply(update, correction_published_text(outcome))


def correction_published_text(outcome: CorrectionPublished) -> str:
    return (
        f"✏️ Correction published — {html.escape(outcome.headline)}. "
        f"{_chats(outcome.notified)} that got post {outcome.corrects_id} get the notice as a "
        f"reply; {_chats(outcome.replaced)} still waiting for it get the corrected alert "
        f"instead. /latest {outcome.slug} shows the corrected facts."
    )


async def how_to_correct(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await runtime_of(context).roster.is_admin(query.from_user.id):
        await answer_press(query, "Only Roundwatch admins can do that.", alert=True)
        return
    await answer_press(query)
    await reply(update, how_to_correct_text(int(query.data.split(":", 1)[1])))


def _chats(count: int) -> str:
    return f"{count} chat{'' if count == 1 else 's'}"
