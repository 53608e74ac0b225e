"""Telegram HTML as a terminal shows it: bold, italic, underline, strikethrough, code and links
in ANSI styles, and every link's address written after its text, since a terminal cannot hide
an address behind a word the way Telegram does.

Without ANSI (output piped to a file) the text reads as Telegram shows it, addresses included.
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from bot.sandbox.telegram_html import parse_html

_STYLES: dict[str, tuple[str, str]] = {
    "bold": ("\x1b[1m", "\x1b[22m"),
    "italic": ("\x1b[3m", "\x1b[23m"),
    "underline": ("\x1b[4m", "\x1b[24m"),
    "strikethrough": ("\x1b[9m", "\x1b[29m"),
    "spoiler": ("\x1b[2m", "\x1b[22m"),
    "code": ("\x1b[36m", "\x1b[39m"),
    "pre": ("\x1b[36m", "\x1b[39m"),
    "text_link": ("\x1b[4;34m", "\x1b[24;39m"),
}
_ADDRESS = ("\x1b[2m", "\x1b[22m")


def terminal_text(text: str, parse_mode: str | None, *, ansi: bool) -> str:
    """`text` as the bot sent it; only HTML parse mode is interpreted, as the bot uses no other."""
    if parse_mode is None or parse_mode.upper() != "HTML":
        return text
    parsed = parse_html(text)
    plain = parsed.text
    index_of = _python_indexes(plain)
    openings: dict[int, list[str]] = defaultdict(list)
    closings: dict[int, list[str]] = defaultdict(list)
    for entity in parsed.entities:
        offset, length = cast(int, entity["offset"]), cast(int, entity["length"])
        start, end = index_of[offset], index_of[offset + length]
        kind = str(entity["type"])
        opening, closing = _STYLES.get(kind, ("", "")) if ansi else ("", "")
        url = str(entity.get("url", ""))
        if kind == "text_link" and url and url != plain[start:end]:
            address_on, address_off = _ADDRESS if ansi else ("", "")
            closing += f" ({address_on}{url}{address_off})"
        openings[start].append(opening)
        closings[end].insert(0, closing)
    pieces: list[str] = []
    for index in range(len(plain) + 1):
        pieces.extend(closings.get(index, ()))
        pieces.extend(openings.get(index, ()))
        if index < len(plain):
            pieces.append(plain[index])
    return "".join(pieces)


def _python_indexes(text: str) -> dict[int, int]:
    """Telegram counts entity offsets in UTF-16 code units; Python strings count code points."""
    index_of = {}
    units = 0
    for index, character in enumerate(text):
        index_of[units] = index
        units += 2 if ord(character) > 0xFFFF else 1
    index_of[units] = len(text)
    return index_of
