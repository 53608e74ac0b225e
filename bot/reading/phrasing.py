"""How dates, places, people and statements read in plain text, the same in every message.

Plain text, not HTML: callers escape what they put into a message. Shared by the renderer and
by "what changed", which describes a change in the same words the alert uses for the fact.
"""

from __future__ import annotations

from datetime import date

from storage.views import MemberView, PlaceView, StatementView

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


def format_day(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_date_span(start: date | None, end: date | None) -> str | None:
    """Shared parts of the two dates are written once, the way a newspaper would:
    "18–19 October 2026", "30 September – 2 October 2026"."""
    if start is None:
        return f"until {format_day(end)}" if end else None
    if end is None or end == start:
        return format_day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_MONTHS[start.month - 1]} – {format_day(end)}"
    return f"{format_day(start)} – {format_day(end)}"


def format_place(place: PlaceView) -> str | None:
    """Blank parts are skipped so a place known only by its country still reads naturally."""
    parts = [part.strip() for part in (place.venue, place.city, place.country) if part]
    return ", ".join(part for part in parts if part) or None


def format_person(member: MemberView) -> str:
    title = (member.title or "").strip()
    return f"{member.person.strip()} ({title})" if title else member.person.strip()


def format_outcome(outcome_type: str | None, outcome_text: str | None) -> str | None:
    parts = [value.strip() for value in (outcome_type, outcome_text) if value and value.strip()]
    return ": ".join(parts) or None


def format_count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def statement_kind(statement: StatementView) -> str:
    return statement.kind.strip().capitalize() or "Statement"
