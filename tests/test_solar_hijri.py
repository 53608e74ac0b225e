"""The Solar Hijri calendar as a chat's choice in /settings: every date a reader sees is shown
in it, with Persian month names and digits in Persian and transliterated names in English.

The formatting is checked against jdatetime both ways: a rendered day read back through
jdatetime is the Gregorian date it came from, and a rendered range never starts after it ends."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import jdatetime
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.posting.demo_data import DEMO_SLUG
from bot.reading.delivery_settings import (
    change_settings,
    choose_calendar,
    delivery_settings,
)
from bot.reading.language import RLM, Translator, translator
from bot.reading.phrasing import format_date_span, format_day
from bot.reading.reader_schedule import digest_title
from bot.reading.subscriptions import ChatRef
from bot.reading.timeline_picture import render_timeline, solar_hijri_ticks
from bot.sandbox import BotApiDouble, SentMessage
from storage.database import Database
from storage.digests import DigestChat
from storage.models import Delivery, Post
from storage.states import Calendar, Language
from tests.conftest import OWNER_ID, Chatter, StartBot, buttons_of, wait_for_states
from tests.test_delivery import subscribers
from tests.test_digests import (
    GROUP,
    GROUP_ADMIN,
    GROUP_MEMBER,
    answer_to,
)
from tests.test_outbox import PARAGRAPH, publish_rendered
from tests.test_persian import (
    ENGLISH_READER,
    PERSIAN_READER,
    ROUND_THREE,
    bot_words_are_persian,
    current,
    kabul_daily_digest,
    reference_case,
)
from tests.test_timeline import rounds_like

__all__ = ["reference_case"]

ENGLISH_SOLAR = translator(Language.ENGLISH, Calendar.SOLAR_HIJRI)
PERSIAN_SOLAR = translator(Language.PERSIAN, Calendar.SOLAR_HIJRI)
GREGORIAN_READER = 303
_FROM_PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
# jdatetime converts years 1–9377 AP; Gregorian dates well inside that range.
convertible_days = st.dates(min_value=date(700, 1, 1), max_value=date(9000, 12, 31))
readers = st.sampled_from([ENGLISH_SOLAR, PERSIAN_SOLAR])


def _months(t: Translator) -> list[str]:
    return list(jdatetime.date.j_months_fa if t.right_to_left else jdatetime.date.j_months_en)


def _read_day(day: str, month: str, year: str, t: Translator) -> date:
    """The Gregorian date jdatetime gives for a rendered Solar Hijri day."""
    number = [int(part.translate(_FROM_PERSIAN_DIGITS)) for part in (day, year)]
    solar = jdatetime.date(number[1], _months(t).index(month) + 1, number[0])
    return solar.togregorian()


def _read_span(text: str, t: Translator) -> tuple[date, date]:
    """Reads back the three shapes `format_date_span` writes."""
    words = text.replace("–", " – ").split()
    if "–" not in words:
        day, month, year = words
        return _read_day(day, month, year, t), _read_day(day, month, year, t)
    left, right = " ".join(words[: words.index("–")]), " ".join(words[words.index("–") + 1 :])
    end_day, end_month, end_year = right.split()
    start = left.split()
    if len(start) == 1:
        start += [end_month, end_year]
    elif len(start) == 2:
        start.append(end_year)
    return _read_day(*start, t), _read_day(end_day, end_month, end_year, t)


def test_known_days_in_the_solar_hijri_calendar() -> None:
    assert jdatetime.date.fromgregorian(date=date(2026, 10, 24)) == jdatetime.date(1405, 8, 2)
    assert format_day(date(2026, 10, 24), ENGLISH_SOLAR) == "2 Aban 1405"
    assert format_day(date(2026, 10, 24), PERSIAN_SOLAR) == "۲ آبان ۱۴۰۵"
    assert format_day(date(2026, 3, 21), ENGLISH_SOLAR) == "1 Farvardin 1405"
    assert format_day(date(2026, 3, 21), PERSIAN_SOLAR) == "۱ فروردین ۱۴۰۵"
    assert format_day(date(2026, 3, 20), ENGLISH_SOLAR) == "29 Esfand 1404"
    assert format_day(date(2026, 10, 24), translator(Language.ENGLISH)) == "24 October 2026"


def test_a_range_names_each_solar_hijri_month_it_crosses() -> None:
    assert (
        format_date_span(date(2026, 10, 24), date(2026, 10, 26), ENGLISH_SOLAR) == "2–4 Aban 1405"
    )
    # 21–24 October is one Gregorian month but two Solar Hijri ones.
    assert (
        format_date_span(date(2026, 10, 21), date(2026, 10, 24), ENGLISH_SOLAR)
        == "29 Mehr – 2 Aban 1405"
    )
    assert (
        format_date_span(date(2026, 10, 21), date(2026, 10, 24), PERSIAN_SOLAR)
        == "۲۹ مهر – ۲ آبان ۱۴۰۵"
    )
    # 20–21 March is one Gregorian year but two Solar Hijri ones.
    assert (
        format_date_span(date(2026, 3, 20), date(2026, 3, 21), ENGLISH_SOLAR)
        == "29 Esfand 1404 – 1 Farvardin 1405"
    )
    # The Solar Hijri month of 23 Oct – 21 Nov 2026 is one (Aban), the Gregorian ones two.
    assert (
        format_date_span(date(2026, 10, 23), date(2026, 11, 21), ENGLISH_SOLAR) == "1–30 Aban 1405"
    )


@given(convertible_days, readers)
def test_a_solar_hijri_day_reads_back_through_jdatetime_as_the_same_date(
    day: date, t: Translator
) -> None:
    shown = format_day(day, t)
    assert _read_day(*shown.split(), t) == day


@given(convertible_days, convertible_days, readers)
def test_a_solar_hijri_range_reads_back_and_never_starts_after_it_ends(
    one: date, other: date, t: Translator
) -> None:
    start, end = min(one, other), max(one, other)
    shown = format_date_span(start, end, t)
    assert shown is not None
    read_start, read_end = _read_span(shown, t)
    assert (read_start, read_end) == (start, end)
    assert read_start <= read_end


def test_the_timeline_picture_ticks_fall_on_solar_hijri_month_starts() -> None:
    ticks = solar_hijri_ticks(date(2026, 1, 1), date(2026, 12, 31), ENGLISH_SOLAR)
    assert [label for _, label in ticks][:3] == ["Bahman 1404", "Farvardin 1405", "Khordad 1405"]
    assert ticks[0][0] == date(2026, 1, 21)
    short = solar_hijri_ticks(date(2026, 10, 18), date(2026, 10, 30), PERSIAN_SOLAR)
    assert [label for _, label in short][:3] == ["۲۷ مهر", "۲۹ مهر", "۱ آبان"]


@given(
    st.dates(min_value=date(700, 1, 1), max_value=date(8900, 1, 1)), st.integers(1, 4000), readers
)
def test_timeline_ticks_stay_inside_the_axis_and_name_the_day_they_mark(
    first: date, length: int, t: Translator
) -> None:
    last = first + timedelta(days=length)
    ticks = solar_hijri_ticks(first, last, t)
    days = [day for day, _ in ticks]
    assert days == sorted(days) and all(first <= day <= last for day in days)
    assert len(ticks) <= 6
    for day, label in ticks:
        if length > 120:
            assert jdatetime.date.fromgregorian(date=day).day == 1
            assert label == f"{t.month(day)} {t.number(t.calendar_day(day).year)}"
        else:
            assert label == t.day_and_month(day)


def test_a_solar_hijri_timeline_picture_differs_from_the_gregorian_one() -> None:
    rounds = rounds_like(8)
    assert render_timeline("Talks", rounds, ENGLISH_SOLAR) != render_timeline("Talks", rounds)


def test_a_digest_is_titled_in_the_chats_calendar() -> None:
    chat = DigestChat(1, "UTC", 8, None, "en", Calendar.SOLAR_HIJRI)
    at = datetime(2026, 10, 24, 8, tzinfo=UTC)
    assert digest_title(chat, at, ENGLISH_SOLAR) == "Daily digest · Sat 2 Aban 1405"
    assert digest_title(chat, at, PERSIAN_SOLAR).endswith("۲ آبان ۱۴۰۵")
    assert digest_title(chat, at, translator("en")) == "Daily digest · Sat 24 Oct 2026"


async def _choose_solar_hijri(double: BotApiDouble, reader: int, expected: str) -> SentMessage:
    (shown,) = await Chatter(double, reader, reader).says("/settings")
    double.user_presses(reader, shown.message_id, "set:cal:solar_hijri", user_id=reader)
    await double.wait_for(lambda: expected in current(double, shown).plain_text)
    return current(double, shown)


def _alert(double: BotApiDouble, chat_id: int) -> SentMessage | None:
    return next((m for m in double.messages_to(chat_id) if "Third round" in m.text), None)


async def test_english_and_persian_chats_read_latest_and_alerts_in_the_solar_hijri_calendar(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot, database: Database
) -> None:
    double.add_private_chat(OWNER_ID, "Owner")
    double.add_private_chat(ENGLISH_READER, "Reader", language_code="en")
    double.add_private_chat(PERSIAN_READER, "Reader", language_code="fa")
    double.add_private_chat(GREGORIAN_READER, "Reader", language_code="en")
    await bot_for()
    english = Chatter(double, ENGLISH_READER, ENGLISH_READER)
    (before,) = await english.says(f"/latest {DEMO_SLUG}")
    assert "📅 24 October 2026" in before.plain_text

    shown = await _choose_solar_hijri(double, ENGLISH_READER, "Calendar: Solar Hijri")
    assert buttons_of(shown)["✅ 🗓 Solar Hijri"] == "set:cal:solar_hijri"
    persian_settings = await _choose_solar_hijri(double, PERSIAN_READER, "تقویم: هجری شمسی")
    bot_words_are_persian(persian_settings.plain_text)

    (latest,) = await english.says(f"/latest {DEMO_SLUG}")
    assert "📅 2 Aban 1405" in latest.plain_text
    assert "26–27 Mehr 1405" in latest.plain_text  # the previous round, 18–19 October
    assert "October 2026" not in latest.plain_text  # the admin's summary says "18–19 October"
    persian = Chatter(double, PERSIAN_READER, PERSIAN_READER)
    (latest_fa,) = await persian.says(f"/latest {DEMO_SLUG}")
    assert "📅 ۲ آبان ۱۴۰۵" in latest_fa.plain_text
    bot_words_are_persian(latest_fa.plain_text)
    (history,) = await english.says(f"/history {DEMO_SLUG}")
    assert "26–27 Mehr 1405" in history.plain_text and "2 Aban 1405" in history.plain_text

    for reader in (ENGLISH_READER, PERSIAN_READER, GREGORIAN_READER):
        await Chatter(double, reader, reader).says(f"/subscribe {DEMO_SLUG}")
    owner = Chatter(double, OWNER_ID, OWNER_ID)
    preview = await owner.says(ROUND_THREE, replies=2)
    await owner.presses(preview[-1], buttons_of(preview[-1])["✅ Publish"])
    for reader in (ENGLISH_READER, PERSIAN_READER, GREGORIAN_READER):
        await double.wait_for(lambda reader=reader: _alert(double, reader) is not None, timeout=20)
    alert_en, alert_fa = _alert(double, ENGLISH_READER), _alert(double, PERSIAN_READER)
    gregorian = _alert(double, GREGORIAN_READER)
    assert alert_en is not None and alert_fa is not None and gregorian is not None
    assert "📅 15 Aban 1405" in alert_en.plain_text  # 6 November 2026
    assert "📅 ۱۵ آبان ۱۴۰۵" in alert_fa.plain_text
    bot_words_are_persian(alert_fa.plain_text)
    assert "📅 6 November 2026" in gregorian.plain_text
    async with database.session() as session:
        post = (await session.scalars(select(Post).order_by(Post.id.desc()))).first()
    assert post is not None
    assert alert_en.text == post.rendered_solar_hijri
    assert alert_fa.text == post.rendered_fa_solar_hijri
    assert gregorian.text == post.rendered


async def test_only_a_groups_administrators_change_its_calendar(
    double: BotApiDouble, reference_case: Database, bot_for: StartBot, database: Database
) -> None:
    double.add_group(GROUP, "Desk", admins={GROUP_ADMIN})
    await bot_for()
    member = Chatter(double, GROUP, GROUP_MEMBER)
    (shown,) = await member.says("/settings")
    assert "Calendar: Gregorian" in shown.plain_text
    solar = buttons_of(shown)["🗓 Solar Hijri"]
    answer = await answer_to(double, GROUP, shown.message_id, solar, GROUP_MEMBER)
    assert answer.show_alert and "administrators" in (answer.text or "")
    assert (await delivery_settings(database, GROUP)).calendar == Calendar.GREGORIAN
    (latest,) = await member.says(f"/latest {DEMO_SLUG}")
    assert "24 October 2026" in latest.plain_text

    answer = await answer_to(double, GROUP, shown.message_id, solar, GROUP_ADMIN)
    assert answer.text == "Saved."
    await double.wait_for(lambda: "Calendar: Solar Hijri" in current(double, shown).plain_text)
    assert (await delivery_settings(database, GROUP)).calendar == Calendar.SOLAR_HIJRI
    (latest,) = await member.says(f"/latest {DEMO_SLUG}")
    assert "2 Aban 1405" in latest.plain_text


async def test_a_split_alert_retried_after_its_chat_changed_calendar_sends_the_same_parts(
    double: BotApiDouble, database: Database, bot_for: StartBot
) -> None:
    """The first part went out in the Gregorian text; the rest must come from the same text,
    not from the Solar Hijri one the chat switched to before the retry."""
    (chat,) = await subscribers(double, database, 1)
    post_id = await publish_rendered(
        database, f"<b>Gregorian</b> {PARAGRAPH}\n\n<i>October</i> {PARAGRAPH}"
    )
    async with database.transaction() as session:
        post = await session.get(Post, post_id)
        assert post is not None
        post.rendered_solar_hijri = f"<b>Solar</b> {PARAGRAPH}\n\n<i>Aban</i> {PARAGRAPH}"
    double.fail_next(chat, 1, status=502, after=1)
    await bot_for(ROUNDWATCH_RETRY_DELAY=3)

    async def part_sent() -> bool:
        async with database.session() as session:
            return bool(await session.scalar(select(Delivery.parts_sent)))

    deadline = asyncio.get_running_loop().time() + 20
    while not await part_sent():
        assert asyncio.get_running_loop().time() < deadline, "the first part never went out"
        await asyncio.sleep(0.05)
    await change_settings(
        database, ChatRef(chat, "private", None), choose_calendar(Calendar.SOLAR_HIJRI)
    )
    await wait_for_states(database, Counter({"sent": 1}))
    received = [message.plain_text.split()[:2] for message in double.messages_to(chat)]
    assert [words[0] for words in received] == ["Gregorian", "(2/2)"]
    assert received[1][1] == "October"


async def test_a_persian_solar_hijri_chat_gets_its_digest_titled_in_its_calendar(
    double: BotApiDouble, database: Database, database_url: str
) -> None:
    digest = await kabul_daily_digest(
        double, database, database_url, choose_calendar(Calendar.SOLAR_HIJRI)
    )
    # 21 October 2026 is 29 Mehr 1405.
    assert digest.plain_text.startswith(f"{RLM}🗞 خلاصهٔ روزانه · چهارشنبه ۲۹ مهر ۱۴۰۵")
    bot_words_are_persian(digest.plain_text)
