"""Demands, positions and announcements, each with who made it.

A statement is kept only when the sentence says whose it is: a person found at the table, a
party named before the verb, or "he"/"she" right after a sentence naming a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.intake.delegations import Person
from bot.intake.known_topics import PartyNames

MAX_STATEMENT_CHARS = 300
_TRIGGERS = [
    ("demand", r"\bdemands?\b[^.;]{0,60}?\b(?:is|are|was|were|include[sd]?)\s+"),
    ("demand", r"\b(?:demanded|demanding|demands)\s+(?:that\s+)?"),
    ("demand", r"\bcall(?:s|ed|ing)?\s+for\s+"),
    ("demand", r"\burg(?:es|ed|ing)\s+"),
    ("demand", r"\binsist(?:s|ed|ing)?\s+(?:on|that)\s+"),
    ("demand", r"\b(?:seeks|sought|is\s+seeking|are\s+seeking|wants|wanted)\s+"),
    ("demand", r"\bpress(?:es|ed|ing)\s+for\s+"),
    ("position", r"\b(?:rejects|rejected|opposes|opposed|ruled\s+out|rules\s+out)\s+"),
    ("position", r"\b(?:refuses|refused)\s+(?:to\s+)?"),
    ("position", r"\b(?:is|are|was|were)\s+(?:ready|willing|prepared|open)\s+to\s+"),
    ("position", r"\bposition\s+(?:is|was|remains)\s+(?:that\s+)?"),
    ("position", r"\b(?:maintains|maintained|reiterated|stressed)\s+that\s+"),
    ("announcement", r"\b(?:announced|announces)\s+(?:that\s+)?"),
    ("announcement", r"\b(?:confirmed|confirms)\s+(?:that\s+)?"),
]
_PRONOUN = re.compile(r"^(?:He|She)\b")
_SPEAKER_WORDS = re.compile(r"\b(?:said|says|told|stated|added|according\s+to)\b")


@dataclass(frozen=True)
class Statement:
    kind: str
    party: str | None
    person: str | None
    text: str


def find_statements(
    sentences: list[str], parties: PartyNames, people: list[Person]
) -> list[Statement]:
    found: list[Statement] = []
    last_person: Person | None = None
    for sentence in sentences:
        statement = _statement(sentence, parties, people, last_person)
        if statement is not None and all(s.text != statement.text for s in found):
            found.append(statement)
        named = [p for p in people if p.name in sentence]
        if named:
            last_person = named[0]
        elif not _PRONOUN.match(sentence):
            last_person = None
    return found


def _statement(
    sentence: str, parties: PartyNames, people: list[Person], last_person: Person | None
) -> Statement | None:
    for kind, trigger in _TRIGGERS:
        match = re.search(trigger, sentence)
        if match is None:
            continue
        before = sentence[: match.start()]
        person = next((p for p in people if p.name in before), None)
        if person is None and _PRONOUN.match(sentence):
            person = last_person
        mentions = parties.mentions(before)
        party = person.party if person and person.party else None
        if party is None and mentions:
            party = mentions[-1].party if not _SPEAKER_WORDS.search(before) else mentions[0].party
        if party is None and person is None:
            return None
        text = _clause(sentence[match.end() :])
        if len(text) < 12:
            continue
        return Statement(kind, party, person.name if person else None, text)
    return None


def _clause(text: str) -> str:
    text = re.sub(r"^(?:that|to)\s+", "", text.strip())
    text = text.rstrip(" .")
    if len(text) > MAX_STATEMENT_CHARS:
        text = text[:MAX_STATEMENT_CHARS].rsplit(" ", 1)[0] + "…"
    return text
