"""Articles admins paste, forward or upload in the private chat, and the draft's buttons."""

from __future__ import annotations

import html
from datetime import date

from telegram import (
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    Update,
)

from bot.intake.documents import (
    MAX_DOCUMENT_BYTES,
    DocumentProblem,
    article_text,
    is_article_file,
)
from bot.intake.draft_message import proposal_message
from bot.intake.drafting import (
    DraftProposal,
    choose_topic,
    discard_article_draft,
    draft_card_text,
    draft_from_article,
    looks_like_article,
    preview_article_draft,
)
from bot.posting.card_feedback import card_problems_text, with_code
from bot.posting.publish import PostError
from bot.reading.language import N_, Translator
from bot.runtime import Context, runtime_of
from handlers.admin import ONLY_ADMINS, admin_only, preview_heading, send_preview
from handlers.reader import translation, unexpected_text
from handlers.replies import reply
from storage.card import CardError

DRAFT_BUTTON_PATTERN = r"^(?:draft:(?:pub|edit|drop):\d{1,18}|dtopic:\d{1,18}:[a-z0-9-]{1,32})$"
EDIT_HELP = N_(
    "✏️ Copy the card (tap it), fix what is wrong, and send it back as one message starting "
    "with <code>/post slug</code>. Nothing is published until you press Publish under its preview."
)


async def article_text_message(update: Update, context: Context) -> None:
    """Plain text in the private chat: an admin's article becomes a draft; anything else, and
    anything from a reader, gets the usual short answer."""
    message = update.effective_message
    user = update.effective_user
    roster = runtime_of(context).roster
    text = message.text if message and message.text else ""
    if user is None or not looks_like_article(text) or not await roster.is_admin(user.id):
        await unexpected_text(update, context)
        return
    await _draft_and_reply(update, context, user.id, text)


async def draft_command(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "draft")
    if admin_id is None:
        return
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1) if message else []
    text = parts[1].strip() if len(parts) == 2 else ""
    if not text:
        t = await translation(update, context)
        usage = t._("Usage: /draft followed by the article's text, or just paste it here.")
        await reply(update, t.directed(usage))
        return
    await _draft_and_reply(update, context, admin_id, text)


async def article_document(update: Update, context: Context) -> None:
    message = update.effective_message
    user = update.effective_user
    document = message.document if message else None
    if user is None or document is None or not await runtime_of(context).roster.is_admin(user.id):
        await unexpected_text(update, context)
        return
    t = await translation(update, context)
    if not is_article_file(document.file_name):
        text = t._("Send the article as a .txt or .html file, or paste its text.")
        await reply(update, t.directed(text))
        return
    if (document.file_size or 0) > MAX_DOCUMENT_BYTES:
        await reply(update, t.directed(t._("That file is too large; send the article itself.")))
        return
    content = bytes(await (await document.get_file()).download_as_bytearray())
    try:
        text = article_text(document.file_name or "", content)
    except DocumentProblem as problem:
        await reply(update, t.directed(with_code(problem.text(t), t)))
        return
    await _draft_and_reply(update, context, user.id, text)


async def draft_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    runtime = runtime_of(context)
    t = await translation(update, context)
    if not await runtime.roster.is_admin(query.from_user.id):
        await runtime.roster.refuse(query.from_user.id, "draft-button", query.data)
        await query.answer(t._(ONLY_ADMINS), show_alert=True)
        return
    await query.answer()
    kind, first, second = query.data.split(":", 2)
    edit_help = t.directed(t._(EDIT_HELP))
    try:
        if kind == "dtopic":
            proposal = await choose_topic(runtime.database, query.from_user.id, int(first), second)
            await query.edit_message_reply_markup(reply_markup=None)
            await _send_proposal(update, proposal, t)
        elif first == "edit":
            card = await draft_card_text(runtime.database, int(second))
            await reply(update, "\n".join((edit_help, f"<pre>{html.escape(card)}</pre>")))
        elif first == "drop":
            await discard_article_draft(runtime.database, query.from_user.id, int(second))
            await query.edit_message_reply_markup(reply_markup=None)
            await reply(update, t.directed(t._("🗑 Discarded; nothing was published.")))
        else:
            preview = await preview_article_draft(runtime.database, query.from_user.id, int(second))
            await query.edit_message_reply_markup(reply_markup=None)
            await send_preview(update, context, preview, preview_heading(preview, t), t)
    except CardError as error:
        await reply(update, card_problems_text(error.problems, t) + "\n\n" + edit_help)
    except PostError as error:
        await reply(update, t.directed(with_code(error.text(t), t)))


async def _draft_and_reply(update: Update, context: Context, admin_id: int, text: str) -> None:
    message = update.effective_message
    assert message is not None
    written_on, publisher = article_origin(message)
    proposal = await draft_from_article(
        runtime_of(context).database, admin_id, text, written_on, publisher
    )
    await _send_proposal(update, proposal, await translation(update, context))


def article_origin(message: Message) -> tuple[date, str | None]:
    """A forwarded post was written when and where it first appeared."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        return origin.date.date(), origin.chat.title
    if isinstance(origin, MessageOriginChat):
        return origin.date.date(), origin.sender_chat.title
    if origin is not None:
        return origin.date.date(), None
    return message.date.date(), None


async def _send_proposal(update: Update, proposal: DraftProposal, t: Translator) -> None:
    text, buttons = proposal_message(proposal, t)
    await reply(update, text, buttons)
