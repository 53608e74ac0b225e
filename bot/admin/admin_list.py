"""The /admins message: who may post, by name, with an owner's buttons to remove an admin or
limit one to some topics. Both views are edited in place as the owner presses."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.admin.roster import AdminEntry
from storage.models import Topic

LONGEST_NAME_IN_BUTTON = 24
ADMIN_BUTTON_PATTERN = r"^adm:(?:ls|(?:rm|tp|all):[0-9]{1,18}|tg:[0-9]{1,18}:[0-9]{1,18})$"


def _person(entry: AdminEntry) -> str:
    if entry.first_name is None:
        return f"<code>{entry.user_id}</code> (name not known until they write to the bot)"
    handle = f" @{html.escape(entry.username)}" if entry.username else ""
    return f"<b>{html.escape(entry.first_name)}</b>{handle} · <code>{entry.user_id}</code>"


def _short(entry: AdminEntry) -> str:
    name = entry.name
    return name if len(name) <= LONGEST_NAME_IN_BUTTON else name[: LONGEST_NAME_IN_BUTTON - 1] + "…"


def admins_text(entries: list[AdminEntry]) -> str:
    lines = []
    for entry in entries:
        if entry.is_owner:
            scope = "owner"
        elif entry.topics:
            scope = "only " + ", ".join(f"<code>{slug}</code>" for slug in entry.topics)
        else:
            scope = "every topic"
        lines.append(f"• {_person(entry)} — {scope}")
    return "🛡 <b>Admins</b>\n" + ("\n".join(lines) or "none")


def admins_buttons(entries: list[AdminEntry]) -> InlineKeyboardMarkup | None:
    """Owners cannot be removed or limited here: they are set in ROUNDWATCH_ADMIN_IDS."""
    rows = [
        [
            InlineKeyboardButton(f"✖️ Remove {_short(e)}", callback_data=f"adm:rm:{e.user_id}"),
            InlineKeyboardButton(f"🗂 Topics: {_short(e)}", callback_data=f"adm:tp:{e.user_id}"),
        ]
        for e in entries
        if not e.is_owner
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def topics_text(entry: AdminEntry) -> str:
    name = html.escape(entry.name)
    if entry.topics:
        now = "only " + ", ".join(f"<code>{slug}</code>" for slug in entry.topics)
    else:
        now = "every topic"
    return (
        f"🗂 <b>Topics {name} may post to</b>: {now}.\n"
        f"Tick topics to limit {name} to them; with none ticked, {name} may post to every topic."
    )


def topics_buttons(entry: AdminEntry, topics: list[Topic]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"{'✅' if topic.slug in entry.topics else '▫️'} {topic.slug}",
                callback_data=f"adm:tg:{entry.user_id}:{topic.id}",
            )
        ]
        for topic in topics
    ]
    rows.append(
        [
            InlineKeyboardButton("🌐 Every topic", callback_data=f"adm:all:{entry.user_id}"),
            InlineKeyboardButton("⬅️ Back", callback_data="adm:ls"),
        ]
    )
    return InlineKeyboardMarkup(rows)
