"""Cutting a long Telegram HTML message into parts Telegram will accept.

Telegram refuses a message over 4096 characters and refuses HTML whose tags do not close, so a
part may only end where no tag or entity is cut, and it must close whatever it leaves open (the
next part reopens it). Lengths are measured on the raw HTML, which is never shorter than the text
Telegram counts after parsing, so a part that fits here also fits there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram.constants import MessageLimit

_TOKEN = re.compile(
    r"<(?P<closing>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)\b[^<>]*>"
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
    r"|.",
    re.DOTALL,
)

_PARAGRAPH, _LINE, _WORD, _ANYWHERE = range(4)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    tag: str | None = None
    closing: bool = False
    visible: bool = False

    @property
    def opening(self) -> bool:
        return self.tag is not None and not self.closing


@dataclass(frozen=True)
class _Cut:
    end: int
    closed: tuple[_Token, ...]
    resume: int
    carried: tuple[_Token, ...]


def split_message(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut where a reader expects a break: between paragraphs, else between lines, else between
    words, and only as a last resort inside a word.

    Raises ValueError when no part could be made to fit, which takes an opening tag or a set of
    nested tags nearly as long as the limit itself.
    """
    if len(text) <= limit:
        return [text]
    tokens = _tokenize(text)
    visible_from = _visible_from(tokens)
    parts: list[str] = []
    index = 0
    open_tags: tuple[_Token, ...] = ()
    while True:
        reopening = "".join(text[tag.start : tag.end] for tag in open_tags)
        start = tokens[index].start
        if len(reopening) + len(text) - start <= limit:
            parts.append(reopening + text[start:])
            return parts
        cut = _best_cut(text, tokens, index, open_tags, limit - len(reopening))
        if cut is None:
            raise ValueError(f"this HTML cannot be split into parts of at most {limit} characters")
        parts.append(
            reopening
            + text[start : tokens[cut.end].start]
            + "".join(_closer(tag) for tag in reversed(cut.closed))
        )
        if not visible_from[cut.resume]:
            return parts
        index = cut.resume
        open_tags = cut.carried


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        name = match.group("name")
        if name is not None:
            tokens.append(
                _Token(match.start(), match.end(), tag=name.lower(), closing=bool(match["closing"]))
            )
        else:
            visible = not match.group().isspace()
            tokens.append(_Token(match.start(), match.end(), visible=visible))
    return tokens


def _visible_from(tokens: list[_Token]) -> list[bool]:
    """For each token index, whether anything readable remains from there on: a tail made only of
    tags and whitespace would reach the user as an empty message, which Telegram rejects, so it
    is dropped instead of sent."""
    result = [False] * (len(tokens) + 1)
    for index in range(len(tokens) - 1, -1, -1):
        result[index] = tokens[index].visible or result[index + 1]
    return result


def _closer(tag: _Token) -> str:
    return f"</{tag.tag}>"


def _best_cut(
    text: str,
    tokens: list[_Token],
    index: int,
    open_tags: tuple[_Token, ...],
    room: int,
) -> _Cut | None:
    """The furthest cut of the most natural kind that leaves the part, with its closing tags,
    within `room` characters."""
    stack = list(open_tags)
    closing_length = sum(len(_closer(tag)) for tag in stack)
    length = 0
    has_visible = False
    best: dict[int, _Cut] = {}
    position = index
    while position < len(tokens) and length + closing_length <= room:
        kind = _cut_kind(text, tokens, position) if has_visible else None
        if kind is not None:
            best[kind] = _resuming(text, tokens, position, stack)
        token = tokens[position]
        length += token.end - token.start
        if token.opening:
            stack.append(token)
            closing_length += len(_closer(token))
        elif _closes(token, stack):
            closing_length -= len(_closer(stack.pop()))
        has_visible = has_visible or token.visible
        position += 1
    return best[min(best)] if best else None


def _cut_kind(text: str, tokens: list[_Token], position: int) -> int | None:
    """How natural a cut before `tokens[position]` is: the newlines in the gap it falls on say
    whether that gap ends a paragraph, a line or a word."""
    token, previous = tokens[position], tokens[position - 1]
    if previous.opening or token.closing:
        return None
    if not _is_space(text, token) or _is_space(text, previous):
        return _ANYWHERE
    gap_end = position
    while gap_end < len(tokens) and _is_space(text, tokens[gap_end]):
        gap_end += 1
    newlines = text[token.start : tokens[gap_end - 1].end].count("\n")
    if newlines >= 2:
        return _PARAGRAPH
    if newlines == 1:
        return _LINE
    return _WORD


def _resuming(text: str, tokens: list[_Token], position: int, stack: list[_Token]) -> _Cut:
    """Whitespace at a cut is dropped, since each part is its own message, and so are closing
    tags right after it: the part before closes them anyway, and carrying them over would start
    the next part with an empty element."""
    carried = list(stack)
    resume = position
    while resume < len(tokens):
        if _closes(tokens[resume], carried):
            carried.pop()
        elif not _is_space(text, tokens[resume]):
            break
        resume += 1
    return _Cut(position, tuple(stack), resume, tuple(carried))


def _closes(token: _Token, open_tags: list[_Token]) -> bool:
    return token.closing and bool(open_tags) and open_tags[-1].tag == token.tag


def _is_space(text: str, token: _Token) -> bool:
    return token.tag is None and text[token.start : token.end].isspace()
