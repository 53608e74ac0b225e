"""What the renderers need to know, as plain immutable values built from storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MemberView:
    role: str  # head | member | spokesperson
    person: str
    title: str | None = None


@dataclass(frozen=True)
class StatementView:
    kind: str  # demand | position | claim | announcement
    party: str | None
    person: str | None
    text: str
    said_on: date | None = None
    round_number: int | None = None  # None: said outside a numbered round
    round_title: str | None = None


@dataclass(frozen=True)
class SourceView:
    publisher: str
    title: str | None = None
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class PartyView:
    """A party as seen in one round (members, statements) or in a whole topic (roles)."""

    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # negotiating | mediator | host | observer
    members: tuple[MemberView, ...] = ()
    statements: tuple[StatementView, ...] = ()
    members_round: int | None = None  # the round the members are from, when not the one shown
    more_statements: int = 0  # recorded but left out for length


@dataclass(frozen=True)
class PlaceView:
    city: str | None = None
    country: str | None = None
    venue: str | None = None


@dataclass(frozen=True)
class RoundBrief:
    """Enough of a round to mention it in one line (history, "previous round").

    A brief without a number is a development: an event between rounds, never called one.
    """

    number: int | None
    title: str
    start_date: date | None
    end_date: date | None
    place: PlaceView
    status: str | None
    outcome_type: str | None
    outcome_text: str | None


@dataclass(frozen=True)
class RoundView:
    """A round, or with no number a development (which has a status only when one was given)."""

    topic_slug: str
    topic_title: str
    number: int | None
    title: str
    start_date: date | None
    end_date: date | None
    place: PlaceView
    status: str | None
    mediators: tuple[str, ...]
    hosts: tuple[str, ...]
    observers: tuple[str, ...]
    parties: tuple[PartyView, ...]  # negotiating parties, with this round's members and statements
    outcome_type: str | None
    outcome_text: str | None
    next_meeting: str | None
    previous: RoundBrief | None
    sources: tuple[SourceView, ...]
    summary: str | None
    other_statements: tuple[StatementView, ...] = ()  # by mediators, hosts or nobody named


@dataclass(frozen=True)
class TopicView:
    slug: str
    title: str
    description: str | None
    status: str
    subscribers: int = 0
    rounds: int = 0
    developments: int = 0


@dataclass(frozen=True)
class TimelineRound:
    """A numbered round as the /timeline picture draws it: where, who mediated, what came of it."""

    number: int
    title: str
    start_date: date | None
    end_date: date | None
    place: PlaceView
    mediators: tuple[str, ...]
    status: str | None
    outcome_type: str | None
