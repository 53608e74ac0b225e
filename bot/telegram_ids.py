"""Telegram ids typed by people. `str.isdigit` and `int` also accept "²" and Arabic-Indic
digits (`int("١٢٣") == 123`), so an id is matched as ASCII digits before it becomes a number."""

from __future__ import annotations

import re

USER_ID_LIMIT = 2**52  # Telegram: user ids have at most 52 significant bits
_ASCII_DIGITS = re.compile(r"[0-9]{1,16}")


def parse_user_id(text: str) -> int | None:
    """The user id written in `text`, or None when it cannot be one."""
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value < USER_ID_LIMIT else None
