"""A preview's Edit and Schedule buttons, the admin's reply with a field's new value,
`/schedule`, `/scheduled` and the Failures button under a finished broadcast."""

from __future__ import annotations

import html
from datetime import timedelta

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.admin.stats import failures_text
from bot.delivery.sender import answer_press, replace_message, send_to_admin, set_buttons
from bot.posting.card_edit import FIELD_LABELS, REMOVE_VALUE
from bot.posting.card_feedback import card_warnings_text, with_code
from bot.posting.preview_buttons import (
    field_buttons,
    preview_buttons,
    schedule_buttons,
    scheduled_buttons,
)
from bot.posting.preview_edit import answer_field_question, await_field_answer, field_question
from bot.posting.publish import KIND_LABELS, PostError
from bot.posting.scheduling import (
    Scheduled,
    ScheduledList,
    cancel_schedule,
    describe_time,
    schedule_draft,
    schedule_preview,
    scheduled_for_admin,
)
from bot.reading.language import Translator
from bot.runtime import Context, runtime_of
from handlers.admin import admin_only, admin_press, send_preview
from handlers.intake import article_text_message
from handlers.reader import translation
from handlers.replies import reply

PREVIEW_BUTTON_PATTERN = (
    r"^(?:(?:pedit|pback|psched|unsched|pfail):[0-9]{1,18}"
    r"|pfield:[0-9]{1,18}:[a-z]{1,16}|pat:[0-9]{1,18}:[a-z0-9]{1,4})$"
)


async def preview_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    runtime = runtime_of(context)
    action, rest = query.data.split(":", 1)
    if not await admin_press(update, context, action, rest):
        return
    t = await translation(update, context)
    post_id, _, choice = rest.partition(":")
    chat_id, message_id = query.message.chat.id, query.message.message_id
    lifetime = timedelta(hours=runtime.settings.draft_lifetime_hours)
    keyboards = {"pedit": field_buttons, "pback": preview_buttons, "psched": schedule_buttons}
    try:
        if action in keyboards:
            keyboard = keyboards[action](int(post_id), t)
            await set_buttons(context.bot, chat_id, message_id, keyboard)
            await answer_press(query)
        elif action == "pfield":
            question = await field_question(runtime.database, int(post_id), choice, lifetime)
            await answer_press(query)
            current = "\n".join(question.current) or t._("(not on the card)")
            label = t._(question.label)
            asked_text = t._(
                "✏️ New value for <b>{label}</b>? Reply to this message with it "
                "(<code>{remove}</code> removes the field; for a field that repeats, "
                "one line each). Now:"
            ).format(label=label, remove=t.isolate(REMOVE_VALUE))
            asked = await send_to_admin(
                context.bot,
                chat_id,
                [f"{t.directed(asked_text)}\n<pre>{html.escape(current)}</pre>"],
                ForceReply(input_field_placeholder=label),
            )
            for prompt_id in asked:
                await await_field_answer(
                    runtime.database, query.from_user.id, question, chat_id, prompt_id
                )
        elif action == "pat":
            scheduled = await schedule_draft(
                runtime.database, query.from_user.id, chat_id, int(post_id), choice,
                runtime.now(), choice=True, draft_lifetime=lifetime,
            )  # fmt: skip
            await answer_press(query)
            await _show_scheduled(update, context, scheduled, t)
        elif action == "unsched":
            cancelled = await cancel_schedule(runtime.database, query.from_user.id, int(post_id))
            await answer_press(query)
            if cancelled.preview_message_ids:
                last = cancelled.preview_message_ids[-1]
                await set_buttons(
                    context.bot, cancelled.chat_id, last, preview_buttons(int(post_id), t)
                )
            unscheduled = t._(
                "🕒 Schedule of update {post_id} cancelled; nothing was published. Its preview "
                "has its buttons back."
            ).format(post_id=t.number(post_id))
            await reply(update, t.directed(unscheduled))
        else:
            await answer_press(query)
            await reply(update, await failures_text(runtime.database, t))
    except PostError as error:
        await answer_press(query, error.text(t)[:200], alert=True)


async def field_value_reply(update: Update, context: Context) -> None:
    """A reply in the private chat: the new value when it answers this admin's field question,
    anything else goes where other text goes."""
    message = update.effective_message
    user = update.effective_user
    runtime = runtime_of(context)
    replied = message.reply_to_message if message else None
    if message is None or user is None or replied is None or message.text is None:
        await article_text_message(update, context)
        return
    if not await runtime.roster.is_admin(user.id):
        await article_text_message(update, context)
        return
    lifetime = timedelta(hours=runtime.settings.draft_lifetime_hours)
    t = await translation(update, context)
    try:
        edited = await answer_field_question(
            runtime.database, user.id, message.chat.id, replied.message_id, message.text, lifetime
        )
    except PostError as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return
    if edited is None:
        await article_text_message(update, context)
        return
    preview = edited.preview
    in_place = len(edited.message_ids) == len(preview.parts)
    for index, (shown, part) in enumerate(zip(edited.message_ids, preview.parts, strict=False)):
        markup = preview_buttons(preview.post_id, t) if index == len(preview.parts) - 1 else None
        in_place = in_place and await replace_message(
            context.bot, edited.chat_id, shown, part, markup
        )
    label = t._(FIELD_LABELS[edited.field])
    kind = t._(KIND_LABELS[preview.kind])
    if not in_place:
        heading = t._("👀 <b>Preview</b> · {kind}, with the new {field}:")
        named = label if t.right_to_left else label.lower()
        await send_preview(update, context, preview, heading.format(kind=kind, field=named), t)
        return
    warnings = card_warnings_text(preview.warnings, t) + "\n\n" if preview.warnings else ""
    changed = t._(
        "✏️ {field} changed: the preview above shows it ({kind}), and Publish "
        "publishes exactly that."
    ).format(field=label, kind=kind)
    await reply(update, warnings + t.directed(changed))


async def schedule_command(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "schedule")
    message = update.effective_message
    if admin_id is None or message is None:
        return
    runtime = runtime_of(context)
    replied = message.reply_to_message.message_id if message.reply_to_message else None
    when = " ".join(context.args or [])
    t = await translation(update, context)
    try:
        scheduled = await schedule_preview(
            runtime.database,
            admin_id,
            message.chat.id,
            replied,
            when,
            runtime.now(),
            timedelta(hours=runtime.settings.draft_lifetime_hours),
        )
    except PostError as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return
    await _show_scheduled(update, context, scheduled, t)


async def list_scheduled(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "scheduled")
    if admin_id is None:
        return
    listing = await scheduled_for_admin(runtime_of(context).database, admin_id)
    t = await translation(update, context)
    if not listing.posts:
        nothing = t._("🕒 Nothing is scheduled. Schedule a preview with its 🕒 button.")
        await reply(update, t.directed(nothing))
        return
    await reply(update, *scheduled_message(listing, t))


def scheduled_message(listing: ScheduledList, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """Shared with `/drafts`, which lists what waits for its time beside what is unfinished."""
    lines = [
        t._("• update {post_id} · {kind} · <code>{slug}</code> · {when}").format(
            post_id=t.number(item.post_id),
            kind=t._(KIND_LABELS[item.kind]),
            slug=t.isolate(item.slug),
            when=describe_time(item.due_at, listing.zone, t),
        )
        for item in listing.posts
    ]
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t._("✖️ Cancel update {post_id}").format(post_id=t.number(item.post_id)),
                    callback_data=f"unsched:{item.post_id}",
                )
            ]
            for item in listing.posts
        ]
    )
    return t.directed(t._("🕒 <b>Scheduled</b>") + "\n" + "\n".join(lines)), buttons


async def _show_scheduled(
    update: Update, context: Context, scheduled: Scheduled, t: Translator
) -> None:
    if scheduled.preview_message_ids:
        await set_buttons(
            context.bot,
            scheduled.chat_id,
            scheduled.preview_message_ids[-1],
            scheduled_buttons(scheduled.post_id, t),
        )
    shown = t._(
        "🕒 Update {post_id} will be published {when}, exactly as previewed. "
        "/scheduled lists what waits; cancel it there or under the preview."
    ).format(
        post_id=t.number(scheduled.post_id), when=describe_time(scheduled.due_at, scheduled.zone, t)
    )
    await reply(update, t.directed(shown))
