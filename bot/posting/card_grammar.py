"""Turn the card an admin sends with `/post <slug>` into a RoundCard.

Problems are collected with their line numbers and raised together, so the admin can fix the
whole card in one edit instead of resending it once per mistake. Text is kept raw: escaping is
the renderer's job, and doing it here would escape it twice.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date
from functools import partial
from urllib.parse import urlsplit

from bot.reading.language import N_
from storage.card import (
    MEMBER_ROLES,
    POST_KINDS,
    ROUND_STATUSES,
    STATEMENT_KINDS,
    AliasEntry,
    CardError,
    CardProblem,
    DelegationEntry,
    RoundCard,
    SourceEntry,
    StatementEntry,
)

MAX_VALUE_CHARS = 1000
MAX_TITLE_CHARS = 200
MAX_PARTY_CHARS = 100
MAX_SUMMARY_CHARS = 3500
# Keeps a typo such as `round: 20266` out of storage; no negotiation runs to a thousand rounds.
MAX_ROUND_NUMBER = 999

CARD_EXAMPLE = """\
/post pak-taliban-talks
round: 2
title: Second round of talks begins in Istanbul
date: 2026-10-24
place: Istanbul, Turkey
parties: Pakistan; Taliban administration
mediators: Qatar; Turkey
status: ongoing
head: Taliban administration = Haji Najib (Deputy Minister of Interior)
spokesperson: Taliban administration = Zabihullah Mujahid
member: Pakistan = Inter-Services Intelligence (ISI) senior officials
member: Pakistan = Ministry of Defence officials
member: Pakistan = a high-level diplomat (Ministry of Foreign Affairs)
member: Pakistan = Director General of Military Operations
spokesperson: Pakistan = Tahir Hussain Andrabi (Ministry of Foreign Affairs)
demand: Pakistan / Tahir Hussain Andrabi = a verifiable mechanism to prevent terrorist attacks \
launched from Afghan territory (2026-10-23)
alias: Taliban administration = Islamic Emirate
announcement: Taliban administration / Zabihullah Mujahid = a delegation led by Haji Najib \
travelled to Turkey on Friday
source: Ministry of Foreign Affairs press conference, 2026-10-23
summary:
Pakistan and the Taliban administration opened a second round of talks in Istanbul on \
Saturday. The first round, held in Doha on 18–19 October under joint Qatari and Turkish \
mediation, ended with a ceasefire and an agreement to keep negotiating, but without a clear \
Taliban commitment to curb extremist groups.

Pakistan says its main demand is a clearly defined, mutually agreed mechanism to stop attacks \
launched from Afghan territory. The Taliban administration has not released its positions or \
any practical measures against militant groups operating from Afghan soil.
"""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Anything a reader would take for a date ("20-11-2026", "2026/11/20"), so it is checked rather
# than taken for part of a source's title.
_DATE_LIKE = re.compile(r"[0-9]{1,4}\s*[-./]\s*[0-9]{1,2}\s*[-./]\s*[0-9]{1,4}")
_LINK_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://.*|www\..*", re.DOTALL)
_STATEMENT_DATE = re.compile(r"(?P<text>.*?)\s*\((?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})\)", re.DOTALL)
_QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "„": "“"}
_KEY_LINE = re.compile(r"([A-Za-z][A-Za-z0-9 _-]{0,29}?)\s*:(.*)")
_SUMMARY_LINE = re.compile(r"\s*summary\s*:", re.IGNORECASE)
_OUTCOME_TYPE = re.compile(r"[a-z][a-z -]{0,39}")
_SINGLE_KEYS = frozenset({"round", "title", "date", "place", "status", "outcome", "next", "kind"})
_KIND_SPELLINGS = {kind.replace("_", " "): kind for kind in POST_KINDS} | {"update": "round_update"}


class _LineProblem(Exception):
    """A problem with one card line; the caller knows the line number and records it. The
    message is English with `{name}` places for `values`, so it can be translated."""

    def __init__(self, template: str, **values: str | int) -> None:
        super().__init__(template.format(**values) if values else template)
        self.template = template
        self.values = values

    def at(self, line: int) -> CardProblem:
        return CardProblem.of(line, self.template, **self.values)


Handler = Callable[[RoundCard, str, int], None]


def parse_card(text: str) -> RoundCard:
    """Parse a whole `/post` message, raising CardError with every problem found."""
    card, problems = read_card(text)
    if problems:
        raise CardError(problems)
    return card


def read_card(text: str) -> tuple[RoundCard, list[CardProblem]]:
    """The card as far as it could be read, and every problem found on the way.

    The partial card lets the caller check it against stored data in the same pass, so the
    admin hears about a missing title and a bad date at once. Line numbers are the message's
    own, so the command line is line 1; it is skipped when it starts with `/` so the card can
    also be parsed on its own.
    """
    lines = text.splitlines()
    body_start = 1 if lines and lines[0].lstrip().startswith("/") else 0
    card = RoundCard()
    if not any(line.strip() for line in lines[body_start:]):
        message = N_(
            "the card is empty; add `key: value` lines below `/post <slug>`, e.g. `title: …`"
        )
        return card, [CardProblem.of(1, message)]

    summary_index = next(
        (i for i in range(body_start, len(lines)) if _SUMMARY_LINE.match(lines[i])), len(lines)
    )
    problems: list[CardProblem] = []
    for index in range(body_start, summary_index):
        line_number = index + 1
        stripped = lines[index].strip()
        if not stripped:
            continue
        try:
            key, value = _split_key(stripped)
            _note_first_use(key, line_number, card.key_lines)
            _apply(card, key, value, line_number)
        except _LineProblem as problem:
            problems.append(problem.at(line_number))

    if summary_index < len(lines):
        card.key_lines.setdefault("summary", summary_index + 1)
        first_summary_line = lines[summary_index].split(":", 1)[1]
        try:
            card.summary = _summary_block([first_summary_line, *lines[summary_index + 1 :]])
        except _LineProblem as problem:
            problems.append(problem.at(summary_index + 1))
    return card, problems


def quoted(value: str) -> str:
    """A value inside a message's `code` marks; a backtick of its own would end them early."""
    return "`" + value.replace("`", "'")[:80] + "`"


def _split_key(line: str) -> tuple[str, str]:
    """Return the canonical key and the stripped value of a `key: value` line."""
    match = _KEY_LINE.fullmatch(line)
    if match is None:
        raise _LineProblem(N_("expected `key: value`, e.g. `title: Talks resume in Doha`"))
    typed = match[1].strip().lower()
    if typed not in _KEY_SPELLINGS:
        raise _unknown_key(typed)
    return _KEY_SPELLINGS[typed], match[2].strip()


def _unknown_key(typed: str) -> _LineProblem:
    close = difflib.get_close_matches(typed, list(_KEY_SPELLINGS), n=1)
    keys = ", ".join(CARD_KEYS)
    if close:
        return _LineProblem(
            N_("unknown key `{typed}` (did you mean `{close}`?); known keys: {keys}"),
            typed=typed, close=close[0], keys=keys,
        )  # fmt: skip
    return _LineProblem(N_("unknown key `{typed}`; known keys: {keys}"), typed=typed, keys=keys)


def _note_first_use(key: str, line: int, first_lines: dict[str, int]) -> None:
    """Reject a second single-value key rather than silently letting one of them win."""
    if key in _SINGLE_KEYS and key in first_lines:
        raise _LineProblem(
            N_("`{key}` given twice (first on line {first})"), key=key, first=first_lines[key]
        )
    first_lines.setdefault(key, line)


def _apply(card: RoundCard, key: str, value: str, line: int) -> None:
    if not value:
        raise _LineProblem(N_("`{key}` has no value"), key=key)
    if len(value) > MAX_VALUE_CHARS:
        raise _LineProblem(
            N_("`{key}` is {length} characters long; the limit is {limit}"),
            key=key, length=len(value), limit=MAX_VALUE_CHARS,
        )  # fmt: skip
    _HANDLERS[key](card, value, line)


def _summary_block(lines: list[str]) -> str:
    summary = "\n".join(lines).strip()
    if not summary:
        raise _LineProblem(N_("the summary is empty; write it after `summary:`"))
    if len(summary) > MAX_SUMMARY_CHARS:
        raise _LineProblem(
            N_("the summary is {length} characters long; the limit is {limit}"),
            length=len(summary), limit=MAX_SUMMARY_CHARS,
        )  # fmt: skip
    return summary


def _set_round(card: RoundCard, value: str, line: int) -> None:
    if value.lower() in ("none", "-"):
        card.number = None
    elif re.fullmatch(r"[0-9]+", value) and 1 <= int(value) <= MAX_ROUND_NUMBER:
        card.number = int(value)
    else:
        raise _LineProblem(
            N_("round must be a number from 1 to {highest}, or `none`; got {typed}"),
            highest=MAX_ROUND_NUMBER, typed=quoted(value),
        )  # fmt: skip
    card.number_given = True


def _set_title(card: RoundCard, value: str, line: int) -> None:
    if len(value) > MAX_TITLE_CHARS:
        raise _LineProblem(
            N_("the title is {length} characters long; the limit is {limit}"),
            length=len(value), limit=MAX_TITLE_CHARS,
        )  # fmt: skip
    card.title = value


def _set_dates(card: RoundCard, value: str, line: int) -> None:
    start_text, is_range, end_text = value.partition("..")
    start = _iso_date(start_text.strip())
    end = _iso_date(end_text.strip()) if is_range else None
    if end is not None and end < start:
        raise _LineProblem(
            N_("the date range ends ({end}) before it starts ({start})"),
            end=str(end), start=str(start),
        )  # fmt: skip
    card.start_date, card.end_date = start, end


def _iso_date(text: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise _LineProblem(
            N_("{typed} is not a date; write dates as `YYYY-MM-DD`"), typed=quoted(text)
        )
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _LineProblem(N_("{typed} is not a real date"), typed=quoted(text)) from None


def _set_place(card: RoundCard, value: str, line: int) -> None:
    parts = [part.strip() for part in value.split(",")]
    if "" in parts:
        raise _LineProblem(N_("`place` has an empty part between commas"))
    match parts:
        case [city]:
            card.venue, card.city, card.country = None, city, None
        case [city, country]:
            card.venue, card.city, card.country = None, city, country
        case [venue, city, country]:
            card.venue, card.city, card.country = venue, city, country
        case _:
            raise _LineProblem(
                N_(
                    "`place` has {count} comma-separated parts; "
                    "expected `city`, `city, country` or `venue, city, country`"
                ),
                count=len(parts),
            )


def _add_names(field_name: str, card: RoundCard, value: str, line: int) -> None:
    """Append `;`-separated party names, skipping ones the list already has in any case."""
    names = [name.strip() for name in value.split(";")]
    if "" in names:
        raise _LineProblem(N_("`{key}` has an empty name; separate names with `;`"), key=field_name)
    for name in names:
        _check_party_name(name)
    target: list[str] = getattr(card, field_name)
    known = {name.casefold() for name in target}
    for name in names:
        if name.casefold() not in known:
            target.append(name)
            known.add(name.casefold())


def _check_party_name(name: str) -> str:
    if not name:
        raise _LineProblem(N_("the party name is empty"))
    if len(name) > MAX_PARTY_CHARS:
        raise _LineProblem(
            N_("party name {typed} is {length} characters long; the limit is {limit}"),
            typed=quoted(name[:40] + "…"), length=len(name), limit=MAX_PARTY_CHARS,
        )  # fmt: skip
    return name


def _set_status(card: RoundCard, value: str, line: int) -> None:
    status = value.lower()
    if status not in ROUND_STATUSES:
        raise _LineProblem(
            N_("unknown status {typed}; use one of: {names}"),
            typed=quoted(value), names=", ".join(ROUND_STATUSES),
        )  # fmt: skip
    card.status = status


def _split_assignment(value: str, usage: _LineProblem) -> tuple[str, str]:
    """Split `left = right`, both required; `usage` tells the admin the expected shape."""
    left, has_equals, right = value.partition("=")
    left, right = left.strip(), right.strip()
    if not (has_equals and left and right):
        raise usage
    return left, right


def _add_member(role: str, card: RoundCard, value: str, line: int) -> None:
    party, person_text = _split_assignment(
        value,
        _LineProblem(
            N_(
                "expected `Party = person`, e.g. `{role}: Pakistan = Tahir Hussain Andrabi "
                "(Ministry of Foreign Affairs)`"
            ),
            role=role,
        ),
    )
    person, title = _person_and_title(person_text)
    card.delegation.append(DelegationEntry(role, _check_party_name(party), person, title, line))


def _person_and_title(text: str) -> tuple[str, str | None]:
    """Take the title only from a trailing `(...)` group.

    Parentheses elsewhere belong to the name, as in "Inter-Services Intelligence (ISI) senior
    officials". A group with nothing before it is the whole name, not a title.
    """
    if not text.endswith(")"):
        return text, None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                person = text[:index].strip()
                title = text[index + 1 : -1].strip()
                return (person, title or None) if person else (text, None)
    return text, None


def _add_statement(kind: str, card: RoundCard, value: str, line: int) -> None:
    """Accept `Party = text`, `Party / Person = text`, or bare text from no named party."""
    speaker, has_speaker, said = value.partition("=")
    party: str | None = None
    person: str | None = None
    text = value
    if has_speaker:
        party_text, has_person, person_text = speaker.partition("/")
        party = _check_party_name(party_text.strip())
        person = person_text.strip() if has_person else None
        if has_person and not person:
            raise _LineProblem(
                N_("no person after `/`; write `{kind}: Party / Person = text`"), kind=kind
            )
        text = said.strip()
    said_on: date | None = None
    dated = _STATEMENT_DATE.fullmatch(text)
    if dated is not None:
        text, said_on = dated["text"], _iso_date(dated["date"])
    if not text:
        raise _LineProblem(N_("the {kind} has no text after `=`"), kind=kind)
    card.statements.append(StatementEntry(kind, party, person, text, line, said_on))


def _add_alias(card: RoundCard, value: str, line: int) -> None:
    party, alias = _split_assignment(
        value,
        _LineProblem(
            N_(
                "expected `Party = other name`, e.g. "
                "`alias: Taliban administration = Islamic Emirate`"
            )
        ),
    )
    card.aliases.append(AliasEntry(_check_party_name(party), _check_party_name(alias), line))


def _set_outcome(card: RoundCard, value: str, line: int) -> None:
    type_text, has_type, described = value.partition("=")
    outcome_type: str | None = None
    text = value
    if has_type:
        outcome_type = " ".join(type_text.split()).lower()
        if not _OUTCOME_TYPE.fullmatch(outcome_type):
            raise _LineProblem(
                N_(
                    "outcome type {typed} must be a few letters or words "
                    "(at most 40), e.g. `outcome: ceasefire = both sides agreed to stop firing`"
                ),
                typed=quoted(type_text.strip()),
            )
        text = described.strip()
    if not text:
        raise _LineProblem(N_("the outcome has no text after `=`"))
    card.outcome_type, card.outcome_text = outcome_type, text


def _set_next(card: RoundCard, value: str, line: int) -> None:
    card.next_meeting = value


def _add_source(card: RoundCard, value: str, line: int) -> None:
    """`Publisher, title, date, link`: the title may hold commas, so the parts are sorted by
    what they look like. Something that looks like a date or a link must be one, and nothing
    but a link may follow the date, so a typo is reported instead of becoming the title."""
    published: date | None = None
    url: str | None = None
    named: list[str] = []
    for part in (part.strip() for part in value.split(",")):
        if not part:
            continue
        if _DATE_LIKE.fullmatch(part):
            if published is not None:
                raise _LineProblem(N_("the source has two dates"))
            published = _iso_date(part)
        elif _LINK_LIKE.fullmatch(part):
            if url is not None:
                raise _LineProblem(N_("the source has two links"))
            url = _checked_url(part)
        elif named and (published or url):
            after_date = N_(
                "{typed} after the date is neither a date "
                "nor a link; write `source: Publisher, title, YYYY-MM-DD, https://…`"
            )
            after_link = N_(
                "{typed} after the link is neither a date "
                "nor a link; write `source: Publisher, title, YYYY-MM-DD, https://…`"
            )
            raise _LineProblem(after_date if published else after_link, typed=quoted(part))
        else:
            named.append(part)
    if not named:
        raise _LineProblem(
            N_(
                "the source needs a publisher, e.g. "
                "`source: Reuters, headline, 2026-10-24, https://…`"
            )
        )
    title = _unquoted(", ".join(named[1:])) or None
    card.sources.append(SourceEntry(named[0], title, url, published, line))


def _unquoted(title: str) -> str:
    """Titles are often pasted with their quotation marks; the renderer adds its own."""
    if len(title) >= 2 and _QUOTE_PAIRS.get(title[0]) == title[-1]:
        return title[1:-1].strip()
    return title


def _checked_url(text: str) -> str:
    """Only links Telegram opens; `urlsplit` raises on some malformed hosts and ports, which
    is the admin's typo to hear about, not a crash."""
    unusable = _LineProblem(
        N_("{typed} is not a usable link; write `https://…`"), typed=quoted(text)
    )
    if any(char.isspace() for char in text):
        raise unusable
    try:
        parts = urlsplit(text)
        _ = parts.port
    except ValueError:
        raise unusable from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise unusable
    return text


def _set_kind(card: RoundCard, value: str, line: int) -> None:
    kind = _KIND_SPELLINGS.get(" ".join(value.lower().replace("_", " ").replace("-", " ").split()))
    if kind is None:
        names = ", ".join(kind.replace("_", " ") for kind in POST_KINDS)
        raise _LineProblem(
            N_("unknown kind {typed}; use one of: {names}"), typed=quoted(value), names=names
        )
    card.kind = kind


_HANDLERS: dict[str, Handler] = {
    "round": _set_round,
    "title": _set_title,
    "date": _set_dates,
    "place": _set_place,
    "status": _set_status,
    "parties": partial(_add_names, "parties"),
    "mediators": partial(_add_names, "mediators"),
    "hosts": partial(_add_names, "hosts"),
    "observers": partial(_add_names, "observers"),
    **{role: partial(_add_member, role) for role in MEMBER_ROLES},
    **{kind: partial(_add_statement, kind) for kind in STATEMENT_KINDS},
    "alias": _add_alias,
    "outcome": _set_outcome,
    "next": _set_next,
    "source": _add_source,
    "kind": _set_kind,
}

CARD_KEYS: tuple[str, ...] = (*_HANDLERS, "summary")

_KEY_SPELLINGS: dict[str, str] = {key: key for key in CARD_KEYS} | {
    "party": "parties",
    "mediator": "mediators",
    "host": "hosts",
    "observer": "observers",
}


def card_key(typed: str) -> str | None:
    """The canonical key a card line's key is written for, or None when it is none."""
    return _KEY_SPELLINGS.get(typed.strip().lower())
