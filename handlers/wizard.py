"""The `/post` wizard and `/drafts`. Every step and every press checks the Telegram user id."""

from __future__ import annotations

import warnings
from datetime import date

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.delivery.sender import answer_press, remove_buttons
from bot.posting.card_feedback import with_code
from bot.posting.publish import PostError
from bot.posting.scheduling import scheduled_for_admin
from bot.posting.wizard import STEPS
from bot.posting.wizard_conversations import WIZARD_CONVERSATION
from bot.posting.wizard_drafts import (
    WizardClosed,
    WizardTurn,
    answer_wizard,
    back_wizard,
    cancel_wizard,
    discard_wizard_draft,
    list_drafts,
    press_wizard,
    resume_wizard,
    start_wizard,
)
from bot.posting.wizard_message import WIZARD_BUTTON_PATTERN, drafts_message, question_message
from bot.reading.language import Translator
from bot.runtime import Context, runtime_of
from handlers.admin import ONLY_ADMINS, admin_only, preview_heading, refuse_press, send_preview
from handlers.preview import scheduled_message
from handlers.reader import translation
from handlers.replies import reply
from storage.card import CardError

END = ConversationHandler.END
# `/post` alone, or with only a slug: a `/post` with a card goes to handlers/admin.py.
POST_WITHOUT_CARD = filters.Regex(r"^/post(?:@\w+)?(?:[ \t]+[a-z0-9-]{1,32})?\s*$")


def wizard_conversation() -> ConversationHandler:  # type: ignore[type-arg]
    """The conversation is keyed by chat and user; its state is the draft's step. A press on
    any message of the chat reaches the current state (PTB warns about that with
    per_message=False), which is why each button names its draft and step."""
    answer: list[BaseHandler] = [  # type: ignore[type-arg]
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, answer_step)
    ]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("post", start, filters=filters.ChatType.PRIVATE & POST_WITHOUT_CARD),
                CallbackQueryHandler(wizard_button, pattern=WIZARD_BUTTON_PATTERN),
            ],
            states={step: answer for step in STEPS},
            fallbacks=[CommandHandler("back", back), CommandHandler("cancel", cancel)],
            allow_reentry=True,
            name=WIZARD_CONVERSATION,
            persistent=True,
        )


def _today(update: Update) -> date:
    message = update.effective_message
    assert message is not None
    return message.date.date()


async def start(update: Update, context: Context) -> object:
    admin_id = await admin_only(update, context, "post")
    message, chat = update.effective_message, update.effective_chat
    if admin_id is None or message is None or chat is None:
        return END
    words = (message.text or "").split()
    slug = words[1] if len(words) > 1 else None
    t = await translation(update, context)
    try:
        turn = await start_wizard(
            runtime_of(context).database, admin_id, chat.id, _today(update), slug, t
        )
    except PostError as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return END
    return await _show(update, context, turn, t)


async def answer_step(update: Update, context: Context) -> object:
    admin_id = await admin_only(update, context, "post")
    message = update.effective_message
    if admin_id is None or message is None:
        return END
    t = await translation(update, context)
    try:
        turn = await answer_wizard(
            runtime_of(context).database, admin_id, _today(update), message.text or "", t
        )
    except WizardClosed as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return END
    return await _show(update, context, turn, t)


async def back(update: Update, context: Context) -> object:
    admin_id = await admin_only(update, context, "post")
    if admin_id is None:
        return END
    t = await translation(update, context)
    try:
        turn = await back_wizard(runtime_of(context).database, admin_id, _today(update), t)
    except WizardClosed as error:
        await reply(update, t.directed(with_code(error.text(t), t)))
        return END
    return await _show(update, context, turn, t)


async def cancel(update: Update, context: Context) -> object:
    admin_id = await admin_only(update, context, "post")
    if admin_id is None:
        return END
    t = await translation(update, context)
    if await cancel_wizard(runtime_of(context).database, admin_id):
        cancelled = t._("✖️ Cancelled; the draft is discarded and nothing was published.")
    else:
        cancelled = t._("Nothing to cancel; /post starts a draft.")
    await reply(update, t.directed(cancelled))
    return END


async def wizard_button(update: Update, context: Context) -> object:
    """Resume and Discard (from /drafts) and the answers under a question."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    runtime = runtime_of(context)
    user_id = query.from_user.id
    t = await translation(update, context)
    if not await runtime.roster.is_admin(user_id):
        await runtime.roster.refuse(user_id, "wizard-button", query.data)
        await answer_press(query, t._(ONLY_ADMINS), alert=True)
        return None
    _, raw_id, action, *choice = query.data.split(":")
    database, draft_id = runtime.database, int(raw_id)
    try:
        if action == "drop":
            was_answering = await discard_wizard_draft(
                database, user_id, draft_id, any_author=runtime.roster.is_owner(user_id)
            )
        elif action == "resume":
            turn = await resume_wizard(database, user_id, _today(update), draft_id, t)
        else:
            turn = await press_wizard(
                database, user_id, _today(update), draft_id, action, choice[0], t
            )
    except (PostError, CardError) as error:
        await refuse_press(update, context, error)
        return None
    await answer_press(query)
    if action == "drop":
        discarded = t._("🗑 Draft #{number} discarded; nothing was published.")
        await reply(update, t.directed(discarded.format(number=t.number(draft_id))))
        return END if was_answering else None
    if action != "resume":
        await remove_buttons(context.bot, query.message.chat.id, query.message.message_id)
    return await _show(update, context, turn, t)


async def show_drafts(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "drafts")
    if admin_id is None:
        return
    runtime = runtime_of(context)
    listing = await list_drafts(
        runtime.database, admin_id, every_author=runtime.roster.is_owner(admin_id)
    )
    t = await translation(update, context)
    text, markup = drafts_message(listing, admin_id, t)
    await reply(update, text, markup)
    waiting = await scheduled_for_admin(runtime.database, admin_id)
    if waiting.posts:
        await reply(update, *scheduled_message(waiting, t))


async def _show(update: Update, context: Context, turn: WizardTurn, t: Translator) -> object:
    """The next question, or the normal preview with its Publish button; the conversation's
    state is the step the draft is on."""
    if turn.preview is not None:
        preview = turn.preview
        await send_preview(update, context, preview, preview_heading(preview, t), t)
        return END
    assert turn.question is not None
    text, markup = question_message(turn.draft_id, turn.question, t, turn.note)
    await reply(update, text, markup)
    return turn.question.step
