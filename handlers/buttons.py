"""Inline buttons readers press: `action:slug`."""

from __future__ import annotations

from telegram import Update

from bot.runtime import Context, runtime_of
from handlers.reader import (
    GROUP_ADMINS_ONLY,
    STOP_CONFIRM,
    chat_ref,
    is_subscription_manager,
    stop_text,
    subscribe_text,
    topic_view_text,
    unsubscribe_text,
)
from handlers.replies import reply

READER_BUTTON_PATTERN = r"^(sub|unsub|latest|parties|history):[a-z0-9-]{1,32}$"
STOP_BUTTON_PATTERN = r"^stop:(confirm|keep)$"


async def reader_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    action, slug = query.data.split(":", 1)
    runtime = runtime_of(context)
    chat = chat_ref(update)
    if action in ("sub", "unsub") and not await is_subscription_manager(update, context):
        await query.answer(GROUP_ADMINS_ONLY, show_alert=True)
        return
    await query.answer()
    if action == "sub":
        text = await subscribe_text(runtime.database, chat, slug)
    elif action == "unsub":
        text = await unsubscribe_text(runtime.database, chat.telegram_id, slug)
    else:
        text = await topic_view_text(runtime.database, action, slug)
    await reply(update, text)


async def stop_button(update: Update, context: Context) -> None:
    """The answer to /stop's question; the buttons go, so it cannot be answered twice."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not await is_subscription_manager(update, context):
        await query.answer(GROUP_ADMINS_ONLY, show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    if query.data == STOP_CONFIRM:
        text = await stop_text(runtime_of(context).database, chat_ref(update).telegram_id)
    else:
        text = "Kept: this chat still gets its alerts."
    await reply(update, text)
