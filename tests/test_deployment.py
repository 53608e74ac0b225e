"""The deployment files name commands the CLI really has, so they cannot drift from it."""

from __future__ import annotations

import configparser
import json
import re
import shlex
from pathlib import Path

import pytest

from bot.cli import argument_parser
from bot.config import Settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = {"roundwatch.service": "run", "roundwatch-worker@.service": "worker"}


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / name).read_text())
    return parser


def roundwatch_arguments(command_line: str) -> list[str]:
    executable, *arguments = shlex.split(command_line)
    assert Path(executable).name == "roundwatch", command_line
    return arguments


def parses(arguments: list[str]) -> str:
    """The subcommand, after the CLI's own parser accepted every argument."""
    try:
        return str(argument_parser().parse_args(arguments).command)
    except SystemExit:
        pytest.fail(f"`roundwatch {' '.join(arguments)}` is not a command the CLI has")


@pytest.mark.parametrize(("name", "role"), UNITS.items())
def test_each_unit_starts_a_real_subcommand(name: str, role: str) -> None:
    service = unit(name)["Service"]
    assert parses(roundwatch_arguments(service["ExecStart"])) == role
    if "ExecStartPre" in service:
        assert parses(roundwatch_arguments(service["ExecStartPre"])) == "migrate"


@pytest.mark.parametrize("name", UNITS)
def test_units_set_only_variables_the_bot_reads(name: str) -> None:
    known = {field.alias for field in Settings.model_fields.values()}
    assignments = [
        line.split("=", 2)[1]
        for line in (DEPLOY / name).read_text().splitlines()
        if line.startswith("Environment=")
    ]
    assert assignments
    assert set(assignments) <= known


def test_the_container_runs_a_real_subcommand_and_checks_its_health_port() -> None:
    text = (DEPLOY / "Containerfile").read_text()
    (entrypoint,) = re.findall(r"^ENTRYPOINT (\[.*\])$", text, re.MULTILINE)
    (command,) = re.findall(r"^CMD (\[.*\])$", text, re.MULTILINE)
    assert json.loads(entrypoint) == ["roundwatch"]
    assert parses(json.loads(command)) == "run"
    (port,) = re.findall(r"ROUNDWATCH_HEALTH_PORT=(\d+)", text)
    assert f"127.0.0.1:{port}/healthz" in text


def test_the_example_environment_names_only_variables_the_bot_reads() -> None:
    known = {field.alias for field in Settings.model_fields.values()}
    lines = (DEPLOY / "roundwatch.env.example").read_text().splitlines()
    assignments = [line for line in lines if re.match(r"#? ?[A-Z_]+=", line)]
    names = {line.lstrip("# ").split("=", 1)[0] for line in assignments}
    assert names and names <= known
