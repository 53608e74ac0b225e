"""The text of an uploaded article: a `.txt` file as it is, an `.html` page without its markup.

The standard library's HTML parser is enough for a saved article page; nothing is fetched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.reading.language import N_, Refusal

MAX_DOCUMENT_BYTES = 1_000_000
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
_SKIPPED = frozenset({"script", "style", "noscript", "nav", "footer", "header", "aside", "form"})
_BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "li", "title", "article", "tr"})


class DocumentProblem(Refusal):
    """Why a file cannot be drafted from."""


def is_article_file(filename: str | None) -> bool:
    return filename is not None and filename.lower().endswith(ARTICLE_SUFFIXES)


def article_text(filename: str, content: bytes) -> str:
    if len(content) > MAX_DOCUMENT_BYTES:
        raise DocumentProblem(
            N_("That file is over {megabytes} MB; send the article itself."),
            megabytes=MAX_DOCUMENT_BYTES // 1_000_000,
        )
    text = content.decode("utf-8", errors="replace")
    if filename.lower().endswith((".html", ".htm")):
        text = _visible_text(text)
    text = text.strip()
    if not text:
        raise DocumentProblem(N_("That file has no text to draft from."))
    return text


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _visible_text(page: str) -> str:
    collector = _TextCollector()
    collector.feed(page)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
