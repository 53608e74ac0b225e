"""Answering in the chat an update came from: long texts in parts, choices as buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from bot.delivery.sender import NO_PREVIEW
from bot.delivery.split import split_message

BUTTONS_PER_CHOICE = 20


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """The buttons go on the last part, right under what they refer to."""
    chat = update.effective_chat
    assert chat is not None
    parts = split_message(text)
    sent: Message | None = None
    for index, part in enumerate(parts):
        sent = await chat.send_message(
            part,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=markup if index == len(parts) - 1 else None,
        )
    assert sent is not None
    return sent


def topic_buttons(action: str, options: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    """callback_data is `action:slug`: at most 12 + 32 bytes, well under Telegram's 64."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"{title} ({slug})"[:60], callback_data=f"{action}:{slug}")]
            for slug, title in options[:BUTTONS_PER_CHOICE]
        ]
    )


def single_button(label: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
