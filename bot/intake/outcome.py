"""What a round came to, and where it stands, from the sentences about that round only."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_OUTCOME_CHARS = 400
_NEGATED = re.compile(
    r"\b(?:not|no|without|failed\s+to|fail\s+to|unable\s+to|never|yet\s+to)\b", re.IGNORECASE
)
_REACHED = (
    r"\b(?:agreed|signed|reached|announced|declared|struck|concluded|endorsed|approved|accepted|"
    r"initialled|initialed|sealed|held|holding|took\s+effect|carried\s+out|completed|conducted)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(?:will|would|could|might|may|expected\s+to|hopes?\s+to|aims?\s+to|seeks?\s+to|"
    r"proposed|draft|if|possible|potential|called\s+for|demand\w*|must|should|future|"
    r"upon|wants?|seeks?|urged?|calls?\s+for|proposal|plans?|to\s+be)\b",
    re.IGNORECASE,
)
_AGREED_TO_ACT = re.compile(
    r"\b(?:both\s+sides|the\s+(?:two\s+)?sides|both\s+leaders|the\s+(?:two\s+)?leaders|"
    r"the\s+parties|both\s+parties)\s+agreed\s+to\s+(?!continue|meet|resume|hold|keep|talk)",
    re.IGNORECASE,
)
# "Ghana and Togo agreed on Monday to open …", "…, agreeing to share …": two sides named.
_SIDES_AGREED_TO_ACT = re.compile(
    r"(?:^[^.;]*?[A-Z][\w’'-]*(?:’s|'s)?(?:\s+government)?\s+and\s+(?:the\s+)?[A-Z][^.;]*?\b"
    r"agreed|,\s+agreeing)\s+(?:on\s+\w+\s+|in\s+principle\s+)?to\s+(?!continue|meet|resume|"
    r"hold|keep|talk|host|attend|return|participate|take\s+part|maintain|work|remain|stay|"
    r"pursue|explore|consider|study|discuss)"
)
_OUTCOMES = [
    ("prisoner exchange", re.compile(
        r"\b(?:prisoner|detainee|captive)s?\s+(?:exchange|swap|release)|\b(?:exchange|swap|release)"
        r"\s+(?:of\s+)?(?:[\w,]+\s+){0,3}(?:prisoners|detainees|captives|POWs)\b", re.IGNORECASE)),
    ("ceasefire", re.compile(
        r"\b(?:ceasefire|cease-fire|truce|armistice|cessation\s+of\s+hostilities)\b",
        re.IGNORECASE)),
    ("agreement", re.compile(
        r"\b(?:agreement|deal|accord|memorandum|roadmap|road\s+map|framework|declaration|"
        r"treaty|protocol)\b", re.IGNORECASE)),
]  # fmt: skip
_NO_AGREEMENT = re.compile(
    r"\b(?:without\s+(?:an?\s+|any\s+)?(?:agreement|deal|breakthrough|result)|failed\s+to\s+"
    r"(?:reach|agree|produce|make)|no\s+(?:agreement|deal|breakthrough)\s+(?:was|had\s+been)(?!\s+(?:expected|planned|due|sought))|"
    r"ended\s+in\s+(?:deadlock|stalemate)|(?:reached|produced)\s+no\s+(?:agreement|deal)|"
    r"could\s+not\s+agree)\b",
    re.IGNORECASE,
)
_STATUSES = [
    ("postponed", re.compile(
        r"\b(?:postponed|postpone|postponement|delayed|put\s+off|rescheduled|pushed\s+back|"
        r"deferred)\b", re.IGNORECASE)),
    ("collapsed", re.compile(
        r"\b(?:collapsed|broke\s+down|walked\s+out|abandoned|called\s+off|suspended|"
        r"broken\s+off)\b", re.IGNORECASE)),
    ("concluded", re.compile(
        r"\b(?:talks|round|meeting|session|negotiations|discussions|sides)\b[^.;]{0,60}?\b"
        r"(?:ended|concluded|closed|wrapped\s+up|finished|broke\s+up)\b|\b(?:at\s+the\s+end|"
        r"conclusion)\s+of\s+(?:the\s+)?(?:\w+\s+){0,3}(?:talks|round|meeting|session)\b|"
        # "held six hours of talks": a past meeting, unlike "will be held", "being held".
        r"(?<!will\s)(?<!be\s)(?<!being\s)\bheld\s+(?:\w+\s+){0,5}?(?:talks|meeting|round|"
        r"session|negotiations)\b",
        re.IGNORECASE)),
    ("ongoing", re.compile(
        r"\b(?:began|begins|begin|opened|opens|started|starts|kicked\s+off|got\s+under\s*way|"
        r"under\s*way|continued|continues|resumed|resume|resumes|are\s+being\s+held|"
        r"is\s+being\s+held|are\s+meeting|entered|enters)\b", re.IGNORECASE)),
    ("scheduled", re.compile(
        r"\b(?:will\s+(?:be\s+held|begin|meet|open|resume|take\s+place|hold|convene|start)|"
        r"(?:is|are)\s+(?:due|set|scheduled|expected|planned)\s+to|scheduled\s+for|"
        r"planned\s+for)\b", re.IGNORECASE)),
]  # fmt: skip


_PLANNED_START = re.compile(r"\b(?:to|will|would|shall|expected\s+to|plans?\s+to)\s+$")


@dataclass(frozen=True)
class Outcome:
    kind: str
    text: str


def find_outcome(texts: list[str]) -> Outcome | None:
    """The first sentence about this round that reports a result, or its absence."""
    for text in texts:
        if _NO_AGREEMENT.search(text):
            return Outcome("no agreement", _trimmed(text))
        for kind, pattern in _OUTCOMES:
            match = next((m for m in pattern.finditer(text) if not _not_a_result(text, m)), None)
            if match is None:
                continue
            window = text[max(0, match.start() - 80) : match.end() + 80]
            if not re.search(_REACHED, window, re.IGNORECASE) or _HYPOTHETICAL.search(window):
                continue
            if _NEGATED.search(text[max(0, match.start() - 40) : match.start()]):
                return Outcome("no agreement", _trimmed(text))
            return Outcome(kind, _trimmed(text))
        if _AGREED_TO_ACT.search(text) or _SIDES_AGREED_TO_ACT.search(text):
            return Outcome("agreement", _trimmed(text))
    return None


def _not_a_result(text: str, match: re.Match[str]) -> bool:
    """ "ceasefire talks" name what is discussed; "under the 2015 accord" an earlier result."""
    return bool(
        _TOPIC_OF_TALKS.match(text, match.end()) or _UNDER_EARLIER.search(text[: match.start()])
    )


_TOPIC_OF_TALKS = re.compile(r"\s+(?:talks|negotiations|discussions|round|process|dialogue)\b")
_UNDER_EARLIER = re.compile(r"\bunder\s+(?:the\s+|a\s+|an\s+|its\s+)?(?:[\w-]+\s+){0,2}$")


def find_status(texts: list[str], has_outcome: bool) -> str | None:
    """The strongest status any sentence about this round gives; a reported result means the
    round has ended."""
    found = {
        status
        for status, pattern in _STATUSES
        for text in texts
        for match in pattern.finditer(text)
        if status != "ongoing" or not _PLANNED_START.search(text[: match.start()])
    }
    for status, _ in _STATUSES:
        if status in found:
            if status in ("ongoing", "scheduled") and has_outcome:
                return "concluded"
            return status
    return "concluded" if has_outcome else None


def _trimmed(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .")
    if len(text) > MAX_OUTCOME_CHARS:
        text = text[:MAX_OUTCOME_CHARS].rsplit(" ", 1)[0] + "…"
    return text
