"""One field of a card replaced by new text: the card stays the source of truth, so an edited
preview is checked and rendered exactly like a card typed whole."""

from __future__ import annotations

import re

from bot.posting.card_grammar import CARD_KEYS, card_key
from bot.posting.publish import PostError
from bot.reading.language import N_

# Written as the whole new value, it removes the field from the card.
REMOVE_VALUE = "-"
FIELD_LABELS = {
    "round": N_("Round"), "kind": N_("Kind"), "title": N_("Title"), "date": N_("Date"),
    "place": N_("Place"), "status": N_("Status"), "parties": N_("Parties"),
    "mediators": N_("Mediators"), "hosts": N_("Hosts"), "observers": N_("Observers"),
    "head": N_("Head"), "member": N_("Member"), "spokesperson": N_("Spokesperson"),
    "demand": N_("Demand"), "position": N_("Position"), "claim": N_("Claim"),
    "announcement": N_("Announcement"), "alias": N_("Alias"), "outcome": N_("Outcome"),
    "next": N_("Next"), "source": N_("Source"), "summary": N_("Summary"),
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
        raise FieldEditError(N_("There is no field `{field}` on a card."), field=field)
    value = text.strip()
    if not value:
        raise FieldEditError(N_("Send the new value as text, or `-` to remove the field."))
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
