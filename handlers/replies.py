"""Answering in the chat an update came from: long texts in parts, choices as buttons."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode

from bot.delivery.sender import NO_PREVIEW
from bot.reading.alert_parts import split_alert

BUTTONS_PER_CHOICE = 20
LONGEST_LABEL = 60
BUTTON_LABELS = {
    "sub": "🔔 Follow {title}",
    "unsub": "🔕 Unfollow {title}",
    "latest": "📌 Latest: {title}",
    "parties": "👥 Parties: {title}",
    "history": "📜 History: {title}",
    "timeline": "🗓 Timeline: {title}",
}
PICK_CHANNEL = "pickchat"


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
) -> Message:
    """The buttons go on the last part, right under what they refer to. In a forum the
    answer goes to the topic (thread) the command or the pressed button was in."""
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None
    thread = message.message_thread_id if message is not None and message.is_topic_message else None
    parts = split_alert(text)
    sent: Message | None = None
    for index, part in enumerate(parts):
        sent = await chat.send_message(
            part,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=markup if index == len(parts) - 1 else None,
            message_thread_id=thread,
        )
    assert sent is not None
    return sent


def topic_button(action: str, slug: str, title: str) -> InlineKeyboardButton:
    """The label says what a press does; callback_data is `action:slug`, at most 12 + 32
    bytes, well under Telegram's 64."""
    label = BUTTON_LABELS[action].format(title=title)
    if len(label) > LONGEST_LABEL:
        label = label[: LONGEST_LABEL - 1] + "…"
    return InlineKeyboardButton(label, callback_data=f"{action}:{slug}")


def topic_buttons(action: str, options: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[topic_button(action, slug, title)] for slug, title in options[:BUTTONS_PER_CHOICE]]
    )


def button_row(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    """(label, callback data) pairs side by side."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])


def pick_channel_button() -> InlineKeyboardButton:
    """Opens the chat picker: in a private chat, the way to subscribe a channel without typing
    its name (and the only way for a private channel, which has no @name)."""
    return InlineKeyboardButton("📣 Subscribe a channel", callback_data=PICK_CHANNEL)
