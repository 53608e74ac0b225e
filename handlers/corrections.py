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
from bot.posting.publish import PostError, Preview, headline_text
from bot.reading.language import N_, Translator
from bot.runtime import Context, run_scheduler_tick, runtime_of
from handlers.admin import admin_only, admin_press, refuse_press
from handlers.reader import translation
from handlers.replies import button_row, reply
from storage.card import CardError
from storage.corrections import CORRECTION_KIND

CORRECTION_BUTTON_PATTERN = r"^fix:[0-9]{1,18}$"
HOW_TO_CORRECT_PATTERN = r"^howfix:[0-9]{1,18}$"
USAGE = N_(
    "Usage: /correct <i>post id</i> on the first line, then only the lines that were wrong, "
    "written as they should be, e.g."
)
USAGE_EXAMPLE = "<code>/correct 12\nplace: Ankara, Turkey</code>"


def how_to_correct_text(post_id: int, t: Translator) -> str:
    how = t._(
        "✏️ To correct post {post_id}, send {command} and, on the following lines, only the "
        "card lines that were wrong, written as they should be, e.g."
    ).format(post_id=t.number(post_id), command=t.isolate(f"<code>/correct {post_id}</code>"))
    after = t._(
        "You will see the correction notice before anything is sent. Chats that got "
        "the post get the notice as a reply to it; chats still waiting for it get the corrected "
        "alert instead."
    )
    example = (
        f"<code>/correct {post_id}\nplace: Ankara, Turkey\nhead: Pakistan = Khawaja Asif</code>"
    )
    return f"{t.directed(how)}\n{example}\n{t.directed(after)}"


async def correct(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "correct")
    message = update.effective_message
    if admin_id is None or message is None:
        return
    text = message.text or ""
    command_line = text.split("\n", 1)[0].split()
    t = await translation(update, context)
    if len(command_line) < 2 or not command_line[1].isdigit() or not command_line[1].isascii():
        await reply(update, t.directed(t._(USAGE)) + "\n" + USAGE_EXAMPLE)
        return
    try:
        preview = await preview_correction(
            runtime_of(context).database, admin_id, int(command_line[1]), text
        )
    except CardError as error:
        await reply(update, card_problems_text(error.problems, t))
        return
    except PostError as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return
    heading = t._("👀 <b>Correction preview</b> — the chats that got the post see this:")
    await send_correction_preview(update, preview, heading, t)


async def send_correction_preview(
    update: Update, preview: Preview, heading: str, t: Translator
) -> None:
    buttons = button_row(
        (t._("✅ Publish correction"), f"fix:{preview.post_id}"),
        (t._("✖️ Cancel"), f"cancel:{preview.post_id}"),
    )
    await reply(update, t.directed(heading))
    for part in preview.parts[:-1]:
        await reply(update, part)
    await reply(update, preview.parts[-1], buttons)


async def correction_button(update: Update, context: Context) -> None:
    """Answered after the commit, like Publish: a failure leaves the buttons to press again."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    runtime = runtime_of(context)
    raw_id = query.data.split(":", 1)[1]
    if not await admin_press(update, context, "correct", f"update {raw_id}"):
        return
    t = await translation(update, context)
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
        changed = t._(
            "⚠️ The stored data changed since this preview, so nothing was sent. "
            "This is the correction now:"
        )
        await send_correction_preview(update, outcome, changed, t)
        return
    if context.job_queue is not None:
        context.job_queue.run_once(run_scheduler_tick, when=0)
    await reply(update, correction_published_text(outcome, t))


def correction_published_text(outcome: CorrectionPublished, t: Translator) -> str:
    headline = html.escape(outcome.headline)
    if t.right_to_left:
        headline = headline_text(CORRECTION_KIND, outcome.round_number, outcome.round_title, t)
    published = t._(
        "✏️ Correction published — {headline}. {notified} that got post {original} get the "
        "notice as a reply; {replaced} still waiting for it get the corrected alert instead. "
        "/latest {slug} shows the corrected facts."
    ).format(
        headline=headline,
        notified=_chats(outcome.notified, t),
        original=t.number(outcome.corrects_id),
        replaced=_chats(outcome.replaced, t),
        slug=t.isolate(outcome.slug),
    )
    return t.directed(published)


async def how_to_correct(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    raw_id = query.data.split(":", 1)[1]
    if not await admin_press(update, context, "howtocorrect", f"update {raw_id}"):
        return
    t = await translation(update, context)
    await answer_press(query)
    await reply(update, how_to_correct_text(int(raw_id), t))


def _chats(count: int, t: Translator) -> str:
    return t.ngettext("{count} chat", "{count} chats", count).format(count=t.number(count))
