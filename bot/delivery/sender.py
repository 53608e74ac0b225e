"""Everything between the bot and Telegram's sending endpoints: the pace Telegram allows, and
the one place that turns Telegram's errors into outcomes the rest of the bot acts on.

The rate limiter is plugged into PTB, so alerts and command replies share one budget: a global
pace (30/s, or the paid-broadcast rate), one message a second per private chat, twenty a minute
per group or channel, and a pause for everyone when Telegram answers 429.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from telegram import Bot, BotCommand, BotCommandScope, CallbackQuery, LinkPreviewOptions
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_TAG = re.compile(r"<[^>]+>")

SENDING_METHODS = frozenset(
    {
        "sendMessage", "editMessageText", "copyMessage", "forwardMessage", "sendDocument",
        "sendPhoto", "sendMediaGroup", "editMessageReplyMarkup",
    }
)  # fmt: skip
PAUSE_MARGIN = 0.1
STALE_CHATS_LIMIT = 10_000


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
        return SendOutcome(SendStatus.THROTTLED, error=text, retry_after=retry_after_seconds(error))
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


def retry_after_seconds(error: RetryAfter) -> float:
    value: timedelta | float = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Paces requests at evenly spaced times rather than in bursts, so a broadcast runs at the
    full rate without ever being answered 429. PTB's AIORateLimiter lets a burst of a whole
    second's budget through at once and has no per-private-chat limit, hence this one."""

    def __init__(
        self,
        *,
        messages_per_second: float = 30.0,
        private_chat_per_second: float = 1.0,
        group_per_minute: float = 20.0,
        max_retries: int = 2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._global_interval = 1.0 / messages_per_second
        self._private_interval = 1.0 / private_chat_per_second
        self._group_interval = 60.0 / group_per_minute
        self._max_retries = max_retries
        self._clock = clock
        self._global_next = 0.0
        self._chat_next: dict[int | str, float] = {}
        self._paused_until = 0.0
        self.pauses = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def paused_for(self) -> float:
        return max(0.0, self._paused_until - self._clock())

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds + PAUSE_MARGIN)
        self.pauses += 1

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint not in SENDING_METHODS:
            return await callback(*args, **kwargs)
        chat_id = data.get("chat_id")
        max_retries = self._max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            await self._wait_turn(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self.pause(retry_after_seconds(error))
                if attempt >= max_retries:
                    raise
                attempt += 1

    async def _wait_turn(self, chat_id: int | str | None) -> None:
        while True:
            await self._sleep_until(self._paused_until)
            if chat_id is not None:
                await self._sleep_until(self._reserve_chat(chat_id))
            start = max(self._clock(), self._global_next)
            self._global_next = start + self._global_interval
            await self._sleep_until(start)
            if self._clock() >= self._paused_until:
                if chat_id is not None:
                    self._chat_next[chat_id] = max(
                        self._chat_next.get(chat_id, 0.0), start + self._chat_interval(chat_id)
                    )
                return

    def _reserve_chat(self, chat_id: int | str) -> float:
        now = self._clock()
        if len(self._chat_next) > STALE_CHATS_LIMIT:
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
        start = max(now, self._chat_next.get(chat_id, 0.0))
        self._chat_next[chat_id] = start + self._chat_interval(chat_id)
        return start

    def _chat_interval(self, chat_id: int | str) -> float:
        is_group = isinstance(chat_id, str) or int(chat_id) < 0
        return self._group_interval if is_group else self._private_interval

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)


async def remove_buttons(bot: Bot, chat_id: int, message_id: int) -> None:
    """Buttons that can do nothing any more go; when they are already gone (a second tap),
    Telegram's "message is not modified" is the expected answer."""
    try:
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            log.warning("buttons of message %s in %s not removed: %s", message_id, chat_id, error)


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
