"""One field of a card replaced by new text: the card stays the source of truth, so an edited
preview is checked and rendered exactly like a card typed whole."""

from __future__ import annotations

import re

from bot.posting.card_grammar import CARD_KEYS, card_key
from bot.posting.publish import PostError

# Written as the whole new value, it removes the field from the card.
REMOVE_VALUE = "-"
FIELD_LABELS = {
    "round": "Round", "kind": "Kind", "title": "Title", "date": "Date", "place": "Place",
    "status": "Status", "parties": "Parties", "mediators": "Mediators", "hosts": "Hosts",
    "observers": "Observers", "head": "Head", "member": "Member", "spokesperson": "Spokesperson",
    "demand": "Demand", "position": "Position", "claim": "Claim",
    "announcement": "Announcement", "alias": "Alias", "outcome": "Outcome", "next": "Next",
    "source": "Source", "summary": "Summary",
}  # fmt: skip
EDITABLE_FIELDS: tuple[str, ...] = tuple(key for key in FIELD_LABELS if key in CARD_KEYS)
_SUMMARY_LINE = re.compile(r"\s*summary\s*:", re.IGNORECASE)


class FieldEditError(PostError):
    """The text cannot stand as that field's value; the message says why, for the admin."""


def field_lines(card_text: str, field: str) -> list[str]:
    """The field's current values, one for each of its lines in the card."""
    head, summary = _split(card_text)
    if field == "summary":
        return [summary] if summary is not None else []
    values: list[str] = []
    for line in head[1:]:
        key, value = _key_and_value(line)
        if key == field:
            values.append(value)
    return values


def replace_card_field(card_text: str, field: str, text: str) -> str:
    """The card with every line of `field` replaced by `text`: one line each of its lines for a
    field that may repeat (members, statements, sources), `-` to remove the field. Whether the
    value makes sense is for the card's own checks, which the caller runs on the result."""
    if field not in EDITABLE_FIELDS:
        raise FieldEditError(f"There is no field `{field}` on a card.")
    value = text.strip()
    if not value:
        raise FieldEditError("Send the new value as text, or `-` to remove the field.")
    head, summary = _split(card_text)
    if field == "summary":
        body = head if value == REMOVE_VALUE else [*head, "summary:", value]
        return "\n".join(body)
    new_lines = [] if value == REMOVE_VALUE else [f"{field}: {line.strip()}" for line in
                                                  value.splitlines() if line.strip()]  # fmt: skip
    kept: list[str] = [head[0]]
    inserted = False
    for line in head[1:]:
        key, _ = _key_and_value(line)
        if key != field:
            kept.append(line)
        elif not inserted:
            kept.extend(new_lines)
            inserted = True
    if not inserted:
        kept.extend(new_lines)
    tail = ["summary:", summary] if summary is not None else []
    return "\n".join([*kept, *tail])


def _split(card_text: str) -> tuple[list[str], str | None]:
    """The command line and key lines, and the summary (None when the card has none)."""
    lines = card_text.split("\n")
    at = next((i for i, line in enumerate(lines) if i and _SUMMARY_LINE.match(line)), None)
    if at is None:
        return lines, None
    summary = "\n".join([lines[at].split(":", 1)[1], *lines[at + 1 :]]).strip()
    return lines[:at], summary


def _key_and_value(line: str) -> tuple[str | None, str]:
    if ":" not in line:
        return None, line
    typed, value = line.split(":", 1)
    return card_key(typed), value.strip()
