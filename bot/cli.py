"""`roundwatch` / `python -m bot`: run the bot, migrate, load the reference case, or try it
in a terminal sandbox."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings, require_token
from bot.logs import TokenRedactor, configure_logging, set_worker_id
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
    from bot.app import build_application, run_until_stopped

    token = require_token(settings)
    if not dispatch:
        _require_postgresql(settings, "`roundwatch run --no-dispatch`")
    asyncio.run(_check_services(settings, token))
    application = build_application(settings, dispatch=dispatch)
    with _listening(settings):
        reason = asyncio.run(run_until_stopped(application, takes_updates=True))
    if reason is not None:
        raise TelegramUnavailable(reason)


def _worker(settings: Settings) -> None:
    from bot.app import build_application, run_until_stopped

    token = require_token(settings)
    _require_postgresql(settings, "`roundwatch worker`")
    asyncio.run(_check_services(settings, token))
    with _listening(settings):
        asyncio.run(run_until_stopped(build_application(settings), takes_updates=False))


@contextmanager
def _listening(settings: Settings) -> Iterator[None]:
    """A port the webhook or the health endpoint cannot listen on is one sentence."""
    try:
        yield
    except OSError as error:
        raise ConfigError(
            f"cannot listen on a port (ROUNDWATCH_WEBHOOK_PORT {settings.webhook_port}, "
            f"ROUNDWATCH_HEALTH_PORT {settings.health_port}): {error.strerror or error}."
        ) from None


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


class ExchangeFailed(Exception):
    """An import or export that did nothing; the message says why, problem by problem."""


def _read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise ExchangeFailed(f"cannot read {path}: {error.strerror or error}.") from None


def _write_output(output: str | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except OSError as error:
        raise ExchangeFailed(f"cannot write {output}: {error.strerror or error}.") from None


async def _import(settings: Settings, path: str, content: bytes, publish: bool) -> None:
    from bot.exchange.importing import ImportRefused, import_document
    from bot.exchange.reading import DocumentInvalid

    database = await _opened_database(settings)
    try:
        imported = await import_document(database, path, content, publish=publish)
    except DocumentInvalid as invalid:
        count = len(invalid.problems)
        listed = "\n".join(f"  {problem}" for problem in invalid.problems)
        raise ExchangeFailed(
            f"{path} has {count} problem{'' if count == 1 else 's'}, so nothing was stored:\n"
            f"{listed}"
        ) from None
    except ImportRefused as refused:
        raise ExchangeFailed(str(refused)) from None
    finally:
        await database.dispose()
    what = "Created" if imported.created else "Updated"
    published = "nothing was published"
    if imported.published_post_id is not None:
        published = (
            f"its latest round was already published as update {imported.published_post_id}"
            if imported.already_published
            else f"its latest round is published as update {imported.published_post_id}"
        )
    print(
        f"{what} topic {imported.slug}: {imported.rounds_created} rounds added, "
        f"{imported.rounds_updated} replaced; {published}."
    )


async def _export(settings: Settings, slug: str, output: str | None, as_json: bool) -> str:
    from bot.exchange.exporting import ExportFailed, export_topic
    from bot.exchange.writing import is_json_name

    database = await _opened_database(settings)
    try:
        text = await export_topic(
            database, slug, as_json=as_json or (output is not None and is_json_name(output))
        )
    except ExportFailed as error:
        raise ExchangeFailed(str(error)) from None
    finally:
        await database.dispose()
    return text


def _sandbox(settings: Settings) -> None:
    from bot.sandbox.terminal import run_terminal_sandbox

    asyncio.run(run_terminal_sandbox(settings))


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roundwatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help="run the bot (long polling, or a webhook when ROUNDWATCH_WEBHOOK_URL is set)"
    )
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
    loading = commands.add_parser("import", help="load a topic from a JSON or YAML document")
    loading.add_argument("file", help="a .json, .yaml or .yml topic document")
    loading.add_argument(
        "--publish", action="store_true", help="also send the topic's latest round to subscribers"
    )
    saving = commands.add_parser("export", help="write a topic as a document (YAML by default)")
    saving.add_argument("slug")
    saving.add_argument("--output", "-o", help="file to write; a .json name writes JSON")
    saving.add_argument("--json", action="store_true", help="JSON instead of YAML")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser()
    args = parser.parse_args(argv)
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB's coming timedelta durations, now
    redactor = TokenRedactor([os.environ.get("TELEGRAM_BOT_TOKEN")])
    try:
        settings = load_settings()
        redactor = configure_logging(settings.log_level, [settings.bot_token], settings.log_format)
        set_worker_id(settings.resolved_worker_id)
        if args.command == "run":
            _run(settings, dispatch=not args.no_dispatch)
        elif args.command == "worker":
            _worker(settings)
        elif args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "demo-data":
            asyncio.run(_demo_data(settings))
        elif args.command == "import":
            asyncio.run(_import(settings, args.file, _read_file(args.file), args.publish))
        elif args.command == "export":
            text = asyncio.run(_export(settings, args.slug, args.output, args.json))
            _write_output(args.output, text)
        else:
            _sandbox(settings)
    except ConfigError as error:
        print(redactor.redact(f"roundwatch: {error}"), file=sys.stderr)
        return 2
    except (DatabaseUnavailable, TelegramUnavailable, ExchangeFailed) as error:
        print(redactor.redact(f"roundwatch: {error}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
