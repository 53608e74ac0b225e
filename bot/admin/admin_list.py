"""The /admins message: who may post, by name, with an owner's buttons to remove an admin or
limit one to some topics. Both views are edited in place as the owner presses. Names and
slugs are shown as Telegram and the admins wrote them, isolated in a Persian sentence."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.admin.roster import AdminEntry
from bot.reading.language import Translator
from storage.models import Topic

LONGEST_NAME_IN_BUTTON = 24
ADMIN_BUTTON_PATTERN = r"^adm:(?:ls|(?:rm|tp|all):[0-9]{1,18}|tg:[0-9]{1,18}:[0-9]{1,18})$"


def _person(entry: AdminEntry, t: Translator) -> str:
    user_id = t.isolate(f"<code>{entry.user_id}</code>")
    if entry.first_name is None:
        return t._("{user} (name not known until they write to the bot)").format(user=user_id)
    handle = f" @{html.escape(entry.username)}" if entry.username else ""
    name = t.isolate(f"<b>{html.escape(entry.first_name)}</b>{handle}")
    return f"{name} · {user_id}"


def _short(entry: AdminEntry, t: Translator) -> str:
    name = entry.name
    short = (
        name if len(name) <= LONGEST_NAME_IN_BUTTON else name[: LONGEST_NAME_IN_BUTTON - 1] + "…"
    )
    return t.isolate(short)


def _scope(entry: AdminEntry, t: Translator) -> str:
    if not entry.topics:
        return t._("every topic")
    slugs = t._(", ").join(t.isolate(f"<code>{slug}</code>") for slug in entry.topics)
    return t._("only {topics}").format(topics=slugs)


def admins_text(entries: list[AdminEntry], t: Translator) -> str:
    lines = []
    for entry in entries:
        scope = t._("owner") if entry.is_owner else _scope(entry, t)
        lines.append(f"• {_person(entry, t)} — {scope}")
    return t.directed(t._("🛡 <b>Admins</b>") + "\n" + ("\n".join(lines) or t._("none")))


def admins_buttons(entries: list[AdminEntry], t: Translator) -> InlineKeyboardMarkup | None:
    """Owners cannot be removed or limited here: they are set in ROUNDWATCH_ADMIN_IDS."""
    rows = [
        [
            InlineKeyboardButton(
                t._("✖️ Remove {name}").format(name=_short(e, t)),
                callback_data=f"adm:rm:{e.user_id}",
            ),
            InlineKeyboardButton(
                t._("🗂 Topics: {name}").format(name=_short(e, t)),
                callback_data=f"adm:tp:{e.user_id}",
            ),
        ]
        for e in entries
        if not e.is_owner
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def topics_text(entry: AdminEntry, t: Translator) -> str:
    name = t.isolate(html.escape(entry.name))
    text = t._(
        "🗂 <b>Topics {name} may post to</b>: {topics}.\n"
        "Tick topics to limit {name} to them; with none ticked, {name} may post to every topic."
    ).format(name=name, topics=_scope(entry, t))
    return t.directed(text)


def topics_buttons(entry: AdminEntry, topics: list[Topic], t: Translator) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                f"{'✅' if topic.slug in entry.topics else '▫️'} {t.isolate(topic.slug)}",
                callback_data=f"adm:tg:{entry.user_id}:{topic.id}",
            )
        ]
        for topic in topics
    ]
    rows.append(
        [
            InlineKeyboardButton(t._("🌐 Every topic"), callback_data=f"adm:all:{entry.user_id}"),
            InlineKeyboardButton(t._("⬅️ Back"), callback_data="adm:ls"),
        ]
    )
    return InlineKeyboardMarkup(rows)
