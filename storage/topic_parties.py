"""Every topic with its parties, roles and aliases: what an article is matched against."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Party, PartyAlias, Topic, TopicParty


@dataclass(frozen=True)
class TopicPartyRecord:
    name: str
    aliases: tuple[str, ...]
    role: str


@dataclass(frozen=True)
class TopicWithParties:
    slug: str
    title: str
    parties: tuple[TopicPartyRecord, ...]


async def active_topics_with_parties(session: AsyncSession) -> list[TopicWithParties]:
    topics = list(await session.scalars(select(Topic).where(col(Topic.status) == "active")))
    rows = (
        await session.execute(
            select(
                col(TopicParty.topic_id),
                col(TopicParty.role),
                col(TopicParty.party_id),
                col(Party.name),
            )
            .join(Party, col(Party.id) == col(TopicParty.party_id))
            .order_by(col(TopicParty.id))
        )
    ).all()
    aliases: dict[int, list[str]] = defaultdict(list)
    for party_id, alias in (
        await session.execute(
            select(col(PartyAlias.party_id), col(PartyAlias.alias)).order_by(col(PartyAlias.id))
        )
    ).all():
        aliases[party_id].append(alias)
    parties: dict[int, list[TopicPartyRecord]] = defaultdict(list)
    for topic_id, role, party_id, name in rows:
        parties[topic_id].append(TopicPartyRecord(name, tuple(aliases[party_id]), role))
    return [
        TopicWithParties(topic.slug, topic.title, tuple(parties[topic.id or 0])) for topic in topics
    ]
