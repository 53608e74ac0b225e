"""Reading rounds and parties back as the plain views the renderers take."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import cast

from sqlalchemy import select
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
from storage.rounds import party_key, rounds_of_topic
from storage.views import (
    MemberView,
    PartyView,
    PlaceView,
    RoundBrief,
    RoundView,
    SourceView,
    StatementView,
)

ROLE_ORDER = ("negotiating", "mediator", "host", "observer")
MEMBER_ORDER = {"head": 0, "member": 1, "spokesperson": 2}
STATEMENTS_PER_PARTY = 3


def round_brief(target: Round) -> RoundBrief:
    return RoundBrief(
        number=target.number,
        title=target.title,
        start_date=target.start_date,
        end_date=target.end_date,
        place=PlaceView(city=target.city, country=target.country, venue=target.venue),
        status=target.status,
        outcome_type=target.outcome_type,
        outcome_text=target.outcome_text,
    )


async def latest_round(session: AsyncSession, topic_id: int) -> Round | None:
    """The latest numbered round; developments are not rounds."""
    numbered = [r for r in await rounds_of_topic(session, topic_id) if r.number is not None]
    return numbered[-1] if numbered else None


async def latest_development(session: AsyncSession, topic_id: int) -> Round | None:
    """The latest development, only when it came after the latest round."""
    entries = await rounds_of_topic(session, topic_id)
    if not entries or entries[-1].number is not None:
        return None
    return entries[-1]


async def previous_round(session: AsyncSession, target: Round) -> Round | None:
    """The numbered round before this one; a development has none, being no round."""
    if target.number is None:
        return None
    numbered = [r for r in await rounds_of_topic(session, target.topic_id) if r.number is not None]
    position = next(i for i, r in enumerate(numbered) if r.id == target.id)
    return numbered[position - 1] if position > 0 else None


async def topic_history(session: AsyncSession, topic_id: int) -> list[RoundBrief]:
    return [round_brief(r) for r in await rounds_of_topic(session, topic_id)]


async def _aliases(session: AsyncSession, party_ids: set[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    if party_ids:
        rows = await session.execute(
            select(col(PartyAlias.party_id), col(PartyAlias.alias))
            .where(col(PartyAlias.party_id).in_(party_ids))
            .order_by(col(PartyAlias.id))
        )
        for party_id, alias in rows.all():
            found[party_id].append(alias)
    return {key: tuple(value) for key, value in found.items()}


async def _members(session: AsyncSession, round_id: int) -> dict[int, list[MemberView]]:
    rows = await session.scalars(
        select(DelegationMember)
        .where(col(DelegationMember.round_id) == round_id)
        .order_by(col(DelegationMember.id))
    )
    members: dict[int, list[MemberView]] = defaultdict(list)
    for row in sorted(rows, key=lambda m: MEMBER_ORDER.get(m.role, 9)):
        members[row.party_id].append(MemberView(role=row.role, person=row.person, title=row.title))
    return members


async def _statements(
    session: AsyncSession, party_names: dict[int, str], *, newest_first: bool = False, **where: int
) -> dict[int | None, list[StatementView]]:
    order = col(Statement.id).desc() if newest_first else col(Statement.id)
    query = (
        select(Statement, col(Round.number), col(Round.title))
        .outerjoin(Round, col(Round.id) == col(Statement.round_id))
        .order_by(order)
    )
    for column, value in where.items():
        query = query.where(getattr(Statement, column) == value)
    grouped: dict[int | None, list[StatementView]] = defaultdict(list)
    for row, round_number, round_title in (await session.execute(query)).all():
        grouped[row.party_id].append(
            StatementView(
                kind=row.kind,
                party=party_names.get(row.party_id) if row.party_id else None,
                person=row.person,
                text=row.text,
                said_on=row.said_on,
                round_number=round_number,
                round_title=round_title,
            )
        )
    return grouped


async def _party_names(session: AsyncSession, party_ids: set[int]) -> dict[int, str]:
    if not party_ids:
        return {}
    rows = await session.execute(
        select(col(Party.id), col(Party.name)).where(col(Party.id).in_(party_ids))
    )
    return dict(cast("Sequence[tuple[int, str]]", rows.all()))


async def round_view(
    session: AsyncSession, topic: Topic, target: Round, *, summary: str | None = None
) -> RoundView:
    """The whole round; `summary` overrides the last published summary (for previews)."""
    assert target.id is not None
    role_rows = (
        await session.execute(
            select(col(RoundParty.party_id), col(RoundParty.role))
            .where(col(RoundParty.round_id) == target.id)
            .order_by(col(RoundParty.id))
        )
    ).all()
    members = await _members(session, target.id)
    statement_rows = await session.scalars(
        select(col(Statement.party_id)).where(col(Statement.round_id) == target.id)
    )
    party_ids = {p for p, _ in role_rows} | set(members) | {p for p in statement_rows if p}
    names = await _party_names(session, party_ids)
    aliases = await _aliases(session, party_ids)
    statements = await _statements(session, names, round_id=target.id)
    by_role: dict[str, list[int]] = defaultdict(list)
    for party_id, role in role_rows:
        by_role[role].append(party_id)
    third = set(by_role["mediator"]) | set(by_role["host"]) | set(by_role["observer"])
    negotiating = list(dict.fromkeys(by_role["negotiating"]))
    negotiating += [
        p for p in [*members, *statements] if p and p not in negotiating and p not in third
    ]
    parties = tuple(
        PartyView(
            name=names[p],
            aliases=aliases.get(p, ()),
            roles=("negotiating",),
            members=tuple(members.get(p, ())),
            statements=tuple(statements.get(p, ())),
        )
        for p in negotiating
    )
    loose = [s for p, items in statements.items() if p is None or p in third for s in items]
    before = await previous_round(session, target)
    sources = await session.scalars(
        select(Source).where(col(Source.round_id) == target.id).order_by(col(Source.id))
    )
    if summary is None:
        summary = target.summary
    if summary is None:
        summary = await session.scalar(
            select(col(Post.summary))
            .where(col(Post.round_id) == target.id, col(Post.state) == "published")
            .where(col(Post.summary).is_not(None))
            .order_by(col(Post.published_at).desc(), col(Post.id).desc())
        )
    return RoundView(
        topic_slug=topic.slug,
        topic_title=topic.title,
        number=target.number,
        title=target.title,
        start_date=target.start_date,
        end_date=target.end_date,
        place=PlaceView(city=target.city, country=target.country, venue=target.venue),
        status=target.status,
        mediators=tuple(names[p] for p in by_role["mediator"]),
        hosts=tuple(names[p] for p in by_role["host"]),
        observers=tuple(names[p] for p in by_role["observer"]),
        parties=parties,
        outcome_type=target.outcome_type,
        outcome_text=target.outcome_text,
        next_meeting=target.next_meeting,
        previous=round_brief(before) if before is not None else None,
        sources=tuple(
            SourceView(publisher=s.publisher, title=s.title, url=s.url, published=s.published)
            for s in sources
        ),
        summary=summary,
        other_statements=tuple(loose),
    )


async def topic_parties(session: AsyncSession, topic: Topic) -> list[PartyView]:
    """Every party of the topic with its roles, its delegation in the latest round it attended
    and its latest statements: what a reader needs to place a name, not the whole record."""
    assert topic.id is not None
    role_rows = (
        await session.execute(
            select(col(TopicParty.party_id), col(TopicParty.role))
            .where(col(TopicParty.topic_id) == topic.id)
            .order_by(col(TopicParty.id))
        )
    ).all()
    roles: dict[int, list[str]] = defaultdict(list)
    for party_id, role in role_rows:
        roles[party_id].append(role)
    names = await _party_names(session, set(roles))
    aliases = await _aliases(session, set(roles))
    delegations = await _latest_delegations(session, topic.id)
    statements = await _statements(session, names, newest_first=True, topic_id=topic.id)
    return [
        PartyView(
            name=names[p],
            aliases=aliases.get(p, ()),
            roles=tuple(sorted(roles[p], key=ROLE_ORDER.index)),
            members=tuple(delegations[p][1]) if p in delegations else (),
            members_round=delegations[p][0] if p in delegations else None,
            statements=tuple(statements.get(p, ())[:STATEMENTS_PER_PARTY]),
            more_statements=max(len(statements.get(p, ())) - STATEMENTS_PER_PARTY, 0),
        )
        for p in roles
    ]


async def party_statements(
    session: AsyncSession, topic: Topic, name: str
) -> tuple[str, list[StatementView]] | None:
    """The party (by name or alias, as the reader typed it) and everything it said in the
    topic, newest first; None when the topic has no such party."""
    assert topic.id is not None
    key = party_key(name)
    party = await session.scalar(
        select(Party)
        .outerjoin(PartyAlias, col(PartyAlias.party_id) == col(Party.id))
        .join(TopicParty, col(TopicParty.party_id) == col(Party.id))
        .where(col(TopicParty.topic_id) == topic.id)
        .where((col(Party.name_key) == key) | (col(PartyAlias.alias_key) == key))
    )
    if party is None or party.id is None:
        return None
    said = await _statements(
        session, {party.id: party.name}, newest_first=True, topic_id=topic.id, party_id=party.id
    )
    return party.name, said.get(party.id, [])


async def _latest_delegations(
    session: AsyncSession, topic_id: int
) -> dict[int, tuple[int | None, list[MemberView]]]:
    """Per party, the latest numbered round it sent a delegation to, and that delegation."""
    found: dict[int, tuple[int | None, list[MemberView]]] = {}
    for entry in reversed(await rounds_of_topic(session, topic_id)):
        if entry.number is None or entry.id is None:
            continue
        for party_id, members in (await _members(session, entry.id)).items():
            found.setdefault(party_id, (entry.number, members))
    return found
