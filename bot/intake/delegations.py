"""Who sits at the table: delegation heads, members and spokespersons, with titles and sides.

A person's side is the party named in their title ("spokesperson for Pakistan's Ministry of
Foreign Affairs"), else the one nearest before the mention in the sentence ("On the Taliban
side, … a delegation led by …"), else the last one named in the sentence before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.intake.gazetteer import country_named, country_of_demonym
from bot.intake.known_topics import PartyMention, PartyNames
from bot.intake.names import (
    NOT_NAMES,
    PERSON,
    TITLED_PERSON,
    UPPER,
    is_person_name,
    looks_like_title,
    split_person_and_title,
)

_TITLE_TAIL = (
    r"(?:,\s+(?!while\b|whereas\b|but\b|and\b|as\b|with\b|who\b|which\b)"
    r"(?P<title>(?:the\s+|a\s+|an\s+|his\s+|her\s+)?[^,.;()]{3,120}?)"
    r"(?=,|\.\s|\.$|;|\s+(?:who|which|traveled|travelled|arrived|said|told|will|is|was|has|"
    r"had|led|heads|leads|on|in|at)\b|$))?"
)
# "deputy foreign minister X", and also "intelligence chief X", "army commander X".
_LOWER_TITLE = (
    r"(?P<pre>(?:[a-z-]+\s+){0,2}(?:chief|commander|leader|head)\s+(?=[A-Z])|"
    r"(?:(?:acting|former|interim|deputy|senior|chief|veteran|special|foreign|prime|vice)"
    r"\s+)*(?:(?:minister|envoy|secretary|president|ambassador|negotiator|adviser|advisor)\s+)?)"
)
_TEAM = r"(?:delegations?|team|negotiators|side|mission|panel)"
_HEADS = [
    re.compile(_TEAM + r"(?:[^.;]{0,40}?)\b(?:led|headed|chaired)\s+by\s+" + _LOWER_TITLE
               + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(_TEAM + r"(?:[^.;]{0,40}?)\b(?:led|headed|chaired)\s+by\s+(?:its|their|the|his|"
               r"her)\s+(?P<title>[a-z][^.;,]{2,80}?),\s+(?P<who>" + TITLED_PERSON + r")"),
    re.compile(_TEAM + r"(?:[^.;]{0,40}?)\b(?:led|headed|chaired)\s+by\s+(?:its|their|his|"
               r"her)\s+(?P<title>(?:[a-z][\w-]*\s+){1,4})(?P<who>" + PERSON + r")"),
    re.compile(r"\b(?:was|were|is|are|will\s+be)\s+represented\s+by\s+(?:its|their|his|her)\s+"
               r"(?P<title>[a-z][^.;,]{2,80}?),\s+(?P<who>" + TITLED_PERSON + r")"),
    re.compile(r"\b(?:was|were|is|are|will\s+be)\s+represented\s+by\s+" + _LOWER_TITLE
               + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(r"\b(?:led|headed)\s+by\s[^.;]*?\b(?:delegation|team|side|one|panel|"
               r"opposition|[A-Z][\w-]*(?:’s|'s))\s+by\s+" + _LOWER_TITLE + r"(?P<who>"
               + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(r"\b(?:led|headed)\s+by\s[^.;]*?\b(?:delegation|team|side|one|panel|"
               r"[A-Z][\w-]*(?:’s|'s))\s+by\s+(?:its|their|his|her)\s+(?P<title>[a-z][\w\s-]{2,60}?),"
               r"\s+(?P<who>" + PERSON + r")"),
    re.compile(r"(?P<who>" + PERSON + r"),\s+(?P<title>(?:the\s+)?(?:[\w’'-]+\s+){0,3}"
               r"(?:chief|lead|top)\s+negotiator)\b"),
    re.compile(r"(?P<who>" + PERSON + r")" + _TITLE_TAIL + r",?\s+(?:who\s+)?(?:led|leads|heads|"
               r"headed|will\s+lead|is\s+leading|was\s+leading|is\s+heading)\s+(?:(?:the\s+|a\s+|"
               r"his\s+|her\s+|its\s+)?(?:[\w’'-]+\s+){0,3}?" + _TEAM
               # "… while X headed China's.": the delegation word is left out.
               + r"|[A-Z][\w-]*(?:’s|'s)(?=[.;]|,?\s+(?:and|while|whereas)\b))"),
    re.compile(r"\b(?P<pre>(?:chief|lead|top)\s+negotiator|interlocutor),?\s+(?:is\s+|was\s+|"
               r"will\s+be\s+)?(?P<who>" + PERSON + r")" + _TITLE_TAIL),
    re.compile(r"\bhead\s+of\s+the\s+(?:[\w’'-]+\s+){0,3}?" + _TEAM + r",?\s+(?P<who>" + PERSON
               + r")" + _TITLE_TAIL),
]  # fmt: skip
_MEMBER_LISTS = [
    re.compile(_TEAM + r"\s+(?:also\s+)?(?:comprises|comprised|includes|included|consists\s+of|"
               r"consisted\s+of|is\s+made\s+up\s+of|will\s+include|(?:is|was)\s+composed\s+of)"
               r"\s+(?P<list>[^.;]+)"),
    re.compile(r"\baccompanied\s+by\s+(?P<list>[^.;]+)"),
    re.compile(r"^(?P<list>[^.;]+?)\s+(?:are|is|were|was|will)\s+(?:also\s+)?(?:expected\s+to\s+|"
               r"due\s+to\s+|set\s+to\s+)?(?:be\s+)?(?:participate|take\s+part|attend|join|"
               r"part\s+of|among|members\s+of|in)\s+(?:in\s+)?(?:the\s+)?(?:[\w’'-]+\s+){0,2}?"
               r"(?:talks|negotiations|meetings?|" + _TEAM + r"|round)"),
]  # fmt: skip
_SPOKES = r"spokes(?:person|man|woman)"
_SPOKESPERSONS = [
    re.compile(r"(?P<who>" + PERSON + r"),\s+(?:the\s+|a\s+|an\s+)?(?:[\w’'-]+\s+){0,3}?"
               + _SPOKES + r"\s+(?:for|of)\s+(?P<org>[^,.;]+)"),
    re.compile(r"(?P<who>" + PERSON + r"),\s+(?:the\s+|a\s+)?(?P<org>(?:[A-Z][\w’'-]*\s+){1,4})"
               + _SPOKES + r"\b"),
    re.compile(r"(?P<org>(?:[A-Z][\w’'-]*\s+){0,4})" + _SPOKES + r",?\s+(?P<who>" + PERSON
               + r")"),
    re.compile(_SPOKES + r"\s+(?:for|of)\s+(?P<org>[^,.;]+),\s+(?P<who>" + PERSON + r")"),
]  # fmt: skip
_PLURAL_TITLE = (
    r"(?P<title>(?:[a-z-]+\s+){0,3}(?:ministers|envoys|negotiators|presidents|leaders|chiefs|"
    r"secretaries|advisers|advisors|commanders|ambassadors|premiers))"
)
_SIDE_WORD = r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3}"
# "The foreign ministers of A and B, X and Y, met": each side's head in one apposition.
_APPOSED_HEADS = [
    re.compile(r"\b(?:[Tt]he\s+)?" + _PLURAL_TITLE + r"\s+of\s+(?:the\s+)?(?P<a>" + _SIDE_WORD
               + r")\s+and\s+(?:the\s+)?(?P<b>" + _SIDE_WORD + r"),\s+(?P<x>" + PERSON
               + r")\s+and\s+(?P<y>" + PERSON + r"),"),
    re.compile(r"\b(?:[Tt]he\s+)?(?P<a>" + _SIDE_WORD + r")\s+and\s+(?P<b>" + _SIDE_WORD
               + r")\s+" + _PLURAL_TITLE + r",?\s+(?P<x>" + PERSON + r")\s+and\s+(?P<y>"
               + PERSON + r")\b"),
    # "A's foreign minister, X, and his B counterpart, Y, signed".
    re.compile(r"\b(?:[Tt]he\s+)?(?P<a>" + _SIDE_WORD + r")(?:’s|'s)\s+(?P<title>(?:[a-z-]+\s+)"
               r"{0,3}[a-z-]+),\s+(?P<x>" + PERSON + r"),\s+(?:and|met|with)\s+(?:his|her|their)\s+"
               r"(?P<b>" + _SIDE_WORD + r")\s+counterparts?,?\s+(?P<y>" + PERSON + r")\b"),
]  # fmt: skip
_NAME_WORD = r"(?:[" + UPPER + r"][\w’'.\-]*|al|bin|ibn|de|van|von|el)"
_CAPITALISED = re.compile(_NAME_WORD + r"(?:[\s\-]+" + _NAME_WORD + r")*")
_POSSESSIVE = re.compile(r"^(?:the\s+)?(?P<party>[A-Z][\w\s-]*?)(?:’s|'s)\s+")
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+as\s+well\s+as\s+|\s+and\s+(?=(?:the|a|an|"
                         r"senior|[A-Z]))")  # fmt: skip


@dataclass(frozen=True)
class Person:
    role: str  # head | member | spokesperson
    party: str | None
    name: str
    title: str | None


def find_people(
    sentences: list[str], parties: PartyNames, sides: set[str] | None = None
) -> list[Person]:
    """`sides`, when given, are the negotiating parties: a delegation belongs to one of them,
    never to a mediator named nearby; a spokesperson may speak for anyone named."""
    people: list[Person] = []
    for index, sentence in enumerate(sentences):
        mentions = parties.mentions(sentence)
        earlier = parties.mentions(sentences[index - 1]) if index else []
        if sides is not None:
            mentions_of_sides = [m for m in mentions if m.party in sides]
            earlier = [m for m in earlier if m.party in sides]
        else:
            mentions_of_sides = mentions
        for found in (
            _apposed_heads(sentence, parties, sides),
            _heads(sentence, mentions_of_sides, earlier, parties),
            _spokespersons(sentence, mentions, earlier, parties),
            _members(sentence, mentions_of_sides, earlier, parties),
        ):
            for person in found:
                if all(p.name.casefold() != person.name.casefold() for p in people):
                    people.append(person)
    return people


def _heads(
    sentence: str, mentions: list[PartyMention], earlier: list[PartyMention], parties: PartyNames
) -> list[Person]:
    found: list[Person] = []
    for pattern in _HEADS:
        for match in _overlapping(pattern, sentence):
            prefix_title, name = split_person_and_title(_trim_name(match["who"]))
            if not is_person_name(name):
                continue
            title = _clean_title(match.groupdict().get("title")) or prefix_title
            pre = (match["pre"] or "").strip() if "pre" in match.groupdict() else ""
            if pre:
                title = f"{pre} {title}" if title and not title.startswith(pre) else title or pre
            party = _side(match, mentions, earlier, parties, title)
            found.append(Person("head", party, name, title))
    return found


def _apposed_heads(sentence: str, parties: PartyNames, sides: set[str] | None) -> list[Person]:
    found: list[Person] = []
    for pattern in _APPOSED_HEADS:
        for match in pattern.finditer(sentence):
            title = _singular(match["title"].strip())
            if not looks_like_title(title):
                continue
            for side, who in (("a", "x"), ("b", "y")):
                party = _party_named(match[side], parties)
                if not is_person_name(match[who]) or (sides is not None and party not in sides):
                    continue
                found.append(Person("head", party, match[who], title))
    return found


def _singular(title: str) -> str:
    words = title.split()
    last = words[-1]
    words[-1] = last[:-3] + "y" if last.endswith("ies") else last.removesuffix("s")
    return " ".join(words)


def _party_named(words: str, parties: PartyNames) -> str | None:
    mentioned = parties.mentions(words)
    if mentioned:
        return mentioned[0].party
    return country_of_demonym(words) or country_named(words)


def _overlapping(pattern: re.Pattern[str], sentence: str) -> Iterator[re.Match[str]]:
    """Each match is resumed after its person, since the title after one head may run into
    the next ("headed by A, met a team led by B")."""
    position = 0
    while (match := pattern.search(sentence, position)) is not None:
        yield match
        position = max(match.end("who"), match.start() + 1)


def _spokespersons(
    sentence: str, mentions: list[PartyMention], earlier: list[PartyMention], parties: PartyNames
) -> list[Person]:
    found: list[Person] = []
    for pattern in _SPOKESPERSONS:
        for match in pattern.finditer(sentence):
            _, name = split_person_and_title(_trim_name(match["who"]))
            if not is_person_name(name):
                continue
            org = " ".join(match["org"].split())
            party = _side(match, mentions, earlier, parties, org)
            title = _organisation(org, parties)
            found.append(Person("spokesperson", party, name, title))
    return found


def _members(
    sentence: str, mentions: list[PartyMention], earlier: list[PartyMention], parties: PartyNames
) -> list[Person]:
    found: list[Person] = []
    for pattern in _MEMBER_LISTS:
        match = pattern.search(sentence)
        if match is None:
            continue
        party = _side(match, mentions, earlier, parties, None)
        items = [item.strip() for item in _ITEM_SPLIT.split(match["list"]) if item.strip()]
        for item in _with_titles(items):
            person = _member(item, party)
            if person is not None:
                found.append(person)
    return found


def _member(item: str, party: str | None) -> Person | None:
    item = re.sub(r"^(?:the|an?)\s+(?=[A-Z])", "", item).strip()
    if not item or len(item) > 200:
        return None
    head, _, tail = item.partition(",")
    if _CAPITALISED.fullmatch(head.strip()):
        prefix_title, name = split_person_and_title(_trim_name(head))
        if is_person_name(name):
            return Person("member", party, name, _clean_title(tail) or prefix_title)
    if looks_like_title(item) or re.search(r"\b(?:Ministry|Agency|Intelligence|[A-Z]{2,})\b", item):
        return Person("member", party, item, None)
    return None


def _with_titles(items: list[str]) -> list[str]:
    """ "Armen Grigoryan, Secretary of the Security Council" was split at its comma; a title
    right after a bare name goes back to it."""
    joined: list[str] = []
    for item in items:
        after_bare_name = bool(joined) and bool(_CAPITALISED.fullmatch(joined[-1]))
        if after_bare_name and looks_like_title(item) and not _CAPITALISED.fullmatch(item):
            joined[-1] = f"{joined[-1]}, {item}"
        else:
            joined.append(item)
    return joined


def _side(
    match: re.Match[str],
    mentions: list[PartyMention],
    earlier: list[PartyMention],
    parties: PartyNames,
    title: str | None,
) -> str | None:
    if title:
        in_title = parties.mentions(title)
        if in_title:
            return in_title[0].party
        country = country_of_demonym(title.split()[0]) or country_named(title.split()[0])
        if country is not None and not parties.spellings:
            return country
    who_start, who_end = match.span("who") if "who" in match.groupdict() else match.span()
    end = match.end()
    tail = match.span("title") if "title" in match.groupdict() else (-1, -1)
    if tail[1] == end and _clean_title(match["title"]) is None:
        # The words after the name were no title ("…, met a Togolese team"): the side named
        # there is the next delegation's.
        end = tail[0]
    after = [m for m in mentions if who_end <= m.start < end]
    if after and end > who_end:
        return after[0].party
    before = [m for m in mentions if m.end <= who_start]
    if before:
        return before[-1].party
    if mentions:
        return mentions[0].party
    return earlier[-1].party if earlier else None


def _trim_name(text: str) -> str:
    words = text.split()
    while words and words[0].casefold() in NOT_NAMES:
        words.pop(0)
    return " ".join(words)


def _clean_title(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"^(?:the|a|an|his|her)\s+", "", text.strip())
    text = re.sub(r"^(?:the\s+)?[\w-]+(?:’s|'s)\s+", "", text)
    return text if looks_like_title(text) else None


def _organisation(org: str, parties: PartyNames) -> str | None:
    """ "Pakistan's Ministry of Foreign Affairs" → "Ministry of Foreign Affairs"; a bare party
    name ("Taliban spokesperson") is the side, not a title."""
    org = _POSSESSIVE.sub("", org).strip()
    org = re.sub(r"^(?:the|a|an)\s+", "", org)
    if not org or parties.canonical(org) is not None:
        return None
    words = [w for w in org.split() if parties.canonical(w) is None]
    return " ".join(words) or None
