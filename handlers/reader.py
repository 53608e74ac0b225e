"""Commands anyone can use."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType

from bot.delivery.sender import is_chat_administrator
from bot.reading.help import ADMIN_HELP_TEXT, HELP_TEXT
from bot.reading.language import N_, Translator, language_of_code, translator_for
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
    language = language_of_code(user.language_code) if user and user.language_code else None
    return ChatRef(chat.id, chat.type, title, language, thread)


async def translation(update: Update, context: Context) -> Translator:
    """The language this update is answered in."""
    return await translator_for(runtime_of(context).database, chat_ref(update))


def not_found_text(slug: str, t: Translator) -> str:
    code = t.isolate(f"<code>{html.escape(slug)}</code>")
    return t.directed(t._("There is no topic {slug}. /topics lists them.").format(slug=code))


def help_text(t: Translator) -> str:
    return t.directed(t._(HELP_TEXT))


async def start(update: Update, context: Context) -> None:
    runtime = runtime_of(context)
    await remember_chat(runtime.database, chat_ref(update))
    t = await translation(update, context)
    if context.args:
        slug = context.args[0]
        try:
            text = await topic_card_text(runtime.database, slug, t)
            title = await topic_title(runtime.database, slug)
        except TopicNotFound:
            await reply(update, not_found_text(slug, t) + "\n\n" + help_text(t))
            return
        followed = await chat_subscriptions(runtime.database, chat_ref(update).telegram_id)
        action = "unsub" if slug.lower() in dict(followed) else "sub"
        await reply(
            update, text, InlineKeyboardMarkup([[topic_button(action, slug.lower(), title, t)]])
        )
        return
    await reply(update, t.directed(t._("👋 Welcome to Roundwatch.")) + "\n\n" + help_text(t))


async def show_help(update: Update, context: Context) -> None:
    runtime = runtime_of(context)
    user = update.effective_user
    t = await translation(update, context)
    text = help_text(t)
    if await runtime.roster.is_admin(user.id if user else None):
        text += "\n\n" + ADMIN_HELP_TEXT
    await reply(update, text, with_channel_picker(update, [], t))


def with_channel_picker(
    update: Update, rows: list[list[InlineKeyboardButton]], t: Translator
) -> InlineKeyboardMarkup | None:
    """In a private chat the buttons end with "Subscribe a channel"; elsewhere there is no
    channel to pick from."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        rows = [*rows, [pick_channel_button(t)]]
    return InlineKeyboardMarkup(rows) if rows else None


async def list_topics(update: Update, context: Context) -> None:
    """Each topic's button follows it, or unfollows it when this chat already does."""
    database = runtime_of(context).database
    t = await translation(update, context)
    text, options = await topic_listing(database, t)
    followed = dict(await chat_subscriptions(database, chat_ref(update).telegram_id))
    buttons = [
        [topic_button("unsub" if slug in followed else "sub", slug, title, t)]
        for slug, title in options
    ]
    await reply(update, text, InlineKeyboardMarkup(buttons) if buttons else None)


GROUP_ADMINS_ONLY = N_("Only this chat's administrators can change its subscriptions.")


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
    t = await translation(update, context)
    await reply(update, t.directed(t._(GROUP_ADMINS_ONLY)))
    return False


async def subscribe(update: Update, context: Context) -> None:
    if not await may_manage_subscriptions(update, context):
        return
    runtime = runtime_of(context)
    chat = chat_ref(update)
    t = await translation(update, context)
    choice = await choose_topic_to_add(update, context, t)
    if choice is None:
        return
    await reply(update, await subscribe_text(runtime.database, chat, choice, t))


async def choose_topic_to_add(update: Update, context: Context, t: Translator) -> str | None:
    if context.args:
        return context.args[0]
    runtime = runtime_of(context)
    chat_id = chat_ref(update).telegram_id
    followed = {slug for slug, _ in await chat_subscriptions(runtime.database, chat_id)}
    options = tuple(o for o in await topic_options(runtime.database) if o[0] not in followed)
    if not options:
        text = t._("There is no topic left to follow here. /subscriptions lists yours.")
        await reply(update, t.directed(text), with_channel_picker(update, [], t))
        return None
    if len(options) == 1:
        return options[0][0]
    rows = [list(row) for row in topic_buttons("sub", options, t).inline_keyboard]
    await reply(update, t.directed(t._("Which topic?")), with_channel_picker(update, rows, t))
    return None


async def subscribe_text(database: Database, chat: ChatRef, slug: str, t: Translator) -> str:
    try:
        change = await subscribe_chat(database, chat, slug)
    except TopicNotFound:
        return not_found_text(slug, t)
    title = t.isolate(html.escape(change.title))
    if not change.changed:
        return t.directed(t._("This chat already follows <b>{title}</b>.").format(title=title))
    return t.directed(
        t._(
            "🔔 Subscribed to <b>{title}</b>. You will get a summary of every new round and "
            "development. /latest {slug} shows where things stand."
        ).format(title=title, slug=t.isolate(change.slug))
    )


async def unsubscribe(update: Update, context: Context) -> None:
    if not await may_manage_subscriptions(update, context):
        return
    runtime = runtime_of(context)
    chat = chat_ref(update)
    t = await translation(update, context)
    if not context.args:
        followed = tuple(await chat_subscriptions(runtime.database, chat.telegram_id))
        if len(followed) == 1:
            await reply(
                update,
                await unsubscribe_text(runtime.database, chat.telegram_id, followed[0][0], t),
            )
        elif followed:
            await reply(
                update,
                t.directed(t._("Stop alerts for which topic?")),
                topic_buttons("unsub", followed, t),
            )
        else:
            await reply(update, t.directed(t._(FOLLOWS_NOTHING)))
        return
    await reply(
        update, await unsubscribe_text(runtime.database, chat.telegram_id, context.args[0], t)
    )


FOLLOWS_NOTHING = N_("This chat follows no topics. /topics lists what there is.")


async def unsubscribe_text(database: Database, chat_id: int, slug: str, t: Translator) -> str:
    try:
        change = await unsubscribe_chat(database, chat_id, slug)
    except TopicNotFound:
        return not_found_text(slug, t)
    title = t.isolate(html.escape(change.title))
    if not change.changed:
        return t.directed(t._("This chat was not following <b>{title}</b>.").format(title=title))
    return t.directed(t._("🔕 Unsubscribed from <b>{title}</b>.").format(title=title))


async def list_subscriptions(update: Update, context: Context) -> None:
    chat = chat_ref(update)
    t = await translation(update, context)
    followed = await chat_subscriptions(runtime_of(context).database, chat.telegram_id)
    picker = with_channel_picker(update, [], t)
    if not followed:
        await reply(update, t.directed(t._(FOLLOWS_NOTHING)), picker)
        return
    lines = [
        f"{t.isolate(f'<code>{html.escape(slug)}</code>')} — {t.isolate(html.escape(title))}"
        for slug, title in followed
    ]
    text = t.directed(t._("🔔 <b>This chat follows</b>") + "\n" + "\n".join(lines))
    await reply(update, text, picker)


async def topic_view(update: Update, context: Context) -> None:
    """/latest, /parties and /history share everything but the renderer."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    runtime = runtime_of(context)
    t = await translation(update, context)
    slug = context.args[0] if context.args else None
    choice = await choose_topic(runtime.database, chat_ref(update).telegram_id, slug)
    if choice.slug is None:
        if not choice.options:
            await reply(update, t._("No topics yet. Check back soon!"))
            return
        await reply(
            update, t.directed(t._("Which topic?")), topic_buttons(command, choice.options, t)
        )
        return
    await reply(update, await topic_view_text(runtime.database, command, choice.slug, t))


async def topic_view_text(database: Database, command: str, slug: str, t: Translator) -> str:
    try:
        return await TOPIC_VIEWS[command](database, slug, t)
    except TopicNotFound:
        return not_found_text(slug, t)


async def stop(update: Update, context: Context) -> None:
    """Asks first: forgetting a chat cannot be undone, and one stray tap in the menu does it."""
    chat = chat_ref(update)
    if chat.type != ChatType.PRIVATE and not await may_manage_subscriptions(update, context):
        return
    t = await translation(update, context)
    followed = await chat_subscriptions(runtime_of(context).database, chat.telegram_id)
    named = (f"<b>{t.isolate(html.escape(title))}</b>" for _, title in followed)
    topics = t._(", ").join(named) or t._("no topics")
    question = t._(
        "Stop every alert and delete what is stored about this chat? It follows {topics}."
    )
    await reply(
        update,
        t.directed(question.format(topics=topics)),
        button_row(
            (t._("🗑 Yes, stop and forget this chat"), STOP_CONFIRM), (t._("Keep it"), STOP_KEEP)
        ),
    )


async def stop_text(database: Database, chat_telegram_id: int, t: Translator) -> str:
    if await stop_chat(database, chat_telegram_id):
        return t.directed(
            t._(
                "Done: no more alerts, and nothing about this chat is stored any more. "
                "/start brings you back."
            )
        )
    return t.directed(t._("Nothing is stored about this chat. /start to begin."))


async def statements(update: Update, context: Context) -> None:
    """/statements [slug] <party>: everything a party said in a topic."""
    t = await translation(update, context)
    if not context.args:
        usage = t._(
            "Usage: /statements <i>slug</i> <i>party</i>, e.g. "
            "<code>/statements pak-taliban-talks Pakistan</code>"
        )
        await reply(update, t.directed(usage))
        return
    runtime = runtime_of(context)
    answer = await statements_answer(
        runtime.database, chat_ref(update).telegram_id, context.args, t
    )
    if answer.options:
        await reply(
            update, t.directed(t._("Which topic?")), topic_buttons("parties", answer.options, t)
        )
        return
    await reply(update, answer.text or "")


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    t = await translation(update, context)
    command = message.text.split()[0] if message and message.text else t._("that")
    text = t._("I don't know {command}. /help lists what I can do.")
    await reply(update, t.directed(text.format(command=t.isolate(html.escape(command)))))


async def unexpected_text(update: Update, context: Context) -> None:
    t = await translation(update, context)
    text = t._("I answer commands. Try /latest, /parties or /topics — /help lists them all.")
    await reply(update, t.directed(text))
