"""Telegram's flood control as the double enforces it.

Telegram does not publish its exact algorithm, only the observable budgets (about 30 messages
a second overall, one a second per private chat, 20 a minute per group) and that short bursts
pass. Each budget is modelled as a GCRA (a token bucket without a refill timer), which answers
"how long until the next send conforms" in O(1) and is deterministic, so tests can count on
exactly which send is refused.
"""

import math
from dataclasses import dataclass

_FLOAT_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Budgets for message-sending methods; ``enabled=False`` lets benchmarks measure the bot
    rather than the budget."""

    enabled: bool = True
    global_per_second: float = 30
    global_burst: int = 3
    paid_broadcast_per_second: float = 1000
    private_per_second: float = 1
    private_burst: int = 3
    group_per_minute: float = 20
    group_burst: int = 3
    # A send that reaches the server this soon after a 429 left it was already on its way when
    # the client could first have heard of the pause; it is refused but not held against it.
    in_flight_grace: float = 0.5


class Gcra:
    """One budget: ``rate`` sends a second on average, up to ``burst`` at once after idling."""

    __slots__ = ("_capacity", "_interval", "_theoretical_arrival")

    def __init__(self, rate: float, burst: int) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"a budget needs a positive rate and burst, got {rate=} {burst=}")
        self._interval = 1.0 / rate
        self._capacity = self._interval * burst
        self._theoretical_arrival = 0.0

    def wait(self, now: float) -> float:
        """Seconds until one more send conforms; 0 when it conforms now."""
        after_send = max(self._theoretical_arrival, now) + self._interval
        excess = after_send - now - self._capacity
        return excess if excess > _FLOAT_SLACK else 0.0

    def take(self, now: float) -> None:
        self._theoretical_arrival = max(self._theoretical_arrival, now) + self._interval


class FloodControl:
    """The overall budget, one budget per chat, and the pause every issued 429 imposes.

    Telegram expects a client told "retry after N" to stop sending for N seconds; the pause is
    global because that is what a well-behaved client (PTB's AIORateLimiter included) does, so
    any send inside it shows the client ignored the advice.
    """

    __slots__ = ("_global", "_paid_global", "_per_chat", "issued_at", "limits", "pause_until")

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._global = Gcra(limits.global_per_second, limits.global_burst)
        self._paid_global = Gcra(limits.paid_broadcast_per_second, limits.global_burst)
        self._per_chat: dict[int, Gcra] = {}
        self.pause_until = 0.0
        self.issued_at = float("-inf")

    def paused_for(self, now: float) -> int | None:
        """Whole seconds left of the current pause, or None when sending is allowed."""
        remaining = self.pause_until - now
        if remaining <= 0:
            return None
        return max(1, math.ceil(remaining))

    def admit(self, chat_id: int, now: float, *, paid: bool = False) -> int | None:
        """Spend one send from the overall and the chat budget, or refuse without spending.

        Returns the retry_after to answer with when refused, None when admitted.
        """
        if not self.limits.enabled:
            return None
        chat_budget = self._per_chat.get(chat_id)
        if chat_budget is None:
            chat_budget = self._budget_for(chat_id)
            self._per_chat[chat_id] = chat_budget
        overall = self._paid_global if paid else self._global
        wait = max(overall.wait(now), chat_budget.wait(now))
        if wait > 0:
            return self.impose_pause(now, wait)
        overall.take(now)
        chat_budget.take(now)
        return None

    def impose_pause(self, now: float, seconds: float) -> int:
        """Start (or extend) the pause and return the retry_after that announces it."""
        retry_after = max(1, math.ceil(seconds))
        self.pause_until = max(self.pause_until, now + retry_after)
        self.issued_at = now
        return retry_after

    def in_flight_at(self, now: float) -> bool:
        """Whether a send arriving now may have left before the last 429 reached the client."""
        return now - self.issued_at < self.limits.in_flight_grace

    def lift_pause(self) -> None:
        self.pause_until = 0.0

    def _budget_for(self, chat_id: int) -> Gcra:
        if chat_id < 0:
            return Gcra(self.limits.group_per_minute / 60, self.limits.group_burst)
        return Gcra(self.limits.private_per_second, self.limits.private_burst)
