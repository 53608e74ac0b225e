"""The leases this process holds, and until when by its own clock.

A lease expires on the database's clock. A worker that stalls (a paused machine, a starved
event loop, a database it cannot reach to renew) may wake to find its leases ran out and another
worker holding, and perhaps already having sent, the rows it had claimed. Each deadline here is
counted from just before the claim or renewal was asked, so it never runs past the database's;
a row is not sent once its deadline is near, and a renewal after a gap extends nothing, since
rows may have changed hands in the gap.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable


class HeldLeases:
    def __init__(self, duration: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.duration = duration
        self._clock = clock
        self._rows: Counter[str] = Counter()
        self._until: dict[str, float] = {}

    def now(self) -> float:
        return self._clock()

    def claimed(self, tokens: Iterable[str], asked_at: float) -> None:
        for token in tokens:
            self._rows[token] += 1
            self._until.setdefault(token, asked_at + self.duration)

    def tokens(self) -> list[str]:
        return list(self._rows)

    def renewed(self, tokens: Iterable[str], asked_at: float) -> None:
        for token in tokens:
            if asked_at < self._until.get(token, -math.inf):
                self._until[token] = asked_at + self.duration

    def may_send(self, token: str) -> bool:
        """A third of a lease to spare: renewals come every third, so a held row always has
        more, and a send started with less might reach Telegram after another worker's."""
        return self._clock() < self._until.get(token, -math.inf) - self.duration / 3

    def let_go(self, token: str) -> None:
        self._rows[token] -= 1
        if self._rows[token] <= 0:
            del self._rows[token]
            self._until.pop(token, None)

    def clear(self) -> None:
        self._rows.clear()
        self._until.clear()
