"""Subscribing a channel (or a public group) from a private chat with the bot. Both the person
and the bot must administer it, asked of Telegram on every step, never remembered: a demoted
administrator loses the power at once."""

from __future__ import annotations

import html

from telegram import Bot

from bot.delivery.sender import find_chat, is_chat_administrator
from bot.reading.language import Translator
from bot.reading.subscriptions import ChatRef, chat_subscriptions
from bot.reading.topics import topic_options
from storage.database import Database


async def administered_chat(
    bot: Bot, reference: str | int, user_id: int, t: Translator, language: str | None = None
) -> ChatRef | str:
    """The chat named by `@username` or picked by id, when both `user_id` and the bot
    administer it; otherwise the sentence (HTML, in the reader's language) that says why not.
    A channel first subscribed this way reads `language`, the administrator's."""
    found = await find_chat(bot, str(reference))
    if found is None:
        if isinstance(reference, int):
            text = t._(
                "I can't reach that chat. Add me to it as an administrator, then pick it again."
            )
            return t.directed(text)
        text = t._("I can't find {chat}. Check the name: the channel must be public.")
        return t.directed(text.format(chat=t.isolate(html.escape(reference))))
    if isinstance(reference, str):
        shown = t.isolate(html.escape(reference))
    else:
        shown = t.isolate(html.escape(found.title)) if found.title else t._("that chat")
    if not await is_chat_administrator(bot, found.id, user_id):
        text = t._("Only an administrator of {chat} can change what it receives.")
        return t.directed(text.format(chat=shown))
    if not await is_chat_administrator(bot, found.id, bot.id):
        text = t._("Make me an administrator of {chat} first, so that I can post.")
        return t.directed(text.format(chat=shown))
    return ChatRef(found.id, found.type, found.title, language)


async def topics_to_offer(database: Database, chat: ChatRef) -> tuple[tuple[str, str], ...]:
    """(slug, title) of every topic the chat does not follow yet."""
    followed = {slug for slug, _ in await chat_subscriptions(database, chat.telegram_id)}
    return tuple(o for o in await topic_options(database) if o[0] not in followed)
