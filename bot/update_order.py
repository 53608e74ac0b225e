"""The order updates are handled in: concurrently across chats, one after another within a
chat, so that a chat waiting on a slow write keeps nobody else waiting, and a reader's
"/subscribe" is always handled before the "/subscriptions" typed after it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.logs import bind_log_context

MAX_CONCURRENT_UPDATES = 64


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """PTB starts one task per update in arrival order and each takes a slot of the shared
    semaphore before reaching here, so each update queues behind the one before it from the
    same chat. An update that waits holds its slot; the limit is generous for that reason."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._last_of_chat: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = _chat_id(update)
        update_id = update.update_id if isinstance(update, Update) else None
        bind_log_context(chat_id=chat_id, update_id=update_id)
        if chat_id is None:
            await coroutine
            return
        previous = self._last_of_chat.get(chat_id)
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._last_of_chat[chat_id] = finished
        try:
            if previous is not None:
                await previous
            await coroutine
        finally:
            finished.set_result(None)
            if self._last_of_chat.get(chat_id) is finished:
                del self._last_of_chat[chat_id]

    async def initialize(self) -> None:
        """Nothing to set up: the queue of each chat lives only while it has updates."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB waits for the running updates itself."""


def _chat_id(update: object) -> int | None:
    """Updates without a chat (inline queries, for one) are ordered by their user instead."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
