"""Reading rounds and parties back as the plain views the renderers take."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
from storage.rounds import rounds_of_topic
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
    rounds = await rounds_of_topic(session, topic_id)
    return rounds[-1] if rounds else None


async def topic_history(session: AsyncSession, topic_id: int) -> list[RoundBrief]:
    return [round_brief(r) for r in await rounds_of_topic(session, topic_id)]


async def _aliases(session: AsyncSession, party_ids: set[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    if party_ids:
        rows = await session.execute(
            select(PartyAlias.party_id, PartyAlias.alias)
            .where(PartyAlias.party_id.in_(party_ids))
            .order_by(PartyAlias.id)
        )
        for party_id, alias in rows.all():
            found[party_id].append(alias)
    return {key: tuple(value) for key, value in found.items()}


async def _members(session: AsyncSession, round_id: int) -> dict[int, list[MemberView]]:
    rows = await session.scalars(
        select(DelegationMember)
        .where(DelegationMember.round_id == round_id)
        .order_by(DelegationMember.id)
    )
    members: dict[int, list[MemberView]] = defaultdict(list)
    for row in sorted(rows, key=lambda m: MEMBER_ORDER.get(m.role, 9)):
        members[row.party_id].append(MemberView(role=row.role, person=row.person, title=row.title))
    return members


async def _statements(
    session: AsyncSession, party_names: dict[int, str], **where: int
) -> dict[int | None, list[StatementView]]:
    query = select(Statement).order_by(Statement.id)
    for column, value in where.items():
        query = query.where(getattr(Statement, column) == value)
    grouped: dict[int | None, list[StatementView]] = defaultdict(list)
    for row in await session.scalars(query):
        grouped[row.party_id].append(
            StatementView(
                kind=row.kind,
                party=party_names.get(row.party_id) if row.party_id else None,
                person=row.person,
                text=row.text,
                said_on=row.said_on,
            )
        )
    return grouped


async def _party_names(session: AsyncSession, party_ids: set[int]) -> dict[int, str]:
    if not party_ids:
        return {}
    rows = await session.execute(select(Party.id, Party.name).where(Party.id.in_(party_ids)))
    return dict(rows.all())


async def round_view(
    session: AsyncSession, topic: Topic, target: Round, *, summary: str | None = None
) -> RoundView:
    """The whole round; `summary` overrides the last published summary (for previews)."""
    assert target.id is not None
    role_rows = (
        await session.execute(
            select(RoundParty.party_id, RoundParty.role)
            .where(RoundParty.round_id == target.id)
            .order_by(RoundParty.id)
        )
    ).all()
    members = await _members(session, target.id)
    statement_rows = await session.scalars(
        select(Statement.party_id).where(Statement.round_id == target.id)
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
    rounds = await rounds_of_topic(session, topic.id or 0)
    position = next(i for i, r in enumerate(rounds) if r.id == target.id)
    sources = await session.scalars(
        select(Source).where(Source.round_id == target.id).order_by(Source.id)
    )
    if summary is None:
        summary = await session.scalar(
            select(Post.summary)
            .where(Post.round_id == target.id, Post.state == "published")
            .where(Post.summary.is_not(None))
            .order_by(Post.published_at.desc(), Post.id.desc())
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
        previous=round_brief(rounds[position - 1]) if position > 0 else None,
        sources=tuple(
            SourceView(publisher=s.publisher, title=s.title, url=s.url, published=s.published)
            for s in sources
        ),
        summary=summary,
        other_statements=tuple(loose),
    )


async def topic_parties(
    session: AsyncSession, topic: Topic, latest: Round | None
) -> list[PartyView]:
    """Every party of the topic with its roles; delegations from the latest round,
    statements from the whole topic."""
    assert topic.id is not None
    role_rows = (
        await session.execute(
            select(TopicParty.party_id, TopicParty.role)
            .where(TopicParty.topic_id == topic.id)
            .order_by(TopicParty.id)
        )
    ).all()
    roles: dict[int, list[str]] = defaultdict(list)
    for party_id, role in role_rows:
        roles[party_id].append(role)
    names = await _party_names(session, set(roles))
    aliases = await _aliases(session, set(roles))
    members = await _members(session, latest.id) if latest and latest.id else {}
    statements = await _statements(session, names, topic_id=topic.id)
    return [
        PartyView(
            name=names[p],
            aliases=aliases.get(p, ()),
            roles=tuple(sorted(roles[p], key=ROLE_ORDER.index)),
            members=tuple(members.get(p, ())),
            statements=tuple(statements.get(p, ())),
        )
        for p in roles
    ]
