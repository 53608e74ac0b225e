"""What a post changes: a round update against the round as it stood, or a new round against
the round before it. Plain text in, plain text out, so the alert can say it in one glance."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.reading.language import ENGLISH, Translator
from bot.reading.phrasing import (
    format_date_span,
    format_outcome,
    format_person,
    format_place,
    format_status,
    statement_kind,
)
from storage.views import PartyView, RoundView, StatementView


@dataclass(frozen=True)
class FieldChange:
    """One difference. An item change (a demand, a member, a source) was added when `before`
    is None and dropped when `after` is None; a field change shows before → after."""

    label: str
    before: str | None
    after: str | None
    item: bool = False


def changes_between(old: RoundView, new: RoundView, t: Translator = ENGLISH) -> list[FieldChange]:
    """Every field a round update changed, in the order the full alert shows them. New sources
    are not changes: the update lists them, linked, as it would for any alert."""
    return [
        *_scalar(t._("Title"), old.title, new.title),
        *_scalar(
            t._("Dates"),
            format_date_span(old.start_date, old.end_date, t),
            format_date_span(new.start_date, new.end_date, t),
        ),
        *_scalar(t._("Place"), format_place(old.place), format_place(new.place)),
        *_scalar(t._("Status"), format_status(old.status, t), format_status(new.status, t)),
        *_scalar(
            t._("Outcome"),
            format_outcome(old.outcome_type, old.outcome_text),
            format_outcome(new.outcome_type, new.outcome_text),
        ),
        *_scalar(t._("Mediators"), _listed(old.mediators), _listed(new.mediators)),
        *_scalar(t._("Hosts"), _listed(old.hosts), _listed(new.hosts)),
        *_scalar(t._("Observers"), _listed(old.observers), _listed(new.observers)),
        *_delegation_changes(
            old.parties, new.parties, roles=("head", "spokesperson", "member"), t=t
        ),
        *_statement_changes(_statements(old), _statements(new), dropped=False, t=t),
        *_scalar(t._("Next meeting"), old.next_meeting, new.next_meeting),
    ]


def changes_from_previous_round(
    previous: RoundView, current: RoundView, t: Translator = ENGLISH
) -> list[FieldChange]:
    """What a reader of the last round needs to know is different this time: the place, who
    mediates, who leads each delegation, which demands are new or no longer raised, the status,
    and the outcome once there is one. Dates and titles always differ and say nothing, and what
    the new round does not record yet (a place, a delegation, a party's demands) is not news of
    a change but of a card still to come, so it is left out."""
    sent_delegations = {party.name for party in current.parties if party.members}
    raised_demands = {(s.party or "").casefold() for s in _demands(_statements(current))}
    changes = [
        *_scalar(t._("Place"), format_place(previous.place), format_place(current.place)),
        *_scalar(t._("Mediators"), _listed(previous.mediators), _listed(current.mediators)),
        *_scalar(t._("Hosts"), _listed(previous.hosts), _listed(current.hosts)),
        *_delegation_changes(
            [party for party in previous.parties if party.name in sent_delegations],
            current.parties,
            roles=("head",),
            t=t,
        ),
        *_statement_changes(
            [
                s
                for s in _demands(_statements(previous))
                if (s.party or "").casefold() in raised_demands
            ],
            _demands(_statements(current)),
            dropped=True,
            t=t,
        ),
        *_scalar(
            t._("Status"), format_status(previous.status, t), format_status(current.status, t)
        ),
        *_scalar(
            t._("Outcome"),
            format_outcome(previous.outcome_type, previous.outcome_text),
            format_outcome(current.outcome_type, current.outcome_text),
        ),
    ]
    return [change for change in changes if change.item or change.after is not None]


def _scalar(label: str, before: str | None, after: str | None) -> list[FieldChange]:
    before, after = _blank_is_none(before), _blank_is_none(after)
    return [] if before == after else [FieldChange(label, before, after)]


def _blank_is_none(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _listed(names: Iterable[str]) -> str | None:
    return ", ".join(name.strip() for name in names if name.strip()) or None


def _delegation_changes(
    old: Iterable[PartyView], new: Iterable[PartyView], *, roles: tuple[str, ...], t: Translator
) -> list[FieldChange]:
    """Heads and spokespeople as fields (someone replaces someone); members as items, since a
    delegation grows one name at a time."""
    old_by_name = {party.name: party for party in old}
    new_by_name = {party.name: party for party in new}
    changes: list[FieldChange] = []
    for name in dict.fromkeys([*new_by_name, *old_by_name]):
        before, after = old_by_name.get(name), new_by_name.get(name)
        for role in roles:
            was = _people(before, role)
            now = _people(after, role)
            if role == "member":
                label = t._("Member, {party}").format(party=t.isolate(name))
                changes.extend(_items(label, was, now, dropped=False))
            else:
                label = _ROLE_OF[role](t).format(party=t.isolate(name))
                changes.extend(_scalar(label, "; ".join(was) or None, "; ".join(now) or None))
    return changes


_ROLE_OF: dict[str, Callable[[Translator], str]] = {
    "head": lambda t: t._("Head of {party}"),
    "spokesperson": lambda t: t._("Spokesperson of {party}"),
}


def _people(party: PartyView | None, role: str) -> list[str]:
    if party is None:
        return []
    return [format_person(member) for member in party.members if member.role == role]


def _statements(view: RoundView) -> list[StatementView]:
    return [*(s for party in view.parties for s in party.statements), *view.other_statements]


def _demands(statements: list[StatementView]) -> list[StatementView]:
    return [statement for statement in statements if statement.kind == "demand"]


def _statement_changes(
    old: list[StatementView], new: list[StatementView], *, dropped: bool, t: Translator
) -> list[FieldChange]:
    def key(statement: StatementView) -> tuple[str, str, str]:
        party = (statement.party or "").casefold()
        return statement.kind, party, " ".join(statement.text.split()).casefold()

    old_keys = {key(statement) for statement in old}
    new_keys = {key(statement) for statement in new}
    changes = [
        FieldChange(_statement_label(s, t), None, s.text.strip(), item=True)
        for s in new
        if key(s) not in old_keys
    ]
    if dropped:
        changes += [
            FieldChange(_statement_label(s, t), s.text.strip(), None, item=True)
            for s in old
            if key(s) not in new_keys
        ]
    return changes


def _statement_label(statement: StatementView, t: Translator) -> str:
    speaker = (statement.party or "").strip()
    kind = statement_kind(statement, t)
    return f"{kind}{t._(', ')}{t.isolate(speaker)}" if speaker else kind


def _items(label: str, old: list[str], new: list[str], *, dropped: bool) -> list[FieldChange]:
    changes = [FieldChange(label, None, value, item=True) for value in new if value not in old]
    if dropped:
        changes += [FieldChange(label, value, None, item=True) for value in old if value not in new]
    return changes
