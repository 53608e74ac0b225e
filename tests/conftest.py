"""The real bot, over real HTTP, against the local Bot API double, on a real SQLite file."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.app import build_application, running_bot
from bot.config import Settings
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from storage.models import Delivery

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


async def delivery_states(database: Database) -> Counter[str]:
    async with database.session() as session:
        return Counter(await session.scalars(select(Delivery.state)))


async def wait_for_states(database: Database, expected: Counter[str], within: float = 20) -> None:
    """Delivery results are committed just after Telegram answers; wait for them to land."""
    deadline = asyncio.get_running_loop().time() + within
    while (states := await delivery_states(database)) != expected:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"deliveries are {dict(states)}, expected {dict(expected)}")
        await asyncio.sleep(0.05)


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
