"""Answering in the chat an update came from: long texts in parts, choices as buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from bot.delivery.sender import NO_PREVIEW
from bot.reading.alert_parts import split_alert
from bot.reading.language import ENGLISH, N_, Translator

BUTTONS_PER_CHOICE = 20
LONGEST_LABEL = 60
BUTTON_LABELS = {
    "sub": N_("🔔 Follow {title}"),
    "unsub": N_("🔕 Unfollow {title}"),
    "latest": N_("📌 Latest: {title}"),
    "parties": N_("👥 Parties: {title}"),
    "history": N_("📜 History: {title}"),
}


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """The buttons go on the last part, right under what they refer to."""
    chat = update.effective_chat
    assert chat is not None
    parts = split_alert(text)
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


def topic_button(
    action: str, slug: str, title: str, t: Translator = ENGLISH
) -> InlineKeyboardButton:
    """The label says what a press does; callback_data is `action:slug`, at most 12 + 32
    bytes, well under Telegram's 64."""
    label = t._(BUTTON_LABELS[action]).format(title=t.isolate(title))
    if len(label) > LONGEST_LABEL:
        label = label[: LONGEST_LABEL - 1] + "…"
    return InlineKeyboardButton(label, callback_data=f"{action}:{slug}")


def topic_buttons(
    action: str, options: tuple[tuple[str, str], ...], t: Translator = ENGLISH
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[topic_button(action, slug, title, t)] for slug, title in options[:BUTTONS_PER_CHOICE]]
    )


def button_row(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    """(label, callback data) pairs side by side."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in buttons]])
