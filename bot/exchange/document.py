"""The topic document: what `roundwatch import` reads and `roundwatch export` writes.

The models are the format's only definition: the JSON Schema in `schema/topic.schema.json` is
generated from them, and field lengths are those of the columns they are stored in, so a
document that validates can always be stored whole."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from storage.states import MemberRole, PartyRole, RoundStatus, StatementKind

FORMAT = "roundwatch-topic/1"
_ALLOWED_CONTROLS = frozenset("\n\t")


def _printable(value: str) -> str:
    if any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in _ALLOWED_CONTROLS for ch in value
    ):
        raise ValueError("contains a control character")
    if not value.strip():
        raise ValueError("is blank")
    return value


def _link(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        raise ValueError("not an http(s) link with a host")
    return value


Line32 = Annotated[str, Field(min_length=1, max_length=32), AfterValidator(_printable)]
Line40 = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_printable)]
Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_printable)]
Line200 = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]
Line300 = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_printable)]
Line1000 = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_printable)]
Prose = Annotated[str, Field(min_length=1, max_length=100_000), AfterValidator(_printable)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dates(_Strict):
    start: datetime.date
    end: datetime.date | None = Field(
        default=None, description="last day, for rounds over several days"
    )

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Dates:
        if self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self


class Place(_Strict):
    venue: Line200 | None = None
    city: Name | None = None
    country: Name | None = None

    @model_validator(mode="after")
    def _something_given(self) -> Place:
        if self.venue is None and self.city is None and self.country is None:
            raise ValueError("give at least one of venue, city, country")
        return self


class Outcome(_Strict):
    type: Line40 | None = Field(default=None, description="e.g. ceasefire")
    text: Prose


class Member(_Strict):
    person: Line1000
    role: MemberRole
    title: Line1000 | None = None


class Delegation(_Strict):
    party: Name
    members: list[Member] = Field(min_length=1)


class Source(_Strict):
    publisher: Line300
    title: Line300 | None = None
    url: Annotated[str, Field(max_length=1000), AfterValidator(_link)] | None = None
    published: datetime.date | None = None


class Statement(_Strict):
    kind: StatementKind
    party: Name | None = None
    person: Line1000 | None = None
    text: Prose
    date: datetime.date | None = Field(default=None, description="when it was said")
    source: int | None = Field(
        default=None, ge=1, description="which of the round's sources reported it, from 1"
    )


class Round(_Strict):
    """A numbered round, or without a number a development between rounds."""

    number: int | None = Field(default=None, ge=1, le=10_000)
    title: Line200
    dates: Dates | None = None
    place: Place | None = None
    status: RoundStatus | None = None
    parties: list[Name] = Field(default=[], description="negotiating parties at this round")
    mediators: list[Name] = []
    hosts: list[Name] = []
    observers: list[Name] = []
    delegations: list[Delegation] = []
    statements: list[Statement] = []
    outcome: Outcome | None = None
    next_meeting: Line1000 | None = None
    summary: Prose | None = None
    sources: list[Source] = []


class Party(_Strict):
    name: Name
    kind: Line32 | None = Field(default=None, description="e.g. state, armed group")
    aliases: list[Name] = []
    roles: list[PartyRole] = Field(
        default=[PartyRole.NEGOTIATING],
        description="its roles in the topic; a party listed without roles negotiates",
    )


class TopicDocument(_Strict):
    """One topic with everything recorded about it. Rounds are listed oldest first."""

    format: Literal["roundwatch-topic/1"] = "roundwatch-topic/1"
    slug: Slug
    title: Line200
    description: Prose | None = None
    parties: list[Party] = []
    rounds: list[Round] = []
