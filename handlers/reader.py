"""Commands anyone can use."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.delivery.sender import is_chat_administrator
from bot.reading.help import ADMIN_HELP_TEXT, HELP_TEXT
from bot.reading.subscriptions import (
    ChatRef,
    chat_subscriptions,
    remember_chat,
    stop_chat,
    subscribe_chat,
    unsubscribe_chat,
)
from bot.reading.topics import (
    TopicNotFound,
    choose_topic,
    history_text,
    latest_text,
    parties_text,
    statements_answer,
    topic_card_text,
    topic_listing,
    topic_options,
    topic_title,
)
from bot.runtime import Context, runtime_of
from handlers.replies import button_row, pick_channel_button, reply, topic_button, topic_buttons
from storage.database import Database

TOPIC_VIEWS = {"latest": latest_text, "parties": parties_text, "history": history_text}
STOP_CONFIRM = "stop:confirm"
STOP_KEEP = "stop:keep"


def chat_ref(update: Update) -> ChatRef:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    title = chat.title or chat.full_name or chat.username
    message = update.effective_message
    thread = message.message_thread_id if message and message.is_topic_message else None
    return ChatRef(chat.id, chat.type, title, user.language_code if user else None, thread)


def not_found_text(slug: str) -> str:
    return f"There is no topic <code>{html.escape(slug)}</code>. /topics lists them."


async def start(update: Update, context: Context) -> None:
    runtime = runtime_of(context)
    await remember_chat(runtime.database, chat_ref(update))
    if context.args:
        slug = context.args[0]
        try:
            text = await topic_card_text(runtime.database, slug)
            title = await topic_title(runtime.database, slug)
        except TopicNotFound:
            await reply(update, not_found_text(slug) + "\n\n" + HELP_TEXT)
            return
        followed = await chat_subscriptions(runtime.database, chat_ref(update).telegram_id)
        action = "unsub" if slug.lower() in dict(followed) else "sub"
        await reply(
            update, text, InlineKeyboardMarkup([[topic_button(action, slug.lower(), title)]])
        )
        return
    await reply(update, "👋 Welcome to Roundwatch.\n\n" + HELP_TEXT)


async def show_help(update: Update, context: Context) -> None:
    runtime = runtime_of(context)
    user = update.effective_user
    text = HELP_TEXT
    if await runtime.roster.is_admin(user.id if user else None):
        text += "\n\n" + ADMIN_HELP_TEXT
    await reply(update, text, with_channel_picker(update, []))


def with_channel_picker(
    update: Update, rows: list[list[InlineKeyboardButton]]
) -> InlineKeyboardMarkup | None:
    """In a private chat the buttons end with "Subscribe a channel"; elsewhere there is no
    channel to pick from."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        rows = [*rows, [pick_channel_button()]]
    return InlineKeyboardMarkup(rows) if rows else None


async def list_topics(update: Update, context: Context) -> None:
    """Each topic's button follows it, or unfollows it when this chat already does."""
    database = runtime_of(context).database
    text, options = await topic_listing(database)
    followed = dict(await chat_subscriptions(database, chat_ref(update).telegram_id))
    buttons = [[topic_button("unsub" if s in followed else "sub", s, t)] for s, t in options]
    await reply(update, text, InlineKeyboardMarkup(buttons) if buttons else None)


GROUP_ADMINS_ONLY = "Only this chat's administrators can change its subscriptions."


async def is_subscription_manager(update: Update, context: Context) -> bool:
    """In groups and channels only chat administrators decide what the whole chat receives,
    asked of Telegram every time; a post by the chat itself (a channel post, an anonymous
    group administrator) is an administrator's, but a button press always has a person."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    sender_chat = message.sender_chat if message is not None else None
    if update.callback_query is None and sender_chat is not None and sender_chat.id == chat.id:
        return True
    if user is None:
        return False
    return await is_chat_administrator(context.bot, chat.id, user.id)


async def may_manage_subscriptions(update: Update, context: Context) -> bool:
    if await is_subscription_manager(update, context):
        return True
    await reply(update, GROUP_ADMINS_ONLY)
    return False


async def subscribe(update: Update, context: Context) -> None:
    if not await may_manage_subscriptions(update, context):
        return
    runtime = runtime_of(context)
    chat = chat_ref(update)
    choice = await choose_topic_to_add(update, context)
    if choice is None:
        return
    await reply(update, await subscribe_text(runtime.database, chat, choice))


async def choose_topic_to_add(update: Update, context: Context) -> str | None:
    if context.args:
        return context.args[0]
    runtime = runtime_of(context)
    chat_id = chat_ref(update).telegram_id
    followed = {slug for slug, _ in await chat_subscriptions(runtime.database, chat_id)}
    options = tuple(o for o in await topic_options(runtime.database) if o[0] not in followed)
    if not options:
        await reply(
            update,
            "There is no topic left to follow here. /subscriptions lists yours.",
            with_channel_picker(update, []),
        )
        return None
    if len(options) == 1:
        return options[0][0]
    rows = [list(row) for row in topic_buttons("sub", options).inline_keyboard]
    await reply(update, "Which topic?", with_channel_picker(update, rows))
    return None


async def subscribe_text(database: Database, chat: ChatRef, slug: str) -> str:
    try:
        change = await subscribe_chat(database, chat, slug)
    except TopicNotFound:
        return not_found_text(slug)
    title = html.escape(change.title)
    if not change.changed:
        return f"This chat already follows <b>{title}</b>."
    return (
        f"🔔 Subscribed to <b>{title}</b>. You will get a summary of every new round and "
        f"development. /latest {change.slug} shows where things stand."
    )


async def unsubscribe(update: Update, context: Context) -> None:
    if not await may_manage_subscriptions(update, context):
        return
    runtime = runtime_of(context)
    chat = chat_ref(update)
    if not context.args:
        followed = tuple(await chat_subscriptions(runtime.database, chat.telegram_id))
        if len(followed) == 1:
            await reply(
                update, await unsubscribe_text(runtime.database, chat.telegram_id, followed[0][0])
            )
        elif followed:
            await reply(update, "Stop alerts for which topic?", topic_buttons("unsub", followed))
        else:
            await reply(update, "This chat follows no topics. /topics lists what there is.")
        return
    await reply(update, await unsubscribe_text(runtime.database, chat.telegram_id, context.args[0]))


async def unsubscribe_text(database: Database, chat_id: int, slug: str) -> str:
    try:
        change = await unsubscribe_chat(database, chat_id, slug)
    except TopicNotFound:
        return not_found_text(slug)
    title = html.escape(change.title)
    if not change.changed:
        return f"This chat was not following <b>{title}</b>."
    return f"🔕 Unsubscribed from <b>{title}</b>."


async def list_subscriptions(update: Update, context: Context) -> None:
    chat = chat_ref(update)
    followed = await chat_subscriptions(runtime_of(context).database, chat.telegram_id)
    picker = with_channel_picker(update, [])
    if not followed:
        await reply(update, "This chat follows no topics. /topics lists what there is.", picker)
        return
    lines = [f"<code>{html.escape(slug)}</code> — {html.escape(title)}" for slug, title in followed]
    await reply(update, "🔔 <b>This chat follows</b>\n" + "\n".join(lines), picker)


async def topic_view(update: Update, context: Context) -> None:
    """/latest, /parties and /history share everything but the renderer."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    runtime = runtime_of(context)
    slug = context.args[0] if context.args else None
    choice = await choose_topic(runtime.database, chat_ref(update).telegram_id, slug)
    if choice.slug is None:
        if not choice.options:
            await reply(update, "No topics yet. Check back soon!")
            return
        await reply(update, "Which topic?", topic_buttons(command, choice.options))
        return
    await reply(update, await topic_view_text(runtime.database, command, choice.slug))


async def topic_view_text(database: Database, command: str, slug: str) -> str:
    try:
        return await TOPIC_VIEWS[command](database, slug)
    except TopicNotFound:
        return not_found_text(slug)


async def stop(update: Update, context: Context) -> None:
    """Asks first: forgetting a chat cannot be undone, and one stray tap in the menu does it."""
    chat = chat_ref(update)
    if chat.type != ChatType.PRIVATE and not await may_manage_subscriptions(update, context):
        return
    followed = await chat_subscriptions(runtime_of(context).database, chat.telegram_id)
    topics = ", ".join(f"<b>{html.escape(title)}</b>" for _, title in followed) or "no topics"
    await reply(
        update,
        f"Stop every alert and delete what is stored about this chat? It follows {topics}.",
        button_row(("🗑 Yes, stop and forget this chat", STOP_CONFIRM), ("Keep it", STOP_KEEP)),
    )


async def stop_text(database: Database, chat_telegram_id: int) -> str:
    if await stop_chat(database, chat_telegram_id):
        return (
            "Done: no more alerts, and nothing about this chat is stored any more. "
            "/start brings you back."
        )
    return "Nothing is stored about this chat. /start to begin."


async def statements(update: Update, context: Context) -> None:
    """/statements [slug] <party>: everything a party said in a topic."""
    if not context.args:
        await reply(update, "Usage: /statements <i>slug</i> <i>party</i>, e.g. "
                            "<code>/statements pak-taliban-talks Pakistan</code>")  # fmt: skip
        return
    runtime = runtime_of(context)
    answer = await statements_answer(runtime.database, chat_ref(update).telegram_id, context.args)
    if answer.options:
        await reply(update, "Which topic?", topic_buttons("parties", answer.options))
        return
    await reply(update, answer.text or "")


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    command = message.text.split()[0] if message and message.text else "that"
    await reply(update, f"I don't know {html.escape(command)}. /help lists what I can do.")


async def unexpected_text(update: Update, context: Context) -> None:
    await reply(
        update, "I answer commands. Try /latest, /parties or /topics — /help lists them all."
    )
