"""Which parts of an article speak of the round it reports, and which of earlier rounds.

A report of round 2 usually recalls round 1 — its dates, place and outcome — often in the same
sentence ("The second round in Istanbul follows initial talks held on October 18 and 19 in
Doha"). Each sentence is cut where it turns to another round, and a sentence that opens by
pointing back ("During those meetings, …") stays with the round the previous one ended on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.intake.round_number import round_mentions

_OTHER_ROUND = re.compile(
    r"\b(?:previous|prior|earlier|last|initial|preceding|past|opening|inaugural)\s+"
    r"(?:[\w’'-]+\s+)?(?:rounds?|talks|meetings?|sessions?|negotiations|discussions|sittings?)\b"
    r"|(?<!day\s)\b(?:last|in)\s+(?:year|month|week)\b|\bin\s+(?:19|20)[0-9]{2}\b",
    re.IGNORECASE,
)
_THIS_ROUND = re.compile(
    r"\b(?:this|the\s+new|a\s+new|the\s+latest|the\s+current|a\s+fresh|the\s+upcoming)\s+"
    r"(?:round|session|talks|meeting)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(
    r"^(?:(?:during|at|in|after|from)\s+(?:those|that|these)\b|there\b|then\b|those\s+"
    r"(?:talks|meetings)|that\s+(?:round|meeting|session))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Segment:
    """A stretch of one sentence; `current` when it speaks of the reported round."""

    sentence: int
    text: str
    offset: int
    current: bool


def segment_sentences(sentences: list[str], round_number: int | None) -> list[Segment]:
    segments: list[Segment] = []
    current = True
    for index, sentence in enumerate(sentences):
        if not _POINTS_BACK.match(sentence):
            current = True
        turns = sorted(_turns(sentence, round_number))
        start = 0
        for position, is_current in turns:
            if position > start:
                segments.append(Segment(index, sentence[start:position], start, current))
                start = position
            current = is_current
        segments.append(Segment(index, sentence[start:], start, current))
    return [segment for segment in segments if segment.text.strip()]


# "met on Tuesday last week": a day with "last week" dates the round being reported.
_DAY_BEFORE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|[0-9]{1,2})\s+$"
)


def _turns(sentence: str, round_number: int | None) -> list[tuple[int, bool]]:
    turns = [
        (m.start(), False)
        for m in _OTHER_ROUND.finditer(sentence)
        if not (m.group(0).lower().startswith("last") and _DAY_BEFORE.search(sentence[: m.start()]))
    ]
    turns += [(m.start(), True) for m in _THIS_ROUND.finditer(sentence)]
    if round_number is not None:
        turns += [(start, n == round_number) for n, start, _ in round_mentions(sentence)]
    return turns
