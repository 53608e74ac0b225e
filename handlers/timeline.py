"""/timeline [slug]: a picture of the process, sent as a photo to the thread it was asked in."""

from __future__ import annotations

from telegram import Update

from bot.delivery.sender import answer_press, send_photo
from bot.reading.timeline import timeline_answer
from bot.reading.topics import TopicNotFound, choose_topic
from bot.runtime import Context, runtime_of
from handlers.reader import chat_ref, not_found_text
from handlers.replies import reply, topic_buttons


async def timeline(update: Update, context: Context) -> None:
    runtime = runtime_of(context)
    chat = chat_ref(update)
    slug = context.args[0] if context.args else None
    choice = await choose_topic(runtime.database, chat.telegram_id, slug)
    if choice.slug is None:
        if not choice.options:
            await reply(update, "No topics yet. Check back soon!")
            return
        await reply(update, "Which topic?", topic_buttons("timeline", choice.options))
        return
    await send_timeline(update, context, choice.slug)


async def send_timeline(update: Update, context: Context, slug: str) -> None:
    try:
        answer = await timeline_answer(runtime_of(context).database, slug)
    except TopicNotFound:
        await reply(update, not_found_text(slug))
        return
    if answer.picture is None:
        await reply(update, answer.text)
        return
    chat = chat_ref(update)
    if not await send_photo(
        context.bot, chat.telegram_id, answer.picture, answer.text, thread_id=chat.thread_id
    ):
        await reply(update, "Sorry, the picture could not be sent. /history lists every round.")


TIMELINE_BUTTON_PATTERN = r"^timeline:[a-z0-9-]{1,32}$"


async def timeline_button(update: Update, context: Context) -> None:
    """The topic picked under /timeline's "Which topic?": drawn where it was asked for."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer_press(query)
    await send_timeline(update, context, query.data.split(":", 1)[1])
