"""A whole topic as plain values, the way import and export move it in and out in one piece.

Party names are as stored or as the document spells them; storage resolves them, by name or
alias, when it writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SourceFact:
    publisher: str
    title: str | None = None
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class StatementFact:
    kind: str
    text: str
    party: str | None = None
    person: str | None = None
    said_on: date | None = None
    source: int | None = None  # position in the round's sources, from 1


@dataclass(frozen=True)
class MemberFact:
    party: str
    person: str
    role: str
    title: str | None = None


@dataclass(frozen=True)
class RoundFact:
    number: int | None
    title: str
    start_date: date | None = None
    end_date: date | None = None
    venue: str | None = None
    city: str | None = None
    country: str | None = None
    status: str | None = None
    parties: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    observers: tuple[str, ...] = ()
    members: tuple[MemberFact, ...] = ()
    statements: tuple[StatementFact, ...] = ()
    outcome_type: str | None = None
    outcome_text: str | None = None
    next_meeting: str | None = None
    summary: str | None = None
    sources: tuple[SourceFact, ...] = ()


@dataclass(frozen=True)
class PartyFact:
    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicFacts:
    slug: str
    title: str
    description: str | None = None
    parties: tuple[PartyFact, ...] = ()
    rounds: tuple[RoundFact, ...] = ()


@dataclass(frozen=True)
class NameClash:
    """A name or alias in the document that the database already gives to another party."""

    party_index: int
    alias_index: int | None  # None: the party's own name
    owner: str


@dataclass(frozen=True)
class WrittenTopic:
    topic_id: int
    created: bool
    created_round_ids: tuple[int, ...]
    updated_round_ids: tuple[int, ...]
