"""The real bot, over real HTTP, against the local Bot API double, on a real SQLite file."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import build_application, running_bot
from bot.config import Settings
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database

OWNER_ID = 100
os.environ.setdefault("PTB_TIMEDELTA", "1")


def make_settings(double: BotApiDouble, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "TELEGRAM_BOT_TOKEN": double.token,
        "ROUNDWATCH_ADMIN_IDS": str(OWNER_ID),
        "DATABASE_URL": database_url,
        "TELEGRAM_API_BASE_URL": double.base_url,
        "TELEGRAM_FILE_BASE_URL": double.base_file_url,
        "ROUNDWATCH_CHECK_INTERVAL": 0.2,
        "ROUNDWATCH_RETRY_DELAY": 0.2,
        "ROUNDWATCH_REQUEST_TIMEOUT": 5,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
async def double() -> AsyncIterator[BotApiDouble]:
    async with BotApiDouble() as running:
        yield running


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'roundwatch.sqlite3'}"


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    opened = Database(database_url)
    yield opened
    await opened.dispose()


@pytest.fixture
def settings(double: BotApiDouble, database_url: str) -> Settings:
    return make_settings(double, database_url)


@pytest.fixture
async def app(settings: Settings, database: Database) -> AsyncIterator[Application]:
    application = build_application(settings, database)
    async with running_bot(application):
        yield application


StartBot = Callable[..., Awaitable[Application]]


@pytest.fixture
async def bot_for(
    double: BotApiDouble, database: Database, database_url: str
) -> AsyncIterator[StartBot]:
    """Starts the bot with extra settings once the test has prepared the database."""
    async with AsyncExitStack() as stack:

        async def start(**overrides: object) -> Application:
            settings = make_settings(double, database_url, **overrides)
            application = build_application(settings, database)
            return await stack.enter_async_context(running_bot(application))

        yield start


@dataclass
class Chatter:
    """Somebody typing to the bot through the double and reading what comes back."""

    double: BotApiDouble
    chat_id: int
    user_id: int

    async def says(self, text: str, replies: int = 1, within: float = 10.0) -> list[SentMessage]:
        before = len(self.double.messages_to(self.chat_id))
        self.double.user_sends(self.chat_id, text, user_id=self.user_id)
        await self.double.wait_for_messages(self.chat_id, before + replies, timeout=within)
        return self.double.messages_to(self.chat_id)[before:]

    async def presses(
        self, message: SentMessage, data: str, replies: int = 1, within: float = 10.0
    ) -> list[SentMessage]:
        before = len(self.double.messages_to(self.chat_id))
        self.double.user_presses(self.chat_id, message.message_id, data, user_id=self.user_id)
        await self.double.wait_for_messages(self.chat_id, before + replies, timeout=within)
        return self.double.messages_to(self.chat_id)[before:]


def buttons_of(message: SentMessage) -> dict[str, str]:
    """Button label → callback data."""
    markup = message.reply_markup or {}
    return {
        button["text"]: button["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    }
