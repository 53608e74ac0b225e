"""A proposed card written in the card grammar, for the admin to copy, fix and send back."""

from __future__ import annotations

import re

from bot.intake.extraction import ProposedCard

MAX_VALUE_CHARS = 1000


def write_card(card: ProposedCard, slug: str | None) -> str:
    """Every value is flattened to one line and stripped of the grammar's separators, so the
    card parses as written."""
    lines = [f"/post {slug or '<slug>'}"]
    lines.append(f"round: {card.number if card.number is not None else 'none'}")
    lines.append(f"title: {_value(card.title)}")
    if card.start_date is not None:
        end = f"..{card.end_date.isoformat()}" if card.end_date else ""
        lines.append(f"date: {card.start_date.isoformat()}{end}")
    if card.place is not None:
        place_parts = [card.place.venue, card.place.city, card.place.country]
        lines.append("place: " + ", ".join(_name(p) for p in place_parts if p))
    if card.status:
        lines.append(f"status: {card.status}")
    for key, names in (
        ("parties", card.parties),
        ("mediators", card.mediators),
        ("hosts", card.hosts),
        ("observers", card.observers),
    ):
        if names:
            lines.append(f"{key}: " + "; ".join(_name(n) for n in names))
    for person in card.people:
        title = f" ({_value(person.title)})" if person.title else ""
        lines.append(f"{person.role}: {_name(person.party or '')} = {_value(person.name)}{title}")
    for statement in card.statements:
        who = " / ".join(_name(w) for w in (statement.party, statement.person) if w)
        lines.append(f"{statement.kind}: {who} = {_value(statement.text)}")
    if card.outcome is not None:
        lines.append(f"outcome: {card.outcome.kind} = {_value(card.outcome.text)}")
    if card.source is not None:
        source = card.source
        parts = [_name(source.publisher).replace(",", " ")]
        if source.title:
            parts.append(_value(source.title).replace(",", " "))
        if source.published:
            parts.append(source.published.isoformat())
        if source.url:
            parts.append(source.url)
        lines.append("source: " + ", ".join(parts))
    if card.summary.strip():
        lines.append("summary:")
        lines.append(card.summary)
    return "\n".join(lines)


def _value(text: str) -> str:
    return " ".join(text.replace("=", "-").split())[:MAX_VALUE_CHARS]


def _name(text: str) -> str:
    return re.sub(r"[;=/]", " ", " ".join(text.split())).strip()[:100]
