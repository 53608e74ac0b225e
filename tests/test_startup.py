"""Start-up on a bad day: every misconfiguration or unreachable service is one sentence that
says what to fix, never a traceback, and the token is never printed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sandbox import BotApiDouble
from tests.test_cli import run_cli

CLOSED_PORT = "1"
SECRET = "SECRETSECRET"


def one_sentence(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("roundwatch: ") and lines[0].endswith("."), stderr
    return lines[0]


@pytest.mark.parametrize("command", ["run", "migrate", "demo-data"])
@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("foo", "DATABASE_URL"),
        ("sqlite:////nonexistent/x.db", "/nonexistent/x.db"),
        (f"postgresql://postgres@127.0.0.1:{CLOSED_PORT}/test", "127.0.0.1"),
        ("mysql://root@127.0.0.1/roundwatch", "mysql"),
        ("sqlite:///", "in-memory"),
    ],
)
async def test_a_database_that_cannot_be_used_is_one_sentence(
    tmp_path: Path, double: BotApiDouble, command: str, url: str, named: str
) -> None:
    code, stdout, stderr = await run_cli_async(
        tmp_path,
        command,
        DATABASE_URL=url,
        TELEGRAM_BOT_TOKEN=double.token,
        TELEGRAM_API_BASE_URL=double.base_url,
    )
    assert code != 0
    assert named in one_sentence(stderr)
    assert double.token not in stdout + stderr


@pytest.mark.parametrize("command", ["run", "migrate", "demo-data"])
def test_a_base_url_that_is_not_a_url_is_one_sentence(tmp_path: Path, command: str) -> None:
    result = run_cli(
        tmp_path, command, TELEGRAM_BOT_TOKEN=f"123:{SECRET}", TELEGRAM_API_BASE_URL="notaurl"
    )
    assert result.returncode != 0
    assert "TELEGRAM_API_BASE_URL" in one_sentence(result.stderr)


async def run_cli_async(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDWATCH_", "TELEGRAM_"))}
    clean.pop("DATABASE_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env={**clean, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, stdout.decode(), stderr.decode()


async def test_a_token_telegram_rejects_is_one_sentence_without_the_token(
    tmp_path: Path, double: BotApiDouble, database_url: str
) -> None:
    code, stdout, stderr = await run_cli_async(
        tmp_path,
        "run",
        DATABASE_URL=database_url,
        TELEGRAM_BOT_TOKEN=f"123:{SECRET}",
        TELEGRAM_API_BASE_URL=double.base_url,
    )
    assert code != 0
    assert "TELEGRAM_BOT_TOKEN" in one_sentence(stderr)
    assert SECRET not in stdout + stderr


async def test_no_network_is_one_sentence_without_the_token(
    tmp_path: Path, database_url: str
) -> None:
    code, stdout, stderr = await run_cli_async(
        tmp_path,
        "run",
        DATABASE_URL=database_url,
        TELEGRAM_BOT_TOKEN=f"123:{SECRET}",
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{CLOSED_PORT}/bot",
    )
    assert code != 0
    assert "TELEGRAM_API_BASE_URL" in one_sentence(stderr)
    assert SECRET not in stdout + stderr


async def test_the_token_is_never_logged_even_at_debug(
    tmp_path: Path, double: BotApiDouble, database_url: str
) -> None:
    """A good token on the wrong base URL first (PTB puts the token in InvalidToken), then a
    running bot at DEBUG with httpx's request lines."""
    wrong_base = double.base_url.removesuffix("bot") + "wrong/bot"
    code, stdout, stderr = await run_cli_async(
        tmp_path,
        "run",
        DATABASE_URL=database_url,
        TELEGRAM_BOT_TOKEN=double.token,
        TELEGRAM_API_BASE_URL=wrong_base,
        ROUNDWATCH_LOG_LEVEL="DEBUG",
    )
    secret = double.token.split(":", 1)[1]
    assert code != 0
    assert secret not in stdout + stderr

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDWATCH_", "TELEGRAM_"))}
    clean.pop("DATABASE_URL", None)
    # A file, not a pipe: at DEBUG the bot prints more than a pipe holds while nobody reads it.
    printed_to = (tmp_path / "printed.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env={
            **clean,
            "DATABASE_URL": database_url,
            "TELEGRAM_BOT_TOKEN": double.token,
            "TELEGRAM_API_BASE_URL": double.base_url,
            "ROUNDWATCH_ADMIN_IDS": "100",
            "ROUNDWATCH_LOG_LEVEL": "DEBUG",
        },
        stdout=printed_to,
        stderr=subprocess.STDOUT,
    )
    await double.wait_for(lambda: double.stats.requests["getUpdates"] >= 2, timeout=60)
    process.send_signal(signal.SIGINT)
    await asyncio.wait_for(process.wait(), timeout=30)
    printed_to.close()
    printed = (tmp_path / "printed.log").read_text()
    assert "HTTP Request: POST" in printed
    assert "Set Bot API URL" in printed
    assert secret not in printed
