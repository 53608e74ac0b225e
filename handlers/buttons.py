"""Inline buttons readers press: `action:slug`."""

from __future__ import annotations

from telegram import Update

from bot.runtime import Context, runtime_of
from handlers.reader import (
    chat_ref,
    subscribe_text,
    topic_view_text,
    unsubscribe_text,
)
from handlers.replies import reply

READER_ACTIONS = ("sub", "unsub", "latest", "parties", "history")
READER_BUTTON_PATTERN = r"^(sub|unsub|latest|parties|history):[a-z0-9-]{1,32}$"


async def reader_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    action, slug = query.data.split(":", 1)
    runtime = runtime_of(context)
    chat = chat_ref(update)
    if action in ("sub", "unsub") and chat.type not in ("private", "channel"):
        member = await context.bot.get_chat_member(chat.telegram_id, query.from_user.id)
        if member.status not in ("administrator", "creator"):
            await query.answer("Only this group's administrators can change its subscriptions.")
            return
    await query.answer()
    if action == "sub":
        text = await subscribe_text(runtime.database, chat, slug)
    elif action == "unsub":
        text = await unsubscribe_text(runtime.database, chat.telegram_id, slug)
    else:
        text = await topic_view_text(runtime.database, action, slug)
    await reply(update, text)
