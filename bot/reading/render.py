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

from bot.reading.language import ENGLISH, N_, Translator
from bot.reading.phrasing import (
    format_date_span,
    format_day,
    format_outcome,
    format_person,
    format_place,
    format_status,
    statement_kind,
)
from bot.reading.what_changed import FieldChange
from storage.states import Calendar
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
    "new_round": N_("🆕 New round"),
    "round_update": N_("🔄 Round update"),
    "development": N_("📣 Development"),
    "outcome": N_("🤝 Outcome"),
    "correction": N_("✏️ Correction"),
    "latest": N_("📌 Latest round"),
    "latest_development": N_("📣 Latest development"),
}
MEMBERS_ON_ONE_LINE = 2
STATEMENTS_PER_PARTY = 3

_PARTY_SECTIONS = (
    ("negotiating", N_("🤝 <b>Negotiating parties</b>")),
    ("mediator", N_("🕊 <b>Mediators</b>")),
    ("host", N_("🏛 <b>Hosts</b>")),
    ("observer", N_("👀 <b>Observers</b>")),
)
_OTHER_PARTIES = N_("➕ <b>Other parties</b>")
_MEMBER_ROLES = {
    "head": (N_("head"), N_("heads")),
    "spokesperson": (N_("spokesperson"), N_("spokespersons")),
    "member": (N_("member"), N_("members")),
}
_ROLE_ORDER = ("head", "spokesperson", "member")
_STATEMENT_ORDER = ("demand", "position", "claim", "announcement")
_LINKABLE_SCHEMES = ("http", "https")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_QUOTES = "\"'“”‘’«»„"


def render_alert(
    view: RoundView,
    *,
    kind: str,
    since_previous: Sequence[FieldChange] = (),
    t: Translator = ENGLISH,
) -> str:
    """The whole round (or development): the news in three lines, then when and where,
    mediators, delegations, this round's statements, what the previous round produced and
    what differs from it, sources, and the admin's summary last, as the longest part."""
    return t.directed(_join_paragraphs(_alert_paragraphs(view, kind, since_previous, t)))


def _alert_paragraphs(
    view: RoundView, kind: str, since_previous: Sequence[FieldChange], t: Translator
) -> list[str | None]:
    statements = _ordered_statements(view)
    lead = _status_and_outcome(view, t)
    if lead is None and statements:
        lead, statements = _statement(statements[0], t), statements[1:]
    return [
        _lines(
            _kind_line(kind, view.topic_title, t), _headline(view, t), lead and f"<b>{lead}</b>"
        ),
        _facts(view, t),
        _delegations(view.parties, name_the_rest=view.number is not None, t=t),
        _lines(*(f"🗣 {_statement(statement, t)}" for statement in statements)),
        _previous_round(view.previous, since_previous, t),
        _sources(view.sources, t),
        _summary(view.summary, t),
    ]


def render_update(
    view: RoundView,
    *,
    kind: str,
    changes: Sequence[FieldChange],
    sources: Sequence[SourceView] = (),
    t: Translator = ENGLISH,
) -> str:
    """A change to a round already announced: what changed, before → after, and only that.
    Resending the unchanged card would bury the change; /latest shows the round whole."""
    leading = (t._("Status"), t._("Outcome"))
    lead = [change for change in changes if change.label in leading]
    if not lead and changes:
        lead = [changes[0]]
    rest = [change for change in changes if change not in lead]
    head = " · ".join(_lead(change, t) for change in lead) or t._("No recorded fact changed")
    whole = t._("The whole round: /latest {slug}") if view.number is not None else None
    whole = whole or t._("The whole development: /latest {slug}")
    return t.directed(
        _join_paragraphs(
            [
                _lines(_kind_line(kind, view.topic_title, t), _headline(view, t), f"<b>{head}</b>"),
                _bulleted(t._("What changed:"), [_change(change, t) for change in rest]),
                _sources(sources, t),
                _summary(view.summary, t),
                f"<i>{whole.format(slug=_slug(view.topic_slug, t))}</i>",
            ]
        )
    )


def render_correction(
    view: RoundView,
    *,
    published_at: datetime,
    changes: Sequence[FieldChange],
    t: Translator = ENGLISH,
) -> str:
    """Short, and a reply to the alert it corrects: the reader sees what was wrong beside what
    is right, and nothing they already read."""
    whole = (
        t._("The whole round, corrected: /latest {slug}")
        if view.number is not None
        else t._("The whole development, corrected: /latest {slug}")
    )
    return t.directed(
        _join_paragraphs(
            [
                _lines(
                    t._("✏️ Correction: <b>{topic}</b>").format(topic=_fact(view.topic_title, t)),
                    _headline(view, t),
                    "<i>"
                    + t._("to the alert of {when}").format(when=_moment(published_at, t))
                    + "</i>",
                ),
                _bulleted(t._("Wrong → right:"), [_change(change, t) for change in changes]),
                f"<i>{whole.format(slug=_slug(view.topic_slug, t))}</i>",
            ]
        )
    )


def render_latest(
    latest_round: RoundView | None,
    latest_development: RoundView | None,
    topic_title: str,
    t: Translator = ENGLISH,
) -> str:
    """Where things stand: the latest round, and a development first when it is newer."""
    if latest_round is None and latest_development is None:
        return t.directed(
            t._(
                "Nothing has been published for <b>{topic}</b> yet. "
                "Subscribe to get the first round the moment it is."
            ).format(topic=_fact(topic_title, t))
        )
    if latest_round is None:
        assert latest_development is not None
        return render_alert(latest_development, kind="latest_development", t=t)
    head, *rest = _alert_paragraphs(latest_round, "latest", (), t)
    if latest_development is None:
        return t.directed(_join_paragraphs([head, *rest]))
    development = _lines(
        t._("📣 Latest development: <b>{title}</b>").format(
            title=_fact(latest_development.title, t)
        ),
        _when_and_where(latest_development, t),
        _first_statement(latest_development, t),
    )
    return t.directed(_join_paragraphs([head, development, *rest]))


def render_parties(
    topic_title: str, slug: str, parties: Sequence[PartyView], t: Translator = ENGLISH
) -> str:
    """Who sits at the table, grouped by role. A party holding several roles is listed under each,
    with its delegation and statements shown once, under the first role."""
    header = _topic_header("👥", topic_title, slug, t)
    if not parties:
        return t.directed(_join_paragraphs([header, t._("No parties recorded yet.")]))
    paragraphs = [header]
    detailed: set[int] = set()
    known_roles = {role for role, _ in _PARTY_SECTIONS}
    sections: list[tuple[str, list[tuple[int, PartyView, str | None]]]] = [
        (t._(heading), [(i, p, None) for i, p in enumerate(parties) if role in p.roles])
        for role, heading in _PARTY_SECTIONS
    ]
    sections.append(
        (
            t._(_OTHER_PARTIES),
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
                blocks.append([_party_name(party, t, note)])
            else:
                blocks.append(_party_profile(party, slug, note, t))
                detailed.add(index)
        if not blocks:
            continue
        if all(len(block) == 1 for block in blocks):
            paragraphs.append("\n".join([heading, *(f"• {block[0]}" for block in blocks)]))
        else:
            paragraphs.append(heading)
            paragraphs.extend("\n".join(block) for block in blocks)
    return t.directed(_join_paragraphs(paragraphs))


def render_unknown_party(topic_title: str, slug: str, party: str, t: Translator = ENGLISH) -> str:
    return t.directed(
        t._("<b>{topic}</b> has no party called {party}. /parties {slug} lists them.").format(
            topic=_fact(topic_title, t), party=_code(party, t), slug=_slug(slug, t)
        )
    )


def render_statements(
    topic_title: str,
    slug: str,
    party: str,
    statements: Sequence[StatementView],
    t: Translator = ENGLISH,
) -> str:
    """Everything a party said in a topic, newest first (the order `statements` comes in)."""
    header = _topic_header("🗣", topic_title, slug, t)
    if not statements:
        none = t._("No statements by {party} recorded yet.").format(party=_fact(party, t))
        return t.directed(_join_paragraphs([header, none]))
    lines = [f"• {_dated_statement(statement, t)}" for statement in statements]
    return t.directed(_join_paragraphs([header, "\n".join([f"<b>{_fact(party, t)}</b>", *lines])]))


def render_history(
    topic_title: str,
    slug: str,
    entries: Sequence[RoundBrief],
    corrections: Sequence[tuple[datetime, str]] = (),
    t: Translator = ENGLISH,
) -> str:
    """One line per round so the whole negotiation fits on a screen, and developments apart,
    since they are not rounds; sorted here rather than trusted from the caller because a history
    read backwards is misleading. Corrections come last, as (when, headline): a reader who saw
    an alert should see that it was corrected."""
    header = _topic_header("📜", topic_title, slug, t)
    ordered = sorted(entries, key=_chronological)
    rounds = [_history_line(brief, t) for brief in ordered if brief.number is not None]
    developments = [_development_line(brief, t) for brief in ordered if brief.number is None]
    return t.directed(
        _join_paragraphs(
            [
                header,
                "\n".join(rounds) if rounds else t._("No rounds recorded yet."),
                _bulleted(t._("📣 <b>Developments</b>"), developments, bullet="")
                if developments
                else None,
                _bulleted(
                    t._("✏️ <b>Corrections</b>"),
                    [f"{_day_of(at, t)} · {_fact(headline, t)}" for at, headline in corrections],
                ),
            ]
        )
    )


def render_topic_card(topic: TopicView, t: Translator = ENGLISH) -> str:
    """What a topic is about and how alive it is, before someone subscribes."""
    subscribers = t.ngettext("{count} subscriber", "{count} subscribers", topic.subscribers).format(
        count=t.number(topic.subscribers)
    )
    return t.directed(
        _join_paragraphs(
            [
                _topic_header("🗂", topic.title, topic.slug, t),
                *_paragraphs_of(topic.description, t),
                _lines(
                    t._("Status: {status}").format(status=_status(topic.status, t))
                    if _present(topic.status)
                    else None,
                    t._("{subscribers} · {recorded} recorded").format(
                        subscribers=subscribers, recorded=_recorded(topic, t)
                    ),
                ),
            ]
        )
    )


def render_topic_list(topics: Sequence[TopicView], t: Translator = ENGLISH) -> str:
    """The slug is in <code> because it is what users type next, and Telegram copies code on tap."""
    if not topics:
        return t._("No topics yet. Check back soon!")
    lines = [
        f"{_code(topic.slug, t)} — {_fact(topic.title, t)} · {_recorded(topic, t)}"
        for topic in topics
    ]
    return t.directed(_join_paragraphs([t._("📋 <b>Topics</b>"), "\n".join(lines)]))


def _recorded(topic: TopicView, t: Translator) -> str:
    counted = t.ngettext("{count} round", "{count} rounds", topic.rounds).format(
        count=t.number(topic.rounds)
    )
    if topic.developments:
        developments = t.ngettext(
            "{count} development", "{count} developments", topic.developments
        ).format(count=t.number(topic.developments))
        counted += t._(", {developments}").format(developments=developments)
    return counted


def _kind_line(kind: str, topic_title: str, t: Translator) -> str:
    if kind not in ALERT_LABELS:
        raise ValueError(f"unknown alert kind {kind!r}; expected one of {', '.join(ALERT_LABELS)}")
    return f"{t._(ALERT_LABELS[kind])} · <b>{_fact(topic_title, t)}</b>"


def _headline(view: RoundView, t: Translator) -> str:
    title = _fact(view.title, t)
    if view.number is None:
        return f"<b>{title}</b>" if title else ""
    number = t.number(view.number)
    if title:
        return "<b>" + t._("Round {number} · {title}").format(number=number, title=title) + "</b>"
    return "<b>" + t._("Round {number}").format(number=number) + "</b>"


def _status(status: str | None, t: Translator) -> str:
    """A status the bot knows is translated; any other is a fact as typed."""
    said = format_status(status, t)
    return _escaped(said) if said != status else _fact(status, t)


def _status_and_outcome(view: RoundView, t: Translator) -> str | None:
    outcome = format_outcome(view.outcome_type, view.outcome_text)
    parts = [
        t._("Status: {status}").format(status=_status(view.status, t))
        if _present(view.status)
        else None,
        t._("Outcome — {outcome}").format(outcome=_fact(outcome, t)) if outcome else None,
    ]
    return " · ".join(part for part in parts if part) or None


def _first_statement(view: RoundView, t: Translator) -> str | None:
    """A development's news is usually what someone said."""
    statements = _ordered_statements(view)
    return _statement(statements[0], t) if statements else None


def _facts(view: RoundView, t: Translator) -> str | None:
    return _lines(
        _when_and_where(view, t),
        _labelled_list(t._("🕊 Mediators"), view.mediators, t),
        _labelled_list(t._("🏛 Hosts"), view.hosts, t),
        _labelled_list(t._("👀 Observers"), view.observers, t),
        _labelled(t._("⏭ Next meeting"), view.next_meeting, t),
    )


def _when_and_where(view: RoundView, t: Translator) -> str | None:
    place = format_place(view.place)
    when = format_date_span(view.start_date, view.end_date, t)
    parts = [f"📅 {when}" if when else None, f"📍 {_fact(place, t)}" if place else None]
    return " · ".join(part for part in parts if part) or None


def _delegations(parties: Sequence[PartyView], *, name_the_rest: bool, t: Translator) -> str | None:
    """A line per delegation; at a round, parties that sent none are named together on one
    line, since who negotiates is news. A development names its parties in its statements."""
    led_first = sorted(parties, key=lambda party: not any(m.role == "head" for m in party.members))
    delegations = [_delegation_line(party, t) for party in led_first if party.members]
    others = [_party_name(party, t) for party in parties if not party.members and name_the_rest]
    label = t._("🤝 Also taking part: {parties}") if delegations else t._("🤝 Parties: {parties}")
    rest = label.format(parties=t._(", ").join(others)) if others else None
    return _lines(*delegations, rest) or None


def _delegation_line(party: PartyView, t: Translator) -> str:
    return f"{_party_name(party, t)} — {_folded_members(party.members, t)}"


def _folded_members(members: Sequence[MemberView], t: Translator) -> str | None:
    """Heads first, then spokespeople, then members: the order a reader asks "who leads it?".
    Many members fold into one counted line, since their names matter less than the head's."""
    by_role: dict[str, list[MemberView]] = {}
    for member in members:
        by_role.setdefault(member.role, []).append(member)
    roles = sorted(by_role, key=lambda r: _ROLE_ORDER.index(r) if r in _ROLE_ORDER else 9)
    groups = []
    comma = t._(", ")
    for role in roles:
        people = [_fact(format_person(member), t) for member in by_role[role]]
        one, many = _role_names(role, t)
        if role == "member" and len(people) > MEMBERS_ON_ONE_LINE:
            groups.append(
                t._("{count} members: {people}").format(
                    count=t.number(len(people)), people=comma.join(people)
                )
            )
        elif len(people) > 1:
            groups.append(f"{many}: {comma.join(people)}")
        else:
            groups.append(f"{one}: {people[0]}")
    return t._("; ").join(groups) or None


def _role_names(role: str, t: Translator) -> tuple[str, str]:
    """(one, several) of a role; a role the bot does not know is shown as typed."""
    known = _MEMBER_ROLES.get(role)
    if known:
        return t._(known[0]), t._(known[1])
    label = _escaped(role) or t._("member")
    return label, f"{label}s"


def _ordered_statements(view: RoundView) -> list[StatementView]:
    """Demands first: they are what the round will be judged against."""
    statements = [*(s for party in view.parties for s in party.statements), *view.other_statements]
    order = {kind: index for index, kind in enumerate(_STATEMENT_ORDER)}
    return sorted(statements, key=lambda s: order.get(s.kind, len(order)))


def _statement(statement: StatementView, t: Translator) -> str:
    """`Demand, Pakistan (Tahir Hussain Andrabi, 23 October 2026): …`; a statement the card
    gave no date is shown without one rather than with some other date."""
    comma = t._(", ")
    label = _escaped(statement_kind(statement, t))
    if _present(statement.party):
        label += f"{comma}{_fact(statement.party, t)}"
    details = [
        _fact(statement.person, t) if _present(statement.person) else None,
        format_day(statement.said_on, t) if statement.said_on else None,
    ]
    given = [detail for detail in details if detail]
    if given:
        label += f" ({comma.join(given)})"
    return f"{label}: {_fact(statement.text, t)}"


def _dated_statement(statement: StatementView, t: Translator) -> str:
    """For /parties: where and when each statement was made, since it is read out of context."""
    where = (
        t._("round {number}").format(number=t.number(statement.round_number))
        if statement.round_number is not None
        else None
    )
    if where is None and _present(statement.round_title):
        where = _fact(statement.round_title, t)
    details = [
        where,
        format_day(statement.said_on, t) if statement.said_on else None,
        _fact(statement.person, t) if _present(statement.person) else None,
    ]
    label = _escaped(statement_kind(statement, t))
    given = [detail for detail in details if detail]
    if given:
        label += f" ({t._(', ').join(given)})"
    return f"{label}: {_fact(statement.text, t)}"


def _previous_round(
    brief: RoundBrief | None, since: Sequence[FieldChange], t: Translator
) -> str | None:
    if brief is None:
        return None
    place = format_place(brief.place)
    facts = [
        t._("Round {number}").format(number=t.number(brief.number))
        if brief.number is not None
        else _fact(brief.title, t),
        place and _fact(place, t),
        format_date_span(brief.start_date, brief.end_date, t),
    ]
    line = t._("⏮ Previous round: {facts}").format(
        facts=t._(", ").join(fact for fact in facts if fact)
    )
    outcome = format_outcome(brief.outcome_type, brief.outcome_text)
    ending = _fact(outcome, t) if outcome else _status(brief.status, t)
    if ending:
        line += f" — {ending}"
    if not since:
        return line
    which = (
        t._("Since round {number}: {changes}")
        if brief.number is not None
        else t._("Since then: {changes}")
    )
    changes = " · ".join(_change(c, t, short=True) for c in since)
    return _lines(line, which.format(number=t.number(brief.number or 0), changes=changes))


def _lead(change: FieldChange, t: Translator) -> str:
    """A first outcome is the news itself, not a change from nothing."""
    if change.label == t._("Outcome") and change.before is None:
        return t._("Outcome — {outcome}").format(outcome=_fact(change.after, t))
    return _change(change, t)


def _change(change: FieldChange, t: Translator, *, short: bool = False) -> str:
    """`Status: ongoing → concluded`; an added item reads as new, a dropped one as dropped, and
    in the short form (beside a statement the alert already shows) an added item only names
    itself."""
    label = _escaped(change.label)
    before, after = _fact(change.before, t), _fact(change.after, t)
    if change.item:
        if change.before is None:
            return t._("{label} (new)").format(label=label) if short else f"➕ {label}: {after}"
        if short:
            return t._("{label} (dropped): {before}").format(label=label, before=before)
        return f"➖ {label}: {before}"
    none, arrow = t._("none"), t._("→")
    return f"{label}: {before or none} {arrow} {after or none}"


def _party_profile(party: PartyView, slug: str, note: str | None, t: Translator) -> list[str]:
    lines = [_party_name(party, t, note)]
    folded = _folded_members(party.members, t)
    if folded:
        if party.members_round is not None:
            where = t._("Delegation in round {number}:").format(
                number=t.number(party.members_round)
            )
            lines.append(f"<i>{where}</i> {folded}")
        else:
            lines.append(folded)
    shown = party.statements[:STATEMENTS_PER_PARTY]
    lines.extend(f"• {_dated_statement(statement, t)}" for statement in shown)
    more = party.more_statements + len(party.statements) - len(shown)
    if more:
        counted = t.ngettext("{count} more statement", "{count} more statements", more).format(
            count=t.number(more)
        )
        command = t.isolate(f"/statements {_escaped(slug)} {_escaped(party.name)}")
        lines.append(f"<i>{counted}: {command}</i>")
    return lines


def _party_name(party: PartyView, t: Translator, note: str | None = None) -> str:
    name = f"<b>{_fact(party.name, t)}</b>"
    aliases = [_fact(alias, t) for alias in party.aliases if _present(alias)]
    if aliases:
        name += f" ({t._(', ').join(aliases)})"
    if note:
        name += f" — {note}"
    return name


def _unknown_roles(party: PartyView, known_roles: set[str]) -> str | None:
    unknown = [_escaped(role) for role in party.roles if role not in known_roles and _present(role)]
    return ", ".join(unknown) or None


def _history_line(brief: RoundBrief, t: Translator) -> str:
    place = format_place(brief.place)
    status = _status(brief.status, t)
    outcome = brief.outcome_type if _present(brief.outcome_type) else brief.outcome_text
    if _present(outcome):
        status = f"{status} — {_fact(outcome, t)}" if status else _fact(outcome, t)
    pieces = [
        "<b>" + t._("Round {number}").format(number=t.number(brief.number or 0)) + "</b>",
        _fact(brief.title, t),
        format_date_span(brief.start_date, brief.end_date, t),
        place and _fact(place, t),
        status,
    ]
    return " · ".join(piece for piece in pieces if piece)


def _development_line(brief: RoundBrief, t: Translator) -> str:
    place = format_place(brief.place)
    pieces = [
        format_date_span(brief.start_date, brief.end_date, t),
        _fact(brief.title, t),
        place and _fact(place, t),
        _status(brief.status, t),
    ]
    return "• " + " · ".join(piece for piece in pieces if piece)


def _chronological(brief: RoundBrief) -> tuple[bool, date]:
    """Undated rounds go last: they are usually the ones still being scheduled."""
    known = brief.start_date or brief.end_date
    return known is None, known or date.min


def _sources(sources: Sequence[SourceView], t: Translator) -> str | None:
    described = [_source(source, t) for source in sources if _present(source.publisher)]
    if not described:
        return None
    if len(described) == 1:
        return t._("Source: {source}").format(source=described[0])
    return _bulleted(t._("Sources:"), described)


def _source(source: SourceView, t: Translator) -> str:
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
        t.isolate(publisher),
        _fact(title, t) if title else None,
        format_day(source.published, t) if source.published else None,
    ]
    return t._(", ").join(piece for piece in pieces if piece)


def _linkable(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in _LINKABLE_SCHEMES and bool(parts.netloc)


def _topic_header(marker: str, title: str, slug: str, t: Translator) -> str:
    return f"{marker} <b>{_fact(title, t)}</b> · {_code(slug, t)}"


def _slug(slug: str, t: Translator) -> str:
    """A slug in a command, as the reader types it: left to right in any language."""
    return t.isolate(_escaped(slug))


def _code(slug: str, t: Translator) -> str:
    return t.isolate(f"<code>{_escaped(slug)}</code>")


def _day_of(moment: datetime, t: Translator) -> str:
    at = moment.astimezone(UTC)
    return format_day(at.date(), t) if _named_months(t) else at.strftime("%d %b %Y")


def _moment(moment: datetime, t: Translator) -> str:
    at = moment.astimezone(UTC)
    if not _named_months(t):
        return at.strftime("%d %b %Y %H:%M UTC")
    return f"{format_day(at.date(), t)} {t.digits(at.strftime('%H:%M'))} UTC"


def _named_months(t: Translator) -> bool:
    """English in the Gregorian calendar keeps its short month names ("24 Oct 2026")."""
    return t.right_to_left or t.calendar != Calendar.GREGORIAN


def _paragraphs_of(text: str | None, t: Translator) -> list[str]:
    """Free text keeps its own paragraphs (so the splitter can cut between them) and its own line
    breaks; stray blank-line padding is dropped. In Persian each line is isolated, since a line
    break ends an isolate."""
    if not _present(text):
        return []
    assert text is not None
    normalized = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [
        "\n".join(t.isolate(line) for line in _escaped(paragraph).split("\n"))
        for paragraph in _PARAGRAPH_BREAK.split(normalized)
    ]


def _summary(text: str | None, t: Translator) -> str | None:
    """In an expandable quote: the summary is the longest part and the least news, so on a
    phone it shows its first lines and opens on a tap instead of pushing the alert off screen."""
    paragraphs = _paragraphs_of(text, t)
    return (
        f"<blockquote expandable>{_join_paragraphs(paragraphs)}</blockquote>"
        if paragraphs
        else None
    )


def _bulleted(heading: str, items: Sequence[str], *, bullet: str = "• ") -> str | None:
    return "\n".join([heading, *(f"{bullet}{item}" for item in items)]) if items else None


def _labelled(label: str, value: str | None, t: Translator) -> str | None:
    return f"{label}: {_fact(value, t)}" if _present(value) else None


def _labelled_list(label: str, values: Sequence[str], t: Translator) -> str | None:
    present = [_fact(value, t) for value in values if _present(value)]
    return f"{label}: {t._(', ').join(present)}" if present else None


def _present(value: str | None) -> bool:
    return value is not None and bool(value.strip())


def _escaped(value: str | None) -> str:
    """Quotation marks stay as typed: Telegram needs them escaped only inside attributes."""
    return html.escape(value.strip(), quote=False) if value else ""


def _fact(value: str | None, t: Translator) -> str:
    """A stored fact as the admin typed it, isolated in Persian text."""
    return t.isolate(_escaped(value))


def _lines(*lines: str | None) -> str:
    return "\n".join(line for line in lines if line)


def _join_paragraphs(paragraphs: Sequence[str | None]) -> str:
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
