"""How dates, places, people and statements read in plain text, the same in every message.

Plain text, not HTML: callers escape what they put into a message. Shared by the renderer and
by "what changed", which describes a change in the same words the alert uses for the fact.
"""

from __future__ import annotations

from datetime import date

from bot.reading.language import ENGLISH, N_, Translator
from storage.states import Calendar
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


STATEMENT_KINDS = {
    "demand": N_("Demand"),
    "position": N_("Position"),
    "claim": N_("Claim"),
    "announcement": N_("Announcement"),
}
ROUND_STATUSES = {
    "scheduled": N_("scheduled"),
    "ongoing": N_("ongoing"),
    "concluded": N_("concluded"),
    "collapsed": N_("collapsed"),
    "postponed": N_("postponed"),
}


def _month(day: date, t: Translator) -> str:
    if t.right_to_left or t.calendar != Calendar.GREGORIAN:
        return t.month(day)
    return _MONTHS[day.month - 1]


def format_day(day: date, t: Translator = ENGLISH) -> str:
    """In the reader's calendar, with its month names and digits."""
    shown = t.calendar_day(day)
    return f"{t.number(shown.day)} {_month(day, t)} {t.number(shown.year)}"


def format_date_span(start: date | None, end: date | None, t: Translator = ENGLISH) -> str | None:
    """Shared parts of the two dates are written once, the way a newspaper would:
    "18–19 October 2026", "30 September – 2 October 2026"; which parts are shared is asked of
    the reader's calendar, so "30 Mehr – 2 Aban 1405" names both Solar Hijri months."""
    if start is None:
        return t._("until {day}").format(day=format_day(end, t)) if end else None
    if end is None or end == start:
        return format_day(start, t)
    first, last = t.calendar_day(start), t.calendar_day(end)
    if (first.year, first.month) == (last.year, last.month):
        days = f"{t.number(first.day)}–{t.number(last.day)}"
        return f"{days} {_month(end, t)} {t.number(last.year)}"
    if first.year == last.year:
        return f"{t.number(first.day)} {_month(start, t)} – {format_day(end, t)}"
    return f"{format_day(start, t)} – {format_day(end, t)}"


def format_status(status: str | None, t: Translator = ENGLISH) -> str | None:
    """A status the bot knows is said in the reader's language; anything else as typed."""
    if status is None:
        return None
    known = ROUND_STATUSES.get(status.strip().lower())
    return t._(known) if known else status


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


def statement_kind(statement: StatementView, t: Translator = ENGLISH) -> str:
    kind = statement.kind.strip()
    known = STATEMENT_KINDS.get(kind.lower())
    if known:
        return t._(known)
    return kind.capitalize() or t._("Statement")
