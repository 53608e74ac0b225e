"""What the double saw the bot do, kept so tests can assert on outcomes instead of on mocks."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One accepted send or edit, as the bot wrote it and as the recipient sees it.

    ``text`` is the raw string the bot sent (markup included; the caption for documents and
    photos), ``plain_text`` what Telegram would display after applying ``parse_mode``.
    ``at`` is ``time.monotonic()`` when the double accepted it, for pacing assertions;
    ``paid_broadcast`` whether the bot asked for Telegram's paid broadcast budget;
    ``reply_to_message_id`` the message it replies to, when that message exists; ``silent``
    whether it asked for no notification sound (``disable_notification``); ``thread_id`` the
    forum topic it was sent to (``message_thread_id``); ``photo`` the uploaded bytes of a
    sendPhoto.
    """

    chat_id: int
    message_id: int
    text: str
    plain_text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    at: float
    method: str
    paid_broadcast: bool = False
    reply_to_message_id: int | None = None
    silent: bool = False
    thread_id: int | None = None
    photo: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """An answerCallbackQuery call, so tests can check the spinner was stopped and with what."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int
    at: float


@dataclass(slots=True)
class DoubleStats:
    """Counters that prove delivery properties without scanning every record.

    ``accepted_sends`` counts delivered messages (sendMessage), not edits. ``too_many_requests``
    counts every 429 answered,
    ``sent_during_pause`` the sends that arrived while an earlier retry_after was still running,
    except those arriving within ``RateLimits.in_flight_grace`` of the 429, which were already
    in flight and are counted in ``in_flight_during_pause``. ``garbage_answers`` counts the
    injected 200s whose body is not Bot API JSON. ``webhook_answers`` counts the bot's answers to
    the updates POSTed to its webhook by HTTP status (None: no answer).
    """

    requests: Counter[str] = field(default_factory=Counter)
    accepted_sends: int = 0
    rejected: Counter[int] = field(default_factory=Counter)
    too_many_requests: int = 0
    sent_during_pause: int = 0
    in_flight_during_pause: int = 0
    unknown_methods: Counter[str] = field(default_factory=Counter)
    garbage_answers: int = 0
    webhook_answers: Counter[int | None] = field(default_factory=Counter)
