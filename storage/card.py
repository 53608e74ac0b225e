"""The posting card: what an admin types after `/post <slug>`, as plain data.

Kept free of storage and Telegram so it can be parsed and validated on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from storage.states import MemberRole, RoundStatus, StatementKind

ROUND_STATUSES = tuple(RoundStatus)
MEMBER_ROLES = tuple(MemberRole)
STATEMENT_KINDS = tuple(StatementKind)
POST_KINDS = ("new_round", "round_update", "development", "outcome", "correction")


@dataclass(frozen=True)
class CardProblem:
    """`message` is the English text; `template` (English with `{name}` places) and `values`
    (text quoted as typed, or figures) let it be written in the admin's language around the
    values. A problem without a template is shown as `message`; two problems are the same
    when they say the same on the same line."""

    line: int
    message: str
    template: str = field(default="", compare=False)
    values: tuple[tuple[str, str | int], ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, line: int, template: str, **values: str | int) -> CardProblem:
        message = template.format(**values) if values else template
        return cls(line, message, template, tuple(values.items()))


class CardError(Exception):
    """Every problem found in a card, so the admin can fix them all in one go."""

    def __init__(self, problems: list[CardProblem]) -> None:
        problems = sorted(problems, key=lambda problem: problem.line)
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class DelegationEntry:
    role: str  # one of MEMBER_ROLES
    party: str
    person: str
    title: str | None
    line: int


@dataclass(frozen=True)
class StatementEntry:
    kind: str  # one of STATEMENT_KINDS
    party: str | None
    person: str | None
    text: str
    line: int
    said_on: date | None = None


@dataclass(frozen=True)
class SourceEntry:
    publisher: str
    title: str | None
    url: str | None
    published: date | None
    line: int


@dataclass(frozen=True)
class AliasEntry:
    party: str
    alias: str
    line: int


@dataclass
class RoundCard:
    """A parsed card. Fields left as None were not given (a round update keeps the old value)."""

    number: int | None = None
    number_given: bool = False
    title: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    venue: str | None = None
    city: str | None = None
    country: str | None = None
    status: str | None = None
    parties: list[str] = field(default_factory=list)
    mediators: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)
    delegation: list[DelegationEntry] = field(default_factory=list)
    statements: list[StatementEntry] = field(default_factory=list)
    aliases: list[AliasEntry] = field(default_factory=list)
    outcome_type: str | None = None
    outcome_text: str | None = None
    next_meeting: str | None = None
    sources: list[SourceEntry] = field(default_factory=list)
    summary: str | None = None
    kind: str | None = None  # the admin's override of the kind the data decides; POST_KINDS
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)  # first use of a key

    def line_of(self, key: str) -> int:
        """Where a semantic problem about `key` is reported: its line, else the command line."""
        return self.key_lines.get(key, 1)

    def party_names(self) -> list[str]:
        """Every party the card mentions, first spelling wins, compared case-insensitively."""
        seen: dict[str, str] = {}
        names = [*self.parties, *self.mediators, *self.hosts, *self.observers]
        names += [d.party for d in self.delegation]
        names += [s.party for s in self.statements if s.party]
        names += [a.party for a in self.aliases]
        for name in names:
            seen.setdefault(name.casefold(), name)
        return list(seen.values())


@dataclass(frozen=True)
class KnownRound:
    number: int | None
    title: str
    start_date: date | None


@dataclass(frozen=True)
class CardContext:
    """What a card is checked against before its preview: the topic as stored."""

    rounds: tuple[KnownRound, ...] = ()  # oldest first; developments have no number
    party_names: tuple[tuple[str, str], ...] = ()  # (name or alias, the party's name)

    def round_numbered(self, number: int) -> KnownRound | None:
        return next((known for known in self.rounds if known.number == number), None)

    def highest_number(self) -> int | None:
        return max(
            (known.number for known in self.rounds if known.number is not None), default=None
        )
