"""The shared send pace on PostgreSQL: slots handed out in batches, one statement each.

The row holds the next free slot. Taking `count` slots moves it on by `count` intervals from
whichever is latest of itself, the end of a 429 pause and now plus the taker's `lead` (the time
its answer takes to reach it), so slots never pile up while nobody sends, never fall inside a
pause, and are not already past when they arrive. Every time is the database's clock
(`clock_timestamp()`, not the transaction's start), given as seconds since the epoch together
with that clock's reading in the same statement, so that each worker can place the slots on
its own clock and workers' clocks never need to agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_TAKE = text(
    """
    INSERT INTO send_budget AS budget (name, next_slot_at, paused_until)
    VALUES (
        :name, clock_timestamp() + make_interval(secs => CAST(:lead AS float8) + :span),
        clock_timestamp()
    )
    ON CONFLICT (name) DO UPDATE SET next_slot_at = GREATEST(
        budget.next_slot_at, budget.paused_until,
        clock_timestamp() + make_interval(secs => CAST(:lead AS float8))
    ) + make_interval(secs => :span)
    RETURNING
        EXTRACT(EPOCH FROM budget.next_slot_at) - :span AS first_at,
        EXTRACT(EPOCH FROM clock_timestamp()) AS clock_at,
        EXTRACT(EPOCH FROM budget.paused_until) AS paused_until
    """
)
_PAUSE = text(
    """
    INSERT INTO send_budget AS budget (name, next_slot_at, paused_until)
    VALUES (:name, clock_timestamp(), clock_timestamp() + make_interval(secs => :seconds))
    ON CONFLICT (name) DO UPDATE SET paused_until =
        GREATEST(budget.paused_until, clock_timestamp() + make_interval(secs => :seconds))
    """
)


@dataclass(frozen=True)
class TakenSlots:
    """On the database's clock, in seconds since the epoch: the first slot taken, the clock
    when they were taken, and the end of the last pause (past when none holds)."""

    first_at: float
    clock_at: float
    paused_until: float


async def take_send_slots(
    connection: AsyncConnection, name: str, count: int, interval: float, lead: float
) -> TakenSlots:
    parameters = {"name": name, "span": count * interval, "lead": lead}
    row = (await connection.execute(_TAKE, parameters)).one()
    return TakenSlots(float(row.first_at), float(row.clock_at), float(row.paused_until))


async def pause_sending(connection: AsyncConnection, name: str, seconds: float) -> None:
    await connection.execute(_PAUSE, {"name": name, "seconds": seconds})


_READ_PAUSE = text(
    "SELECT EXTRACT(EPOCH FROM paused_until) AS paused_until FROM send_budget WHERE name = :name"
)


async def read_send_pause(connection: AsyncConnection, name: str) -> float | None:
    """The end of the last pause on the database's clock, or None before any slot is taken."""
    value = await connection.scalar(_READ_PAUSE, {"name": name})
    return None if value is None else float(value)
