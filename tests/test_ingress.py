"""Taking Telegram's updates: on a webhook through the double, which POSTs them with the secret
(and anything without it is refused), and the stop of a second poller on the same token."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.ingress import SECOND_POLLER
from bot.sandbox import BotApiDouble
from tests.conftest import Chatter, StartBot

READER = 5_100
FORGER = 5_200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def forged_update(update_id: int, chat_id: int) -> dict[str, object]:
    user = {"id": chat_id, "is_bot": False, "first_name": "Forger"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": chat_id, "type": "private", "first_name": "Forger"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def run_cli_beside(
    double: BotApiDouble, tmp_path: Path, **env: str
) -> tuple[int | None, str]:
    """`roundwatch run` as a process of its own, while this test's loop keeps the double up."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDWATCH_", "TELEGRAM_"))}
    clean.pop("DATABASE_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env={
            **clean,
            "TELEGRAM_BOT_TOKEN": double.token,
            "TELEGRAM_API_BASE_URL": double.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'second.sqlite3'}",
            **env,
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, stderr.decode()


@pytest.mark.parametrize("secret", ["a-configured_Secret42", ""])
async def test_updates_arrive_on_the_webhook_and_a_post_without_the_secret_is_refused(
    double: BotApiDouble, bot_for: StartBot, secret: str
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    await bot_for(
        ROUNDWATCH_WEBHOOK_URL=url,
        ROUNDWATCH_WEBHOOK_PORT=port,
        ROUNDWATCH_WEBHOOK_SECRET=secret,
    )
    assert double.webhook_url == url
    double.add_private_chat(READER)
    (welcome,) = await Chatter(double, READER, READER).says("/start")
    assert "/topics" in welcome.plain_text
    assert double.stats.webhook_answers[200] >= 1
    assert double.stats.requests["getUpdates"] == 0

    double.add_private_chat(FORGER)
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guessed"}):
            update = forged_update(900_000 + len(headers), FORGER)
            async with session.post(url, json=update, headers=headers) as answer:
                assert answer.status == 403
    replies = await Chatter(double, FORGER, FORGER).says("/help")
    assert len(double.messages_to(FORGER)) == len(replies) == 1


async def test_a_second_poller_on_the_token_stops_with_one_sentence(
    double: BotApiDouble, bot_for: StartBot, tmp_path: Path
) -> None:
    await bot_for()
    double.add_private_chat(READER)
    await Chatter(double, READER, READER).says("/start")

    returncode, errors = await run_cli_beside(double, tmp_path)
    assert returncode == 1, errors
    assert errors.strip().splitlines()[-1] == f"roundwatch: {SECOND_POLLER}"
    assert "Traceback" not in errors
    assert double.token not in errors

    (answer,) = await Chatter(double, READER, READER).says("/help")
    assert "/subscribe" in answer.plain_text


async def test_a_port_already_taken_is_one_sentence(double: BotApiDouble, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        returncode, errors = await run_cli_beside(
            double, tmp_path, ROUNDWATCH_HEALTH_PORT=str(port)
        )
    assert returncode == 2, errors
    sentence = errors.strip().splitlines()[-1]
    assert sentence.startswith("roundwatch: cannot listen on a port (")
    assert "Traceback" not in errors
    assert f"ROUNDWATCH_HEALTH_PORT {port}" in sentence
