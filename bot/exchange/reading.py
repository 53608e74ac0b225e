"""A document as uploaded or read from a file: JSON or YAML, checked whole before anything
is stored, with every problem named by its path in the document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.exchange.document import Party, Round, TopicDocument
from bot.exchange.references import reference_problems

Entry = TypeVar("Entry", Party, Round)
MAX_DOCUMENT_BYTES = 5_000_000
DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
_DATE_ERRORS = frozenset(
    {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"}
)


class DocumentInvalid(Exception):
    """Every problem found, so the admin can fix them all in one go."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


class _PlainLoader(yaml.SafeLoader):
    """YAML without its own date parsing: an impossible date stays text, so the models report
    it at its path instead of the parser stopping at it."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def is_document_file(filename: str | None) -> bool:
    return filename is not None and filename.lower().endswith(DOCUMENT_SUFFIXES)


def read_document(filename: str, content: bytes) -> TopicDocument:
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentInvalid([f"the file is over {MAX_DOCUMENT_BYTES // 1_000_000} MB"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentInvalid([f"the file is not UTF-8 text (byte {error.start})"]) from None
    data = _parsed(filename, text)
    try:
        document = TopicDocument.model_validate(data)
    except ValidationError as error:
        problems = [_problem(detail) for detail in error.errors()]
        raise DocumentInvalid(problems + _partial_reference_problems(data)) from None
    problems = reference_problems(
        list(enumerate(document.parties)), list(enumerate(document.rounds))
    )
    if problems:
        raise DocumentInvalid(problems)
    return document


def _partial_reference_problems(data: Any) -> list[str]:
    """The cross-references among the entries that are well formed, when others are not."""
    if not isinstance(data, dict):
        return []
    parties = _valid_entries(Party, data.get("parties"))
    valid = {index for index, _ in parties}
    raw_parties = data.get("parties")
    for index, item in enumerate(raw_parties if isinstance(raw_parties, list) else []):
        if index not in valid and isinstance(item, dict) and isinstance(item.get("name"), str):
            # Its own problems are reported already; its name still counts as listed.
            aliases = item.get("aliases")
            named = [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []
            parties.append((index, Party.model_construct(name=item["name"], aliases=named)))
    parties.sort(key=lambda entry: entry[0])
    return reference_problems(parties, _valid_entries(Round, data.get("rounds")))


def _valid_entries(model: type[Entry], items: Any) -> list[tuple[int, Entry]]:
    if not isinstance(items, list):
        return []
    valid = []
    for index, item in enumerate(items):
        try:
            valid.append((index, model.model_validate(item)))
        except ValidationError:
            continue
    return valid


def _parsed(filename: str, text: str) -> Any:
    if filename.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DocumentInvalid(
                [f"line {error.lineno}, column {error.colno}: not JSON ({error.msg})"]
            ) from None
    try:
        return yaml.load(text, Loader=_PlainLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        reason = getattr(error, "problem", None) or "unreadable"
        raise DocumentInvalid([f"{where}not YAML ({reason})"]) from None


def path_of(location: Sequence[int | str]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(the document)"


def _problem(detail: ErrorDetails) -> str:
    kind = detail["type"]
    if kind in _DATE_ERRORS:
        message = "not a date (write YYYY-MM-DD)"
    elif kind == "string_pattern_mismatch" and tuple(detail["loc"]) == ("slug",):
        message = "a slug is 1–32 characters of a–z, 0–9 and '-', not starting or ending with '-'"
    elif kind == "missing":
        message = "required"
    elif kind == "extra_forbidden":
        message = "unknown field"
    elif kind == "model_type":
        message = "should be a mapping of fields"
    elif kind == "value_error":
        message = str(detail["ctx"]["error"]) if "ctx" in detail else detail["msg"]
    else:
        message = detail["msg"][:1].lower() + detail["msg"][1:]
    return f"{path_of(detail['loc'])}: {message}"
