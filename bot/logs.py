"""Logging for the bot: the level is a setting, and the token never reaches any output.

Every record carries the context it happened in — the chat and update being handled, the
worker — from context variables that the update processor and the dispatcher bind for their
task, so a line can be traced without each call site repeating the ids. `json` writes one JSON
object per line for log collectors.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

REDACTED = "[token]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(context)s"
CONTEXT_FIELDS = ("worker_id", "chat_id", "update_id")
LogFormat = Literal["text", "json"]

_chat_id: ContextVar[int | None] = ContextVar("log_chat_id", default=None)
_update_id: ContextVar[int | None] = ContextVar("log_update_id", default=None)
_worker_id: str | None = None


def bind_log_context(*, chat_id: int | None = None, update_id: int | None = None) -> None:
    """For the rest of the current task (each update and each send has its own)."""
    _chat_id.set(chat_id)
    _update_id.set(update_id)


def set_worker_id(worker_id: str) -> None:
    global _worker_id
    _worker_id = worker_id


class LogContext(logging.Filter):
    """Puts the bound context on each record, where the formatters find it; a value given by
    the call site (`extra=`) wins."""

    def filter(self, record: logging.LogRecord) -> bool:
        values = {"worker_id": _worker_id, "chat_id": _chat_id.get(), "update_id": _update_id.get()}
        for name, value in values.items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        known = [(name, getattr(record, name)) for name in CONTEXT_FIELDS]
        shown = " ".join(f"{name}={value}" for name, value in known if value is not None)
        record.context = f" [{shown}]" if shown else ""
        return True


class JsonLines(logging.Formatter):
    """One object per line: time, level, logger, message, the context ids that are known, and
    the traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class TokenRedactor(logging.Filter):
    """Sits on every output handler rather than on loggers, because a logger's filter never sees
    the records its children propagate, and PTB and httpx log the token (in request URLs, in
    InvalidToken) from many loggers and at every level."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        variants = {form for secret in secrets if secret for form in (secret, quote(secret))}
        self.secrets = sorted(variants, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(
    level: str, secrets: Iterable[str | None], log_format: LogFormat = "text"
) -> TokenRedactor:
    """httpx and the Bot API request log every request line, token included; they are heard
    only at DEBUG. The redactor runs before the formatter, so the token is gone from the message
    and the traceback before either format writes them."""
    logging.basicConfig(level=level, format=LOG_FORMAT, force=True)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "bot.telegram_request"):
        logging.getLogger(name).setLevel(quiet)
    redactor = TokenRedactor(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(LogContext())
        handler.addFilter(redactor)
        if log_format == "json":
            handler.setFormatter(JsonLines())
    return redactor
