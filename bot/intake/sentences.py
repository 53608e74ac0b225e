"""An article as a headline and sentences, each knowing where it stands in the text."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEADLINE_CHARS = 160
_ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sen|Rep|Gov|St|Prof|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
    r"Sep|Sept|Oct|Nov|Dec|No|Amb|Brig|Adm|U\.S|U\.N|U\.K|E\.U)\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Article:
    headline: str | None
    sentences: tuple[str, ...]


def read_article(text: str) -> Article:
    """A short first line without a full stop is taken for the headline, as news sites and
    Telegram channels lay articles out."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    headline: str | None = None
    if len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        headline = paragraphs.pop(0)
    sentences: list[str] = []
    for paragraph in paragraphs:
        sentences.extend(split_sentences(paragraph))
    return Article(headline=headline, sentences=tuple(sentences))


def split_sentences(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[start : boundary.start()].rstrip()
        if _ABBREVIATIONS.search(candidate) or re.search(r"\b[A-Z]\.$", candidate):
            continue
        pieces.append(paragraph[start : boundary.end()].strip())
        start = boundary.end()
    rest = paragraph[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _looks_like_headline(line: str) -> bool:
    """ "… open talks at U.N." ends on an abbreviation's point, not a full stop."""
    line = line.rstrip()
    abbreviated = bool(_ABBREVIATIONS.search(line)) and len(split_sentences(line)) == 1
    ends = line.endswith((".", ":", ";", ",")) and not abbreviated
    return len(line) <= MAX_HEADLINE_CHARS and not ends
