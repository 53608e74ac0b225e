"""Names in running text: lists of organisations or states, and people with their titles."""

from __future__ import annotations

import re

from bot.intake.gazetteer import ORGANISATION_ACRONYMS, country_named, country_of_demonym
from bot.intake.known_topics import PartyNames

# Capital letters as names are written in news: "Önal", "Élysée", "Łukasz", "Şahin".
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŸŹŻŽ"
CAP = r"[" + UPPER + r"][\w’'\-]*"
PARTICLE = r"(?:al|el|bin|ibn|de|da|van|von|der|du|ul|abu|ben|dos|di|bint|la|le|del)"
_NAME_PART = r"(?:(?:[A-Z]\.){1,3}(?=\s)|" + CAP + r")"
# "Humberto de la Calle", "Rafael van der Berg": particles may come in pairs.
PERSON = _NAME_PART + r"(?:(?:\s+|-)(?:" + PARTICLE + r"[\s\-]){0,2}" + CAP + r"){1,4}"
# Wire copy abbreviates ranks: "Lt. Gen. X", "Col. Maj. Y".
_ABBREVIATED_RANKS = r"(?:(?:Lt|Gen|Col|Maj|Brig|Capt|Adm|Cmdr|Sgt|Amb|Dr|Prof)\.\s+){0,3}"
# A person with the title written before the name: "First Deputy Foreign Minister Lasha Darsalia",
# "Minister of Justice Arnaud Djoubaye".
TITLED_PERSON = (
    _ABBREVIATED_RANKS
    + CAP
    + r"(?:(?:\s+of(?:\s+the)?\s+|\s+|-)(?:"
    + PARTICLE
    + r"[\s\-])?"
    + _NAME_PART
    + r"){1,7}"
)
# A title composed from its parts, as news writes it before or after a name, in capitals or
# not: rank words ("deputy assistant"), a portfolio ("foreign", "overseas") and an office
# ("minister", "secretary of state"), so "Acting Deputy Foreign Minister" needs no entry of its own.
_RANK = (
    r"(?:deputy|acting|former|retired|interim|senior|chief|special|first|vice|assistant|principal|lead|"
    r"top|veteran|permanent|under|executive|state|national|presidential|federal|lieutenant|major|"
    r"brigadier|army|military|rebel|opposition|government|defen[cs]e|security)"
)
PORTFOLIO = (
    r"(?:foreign|external|interior|defen[cs]e|justice|finance|overseas|energy|trade|economy|home|security|"
    r"intelligence|oil|health|information|transport|agriculture|labou?r|reintegration|peace|"
    r"reconciliation|planning|cabinet|regional|european|affairs|development|cooperation|"
    r"integration|relations|refugees?|water|mines|mining|petroleum|commerce|industry|"
    r"communications|reunification|unification|diaspora|immigration|border|borders|territorial)"
)
_OFFICE = (
    r"(?:prime\s+minister|minister|secretary(?:[\s-]general)?|envoy|negotiator|president|"
    r"vice[\s-]president|ambassador|advis[eo]r|representative|commissioner|director|"
    r"chair(?:man|woman|person)?|leader|chief|commander|premier|head|senator|governor|general|"
    r"colonel|admiral|emir|king|chancellor|spokes(?:person|man|woman))"
)
TITLE_PHRASE = (
    r"(?i:(?:"
    + _RANK
    + r"[\s-]+){0,3}(?:"
    + PORTFOLIO
    + r"\s+){0,2}"
    + _OFFICE
    + r"(?:\s+of\s+state)?)\b"
)
# The words that end a title's "for …"/"of …" before a name: "Minister for Reintegration Oleg
# Serebrian", "Assistant Secretary of State for African Affairs Molly Phee".
FIELD_WORD = re.compile(r"(?i:" + PORTFOLIO + r"|state|defence|rights|negotiations|dialogue)")
_NAME_WORD = re.compile(r"(?:" + PARTICLE + r"-)?[" + UPPER + r"][\w’'.\-]*|" + PARTICLE)
ACRONYM = r"\((?P<acronym>[A-Z][A-Za-z-]{0,10}[A-Z])\)"
ENTITY = (
    r"(?:the\s+)?(?:U\.S\.|U\.K\.|U\.N\.|"
    + CAP
    + r")"
    + r"(?:\s+(?:(?:of|on|for|in|[Aa]cross)\s+(?:the\s+)?|"
    + PARTICLE
    + r"[\s\-]|"
    r"and\s+(?=[A-Z][\w’'-]+\s+(?:[A-Z]|(?:of|on|for|in)\s+(?:the\s+)?[A-Z])))?"
    + CAP
    + r"){0,5}(?:\s+(?:administration|government|authorities|rebels|forces|movement|"
    r"junta|militia))?(?:\s+\([A-Z][A-Za-z-]{0,10}[A-Z]\))?"
)
# "Martti Ahtisaari and his Crisis Management Initiative": an owner's word joins the list too.
_OWNED = r"(?:his|her|its|their)\s+"
ENTITY_LIST = (
    ENTITY
    + r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+(?:"
    + _OWNED
    + r")?|\s+together\s+with\s+)"
    + ENTITY
    + r")*"
)
_ENTITY_SPLIT = re.compile(
    r"(\s*,\s*(?:and\s+)?|\s+and\s+(?:" + _OWNED + r")?"
    r"(?!Tobago|Herzegovina|Principe|Nevis)|\s+together\s+with\s+)"
)
# An organisation's name with its acronym after it may run longer: "Union for Peace in the
# Central African Republic (UPC)".
MAX_NAME_WORDS = 8
_TRAILING_ACRONYM = re.compile(r"\s+" + ACRONYM + r"$")
ORGANISATION_WORDS = re.compile(
    r"\b(?:Union|Nations|Organi[sz]ation|Authority|Council|League|Community|Committee|Group|"
    r"Forum|Commission|Church|Vatican|Cooperation|Bank|Alliance|Office|Centre|Center|"
    r"Foundation|Institute|Movement|Front|Forces|Army|Government|Administration)\b"
)
TITLE_WORDS = frozenset({
    "minister", "deputy", "foreign", "interior", "defence", "defense", "secretary", "general",
    "chief", "ambassador", "envoy", "president", "vice", "prime", "special", "director",
    "commander", "lieutenant", "colonel", "major", "senior", "state", "army", "security",
    "national", "adviser", "advisor", "speaker", "head", "negotiator", "representative",
    "under-secretary", "undersecretary", "intelligence", "justice", "finance", "affairs",
    "secretary-general", "vice-president",
    "presidential", "military", "lt.", "gen.", "col.", "maj.", "mr.", "mrs.", "ms.", "dr.",
    "sheikh", "emir", "king", "prince", "sultan", "chairman", "chairwoman", "chair", "governor",
    "commissioner", "spokesperson", "spokesman", "spokeswoman", "former", "acting", "mayor",
    "brigadier", "admiral", "field", "marshal", "rebel", "leader", "first", "lead", "top",
    "mullah", "archbishop", "cardinal", "bishop", "oil", "energy", "trade", "health", "water",
    "economy", "planning", "information", "transport", "agriculture", "education", "labour",
    "senator", "overseas", "assistant", "premier", "chancellor", "reintegration", "mp",
    "the", "of", "for", "and",
})  # fmt: skip
_TITLE_NOUNS = re.compile(
    r"\b(?:minister|secretary|general|chief|ambassador|envoy|president|director|commander|"
    r"adviser|advisor|head|negotiator|representative|governor|official|officer|speaker|"
    r"deputy|leader|commissioner|chairman|chairwoman|chair|mayor|colonel|marshal|admiral|"
    r"coordinator|emissary|delegate|prince|king|sultan|emir|diplomats?|envoys?|officials?|"
    r"senator|lawmaker|aide|executive|spokes\w+|member|secretary|officer)\b",
    re.IGNORECASE,
)
NOT_NAMES = frozenset({
    "the", "a", "an", "on", "in", "at", "this", "that", "these", "those", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "however", "meanwhile", "earlier", "later", "talks", "officials", "both", "with", "as",
    "and", "but", "after", "under", "for", "by", "from", "to", "said", "while", "when", "since",
})  # fmt: skip


_ARTICLES = frozenset({"an"})

# "Representatives of the European Union attended": the organisation is the one named.
_CONNECTOR_END = re.compile(r"\s(?:for|of|on)$")
# "mediated by Qatar on Monday": the day after a name is not part of it.
_WHEN_AFTER = re.compile(
    r"\s+(?:on|in|since|until|from)\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|January|February|March|April|June|July|August|September|October|November|"
    r"December)\b|[0-9]).*$"
)
_SENT_BY = re.compile(
    r"^(?:[Tt]he\s+)?(?:Representatives|Officials|Envoys|Delegates|Delegations?|Diplomats|Members)"
    r"\s+(?:of|from)\s+(?:the\s+)?(?=[A-Z])"
)


def split_entities(text: str) -> list[str]:
    """A name with its acronym after it holds together even when it has an "and" or a comma
    inside: "the Community of Latin American and Caribbean States (CELAC)"."""
    pieces = _ENTITY_SPLIT.split(text)
    items, separators = pieces[::2], pieces[1::2]
    joined: list[str] = []
    end = len(items)
    while end > 0:
        start = end - 1
        if _TRAILING_ACRONYM.search(items[start]):
            while start > 0 and not _spells(_joined(items, separators, start, end)):
                start -= 1
            if not _spells(_joined(items, separators, start, end)):
                start = end - 1
        joined.append(_joined(items, separators, start, end))
        end = start
    return [item.strip() for item in reversed(joined) if item.strip()]


def _joined(items: list[str], separators: list[str], start: int, end: int) -> str:
    text = items[start]
    for index in range(start + 1, end):
        text += separators[index - 1] + items[index]
    return text


def _spells(name: str) -> bool:
    """Enough capitalised words, the first one the acronym's first letter: acronyms are often
    of another language's words ("CELAC"), so the letters cannot be matched one by one."""
    acronym = _TRAILING_ACRONYM.search(name)
    if acronym is None:
        return False
    letters = re.sub(r"[^A-Z]", "", acronym["acronym"])
    words = re.findall(r"\b[" + UPPER + r"][\w’'-]*", name[: acronym.start()])
    words = [word for word in words if word != "The"]
    return bool(words) and words[0][0] == letters[0] and len(words) >= len(letters) - 1


def entity_name(item: str, parties: PartyNames, *, strict: bool) -> str | None:
    """The party an item of a list names, or None for words that are not one.

    Strict, an item must be a known party, a country or demonym, an acronym or an
    organisation; otherwise any capitalised phrase of up to eight words will do."""
    item = re.sub(r"(?:’s|'s)$", "", item.strip())
    owner = re.match(r"(?P<owner>.+?)(?:’s|'s)\s+(?P<rest>.+)$", item)
    first_after = owner["rest"].split()[0] if owner is not None else ""
    if owner is not None and (first_after.islower() or first_after.casefold() in TITLE_WORDS):
        item = owner["owner"]
    item = re.sub(r"\s+(?:government|authorities)$", "", item)
    item = _SENT_BY.sub("", item)
    item = _WHEN_AFTER.sub("", item)
    # "the Geneva-based Centre for …": where it sits is no part of its name.
    item = re.sub(r"^(?:the\s+)?[A-Z][\w’'-]*-based\s+(?=[A-Z])", "", item)
    words = item.split()
    while words and words[0].casefold() in NOT_NAMES:
        words.pop(0)
    if not words:
        return None
    item = " ".join(words)
    if " in " in item and not item.endswith(")"):
        item = item.split(" in ", 1)[0]
    known = (
        parties.canonical(item)
        or country_named(item)
        or country_of_demonym(item)
        or ORGANISATION_ACRONYMS.get(item.replace(".", ""))
    )
    if known is not None:
        return known
    title, person = split_person_and_title(item)
    # "Centre for Humanitarian Dialogue": a name with "for" inside is no title and person.
    if title is not None and is_person_name(person) and not _CONNECTOR_END.search(title):
        return person
    acronym = re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", item)
    if strict and not (ORGANISATION_WORDS.search(item) or acronym):
        return None
    longest = MAX_NAME_WORDS + 4 if _TRAILING_ACRONYM.search(item) else MAX_NAME_WORDS
    if not item[0].isupper() or len(words) > longest:
        return None
    return item


def split_person_and_title(phrase: str) -> tuple[str | None, str]:
    """ "Iranian Foreign Minister Ali Bagheri" → ("Iranian Foreign Minister", "Ali Bagheri")."""
    words = phrase.split()
    last_title = -1
    for index, word in enumerate(words[:-1]):
        if word.casefold() in TITLE_WORDS:
            last_title = index
    if last_title < 0:
        return None, phrase
    return " ".join(words[: last_title + 1]), " ".join(words[last_title + 1 :])


def looks_like_title(text: str) -> bool:
    return bool(_TITLE_NOUNS.search(text)) and len(text) <= 120


def is_person_name(text: str, *, after_title: bool = False) -> bool:
    """`after_title`: the words follow a title, so a first word like "An" (Lieutenant General
    An Ik San) is a name, not an article; a weekday or month still is none."""
    words = text.split()
    if len(words) < 2:
        return False
    first = words[0].casefold()
    if first in NOT_NAMES and not (after_title and words[0][0].isupper() and first in _ARTICLES):
        return False
    if not all(_NAME_WORD.fullmatch(word) for word in words):
        return False
    if any(country_named(word) for word in words):
        return False
    if country_named(text) or country_of_demonym(words[0]) or ORGANISATION_WORDS.search(text):
        return False
    return not any(word.casefold() in TITLE_WORDS for word in words if word[0].isupper())
