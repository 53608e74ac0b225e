"""The rate limiter on a fake clock: what it waits for, proven without waiting."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.delivery.rate_limit import PAUSE_MARGIN, TelegramRateLimiter


class FakeClock:
    """Time moves only when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def limiter_on(
    clock: FakeClock, messages_per_second: float = 30, max_retries: int = 2
) -> TelegramRateLimiter:
    return TelegramRateLimiter(
        messages_per_second=messages_per_second,
        max_retries=max_retries,
        clock=clock,
        sleep=clock.sleep,
    )


async def send_at(
    limiter: TelegramRateLimiter, clock: FakeClock, chat_id: int, endpoint: str = "sendMessage"
) -> float:
    """The fake time at which the request actually went out."""
    started: list[float] = []

    async def request() -> dict[str, Any]:
        started.append(clock())
        return {}

    await limiter.process_request(request, (), {}, endpoint, {"chat_id": chat_id}, None)
    return started[0]


async def test_sends_to_different_chats_are_spaced_by_the_global_rate(clock: FakeClock) -> None:
    limiter = limiter_on(clock, messages_per_second=10)
    times = [await send_at(limiter, clock, chat_id) for chat_id in range(1, 6)]
    assert times == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


async def test_one_private_chat_gets_one_message_a_second(clock: FakeClock) -> None:
    limiter = limiter_on(clock)
    times = [await send_at(limiter, clock, 42) for _ in range(3)]
    assert times == pytest.approx([0.0, 1.0, 2.0])


async def test_a_group_gets_twenty_messages_a_minute(clock: FakeClock) -> None:
    limiter = limiter_on(clock)
    times = [await send_at(limiter, clock, -1_000_500) for _ in range(3)]
    assert times == pytest.approx([0.0, 3.0, 6.0])


async def test_requests_that_send_nothing_are_not_paced(clock: FakeClock) -> None:
    limiter = limiter_on(clock)
    limiter.pause(30)
    assert await send_at(limiter, clock, 42, endpoint="getMe") == 0.0


async def test_a_429_pauses_every_send_for_the_time_telegram_asked(clock: FakeClock) -> None:
    limiter = limiter_on(clock)
    attempts: list[float] = []

    async def refused_once() -> dict[str, Any]:
        attempts.append(clock())
        if len(attempts) == 1:
            raise RetryAfter(5)
        return {"ok": True}

    data = {"chat_id": 7}
    assert await limiter.process_request(refused_once, (), {}, "sendMessage", data, None) == {
        "ok": True
    }
    assert attempts == pytest.approx([0.0, 5.0 + PAUSE_MARGIN])
    assert limiter.pauses == 1
    assert await send_at(limiter, clock, 8) >= 5.0


async def test_a_send_refused_more_often_than_allowed_gives_up(clock: FakeClock) -> None:
    limiter = limiter_on(clock, max_retries=1)

    async def always_refused() -> dict[str, Any]:
        raise RetryAfter(1)

    with pytest.raises(RetryAfter):
        await limiter.process_request(always_refused, (), {}, "sendMessage", {"chat_id": 7}, None)
    assert limiter.pauses == 2


class StallingClock(FakeClock):
    """The event loop stalls once: the first sleep ends 0.3 s later than asked."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = False

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + (0.0 if self.stalled else 0.3)
        self.stalled = True


async def test_senders_woken_late_by_a_stall_keep_the_pace_instead_of_bursting() -> None:
    clock = StallingClock()
    limiter = TelegramRateLimiter(messages_per_second=10, clock=clock, sleep=clock.sleep)
    times = [await send_at(limiter, clock, chat_id) for chat_id in range(1, 5)]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= 0.1 - 1e-9
