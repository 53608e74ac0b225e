"""Telegram HTML for alerts and topic answers, built only from view values.

An alert is read on a phone, in a notification first: its first three lines say what happened
(kind and topic, the headline, the outcome or status or what changed) and the rest follows in
one fixed order, so a reader learns where to look. Every stored string goes through
`html.escape`: names and summaries are typed by admins or copied from articles, and one stray "<"
would make Telegram reject the whole message. Messages are paragraphs separated by a blank line,
each closing its own tags, so the splitter can cut between them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from bot.reading.phrasing import (
    format_count,
    format_date_span,
    format_day,
    format_outcome,
    format_person,
    format_place,
    statement_kind,
)
from bot.reading.what_changed import FieldChange
from storage.views import (
    MemberView,
    PartyView,
    RoundBrief,
    RoundView,
    SourceView,
    StatementView,
    TopicView,
)

ALERT_LABELS: dict[str, str] = {
    "new_round": "🆕 New round",
    "round_update": "🔄 Round update",
    "development": "📣 Development",
    "outcome": "🤝 Outcome",
    "correction": "✏️ Correction",
    "latest": "📌 Latest round",
    "latest_development": "📣 Latest development",
}
MEMBERS_ON_ONE_LINE = 2
STATEMENTS_PER_PARTY = 3

_PARTY_SECTIONS = (
    ("negotiating", "🤝 <b>Negotiating parties</b>"),
    ("mediator", "🕊 <b>Mediators</b>"),
    ("host", "🏛 <b>Hosts</b>"),
    ("observer", "👀 <b>Observers</b>"),
)
_OTHER_PARTIES = "➕ <b>Other parties</b>"
_ROLE_ORDER = ("head", "spokesperson", "member")
_STATEMENT_ORDER = ("demand", "position", "claim", "announcement")
_LINKABLE_SCHEMES = ("http", "https")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_QUOTES = "\"'“”‘’«»„"


def render_alert(view: RoundView, *, kind: str, since_previous: Sequence[FieldChange] = ()) -> str:
    """The whole round (or development): the news in three lines, then when and where,
    mediators, delegations, this round's statements, what the previous round produced and
    what differs from it, sources, and the admin's summary last, as the longest part."""
    return _join_paragraphs(_alert_paragraphs(view, kind, since_previous))


def _alert_paragraphs(
    view: RoundView, kind: str, since_previous: Sequence[FieldChange] = ()
) -> list[str | None]:
    statements = _ordered_statements(view)
    lead = _status_and_outcome(view)
    if lead is None and statements:
        lead, statements = _statement(statements[0]), statements[1:]
    return [
        _lines(_kind_line(kind, view.topic_title), _headline(view), lead and f"<b>{lead}</b>"),
        _facts(view),
        _delegations(view.parties, name_the_rest=view.number is not None),
        _lines(*(f"🗣 {_statement(statement)}" for statement in statements)),
        _previous_round(view.previous, since_previous),
        _sources(view.sources),
        _summary(view.summary),
    ]


def render_update(
    view: RoundView,
    *,
    kind: str,
    changes: Sequence[FieldChange],
    sources: Sequence[SourceView] = (),
) -> str:
    """A change to a round already announced: what changed, before → after, and only that.
    Resending the unchanged card would bury the change; /latest shows the round whole."""
    lead = [change for change in changes if change.label in ("Status", "Outcome")]
    if not lead and changes:
        lead = [changes[0]]
    rest = [change for change in changes if change not in lead]
    head = " · ".join(_lead(change) for change in lead) or "No recorded fact changed"
    return _join_paragraphs(
        [
            _lines(_kind_line(kind, view.topic_title), _headline(view), f"<b>{head}</b>"),
            _bulleted("What changed:", [_change(change) for change in rest]),
            _sources(sources),
            _summary(view.summary),
            f"<i>The whole {_what(view)}: /latest {_escaped(view.topic_slug)}</i>",
        ]
    )


def render_correction(
    view: RoundView, *, published_at: datetime, changes: Sequence[FieldChange]
) -> str:
    """Short, and a reply to the alert it corrects: the reader sees what was wrong beside what
    is right, and nothing they already read."""
    when = published_at.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")
    return _join_paragraphs(
        [
            _lines(
                f"✏️ Correction: <b>{_escaped(view.topic_title)}</b>",
                _headline(view),
                f"<i>to the alert of {when}</i>",
            ),
            _bulleted("Wrong → right:", [_change(change) for change in changes]),
            f"<i>The whole {_what(view)}, corrected: /latest {_escaped(view.topic_slug)}</i>",
        ]
    )


def render_latest(
    latest_round: RoundView | None, latest_development: RoundView | None, topic_title: str
) -> str:
    """Where things stand: the latest round, and a development first when it is newer."""
    if latest_round is None and latest_development is None:
        return (
            f"Nothing has been published for <b>{_escaped(topic_title)}</b> yet. "
            "Subscribe to get the first round the moment it is."
        )
    if latest_round is None:
        assert latest_development is not None
        return render_alert(latest_development, kind="latest_development")
    head, *rest = _alert_paragraphs(latest_round, "latest")
    if latest_development is None:
        return _join_paragraphs([head, *rest])
    development = _lines(
        f"📣 Latest development: <b>{_escaped(latest_development.title)}</b>",
        _when_and_where(latest_development),
        _first_statement(latest_development),
    )
    return _join_paragraphs([head, development, *rest])


def render_parties(topic_title: str, slug: str, parties: Sequence[PartyView]) -> str:
    """Who sits at the table, grouped by role. A party holding several roles is listed under each,
    with its delegation and statements shown once, under the first role."""
    header = _topic_header("👥", topic_title, slug)
    if not parties:
        return _join_paragraphs([header, "No parties recorded yet."])
    paragraphs = [header]
    detailed: set[int] = set()
    known_roles = {role for role, _ in _PARTY_SECTIONS}
    sections: list[tuple[str, list[tuple[int, PartyView, str | None]]]] = [
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
                blocks.append(_party_profile(party, slug, note))
                detailed.add(index)
        if not blocks:
            continue
        if all(len(block) == 1 for block in blocks):
            paragraphs.append("\n".join([heading, *(f"• {block[0]}" for block in blocks)]))
        else:
            paragraphs.append(heading)
            paragraphs.extend("\n".join(block) for block in blocks)
    return _join_paragraphs(paragraphs)


def render_unknown_party(topic_title: str, slug: str, party: str) -> str:
    return (
        f"<b>{_escaped(topic_title)}</b> has no party called <code>{_escaped(party)}</code>. "
        f"/parties {_escaped(slug)} lists them."
    )


def render_statements(
    topic_title: str, slug: str, party: str, statements: Sequence[StatementView]
) -> str:
    """Everything a party said in a topic, newest first (the order `statements` comes in)."""
    header = _topic_header("🗣", topic_title, slug)
    if not statements:
        return _join_paragraphs([header, f"No statements by {_escaped(party)} recorded yet."])
    lines = [f"• {_dated_statement(statement)}" for statement in statements]
    return _join_paragraphs([header, "\n".join([f"<b>{_escaped(party)}</b>", *lines])])


def render_history(
    topic_title: str,
    slug: str,
    entries: Sequence[RoundBrief],
    corrections: Sequence[tuple[datetime, str]] = (),
) -> str:
    """One line per round so the whole negotiation fits on a screen, and developments apart,
    since they are not rounds; sorted here rather than trusted from the caller because a history
    read backwards is misleading. Corrections come last, as (when, headline): a reader who saw
    an alert should see that it was corrected."""
    header = _topic_header("📜", topic_title, slug)
    ordered = sorted(entries, key=_chronological)
    rounds = [_history_line(brief) for brief in ordered if brief.number is not None]
    developments = [_development_line(brief) for brief in ordered if brief.number is None]
    return _join_paragraphs(
        [
            header,
            "\n".join(rounds) if rounds else "No rounds recorded yet.",
            _bulleted("📣 <b>Developments</b>", developments, bullet="") if developments else None,
            _bulleted(
                "✏️ <b>Corrections</b>",
                [
                    f"{at.astimezone(UTC).strftime('%d %b %Y')} · {_escaped(headline)}"
                    for at, headline in corrections
                ],
            ),
        ]
    )


def render_topic_card(topic: TopicView) -> str:
    """What a topic is about and how alive it is, before someone subscribes."""
    return _join_paragraphs(
        [
            _topic_header("🗂", topic.title, topic.slug),
            *_paragraphs_of(topic.description),
            _lines(
                f"Status: {_escaped(topic.status)}" if _present(topic.status) else None,
                f"{format_count(topic.subscribers, 'subscriber', 'subscribers')} · "
                f"{_recorded(topic)} recorded",
            ),
        ]
    )


def render_topic_list(topics: Sequence[TopicView]) -> str:
    """The slug is in <code> because it is what users type next, and Telegram copies code on tap."""
    if not topics:
        return "No topics yet. Check back soon!"
    lines = [
        f"<code>{_escaped(topic.slug)}</code> — {_escaped(topic.title)} · {_recorded(topic)}"
        for topic in topics
    ]
    return _join_paragraphs(["📋 <b>Topics</b>", "\n".join(lines)])


def _recorded(topic: TopicView) -> str:
    counted = format_count(topic.rounds, "round", "rounds")
    if topic.developments:
        counted += f", {format_count(topic.developments, 'development', 'developments')}"
    return counted


def _kind_line(kind: str, topic_title: str) -> str:
    if kind not in ALERT_LABELS:
        raise ValueError(f"unknown alert kind {kind!r}; expected one of {', '.join(ALERT_LABELS)}")
    return f"{ALERT_LABELS[kind]} · <b>{_escaped(topic_title)}</b>"


def _headline(view: RoundView) -> str:
    title = _escaped(view.title)
    if view.number is None:
        return f"<b>{title}</b>" if title else ""
    return f"<b>Round {view.number} · {title}</b>" if title else f"<b>Round {view.number}</b>"


def _what(view: RoundView) -> str:
    return "development" if view.number is None else "round"


def _status_and_outcome(view: RoundView) -> str | None:
    outcome = format_outcome(view.outcome_type, view.outcome_text)
    parts = [
        f"Status: {_escaped(view.status)}" if _present(view.status) else None,
        f"Outcome — {_escaped(outcome)}" if outcome else None,
    ]
    return " · ".join(part for part in parts if part) or None


def _first_statement(view: RoundView) -> str | None:
    """A development's news is usually what someone said."""
    statements = _ordered_statements(view)
    return _statement(statements[0]) if statements else None


def _facts(view: RoundView) -> str | None:
    return _lines(
        _when_and_where(view),
        _labelled_list("🕊 Mediators", view.mediators),
        _labelled_list("🏛 Hosts", view.hosts),
        _labelled_list("👀 Observers", view.observers),
        _labelled("⏭ Next meeting", view.next_meeting),
    )


def _when_and_where(view: RoundView) -> str | None:
    place = format_place(view.place)
    when = format_date_span(view.start_date, view.end_date)
    parts = [f"📅 {when}" if when else None, f"📍 {_escaped(place)}" if place else None]
    return " · ".join(part for part in parts if part) or None


def _delegations(parties: Sequence[PartyView], *, name_the_rest: bool) -> str | None:
    """A line per delegation; at a round, parties that sent none are named together on one
    line, since who negotiates is news. A development names its parties in its statements."""
    led_first = sorted(parties, key=lambda party: not any(m.role == "head" for m in party.members))
    delegations = [_delegation_line(party) for party in led_first if party.members]
    others = [_party_name(party) for party in parties if not party.members and name_the_rest]
    label = "Also taking part" if delegations else "Parties"
    return _lines(*delegations, f"🤝 {label}: {', '.join(others)}" if others else None) or None


def _delegation_line(party: PartyView) -> str:
    return f"{_party_name(party)} — {_folded_members(party.members)}"


def _folded_members(members: Sequence[MemberView]) -> str | None:
    """Heads first, then spokespeople, then members: the order a reader asks "who leads it?".
    Many members fold into one counted line, since their names matter less than the head's."""
    by_role: dict[str, list[MemberView]] = {}
    for member in members:
        by_role.setdefault(member.role, []).append(member)
    roles = sorted(by_role, key=lambda r: _ROLE_ORDER.index(r) if r in _ROLE_ORDER else 9)
    groups = []
    for role in roles:
        people = [_escaped(format_person(member)) for member in by_role[role]]
        label = _escaped(role) or "member"
        if role == "member" and len(people) > MEMBERS_ON_ONE_LINE:
            groups.append(f"{len(people)} members: {', '.join(people)}")
        elif len(people) > 1:
            groups.append(f"{label}s: {', '.join(people)}")
        else:
            groups.append(f"{label}: {people[0]}")
    return "; ".join(groups) or None


def _ordered_statements(view: RoundView) -> list[StatementView]:
    """Demands first: they are what the round will be judged against."""
    statements = [*(s for party in view.parties for s in party.statements), *view.other_statements]
    order = {kind: index for index, kind in enumerate(_STATEMENT_ORDER)}
    return sorted(statements, key=lambda s: order.get(s.kind, len(order)))


def _statement(statement: StatementView) -> str:
    """`Demand, Pakistan (Tahir Hussain Andrabi, 23 October 2026): …`; a statement the card
    gave no date is shown without one rather than with some other date."""
    label = _escaped(statement_kind(statement))
    if _present(statement.party):
        label += f", {_escaped(statement.party)}"
    details = [
        _escaped(statement.person) if _present(statement.person) else None,
        format_day(statement.said_on) if statement.said_on else None,
    ]
    given = [detail for detail in details if detail]
    if given:
        label += f" ({', '.join(given)})"
    return f"{label}: {_escaped(statement.text)}"


def _dated_statement(statement: StatementView) -> str:
    """For /parties: where and when each statement was made, since it is read out of context."""
    where = f"round {statement.round_number}" if statement.round_number is not None else None
    if where is None and _present(statement.round_title):
        where = _escaped(statement.round_title)
    details = [
        where,
        format_day(statement.said_on) if statement.said_on else None,
        _escaped(statement.person) if _present(statement.person) else None,
    ]
    label = _escaped(statement_kind(statement))
    given = [detail for detail in details if detail]
    if given:
        label += f" ({', '.join(given)})"
    return f"{label}: {_escaped(statement.text)}"


def _previous_round(brief: RoundBrief | None, since: Sequence[FieldChange]) -> str | None:
    if brief is None:
        return None
    place = format_place(brief.place)
    facts = [
        f"Round {brief.number}" if brief.number is not None else _escaped(brief.title),
        place and _escaped(place),
        format_date_span(brief.start_date, brief.end_date),
    ]
    line = "⏮ Previous round: " + ", ".join(fact for fact in facts if fact)
    outcome = format_outcome(brief.outcome_type, brief.outcome_text)
    ending = _escaped(outcome) if outcome else _escaped(brief.status)
    if ending:
        line += f" — {ending}"
    if not since:
        return line
    which = f"round {brief.number}" if brief.number is not None else "then"
    return _lines(line, f"Since {which}: " + " · ".join(_change(c, short=True) for c in since))


def _lead(change: FieldChange) -> str:
    """A first outcome is the news itself, not a change from nothing."""
    if change.label == "Outcome" and change.before is None:
        return f"Outcome — {_escaped(change.after)}"
    return _change(change)


def _change(change: FieldChange, *, short: bool = False) -> str:
    """`Status: ongoing → concluded`; an added item reads as new, a dropped one as dropped, and
    in the short form (beside a statement the alert already shows) an added item only names
    itself."""
    label = _escaped(change.label)
    before, after = _escaped(change.before), _escaped(change.after)
    if change.item:
        if change.before is None:
            return f"{label} (new)" if short else f"➕ {label}: {after}"
        return f"{label} (dropped): {before}" if short else f"➖ {label}: {before}"
    return f"{label}: {before or 'none'} → {after or 'none'}"


def _party_profile(party: PartyView, slug: str, note: str | None) -> list[str]:
    lines = [_party_name(party, note)]
    folded = _folded_members(party.members)
    if folded:
        where = f"round {party.members_round}" if party.members_round is not None else None
        lines.append(f"<i>Delegation in {where}:</i> {folded}" if where else folded)
    shown = party.statements[:STATEMENTS_PER_PARTY]
    lines.extend(f"• {_dated_statement(statement)}" for statement in shown)
    more = party.more_statements + len(party.statements) - len(shown)
    if more:
        lines.append(
            f"<i>{format_count(more, 'more statement', 'more statements')}: "
            f"/statements {_escaped(slug)} {_escaped(party.name)}</i>"
        )
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


def _history_line(brief: RoundBrief) -> str:
    place = format_place(brief.place)
    status = _escaped(brief.status)
    outcome = brief.outcome_type if _present(brief.outcome_type) else brief.outcome_text
    if _present(outcome):
        status = f"{status} — {_escaped(outcome)}" if status else _escaped(outcome)
    pieces = [
        f"<b>Round {brief.number}</b>",
        _escaped(brief.title),
        format_date_span(brief.start_date, brief.end_date),
        place and _escaped(place),
        status,
    ]
    return " · ".join(piece for piece in pieces if piece)


def _development_line(brief: RoundBrief) -> str:
    place = format_place(brief.place)
    pieces = [
        format_date_span(brief.start_date, brief.end_date),
        _escaped(brief.title),
        place and _escaped(place),
        _escaped(brief.status),
    ]
    return "• " + " · ".join(piece for piece in pieces if piece)


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
    return _bulleted("Sources:", described)


def _source(source: SourceView) -> str:
    """The publisher carries the link; an address Telegram would not open as a link (no http
    scheme) is shown as text instead, so a typo cannot make the whole alert fail to send."""
    publisher = _escaped(source.publisher)
    url = (source.url or "").strip()
    if url and _linkable(url):
        publisher = f'<a href="{html.escape(url, quote=True)}">{publisher}</a>'
    elif url:
        publisher += f" ({html.escape(url, quote=True)})"
    title = (source.title or "").strip()
    if title and not (title[0] in _QUOTES and title[-1] in _QUOTES):
        title = f"“{title}”"
    pieces = [
        publisher,
        _escaped(title) if title else None,
        format_day(source.published) if source.published else None,
    ]
    return ", ".join(piece for piece in pieces if piece)


def _linkable(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in _LINKABLE_SCHEMES and bool(parts.netloc)


def _topic_header(marker: str, title: str, slug: str) -> str:
    return f"{marker} <b>{_escaped(title)}</b> · <code>{_escaped(slug)}</code>"


def _paragraphs_of(text: str | None) -> list[str]:
    """Free text keeps its own paragraphs (so the splitter can cut between them) and its own line
    breaks; stray blank-line padding is dropped."""
    if not _present(text):
        return []
    assert text is not None
    normalized = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [_escaped(paragraph) for paragraph in _PARAGRAPH_BREAK.split(normalized)]


def _summary(text: str | None) -> str | None:
    """In an expandable quote: the summary is the longest part and the least news, so on a
    phone it shows its first lines and opens on a tap instead of pushing the alert off screen."""
    paragraphs = _paragraphs_of(text)
    return (
        f"<blockquote expandable>{_join_paragraphs(paragraphs)}</blockquote>"
        if paragraphs
        else None
    )


def _bulleted(heading: str, items: Sequence[str], *, bullet: str = "• ") -> str | None:
    return "\n".join([heading, *(f"{bullet}{item}" for item in items)]) if items else None


def _labelled(label: str, value: str | None) -> str | None:
    return f"{label}: {_escaped(value)}" if _present(value) else None


def _labelled_list(label: str, values: Sequence[str]) -> str | None:
    present = [_escaped(value) for value in values if _present(value)]
    return f"{label}: {', '.join(present)}" if present else None


def _present(value: str | None) -> bool:
    return value is not None and bool(value.strip())


def _escaped(value: str | None) -> str:
    """Quotation marks stay as typed: Telegram needs them escaped only inside attributes."""
    return html.escape(value.strip(), quote=False) if value else ""


def _lines(*lines: str | None) -> str:
    return "\n".join(line for line in lines if line)


def _join_paragraphs(paragraphs: Sequence[str | None]) -> str:
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
