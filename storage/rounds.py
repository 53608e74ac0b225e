"""Recording a posting card as facts: rounds, parties, delegations, statements, sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.card import CardContext, KnownRound, RoundCard
from storage.models import (
    DelegationMember,
    Party,
    PartyAlias,
    Round,
    RoundParty,
    Source,
    Statement,
    TopicParty,
)


class RoundNotFound(Exception):
    """The card points at a round the topic does not have."""


@dataclass(frozen=True)
class RecordedCard:
    round_id: int
    kind: str  # one of storage.card.POST_KINDS
    is_new: bool


def party_key(name: str) -> str:
    return " ".join(name.split()).casefold()


async def resolve_party(session: AsyncSession, name: str) -> Party:
    """The party by name or alias, created on first mention."""
    key = party_key(name)
    party = await session.scalar(select(Party).where(col(Party.name_key) == key))
    if party is not None:
        return party
    party = await session.scalar(
        select(Party)
        .join(PartyAlias, col(PartyAlias.party_id) == col(Party.id))
        .where(col(PartyAlias.alias_key) == key)
    )
    if party is not None:
        return party
    party = Party(name=" ".join(name.split()), name_key=key)
    session.add(party)
    await session.flush()
    return party


async def rounds_of_topic(session: AsyncSession, topic_id: int) -> list[Round]:
    """Oldest first: by start date, then number, then when it was recorded."""
    rows = await session.scalars(
        select(Round)
        .where(col(Round.topic_id) == topic_id)
        .order_by(
            col(Round.start_date).asc().nulls_last(),
            col(Round.number).asc().nulls_last(),
            col(Round.id),
        )
    )
    return list(rows)


async def find_round(session: AsyncSession, topic_id: int, number: int) -> Round | None:
    return await session.scalar(
        select(Round)
        .where(col(Round.topic_id) == topic_id, col(Round.number) == number)
        .order_by(col(Round.id).desc())
    )


async def card_target(session: AsyncSession, topic_id: int, card: RoundCard) -> Round | None:
    """The stored round a card updates; None when it records a new round or development.

    A card without a `round:` line and without a title updates the latest numbered round; with
    a title and no number it is a development, which is never a round to update.
    """
    if card.number is not None:
        return await find_round(session, topic_id, card.number)
    if card.number_given or card.title is not None:
        return None
    numbered = [r for r in await rounds_of_topic(session, topic_id) if r.number is not None]
    return numbered[-1] if numbered else None


async def record_card(session: AsyncSession, topic_id: int, card: RoundCard) -> RecordedCard:
    target = await card_target(session, topic_id, card)
    is_new = target is None
    if target is None:
        if card.title is None:
            what = f"round {card.number}" if card.number is not None else "a round"
            raise RoundNotFound(
                f"This topic has no {what} yet; add a title: line to record it as a new round."
            )
        target = Round(topic_id=topic_id, number=card.number, title=card.title)
    await record_card_on_round(session, topic_id, target, card)
    assert target.id is not None
    kind = card.kind or _decided_kind(card, target, is_new)
    return RecordedCard(round_id=target.id, kind=kind, is_new=is_new)


async def record_card_on_round(
    session: AsyncSession, topic_id: int, target: Round, card: RoundCard
) -> None:
    """The card's facts on a round chosen by the caller, as a correction of a post does."""
    _apply_round_fields(target, card)
    session.add(target)
    await session.flush()
    assert target.id is not None
    for entry in card.aliases:
        await _add_alias(session, entry.party, entry.alias)
    await _record_roles(session, topic_id, target.id, card)
    await _record_delegation(session, target.id, card)
    source_ids = await _record_sources(session, target.id, card)
    await _record_statements(session, topic_id, target.id, card, source_ids)


async def card_context(session: AsyncSession, topic_id: int) -> CardContext:
    rounds = await rounds_of_topic(session, topic_id)
    party_ids = select(col(TopicParty.party_id)).where(col(TopicParty.topic_id) == topic_id)
    names = await session.execute(
        select(col(Party.name), col(Party.name)).where(col(Party.id).in_(party_ids))
    )
    aliases = await session.execute(
        select(col(PartyAlias.alias), col(Party.name))
        .join(Party, col(Party.id) == col(PartyAlias.party_id))
        .where(col(PartyAlias.party_id).in_(party_ids))
    )
    return CardContext(
        rounds=tuple(KnownRound(r.number, r.title, r.start_date) for r in rounds),
        party_names=tuple(dict.fromkeys([*names.all(), *aliases.all()])),
    )


def _apply_round_fields(target: Round, card: RoundCard) -> None:
    for name in (
        "title", "start_date", "end_date", "venue", "city", "country", "status",
        "outcome_type", "outcome_text", "next_meeting", "summary",
    ):  # fmt: skip
        value = getattr(card, name)
        if value is not None:
            setattr(target, name, value)
    if card.outcome_text is not None and card.outcome_type is None:
        target.outcome_type = None
    if card.city is not None or card.country is not None or card.venue is not None:
        target.venue, target.city, target.country = card.venue, card.city, card.country


async def _add_alias(session: AsyncSession, party_name: str, alias: str) -> None:
    party = await resolve_party(session, party_name)
    assert party.id is not None
    key = party_key(alias)
    if key == party.name_key:
        return
    taken = await session.scalar(select(col(PartyAlias.id)).where(col(PartyAlias.alias_key) == key))
    if taken is None:
        session.add(PartyAlias(party_id=party.id, alias=" ".join(alias.split()), alias_key=key))
        await session.flush()


async def _record_roles(
    session: AsyncSession, topic_id: int, round_id: int, card: RoundCard
) -> None:
    third_parties: set[str] = set()
    for role, names in (("mediator", card.mediators), ("host", card.hosts),
                        ("observer", card.observers)):  # fmt: skip
        for name in names:
            party = await resolve_party(session, name)
            assert party.id is not None
            third_parties.add(party.name_key)
            await add_role_once(
                session, TopicParty, topic_id=topic_id, party_id=party.id, role=role
            )
            await add_role_once(
                session, RoundParty, round_id=round_id, party_id=party.id, role=role
            )
    negotiating = [*card.parties, *(d.party for d in card.delegation)]
    negotiating += [s.party for s in card.statements if s.party]
    for name in negotiating:
        party = await resolve_party(session, name)
        assert party.id is not None
        if party.name_key not in third_parties or name in card.parties:
            role = "negotiating"
            await add_role_once(
                session, TopicParty, topic_id=topic_id, party_id=party.id, role=role
            )
            await add_role_once(
                session, RoundParty, round_id=round_id, party_id=party.id, role=role
            )


async def add_role_once(
    session: AsyncSession, model: type[TopicParty] | type[RoundParty], **key: Any
) -> None:
    """A role is recorded once however many cards repeat it."""
    exists = await session.scalar(
        select(col(model.id)).where(*(getattr(model, name) == value for name, value in key.items()))
    )
    if exists is None:
        session.add(model(**key))
        await session.flush()


async def _record_delegation(session: AsyncSession, round_id: int, card: RoundCard) -> None:
    for entry in card.delegation:
        party = await resolve_party(session, entry.party)
        assert party.id is not None
        existing = await session.scalar(
            select(DelegationMember).where(
                col(DelegationMember.round_id) == round_id,
                col(DelegationMember.party_id) == party.id,
                col(DelegationMember.person) == entry.person,
                col(DelegationMember.role) == entry.role,
            )
        )
        if existing is None:
            session.add(
                DelegationMember(
                    round_id=round_id,
                    party_id=party.id,
                    person=entry.person,
                    role=entry.role,
                    title=entry.title,
                )
            )
        elif entry.title is not None:
            existing.title = entry.title
    await session.flush()


async def _record_sources(session: AsyncSession, round_id: int, card: RoundCard) -> list[int]:
    sources = [
        Source(
            round_id=round_id,
            publisher=entry.publisher,
            title=entry.title,
            url=entry.url,
            published=entry.published,
        )
        for entry in card.sources
    ]
    session.add_all(sources)
    await session.flush()
    return [source.id for source in sources if source.id is not None]


async def _record_statements(
    session: AsyncSession, topic_id: int, round_id: int, card: RoundCard, source_ids: list[int]
) -> None:
    for entry in card.statements:
        party = await resolve_party(session, entry.party) if entry.party else None
        session.add(
            Statement(
                topic_id=topic_id,
                round_id=round_id,
                party_id=party.id if party else None,
                person=entry.person,
                kind=entry.kind,
                text=entry.text,
                said_on=entry.said_on,
                source_id=source_ids[0] if source_ids else None,
            )
        )
    await session.flush()


def _decided_kind(card: RoundCard, target: Round, is_new: bool) -> str:
    if target.number is None:
        return "development"
    if is_new:
        return "new_round"
    if card.outcome_text is not None:
        return "outcome"
    return "round_update"
