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

from telegram import Bot, BotCommand, BotCommandScope, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

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
    bot: Bot, chat_id: int, parts: list[str], *, paid_broadcast: bool = False
) -> SendOutcome:
    """Sends the parts of an alert in order, stopping at the first that fails. A part Telegram
    cannot parse as HTML goes again as plain text, so a rendering bug never costs a subscriber
    an alert, while the parts around it keep their formatting."""
    accepted: list[int] = []
    plain_text_error: str | None = None
    for part in parts:
        try:
            message_id = await _send_one(bot, chat_id, part, ParseMode.HTML, paid_broadcast)
        except BadRequest as error:
            if "can't parse entities" not in str(error).lower():
                return _outcome_of(error, accepted, plain_text_error)
            plain_text_error = plain_text_error or str(error)
            try:
                plain = html_to_plain_text(part)
                message_id = await _send_one(bot, chat_id, plain, None, paid_broadcast)
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


async def send_notice(bot: Bot, chat_ids: list[int], text: str) -> None:
    """Best effort: a notice to admins must never break what triggered it."""
    for chat_id in chat_ids:
        try:
            await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as error:
            log.warning("notice to %s not delivered: %s", chat_id, error)


async def set_command_menu(
    bot: Bot, commands: list[BotCommand], scope: BotCommandScope | None = None
) -> bool:
    """Telegram refuses a per-chat menu for someone who never opened the bot; that must not
    stop the bot from starting."""
    try:
        return await bot.set_my_commands(commands, scope=scope)
    except TelegramError as error:
        log.warning("command menu for %s not set: %s", scope, error)
        return False


async def _send_one(
    bot: Bot, chat_id: int, text: str, parse_mode: str | None, paid_broadcast: bool
) -> int:
    message = await bot.send_message(
        chat_id,
        text,
        parse_mode=parse_mode,
        link_preview_options=NO_PREVIEW,
        allow_paid_broadcast=paid_broadcast or None,
    )
    return message.message_id


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
