"""A published post in every language and calendar a chat can read it in.

Every reading is rendered when the post is published and stored on the post, not rendered when
it is delivered: the outbox sends stored text, so a retried split alert splits the same text
into the same parts, a delivery needs no view of the round (which may have changed since), and
a chat reads what the admin previewed, written out in its language and calendar. The English
Gregorian text is the previewed one. A delivery takes the chat's language and calendar at its
first claim and keeps them through its retries (storage.deliveries), so a chat that changes
either while a split alert is part-way out still gets the rest of the parts it started; a post
from before a reading existed falls back to the same language's Gregorian text, then to the
English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.reading.language import Translator, translator
from storage.models import Post
from storage.states import Calendar, Language


@dataclass(frozen=True)
class PostTexts:
    english: str
    persian: str
    english_solar_hijri: str
    persian_solar_hijri: str

    def store_on(self, post: Post) -> None:
        """The readings other than the previewed English one, which the draft already holds."""
        post.rendered_fa = self.persian
        post.rendered_solar_hijri = self.english_solar_hijri
        post.rendered_fa_solar_hijri = self.persian_solar_hijri


def render_readings(told: Callable[[Translator], str]) -> PostTexts:
    return PostTexts(
        english=told(translator(Language.ENGLISH)),
        persian=told(translator(Language.PERSIAN)),
        english_solar_hijri=told(translator(Language.ENGLISH, Calendar.SOLAR_HIJRI)),
        persian_solar_hijri=told(translator(Language.PERSIAN, Calendar.SOLAR_HIJRI)),
    )
