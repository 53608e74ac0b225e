"""A lease's local deadline, on a fake clock: never past the database's, and not extended by a
renewal that came after a gap in which the rows may have changed hands."""

from __future__ import annotations

from bot.delivery.held_leases import HeldLeases


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_claimed_row_may_be_sent_until_a_third_of_its_lease_is_left() -> None:
    clock = FakeClock()
    leases = HeldLeases(60.0, clock)
    leases.claimed(["a"], asked_at=clock.now)
    clock.now += 39.9
    assert leases.may_send("a")
    clock.now += 0.2
    assert not leases.may_send("a")


def test_renewals_in_time_keep_a_lease_sendable_for_as_long_as_they_come() -> None:
    clock = FakeClock()
    leases = HeldLeases(60.0, clock)
    leases.claimed(["a"], asked_at=clock.now)
    for _ in range(10):
        clock.now += 20.0
        leases.renewed(["a"], asked_at=clock.now)
        assert leases.may_send("a")


def test_a_renewal_after_the_lease_ran_out_extends_nothing() -> None:
    clock = FakeClock()
    leases = HeldLeases(60.0, clock)
    leases.claimed(["a"], asked_at=clock.now)
    clock.now += 75.0
    leases.renewed(["a"], asked_at=clock.now)
    assert not leases.may_send("a")


def test_the_deadline_counts_from_before_the_claim_was_asked() -> None:
    clock = FakeClock()
    leases = HeldLeases(60.0, clock)
    asked_at = clock.now
    clock.now += 30.0  # a slow claim
    leases.claimed(["a"], asked_at=asked_at)
    clock.now += 10.0
    assert not leases.may_send("a")


def test_a_token_let_go_by_all_its_rows_is_forgotten() -> None:
    clock = FakeClock()
    leases = HeldLeases(60.0, clock)
    leases.claimed(["a", "a"], asked_at=clock.now)
    leases.let_go("a")
    assert leases.tokens() == ["a"] and leases.may_send("a")
    leases.let_go("a")
    assert leases.tokens() == [] and not leases.may_send("a")
    assert not leases.may_send("never claimed")
