"""Telegram HTML for alerts and topic answers, built only from view values.

Every stored string goes through `html.escape`: titles, names and summaries are typed by admins or
copied from articles, and one stray "<" or "&" would make Telegram reject the whole message (or
worse, format it). Messages are paragraphs separated by a blank line, each closing its own tags,
so `bot.delivery.split.split_message` can cut between them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

from storage.views import (
    MemberView,
    PartyView,
    PlaceView,
    RoundBrief,
    RoundView,
    SourceView,
    StatementView,
    TopicView,
)

ALERT_LABELS: dict[str, str] = {
    "new_round": "🆕 New round",
    "round_update": "🔄 Round update",
    "outcome": "🤝 Outcome",
    "statement": "🗣 Statement",
    "correction": "✏️ Correction",
    "latest": "📌 Latest round",
}

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_MEMBER_LABELS: dict[str, tuple[str, str]] = {
    "head": ("Head", "Heads"),
    "member": ("Member", "Members"),
    "spokesperson": ("Spokesperson", "Spokespeople"),
}

_PARTY_SECTIONS = (
    ("negotiating", "🤝 <b>Negotiating parties</b>"),
    ("mediator", "🕊 <b>Mediators</b>"),
    ("host", "🏛 <b>Hosts</b>"),
    ("observer", "👀 <b>Observers</b>"),
)
_OTHER_PARTIES = "➕ <b>Other parties</b>"

_LINKABLE_SCHEMES = ("http", "https")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def render_round_summary(view: RoundView, *, kind: str = "new_round") -> str:
    """The alert a subscriber reads on a phone: the news first (what, when, where, who), then
    who said what, then context (outcome, what next, what came before, where it is reported),
    and the admin's summary last because it is the longest and least scannable part."""
    if kind not in ALERT_LABELS:
        raise ValueError(f"unknown alert kind {kind!r}; expected one of {', '.join(ALERT_LABELS)}")
    paragraphs = [
        f"{ALERT_LABELS[kind]}\n<b>{_escaped(view.topic_title)}</b>",
        _round_facts(view),
        *("\n".join(_party_lines(party)) for party in view.parties),
        _other_statements(view.other_statements),
        _outcome_paragraph(view.outcome_type, view.outcome_text),
        _labelled("Next meeting", view.next_meeting),
        _previous_round(view.previous),
        _sources(view.sources),
        *_paragraphs_of(view.summary),
    ]
    return _join_paragraphs(paragraphs)


def render_parties(
    topic_title: str,
    slug: str,
    parties: Sequence[PartyView],
    *,
    round_label: str | None = None,
) -> str:
    """Who sits at the table, grouped by role. A party holding several roles is listed under each,
    with its delegation and statements shown once, under the first role."""
    header = _topic_header("👥", topic_title, slug)
    if not parties:
        return _join_paragraphs([header, "No parties recorded yet."])
    delegation_heading = (
        f"<i>Delegation in {_escaped(round_label)}</i>" if _present(round_label) else None
    )
    paragraphs = [header]
    detailed: set[int] = set()
    known_roles = {role for role, _ in _PARTY_SECTIONS}
    sections = [
        (heading, [(i, p, None) for i, p in enumerate(parties) if role in p.roles])
        for role, heading in _PARTY_SECTIONS
    ]
    sections.append(
        (
            _OTHER_PARTIES,
            [
                (i, p, _unknown_roles(p, known_roles))
                for i, p in enumerate(parties)
                if not p.roles or any(role not in known_roles for role in p.roles)
            ],
        )
    )
    for heading, listed in sections:
        blocks = []
        for index, party, note in listed:
            if index in detailed:
                blocks.append([_party_name(party, note)])
            else:
                blocks.append(_party_lines(party, delegation_heading, note))
                detailed.add(index)
        if not blocks:
            continue
        if all(len(block) == 1 for block in blocks):
            paragraphs.append("\n".join([heading, *(f"• {block[0]}" for block in blocks)]))
        else:
            paragraphs.append(heading)
            paragraphs.extend("\n".join(block) for block in blocks)
    return _join_paragraphs(paragraphs)


def render_history(topic_title: str, slug: str, rounds: Sequence[RoundBrief]) -> str:
    """One line per round so the whole negotiation fits on a screen; sorted here rather than
    trusted from the caller because a history read backwards is misleading."""
    header = _topic_header("📜", topic_title, slug)
    if not rounds:
        return _join_paragraphs([header, "No rounds recorded yet."])
    ordered = sorted(rounds, key=_chronological)
    return _join_paragraphs([header, "\n".join(_history_line(brief) for brief in ordered)])


def render_topic_card(topic: TopicView) -> str:
    """What a topic is about and how alive it is, before someone subscribes."""
    return _join_paragraphs(
        [
            _topic_header("🗂", topic.title, topic.slug),
            *_paragraphs_of(topic.description),
            _lines(
                f"Status: {_escaped(topic.status)}" if _present(topic.status) else None,
                f"{_count(topic.subscribers, 'subscriber', 'subscribers')} · "
                f"{_count(topic.rounds, 'round', 'rounds')} recorded",
            ),
        ]
    )


def render_topic_list(topics: Sequence[TopicView]) -> str:
    """The slug is in <code> because it is what users type next, and Telegram copies code on tap."""
    if not topics:
        return "No topics yet. Check back soon!"
    lines = [
        f"<code>{_escaped(topic.slug)}</code> — {_escaped(topic.title)} · "
        f"{_count(topic.rounds, 'round', 'rounds')}"
        for topic in topics
    ]
    return _join_paragraphs(["📋 <b>Topics</b>", "\n".join(lines)])


def format_date_span(start: date | None, end: date | None) -> str | None:
    """Plain text, not HTML. Shared parts of the two dates are written once, the way a newspaper
    would: "18–19 October 2026", "30 September – 2 October 2026"."""
    if start is None:
        return f"until {_day(end)}" if end else None
    if end is None or end == start:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {_day(end)}"
    return f"{_day(start)} – {_day(end)}"


def format_place(place: PlaceView) -> str | None:
    """Plain text, not HTML: escape it before putting it in a message. Blank parts are skipped
    so a place known only by its country still reads naturally."""
    parts = [part.strip() for part in (place.venue, place.city, place.country) if part]
    return ", ".join(part for part in parts if part) or None


def _round_facts(view: RoundView) -> str:
    title = _escaped(view.title)
    place = format_place(view.place)
    return _lines(
        f"Round {view.number} · {title}" if view.number is not None else title,
        _prefixed("📅", format_date_span(view.start_date, view.end_date)),
        _prefixed("📍", place and _escaped(place)),
        _labelled("Status", view.status),
        _labelled_list("Mediators", view.mediators),
        _labelled_list("Hosts", view.hosts),
        _labelled_list("Observers", view.observers),
    )


def _party_lines(
    party: PartyView, delegation_heading: str | None = None, note: str | None = None
) -> list[str]:
    lines = [_party_name(party, note)]
    if party.members and delegation_heading:
        lines.append(delegation_heading)
    lines.extend(_member_lines(party.members))
    lines.extend(_statement(statement) for statement in party.statements)
    return lines


def _party_name(party: PartyView, note: str | None = None) -> str:
    name = f"<b>{_escaped(party.name)}</b>"
    aliases = [_escaped(alias) for alias in party.aliases if _present(alias)]
    if aliases:
        name += f" ({', '.join(aliases)})"
    if note:
        name += f" — {note}"
    return name


def _unknown_roles(party: PartyView, known_roles: set[str]) -> str | None:
    unknown = [_escaped(role) for role in party.roles if role not in known_roles and _present(role)]
    return ", ".join(unknown) or None


def _member_lines(members: Sequence[MemberView]) -> list[str]:
    """Heads first, then members, then spokespeople: the order a reader asks "who leads it?"."""
    by_role: dict[str, list[MemberView]] = {}
    for member in members:
        by_role.setdefault(member.role, []).append(member)
    known = list(_MEMBER_LABELS)
    roles = sorted(by_role, key=lambda role: known.index(role) if role in known else len(known))
    lines = []
    for role in roles:
        fallback = _escaped(role.capitalize()) or "Member"
        singular, plural = _MEMBER_LABELS.get(role, (fallback, fallback))
        group = by_role[role]
        if len(group) == 1:
            lines.append(f"{singular}: {_member(group[0])}")
        else:
            lines.append(f"{plural}:")
            lines.extend(f"• {_member(member)}" for member in group)
    return lines


def _member(member: MemberView) -> str:
    if _present(member.title):
        return f"{_escaped(member.person)}, {_escaped(member.title)}"
    return _escaped(member.person)


def _other_statements(statements: Sequence[StatementView]) -> str | None:
    """Statements outside the delegations (a mediator's, or nobody named) name their party,
    since no party heading above them does."""
    if not statements:
        return None
    return "\n".join(["Statements:", *(_statement(s, with_party=True) for s in statements)])


def _statement(statement: StatementView, *, with_party: bool = False) -> str:
    attribution = [
        _escaped(statement.party) if with_party and _present(statement.party) else None,
        _escaped(statement.person) if _present(statement.person) else None,
        _day(statement.said_on) if statement.said_on else None,
    ]
    label = _escaped(statement.kind.capitalize()) or "Statement"
    given = [part for part in attribution if part]
    if given:
        label += f" ({', '.join(given)})"
    return f"{label}: {_escaped(statement.text)}"


def _outcome_paragraph(outcome_type: str | None, outcome_text: str | None) -> str | None:
    if _present(outcome_type):
        return f"Outcome — {_outcome(outcome_type, outcome_text)}"
    return _labelled("Outcome", outcome_text)


def _outcome(outcome_type: str | None, outcome_text: str | None) -> str | None:
    parts = [_escaped(value) for value in (outcome_type, outcome_text) if _present(value)]
    return ": ".join(parts) or None


def _previous_round(brief: RoundBrief | None) -> str | None:
    if brief is None:
        return None
    place = format_place(brief.place)
    facts = [
        f"Round {brief.number}" if brief.number is not None else _escaped(brief.title),
        place and _escaped(place),
        format_date_span(brief.start_date, brief.end_date),
    ]
    line = "Previous round: " + ", ".join(fact for fact in facts if fact)
    ending = _outcome(brief.outcome_type, brief.outcome_text) or _escaped(brief.status)
    return f"{line} — {ending}" if ending else line


def _history_line(brief: RoundBrief) -> str:
    place = format_place(brief.place)
    status = _escaped(brief.status)
    outcome = brief.outcome_type if _present(brief.outcome_type) else brief.outcome_text
    if _present(outcome):
        status = f"{status} — {_escaped(outcome)}" if status else _escaped(outcome)
    title = _escaped(brief.title)
    pieces = [
        f"<b>Round {brief.number}</b>" if brief.number is not None else f"<b>{title}</b>",
        title if brief.number is not None else None,
        format_date_span(brief.start_date, brief.end_date),
        place and _escaped(place),
        status,
    ]
    return " · ".join(piece for piece in pieces if piece)


def _chronological(brief: RoundBrief) -> tuple[bool, date]:
    """Undated rounds go last: they are usually the ones still being scheduled."""
    known = brief.start_date or brief.end_date
    return known is None, known or date.min


def _sources(sources: Sequence[SourceView]) -> str | None:
    described = [_source(source) for source in sources if _present(source.publisher)]
    if not described:
        return None
    if len(described) == 1:
        return f"Source: {described[0]}"
    return "\n".join(["Sources:", *(f"• {source}" for source in described)])


def _source(source: SourceView) -> str:
    """The publisher carries the link; an address Telegram would not open as a link (no http
    scheme) is shown as text instead, so a typo cannot make the whole alert fail to send."""
    publisher = _escaped(source.publisher)
    url = (source.url or "").strip()
    if url and _linkable(url):
        publisher = f'<a href="{html.escape(url, quote=True)}">{publisher}</a>'
    elif url:
        publisher += f" ({html.escape(url, quote=True)})"
    pieces = [
        publisher,
        f"“{_escaped(source.title)}”" if _present(source.title) else None,
        _day(source.published) if source.published else None,
    ]
    return ", ".join(piece for piece in pieces if piece)


def _linkable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in _LINKABLE_SCHEMES and bool(parts.netloc)


def _topic_header(marker: str, title: str, slug: str) -> str:
    return f"{marker} <b>{_escaped(title)}</b> · <code>{_escaped(slug)}</code>"


def _paragraphs_of(text: str | None) -> list[str]:
    """Free text keeps its own paragraphs (so the splitter can cut between them) and its own line
    breaks; stray blank-line padding is dropped."""
    if not _present(text):
        return []
    normalized = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [_escaped(paragraph) for paragraph in _PARAGRAPH_BREAK.split(normalized)]


def _labelled(label: str, value: str | None) -> str | None:
    return f"{label}: {_escaped(value)}" if _present(value) else None


def _labelled_list(label: str, values: Sequence[str]) -> str | None:
    present = [_escaped(value) for value in values if _present(value)]
    return f"{label}: {', '.join(present)}" if present else None


def _prefixed(marker: str, value: str | None) -> str | None:
    return f"{marker} {value}" if value else None


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _day(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _present(value: str | None) -> bool:
    return value is not None and bool(value.strip())


def _escaped(value: str | None) -> str:
    return html.escape(value.strip(), quote=True) if value else ""


def _lines(*lines: str | None) -> str:
    return "\n".join(line for line in lines if line)


def _join_paragraphs(paragraphs: Sequence[str | None]) -> str:
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
