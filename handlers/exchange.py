"""Topic documents uploaded in the private chat, and the Publish button under the answer."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import filters

from bot.delivery.sender import answer_press, remove_buttons
from bot.exchange.importing import ImportRefused, import_document, publish_imported
from bot.exchange.reading import MAX_DOCUMENT_BYTES, DocumentInvalid
from bot.exchange.upload_answer import imported_text, problems_text
from bot.posting.card_feedback import with_code
from bot.posting.publish import headline_text
from bot.runtime import Context, run_scheduler_tick, runtime_of
from handlers.admin import ONLY_ADMINS, admin_only
from handlers.reader import translation
from handlers.replies import reply

TOPIC_DOCUMENT = filters.ChatType.PRIVATE & (
    filters.Document.FileExtension("json")
    | filters.Document.FileExtension("yaml")
    | filters.Document.FileExtension("yml")
)
PUBLISH_IMPORT_PATTERN = r"^ximp:[0-9]{1,18}$"


async def topic_document(update: Update, context: Context) -> None:
    admin_id = await admin_only(update, context, "import")
    message = update.effective_message
    if admin_id is None or message is None or message.document is None:
        return
    t = await translation(update, context)
    document = message.document
    filename = document.file_name or "document.json"
    if (document.file_size or 0) > MAX_DOCUMENT_BYTES:
        text = t._("That file is too large for a topic document; nothing was stored.")
        await reply(update, t.directed(text))
        return
    content = bytes(await (await document.get_file()).download_as_bytearray())
    try:
        imported = await import_document(
            runtime_of(context).database, filename, content, admin_id=admin_id
        )
    except DocumentInvalid as invalid:
        await reply(update, problems_text(filename, invalid.problems, t))
        return
    except ImportRefused as refused:
        await reply(update, t.directed(with_code(refused.text(t), t)))
        return
    text, buttons = imported_text(imported, t)
    await reply(update, text, buttons)


async def publish_import_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    runtime = runtime_of(context)
    topic_id = int(query.data.split(":", 1)[1])
    t = await translation(update, context)
    if not await runtime.roster.is_admin(query.from_user.id):
        await runtime.roster.refuse(query.from_user.id, "publish-import", f"topic {topic_id}")
        await answer_press(query, t._(ONLY_ADMINS), alert=True)
        return
    try:
        published = await publish_imported(runtime.database, query.from_user.id, topic_id)
    except ImportRefused as refused:
        await answer_press(query, refused.text(t)[:200], alert=True)
        return
    await remove_buttons(context.bot, query.message.chat.id, query.message.message_id)
    if published.post_id is None:
        await answer_press(query, t._("The topic has no round to publish."), alert=True)
        return
    if published.already_published:
        already = t._("Already published as update {post_id}; nothing new.")
        await answer_press(query, already.format(post_id=t.number(published.post_id)), alert=True)
        return
    await answer_press(query)
    if context.job_queue is not None:
        context.job_queue.run_once(run_scheduler_tick, when=0)
    headline = headline_text(published.kind, published.round_number, published.round_title, t)
    text = t._(
        "📣 Published — {headline} (post {post_id}). Subscribers of {slug} are being notified; "
        "/stats shows progress."
    ).format(
        headline=headline,
        post_id=t.number(published.post_id),
        slug=t.isolate(f"<code>{html.escape(published.slug)}</code>"),
    )
    await reply(update, t.directed(text))
