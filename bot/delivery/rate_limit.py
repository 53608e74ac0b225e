"""The pace Telegram allows, for every request the bot makes.

Plugged into PTB, so alerts and command replies share one budget: a global pace (30/s, or the
paid-broadcast rate), one message a second per private chat, twenty a minute per group or
channel, and a pause for everyone when Telegram answers 429. The limiter only learns of a 429
through the sender, the one module that reads Telegram's errors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.constants import FloodLimit
from telegram.ext import BaseRateLimiter

from bot.delivery.sender import telegram_pause_of
from bot.delivery.shared_pace import SharedPace

SENDING_METHODS = frozenset(
    {
        "sendMessage", "editMessageText", "copyMessage", "forwardMessage", "sendDocument",
        "sendPhoto", "sendMediaGroup", "editMessageReplyMarkup",
    }
)  # fmt: skip
PAUSE_MARGIN = 0.1
LATE_SLOT = 0.02
STALE_CHATS_LIMIT = 10_000


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Paces requests at evenly spaced times rather than in bursts, so a broadcast runs at the
    full rate without ever being answered 429. PTB's AIORateLimiter lets a burst of a whole
    second's budget through at once and has no per-private-chat limit, hence this one."""

    def __init__(
        self,
        *,
        messages_per_second: float = FloodLimit.MESSAGES_PER_SECOND,
        private_chat_per_second: float = FloodLimit.MESSAGES_PER_SECOND_PER_CHAT,
        group_per_minute: float = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        max_retries: int = 2,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SharedPace | None = None,
    ) -> None:
        """With `shared` (PostgreSQL), the overall pace and 429 pauses are those of all
        processes together; the per-chat pace stays this process's own."""
        self._global_interval = 1.0 / messages_per_second
        # Telegram (and the double) take a burst of about three sends at once, so at the paid
        # rate a slot two intervals late already risks a 429; at the free rate one interval.
        self._late_after = max(self._global_interval, min(LATE_SLOT, 2 * self._global_interval))
        self._private_interval = 1.0 / private_chat_per_second
        self._group_interval = 60.0 / group_per_minute
        self._max_retries = max_retries
        self._clock = clock
        self._sleep = sleep
        self._global_next = 0.0
        self._chat_next: dict[int | str, float] = {}
        self._paused_until = 0.0
        self._shared = shared
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
            except Exception as error:
                seconds = telegram_pause_of(error)
                if seconds is None:
                    raise
                self.pause(seconds)
                if self._shared is not None:
                    await self._shared.pause(seconds + PAUSE_MARGIN)
                if attempt >= max_retries:
                    raise
                attempt += 1

    async def _wait_turn(self, chat_id: int | str | None) -> None:
        """A slot woken late (the event loop stalled) is given up once for a fresh one, or every
        late sender would go at once and burst past Telegram's pace."""
        overslept = False
        while True:
            await self._sleep_until(self._paused_until)
            if chat_id is not None and not overslept:
                await self._sleep_until(self._reserve_chat(chat_id))
            start = await self._global_slot()
            await self._sleep_until(start)
            if self._shared is not None:
                self._paused_until = max(self._paused_until, await self._shared.latest_pause())
            if self._clock() - start > self._late_after and not overslept:
                overslept = True
                continue
            if self._clock() >= self._paused_until:
                if chat_id is not None:
                    self._chat_next[chat_id] = max(
                        self._chat_next.get(chat_id, 0.0), start + self._chat_interval(chat_id)
                    )
                return

    async def _global_slot(self) -> float:
        if self._shared is not None:
            start = await self._shared.next_slot()
            self._paused_until = max(self._paused_until, self._shared.paused_until)
            return start
        start = max(self._clock(), self._global_next)
        self._global_next = start + self._global_interval
        return start

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
            await self._sleep(delay)
