"""The buttons under a preview and the choices they open, as plain keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.posting.card_edit import EDITABLE_FIELDS, FIELD_LABELS
from bot.posting.scheduling import SCHEDULE_CHOICES

FIELDS_PER_ROW = 3


def preview_buttons(post_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Publish", callback_data=f"pub:{post_id}"),
                InlineKeyboardButton("✖️ Cancel", callback_data=f"cancel:{post_id}"),
            ],
            [
                InlineKeyboardButton("✏️ Edit", callback_data=f"pedit:{post_id}"),
                InlineKeyboardButton("🕒 Schedule", callback_data=f"psched:{post_id}"),
            ],
        ]
    )


def field_buttons(post_id: int) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(FIELD_LABELS[key], callback_data=f"pfield:{post_id}:{key}")
        for key in EDITABLE_FIELDS
    ]
    rows = [buttons[i : i + FIELDS_PER_ROW] for i in range(0, len(buttons), FIELDS_PER_ROW)]
    rows.append([InlineKeyboardButton("‹ Back", callback_data=f"pback:{post_id}")])
    return InlineKeyboardMarkup(rows)


def schedule_buttons(post_id: int) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(label, callback_data=f"pat:{post_id}:{choice}")]
        for choice, label in SCHEDULE_CHOICES.items()
    ]
    rows.append([InlineKeyboardButton("‹ Back", callback_data=f"pback:{post_id}")])
    return InlineKeyboardMarkup(rows)


def scheduled_buttons(post_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("✖️ Cancel schedule", callback_data=f"unsched:{post_id}")]]
    )
