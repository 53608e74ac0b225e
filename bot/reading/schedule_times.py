"""When digests fall due and when quiet hours hold alerts back, in the reader's own time.

A digest belongs to a local date: the chat's digest hour on that date (on its weekday, for a
weekly digest). Each local date has exactly one such instant, so a daylight-saving change can
neither skip a digest nor bring one twice: an hour the clocks jump over is taken as the moment
they land (02:00 on a spring-forward night in New York is 03:00 EDT), and an hour they repeat
as its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.reading.language import N_

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$")
_QUIET = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*[-–—]\s*(\d{1,2})(?::(\d{2}))?$")
_ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@dataclass(frozen=True)
class DigestSchedule:
    hour: int
    weekday: int | None = None  # None: every day


@dataclass(frozen=True)
class QuietHours:
    """Minutes after local midnight; `start` after `end` spans midnight (22:00–07:00)."""

    start: int
    end: int

    def label(self) -> str:
        return f"{clock_label(self.start)}–{clock_label(self.end)}"


def clock_label(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_instant(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 of `day` in `zone`, as UTC (fold 0: see the module's docstring)."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def _is_digest_day(schedule: DigestSchedule, day: date) -> bool:
    return schedule.weekday is None or day.weekday() == schedule.weekday


def latest_digest_time(
    now: datetime, zone: ZoneInfo, schedule: DigestSchedule
) -> tuple[date, datetime]:
    """The local date and instant of the latest digest time not after `now`."""
    today = now.astimezone(zone).date()
    for back in range(15):
        day = today - timedelta(days=back)
        if _is_digest_day(schedule, day):
            at = local_instant(day, schedule.hour, zone)
            if at <= now:
                return day, at
    raise AssertionError("a digest day comes at least once a week")


def next_digest_time(
    now: datetime, zone: ZoneInfo, schedule: DigestSchedule
) -> tuple[date, datetime]:
    """The local date and instant of the first digest time after `now`."""
    today = now.astimezone(zone).date()
    for ahead in range(15):
        day = today + timedelta(days=ahead)
        if _is_digest_day(schedule, day):
            at = local_instant(day, schedule.hour, zone)
            if at > now:
                return day, at
    raise AssertionError("a digest day comes at least once a week")


def is_quiet(now: datetime, zone: ZoneInfo, quiet: QuietHours) -> bool:
    local = now.astimezone(zone)
    minute = local.hour * 60 + local.minute
    if quiet.start < quiet.end:
        return quiet.start <= minute < quiet.end
    return minute >= quiet.start or minute < quiet.end


def parse_quiet_hours(text: str) -> QuietHours:
    """`22:00-07:00`, `22-7` or `22:30–06:45`; ValueError says what is wrong."""
    match = _QUIET.match(text.strip())
    if match is None:
        raise ValueError(N_("Write quiet hours as start–end, for example 22:00-07:00."))
    start_hour, start_minute, end_hour, end_minute = (int(g or 0) for g in match.groups())
    if start_hour > 23 or end_hour > 23 or start_minute > 59 or end_minute > 59:
        raise ValueError(N_("Hours go from 00 to 23 and minutes from 00 to 59."))
    start, end = start_hour * 60 + start_minute, end_hour * 60 + end_minute
    if start == end:
        raise ValueError(N_("Quiet hours need a start and an end that differ."))
    return QuietHours(start, end)


@cache
def _zones_by_city() -> dict[str, str]:
    cities: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.split("/")[0] in _ZONE_AREAS:
            cities.setdefault(name.rsplit("/", 1)[-1].lower(), name)
    return cities


def find_time_zone(text: str) -> str:
    """An IANA zone from a city (`Kabul`, `new york`), a zone name or a whole-hour UTC offset
    (`UTC+3`); ValueError says what to write instead."""
    wanted = " ".join(text.split())
    lowered = wanted.lower()
    if lowered in ("utc", "gmt", "z"):
        return "UTC"
    if offset := _OFFSET.match(lowered):
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        if minutes:
            raise ValueError(
                N_("For an offset that is not a whole hour, name a city instead, e.g. Tehran.")
            )
        if hours > 14:
            raise ValueError(N_("UTC offsets go from −12 to +14."))
        # The Etc zones count the other way: UTC+3 is Etc/GMT-3.
        return "UTC" if hours == 0 else f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    by_name = {name.lower(): name for name in available_timezones()}
    if lowered in by_name:
        return by_name[lowered]
    if zone := _zones_by_city().get(lowered.replace(" ", "_")):
        return zone
    raise ValueError(
        N_(
            "I don't know that place. Name a big city near you (Kabul, London, New York) or an "
            "offset such as UTC+3."
        )
    )
