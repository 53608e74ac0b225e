"""Owners' buttons under /admins, and /audit. Every press is checked against the owners'
Telegram user ids; anybody else's press is refused and written to the audit log."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.admin.admin_list import admins_buttons, admins_text, topics_buttons, topics_text
from bot.admin.audit_view import audit_message
from bot.delivery.sender import answer_press, replace_message
from bot.posting.publish import SLUG_PATTERN
from bot.runtime import Context, runtime_of
from handlers.reader import translation
from handlers.replies import reply


async def admin_button(update: Update, context: Context) -> None:
    """The message is changed before the press is answered, so what the owner sees when the
    spinner stops is already the new state."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    roster = runtime_of(context).roster
    t = await translation(update, context)
    if not roster.is_owner(query.from_user.id):
        await roster.refuse(query.from_user.id, "admins-button", query.data)
        await answer_press(query, t._("Only owners can change who is an admin."), alert=True)
        return
    parts = query.data.split(":")
    action, user_id = parts[1], int(parts[2]) if len(parts) > 2 else 0
    owner_id = query.from_user.id
    note: str | None = None
    show_topics = action in ("tp", "tg", "all")
    user = t.isolate(str(user_id))
    if action == "rm":
        removed = await roster.revoke(owner_id, user_id)
        note = (
            t._("{user} is no longer an admin.") if removed else t._("{user} was not an admin.")
        ).format(user=user)
    elif action in ("tg", "all"):
        if await roster.entry(user_id) is None:
            note, show_topics = t._("{user} is not an admin any more.").format(user=user), False
        elif action == "all":
            await roster.allow_every_topic(owner_id, user_id)
        else:
            topic = next((each for each in await roster.topics() if each.id == int(parts[3])), None)
            if topic is None:
                note = t._("That topic no longer exists.")
            else:
                limited = await roster.toggle_topic(owner_id, user_id, topic)
                note = (
                    t._("Limited to {slug}.") if limited else t._("No longer limited to {slug}.")
                ).format(slug=t.isolate(topic.slug))
    entry = await roster.entry(user_id) if show_topics else None
    markup: InlineKeyboardMarkup | None
    if entry is not None and not entry.is_owner:
        text, markup = topics_text(entry, t), topics_buttons(entry, await roster.topics(), t)
    else:
        entries = await roster.entries()
        text, markup = admins_text(entries, t), admins_buttons(entries, t)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if not await replace_message(context.bot, chat_id, message_id, text, markup):
        await reply(update, text, markup)
    await answer_press(query, note)


async def show_audit(update: Update, context: Context) -> None:
    user = update.effective_user
    roster = runtime_of(context).roster
    t = await translation(update, context)
    if user is None or not roster.is_owner(user.id):
        if user is not None:
            await roster.refuse(user.id, "audit")
        await reply(update, t.directed(t._("Sorry, only owners can read the audit log.")))
        return
    slug = context.args[0].lower() if context.args else None
    if slug is not None and (len(context.args or []) > 1 or not SLUG_PATTERN.fullmatch(slug)):
        usage = t._("Usage: /audit, or /audit <i>slug</i> for one topic's entries.")
        await reply(update, t.directed(usage))
        return
    text, markup = await audit_message(runtime_of(context).database, slug, t)
    await reply(update, text, markup)


async def audit_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    roster = runtime_of(context).roster
    t = await translation(update, context)
    if not roster.is_owner(query.from_user.id):
        await roster.refuse(query.from_user.id, "audit-button", query.data)
        await answer_press(query, t._("Only owners can read the audit log."), alert=True)
        return
    _, direction, mark, slug = query.data.split(":", 3)
    text, markup = await audit_message(
        runtime_of(context).database,
        slug or None,
        t,
        older_than=int(mark) if direction == "o" else None,
        newer_than=int(mark) if direction == "n" else None,
    )
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if not await replace_message(context.bot, chat_id, message_id, text, markup):
        await reply(update, text, markup)
    await answer_press(query)
