"""Subscribing a channel (or a public group) from a private chat with the bot:
`/subscribe @channel slug`, `/unsubscribe @channel slug`, `/subscriptions @channel`. Both the
person and the bot must be administrators there, asked of Telegram on every command."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import filters

from bot.delivery.sender import find_chat, is_chat_administrator
from bot.reading.language import Translator
from bot.reading.subscriptions import ChatRef, chat_subscriptions
from bot.runtime import Context, runtime_of
from handlers.reader import chat_ref, subscribe_text, translation, unsubscribe_text
from handlers.replies import reply

# A private message whose first argument names a chat: /subscribe @name …
NAMING_A_CHAT = filters.ChatType.PRIVATE & filters.Regex(r"^/\w+(@\w+)?\s+@\w")


async def administered_chat(update: Update, context: Context, t: Translator) -> ChatRef | None:
    """The chat named by the first argument, when both the sender and the bot administer it;
    otherwise the sender is told why not and the answer is None. A channel first subscribed
    this way reads the language of the administrator who subscribed it."""
    assert context.args and update.effective_user is not None
    name = context.args[0]
    shown = t.isolate(html.escape(name))
    found = await find_chat(context.bot, name)
    refusal = None
    if found is None:
        refusal = t._("I can't find {chat}. Check the name: the channel must be public.")
    elif not await is_chat_administrator(context.bot, found.id, update.effective_user.id):
        refusal = t._("Only an administrator of {chat} can change what it receives.")
    elif not await is_chat_administrator(context.bot, found.id, context.bot.id):
        refusal = t._("Make me an administrator of {chat} first, so that I can post.")
    if refusal is not None or found is None:
        await reply(update, t.directed((refusal or "").format(chat=shown)))
        return None
    return ChatRef(found.id, found.type, found.title, chat_ref(update).language)


async def subscribe_channel(update: Update, context: Context) -> None:
    t = await translation(update, context)
    if not context.args or len(context.args) < 2:
        await reply(update, t.directed(t._("Usage: /subscribe @channel <i>slug</i>")))
        return
    channel = await administered_chat(update, context, t)
    if channel is None:
        return
    answer = await subscribe_text(runtime_of(context).database, channel, context.args[1], t)
    await reply(update, t.directed(f"{t.isolate(html.escape(context.args[0]))}: {answer}"))


async def unsubscribe_channel(update: Update, context: Context) -> None:
    t = await translation(update, context)
    if not context.args or len(context.args) < 2:
        await reply(update, t.directed(t._("Usage: /unsubscribe @channel <i>slug</i>")))
        return
    channel = await administered_chat(update, context, t)
    if channel is None:
        return
    database = runtime_of(context).database
    answer = await unsubscribe_text(database, channel.telegram_id, context.args[1], t)
    await reply(update, t.directed(f"{t.isolate(html.escape(context.args[0]))}: {answer}"))


async def list_channel_subscriptions(update: Update, context: Context) -> None:
    t = await translation(update, context)
    channel = await administered_chat(update, context, t)
    if channel is None:
        return
    name = t.isolate(html.escape(context.args[0])) if context.args else ""
    followed = await chat_subscriptions(runtime_of(context).database, channel.telegram_id)
    if not followed:
        text = t._("{chat} follows no topics. /subscribe {chat} <i>slug</i> adds one.")
        await reply(update, t.directed(text.format(chat=name)))
        return
    lines = [t._("{chat} follows:").format(chat=name)]
    lines += [
        f"• {t.isolate(html.escape(title))} — {t.isolate(f'<code>{slug}</code>')}"
        for slug, title in followed
    ]
    lines.append(t._("/unsubscribe {chat} <i>slug</i> stops one.").format(chat=name))
    await reply(update, t.directed("\n".join(lines)))
