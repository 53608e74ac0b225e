"""Inline buttons readers press: `action:slug`. Under a post in a group or a channel anyone
may press them, so changes are checked against the presser's rights each time and reading
answers the presser alone."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.delivery.sender import answer_press, remove_buttons, send_privately
from bot.delivery.split import split_message
from bot.runtime import Context, runtime_of
from handlers.reader import (
    GROUP_ADMINS_ONLY,
    STOP_CONFIRM,
    chat_ref,
    is_subscription_manager,
    stop_text,
    subscribe_text,
    topic_view_text,
    translation,
    unsubscribe_text,
)
from handlers.replies import reply

READER_BUTTON_PATTERN = r"^(sub|unsub|latest|parties|history):[a-z0-9-]{1,32}$"
STOP_BUTTON_PATTERN = r"^stop:(confirm|keep)$"
MALFORMED_BUTTON_PATTERN = (
    r"^(pub|cancel|fix|howfix|sub|unsub|latest|parties|history|timeline|stop|set|chsub"
    r"|pedit|pback|psched|pfield|pat|unsched|pfail|adm|aud|ximp):"
)


async def reader_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    action, slug = query.data.split(":", 1)
    runtime = runtime_of(context)
    chat = chat_ref(update)
    t = await translation(update, context)
    if action in ("sub", "unsub"):
        if not await is_subscription_manager(update, context):
            await query.answer(t._(GROUP_ADMINS_ONLY), show_alert=True)
            return
        await query.answer()
        if action == "sub":
            await reply(update, await subscribe_text(runtime.database, chat, slug, t))
        else:
            await reply(update, await unsubscribe_text(runtime.database, chat.telegram_id, slug, t))
        return
    text = await topic_view_text(runtime.database, action, slug, t)
    if chat.type == ChatType.PRIVATE:
        await query.answer()
        await reply(update, text)
    elif await send_privately(context.bot, query.from_user.id, split_message(text)):
        await query.answer(t._("Sent to you in a private chat with the bot."))
    else:
        await query.answer(
            t._("Open a chat with @{bot}, press Start, then send /{command} {slug}.").format(
                bot=context.bot.username, command=action, slug=slug
            ),
            show_alert=True,
        )


async def stop_button(update: Update, context: Context) -> None:
    """The answer to /stop's question; the buttons go, so it cannot be answered twice."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    t = await translation(update, context)
    if not await is_subscription_manager(update, context):
        await answer_press(query, t._(GROUP_ADMINS_ONLY), alert=True)
        return
    await answer_press(query)
    await remove_buttons(context.bot, query.message.chat.id, query.message.message_id)
    if query.data == STOP_CONFIRM:
        text = await stop_text(runtime_of(context).database, chat_ref(update).telegram_id, t)
    else:
        text = t.directed(t._("Kept: this chat still gets its alerts."))
    await reply(update, text)


async def malformed_button(update: Update, context: Context) -> None:
    """One of our actions with data its own pattern refuses (an old keyboard, a forged
    `pub:١٢٣`) still stops the spinner."""
    query = update.callback_query
    assert query is not None
    t = await translation(update, context)
    await query.answer(t._("This button no longer works; send the command again."), show_alert=True)
