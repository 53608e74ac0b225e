"""Long messages in parts that each say what they belong to.

A part of a split alert arrives as its own notification, often minutes after the first under
Telegram's group limits, so each later part repeats the first line (kind and topic) and its
place in the sequence, "(2/3)"; a text written right to left (a Persian one starts with a
right-to-left mark) counts its parts in Persian digits, "(۲/۳)".
"""

from __future__ import annotations

import re

from telegram.constants import MessageLimit

from bot.delivery.split import split_message
from bot.reading.language import ENGLISH, RLM, translator
from storage.states import Language

LONGEST_REPEATED_LINE = 300
_TAG = re.compile(r"<[^<>]*>")
_NUMBERING_ROOM = len(" (99/99)\n\n")


def split_alert(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """The first line is repeated without its tags, which keeps it valid HTML on its own (its
    entities stay); a first line too long to repeat leaves only the numbering."""
    if len(text) <= limit:
        return [text]
    first_line = _TAG.sub("", text.split("\n", 1)[0]).strip()
    header = first_line + " " if 0 < len(first_line) <= LONGEST_REPEATED_LINE else ""
    parts = split_message(text, limit - len(header) - _NUMBERING_ROOM)
    t = translator(Language.PERSIAN) if text.startswith(RLM) else ENGLISH
    count = t.number(len(parts))
    later = (
        f"{header}({t.number(number)}/{count})\n\n{part}"
        for number, part in enumerate(parts[1:], 2)
    )
    return [parts[0], *later]
