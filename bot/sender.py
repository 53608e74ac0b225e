"""The one place that turns Telegram's errors into outcomes the rest of the bot acts on."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
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
    status: SendStatus
    message_id: int | None = None
    error: str | None = None
    retry_after: float | None = None
    new_chat_id: int | None = None
    as_plain_text: bool = False


def html_to_plain_text(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


async def send_parts(
    bot: Bot, chat_id: int, parts: list[str], *, paid_broadcast: bool = False
) -> SendOutcome:
    """Sends an alert (already split to Telegram's length limit). A message Telegram cannot
    parse as HTML goes again as plain text, so a rendering bug never costs a subscriber an alert.
    """
    try:
        first_id = await _send_all(bot, chat_id, parts, ParseMode.HTML, paid_broadcast)
    except BadRequest as error:
        if "can't parse entities" not in str(error).lower():
            return _outcome_of(error)
        plain = [html_to_plain_text(part) for part in parts]
        try:
            first_id = await _send_all(bot, chat_id, plain, None, paid_broadcast)
        except TelegramError as second:
            return _outcome_of(second)
        return SendOutcome(
            SendStatus.SENT, message_id=first_id, error=str(error), as_plain_text=True
        )
    except TelegramError as error:
        return _outcome_of(error)
    return SendOutcome(SendStatus.SENT, message_id=first_id)


async def send_notice(bot: Bot, chat_ids: list[int], text: str) -> None:
    """Best effort: a notice to admins must never break what triggered it."""
    for chat_id in chat_ids:
        try:
            await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as error:
            log.warning("notice to %s not delivered: %s", chat_id, error)


async def _send_all(
    bot: Bot, chat_id: int, parts: list[str], parse_mode: str | None, paid_broadcast: bool
) -> int | None:
    first_id: int | None = None
    for part in parts:
        message = await bot.send_message(
            chat_id,
            part,
            parse_mode=parse_mode,
            link_preview_options=NO_PREVIEW,
            allow_paid_broadcast=paid_broadcast or None,
        )
        first_id = first_id or message.message_id
    return first_id


def _outcome_of(error: TelegramError) -> SendOutcome:
    text = str(error)
    if isinstance(error, RetryAfter):
        return SendOutcome(
            SendStatus.THROTTLED, error=text, retry_after=error.retry_after.total_seconds()
        )
    if isinstance(error, ChatMigrated):
        return SendOutcome(SendStatus.MIGRATED, error=text, new_chat_id=int(error.new_chat_id))
    if isinstance(error, Forbidden):
        return SendOutcome(SendStatus.GONE, error=text)
    if isinstance(error, BadRequest):
        lowered = text.lower()
        if "chat not found" in lowered or "user not found" in lowered:
            return SendOutcome(SendStatus.GONE, error=text)
        return SendOutcome(SendStatus.FAILED, error=text)
    if isinstance(error, TimedOut | NetworkError):
        return SendOutcome(SendStatus.RETRY, error=text)
    return SendOutcome(SendStatus.FAILED, error=text)
