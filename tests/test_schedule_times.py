"""Digest times and quiet hours as plain arithmetic, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.reading.alert_parts import split_alert
from bot.reading.digest_text import render_digest
from bot.reading.schedule_times import (
    DigestSchedule,
    QuietHours,
    find_time_zone,
    is_quiet,
    latest_digest_time,
    local_instant,
    next_digest_time,
    parse_quiet_hours,
)
from storage.digests import DigestLine

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
TEHRAN = ZoneInfo("Asia/Tehran")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[arg-type]


def test_a_london_daily_digest_moves_an_hour_earlier_in_utc_when_summer_time_starts() -> None:
    daily = DigestSchedule(hour=8)
    assert latest_digest_time(utc(2026, 3, 29, 6, 59), LONDON, daily) == (
        date(2026, 3, 28),
        utc(2026, 3, 28, 8),
    )
    assert latest_digest_time(utc(2026, 3, 29, 7, 0), LONDON, daily) == (
        date(2026, 3, 29),
        utc(2026, 3, 29, 7),
    )
    assert next_digest_time(utc(2026, 3, 28, 8, 0, 1), LONDON, daily) == (
        date(2026, 3, 29),
        utc(2026, 3, 29, 7),
    )


def test_an_hour_the_clocks_skip_is_the_moment_they_land() -> None:
    assert local_instant(date(2026, 3, 8), 2, NEW_YORK) == utc(2026, 3, 8, 7)  # 03:00 EDT
    assert local_instant(date(2026, 10, 4), 2, SYDNEY) == utc(2026, 10, 3, 16)  # 03:00 AEDT


def test_an_hour_the_clocks_repeat_brings_one_digest_at_its_first_occurrence() -> None:
    at_one = DigestSchedule(hour=1)
    first = utc(2026, 11, 1, 5)  # 01:00 EDT
    assert latest_digest_time(first, NEW_YORK, at_one) == (date(2026, 11, 1), first)
    second = utc(2026, 11, 1, 6, 30)  # 01:30 EST, the hour again
    assert latest_digest_time(second, NEW_YORK, at_one) == (date(2026, 11, 1), first)


def test_a_new_york_weekly_digest_keeps_its_local_hour_across_the_change() -> None:
    mondays_at_eight = DigestSchedule(hour=8, weekday=0)
    assert latest_digest_time(utc(2026, 3, 9, 11, 59), NEW_YORK, mondays_at_eight) == (
        date(2026, 3, 2),
        utc(2026, 3, 2, 13),
    )
    assert latest_digest_time(utc(2026, 3, 9, 12), NEW_YORK, mondays_at_eight) == (
        date(2026, 3, 9),
        utc(2026, 3, 9, 12),
    )


@pytest.mark.parametrize("zone", [LONDON, NEW_YORK, SYDNEY, ZoneInfo("Australia/Lord_Howe")])
@pytest.mark.parametrize("hour", [0, 1, 2])
def test_every_local_date_of_a_year_has_exactly_one_digest(zone: ZoneInfo, hour: int) -> None:
    daily = DigestSchedule(hour=hour)
    now = utc(2026, 1, 1)
    periods = [latest_digest_time(now, zone, daily)[0]]
    while now < utc(2027, 1, 1):
        now += timedelta(hours=1)
        day, at = latest_digest_time(now, zone, daily)
        assert at <= now
        if day != periods[-1]:
            periods.append(day)
    assert all(b - a == timedelta(days=1) for a, b in pairwise(periods))
    assert len(periods) == 366


def test_weekly_digests_come_every_seven_local_days_through_both_changes() -> None:
    weekly = DigestSchedule(hour=2, weekday=6)
    now, periods = utc(2026, 1, 1), list[date]()
    while now < utc(2027, 1, 1):
        now += timedelta(hours=3)
        day = latest_digest_time(now, SYDNEY, weekly)[0]
        if not periods or day != periods[-1]:
            periods.append(day)
    assert all(b - a == timedelta(days=7) for a, b in pairwise(periods))
    assert all(day.weekday() == 6 for day in periods)


def test_quiet_hours_span_midnight_in_local_time() -> None:
    night = QuietHours(22 * 60, 7 * 60)
    assert is_quiet(utc(2026, 6, 1, 20), TEHRAN, night)  # 23:30 in Tehran
    assert is_quiet(utc(2026, 6, 2, 3, 29), TEHRAN, night)  # 06:59
    assert not is_quiet(utc(2026, 6, 2, 3, 30), TEHRAN, night)  # 07:00
    assert not is_quiet(utc(2026, 6, 1, 18, 29), TEHRAN, night)  # 21:59
    afternoon = QuietHours(13 * 60, 14 * 60)
    assert is_quiet(utc(2026, 7, 1, 12, 30), LONDON, afternoon)  # 13:30 BST
    assert not is_quiet(utc(2026, 1, 1, 12, 30), LONDON, afternoon)  # 12:30 GMT


@pytest.mark.parametrize(
    ("text", "quiet"),
    [("22:00-07:00", QuietHours(1320, 420)), ("22-7", QuietHours(1320, 420)),
     ("23:30–06:45", QuietHours(1410, 405))],
)  # fmt: skip
def test_quiet_hours_are_read_in_the_usual_spellings(text: str, quiet: QuietHours) -> None:
    assert parse_quiet_hours(text) == quiet


@pytest.mark.parametrize(
    ("text", "reason"),
    [("22", "start–end"), ("late", "start–end"), ("25-07", "Hours go"), ("22:75-07", "minutes"),
     ("22:00-22:00", "differ")],
)  # fmt: skip
def test_malformed_quiet_hours_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_quiet_hours(text)


@pytest.mark.parametrize(
    ("text", "zone"),
    [("Kabul", "Asia/Kabul"), ("new york", "America/New_York"), ("TEHRAN", "Asia/Tehran"),
     ("Europe/London", "Europe/London"), ("UTC+3", "Etc/GMT-3"), ("utc-5", "Etc/GMT+5"),
     ("UTC", "UTC"), ("+0", "UTC")],
)  # fmt: skip
def test_time_zones_are_found_by_city_name_or_offset(text: str, zone: str) -> None:
    assert find_time_zone(text) == zone


@pytest.mark.parametrize(
    ("text", "reason"),
    [("Atlantis", "don't know that place"), ("UTC+3:30", "name a city"), ("UTC+15", r"\+14")],
)
def test_unknown_places_and_offsets_without_a_zone_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        find_time_zone(text)


def line(entry: int, slug: str, number: int | None, start: date | None, head: str) -> DigestLine:
    return DigestLine(
        entry, slug, slug.upper(), head, "new_round", number, start, None, "ceasefire <held>", None
    )


def test_a_digest_groups_by_topic_newest_round_first_with_the_command_for_the_card() -> None:
    text = render_digest(
        [
            line(1, "alpha", 1, date(2026, 10, 18), "Round one"),
            line(2, "beta", 4, date(2026, 10, 20), "Beta four"),
            line(3, "alpha", 2, date(2026, 10, 25), "Round two"),
        ],
        "Daily digest · Mon 26 Oct 2026",
    )
    assert text.index("ALPHA") < text.index("Round two") < text.index("Round one")
    assert text.index("Round one") < text.index("BETA")
    assert "/latest alpha — the whole card" in text and "/latest beta" in text
    assert "3 updates in 2 topics" in text
    assert "ceasefire &lt;held&gt;" in text


def test_a_digest_past_telegrams_limit_splits_into_parts_that_fit() -> None:
    lines = [line(n, f"topic-{n % 7}", n, date(2026, 1, 1), "A headline " * 20) for n in range(60)]
    parts = split_alert(render_digest(lines, "Weekly digest · Mon 5 Jan 2026"))
    assert len(parts) > 1 and all(len(part) <= 4096 for part in parts)
