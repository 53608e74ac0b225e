"""Which round an article is about, from "second round", "round three", "the fifth session"."""

from __future__ import annotations

import re

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
# "twenty-first" … "fifty-ninth": long-running processes count past twenty.
ORDINALS.update(
    {f"{tens}-{unit}": value + ORDINALS[unit] for tens, value in _TENS.items() for unit in _UNITS}
)
ORDINALS.update({tens[:-1] + "ieth": value for tens, value in _TENS.items()})
CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
ROUND_WORDS = r"(?:round|session|sitting|cycle|roundtable|round-table|round\s+table)s?"
_ORDINAL = (
    r"(?P<ordinal>"
    + "|".join(sorted(ORDINALS, key=len, reverse=True))
    + r"|[0-9]{1,3}(?:st|nd|rd|th))"
)
_CARDINAL = r"(?P<cardinal>" + "|".join(CARDINALS) + r"|[0-9]{1,3})"
_NUMBERED = re.compile(
    r"\b(?:" + _ORDINAL + r"(?:\s+(?:and\s+(?:final|last)|formal|official|new|full|direct|"
    r"substantive|high-level|such))?(?:\s+(?-i:[A-Z][\w’'-]+)){0,3}[\s-]+" + ROUND_WORDS
    + r"|(?:round|session)\s+" + _CARDINAL
    + r"|(?P<numbered>[0-9]{1,3}(?:st|nd|rd|th)|" + "|".join(list(ORDINALS)[1:])
    + r")\s+(?:[\w-]+\s+)?meeting)\b",
    re.IGNORECASE,
)  # fmt: skip
# A numbered meeting ("the 118th meeting", "their fourth meeting") is a round of a series;
# "their first meeting" need not start one.
# "after the first round" names an earlier round, not the one the article is about; "after a
# fifth session" brings in the round the article reports, which an earlier one never is.
_EARLIER = re.compile(
    r"\b(?:(?:previous|prior|earlier|last|initial|preceding|since|follows|unlike|before)\s+"
    r"(?:the\s+|a\s+|an\s+|their\s+|its\s+)?|(?:after|following)\s+(?:the\s+|their\s+|its\s+)?)$",
    re.IGNORECASE,
)
# "a day after the third round opened": a round said to open is the one reported, after or not.
_OPENING = re.compile(
    r"^(?:\s+(?:of\s+)?(?:[\w-]+\s+){0,3}?)?\s*(?:opened|began|started|got\s+under\s*way|"
    r"kicked\s+off|convened)\b",
    re.IGNORECASE,
)
# "the negotiators met for the seventh time": the meeting counts the rounds.
_TIMES = re.compile(
    r"\b(?:met|meet|meets|meeting|talks|convened?)\s+(?:[\w-]+\s+){0,4}?for\s+(?:the|a)\s+"
    + _ORDINAL
    + r"\s+time\b",
    re.IGNORECASE,
)


def number_of(match: re.Match[str]) -> int:
    word = (match["ordinal"] or match["cardinal"] or match["numbered"]).lower()
    if word in ORDINALS:
        return ORDINALS[word]
    if word in CARDINALS:
        return CARDINALS[word]
    return int(re.sub(r"[a-z]+$", "", word))


def round_mentions(text: str) -> list[tuple[int, int, int]]:
    """(number, start, end) of every numbered round in the text, earlier rounds included."""
    return [(number_of(m), m.start(), m.end()) for m in _numbered(text)]


def _numbered(text: str) -> list[re.Match[str]]:
    found = [*_NUMBERED.finditer(text), *_TIMES.finditer(text)]
    return sorted(found, key=lambda match: match.start())


def find_round_number(texts: list[str]) -> int | None:
    """The first numbered round that is not introduced as an earlier one."""
    for text in texts:
        for match in _numbered(text):
            earlier = _EARLIER.search(text[max(0, match.start() - 30) : match.start()])
            if not earlier or _OPENING.match(text[match.end() :]):
                return number_of(match)
    return None
