"""Subscribing a channel (or a public group) from a private chat with the bot:
`/subscribe @channel slug`, `/unsubscribe @channel slug`, `/subscriptions @channel`. Both the
person and the bot must be administrators there, asked of Telegram on every command."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import filters

from bot.delivery.sender import find_chat, is_chat_administrator
from bot.reading.subscriptions import ChatRef, chat_subscriptions
from bot.runtime import Context, runtime_of
from handlers.reader import subscribe_text, unsubscribe_text
from handlers.replies import reply

# A private message whose first argument names a chat: /subscribe @name …
NAMING_A_CHAT = filters.ChatType.PRIVATE & filters.Regex(r"^/\w+(@\w+)?\s+@\w")


async def administered_chat(update: Update, context: Context) -> ChatRef | None:
    """The chat named by the first argument, when both the sender and the bot administer it;
    otherwise the sender is told why not and the answer is None."""
    assert context.args and update.effective_user is not None
    name = context.args[0]
    shown = html.escape(name)
    found = await find_chat(context.bot, name)
    if found is None:
        await reply(update, f"I can't find {shown}. Check the name: the channel must be public.")
        return None
    if not await is_chat_administrator(context.bot, found.id, update.effective_user.id):
        await reply(update, f"Only an administrator of {shown} can change what it receives.")
        return None
    if not await is_chat_administrator(context.bot, found.id, context.bot.id):
        await reply(update, f"Make me an administrator of {shown} first, so that I can post.")
        return None
    return ChatRef(found.id, found.type, found.title)


async def subscribe_channel(update: Update, context: Context) -> None:
    if not context.args or len(context.args) < 2:
        await reply(update, "Usage: /subscribe @channel <i>slug</i>")
        return
    channel = await administered_chat(update, context)
    if channel is None:
        return
    answer = await subscribe_text(runtime_of(context).database, channel, context.args[1])
    await reply(update, f"{html.escape(context.args[0])}: {answer}")


async def unsubscribe_channel(update: Update, context: Context) -> None:
    if not context.args or len(context.args) < 2:
        await reply(update, "Usage: /unsubscribe @channel <i>slug</i>")
        return
    channel = await administered_chat(update, context)
    if channel is None:
        return
    database = runtime_of(context).database
    answer = await unsubscribe_text(database, channel.telegram_id, context.args[1])
    await reply(update, f"{html.escape(context.args[0])}: {answer}")


async def list_channel_subscriptions(update: Update, context: Context) -> None:
    channel = await administered_chat(update, context)
    if channel is None:
        return
    name = html.escape(context.args[0]) if context.args else ""
    followed = await chat_subscriptions(runtime_of(context).database, channel.telegram_id)
    if not followed:
        await reply(update, f"{name} follows no topics. /subscribe {name} <i>slug</i> adds one.")
        return
    lines = [f"{name} follows:"]
    lines += [f"• {html.escape(title)} — <code>{slug}</code>" for slug, title in followed]
    lines.append(f"/unsubscribe {name} <i>slug</i> stops one.")
    await reply(update, "\n".join(lines))
