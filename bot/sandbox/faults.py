"""Failures a test asks the double to inject, per chat and per call.

Kept apart from the chats themselves so ``reset_faults`` can undo every injected failure
without touching what the bot legitimately did to the simulated world.
"""

import random
from dataclasses import dataclass, field
from enum import StrEnum
from http import HTTPStatus

GARBAGE_BODY = "<html><body>502 Bad Gateway</body></html>"


class FaultKind(StrEnum):
    SERVER_ERROR = "server_error"  # a 5xx from Telegram's front end; nothing delivered
    FLOOD = "flood"  # a 429 with retry_after, pausing every send as Telegram does
    GARBAGE = "garbage"  # a 200 whose body is not Bot API JSON; nothing delivered


@dataclass(frozen=True, slots=True)
class InjectedFault:
    kind: FaultKind
    status: int = 0
    retry_after: int = 0

    @property
    def description(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Server Error"


class GarbageAnswer(Exception):
    """Raised by an endpoint to answer 200 with a body no Bot API client can read."""


@dataclass(slots=True)
class FloodStorm:
    """A window in which Telegram sheds load by refusing sends at random."""

    probability: float
    retry_after: int
    until: float
    rng: random.Random


@dataclass(slots=True)
class FaultPlan:
    blocked: set[int] = field(default_factory=set)
    deactivated: set[int] = field(default_factory=set)
    forgotten: set[int] = field(default_factory=set)
    failing: dict[int, list[InjectedFault | None]] = field(default_factory=dict)
    delays: dict[int, float] = field(default_factory=dict)
    storm: FloodStorm | None = None

    def fail_next(self, chat_id: int, count: int, status: int, after: int = 0) -> None:
        if not 500 <= status <= 599:
            raise ValueError(f"fail_next injects server errors (5xx), got {status}")
        self._queue(chat_id, InjectedFault(FaultKind.SERVER_ERROR, status=status), count, after)

    def flood_next(self, chat_id: int, retry_after: int, after: int = 0) -> None:
        if retry_after < 1:
            raise ValueError(f"retry_after is a positive number of seconds, got {retry_after}")
        self._queue(chat_id, InjectedFault(FaultKind.FLOOD, retry_after=retry_after), 1, after)

    def garble_next(self, chat_id: int, count: int, after: int = 0) -> None:
        self._queue(chat_id, InjectedFault(FaultKind.GARBAGE), count, after)

    def _queue(self, chat_id: int, fault: InjectedFault, count: int, after: int) -> None:
        """``after`` sends to the chat go through untouched first, so a test can aim at the
        second part of a split alert."""
        if count < 1 or after < 0:
            raise ValueError(f"a fault needs a positive count and no negative offset, got {count}")
        queue = self.failing.setdefault(chat_id, [])
        queue.extend([None] * after)
        queue.extend([fault] * count)

    def take_fault(self, chat_id: int) -> InjectedFault | None:
        """The fault injected for this send, consuming it, or None."""
        queue = self.failing.get(chat_id)
        if not queue:
            return None
        fault = queue.pop(0)
        if not queue:
            del self.failing[chat_id]
        return fault

    def storm_strikes(self, now: float) -> int | None:
        """The retry_after of a storm refusal for this send, or None."""
        storm = self.storm
        if storm is None:
            return None
        if now >= storm.until:
            self.storm = None
            return None
        return storm.retry_after if storm.rng.random() < storm.probability else None
