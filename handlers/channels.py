"""Subscribing a channel (or a public group) from a private chat with the bot:
`/subscribe @channel [slug]`, `/unsubscribe @channel slug`, `/subscriptions @channel`, or the
chat picker (`KeyboardButtonRequestChat`) behind the "Subscribe a channel" button. Both the
person and the bot must be administrators there, asked of Telegram on every step."""

from __future__ import annotations

import html

from telegram import (
    ChatAdministratorRights,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    KeyboardButtonRequestChat,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import filters

from bot.delivery.sender import answer_press, remove_buttons
from bot.reading.channels import administered_chat, topics_to_offer
from bot.reading.subscriptions import ChatRef, chat_subscriptions
from bot.runtime import Context, runtime_of
from handlers.reader import subscribe_text, unsubscribe_text
from handlers.replies import BUTTONS_PER_CHOICE, LONGEST_LABEL, reply

# A private message whose first argument names a chat: /subscribe @name …
NAMING_A_CHAT = filters.ChatType.PRIVATE & filters.Regex(r"^/\w+(@\w+)?\s+@\w")
PICKED_A_CHAT = filters.ChatType.PRIVATE & filters.StatusUpdate.CHAT_SHARED
PICK_CHANNEL_PATTERN = r"^pickchat$"
CHANNEL_TOPIC_PATTERN = r"^chsub:-[0-9]{1,16}:[a-z0-9-]{1,32}$"
CHANNEL_PICKER_REQUEST = 1
# What posting alerts takes; the picker lists only channels where both have it.
POSTING_RIGHTS = ChatAdministratorRights(
    is_anonymous=False,
    can_manage_chat=False,
    can_delete_messages=False,
    can_manage_video_chats=False,
    can_restrict_members=False,
    can_promote_members=False,
    can_change_info=False,
    can_invite_users=False,
    can_post_stories=False,
    can_edit_stories=False,
    can_delete_stories=False,
    can_post_messages=True,
)


def channel_picker() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [
            [
                KeyboardButton(
                    "📣 Choose a channel",
                    request_chat=KeyboardButtonRequestChat(
                        request_id=CHANNEL_PICKER_REQUEST,
                        chat_is_channel=True,
                        user_administrator_rights=POSTING_RIGHTS,
                        bot_administrator_rights=POSTING_RIGHTS,
                        bot_is_member=True,
                        request_title=True,
                        request_username=True,
                    ),
                )
            ]
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def offer_channel_picker(update: Update, context: Context) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    if chat is None or chat.type != ChatType.PRIVATE:
        await answer_press(query, "Channels are chosen in a private chat with me.", alert=True)
        return
    await answer_press(query)
    await reply(
        update,
        "Choose a channel where you and I are both administrators (make me one first), with "
        "the button below.",
        channel_picker(),
    )


async def channel_picked(update: Update, context: Context) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.chat_shared is not None and user is not None
    found = await administered_chat(context.bot, message.chat_shared.chat_id, user.id)
    if isinstance(found, str):
        await reply(update, found)
        return
    await ask_channel_topic(update, context, found)


async def ask_channel_topic(update: Update, context: Context, channel: ChatRef) -> None:
    """Every callback_data is under 64 bytes: `chsub:` + a channel id of at most 17 characters
    + `:` + a slug of at most 32."""
    name = html.escape(channel.title or str(channel.telegram_id))
    options = await topics_to_offer(runtime_of(context).database, channel)
    if not options:
        await reply(update, f"<b>{name}</b> already follows every topic there is.")
        return
    buttons = [
        [
            InlineKeyboardButton(
                f"🔔 {title}"[:LONGEST_LABEL], callback_data=f"chsub:{channel.telegram_id}:{slug}"
            )
        ]
        for slug, title in options[:BUTTONS_PER_CHOICE]
    ]
    await reply(update, f"Which topic should <b>{name}</b> follow?", InlineKeyboardMarkup(buttons))


async def channel_topic_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    _, chat_id, slug = query.data.split(":")
    await answer_press(query)
    found = await administered_chat(context.bot, int(chat_id), query.from_user.id)
    if isinstance(found, str):
        await reply(update, found)
        return
    await remove_buttons(context.bot, query.message.chat.id, query.message.message_id)
    answer = await subscribe_text(runtime_of(context).database, found, slug)
    await reply(update, f"{html.escape(found.title or chat_id)}: {answer}")


async def subscribe_channel(update: Update, context: Context) -> None:
    assert context.args and update.effective_user is not None
    found = await administered_chat(context.bot, context.args[0], update.effective_user.id)
    if isinstance(found, str):
        await reply(update, found)
        return
    if len(context.args) < 2:
        await ask_channel_topic(update, context, found)
        return
    answer = await subscribe_text(runtime_of(context).database, found, context.args[1])
    await reply(update, f"{html.escape(context.args[0])}: {answer}")


async def unsubscribe_channel(update: Update, context: Context) -> None:
    if not context.args or len(context.args) < 2:
        await reply(update, "Usage: /unsubscribe @channel <i>slug</i>")
        return
    assert update.effective_user is not None
    found = await administered_chat(context.bot, context.args[0], update.effective_user.id)
    if isinstance(found, str):
        await reply(update, found)
        return
    database = runtime_of(context).database
    answer = await unsubscribe_text(database, found.telegram_id, context.args[1])
    await reply(update, f"{html.escape(context.args[0])}: {answer}")


async def list_channel_subscriptions(update: Update, context: Context) -> None:
    assert context.args and update.effective_user is not None
    found = await administered_chat(context.bot, context.args[0], update.effective_user.id)
    if isinstance(found, str):
        await reply(update, found)
        return
    name = html.escape(context.args[0])
    followed = await chat_subscriptions(runtime_of(context).database, found.telegram_id)
    if not followed:
        await reply(update, f"{name} follows no topics. /subscribe {name} <i>slug</i> adds one.")
        return
    lines = [f"{name} follows:"]
    lines += [f"• {html.escape(title)} — <code>{slug}</code>" for slug, title in followed]
    lines.append(f"/unsubscribe {name} <i>slug</i> stops one.")
    await reply(update, "\n".join(lines))
