"""The one place that turns Telegram's errors into outcomes the rest of the bot acts on.

Only what Telegram documents as final is final: a chat that blocked the bot or is gone, and a
request Telegram refuses as bad. Everything else (timeouts, dropped connections, 5xx, an answer
that is not Bot API JSON) may work on a later attempt, so it is retried.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_TAG = re.compile(r"<[^>]+>")


class SendStatus(StrEnum):
    SENT = "sent"
    THROTTLED = "throttled"  # Telegram asked for a pause
    RETRY = "retry"  # may work later
    GONE = "gone"  # blocked, kicked, deactivated, chat not found
    MIGRATED = "migrated"
    FAILED = "failed"  # will not work as it is


@dataclass(frozen=True)
class SendOutcome:
    """`message_ids` are the parts Telegram accepted in this call, in order, also when a later
    part failed; `plain_text_error` is Telegram's reason when a part went out as plain text."""

    status: SendStatus
    message_ids: tuple[int, ...] = ()
    error: str | None = None
    retry_after: float | None = None
    new_chat_id: int | None = None
    plain_text_error: str | None = None


def html_to_plain_text(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


async def send_parts(
    bot: Bot,
    chat_id: int,
    parts: list[str],
    *,
    paid_broadcast: bool = False,
    reply_to: int | None = None,
    silent: bool = False,
    thread_id: int | None = None,
    read_timeout: float,
) -> SendOutcome:
    """Sends the parts of an alert in order, stopping at the first that fails. A part Telegram
    cannot parse as HTML goes again as plain text, so a rendering bug never costs a subscriber
    an alert, while the parts around it keep their formatting. The first part replies to
    `reply_to` when given, and goes out anyway if that message was deleted. `read_timeout`
    replaces the request's own for these sends only."""
    accepted: list[int] = []
    plain_text_error: str | None = None
    for part in parts:
        replying = None if accepted else _replying_to(reply_to)
        try:
            message_id = await _send_one(
                bot,
                chat_id,
                part,
                ParseMode.HTML,
                paid_broadcast,
                replying,
                silent,
                thread_id,
                read_timeout,
            )
        except BadRequest as error:
            if "can't parse entities" not in str(error).lower():
                return _outcome_of(error, accepted, plain_text_error)
            plain_text_error = plain_text_error or str(error)
            try:
                plain = html_to_plain_text(part)
                message_id = await _send_one(
                    bot,
                    chat_id,
                    plain,
                    None,
                    paid_broadcast,
                    replying,
                    silent,
                    thread_id,
                    read_timeout,
                )
            except TelegramError as second:
                return _outcome_of(second, accepted, plain_text_error)
        except TelegramError as error:
            return _outcome_of(error, accepted, plain_text_error)
        accepted.append(message_id)
    return SendOutcome(
        SendStatus.SENT, message_ids=tuple(accepted), plain_text_error=plain_text_error
    )


def telegram_pause_of(error: BaseException) -> float | None:
    """The seconds Telegram asked to wait if `error` is its 429 answer, else None."""
    return retry_after_seconds(error) if isinstance(error, RetryAfter) else None


async def send_notice(
    bot: Bot, chat_ids: list[int], text: str, buttons: InlineKeyboardMarkup | None = None
) -> None:
    """Best effort: a notice to admins must never break what triggered it."""
    for chat_id in chat_ids:
        try:
            await bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=buttons,
                link_preview_options=NO_PREVIEW,
            )
        except TelegramError as error:
            log.warning("notice to %s not delivered: %s", chat_id, error)


async def set_command_menu(
    bot: Bot,
    commands: list[BotCommand],
    scope: BotCommandScope | None = None,
    language_code: str | None = None,
) -> bool:
    """Telegram refuses a per-chat menu for someone who never opened the bot; that must not
    stop the bot from starting."""
    try:
        return await bot.set_my_commands(commands, scope=scope, language_code=language_code)
    except TelegramError as error:
        log.warning("command menu for %s not set: %s", scope, error)
        return False


def _replying_to(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)


async def _send_one(
    bot: Bot,
    chat_id: int,
    text: str,
    parse_mode: str | None,
    paid_broadcast: bool,
    replying: ReplyParameters | None,
    silent: bool,
    thread_id: int | None,
    read_timeout: float,
) -> int:
    """The alert path needs only the id of the message Telegram made, so it asks PTB's
    lower-level call for Telegram's answer as JSON instead of building a whole `Message`
    (about a tenth of the bot's CPU in a broadcast went to objects nobody read)."""
    data: dict[str, object] = {
        "chat_id": chat_id,
        "text": text,
        "parse_mode": parse_mode,
        "link_preview_options": NO_PREVIEW,
        "allow_paid_broadcast": paid_broadcast or None,
        "reply_parameters": replying,
        "disable_notification": silent or None,
        "message_thread_id": thread_id,
    }
    answer = await bot._post("sendMessage", data, read_timeout=read_timeout)
    return int(answer["message_id"])


def _outcome_of(
    error: TelegramError, accepted: list[int], plain_text_error: str | None
) -> SendOutcome:
    text = str(error)
    sent = tuple(accepted)
    if isinstance(error, RetryAfter):
        status, retry_after = SendStatus.THROTTLED, retry_after_seconds(error)
        return SendOutcome(status, sent, text, retry_after, plain_text_error=plain_text_error)
    if isinstance(error, ChatMigrated):
        new_chat_id = int(error.new_chat_id)
        return SendOutcome(SendStatus.MIGRATED, sent, text, new_chat_id=new_chat_id)
    if isinstance(error, Forbidden):
        return SendOutcome(SendStatus.GONE, sent, text)
    if isinstance(error, BadRequest):
        lowered = text.lower()
        if "chat not found" in lowered or "user not found" in lowered:
            return SendOutcome(SendStatus.GONE, sent, text)
        return SendOutcome(SendStatus.FAILED, sent, text, plain_text_error=plain_text_error)
    return SendOutcome(SendStatus.RETRY, sent, text, plain_text_error=plain_text_error)


def retry_after_seconds(error: RetryAfter) -> float:
    value: timedelta | float = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def remove_buttons(bot: Bot, chat_id: int, message_id: int) -> None:
    """Buttons that can do nothing any more go; when they are already gone (a second tap),
    Telegram's "message is not modified" is the expected answer."""
    try:
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            log.warning("buttons of message %s in %s not removed: %s", message_id, chat_id, error)


async def set_buttons(
    bot: Bot, chat_id: int, message_id: int, markup: InlineKeyboardMarkup
) -> bool:
    """Other buttons under a message (a preview's choices); False when Telegram will not."""
    try:
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return True
        log.info("buttons of message %s in %s not changed: %s", message_id, chat_id, error)
        return False
    return True


async def is_chat_administrator(bot: Bot, chat_id: int, user_id: int) -> bool:
    """Asked of Telegram on every change, never cached, so a demoted administrator loses the
    power at once; when Telegram cannot say, the answer is no."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError as error:
        log.warning("membership of %s in %s unknown: %s", user_id, chat_id, error)
        return False
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def send_privately(bot: Bot, user_id: int, parts: list[str]) -> bool:
    """False when Telegram will not let the bot write first to someone who never started it."""
    try:
        for part in parts:
            await bot.send_message(
                user_id, part, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            )
    except (Forbidden, BadRequest) as error:
        log.info("private answer to %s not delivered: %s", user_id, error)
        return False
    return True


async def bot_api_problem(bot: Bot, base_url: str) -> str | None:
    """Why the bot cannot start talking to Telegram, as one sentence for the operator, or None.
    PTB's own messages for these carry the token, so none of them is passed on."""
    try:
        await bot.initialize()
    except InvalidToken:
        return (
            "Telegram rejected TELEGRAM_BOT_TOKEN: copy the token again from @BotFather "
            "(and if TELEGRAM_API_BASE_URL is set, check that it points at a Bot API server)."
        )
    except NetworkError as error:
        return (
            f"Cannot reach the Bot API at {base_url} ({type(error).__name__}: "
            f"{str(error).splitlines()[0].rstrip('.')}): check the network connection and "
            "TELEGRAM_API_BASE_URL."
        )
    except TelegramError as error:
        return (
            f"The Bot API at {base_url} answered getMe with an error ({error}): "
            "check TELEGRAM_API_BASE_URL."
        )
    finally:
        await bot.shutdown()
    return None


async def answer_press(
    query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> None:
    """Telegram refuses an answer that comes late (after a slow commit) as too old; what it
    answers has already happened, so that must not become an error shown to the presser."""
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        log.info("press %s not answered: %s", query.id, error)


async def replace_message(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Shows `text` in place of an earlier message of the bot; False when Telegram will not
    edit it (too old, deleted), so the caller can send it anew. Unchanged text is no failure."""
    try:
        await bot.edit_message_text(
            text,
            chat_id,
            message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return True
        log.info("message %s in %s not edited: %s", message_id, chat_id, error)
        return False
    return True


@dataclass(frozen=True)
class FoundChat:
    id: int
    type: str
    title: str | None


async def find_chat(bot: Bot, reference: str) -> FoundChat | None:
    """A chat by `@username` or id, or None when Telegram does not know it or will not say."""
    try:
        chat = await bot.get_chat(reference)
    except TelegramError as error:
        log.info("chat %s not found: %s", reference, error)
        return None
    return FoundChat(chat.id, chat.type, chat.title or chat.username)


async def refresh_message(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """`replace_message` for a message edited again later (progress): no failure of Telegram's
    may stop the others, so every one is only logged."""
    try:
        return await replace_message(bot, chat_id, message_id, text, markup)
    except TelegramError as error:
        log.info("message %s in %s not refreshed: %s", message_id, chat_id, error)
        return False


async def send_to_admin(
    bot: Bot,
    chat_id: int,
    parts: list[str],
    markup: InlineKeyboardMarkup | ForceReply | None = None,
) -> list[int]:
    """The parts in order, `markup` under the last; the ids of those Telegram accepted, since
    what the bot says on its own (a scheduled post going out) is best effort."""
    sent: list[int] = []
    for index, part in enumerate(parts):
        try:
            message = await bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=markup if index == len(parts) - 1 else None,
            )
        except TelegramError as error:
            log.warning("message to admin %s not delivered: %s", chat_id, error)
            return sent
        sent.append(message.message_id)
    return sent


async def send_photo(
    bot: Bot, chat_id: int, picture: bytes, caption: str, *, thread_id: int | None = None
) -> bool:
    """A picture as an answer, best effort: False when Telegram refused it or could not be
    reached, so the caller can answer in words instead."""
    try:
        await bot.send_photo(
            chat_id,
            InputFile(picture, filename="timeline.png"),
            caption=caption,
            parse_mode=ParseMode.HTML,
            message_thread_id=thread_id,
        )
    except TelegramError as error:
        log.warning("picture to %s not delivered: %s", chat_id, error)
        return False
    return True
