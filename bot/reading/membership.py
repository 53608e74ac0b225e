"""Following the bot's own membership (`my_chat_member`): a chat that removed or blocked the bot
gets nothing until it takes the bot back, and then everything it had set up still holds."""

from __future__ import annotations

from telegram.constants import ChatMemberStatus, ChatType

from bot.reading.subscriptions import ChatRef, remember_chat
from storage.chats import chat_by_telegram_id, deactivate_chat, move_chat
from storage.database import Database

GONE_STATUSES = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)


def removal_reason(chat_type: str, status: str) -> str:
    if chat_type == ChatType.PRIVATE:
        return "the user blocked the bot"
    if status == ChatMemberStatus.BANNED:
        return "the bot was banned from the chat"
    return "the bot was removed from the chat"


async def follow_bot_membership(database: Database, chat: ChatRef, status: str) -> None:
    """Out of the chat: inactive, and its pending deliveries skipped with the reason. Back in:
    active again, with its subscriptions and settings as they were."""
    if status not in GONE_STATUSES:
        await remember_chat(database, chat)
        return
    async with database.transaction() as session:
        row = await chat_by_telegram_id(session, chat.telegram_id)
        if row is not None and row.id is not None:
            await deactivate_chat(session, row.id, removal_reason(chat.type, status))


async def follow_group_upgrade(database: Database, group_id: int, supergroup_id: int) -> None:
    """A basic group became a supergroup: the same subscriber under its new id."""
    async with database.transaction() as session:
        row = await chat_by_telegram_id(session, group_id)
        if row is not None and row.id is not None:
            await move_chat(session, row.id, supergroup_id)
