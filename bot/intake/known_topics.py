"""The topics an article may belong to, and the spellings by which each party is recognised."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bot.intake.gazetteer import DEMONYMS, ORGANISATION_ACRONYMS, country_named

# Dropping one of these from "Taliban administration" leaves the name people actually write.
GENERIC_WORDS = frozenset({
    "administration", "government", "authorities", "authority", "movement", "forces", "side",
    "delegation", "regime", "leadership", "officials", "republic", "state",
})  # fmt: skip


@dataclass(frozen=True)
class KnownParty:
    name: str
    aliases: tuple[str, ...] = ()
    role: str = "negotiating"


@dataclass(frozen=True)
class KnownTopic:
    slug: str
    title: str
    parties: tuple[KnownParty, ...] = ()


@dataclass(frozen=True)
class PartyMention:
    party: str
    start: int
    end: int


@dataclass
class PartyNames:
    """Canonical party names and every spelling that points at one of them."""

    spellings: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, aliases: tuple[str, ...] = ()) -> None:
        for spelling in (name, *aliases):
            self._add_spelling(spelling, name)
            short = " ".join(w for w in spelling.split() if w.casefold() not in GENERIC_WORDS)
            if short and short != spelling and len(short) > 3:
                self._add_spelling(short, name)
            acronym = re.search(r"\(([A-Z][A-Za-z-]{0,10}[A-Z])\)", spelling)
            if acronym is not None:
                self._add_spelling(acronym.group(1), name)
                self._add_spelling(spelling[: acronym.start()].strip(), name)
            for acronym_, full in ORGANISATION_ACRONYMS.items():
                if full == spelling:
                    self._add_spelling(acronym_, name)
            initials = "".join(w[0] for w in spelling.split() if w[0].isupper())
            if len(initials) >= 3 and initials == "".join(w[0] for w in spelling.split()).upper():
                self._add_spelling(initials, name)
            country = country_named(spelling)
            if country is not None:
                self._add_spelling(country, name)
                for demonym, demonym_country in DEMONYMS.items():
                    if demonym_country == country:
                        self._add_spelling(demonym, name)
        self.__dict__.pop("_pattern", None)

    def canonical(self, spelling: str) -> str | None:
        return self.spellings.get(spelling.casefold())

    def names(self) -> list[str]:
        return list(dict.fromkeys(self.spellings.values()))

    def mentions(self, text: str) -> list[PartyMention]:
        if not self.spellings:
            return []
        return [
            PartyMention(self.spellings[m.group(0).casefold()], m.start(), m.end())
            for m in self._pattern.finditer(text)
        ]

    def _add_spelling(self, spelling: str, name: str) -> None:
        self.spellings.setdefault(spelling.casefold(), name)

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        spellings = sorted(self.spellings, key=len, reverse=True)
        return re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in spellings) + r")(?![\w-])",
            re.IGNORECASE,
        )


def match_topics(text: str, topics: tuple[KnownTopic, ...]) -> tuple[KnownTopic, ...]:
    """The topics whose negotiating parties the article names most: at least two of them, or
    the only one a topic has; several when they tie."""
    scored: list[tuple[int, KnownTopic]] = []
    for topic in topics:
        negotiating = [p for p in topic.parties if p.role == "negotiating"]
        if not negotiating:
            continue
        names = PartyNames()
        for party in negotiating:
            names.add(party.name, party.aliases)
        named = {mention.party for mention in names.mentions(text)}
        if len(named) >= min(2, len(negotiating)):
            scored.append((len(named), topic))
    if not scored:
        return ()
    best = max(score for score, _ in scored)
    return tuple(topic for score, topic in scored if score == best)
