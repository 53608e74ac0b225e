"""The buttons under a preview and the choices they open, as plain keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.posting.card_edit import EDITABLE_FIELDS, FIELD_LABELS
from bot.posting.scheduling import SCHEDULE_CHOICES
from bot.reading.language import N_, Translator

FIELDS_PER_ROW = 3
BACK = N_("‹ Back")


def preview_buttons(post_id: int, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t._("✅ Publish"), callback_data=f"pub:{post_id}"),
                InlineKeyboardButton(t._("✖️ Cancel"), callback_data=f"cancel:{post_id}"),
            ],
            [
                InlineKeyboardButton(t._("✏️ Edit"), callback_data=f"pedit:{post_id}"),
                InlineKeyboardButton(t._("🕒 Schedule"), callback_data=f"psched:{post_id}"),
            ],
        ]
    )


def field_buttons(post_id: int, t: Translator) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(t._(FIELD_LABELS[key]), callback_data=f"pfield:{post_id}:{key}")
        for key in EDITABLE_FIELDS
    ]
    rows = [buttons[i : i + FIELDS_PER_ROW] for i in range(0, len(buttons), FIELDS_PER_ROW)]
    rows.append([InlineKeyboardButton(t._(BACK), callback_data=f"pback:{post_id}")])
    return InlineKeyboardMarkup(rows)


def schedule_buttons(post_id: int, t: Translator) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(t._(label), callback_data=f"pat:{post_id}:{choice}")]
        for choice, label in SCHEDULE_CHOICES.items()
    ]
    rows.append([InlineKeyboardButton(t._(BACK), callback_data=f"pback:{post_id}")])
    return InlineKeyboardMarkup(rows)


def scheduled_buttons(post_id: int, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t._("✖️ Cancel schedule"), callback_data=f"unsched:{post_id}")]]
    )
