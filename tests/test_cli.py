"""The command line: one clear sentence for bad configuration, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ROUNDWATCH_", "TELEGRAM_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "run")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ROUNDWATCH_ADMIN_IDS", "12,abc"),
        ("ROUNDWATCH_CHECK_INTERVAL", "-1"),
        ("ROUNDWATCH_SEND_RATE", "fast"),
    ],
)
def test_a_malformed_value_is_named_in_one_sentence(tmp_path: Path, name: str, value: str) -> None:
    result = run_cli(tmp_path, "run", TELEGRAM_BOT_TOKEN="1:x", **{name: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"roundwatch: {name} is malformed")
    assert "Traceback" not in result.stderr


def test_settings_come_from_a_dotenv_file_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ROUNDWATCH_ADMIN_IDS=not-a-number\n")
    result = run_cli(tmp_path, "run", TELEGRAM_BOT_TOKEN="1:x")
    assert "ROUNDWATCH_ADMIN_IDS is malformed" in result.stderr


def test_demo_data_loads_once_from_any_working_directory(tmp_path: Path) -> None:
    first = run_cli(tmp_path, "demo-data")
    assert first.returncode == 0, first.stderr
    assert "Loaded the reference case" in first.stdout
    assert (tmp_path / "roundwatch.sqlite3").exists()
    again = run_cli(tmp_path, "demo-data")
    assert again.returncode == 0
    assert "already there" in again.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("worker",), "`roundwatch worker`"),
        (("run", "--no-dispatch"), "`roundwatch run --no-dispatch`"),
    ],
)
def test_split_processes_on_sqlite_are_refused_in_one_sentence(
    tmp_path: Path, args: tuple[str, ...], named: str
) -> None:
    result = run_cli(
        tmp_path, *args, TELEGRAM_BOT_TOKEN="1:x", TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot"
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"roundwatch: {named} needs PostgreSQL")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "roundwatch.sqlite3").exists()
