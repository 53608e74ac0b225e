"""Failures a test asks the double to inject, per chat and per call.

Kept apart from the chats themselves so ``reset_faults`` can undo every injected failure
without touching what the bot legitimately did to the simulated world.
"""

import random
from dataclasses import dataclass, field
from http import HTTPStatus


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
    failing: dict[int, list[int]] = field(default_factory=dict)
    delays: dict[int, float] = field(default_factory=dict)
    storm: FloodStorm | None = None

    def fail_next(self, chat_id: int, count: int, status: int) -> None:
        if not 500 <= status <= 599:
            raise ValueError(f"fail_next injects server errors (5xx), got {status}")
        if count < 1:
            raise ValueError(f"fail_next needs a positive count, got {count}")
        self.failing.setdefault(chat_id, []).extend([status] * count)

    def take_failure(self, chat_id: int) -> tuple[int, str] | None:
        """The injected 5xx for this send, consuming it, or None."""
        queue = self.failing.get(chat_id)
        if not queue:
            return None
        status = queue.pop(0)
        if not queue:
            del self.failing[chat_id]
        try:
            description = HTTPStatus(status).phrase
        except ValueError:
            description = "Server Error"
        return status, description

    def storm_strikes(self, now: float) -> int | None:
        """The retry_after of a storm refusal for this send, or None."""
        storm = self.storm
        if storm is None:
            return None
        if now >= storm.until:
            self.storm = None
            return None
        return storm.retry_after if storm.rng.random() < storm.probability else None
