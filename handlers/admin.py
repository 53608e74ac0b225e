"""Admin commands. Every one checks the sender's Telegram user id, every time."""

from __future__ import annotations

import html

from telegram import BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.admin.retry import requeue_failed
from bot.admin.stats import failures_text, stats_text
from bot.delivery.sender import set_command_menu
from bot.posting.publish import PostError, cancel_post, create_new_topic, preview_post, publish_post
from bot.reading.help import admin_menu, reader_menu
from bot.runtime import Context, run_scheduler_tick, runtime_of
from handlers.replies import reply
from storage.card import CardError

POST_BUTTON_PATTERN = r"^(pub|cancel):\d{1,18}$"


async def admin_only(update: Update, context: Context, action: str) -> int | None:
    """The admin's user id, or None after refusing politely and noting the attempt."""
    user = update.effective_user
    roster = runtime_of(context).roster
    if user is not None and await roster.is_admin(user.id):
        return user.id
    if user is not None:
        await roster.refuse(user.id, action, _message_text(update)[:200])
    await reply(update, "Sorry, only Roundwatch admins can do that.")
    return None


def _message_text(update: Update) -> str:
    message = update.effective_message
    return (message.text or message.caption or "") if message else ""


def card_error_text(error: CardError) -> str:
    lines = [f"line {p.line}: {html.escape(p.message)}" for p in error.problems]
    count = len(error.problems)
    heading = f"The card has {count} problem{'s' if count != 1 else ''}; nothing was stored."
    return f"❌ {heading}\n" + "\n".join(lines)


async def new_topic(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "newtopic")
    if admin_id is None:
        return
    if not context.args or len(context.args) < 2:
        await reply(
            update,
            "Usage: /newtopic <i>slug</i> <i>title…</i>, e.g. "
            "<code>/newtopic pak-taliban-talks Pakistan–Taliban talks</code>",
        )
        return
    slug, title = context.args[0], " ".join(context.args[1:])
    try:
        topic = await create_new_topic(runtime_of(context).database, admin_id, slug, title)
    except PostError as error:
        await reply(update, html.escape(str(error)))
        return
    await reply(
        update,
        f"✅ Created <b>{html.escape(topic.title)}</b> (<code>{topic.slug}</code>). "
        f"Post its first round with /post {topic.slug}. Share t.me/{context.bot.username}"
        f"?start={topic.slug} so readers can subscribe in one tap.",
    )


async def post(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "post")
    if admin_id is None:
        return
    text = _message_text(update)
    command_line = text.split("\n", 1)[0].split()
    if len(command_line) < 2:
        await reply(
            update,
            "Usage: /post <i>slug</i> on the first line, then the card on the following lines. "
            "/help shows the card keys.",
        )
        return
    runtime = runtime_of(context)
    try:
        preview = await preview_post(runtime.database, admin_id, command_line[1], text)
    except CardError as error:
        await reply(update, card_error_text(error))
        return
    except PostError as error:
        await reply(update, html.escape(str(error)))
        return
    buttons = InlineKeyboardMarkup(
        [[
            InlineKeyboardButton("✅ Publish", callback_data=f"pub:{preview.post_id}"),
            InlineKeyboardButton("✖️ Cancel", callback_data=f"cancel:{preview.post_id}"),
        ]]
    )  # fmt: skip
    await reply(update, "👀 <b>Preview</b> — subscribers will see exactly this:")
    for part in preview.parts[:-1]:
        await reply(update, part)
    await reply(update, preview.parts[-1], buttons)


async def post_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    runtime = runtime_of(context)
    action, raw_id = query.data.split(":", 1)
    if not await runtime.roster.is_admin(query.from_user.id):
        await runtime.roster.refuse(query.from_user.id, action, f"update {raw_id}")
        await query.answer("Only Roundwatch admins can do that.", show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    try:
        if action == "pub":
            published = await publish_post(runtime.database, int(raw_id), query.from_user.id)
        else:
            await cancel_post(runtime.database, int(raw_id), query.from_user.id)
    except (PostError, CardError) as error:
        await reply(update, html.escape(str(error)))
        return
    if action == "cancel":
        await reply(update, "Cancelled; nothing was published.")
        return
    if context.job_queue is not None:
        context.job_queue.run_once(run_scheduler_tick, when=0)
    await reply(
        update,
        f"📣 Published: {html.escape(published.headline)}. Subscribers of "
        f"<code>{published.slug}</code> are being notified; /stats shows progress.",
    )


async def show_stats(update: Update, context: Context) -> None:
    if await admin_only(update, context, "stats") is not None:
        await reply(update, await stats_text(runtime_of(context).database))


async def show_failures(update: Update, context: Context) -> None:
    if await admin_only(update, context, "failures") is not None:
        await reply(update, await failures_text(runtime_of(context).database))


async def retry_failed(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "retry")
    if admin_id is None:
        return
    target = context.args[0].lower() if context.args else ""
    if target != "all" and not target.isdigit():
        await reply(update, "Usage: /retry <i>post id</i> or /retry all (see /failures).")
        return
    post_id = None if target == "all" else int(target)
    count = await requeue_failed(runtime_of(context).database, admin_id, post_id)
    if count and context.job_queue is not None:
        context.job_queue.run_once(run_scheduler_tick, when=0)
    noun = "delivery" if count == 1 else "deliveries"
    await reply(
        update, f"🔁 {count} failed {noun} queued again." if count else "No failed deliveries."
    )


async def list_admins(update: Update, context: Context) -> None:
    if await admin_only(update, context, "admins") is None:
        return
    roster = runtime_of(context).roster
    lines = [
        f"<code>{user_id}</code>{' (owner)' if roster.is_owner(user_id) else ''}"
        for user_id in await roster.all_ids()
    ]
    await reply(update, "🛡 <b>Admins</b>\n" + ("\n".join(lines) or "none"))


async def change_admin(update: Update, context: Context) -> None:
    """/addadmin and /removeadmin: owners only."""
    message = update.effective_message
    user = update.effective_user
    roster = runtime_of(context).roster
    command = _message_text(update).split()[0].lstrip("/").split("@")[0].lower()
    if user is None or not roster.is_owner(user.id):
        if user is not None:
            await roster.refuse(user.id, command, _message_text(update)[:200])
        await reply(update, "Sorry, only owners can change who is an admin.")
        return
    if message is None or not context.args or not context.args[0].lstrip("-").isdigit():
        await reply(update, f"Usage: /{command} <i>telegram user id</i> (a number).")
        return
    target = int(context.args[0])
    if command == "addadmin":
        changed = await roster.grant(user.id, target)
        await set_command_menu(context.bot, admin_menu(), BotCommandScopeChat(target))
        text = f"<code>{target}</code> {'is now' if changed else 'was already'} an admin."
    else:
        changed = await roster.revoke(user.id, target)
        await set_command_menu(context.bot, reader_menu(), BotCommandScopeChat(target))
        text = f"<code>{target}</code> {'is no longer' if changed else 'was not'} an admin."
    await reply(update, text)
