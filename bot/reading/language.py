"""Which language a chat reads, and the translation that writes it.

Every text is written in English in the source and translated through the gettext catalogue in
bot/locales (managed with Babel: `pybabel extract -F babel.cfg`, `pybabel update`). The
catalogue is read from its .po file and compiled in memory when first needed, so the
translation can never be older than the catalogue it came from and no build step is needed.

A `Translator` is immutable and passed to whatever writes text: each update and each delivery
is written in its own chat's language, with no locale state shared between them.

Persian reads right to left. Embedded runs that are left to right (names typed in Latin
letters, slugs, commands) are wrapped in first-strong isolates so they cannot reorder the
Persian around them, every line starts with a right-to-left mark so that a line opening with
a Latin name is still laid out right to left, and the bot's own numbers use Persian digits.
Stored facts keep the characters the admin typed.

A chat also chooses its calendar: dates are stored Gregorian and shown in the Gregorian or the
Solar Hijri calendar, converted by jdatetime. A Solar Hijri month is named in Persian script in
Persian and transliterated (Farvardin … Esfand) in English.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import jdatetime
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from storage.chat_settings import chosen_reading, reading_of_chat
from storage.database import Database
from storage.states import Calendar, Language

if TYPE_CHECKING:
    from bot.reading.subscriptions import ChatRef

DOMAIN = "roundwatch"
LOCALES = Path(__file__).resolve().parent.parent / "locales"
PERSIAN_LANGUAGE_CODES = frozenset({"fa", "prs"})
# Dari: Afghan month names (جنوری, فبروری, …) and digits.
BABEL_LOCALES = {Language.ENGLISH: "en", Language.PERSIAN: "fa_AF"}
LANGUAGE_NAMES = {Language.ENGLISH: "English", Language.PERSIAN: "دری / فارسی"}
_SOLAR_HIJRI_MONTHS: dict[Language, tuple[str, ...]] = {
    Language.ENGLISH: tuple(jdatetime.date.j_months_en),
    Language.PERSIAN: tuple(jdatetime.date.j_months_fa),
}

RLM = "\u200f"
FSI = "\u2068"
PDI = "\u2069"
# Digit for digit: Babel's number formatting would group a year's digits (۲٬۰۲۶).
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def N_(message: str) -> str:
    """Marks a constant for the catalogue; it is translated where it is shown."""
    return message


class Refusal(Exception):
    """One sentence for the person who asked; nothing was stored. The English message is the
    catalogue's key and `str()` of the refusal, for logs and the command line; `text` writes
    it in a chat's language, typed values isolated and counts in the reader's digits."""

    def __init__(self, message: str, **values: str | int) -> None:
        self.message = message
        self.values = values
        super().__init__(self.text(ENGLISH))

    def text(self, t: Translator) -> str:
        written = {
            name: t.number(value) if isinstance(value, int) else t.isolate(value)
            for name, value in self.values.items()
        }
        return t._(self.message).format(**written) if written else t._(self.message)


CALENDAR_NAMES = {Calendar.GREGORIAN: N_("Gregorian"), Calendar.SOLAR_HIJRI: N_("Solar Hijri")}


@dataclass(frozen=True)
class CalendarDay:
    """A day as the reader's calendar numbers it; `month` counts from 1."""

    year: int
    month: int
    day: int


def solar_hijri_day(day: date) -> CalendarDay:
    shown = jdatetime.date.fromgregorian(date=day)
    return CalendarDay(int(shown.year), int(shown.month), int(shown.day))


def solar_hijri_month_starts(first: date, last: date) -> list[date]:
    """The days from `first` to `last` on which a Solar Hijri month begins."""
    shown = jdatetime.date.fromgregorian(date=first)
    year, month = int(shown.year), int(shown.month)
    starts: list[date] = []
    while (start := jdatetime.date(year, month, 1).togregorian()) <= last:
        if start >= first:
            starts.append(start)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def language_of_code(language_code: str | None) -> Language:
    """Telegram's `language_code` is an IETF tag: fa, fa-AF, prs (Dari) read Persian."""
    base = (language_code or "").strip().lower().replace("_", "-").split("-")[0]
    return Language.PERSIAN if base in PERSIAN_LANGUAGE_CODES else Language.ENGLISH


@dataclass(frozen=True)
class Translator:
    language: Language
    translations: gettext.NullTranslations
    calendar: Calendar = Calendar.GREGORIAN

    @property
    def right_to_left(self) -> bool:
        return self.language == Language.PERSIAN

    def _(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def number(self, value: int | str) -> str:
        return str(value).translate(_PERSIAN_DIGITS) if self.right_to_left else str(value)

    def digits(self, text: str) -> str:
        """The bot's own figures (times, counts) in the reader's digits."""
        return text.translate(_PERSIAN_DIGITS) if self.right_to_left else text

    def calendar_day(self, day: date) -> CalendarDay:
        return self._solar_hijri(day) or CalendarDay(day.year, day.month, day.day)

    def month(self, day: date) -> str:
        """The name of the month `day` falls in, in the reader's calendar: pair it only with
        `calendar_day(day)`, never with the Gregorian day of the month."""
        solar = self._solar_hijri(day)
        if solar is not None:
            return _SOLAR_HIJRI_MONTHS[self.language][solar.month - 1]
        return format_date(day, "MMMM", locale=BABEL_LOCALES[self.language])

    def _solar_hijri(self, day: date) -> CalendarDay | None:
        """None in the Gregorian calendar, and for a date jdatetime cannot convert (before
        622 or after 9377 AP): it is shown Gregorian rather than failing the whole message."""
        if self.calendar != Calendar.SOLAR_HIJRI:
            return None
        try:
            return solar_hijri_day(day)
        except ValueError:
            return None

    def day_and_month(self, day: date) -> str:
        """The day without its year, in the reader's calendar: "2 Aban", "۲ آبان"."""
        return f"{self.number(self.calendar_day(day).day)} {self.month(day)}"

    def weekday(self, index: int) -> str:
        """0 is Monday."""
        return format_date(date(2024, 1, 1 + index), "EEEE", locale=BABEL_LOCALES[self.language])

    def isolate(self, text: str) -> str:
        """A stored or typed run kept from reordering the sentence around it."""
        return f"{FSI}{text}{PDI}" if self.right_to_left and text else text

    def directed(self, text: str) -> str:
        """A whole message: in Persian every line starts right to left."""
        if not self.right_to_left:
            return text
        return "\n".join(RLM + line if line else line for line in text.split("\n"))


@cache
def translator(
    language: Language | str, calendar: Calendar | str = Calendar.GREGORIAN
) -> Translator:
    chosen = Language(language) if language in tuple(Language) else Language.ENGLISH
    dates = Calendar(calendar) if calendar in tuple(Calendar) else Calendar.GREGORIAN
    if chosen == Language.ENGLISH:
        return Translator(chosen, gettext.NullTranslations(), dates)
    return Translator(chosen, _compiled(chosen), dates)


def _compiled(language: Language) -> gettext.GNUTranslations:
    source = LOCALES / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"
    with source.open("rb") as po:
        catalogue = read_po(po, locale=BABEL_LOCALES[language])
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


ENGLISH = translator(Language.ENGLISH)


async def translator_of_chat(database: Database, telegram_id: int) -> Translator:
    """For what the bot says on its own (a feed's draft, a scheduled post going out): the
    language chosen in /settings, else the one Telegram last reported for that chat, in the
    chat's calendar."""
    async with database.session() as session:
        language, calendar = await reading_of_chat(session, telegram_id)
    return translator(language or Language.ENGLISH, calendar)


async def translator_for(database: Database, chat: ChatRef) -> Translator:
    """The language chosen in /settings, else the one Telegram reports for the person writing,
    in the calendar chosen in /settings."""
    async with database.session() as session:
        language, calendar = await chosen_reading(session, chat.telegram_id)
    return translator(language or chat.language or Language.ENGLISH, calendar)
