"""A short extractive summary: the lead sentence and the two that carry the most facts."""

from __future__ import annotations

import re

MAX_SENTENCES = 3
MAX_SUMMARY_CHARS = 900
_FACT_WORDS = re.compile(
    r"\b(?:agreed|agreement|ceasefire|truce|demand\w*|mediat\w*|delegation|round|talks|"
    r"prisoner\w*|signed|postponed|ended|began|led\s+by|deal)\b",
    re.IGNORECASE,
)
_OPINION = re.compile(r"\b(?:analysts?|experts?|observers\s+say|critics)\b", re.IGNORECASE)


def summarise(sentences: list[str], names: list[str]) -> str:
    candidates = [s for s in sentences if 40 <= len(s) <= 400]
    if not candidates:
        return " ".join(sentences)[:MAX_SUMMARY_CHARS]
    lead, rest = candidates[0], candidates[1:]
    scored = sorted(rest, key=lambda s: _score(s, names), reverse=True)
    chosen = {lead}
    for sentence in scored:
        if len(chosen) == MAX_SENTENCES:
            break
        if sum(len(s) for s in chosen) + len(sentence) <= MAX_SUMMARY_CHARS:
            chosen.add(sentence)
    return " ".join(s for s in candidates if s in chosen)


def _score(sentence: str, names: list[str]) -> float:
    score = float(len(_FACT_WORDS.findall(sentence)))
    score += sum(1 for name in names if name.casefold() in sentence.casefold())
    if _OPINION.search(sentence) or "“" in sentence or '"' in sentence:
        score -= 3
    return score
