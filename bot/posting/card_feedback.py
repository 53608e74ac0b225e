"""What the admin reads about a card: its problems, which stop it, and its warnings, which
do not. The parser, the review and posting errors write values between backticks; Telegram's
HTML mode shows backticks as they are, so here they become <code>."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.reading.phrasing import format_count
from storage.card import CardProblem

_CODE = re.compile(r"`([^`]*)`")


def card_problems_text(problems: Sequence[CardProblem]) -> str:
    heading = f"❌ The card has {format_count(len(problems), 'problem', 'problems')}; " + (
        "nothing was stored."
    )
    return "\n".join([heading, *_numbered(problems)])


def card_warnings_text(warnings: Sequence[CardProblem]) -> str:
    heading = f"⚠️ {format_count(len(warnings), 'warning', 'warnings')} — check before you publish:"
    return "\n".join([heading, *_numbered(warnings)])


def with_code(message: str) -> str:
    """A plain message for the admin as HTML, its `values` in <code>."""
    return _CODE.sub(lambda match: f"<code>{match[1]}</code>", html.escape(message, quote=False))


def _numbered(problems: Sequence[CardProblem]) -> list[str]:
    return [f"line {problem.line}: {with_code(problem.message)}" for problem in problems]
