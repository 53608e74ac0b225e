"""The bot added to, removed from or blocked in a chat, and a group upgraded to a supergroup."""

from __future__ import annotations

from telegram import Update

from bot.reading.membership import follow_bot_membership, follow_group_upgrade
from bot.reading.subscriptions import ChatRef
from bot.runtime import Context, runtime_of


async def bot_membership_changed(update: Update, context: Context) -> None:
    change = update.my_chat_member
    assert change is not None
    chat = change.chat
    title = chat.title or chat.full_name or chat.username
    await follow_bot_membership(
        runtime_of(context).database,
        ChatRef(chat.id, chat.type, title),
        change.new_chat_member.status,
    )


async def group_upgraded(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return  # the supergroup's half of the news, migrate_from_chat_id: nothing more to do
    await follow_group_upgrade(
        runtime_of(context).database, message.chat.id, message.migrate_to_chat_id
    )
