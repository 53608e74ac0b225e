"""A local Telegram Bot API double for tests, benchmarks and a terminal sandbox.

``BotApiDouble`` is resolved lazily so that ``python -m bot.sandbox.double`` does not import
the module twice (once through this package, once as ``__main__``).
"""

from typing import TYPE_CHECKING, Any

from bot.sandbox.limits import RateLimits
from bot.sandbox.records import CallbackAnswer, DoubleStats, SentMessage
from bot.sandbox.telegram_html import HtmlParseError, ParsedText, parse_html

if TYPE_CHECKING:
    from bot.sandbox.double import BotApiDouble

__all__ = [
    "BotApiDouble",
    "CallbackAnswer",
    "DoubleStats",
    "HtmlParseError",
    "ParsedText",
    "RateLimits",
    "SentMessage",
    "parse_html",
]


def __getattr__(name: str) -> Any:
    if name == "BotApiDouble":
        from bot.sandbox.double import BotApiDouble

        return BotApiDouble
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
