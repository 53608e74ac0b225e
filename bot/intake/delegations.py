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
    CAP,
    FIELD_WORD,
    NOT_NAMES,
    PARTICLE,
    PERSON,
    TITLE_PHRASE,
    TITLED_PERSON,
    UPPER,
    is_person_name,
    looks_like_title,
    split_person_and_title,
)

_TITLE_TAIL = (
    r"(?:,\s+(?!while\b|whereas\b|but\b|and\b|as\b|with\b|who\b|which\b|met\b|meets\b|"
    r"signed\b|held\b|holds\b|arrived\b|agreed\b|said\b|told\b)"
    r"(?P<title>(?:the\s+|a\s+|an\s+|his\s+|her\s+)?[^,.;()]{3,120}?(?:\s+\([A-Z][\w-]{1,10}\))?)"
    r"(?=,|\.\s|\.$|;|\s+(?:who|which|traveled|travelled|arrived|said|told|will|is|was|has|"
    r"had|led|heads|leads|on|in|at)\b|$))?"
)
# "deputy foreign minister X", and also "intelligence chief X", "army commander X".
_LOWER_TITLE = (
    r"(?P<pre>(?:[a-z-]+\s+){0,2}(?:chief|commander|leader|head)\s+(?=[A-Z])|"
    r"(?:his|her|their)\s+counterpart,?\s+(?=[A-Z])|(?=[a-z])" + TITLE_PHRASE + r"\s+(?=[A-Z])|"
    r"(?:(?:acting|former|interim|deputy|senior|chief|veteran|special|foreign|prime|vice|retired)"
    r"\s+)*(?:(?:minister|envoy|secretary|president|ambassador|negotiator|adviser|advisor|"
    r"spokes(?:person|man|woman)|representative|director|senator|governor|general)\s+)?)"
)
_TEAM = r"\b(?:delegations?|team|negotiators|side|mission|panel)"
# The rest of a clause; a period after a single capital ("U.S.", "A.K.") ends nothing.
_CLAUSE = r"(?:[^.;]|(?<=\b[A-Z])\.)*?"
# The side of a head whose verb is left out: "…, and the Eritrean one by X".
_ANCHOR = (
    r"\b(?P<anchor>(?:delegation|team|side|one|panel|negotiators|opposition|rebels?|government)"
    r"(?:\s+(?:alliance|coalition|movement|bloc|camp|groups?))?(?:’s|'s|’|')?|"
    r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}(?:’s|'s)?)"
)
_HEADS = [
    re.compile(_TEAM + r"(?:[^.;]{0,40}?)\b(?:led|headed|chaired)\s+by\s+" + _LOWER_TITLE
               + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(_TEAM + r"(?:[^.;]{0,40}?)\b(?:led|headed|chaired)\s+by\s+(?:its|their|the|his|"
               r"her)\s+(?P<title>[a-z][^.;,]{2,80}?),\s+(?:(?=[a-z])" + TITLE_PHRASE
               + r"\s+)?(?P<who>" + TITLED_PERSON + r")"),
    re.compile(_TEAM + r"(?:[^.;]{0,40}?)\b(?:led|headed|chaired)\s+by\s+(?:its|their|his|"
               r"her)\s+(?P<title>(?:[a-z][\w-]*\s+){1,4})(?P<who>" + PERSON + r")"),
    re.compile(r"\b(?:was|were|is|are|will\s+be)\s+represented\s+by\s+(?:its|their|his|her)\s+"
               r"(?P<title>[a-z][^.;,]{2,80}?),\s+(?P<who>" + TITLED_PERSON + r")"),
    re.compile(r"\b(?:was|were|is|are|will\s+be)\s+represented\s+(?:at\s+[^.;,]{2,30}?\s+)?by\s+"
               + _LOWER_TITLE
               + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(r"\b(?:led|headed|represented)\s+by\s" + _CLAUSE + r"(?:;\s+)?"
               + _ANCHOR + r"\s+by\s+" + _LOWER_TITLE
               + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(r"\b(?:led|headed|represented)\s+(?:at\s+[^.;,]{2,30}?\s+)?by\s" + _CLAUSE
               + _ANCHOR + r"\s+by\s+(?:its|their|his|her|the|"
               r"the\s+[a-z]+(?:’s|'s))\s+(?P<title>[a-z][\w\s-]{2,60}?),\s+(?P<who>" + PERSON
               + r")"),
    # "headed by A for the government and by B for the rebels".
    re.compile(r"\b(?:led|headed|chaired)\s+by\s" + _CLAUSE + r"\band\s+by\s+" + _LOWER_TITLE
               + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(r"(?P<who>" + PERSON + r"),\s+(?P<title>(?:the\s+)?(?:[\w’'-]+\s+){0,3}"
               r"(?:chief|lead|top)\s+negotiator)\b"),
    re.compile(r"(?P<who>" + PERSON + r")" + _TITLE_TAIL + r",?\s+(?:who\s+)?(?:led|leads|heads|"
               r"headed|will\s+lead|is\s+leading|was\s+leading|is\s+heading)\s+(?:(?:the\s+|a\s+|"
               r"his\s+|her\s+|its\s+)?(?:[\w’'-]+\s+){0,3}?" + _TEAM
               # "… while X headed China's.": the delegation word is left out.
               + r"|[A-Z][\w-]*(?:’s|'s)(?=[.;]|,?\s+(?:and|while|whereas)\b))"),
    re.compile(r"\b(?P<pre>(?:chief|lead|top)\s+negotiator|interlocutor),?\s+(?:is\s+|was\s+|"
               r"will\s+be\s+)?(?P<who>" + PERSON + r")" + _TITLE_TAIL),
    # "led on the Afghan side by …", "Negotiations for the government are led by …".
    re.compile(r"\b(?:led|headed)\s+on\s+the\s+[^.;,]{2,30}?\s+side\s+by\s+" + _LOWER_TITLE
               + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
    re.compile(r"\b(?i:talks|negotiations|delegation|team)\s+for\s+(?:the\s+)?[^.;,]{2,30}?\s+"
               r"(?:are|is|were|was|will\s+be)\s+(?:being\s+)?(?:led|headed)\s+by\s+"
               + _LOWER_TITLE + r"(?P<who>" + TITLED_PERSON + r")" + _TITLE_TAIL),
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
    # "White House national security spokesman X": a portfolio may stand between.
    re.compile(r"(?P<org>(?:[" + UPPER + r"][\w’'-]*\s+){0,4})(?:[a-z][\w-]*\s+){0,3}?" + _SPOKES
               + r",?\s+(?P<who>" + PERSON + r")"),
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
               + r")\s+and\s+(?:the\s+)?(?P<b>" + _SIDE_WORD + r")(?:\s+(?:for|on|in)\s+"
               r"(?:the\s+)?[^,;.]{2,50}?)?,\s+(?P<x>" + PERSON
               + r")\s+and\s+(?P<y>" + PERSON + r"),"),
    re.compile(r"\b(?:[Tt]he\s+)?(?P<a>" + _SIDE_WORD + r")\s+and\s+(?P<b>" + _SIDE_WORD
               + r")\s+" + _PLURAL_TITLE + r",?\s+(?P<x>" + PERSON + r")\s+and\s+(?P<y>"
               + PERSON + r")\b"),
    # "A's foreign minister, X, and his B counterpart, Y, signed".
    re.compile(r"\b(?:[Tt]he\s+)?(?P<a>" + _SIDE_WORD + r")(?:’s|'s)\s+(?P<title>(?:[a-z-]+\s+)"
               r"{0,3}[a-z-]+),\s+(?P<x>" + PERSON + r"),\s+(?:and|met|with)\s+(?:his|her|their)\s+"
               r"(?P<b>" + _SIDE_WORD + r")\s+counterparts?,?\s+(?P<y>" + PERSON + r")\b"),
]  # fmt: skip
# A titled person of a side who meets or leads is that side's head: "Kenyan President X and
# Ugandan President Y held talks", "X, Moldova's deputy prime minister, met …". Signing alone
# is not leading: ministers sign what others negotiated.
_RUN = (
    r"(?:(?:[A-Z]\.){1,3}|" + CAP + r")(?:(?:\s+|-)(?:" + PARTICLE + r"[\s\-])?" + CAP + r"){1,7}"
)
_TITLED_BEFORE = re.compile(
    r"(?<![\w’'-])(?P<title>"
    + TITLE_PHRASE
    + r")(?P<q>\s+(?:for|of|to)(?:\s+the)?)?\s+(?P<run>"
    + _RUN
    + r")"
)
_QUALIFIER = r"(?:\s+(?:for|of|to|on)\s+(?:the\s+)?[^,;.()]{2,60}?)?"
_TITLED_AFTER = re.compile(
    r"(?P<who>" + PERSON + r"),\s+(?:the\s+|a\s+|an\s+)?(?:(?P<owner>(?:U\.S\.|[\w’'-]+)"
    r"(?:\s+[A-Z][\w’'-]*){0,2})(?:’s|'s)\s+)?(?P<title>"
    + TITLE_PHRASE
    + _QUALIFIER
    + r")(?=,|;|\.(?:\s|$)|$)"
)
_COUNTERPART = re.compile(
    r"\b(?:his|her|their)\s+(?:(?P<owner>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)\s+)?"
    r"counterparts?(?:,\s+|\s+)(?:(?P<title>"
    + TITLE_PHRASE
    + r")\s+)?(?P<who>"
    + PERSON
    + r")|(?P<who2>"
    + PERSON
    + r"),\s+(?:his|her|their)\s+(?:(?P<owner2>[A-Z][\w’'-]*)\s+)?"
    r"counterparts?\b"
)
_OWNED_TITLE = re.compile(
    r"\b(?:its|their|his|her|(?P<kind>the\s+(?:government|rebels|opposition|guerrillas)(?:’s|'s|’|'))|"
    r"(?P<owner>(?:U\.S\.|[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*){0,2})"
    r"(?:’s|'s))\s+(?P<title>" + TITLE_PHRASE + _QUALIFIER + r"),\s+(?P<who>" + PERSON + r")"
)
_OWNED_PERSON = re.compile(
    r"(?P<owner>(?:U\.S\.|[A-Z][\w-]*)(?:\s+[A-Z][\w-]*){0,2})(?:’s|'s)\s+(?P<who>" + PERSON + r")"
)
# What a head does in the sentence, before anything anyone says.
_TALKS_VERB = re.compile(
    r"^(?:[^.;]|(?<=\b[A-Z])\.){0,90}?(?<![\w-])(?:(?P<met>met(?!\s+separately)|meet|meets)|"
    r"meeting|held\s+talks|hold\s+talks|holds\s+talks|agreed|agree|agrees|sat\s+down|talked|"
    r"negotiated|led|leads|leading|heads|headed|will\s+lead|who\s+head|who\s+lead|discussed|"
    r"shook\s+hands)\b"
)
# Whom a head meets: the other side, its people, or no one named ("met in Doha").
_MET_WHOM = re.compile(
    r"^\s*(?:with\s+)?(?:(?:in|on|at|for|again|twice|here|there|today|yesterday|last|this|"
    r"behind|face)\b|[,.;]|$|(?:his|her|their|the\s+other|each|both|the\s+two|the\s+[\w-]+\s+"
    r"(?:delegation|team|side|negotiators))\b)",
    re.IGNORECASE,
)
_ORGANISATION_OR_PEOPLE = re.compile(
    r"\s*(?:with\s+)?(?:the\s+)?(?:[A-Z][\w-]*\s+)*(?:leaders|officials|envoys|ministers|"
    r"diplomats|mediators|Union|Nations|League)\b"
)
_SAID = re.compile(r"\b(?:said|says|told|tells|stated|added|announced|warned|noted)\b")
_LEADS_ALWAYS = re.compile(r"(?i:negotiator|\b(?:head|chair(?:man|woman|person)?|leader)\s+of\s+"
                           r"(?:the\s+|its\s+|their\s+)?[^,;]*?"
                           r"(?:delegation|team|side|negotiators|panel))")  # fmt: skip
_SENT = re.compile(r"\b(?:sent|dispatched|fielded)\s+(?:its\s+|their\s+)?$")
_MET = re.compile(r"\bmet\s+(?:with\s+)?$")
_LED_BY = re.compile(r"\b(?:led|headed|chaired|represented)\s+(?:at\s+[^.;,]{2,30}?\s+)?by\s+$")
# "…, who is leading the talks for the government": the side the head acts for.
_ACTS_FOR = re.compile(
    r"^[^.;]{0,40}?\b(?:leading|leads|led|heads|headed|heading|represents|representing|"
    r"negotiating|negotiates)\s+(?:the\s+)?(?:talks|negotiations|delegation|team|side)?\s*"
    r"(?:for|of|on\s+behalf\s+of)\s+(?:the\s+)?"
)
_OF_SIDE = re.compile(r"^\s+(?:of|for)\s+(?:the\s+)?")
_NAME_WORD = r"(?:[" + UPPER + r"][\w’'.\-]*|al|bin|ibn|de|van|von|el)"
_CAPITALISED = re.compile(_NAME_WORD + r"(?:[\s\-]+" + _NAME_WORD + r")*")
_POSSESSIVE = re.compile(r"^(?:the\s+)?(?P<party>[A-Z][\w\s-]*?)(?:’s|'s)\s+")
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+as\s+well\s+as\s+|\s+and\s+(?=(?:the|a|an|"
                         r"senior|[A-Z]))")  # fmt: skip


# Institutions news names instead of their country.
_INSTITUTIONS = {
    "state department": "United States", "white house": "United States",
    "pentagon": "United States", "kremlin": "Russia", "foreign office": "United Kingdom",
    "downing street": "United Kingdom", "élysée": "France", "elysee": "France",
    "quai d'orsay": "France", "zhongnanhai": "China", "blue house": "South Korea",
}  # fmt: skip
_INSTITUTION = re.compile(
    r"(?i:\b(?:" + "|".join(re.escape(name) for name in _INSTITUTIONS) + r")\b)"
)


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
            _listed_heads(sentence, parties, sides),
            _apposed_heads(sentence, parties, sides),
            _heads(sentence, mentions_of_sides, earlier, parties, sides),
            _spokespersons(sentence, mentions, earlier, parties),
            _standing_heads(sentence, parties, sides),
            _members(sentence, mentions_of_sides, earlier, parties),
        ):
            for person in found:
                if all(not _same_person(p.name, person.name) for p in people):
                    people.append(person)
    return people


def _heads(
    sentence: str,
    mentions: list[PartyMention],
    earlier: list[PartyMention],
    parties: PartyNames,
    sides: set[str] | None = None,
) -> list[Person]:
    found: list[Person] = []
    for pattern in _HEADS:
        for match in _overlapping(pattern, sentence):
            prefix_title, name = split_person_and_title(_trim_name(match["who"]))
            if not is_person_name(name):
                continue
            title = _clean_title(match.groupdict().get("title")) or prefix_title
            pre = (match["pre"] or "").strip() if "pre" in match.groupdict() else ""
            if _COUNTERPART_WORD.fullmatch(pre):
                # "…, and the Eritrean one by his counterpart X": the other head's office.
                pre = next((other.title for other in reversed(found) if other.title), None) or ""
            if pre:
                title = f"{pre} {title}" if title and not title.startswith(pre) else title or pre
            title = title or _title_just_before(sentence[: match.start("who")])
            if title is None and _AFTER_COUNTERPART.search(sentence[: match.start("who")]):
                title = next((t.title for t in _titled_before(sentence, parties) if t.title), None)
            party = (
                _anchored_side(match, sentence, parties)
                or _team_side(match, sentence, parties, sides)
                or _acts_for_after(sentence[match.end("who") :], parties, sides)
                or _side_of_kind(_clause_before(sentence, match.start("who")), parties, sides)
                or _side_of_kind(sentence[match.end("who") : match.end()], parties, sides)
                or _side(match, mentions, earlier, parties, title)
            )
            found.append(Person("head", party, name, title))
    return found


# "The delegations were headed by Bosnian President X, Serbian President Y and Croatian
# President Z": each head's title says whose delegation it is.
_LISTED_HEADS = re.compile(
    r"\b(?:delegations|teams|sides)\s+(?:were|are|will\s+be)\s+(?:led|headed)\s+by\s+"
    r"(?P<list>"
    + TITLED_PERSON
    + r"(?:,\s+"
    + TITLED_PERSON
    + r")*,?\s+and\s+"
    + TITLED_PERSON
    + r")"
)
_LISTED_HEAD_SPLIT = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


def _listed_heads(sentence: str, parties: PartyNames, sides: set[str] | None) -> list[Person]:
    match = _LISTED_HEADS.search(sentence)
    if match is None:
        return []
    found: list[Person] = []
    for item in _LISTED_HEAD_SPLIT.split(match["list"]):
        title, name = split_person_and_title(item.strip())
        if title is None or not is_person_name(name):
            return []
        first, _, rest = title.partition(" ")
        party = country_of_demonym(first) or country_named(first)
        party = (parties.canonical(party) or party) if party else None
        if party is None or (sides is not None and party not in sides) or not rest:
            return []
        found.append(Person("head", party, name, rest))
    return found


_COUNTERPART_WORD = re.compile(r"(?:his|her|their)\s+counterpart,?")
# "Foreign Minister X and his Peruvian counterpart, Y, headed …": Y holds X's office.
_AFTER_COUNTERPART = re.compile(r"\b(?:his|her|their)\s+(?:[A-Z][\w-]*\s+)?counterpart,?\s*$")
_JUST_BEFORE = re.compile(r"(?<![\w’'-])(?P<title>(?=[a-z])" + TITLE_PHRASE + r")\s+$")
_GOVERNMENT = re.compile(r"\bgovernment(?:’s|'s)?\b", re.IGNORECASE)
_NOT_A_STATE = re.compile(
    r"\b(?:rebels?|rebel|guerrillas?|insurgents?|insurgency|opposition|separatists?|militants?|"
    r"militias?)\b",
    re.IGNORECASE,
)


def _team_side(
    match: re.Match[str], sentence: str, parties: PartyNames, sides: set[str] | None
) -> str | None:
    """ "The U.S. delegation was led by X, the special representative for North Korea": the
    side named with the delegation, before a title that names the other."""
    if not re.match(_TEAM, match.group(0)):
        return None
    side = _named_before(_clause_before(sentence, match.start()), parties)
    return side if side is not None and (sides is None or side in sides) else None


def _title_just_before(text: str) -> str | None:
    """ "MNLF chairman X leads …": an office in lower case right before the name."""
    match = _JUST_BEFORE.search(text)
    return match["title"] if match else None


def _clause_before(sentence: str, position: int) -> str:
    return re.split(r"[,;]", sentence[:position].rstrip(" ,"))[-1]


def _acts_for_after(rest: str, parties: PartyNames, sides: set[str] | None) -> str | None:
    """ "headed by X for the government": the side written right after the name."""
    after = re.match(r"^\s+(?:for|on\s+behalf\s+of)\s+(?:the\s+)?", rest)
    if after is None:
        return None
    words = rest[after.end() :][:40]
    named = parties.mentions(words)
    if named and named[0].start == 0:
        return named[0].party
    return _side_of_kind(re.split(r"[,;.]|\s+and\b", words)[0], parties, sides)


def _side_of_kind(text: str, parties: PartyNames, sides: set[str] | None) -> str | None:
    """ "the government delegation", "the rebel side": of two sides, the one that is a state
    or the one that is not."""
    two = sorted(sides) if sides is not None else parties.names()
    if len(two) != 2:
        return None
    states = [side for side in two if country_named(side) is not None]
    if len(states) != 1:
        return None
    government = _GOVERNMENT.search(text) is not None
    if government == (_NOT_A_STATE.search(text) is not None):
        return None
    if government:
        return states[0]
    return next(side for side in two if side not in states)


def _anchored_side(match: re.Match[str], sentence: str, parties: PartyNames) -> str | None:
    """ "…, and the U.S. side by X": the side named in the clause just before "side by"."""
    if "anchor" not in match.groupdict():
        return None
    clause = re.split(r"[,;]", sentence[: match.end("anchor")])[-1]
    return _named_before(clause, parties)


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


@dataclass
class _Standing:
    start: int
    end: int
    name: str
    title: str | None
    party: str | None
    counterpart: bool = False


def _same_person(known: str, new: str) -> bool:
    """ "Mohamed Osman" read from "Mohamed Osman al-Hussein" is the same person."""
    known, new = known.casefold(), new.casefold()
    return known == new or known.startswith(new + " ") or known.startswith(new + "-")


def _standing_heads(sentence: str, parties: PartyNames, sides: set[str] | None) -> list[Person]:
    """Heads named by their office where they act at the table rather than as a delegation's
    leader; a counterpart takes the other side of a two-sided meeting."""
    found = _titled_before(sentence, parties) + _titled_after(sentence, parties)
    for match in _OWNED_PERSON.finditer(sentence):
        party = _party_named(match["owner"], parties)
        if party is not None and is_person_name(match["who"]):
            found.append(_Standing(match.start(), match.end(), match["who"], None, party))
    for match in _OWNED_TITLE.finditer(sentence):
        _, name = split_person_and_title(_trim_name(match["who"]))
        if is_person_name(name):
            party = _party_named(match["owner"], parties) if match["owner"] else None
            if match["kind"]:
                kind = match["kind"]
                party = _named_before(kind, parties) or _side_of_kind(kind, parties, sides)
            found.append(_Standing(match.start(), match.end(), name, match["title"], party))
    for match in _COUNTERPART.finditer(sentence):
        who = match["who"] or match["who2"]
        owner = match["owner"] or match["owner2"]
        _, name = split_person_and_title(_trim_name(who))
        if is_person_name(name):
            party = _party_named(owner, parties) if owner else None
            title = match["title"] if match["who"] else None
            found.append(_Standing(match.start(), match.end(), name, title, party, True))
    found = _first_of_each(found)
    talks = _does_talks(_before_said(sentence), parties)
    heads = [
        one
        for one in found
        if (talks if one.counterpart else _acts_as_head(sentence, one, parties))
        and not re.search(r"(?i:spokes)", one.title or "")
    ]
    two_sides = sorted(sides) if sides is not None and len(sides) == 2 else None
    people: list[Person] = []
    for one in heads:
        party = one.party or _acting_for(sentence, one, parties)
        if party is None and one.title and _LEADS_ALWAYS.search(one.title):
            # "chairman of the government panel": the side the panel is of.
            party = _side_of_kind(one.title, parties, sides)
        if party is None and (
            _SENT.search(sentence[: one.start]) or _LED_BY.search(sentence[: one.start])
        ):
            party = _named_before(re.split(r"[,;]", sentence[: one.start])[-1], parties)
        if party is None and _LED_BY.search(sentence[: one.start]):
            # "The Israeli delegation, led by …": the delegation is named before the comma.
            party = _named_before(sentence[: one.start], parties)
        if party is None and two_sides is not None and _paired(one, heads, sentence):
            known = {other.party for other in heads if other is not one and other.party}
            others = [side for side in two_sides if side not in known]
            party = others[0] if len(known) == 1 and len(others) == 1 else None
        title = one.title
        if title is None and one.counterpart:
            title = next((other.title for other in heads if other.title and other is not one), None)
        if party is not None and (sides is None or party in sides):
            people.append(Person("head", party, one.name, _clean_title(title) or title))
    return people


def _titled_before(sentence: str, parties: PartyNames) -> list[_Standing]:
    found: list[_Standing] = []
    for match in _TITLED_BEFORE.finditer(sentence):
        words = match["run"].split()
        title = match["title"]
        if match["q"]:
            fields = [i for i, word in enumerate(words[:-2]) if _is_field(word)]
            cut = fields[-1] + 1 if fields else len(words) - 2
            if cut <= 0:
                continue
            title = f"{title}{match['q']} {' '.join(words[:cut])}"
            words = words[cut:]
        _, name = split_person_and_title(" ".join(words))
        if not is_person_name(name, after_title=True):
            continue
        end = match.start("run") + match["run"].index(name) + len(name)
        owner = re.search(
            r"(?P<owner>(?:U\.S\.|[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*){0,2})(?:’s|'s)?\s+$",
            sentence[: match.start()],
        )
        party = _party_named(owner["owner"], parties) if owner else None
        start = owner.start() if owner else match.start()
        if owner and party is None and _is_title_owner(owner.group(0)):
            title = f"{owner['owner']} {title}"
        if party is None and match["q"] and match["q"].strip().startswith("of"):
            party = _party_named(title.split(" of ", 1)[1], parties)
        in_title = parties.mentions(match["title"])
        if party is None and in_title:
            party = in_title[0].party
        after = _OF_SIDE.match(sentence[end:])
        if party is None and after is not None:
            named = parties.mentions(sentence[end + after.end() :][:40])
            if named and named[0].start == 0:
                party = named[0].party
                end += after.end() + named[0].end
        found.append(_Standing(start, end, name, title, party))
    return found


def _titled_after(sentence: str, parties: PartyNames) -> list[_Standing]:
    found: list[_Standing] = []
    for match in _TITLED_AFTER.finditer(sentence):
        _, name = split_person_and_title(_trim_name(match["who"]))
        if not is_person_name(name):
            continue
        title = match["title"]
        party = _party_named(match["owner"], parties) if match["owner"] else None
        if party is None and " of " in title:
            party = _party_named(title.split(" of ", 1)[1], parties)
        found.append(_Standing(match.start("who"), match.end(), name, title, party))
    return found


def _is_title_owner(words: str) -> bool:
    """ "Mossad chief": one word before a title that names no side is part of the title."""
    word = words.strip()
    return (
        " " not in word
        and "’" not in word
        and "'" not in word
        and (word.casefold() not in NOT_NAMES and word != "The")
    )


def _is_field(word: str) -> bool:
    return bool(FIELD_WORD.fullmatch(word)) or _party_named(word, PartyNames()) is not None


def _first_of_each(found: list[_Standing]) -> list[_Standing]:
    """One reading per person: the one with a side, else the first."""
    chosen: dict[str, _Standing] = {}
    for one in sorted(found, key=lambda item: item.start):
        known = chosen.get(one.name)
        leads = bool(one.title and _LEADS_ALWAYS.search(one.title))
        if (
            known is None
            or (known.party is None and one.party is not None)
            or (known.party is None and leads and not _LEADS_ALWAYS.search(known.title or ""))
        ):
            chosen[one.name] = one
    return sorted(chosen.values(), key=lambda item: item.start)


def _before_said(text: str) -> str:
    said = _SAID.search(text)
    return text[: said.start()] if said else text


def _does_talks(text: str, parties: PartyNames) -> bool:
    """A meeting counts with the other side: "met European leaders" is no round."""
    verb = _TALKS_VERB.match(text)
    if verb is None:
        return False
    if verb["met"] is None:
        return True
    whom = text[verb.end() :]
    if _MET_WHOM.match(whom):
        return True
    named = parties.mentions(whom[:40])
    return bool(named and named[0].start <= 12) or bool(
        re.match(
            r"\s*(?:with\s+)?(?:[A-Z][\w’'-]*\s+)?(?:" + TITLE_PHRASE + r"\s+)?" + PERSON, whom
        )
        and not _ORGANISATION_OR_PEOPLE.match(whom)
    )


def _acts_as_head(sentence: str, one: _Standing, parties: PartyNames) -> bool:
    if one.title and _LEADS_ALWAYS.search(one.title):
        return True
    before = sentence[: one.start]
    if _SENT.search(before) or _MET.search(before) or _LED_BY.search(before):
        return True
    return _does_talks(_before_said(sentence[one.end :]), parties)


def _named_before(text: str, parties: PartyNames) -> str | None:
    """The last side named before: a spelling of a party, else a country ("The U.S. side")."""
    mentions = parties.mentions(text)
    if mentions:
        return mentions[-1].party
    words = re.findall(r"U\.S\.|U\.K\.|[" + UPPER + r"][\w’'-]*", text)
    named = next((c for w in reversed(words) if (c := _party_named(w, parties))), None)
    return named or _named_by_initials(words, parties) or _named_by_first_word(text, parties)


def _named_by_initials(words: list[str], parties: PartyNames) -> str | None:
    """ "The GNU side" for the Government of National Unity: an acronym the article never
    spelled out, when the initials of one side's name make it."""
    for word in reversed(words):
        if not re.fullmatch(r"[A-Z]{2,6}", word):
            continue
        owners = [
            name
            for name in parties.names()
            if "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", name)) == word
        ]
        if len(owners) == 1:
            return owners[0]
    return None


def _named_by_first_word(text: str, parties: PartyNames) -> str | None:
    """ "the North sent …": a side called by the first word of its name, when only one side's
    name begins with it."""
    said = re.findall(r"\b[Tt]he\s+([A-Z][\w-]*)\b", text)
    if not said:
        return None
    owners = [name for name in parties.names() if name.split()[0] == said[-1]]
    return owners[0] if len(owners) == 1 and len(parties.names()) > 1 else None


def _acting_for(sentence: str, one: _Standing, parties: PartyNames) -> str | None:
    rest = sentence[one.end :]
    acts = _ACTS_FOR.match(rest)
    if acts is None:
        return None
    named = parties.mentions(rest[acts.end() :])
    return named[0].party if named and named[0].start == 0 else None


def _paired(one: _Standing, heads: list[_Standing], sentence: str) -> bool:
    """A counterpart, or the one met: "X met Y", "X and his counterpart Y"."""
    return (
        one.counterpart
        or bool(_MET.search(sentence[: one.start]))
        or any(other.counterpart for other in heads if other is not one)
    )


def _singular(title: str) -> str:
    words = title.split()
    last = words[-1]
    words[-1] = last[:-3] + "y" if last.endswith("ies") else last.removesuffix("s")
    return " ".join(words)


def _party_named(words: str, parties: PartyNames) -> str | None:
    """A party's spelling, a people named in the singular ("Greek Cypriot" for the Greek
    Cypriots), a demonym or a country."""
    mentioned = parties.mentions(words)
    if mentioned:
        return mentioned[0].party
    plural = parties.canonical(words.strip() + "s")
    return plural or country_of_demonym(words) or country_named(words)


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
            institution = _INSTITUTION.search(org)
            country = _INSTITUTIONS[institution.group(0).casefold()] if institution else None
            party = (
                (parties.canonical(country) or country)
                if country
                else _side(match, mentions, earlier, parties, org)
            )
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
    said_before = _named_before(match.string[:who_start], parties)
    if said_before in parties.names():
        return said_before
    if mentions:
        return mentions[0].party
    return _named_by_first_word(match.string[:who_start], parties) or (
        earlier[-1].party if earlier else None
    )


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
