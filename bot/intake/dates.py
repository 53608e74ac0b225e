"""Dates as news writes them, resolved against the day the article arrived.

dateparser reads one date phrase well but, set loose on running text, it takes "may", "second"
and "march" for dates; the shapes news uses are few, so they are matched here, and a missing
year or a bare weekday is settled against the message date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|" \
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|" \
    r"Nov\.?|Dec\.?)"  # fmt: skip
_DAY = r"(?P<{0}>[0-3]?[0-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{0}>(?:19|20)[0-9]{{2}}))?"
_JOIN = r"\s*(?:-|–|—|and|to|through|until|till)\s*"
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"


def _fill(pattern: str, *names: str) -> str:
    return pattern.format(*names)


_PATTERNS = [
    re.compile(r"\b(?P<y1>(?:19|20)[0-9]{2})-(?P<m1>[01][0-9])-(?P<d1>[0-3][0-9])\b"),
    # October 30 to November 2(, 2026)
    re.compile(_WEEKDAY + _fill(_MONTH, "m1") + r"\s+" + _fill(_DAY, "d1") + _fill(_YEAR, "y1")
               + _JOIN + _WEEKDAY + _fill(_MONTH, "m2") + r"\s+" + _fill(_DAY, "d2")
               + _fill(_YEAR, "y2") + r"\b"),
    # 30 October to 2 November( 2026)
    re.compile(r"\b" + _WEEKDAY + _fill(_DAY, "d1") + r"\s+(?:of\s+)?" + _fill(_MONTH, "m1")
               + _fill(_YEAR, "y1") + _JOIN + _WEEKDAY + _fill(_DAY, "d2") + r"\s+(?:of\s+)?"
               + _fill(_MONTH, "m2") + _fill(_YEAR, "y2") + r"\b"),
    # October 18 and 19(, 2026)
    re.compile(_WEEKDAY + _fill(_MONTH, "m1") + r"\s+" + _fill(_DAY, "d1") + _JOIN
               + _fill(_DAY, "d2") + r"\b" + _fill(_YEAR, "y1")),
    # 18 and 19 October( 2026)
    re.compile(r"\b" + _WEEKDAY + _fill(_DAY, "d1") + _JOIN + _fill(_DAY, "d2") + r"\s+(?:of\s+)?"
               + _fill(_MONTH, "m1") + _fill(_YEAR, "y1") + r"\b"),
    # Saturday, October 24(, 2026)
    re.compile(_WEEKDAY + _fill(_MONTH, "m1") + r"\s+" + _fill(_DAY, "d1") + r"\b"
               + _fill(_YEAR, "y1")),
    # 24 October( 2026)
    re.compile(r"\b" + _WEEKDAY + _fill(_DAY, "d1") + r"\s+(?:of\s+)?" + _fill(_MONTH, "m1")
               + r"\b" + _fill(_YEAR, "y1")),
]  # fmt: skip
_WEEKDAY_ONLY = re.compile(
    r"\b(?P<which>next|last|this|coming)?\s*(?P<w1>Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)(?:" + _JOIN + r"(?P<w2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday))?\b(?:\s+(?:of\s+)?(?P<week>last|next|this|the\s+previous|the\s+following)\s+week\b)?"
)
_RELATIVE_DAYS = re.compile(r"\b(?P<word>today|tomorrow|yesterday)\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|shall|is due|are due|is set|are set|scheduled|planned|expected to|plans? to|"
    r"next|upcoming|coming|to be held|postponed (?:to|until)|moved to|due to|meant to|slated|"
    r"to (?:last|run|continue|go on) (?:until|till|through)|"
    # News writes a fixed plan in the present: "talks that begin on Monday".
    r"begins?|opens|starts?|resumes?)\b",
    re.IGNORECASE,
)


# A plan is said before its day ("will meet on Monday") or right after it ("Monday's talks
# will"); a "will" further on belongs to another clause ("signed on Thursday a text that will …").
_CUE_AFTER = 12
_UNTIL = re.compile(r"\b(?:until|till|through|to)\s*$", re.IGNORECASE)
MAX_RANGE_DAYS = 14
LONG_ROUND_DAYS = 45
_LASTS_UNTIL = re.compile(
    r"\b(?:last|lasts|run|runs|continue|continues|go\s+on|goes\s+on)\s+(?:until|till|through)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: date
    end: date | None
    position: int
    end_position: int


# "X will …, the envoy said on Thursday after talks from Monday to Tuesday": a report of what
# happened between a plan and a weekday puts the weekday in the past.
_PAST_BETWEEN = re.compile(r"\b(?:said|told|after|ended|concluded|wrapped\s+up)\b")
# "the March 14 coalition", "the April 6 Youth Movement": a day a group is named after.
_NAMES_A_GROUP = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+)?(?:coalition|alliance|movement|bloc|camp|party|front|forces)\b",
    re.IGNORECASE,
)


def find_dates(sentence: str, message_date: date) -> list[DateMention]:
    """Every date in the sentence, earliest position first; overlapping shapes count once."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    cues = [match.start() for match in _FUTURE.finditer(sentence)]
    for pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if _NAMES_A_GROUP.match(sentence, match.end()):
                continue
            mention = _from_match(match, message_date)
            if mention is not None:
                taken.append((match.start(), match.end()))
                found.append(mention)
    for match in _WEEKDAY_ONLY.finditer(sentence):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        future = any(
            (cue < match.start() and not _PAST_BETWEEN.search(sentence, cue, match.start()))
            or match.start() <= cue <= match.end() + _CUE_AFTER
            for cue in cues
        )
        found.append(_from_weekdays(match, message_date, future))
    for match in _RELATIVE_DAYS.finditer(sentence):
        offset = {"today": 0, "tomorrow": 1, "yesterday": -1}[match["word"].lower()]
        day = message_date + timedelta(days=offset)
        found.append(DateMention(day, None, match.start(), match.end()))
    return sorted(found, key=lambda mention: mention.position)


def _from_match(match: re.Match[str], message_date: date) -> DateMention | None:
    groups = match.groupdict()
    month1 = _month(groups["m1"])
    month2 = _month(groups.get("m2") or groups["m1"])
    year_text = groups.get("y2") or groups.get("y1")
    first_year = groups.get("y1") if groups.get("y2") else year_text
    try:
        day1, day2 = int(groups["d1"]), int(groups.get("d2") or groups["d1"])
        if year_text:
            start = date(int(first_year or year_text), month1, day1)
            end = date(int(year_text), month2, day2)
        else:
            start = _nearest_year(month1, day1, message_date)
            end = date(start.year + (month2 < month1), month2, day2)
    except ValueError:
        return None
    if end < start or (end - start).days > 60:
        return None
    return DateMention(start, end if end != start else None, match.start(), match.end())


def _month(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.rstrip(".").lower()]


def _nearest_year(month: int, day: int, message_date: date) -> date:
    """Without a year, news means the occurrence closest to when it was written."""
    candidates = []
    for year in (message_date.year - 1, message_date.year, message_date.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError("no such day")
    return min(candidates, key=lambda day_: abs((day_ - message_date).days))


def _from_weekdays(match: re.Match[str], message_date: date, future: bool) -> DateMention:
    """A bare weekday is the coming one in a sentence about plans, else the last one."""
    which = (match["which"] or "").lower()
    target = WEEKDAYS.index(match["w1"].lower())
    week = (match["week"] or "").lower()
    ahead = (target - message_date.weekday()) % 7
    if week:
        # "Thursday last week" names a day of the calendar week before (or after) this one.
        shift = {"last": -7, "the previous": -7, "next": 7, "the following": 7}.get(week, 0)
        monday = message_date - timedelta(days=message_date.weekday()) + timedelta(days=shift)
        start = monday + timedelta(days=target)
    elif which == "next" or (future and which != "last"):
        start = message_date + timedelta(days=ahead)
    else:
        start = message_date - timedelta(days=(message_date.weekday() - target) % 7)
    end = None
    if match["w2"]:
        end = start + timedelta(days=(WEEKDAYS.index(match["w2"].lower()) - target) % 7)
    return DateMention(start, end, match.start(), match.end())


def extended_to_until(sentence: str, mention: DateMention, found: list[DateMention]) -> DateMention:
    """ "opened on Tuesday and is expected to last until Thursday": one round, two days apart
    in the sentence."""
    if mention.end is not None:
        return mention
    for later in found:
        if later.position <= mention.end_position or later.end is not None:
            continue
        if not _UNTIL.search(sentence[mention.end_position : later.position]):
            continue
        if 0 < (later.start - mention.start).days <= MAX_RANGE_DAYS:
            return DateMention(mention.start, later.start, mention.position, later.end_position)
    return mention


def extended_by_later_end(
    mention: DateMention, texts: list[str], message_date: date
) -> DateMention:
    """ "Talks resumed on Thursday. … expected the talks to last until Saturday": the end of a
    round may be said in a later sentence, always with a verb of lasting before it."""
    if mention.end is not None:
        return mention
    for text in texts:
        for later in find_dates(text, message_date):
            if later.end is not None or not _LASTS_UNTIL.search(text[: later.position]):
                continue
            if 0 < (later.start - mention.start).days <= MAX_RANGE_DAYS:
                return DateMention(
                    mention.start, later.start, mention.position, mention.end_position
                )
    return mention


_BEGAN_ON = re.compile(
    r"\b(?:talks|round|session|negotiations|meeting|dialogue|consultations|which|that)\b"
    r"[^.;]{0,40}?\b(?:began|begun|opened|started|commenced)(?:\s+on)?\s*$",
    re.IGNORECASE,
)


def extended_by_earlier_start(
    mention: DateMention, texts: list[str], message_date: date
) -> DateMention:
    """ "ended the round on Thursday … The talks, which began on Monday, …": the start of a
    round reported by its end may be said elsewhere, always as the talks' beginning."""
    if mention.end is not None:
        return mention
    for text in texts:
        for earlier in find_dates(text, message_date):
            if earlier.end is not None or not _BEGAN_ON.search(text[: earlier.position]):
                continue
            # A start written as a calendar day may open a long round ("began on February 5").
            calendar = any(c.isdigit() for c in text[earlier.position : earlier.end_position])
            limit = LONG_ROUND_DAYS if calendar else MAX_RANGE_DAYS
            if 0 < (mention.start - earlier.start).days <= limit:
                return DateMention(
                    earlier.start, mention.start, mention.position, mention.end_position
                )
    return mention


# "It closed on Wednesday", "reached an agreement on Tuesday": the round's last day, said of the
# talks (or of a deal reached in them) wherever the article puts it.
_ENDED_ON = re.compile(
    r"(?:\b(?:talks|round|session|negotiations|meeting|dialogue|consultations|sides|delegations|"
    r"they|it|which)\b[^.;]{0,50}?\b(?:ended|closed|concluded|wrapped\s+up|finished|adjourned|"
    r"broke\s+up|end|close|conclude|wrap\s+up|finish)\b|\b(?:reached|signed|struck|clinched)\s+"
    r"(?:an?\s+|the\s+)?(?:deal|agreement|accord)\b)(?:[^.;]{0,30}?\s)?(?:on)?\s*$",
    re.IGNORECASE,
)


def extended_by_ending(mention: DateMention, texts: list[str], message_date: date) -> DateMention:
    """ "The round opened on Monday. It closed on Wednesday": a round's start and end said in
    different clauses or sentences, the end always as the talks' ending."""
    if mention.end is not None:
        return mention
    for text in texts:
        for later in find_dates(text, message_date):
            if later.end is not None or not _ENDED_ON.search(text[: later.position]):
                continue
            if 0 < (later.start - mention.start).days <= MAX_RANGE_DAYS:
                return DateMention(
                    mention.start, later.start, mention.position, mention.end_position
                )
    return mention


_COUNTS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_COUNT = r"(?P<count>" + "|".join(_COUNTS) + r"|[0-9]{1,2})"
_TALKS_WORD = r"(?:talks|meetings?|negotiations|discussions|consultations|round|session|sittings?)"
# "ended on Thursday after two days of meetings": the round lasted that long up to the day.
_DAYS_OF_TALKS = re.compile(
    r"^[^.;]{0,30}?\b(?:after|following|at\s+the\s+end\s+of|concluding|capping)\s+" + _COUNT
    + r"\s+days\s+of\s+(?:[\w-]+\s+){0,2}?" + _TALKS_WORD + r"\b",
    re.IGNORECASE,
)  # fmt: skip
_ENDED_BEFORE = re.compile(
    r"\b(?:ended|closed|concluded|wrapped\s+up|finished|broke\s+up|adjourned)\b[^.;]{0,50}$",
    re.IGNORECASE,
)
# "ended on Friday, …, a day after the third round opened": the start counted back.
_DAYS_AFTER_OPENING = re.compile(
    r"^[^.;]{0,60}?\b" + _COUNT + r"\s+days?\s+after\s+(?:the\s+|a\s+|their\s+|its\s+)?"
    r"(?:[\w-]+\s+){0,3}?" + _TALKS_WORD + r"s?\b[^.;]{0,40}?\b(?:opened|began|started|"
    r"got\s+under\s*way|kicked\s+off|convened)\b",
    re.IGNORECASE,
)  # fmt: skip


def extended_by_duration(sentence: str, mention: DateMention) -> DateMention:
    """A round's last day with its length or its opening counted from it: "ended on Thursday
    after three days of talks", "a day after the round opened"."""
    if mention.end is not None:
        return mention
    rest = sentence[mention.end_position :]
    # "agreed on Wednesday after three days of talks" dates the agreement, not the round.
    ended = _ENDED_BEFORE.search(sentence[: mention.position])
    lasted = _DAYS_OF_TALKS.match(rest) if ended else None
    after = _DAYS_AFTER_OPENING.match(rest)
    if lasted is not None:
        back = _count(lasted["count"]) - 1
    elif after is not None:
        back = _count(after["count"])
    else:
        return mention
    if not 0 < back <= MAX_RANGE_DAYS:
        return mention
    return DateMention(
        mention.start - timedelta(days=back), mention.start, mention.position, mention.end_position
    )


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNTS[word.lower()]
