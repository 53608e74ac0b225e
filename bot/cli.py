"""`roundwatch` / `python -m bot`: run the bot, migrate, load the reference case, or try it
in a terminal sandbox."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings, require_token
from bot.logs import TokenRedactor, configure_logging
from storage.database import Database, DatabaseUnavailable
from storage.migrate import upgrade_database


class TelegramUnavailable(Exception):
    """Telegram refuses the bot or cannot be reached; the message is one sentence."""


def _require_postgresql(settings: Settings, what: str) -> None:
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        raise ConfigError(
            f"{what} needs PostgreSQL: with SQLite one `roundwatch run` does everything, so "
            "set DATABASE_URL to a postgresql:// URL to split the bot into processes."
        )


def _run(settings: Settings, *, dispatch: bool) -> None:
    from telegram import Update

    from bot.app import build_application

    token = require_token(settings)
    if not dispatch:
        _require_postgresql(settings, "`roundwatch run --no-dispatch`")
    asyncio.run(_check_services(settings, token))
    application = build_application(settings, dispatch=dispatch)
    application.run_polling(allowed_updates=Update.ALL_TYPES)


def _worker(settings: Settings) -> None:
    from bot.app import build_application, run_sending_only

    token = require_token(settings)
    _require_postgresql(settings, "`roundwatch worker`")
    asyncio.run(_check_services(settings, token))
    asyncio.run(run_sending_only(build_application(settings)))


async def _check_services(settings: Settings, token: str) -> None:
    """Both services are tried before the bot starts, so that what is wrong with them is said
    in one sentence instead of a retry loop's tracebacks."""
    from telegram import Bot

    from bot.delivery.sender import bot_api_problem
    from bot.telegram_request import AiohttpRequest

    timeout = settings.request_timeout
    bot = Bot(
        token,
        base_url=settings.api_base_url,
        base_file_url=settings.resolved_file_base_url,
        request=AiohttpRequest(connect_timeout=timeout, read_timeout=timeout),
    )
    problem = await bot_api_problem(bot, settings.api_base_url)
    if problem is not None:
        raise TelegramUnavailable(problem)
    database = await _opened_database(settings)
    await database.dispose()


async def _opened_database(settings: Settings) -> Database:
    """The database, reachable and at the newest schema."""
    database = Database(settings.database_url)
    try:
        await database.check_connection()
        await upgrade_database(database)
    except (SQLAlchemyError, OSError) as error:
        await database.dispose()
        raise database.unavailable(error) from None
    except BaseException:
        await database.dispose()
        raise
    return database


async def _migrate(settings: Settings) -> None:
    database = await _opened_database(settings)
    await database.dispose()


async def _demo_data(settings: Settings) -> None:
    from bot.posting.demo_data import DEMO_SLUG, load_demo_data

    database = await _opened_database(settings)
    try:
        loaded = await load_demo_data(database)
    finally:
        await database.dispose()
    if loaded:
        print(f"Loaded the reference case as topic {DEMO_SLUG} (rounds 1 and 2).")
    else:
        print(f"Topic {DEMO_SLUG} is already there; nothing changed.")


def _sandbox(settings: Settings) -> None:
    from bot.sandbox.terminal import run_terminal_sandbox

    asyncio.run(run_terminal_sandbox(settings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="roundwatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot (long polling)")
    run.add_argument(
        "--no-dispatch",
        action="store_true",
        help="on PostgreSQL: only take Telegram's updates, and leave sending to workers",
    )
    commands.add_parser(
        "worker", help="on PostgreSQL: fan out and send alerts, without taking updates"
    )
    commands.add_parser("migrate", help="create or upgrade the database schema")
    commands.add_parser("demo-data", help="load the Pakistan–Taliban reference case")
    commands.add_parser("sandbox", help="chat with the real bot in this terminal, no token needed")
    args = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB's coming timedelta durations, now
    redactor = TokenRedactor([os.environ.get("TELEGRAM_BOT_TOKEN")])
    try:
        settings = load_settings()
        redactor = configure_logging(settings.log_level, [settings.bot_token])
        if args.command == "run":
            _run(settings, dispatch=not args.no_dispatch)
        elif args.command == "worker":
            _worker(settings)
        elif args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "demo-data":
            asyncio.run(_demo_data(settings))
        else:
            _sandbox(settings)
    except ConfigError as error:
        print(redactor.redact(f"roundwatch: {error}"), file=sys.stderr)
        return 2
    except (DatabaseUnavailable, TelegramUnavailable) as error:
        print(redactor.redact(f"roundwatch: {error}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
