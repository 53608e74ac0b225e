"""Log lines carry their context (worker, chat, update), come as JSON lines for collectors when
asked, and never hold the token in either format."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.logs import LogFormat, configure_logging, set_worker_id
from bot.runtime import Context
from bot.sandbox import BotApiDouble
from tests.conftest import StartBot
from tests.test_cli import run_cli

READER = 4_100


@pytest.fixture
def logging_as(double: BotApiDouble) -> Iterator[Callable[[LogFormat], None]]:
    """Configures the root logger as the CLI does, and puts pytest's handlers back after."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level

    def configure(log_format: LogFormat) -> None:
        configure_logging("INFO", [double.token], log_format)
        set_worker_id("worker-7")

    yield configure
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in saved_handlers:
        root.addHandler(handler)
    root.setLevel(saved_level)


async def failing_update(double: BotApiDouble, bot_for: StartBot) -> int:
    """An update whose handler fails with the token in its error, as PTB errors can."""

    async def fail(update: Update, context: Context) -> None:
        raise RuntimeError(f"the Bot API at /bot{double.token}/sendMessage failed")

    application = await bot_for()
    application.add_handler(CommandHandler("explode", fail), group=-1)
    double.add_private_chat(READER)
    double.user_sends(READER, "/explode")
    await double.wait_for_messages(READER, 1, timeout=10)
    return double.last_update_id


async def test_json_lines_carry_the_context_and_never_the_token(
    double: BotApiDouble,
    bot_for: StartBot,
    logging_as: Callable[[LogFormat], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging_as("json")
    update_id = await failing_update(double, bot_for)
    err = capsys.readouterr().err
    assert double.token not in err
    lines = [json.loads(line) for line in err.splitlines()]
    (failure,) = [line for line in lines if line["message"] == "error while handling an update"]
    assert failure["level"] == "ERROR"
    assert failure["logger"] == "bot.app"
    assert failure["chat_id"] == READER
    assert failure["update_id"] == update_id
    assert failure["worker_id"] == "worker-7"
    assert "RuntimeError: the Bot API at /bot[token]/sendMessage failed" in failure["exception"]


async def test_text_lines_end_with_the_context(
    double: BotApiDouble,
    bot_for: StartBot,
    logging_as: Callable[[LogFormat], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging_as("text")
    update_id = await failing_update(double, bot_for)
    err = capsys.readouterr().err
    assert double.token not in err
    (failure,) = [line for line in err.splitlines() if "error while handling an update" in line]
    assert failure.endswith(f"[worker_id=worker-7 chat_id={READER} update_id={update_id}]")
    assert " ERROR bot.app: " in failure


def test_an_unknown_log_format_is_one_sentence(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "migrate", ROUNDWATCH_LOG_FORMAT="xml")
    assert result.returncode == 2
    assert result.stderr.startswith("roundwatch: ROUNDWATCH_LOG_FORMAT is malformed")
    assert len(result.stderr.strip().splitlines()) == 1
