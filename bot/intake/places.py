"""Where a round is held: venue, city, country, recognised against the gazetteer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.intake.gazetteer import (
    DEMONYMS,
    MIN_BARE_CITY_POPULATION,
    capital_of,
    city_named,
    country_named,
    country_of_demonym,
)

_CAP = r"[A-Z][\w’'\-]*(?:\s+(?:el|al|es|de|du|la|sur|am|an|upon)[\s\-][A-Z][\w’'\-]*)?"
_CAPS = _CAP + r"(?:\s+" + _CAP + r"){0,2}"
_VENUE_WORDS = (
    r"Palace|Hotel|Centre|Center|House|Hall|Building|Castle|Villa|Complex|Residence|Lodge|"
    r"Headquarters|Embassy|Ministry|Palais|Château|Chateau|Resort|Club|Compound|Forum|Castle|"
    r"Airport|Airbase|Air\s+Base|Base"
)
_VENUE = (
    r"(?P<venue>(?:(?:" + _CAP + r"|of|the|des|de)\s+){0,4}(?:" + _VENUE_WORDS + r")"
    r"(?:\s+(?:of\s+|des\s+|de\s+)?" + _CAP + r"){0,3}"
    # "United Nations headquarters": an organisation's seat, written in lower case.
    r"|(?:" + _CAP + r"\s+){1,3}headquarters)"
)
_PLACE = re.compile(
    r"\b(?:in|at)\s+(?:the\s+)?(?:"
    + _VENUE
    + r"\s*(?:,\s*(?:(?:the|a|an)\s+[^,;.]{1,40}?\s+in\s+)?|"
    r"\s+in\s+))?"
    r"(?:(?P<demonym>[A-Z][a-z]+)\s+(?:(?P<kind>(?:[a-z-]+\s+){0,2}?(?:town|village))\s+of\s+|"
    r"(?:capital|city|port|resort)(?:\s+of)?,?\s+))?"
    r"(?P<city>" + _CAPS + r")"
    r"(?:,\s*(?:the\s+(?:capital|city)\s+of\s+|in\s+)?(?P<country>" + _CAPS + r"))?"
)
_NOT_A_PLACE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|The|This|That|It|"
    r"They|He|She|We|Talks|Negotiations)"
)
_DEMONYM = r"(?:" + "|".join(sorted(DEMONYMS, key=len, reverse=True)) + r")"
# "in the Qatari capital" or "in Malaysia's capital", the city left unnamed.
_UNNAMED_CAPITAL = re.compile(
    r"\b(?:in|to|at)\s+(?:the\s+(?P<demonym>"
    + _DEMONYM
    + r")|(?P<owner>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
    r"(?:’s|'s))\s+capital\b(?!,?\s+(?:of\s+)?[A-Z])"
)
# "Entebbe International Airport": a venue named for the city it is in.
_VENUE_NAMED = re.compile(r".+\s(?:" + _VENUE_WORDS + r")")
_IN_COUNTRY = re.compile(
    r",?\s+in\s+(?P<words>[A-Z][\w-]*(?:\s+(?:(?:and|of)\s+)?(?:the\s+)?[A-Z][\w-]*){0,5})"
)
_NEAR_CITY = re.compile(
    r",\s+(?:just\s+|some\s+|about\s+)?(?:[0-9]+\s*(?:km|kilometres|kilometers|miles)\s+)?"
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|outside|near)"
    r"(?:\s+of)?\s+(?P<city>" + _CAPS + r")"
)
_VENUE_ONLY = re.compile(r"\b(?:in|at)\s+(?:the\s+)?" + _VENUE)


@dataclass(frozen=True)
class Place:
    venue: str | None
    city: str | None
    country: str | None


def find_place(text: str) -> Place | None:
    """The first place named after "in" or "at" that the gazetteer knows."""
    capital = _UNNAMED_CAPITAL.search(text)
    in_capital = _unnamed_capital(capital) if capital is not None else None
    for match in _PLACE.finditer(text):
        if in_capital is not None and capital is not None and capital.start() < match.start():
            return in_capital
        place = _place_of(match) or _place_near(match, text)
        if place is not None:
            return place
    if in_capital is not None:
        return in_capital
    venue = _VENUE_ONLY.search(text)
    if venue is not None:
        country = _country_named_at(text[venue.end() :])
        return Place(venue=venue["venue"].strip(), city=None, country=country)
    return None


def _unnamed_capital(capital: re.Match[str]) -> Place | None:
    country = (
        country_of_demonym(capital["demonym"])
        if capital["demonym"]
        else country_named(capital["owner"])
    )
    city = capital_of(country) if country else None
    return Place(venue=None, city=city, country=country) if city is not None else None


def _place_near(match: re.Match[str], text: str) -> Place | None:
    """ "in Genval, south of Brussels": a town too small for the gazetteer, placed by the
    known city it is said to be near."""
    near = _NEAR_CITY.match(text, match.end("city"))
    if near is None or match["country"] or _NOT_A_PLACE.fullmatch(match["city"].split()[0]):
        return None
    city = city_named(near["city"])
    if city is None or city.population < MIN_BARE_CITY_POPULATION:
        return None
    venue = match["venue"].strip() if match["venue"] else None
    return Place(venue=venue, city=match["city"].strip(), country=city.country)


def _country_named_at(text: str) -> str | None:
    """The country right after a venue: "… Airport in Saint Vincent and the Grenadines"."""
    after = _IN_COUNTRY.match(text)
    if after is None:
        return None
    words = after["words"].split()
    for size in range(len(words), 0, -1):
        country = country_named(" ".join(words[:size]))
        if country is not None:
            return country
    return None


def _place_of(match: re.Match[str]) -> Place | None:
    venue = match["venue"].strip() if match["venue"] else None
    country = _country(match["country"]) if match["country"] else None
    if match["demonym"] and country is None:
        country = country_of_demonym(match["demonym"])
    words = match["city"].split()
    for size in range(len(words), 0, -1):
        name = " ".join(words[:size])
        as_country = country_named(name)
        city = city_named(name)
        if as_country is not None and city is not None and city.country == as_country:
            return Place(venue=venue, city=city.name, country=as_country)
        if as_country is not None and size == len(words) and not match["country"]:
            return Place(venue=venue, city=None, country=as_country) if venue else None
        if city is None:
            continue
        if country is None and city.population < MIN_BARE_CITY_POPULATION:
            continue
        if venue is None and _VENUE_NAMED.fullmatch(" ".join(words)):
            venue = " ".join(words)
        return Place(venue=venue, city=city.name, country=country or city.country)
    vouched = match["country"] or match["kind"]
    if vouched and country is not None and country_named(match["city"]) is None:
        # "in Naqoura, Lebanon", "in the Tunisian seaside town of Gammarth": a town too small
        # for the gazetteer, vouched for by its country, the way reports name small places.
        name = match["city"].strip()
        if not _NOT_A_PLACE.fullmatch(name.split()[0]):
            return Place(venue=venue, city=name, country=country)
    return None


def _country(text: str) -> str | None:
    words = text.split()
    for size in range(len(words), 0, -1):
        found = country_named(" ".join(words[:size]))
        if found is not None:
            return found
    return None
