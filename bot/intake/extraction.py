"""Article text in, a proposed card out: a plain function of plain values, so it is tested and
measured (`python -m bench.extraction`) without Telegram or a database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.intake.dates import (
    DateMention,
    extended_by_duration,
    extended_by_earlier_start,
    extended_by_ending,
    extended_by_later_end,
    extended_to_until,
    find_dates,
)
from bot.intake.delegations import Person, find_people
from bot.intake.gazetteer import MIN_BARE_CITY_POPULATION, capital_of, city_named, country_named
from bot.intake.known_topics import KnownTopic, PartyNames, match_topics
from bot.intake.names import is_person_name
from bot.intake.outcome import Outcome, find_outcome, find_status
from bot.intake.places import Place, find_place
from bot.intake.roles import (
    Roles,
    drop_surnames,
    find_delegation_sides,
    find_negotiating_parties,
    find_roles,
)
from bot.intake.round_context import Segment, segment_sentences
from bot.intake.round_number import ORDINALS, find_round_number
from bot.intake.sentences import read_article
from bot.intake.statements import Statement, find_statements
from bot.intake.summary import summarise

MAX_TITLE_CHARS = 200
_MEETING_WORDS = re.compile(
    r"\b(?:talks|rounds?|negotiations?|meetings?|sessions?|met|meet|meets|convene[sd]?|summit|"
    r"dialogue|consultations|sittings?|discussions)\b",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"(?:scheduled|planned|set|due|slated|meant)\s+(?:to\s+(?:be\s+held|take\s+place|open|begin|"
    r"start|resume|convene|meet|hold)\b[^.;]{0,40}?\s)?(?:for|on)\s+$|\bpostponed\s+from\s+$|"
    r"\boriginally\s+$",
    re.IGNORECASE,
)
# "Delegations arrived in Riyadh on Sunday for talks that begin on Monday": the day of a
# journey is not the round's.
_ARRIVAL = re.compile(
    r"\b(?:arrived|arrives|arriving|flew|landed|travelled|traveled|departed)\b[^.;,]{0,40}$",
    re.IGNORECASE,
)
# "released them on Wednesday in an exchange agreed at talks in Doha on Thursday last week":
# the day said of the talks themselves is the round's, whatever else happened first.
_AT_TALKS = re.compile(
    r"\b(?:at|in|during)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:talks|negotiations|meeting|round|session)\b"
    r"[^.;,]{0,30}?\bon\s*$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?P<head>(?:[^\n]*\n\s*\n)?)\s*[A-Z][A-Z .'-]{2,40},?\s+"
    r"(?:[A-Z][a-z]{2,8}\.?\s+[0-9]{1,2}\s+|[0-9]{1,2}\s+[A-Z][a-z]{2,8}\.?\s+)?"
    r"(?:\([A-Za-z .&]{1,40}\)\s*)?[-–—]+\s*"
)
_DATELINE_AGENCY = re.compile(r"\((?P<agency>[A-Z][A-Za-z .&]{1,40})\)\s*[-–—]")
# "GOMA, Congo, April 2 (Reuters) -", "THE HAGUE —": the city a story is filed from.
_DATELINE_PLACE = re.compile(
    r"^(?P<city>[A-Z][A-Z .'-]{1,40}?[A-Z])(?:,\s+(?P<country>[A-Z][A-Za-z .'’-]{2,40}?))?"
    r"(?:,\s+[^\n–—]{1,30}?)?\s+[-–—]+\s",
    re.MULTILINE,
)
# "in the capital", "this highland town", "here": the body points back at the dateline.
_POINTS_AT_CITY = re.compile(
    r"\b(?:in|at|of|to|near)\s+(?:the|this|that)\s+(?:[a-z-]+\s+){0,2}(?P<kind>capital|city|"
    r"town|village|port|resort)\b(?!\s+of\b)|\bhere\b"
)
# "the envoy said on Thursday": the day a thing was said, not the day of the talks.
_SAID_ON = re.compile(
    r"\b(?:said|told\s+(?:reporters|journalists)|announced|added)(?:\s+in\s+a\s+[a-z]+)?"
    r"(?:\s+on)?\s*$"
)
_OWNED_BODY = re.compile(r"^(?:the\s+)?(?P<owner>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)(?:’s|'s)\s+[A-Z]")
# "in the southern city of Namibe": a place too small for the gazetteer, in the country the
# story is filed from.
_TOWN_OF = re.compile(
    r"\b(?:in|at|near)\s+the\s+(?:[a-z-]+\s+){0,2}(?:city|town|village|port)\s+of\s+"
    r"(?P<city>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})"
)
_URL = re.compile(r"https?://[^\s<>\"')]+")


@dataclass(frozen=True)
class ProposedSource:
    publisher: str
    title: str | None
    published: date | None
    url: str | None


@dataclass(frozen=True)
class ProposedCard:
    number: int | None
    title: str
    start_date: date | None
    end_date: date | None
    place: Place | None
    status: str | None
    parties: tuple[str, ...]
    mediators: tuple[str, ...]
    hosts: tuple[str, ...]
    observers: tuple[str, ...]
    people: tuple[Person, ...]
    statements: tuple[Statement, ...]
    outcome: Outcome | None
    source: ProposedSource | None
    summary: str


@dataclass(frozen=True)
class Extraction:
    card: ProposedCard
    topics: tuple[KnownTopic, ...]


def extract_card(
    text: str,
    message_date: date,
    topics: tuple[KnownTopic, ...] = (),
    publisher: str | None = None,
) -> Extraction:
    """`topics` are the known ones with their parties; the card uses their spellings when the
    article names their parties. `publisher` is who the article came from, when known (the
    channel a post was forwarded from)."""
    article = read_article(_without_dateline(text))
    texts = [*([article.headline] if article.headline else []), *article.sentences]
    matched = match_topics(text, topics)
    names = PartyNames()
    for topic in matched:
        for party in topic.parties:
            names.add(party.name, party.aliases)
    parties = _negotiating_parties(article.sentences, article.headline, matched, names)
    number = find_round_number(texts)
    roles = Roles()
    for sentence in texts:
        find_roles(sentence, names, roles)
    drop_surnames(roles)
    current = [s for s in segment_sentences(texts, number) if s.current]
    for name in (*roles.mediators, *roles.hosts):
        names.add(name)
    people = [
        p for p in find_people(list(article.sentences), names, set(parties)) if p.party is not None
    ]
    outcome = find_outcome([s.text for s in current if s.text is not article.headline])
    dates = _round_dates(current, message_date)
    status = find_status([s.text for s in current], outcome is not None)
    status = status or _status_from_dates(dates, message_date)
    if status in ("ongoing", "concluded", None) and dates and dates.start > message_date:
        status = "scheduled"
    if status == "ongoing" and dates and dates.end and dates.end < message_date:
        status = "concluded"
    place = _round_place(current) or _dateline_place(text, article.headline, article.sentences)
    card = ProposedCard(
        number=number,
        title=_title(article.headline, number, place),
        start_date=dates.start if dates else None,
        end_date=dates.end if dates else None,
        place=place,
        status=status,
        parties=tuple(parties),
        mediators=tuple(m for m in roles.mediators if m not in parties),
        hosts=tuple(h for h in roles.hosts if h not in parties and h not in roles.mediators),
        observers=tuple(o for o in roles.observers if o not in roles.mediators),
        people=tuple(people),
        statements=tuple(find_statements(list(article.sentences), names, people)),
        outcome=outcome,
        source=_source(text, article.headline, message_date, publisher),
        summary=summarise(list(article.sentences), parties + roles.mediators),
    )
    return Extraction(card=card, topics=matched)


def _without_dateline(text: str) -> str:
    """ "MAPUTO, Aug 14 (Reuters) -" says when the story was filed, not when the talks were."""
    return _DATELINE.sub(lambda match: match["head"], text, count=1)


def _negotiating_parties(
    sentences: tuple[str, ...],
    headline: str | None,
    matched: tuple[KnownTopic, ...],
    names: PartyNames,
) -> list[str]:
    """A known topic's sides, else the first pair the article's body names (a headline
    abbreviates them: "Congo" for the Democratic Republic of the Congo)."""
    if matched:
        return list(
            dict.fromkeys(
                p.name for topic in matched for p in topic.parties if p.role == "negotiating"
            )
        )
    found = [find_negotiating_parties(text, names) for text in sentences]
    found.append(find_negotiating_parties(headline or "", names, headline=True))
    # "Egypt held talks with Hamas" pairs a mediator with a side: a pair without one wins.
    roles = Roles()
    for text in (*sentences, headline or ""):
        find_roles(text, PartyNames(dict(names.spellings)), roles)
    mediating = set(roles.mediators)
    found = [p for p in found if not mediating & {n for n, _ in p}] + [
        p for p in found if mediating & {n for n, _ in p}
    ]
    # A side written only as its kind ("armed groups") gives way to one named later.
    named = [pair for pair in found if len(pair) >= 2 and all(p[:1].isupper() for p, _ in pair)]
    sides = next(iter(named), None) or next((pair for pair in found if len(pair) >= 2), None)
    sides = sides or next((side for side in found if side), [])
    sides = next((pair for pair in found if _owned_by(pair, sides)), sides)
    if not sides:
        owners = [pair for text in sentences for pair in find_delegation_sides(text, names)]
        unique = list({name: (name, words) for name, words in owners}.values())
        sides = unique if len(unique) >= 2 else []
    for party, words in sides:
        names.add(party, _spellings(words))
    return [party for party, _ in sides]


def _spellings(words: str) -> tuple[str, ...]:
    """The article's own words for a side, and "government" for the side that is one."""
    words = re.sub(r"^the\s+", "", words.strip())
    spellings = [words]
    if re.search(r"\bgovernment\b", words, re.IGNORECASE):
        spellings.append("government")
    if re.search(r"\b(?:armed\s+forces|army|military)\b", words, re.IGNORECASE):
        spellings.append("army")
    if re.search(r"\bopposition\b", words, re.IGNORECASE):
        spellings.append("opposition")
    if is_person_name(words):
        # A side that is a person is written by surname after the first mention.
        spellings.append(words.split()[-1])
    return tuple(spellings)


def _owned_by(pair: list[tuple[str, str]], sides: list[tuple[str, str]]) -> bool:
    """ "between Taiwan's Straits Exchange Foundation and China's ARATS": bodies the sides own,
    named as the talks' parties, stand for them."""
    states = {name for name, _ in sides}
    owners = {
        country_named(owned["owner"]) if (owned := _OWNED_BODY.match(words)) else None
        for _, words in pair
    }
    return len(pair) == len(sides) >= 2 and owners == states


def _round_dates(current: list[Segment], message_date: date) -> DateMention | None:
    """The planned date of a postponed round comes first; then a date said of a meeting."""
    at_talks: list[DateMention] = []
    meeting: list[DateMention] = []
    other: list[DateMention] = []
    reported: list[DateMention] = []
    for index, segment in enumerate(current):
        found = find_dates(segment.text, message_date)
        for mention in found:
            mention = extended_to_until(segment.text, mention, found)
            # The sentence runs on past a round's mention ("a day after the third round …").
            rest = "".join(s.text for s in current[index + 1 :] if s.sentence == segment.sentence)
            mention = extended_by_duration(segment.text + rest, mention)
            if _PLANNED.search(segment.text[: mention.position]):
                return mention
            later = [s.text for s in current[index + 1 :]]
            mention = extended_by_later_end(mention, later, message_date)
            mention = extended_by_earlier_start(mention, [s.text for s in current], message_date)
            arrival = _ARRIVAL.search(segment.text[: mention.position])
            about_meeting = _MEETING_WORDS.search(segment.text) and not arrival
            if _AT_TALKS.search(segment.text[: mention.position]):
                at_talks.append(mention)
            if _SAID_ON.search(segment.text[: mention.position]):
                reported.append(mention)
                continue
            (meeting if about_meeting else other).append(mention)
    candidates = at_talks or meeting or other or reported
    if not candidates:
        return None
    return extended_by_ending(candidates[0], [s.text for s in current], message_date)


def _status_from_dates(dates: DateMention | None, message_date: date) -> str | None:
    if dates is None:
        return None
    if dates.start > message_date:
        return "scheduled"
    return "ongoing" if (dates.end or dates.start) >= message_date else "concluded"


def _round_place(current: list[Segment]) -> Place | None:
    """The first city named for a meeting, with the venue if any sentence gives one there."""
    places = [(find_place(s.text), bool(_MEETING_WORDS.search(s.text))) for s in current]
    found = [place for place, _ in places if place is not None]
    chosen = next((p for p, meeting in places if p is not None and meeting and p.city), None)
    chosen = chosen or next(iter(found), None)
    if chosen is None or chosen.venue:
        return chosen
    venue = next((p.venue for p in found if p.venue and p.city == chosen.city), None)
    return Place(venue, chosen.city, chosen.country) if venue else chosen


def _dateline_place(text: str, headline: str | None, sentences: tuple[str, ...]) -> Place | None:
    """A report filed from the city the talks are in names it once, in the dateline, and then
    says "the capital", "this town", uses the name as a word ("a Harare hotel"), or says only
    that the talks are in the dateline's country ("talks in Costa Rica")."""
    dateline = _DATELINE_PLACE.search(text[:400])
    if dateline is None:
        return None
    name = dateline["city"].title()
    known = city_named(name)
    country = country_named(dateline["country"]) if dateline["country"] else None
    # "GOMA, Congo": a short country name the known city's country contains is that country.
    if known is not None and (country is None or dateline["country"].strip() in known.country):
        name, country = known.name, known.country
    elif country is None:
        return None
    body = " ".join(sentences)
    named = re.search(r"\b" + re.escape(name) + r"\b(?!,?\s+(?:and|or)\b)", body)
    pointed = [m["kind"] for m in _POINTS_AT_CITY.finditer(body)]
    capital = capital_of(country) == name
    if named or any(kind != "capital" or capital for kind in pointed):
        return Place(None, name, country)
    town = _TOWN_OF.search(body)
    if town is not None:
        # A small namesake abroad ("Banki", India) does not outweigh the dateline's country.
        known_town = city_named(town["city"])
        if known_town is None or known_town.population < MIN_BARE_CITY_POPULATION:
            return Place(None, town["city"], country)
        if known_town.country == country:
            return Place(None, known_town.name, country)
    spellings = {country, dateline["country"].strip()} if dateline["country"] else {country}
    in_country = r"\bin\s+(?:the\s+)?(?:" + "|".join(map(re.escape, spellings)) + r")\b"
    if re.search(in_country, " ".join([headline or "", body])):
        return Place(None, name, country)
    return None


def _title(headline: str | None, number: int | None, place: Place | None) -> str:
    if headline:
        return headline[:MAX_TITLE_CHARS]
    ordinal = next((word for word, n in ORDINALS.items() if n == number), None)
    where = f" in {place.city or place.country}" if place and (place.city or place.country) else ""
    return f"{ordinal.capitalize()} round of talks{where}" if ordinal else f"Talks{where}"


def _source(
    text: str, headline: str | None, message_date: date, publisher: str | None
) -> ProposedSource | None:
    url_match = _URL.search(text)
    url = url_match.group(0).rstrip(".,;") if url_match else None
    agency = _DATELINE_AGENCY.search(text[:300])
    publisher = publisher or (agency["agency"].strip() if agency else None)
    if publisher is None and url is not None:
        publisher = re.sub(r"^www\.", "", url.split("/")[2])
    if publisher is None:
        return None
    return ProposedSource(publisher, headline, message_date, url)
