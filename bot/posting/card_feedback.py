"""What the admin reads about a card: its problems, which stop it, and its warnings, which
do not. The parser, the review and posting errors write values between backticks; Telegram's
HTML mode shows backticks as they are, so here they become <code>."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.reading.language import ENGLISH, Translator
from storage.card import CardProblem

_CODE = re.compile(r"`([^`]*)`")


def card_problems_text(problems: Sequence[CardProblem], t: Translator) -> str:
    count = len(problems)
    heading = t.ngettext(
        "❌ The card has {count} problem; nothing was stored.",
        "❌ The card has {count} problems; nothing was stored.",
        count,
    ).format(count=t.number(count))
    return t.directed("\n".join([heading, *_numbered(problems, t)]))


def card_warnings_text(warnings: Sequence[CardProblem], t: Translator) -> str:
    count = len(warnings)
    heading = t.ngettext(
        "⚠️ {count} warning — check before you publish:",
        "⚠️ {count} warnings — check before you publish:",
        count,
    ).format(count=t.number(count))
    return t.directed("\n".join([heading, *_numbered(warnings, t)]))


def with_code(message: str, t: Translator = ENGLISH) -> str:
    """A plain message for the admin as HTML, its `values` in <code>, each kept from
    reordering a Persian sentence around it."""
    return _CODE.sub(
        lambda match: t.isolate(f"<code>{match[1]}</code>"), html.escape(message, quote=False)
    )


def problem_text(problem: CardProblem, t: Translator) -> str:
    """The problem in the admin's language; what the admin typed stays as typed, isolated."""
    if not problem.template:
        return t._(problem.message)
    values = {
        name: t.number(value) if isinstance(value, int) else t.isolate(value)
        for name, value in problem.values
    }
    return t._(problem.template).format(**values)


def _numbered(problems: Sequence[CardProblem], t: Translator) -> list[str]:
    return [
        t._("line {line}: {problem}").format(
            line=t.number(problem.line), problem=with_code(problem_text(problem, t), t)
        )
        for problem in problems
    ]
