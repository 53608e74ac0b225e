"""The shared send pace on PostgreSQL: slots handed out in batches, one statement each.

The row holds the next free slot. Taking `count` slots moves it on by `count` intervals from
whichever is latest of itself, the end of a 429 pause and now, so slots never pile up while
nobody sends and never fall inside a pause. Every time is the database's clock
(`clock_timestamp()`, not the transaction's start), and the caller is told how far from that
clock its slots start, so workers' clocks never need to agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_TAKE = text(
    """
    INSERT INTO send_budget AS budget (name, next_slot_at, paused_until)
    VALUES (:name, clock_timestamp() + make_interval(secs => :span), clock_timestamp())
    ON CONFLICT (name) DO UPDATE SET next_slot_at =
        GREATEST(budget.next_slot_at, budget.paused_until, clock_timestamp())
        + make_interval(secs => :span)
    RETURNING
        EXTRACT(EPOCH FROM budget.next_slot_at - clock_timestamp()) - :span AS starts_in,
        GREATEST(0, EXTRACT(EPOCH FROM budget.paused_until - clock_timestamp())) AS paused_for
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
    """Seconds from the database's now to the first slot, and to the end of any pause."""

    starts_in: float
    paused_for: float


async def take_send_slots(
    connection: AsyncConnection, name: str, count: int, interval: float
) -> TakenSlots:
    row = (await connection.execute(_TAKE, {"name": name, "span": count * interval})).one()
    return TakenSlots(float(row.starts_in), float(row.paused_for))


async def pause_sending(connection: AsyncConnection, name: str, seconds: float) -> None:
    await connection.execute(_PAUSE, {"name": name, "seconds": seconds})
