"""The real bot, over real HTTP, against the local Bot API double, on a real database.

The database is SQLite unless ``--database postgresql`` (or ``ROUNDWATCH_TEST_DATABASE=
postgresql``) selects a fresh PostgreSQL database per test on ``ROUNDWATCH_TEST_POSTGRES_URL``.
Tests about several worker processes ask for ``postgres_url`` and run on PostgreSQL either way.
A run on PostgreSQL keeps only the tests whose database it chooses: the others would repeat the
SQLite run exactly.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from telegram.ext import Application

from bot.app import build_application, running_bot
from bot.config import Settings
from bot.sandbox import BotApiDouble, RateLimits, SentMessage
from storage.database import Database, async_database_url
from storage.models import Delivery

OWNER_ID = 100
os.environ.setdefault("PTB_TIMEDELTA", "1")
POSTGRES_URL = os.environ.get(
    "ROUNDWATCH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
DATABASES = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=DATABASES,
        default=os.environ.get("ROUNDWATCH_TEST_DATABASE", "sqlite"),
        help="database the suite runs on (default: $ROUNDWATCH_TEST_DATABASE or sqlite)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"roundwatch database: {config.getoption('--database')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database") == "sqlite":
        return
    chosen = [item for item in items if "database_url" in getattr(item, "fixturenames", ())]
    unchanged = [item for item in items if item not in chosen]
    if unchanged:
        config.hook.pytest_deselected(items=unchanged)
        items[:] = chosen


def postgres_reachable() -> bool:
    url = make_url(POSTGRES_URL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=1):
            return True
    except OSError:
        return False


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """A database of its own on the test server, dropped afterwards even if a worker process
    still holds a connection to it."""
    name = f"roundwatch_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(async_database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--database"))


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """For tests about several worker processes, which only PostgreSQL supports."""
    if not postgres_reachable():
        pytest.skip(f"several workers need PostgreSQL, and none answers at {POSTGRES_URL}")
    async with fresh_postgres_database() as url:
        yield url


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
        "ROUNDWATCH_PRIVATE_RATE": CHAT_RATE,
        "ROUNDWATCH_GROUP_RATE_PER_MINUTE": GROUP_RATE_PER_MINUTE,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


# Conversations in tests go faster than Telegram lets one chat go (1 message a second, 20 a
# minute in a group): the bot and the double agree on these, so the double still refuses any
# message the bot paces wrongly. tests/test_delivery.py holds the bot to Telegram's own.
CHAT_RATE = 10
GROUP_RATE_PER_MINUTE = 300


@pytest.fixture
def double_limits() -> RateLimits:
    """A test parametrizes this to judge other limits."""
    return RateLimits(private_per_second=CHAT_RATE, group_per_minute=GROUP_RATE_PER_MINUTE)


@pytest.fixture
async def double(double_limits: RateLimits) -> AsyncIterator[BotApiDouble]:
    async with BotApiDouble(limits=double_limits) as running:
        yield running


@pytest.fixture
async def database_url(database_kind: str, tmp_path: Path) -> AsyncIterator[str]:
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'roundwatch.sqlite3'}"
        return
    if not postgres_reachable():
        pytest.fail(f"--database postgresql was chosen, and no server answers at {POSTGRES_URL}")
    async with fresh_postgres_database() as url:
        yield url


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
