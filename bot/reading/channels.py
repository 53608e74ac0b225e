"""Subscribing a channel (or a public group) from a private chat with the bot. Both the person
and the bot must administer it, asked of Telegram on every step, never remembered: a demoted
administrator loses the power at once."""

from __future__ import annotations

import html

from telegram import Bot

from bot.delivery.sender import find_chat, is_chat_administrator
from bot.reading.subscriptions import ChatRef, chat_subscriptions
from bot.reading.topics import topic_options
from storage.database import Database


async def administered_chat(bot: Bot, reference: str | int, user_id: int) -> ChatRef | str:
    """The chat named by `@username` or picked by id, when both `user_id` and the bot
    administer it; otherwise the sentence (HTML) that says why not."""
    found = await find_chat(bot, str(reference))
    if found is None:
        if isinstance(reference, int):
            return "I can't reach that chat. Add me to it as an administrator, then pick it again."
        return f"I can't find {html.escape(reference)}. Check the name: the channel must be public."
    shown = html.escape(reference if isinstance(reference, str) else found.title or "that chat")
    if not await is_chat_administrator(bot, found.id, user_id):
        return f"Only an administrator of {shown} can change what it receives."
    if not await is_chat_administrator(bot, found.id, bot.id):
        return f"Make me an administrator of {shown} first, so that I can post."
    return ChatRef(found.id, found.type, found.title)


async def topics_to_offer(database: Database, chat: ChatRef) -> tuple[tuple[str, str], ...]:
    """(slug, title) of every topic the chat does not follow yet."""
    followed = {slug for slug, _ in await chat_subscriptions(database, chat.telegram_id)}
    return tuple(o for o in await topic_options(database) if o[0] not in followed)
