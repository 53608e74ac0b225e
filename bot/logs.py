"""Logging for the bot: the level is a setting, and the token never reaches any output."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "[token]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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


def configure_logging(level: str, secrets: Iterable[str | None]) -> TokenRedactor:
    """httpx and the Bot API request log every request line, token included; it is heard only at
    DEBUG."""
    logging.basicConfig(level=level, format=LOG_FORMAT, force=True)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "bot.telegram_request"):
        logging.getLogger(name).setLevel(quiet)
    redactor = TokenRedactor(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    return redactor
