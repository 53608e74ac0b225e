"""A topic's numbered rounds with their mediators, for the /timeline picture."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Party, RoundParty
from storage.rounds import rounds_of_topic
from storage.states import PartyRole
from storage.views import PlaceView, TimelineRound


async def topic_timeline(session: AsyncSession, topic_id: int) -> list[TimelineRound]:
    """Oldest first, as /history lists them; developments are not rounds and are left out."""
    rounds = [r for r in await rounds_of_topic(session, topic_id) if r.number is not None]
    mediators: dict[int, list[str]] = defaultdict(list)
    if rounds:
        rows = await session.execute(
            select(col(RoundParty.round_id), col(Party.name))
            .join(Party, col(Party.id) == col(RoundParty.party_id))
            .where(
                col(RoundParty.round_id).in_([r.id for r in rounds]),
                col(RoundParty.role) == PartyRole.MEDIATOR.value,
            )
            .order_by(col(RoundParty.id))
        )
        for round_id, name in rows.all():
            mediators[round_id].append(name)
    return [
        TimelineRound(
            number=r.number,
            title=r.title,
            start_date=r.start_date,
            end_date=r.end_date,
            place=PlaceView(city=r.city, country=r.country, venue=r.venue),
            mediators=tuple(mediators[r.id or 0]),
            status=r.status,
            outcome_type=r.outcome_type,
        )
        for r in rounds
        if r.number is not None
    ]
