"""Admin commands. Every one checks the sender's Telegram user id, every time."""

from __future__ import annotations

import html
from datetime import timedelta

from telegram import BotCommandScopeChat, Update

from bot.admin.admin_list import admins_buttons, admins_text
from bot.admin.retry import requeue_failed
from bot.admin.stats import failures_text, stats_text
from bot.delivery.sender import answer_press, remove_buttons, set_command_menu
from bot.posting.broadcast_progress import track_broadcast
from bot.posting.card_feedback import card_problems_text, card_warnings_text, with_code
from bot.posting.preview_buttons import preview_buttons
from bot.posting.preview_edit import remember_preview
from bot.posting.progress_text import CORRECT_BUTTON
from bot.posting.publish import (
    KIND_LABELS,
    DraftClosed,
    PostError,
    Preview,
    Published,
    cancel_post,
    create_new_topic,
    headline_text,
    preview_post,
    publish_post,
)
from bot.reading.help import admin_menu, reader_menu
from bot.reading.language import N_, Translator
from bot.runtime import Context, run_scheduler_tick, runtime_of
from bot.telegram_ids import parse_user_id
from handlers.reader import translation
from handlers.replies import button_row, reply
from storage.card import CardError

NO_ADMINS_YET = N_(
    "Sorry, only Roundwatch admins can do that, and none is configured yet: whoever runs the "
    "bot sets ROUNDWATCH_ADMIN_IDS to the owners' Telegram user ids and restarts it."
)
ADMINS_ONLY = N_("Sorry, only Roundwatch admins can do that.")
ONLY_ADMINS = N_("Only Roundwatch admins can do that.")
POST_BUTTON_PATTERN = r"^(pub|cancel):[0-9]{1,18}$"


async def admin_only(update: Update, context: Context, action: str) -> int | None:
    """The admin's user id, or None after refusing politely and noting the attempt."""
    user = update.effective_user
    roster = runtime_of(context).roster
    if user is not None:
        await roster.remember_name(user.id, user.first_name, user.username)
    if user is not None and await roster.is_admin(user.id):
        return user.id
    if user is not None:
        await roster.refuse(user.id, action)
    t = await translation(update, context)
    refusal = ADMINS_ONLY if await roster.has_admins() else NO_ADMINS_YET
    await reply(update, t.directed(t._(refusal)))
    return None


async def admin_press(update: Update, context: Context, action: str, detail: str) -> bool:
    """Whether the press is an admin's; anyone else's is answered with an alert and noted, by
    the presser's user id, since a button can be forwarded to anyone."""
    query = update.callback_query
    assert query is not None
    roster = runtime_of(context).roster
    if await roster.is_admin(query.from_user.id):
        return True
    await roster.refuse(query.from_user.id, action, detail)
    t = await translation(update, context)
    await answer_press(query, t._(ONLY_ADMINS), alert=True)
    return False


def _message_text(update: Update) -> str:
    message = update.effective_message
    return (message.text or message.caption or "") if message else ""


async def new_topic(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "newtopic")
    if admin_id is None:
        return
    t = await translation(update, context)
    if not context.args or len(context.args) < 2:
        usage = t._(
            "Usage: /newtopic <i>slug</i> <i>title…</i>, e.g. "
            "<code>/newtopic pak-taliban-talks Pakistan–Taliban talks</code>"
        )
        await reply(update, t.directed(usage))
        return
    slug, title = context.args[0], " ".join(context.args[1:])
    try:
        topic = await create_new_topic(runtime_of(context).database, admin_id, slug, title)
    except PostError as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return
    created = t._(
        "✅ Created <b>{title}</b> (<code>{slug}</code>). Post its first round with "
        "/post {slug}. Share {link} so readers can subscribe in one tap."
    ).format(
        title=t.isolate(html.escape(topic.title)),
        slug=t.isolate(topic.slug),
        link=t.isolate(f"t.me/{context.bot.username}?start={topic.slug}"),
    )
    await reply(update, t.directed(created))


async def post(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "post")
    if admin_id is None:
        return
    text = _message_text(update)
    command_line = text.split("\n", 1)[0].split()
    t = await translation(update, context)
    if len(command_line) < 2:
        usage = t._(
            "Usage: /post <i>slug</i> on the first line, then the card on the following lines. "
            "/help shows the card keys."
        )
        await reply(update, t.directed(usage))
        return
    runtime = runtime_of(context)
    try:
        preview = await preview_post(runtime.database, admin_id, command_line[1], text)
    except CardError as error:
        await reply(update, card_problems_text(error.problems, t))
        return
    except PostError as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return
    await send_preview(update, context, preview, preview_heading(preview, t), t)


def preview_heading(preview: Preview, t: Translator) -> str:
    kind = t._(KIND_LABELS[preview.kind])
    if t.right_to_left:
        return t._(
            "👀 <b>Preview</b> · {kind} — subscribers reading English will see exactly this, "
            "those reading Dari the same in Dari:"
        ).format(kind=kind)
    return t._("👀 <b>Preview</b> · {kind} — subscribers will see exactly this:").format(kind=kind)


async def send_preview(
    update: Update, context: Context, preview: Preview, heading: str, t: Translator
) -> None:
    """Where the preview's parts are shown is kept, so Edit can change them in place."""
    if preview.warnings:
        heading = card_warnings_text(preview.warnings, t) + "\n\n" + heading
    await reply(update, t.directed(heading))
    shown = [(await reply(update, part)).message_id for part in preview.parts[:-1]]
    last = await reply(update, preview.parts[-1], preview_buttons(preview.post_id, t))
    assert update.effective_chat is not None
    await remember_preview(
        runtime_of(context).database,
        preview.post_id,
        update.effective_chat.id,
        [*shown, last.message_id],
    )


async def refuse_press(update: Update, context: Context, error: PostError | CardError) -> None:
    """A Publish-like press that published nothing: a closed draft loses its buttons, a card
    with problems gets them listed, anything else keeps the buttons to press again."""
    query = update.callback_query
    assert query is not None and query.message is not None
    t = await translation(update, context)
    if isinstance(error, CardError):
        refusal = t._("The card has problems; nothing was published.")
        await answer_press(query, refusal, alert=True)
        await reply(update, card_problems_text(error.problems, t))
        return
    await answer_press(query, error.text(t)[:200], alert=True)
    if isinstance(error, DraftClosed):
        await remove_buttons(context.bot, query.message.chat.id, query.message.message_id)


async def post_button(update: Update, context: Context) -> None:
    """The press is answered and the preview changed only after the database has committed,
    so a crash or a failure in between leaves the buttons to press again."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    runtime = runtime_of(context)
    action, raw_id = query.data.split(":", 1)
    if not await admin_press(update, context, action, f"update {raw_id}"):
        return
    t = await translation(update, context)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    outcome: Published | Preview | None = None
    try:
        if action == "pub":
            lifetime = timedelta(hours=runtime.settings.draft_lifetime_hours)
            outcome = await publish_post(
                runtime.database, int(raw_id), query.from_user.id, draft_lifetime=lifetime
            )
        else:
            await cancel_post(runtime.database, int(raw_id), query.from_user.id)
    except (PostError, CardError) as error:
        await refuse_press(update, context, error)
        return
    await answer_press(query)
    await remove_buttons(context.bot, chat_id, message_id)
    if isinstance(outcome, Preview):
        changed = t._(
            "⚠️ The stored data changed since this preview, so nothing was published. "
            "This is what subscribers would see now:"
        )
        await send_preview(update, context, outcome, changed, t)
        return
    if outcome is None:
        await reply(update, t.directed(t._("Cancelled; nothing was published.")))
        return
    if context.job_queue is not None:
        context.job_queue.run_once(run_scheduler_tick, when=0)
    published = t._(
        "📣 Published — {headline} (post {post_id}). Subscribers of <code>{slug}</code> are "
        "being notified; this message shows the progress."
    ).format(
        headline=headline_text(outcome.kind, outcome.round_number, outcome.round_title, t),
        post_id=t.number(outcome.post_id),
        slug=t.isolate(outcome.slug),
    )
    confirmation = await reply(
        update,
        t.directed(published),
        button_row((t._(CORRECT_BUTTON), f"howfix:{outcome.post_id}")),
    )
    await track_broadcast(
        runtime.database,
        outcome.post_id,
        chat_id,
        confirmation.message_id,
        runtime.now(),
        (query.message.chat.type, t.language),
    )


async def show_stats(update: Update, context: Context) -> None:
    if await admin_only(update, context, "stats") is not None:
        runtime = runtime_of(context)
        t = await translation(update, context)
        await reply(update, await stats_text(runtime.database, runtime.now(), t))


async def show_failures(update: Update, context: Context) -> None:
    if await admin_only(update, context, "failures") is not None:
        t = await translation(update, context)
        await reply(update, await failures_text(runtime_of(context).database, t))


async def retry_failed(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "retry")
    if admin_id is None:
        return
    target = context.args[0].lower() if context.args else ""
    t = await translation(update, context)
    if target != "all" and not target.isdigit():
        usage = t._("Usage: /retry <i>post id</i> or /retry all (see /failures).")
        await reply(update, t.directed(usage))
        return
    post_id = None if target == "all" else int(target)
    count = await requeue_failed(runtime_of(context).database, admin_id, post_id)
    if count and context.job_queue is not None:
        context.job_queue.run_once(run_scheduler_tick, when=0)
    requeued = t.ngettext(
        "🔁 {count} failed delivery queued again.",
        "🔁 {count} failed deliveries queued again.",
        count,
    ).format(count=t.number(count))
    await reply(update, t.directed(requeued if count else t._("No failed deliveries.")))


async def list_admins(update: Update, context: Context) -> None:
    """Every admin sees who the admins are; only owners get the buttons that change it."""
    admin_id = await admin_only(update, context, "admins")
    if admin_id is None:
        return
    roster = runtime_of(context).roster
    entries = await roster.entries()
    t = await translation(update, context)
    buttons = admins_buttons(entries, t) if roster.is_owner(admin_id) else None
    await reply(update, admins_text(entries, t), buttons)


async def change_admin(update: Update, context: Context) -> None:
    """/addadmin and /removeadmin: owners only."""
    message = update.effective_message
    user = update.effective_user
    roster = runtime_of(context).roster
    command = _message_text(update).split()[0].lstrip("/").split("@")[0].lower()
    t = await translation(update, context)
    if user is None or not roster.is_owner(user.id):
        if user is not None:
            await roster.refuse(user.id, command)
        await reply(update, t.directed(t._("Sorry, only owners can change who is an admin.")))
        return
    target = parse_user_id(context.args[0]) if context.args and len(context.args) == 1 else None
    if message is None or target is None:
        usage = t._(
            "Usage: /{command} <i>telegram user id</i>, a number written with the digits 0–9, "
            "e.g. <code>/{command} 123456789</code>."
        )
        await reply(update, t.directed(usage.format(command=command)))
        return
    if command == "addadmin":
        changed = await roster.grant(user.id, target)
        await set_command_menu(context.bot, admin_menu(), BotCommandScopeChat(target))
        text = (
            t._("<code>{user}</code> is now an admin.")
            if changed
            else t._("<code>{user}</code> was already an admin.")
        )
    else:
        changed = await roster.revoke(user.id, target)
        await set_command_menu(context.bot, reader_menu(), BotCommandScopeChat(target))
        text = (
            t._("<code>{user}</code> is no longer an admin.")
            if changed
            else t._("<code>{user}</code> was not an admin.")
        )
    await reply(update, t.directed(text.format(user=t.isolate(str(target)))))
