"""A topic read out whole and written in whole, for export and import.

Reading lists everything in the order it was recorded, and writing records it in the order
given, so that what is written and read back comes out in the same order."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import (
    DelegationMember,
    Party,
    PartyAlias,
    Post,
    Round,
    RoundParty,
    Source,
    Statement,
    Topic,
    TopicParty,
)
from storage.rounds import add_role_once, party_key, resolve_party, rounds_of_topic
from storage.topic_facts import (
    MemberFact,
    NameClash,
    PartyFact,
    RoundFact,
    SourceFact,
    StatementFact,
    TopicFacts,
    WrittenTopic,
)
from storage.topics import create_topic, topic_by_slug

ROLE_ORDER = ("negotiating", "mediator", "host", "observer")
THIRD_PARTY_ROLES = ("mediator", "host", "observer")


async def read_topic_facts(session: AsyncSession, topic: Topic) -> TopicFacts:
    assert topic.id is not None
    rounds = await rounds_of_topic(session, topic.id)
    names: dict[int, str] = {}
    referenced: list[int] = []
    round_facts = []
    for stored in rounds:
        fact, party_ids = await _round_fact(session, stored, names)
        round_facts.append(fact)
        referenced += party_ids
    roles: dict[int, list[str]] = defaultdict(list)
    for party_id, role in (
        await session.execute(
            select(col(TopicParty.party_id), col(TopicParty.role))
            .where(col(TopicParty.topic_id) == topic.id)
            .order_by(col(TopicParty.id))
        )
    ).all():
        roles[party_id].append(role)
    party_ids = list(dict.fromkeys([*roles, *referenced]))
    parties = {
        p.id: p for p in await session.scalars(select(Party).where(col(Party.id).in_(party_ids)))
    }
    aliases: dict[int, list[str]] = defaultdict(list)
    for alias in await session.scalars(
        select(PartyAlias)
        .where(col(PartyAlias.party_id).in_(party_ids))
        .order_by(col(PartyAlias.id))
    ):
        aliases[alias.party_id].append(alias.alias)
    return TopicFacts(
        slug=topic.slug,
        title=topic.title,
        description=topic.description,
        parties=tuple(
            PartyFact(
                name=parties[p].name,
                kind=parties[p].kind,
                aliases=tuple(aliases[p]),
                roles=tuple(r for r in ROLE_ORDER if r in roles[p]),
            )
            for p in party_ids
        ),
        rounds=tuple(round_facts),
    )


async def _round_fact(
    session: AsyncSession, stored: Round, names: dict[int, str]
) -> tuple[RoundFact, list[int]]:
    assert stored.id is not None
    by_role: dict[str, list[int]] = defaultdict(list)
    for party_id, role in (
        await session.execute(
            select(col(RoundParty.party_id), col(RoundParty.role))
            .where(col(RoundParty.round_id) == stored.id)
            .order_by(col(RoundParty.id))
        )
    ).all():
        by_role[role].append(party_id)
    members = list(
        await session.scalars(
            select(DelegationMember)
            .where(col(DelegationMember.round_id) == stored.id)
            .order_by(col(DelegationMember.id))
        )
    )
    statements = list(
        await session.scalars(
            select(Statement)
            .where(col(Statement.round_id) == stored.id)
            .order_by(col(Statement.id))
        )
    )
    sources = list(
        await session.scalars(
            select(Source).where(col(Source.round_id) == stored.id).order_by(col(Source.id))
        )
    )
    party_ids = [p for role in ROLE_ORDER for p in by_role[role]]
    party_ids += [m.party_id for m in members]
    party_ids += [s.party_id for s in statements if s.party_id is not None]
    await _learn_names(session, names, party_ids)
    source_positions = {source.id: position for position, source in enumerate(sources, 1)}
    fact = RoundFact(
        number=stored.number,
        title=stored.title,
        start_date=stored.start_date,
        end_date=stored.end_date,
        venue=stored.venue,
        city=stored.city,
        country=stored.country,
        status=stored.status,
        parties=tuple(names[p] for p in by_role["negotiating"]),
        mediators=tuple(names[p] for p in by_role["mediator"]),
        hosts=tuple(names[p] for p in by_role["host"]),
        observers=tuple(names[p] for p in by_role["observer"]),
        members=tuple(_grouped_members(members, names)),
        statements=tuple(
            StatementFact(
                kind=s.kind,
                text=s.text,
                party=names[s.party_id] if s.party_id is not None else None,
                person=s.person,
                said_on=s.said_on,
                source=source_positions.get(s.source_id),
            )
            for s in statements
        ),
        outcome_type=stored.outcome_type,
        outcome_text=stored.outcome_text,
        next_meeting=stored.next_meeting,
        summary=await _summary(session, stored),
        sources=tuple(
            SourceFact(publisher=s.publisher, title=s.title, url=s.url, published=s.published)
            for s in sources
        ),
    )
    return fact, party_ids


def _grouped_members(members: list[DelegationMember], names: dict[int, str]) -> list[MemberFact]:
    """By party, parties in the order their first member was recorded: a document lists each
    party's delegation together, and writing it back keeps this order."""
    by_party: dict[int, list[DelegationMember]] = defaultdict(list)
    for member in members:
        by_party[member.party_id].append(member)
    return [
        MemberFact(party=names[party_id], person=m.person, role=m.role, title=m.title)
        for party_id, group in by_party.items()
        for m in group
    ]


async def _summary(session: AsyncSession, stored: Round) -> str | None:
    if stored.summary is not None:
        return stored.summary
    return await session.scalar(
        select(col(Post.summary))
        .where(col(Post.round_id) == stored.id, col(Post.state) == "published")
        .where(col(Post.summary).is_not(None))
        .order_by(col(Post.published_at).desc(), col(Post.id).desc())
    )


async def _learn_names(session: AsyncSession, names: dict[int, str], party_ids: list[int]) -> None:
    missing = {p for p in party_ids if p not in names}
    if missing:
        rows = await session.execute(
            select(col(Party.id), col(Party.name)).where(col(Party.id).in_(missing))
        )
        names.update({int(party_id): name for party_id, name in rows.all() if party_id})


async def name_clashes(session: AsyncSession, parties: tuple[PartyFact, ...]) -> list[NameClash]:
    """Names the document gives one party that the database already gives another: written
    as they are, they would merge two parties or leave an alias pointing elsewhere."""
    clashes = []
    for index, party in enumerate(parties):
        key = party_key(party.name)
        owner = await _alias_owner(session, key)
        if (
            owner is not None
            and owner.name_key != key
            and await session.scalar(select(col(Party.id)).where(col(Party.name_key) == key))
            is None
        ):
            clashes.append(NameClash(index, None, owner.name))
        own = await session.scalar(select(Party).where(col(Party.name_key) == key))
        for alias_index, alias in enumerate(party.aliases):
            alias_key = party_key(alias)
            named = await session.scalar(select(Party).where(col(Party.name_key) == alias_key))
            holder = named or await _alias_owner(session, alias_key)
            if (
                holder is not None
                and holder.name_key != key
                and (own is None or holder.id != own.id)
            ):
                clashes.append(NameClash(index, alias_index, holder.name))
    return clashes


async def _alias_owner(session: AsyncSession, key: str) -> Party | None:
    return await session.scalar(
        select(Party)
        .join(PartyAlias, col(PartyAlias.party_id) == col(Party.id))
        .where(col(PartyAlias.alias_key) == key)
    )


async def write_topic_facts(session: AsyncSession, facts: TopicFacts) -> WrittenTopic:
    """Creates the topic, or merges into it: each round of the document (by number, a
    development by title and start date) is set to exactly what the document says; rounds the
    document leaves out are left as they are; parties, aliases and roles are added."""
    topic = await topic_by_slug(session, facts.slug)
    created = topic is None
    if topic is None:
        topic = await create_topic(session, facts.slug, facts.title, facts.description)
    else:
        topic.title, topic.description = facts.title, facts.description
    assert topic.id is not None
    for party in facts.parties:
        await _write_party(session, topic.id, party)
    existing = await rounds_of_topic(session, topic.id)
    created_ids: list[int] = []
    updated_ids: list[int] = []
    for fact in facts.rounds:
        target = next((r for r in existing if _same_round(r, fact)), None)
        if target is None:
            target = Round(topic_id=topic.id, number=fact.number, title=fact.title)
            session.add(target)
            await session.flush()
            assert target.id is not None
            created_ids.append(target.id)
        else:
            assert target.id is not None
            await _clear_round(session, target.id)
            updated_ids.append(target.id)
        await _write_round(session, topic.id, target, fact)
    await session.flush()
    return WrittenTopic(topic.id, created, tuple(created_ids), tuple(updated_ids))


def _same_round(stored: Round, fact: RoundFact) -> bool:
    if fact.number is not None:
        return stored.number == fact.number
    return stored.number is None and (stored.title, stored.start_date) == (
        fact.title,
        fact.start_date,
    )


async def _write_party(session: AsyncSession, topic_id: int, fact: PartyFact) -> None:
    party = await resolve_party(session, fact.name)
    assert party.id is not None
    if fact.kind is not None:
        party.kind = fact.kind
    for alias in fact.aliases:
        key = party_key(alias)
        taken = await session.scalar(
            select(col(PartyAlias.id)).where(col(PartyAlias.alias_key) == key)
        )
        if key != party.name_key and taken is None:
            session.add(PartyAlias(party_id=party.id, alias=" ".join(alias.split()), alias_key=key))
            await session.flush()
    for role in fact.roles:
        await add_role_once(session, TopicParty, topic_id=topic_id, party_id=party.id, role=role)


async def _clear_round(session: AsyncSession, round_id: int) -> None:
    await session.execute(delete(Statement).where(col(Statement.round_id) == round_id))
    await session.execute(
        delete(DelegationMember).where(col(DelegationMember.round_id) == round_id)
    )
    await session.execute(delete(Source).where(col(Source.round_id) == round_id))
    await session.execute(delete(RoundParty).where(col(RoundParty.round_id) == round_id))


async def _write_round(
    session: AsyncSession, topic_id: int, target: Round, fact: RoundFact
) -> None:
    assert target.id is not None
    for name in (
        "number", "title", "start_date", "end_date", "venue", "city", "country", "status",
        "outcome_type", "outcome_text", "next_meeting", "summary",
    ):  # fmt: skip
        setattr(target, name, getattr(fact, name))
    session.add(target)
    for role, names in (
        ("negotiating", fact.parties), ("mediator", fact.mediators),
        ("host", fact.hosts), ("observer", fact.observers),
    ):  # fmt: skip
        for name in names:
            party = await resolve_party(session, name)
            assert party.id is not None
            await add_role_once(
                session, RoundParty, round_id=target.id, party_id=party.id, role=role
            )
    for member in fact.members:
        party = await resolve_party(session, member.party)
        assert party.id is not None
        session.add(
            DelegationMember(
                round_id=target.id,
                party_id=party.id,
                person=member.person,
                role=member.role,
                title=member.title,
            )
        )
    sources = [
        Source(
            round_id=target.id,
            publisher=s.publisher,
            title=s.title,
            url=s.url,
            published=s.published,
        )
        for s in fact.sources
    ]
    for source in sources:
        session.add(source)
        await session.flush()
    for statement in fact.statements:
        speaker = await resolve_party(session, statement.party) if statement.party else None
        source_id = sources[statement.source - 1].id if statement.source else None
        session.add(
            Statement(
                topic_id=topic_id,
                round_id=target.id,
                party_id=speaker.id if speaker else None,
                person=statement.person,
                kind=statement.kind,
                text=statement.text,
                said_on=statement.said_on,
                source_id=source_id,
            )
        )
        await session.flush()
