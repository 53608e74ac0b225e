"""Telegram's HTML parse mode: the subset of tags it accepts and the text users end up seeing.

The tag grammar and the error wording follow tdlib, which the Bot API server runs, so a
rejected message fails here with the same description it would get from Telegram. One
deliberate difference: tdlib silently keeps a ``&`` that does not start one of its entities
(``&lt;`` ``&gt;`` ``&amp;`` ``&quot;`` or a numeric one), but the Bot API documentation says
every such ``&`` must be escaped. The double enforces the documented rule because a bot that
forgets to escape ``&`` in user-supplied text also forgets ``<``, and that one breaks for real.
"""

import re
from dataclasses import dataclass, field

_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\v\f")
_MARKUP = re.compile(r"[<&]")
_ENTITY = re.compile(r"&(?:#x([0-9a-fA-F]{1,8})|#([0-9]{1,8})|([a-zA-Z]+));")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")


class HtmlParseError(ValueError):
    """The message text is not valid Telegram HTML; ``str()`` is tdlib's own wording."""


@dataclass(frozen=True, slots=True)
class ParsedText:
    """What recipients see: the text without markup, and Bot API MessageEntity objects for it."""

    text: str
    entities: list[dict[str, object]]


@dataclass(slots=True)
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    text_index: int


@dataclass(slots=True)
class _Entity:
    type: str
    offset: int
    length: int
    extra: dict[str, object] = field(default_factory=dict)


def utf16_length(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> ParsedText:
    """Apply parse_mode=HTML the way Telegram does, raising HtmlParseError where it would."""
    return _HtmlParser(source).parse()


class _HtmlParser:
    __slots__ = ("_entities", "_open", "_out", "_source", "_utf16")

    def __init__(self, source: str) -> None:
        self._source = source
        self._out: list[str] = []
        self._utf16 = 0
        self._open: list[_OpenTag] = []
        self._entities: list[_Entity] = []

    def parse(self) -> ParsedText:
        source = self._source
        position = 0
        while True:
            markup = _MARKUP.search(source, position)
            end = markup.start() if markup else len(source)
            if end > position:
                self._emit(source[position:end])
            if markup is None:
                break
            if source[end] == "&":
                position = self._entity(end)
            elif source.startswith("</", end):
                position = self._end_tag(end)
            else:
                position = self._start_tag(end)
        if self._open:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self._open[-1].name}"'
            )
        self._entities.sort(key=lambda entity: (entity.offset, -entity.length))
        entities: list[dict[str, object]] = []
        for entity in self._entities:
            if entity.type == "code":
                entity.extra.pop("language", None)
            entities.append(
                {"type": entity.type, "offset": entity.offset, "length": entity.length}
                | entity.extra
            )
        return ParsedText("".join(self._out), entities)

    def _emit(self, text: str) -> None:
        self._out.append(text)
        self._utf16 += utf16_length(text)

    def _byte_offset(self, index: int) -> int:
        return len(self._source[:index].encode())

    def _tag_error(self, problem: str, begin: int) -> HtmlParseError:
        return HtmlParseError(f"{problem} at byte offset {self._byte_offset(begin)}")

    def _entity(self, begin: int) -> int:
        match = _ENTITY.match(self._source, begin)
        if match is None:
            raise HtmlParseError(
                f'Unescaped "&" at byte offset {self._byte_offset(begin)}; write it as "&amp;"'
            )
        hexadecimal, decimal, name = match.groups()
        if name is not None:
            character = _NAMED_ENTITIES.get(name)
            if character is None:
                raise HtmlParseError(
                    f'Unsupported HTML entity "&{name};" at byte offset {self._byte_offset(begin)}'
                )
        else:
            code_point = int(hexadecimal, 16) if hexadecimal is not None else int(decimal)
            if code_point == 0 or code_point >= 0x10FFFF:
                raise HtmlParseError(
                    f'Unsupported HTML entity "{match.group(0)}" at byte offset '
                    f"{self._byte_offset(begin)}"
                )
            if 0xD800 <= code_point <= 0xDFFF:
                raise HtmlParseError(
                    "Text contains invalid Unicode characters after decoding HTML entities, "
                    "check for unmatched surrogate code units"
                )
            character = chr(code_point)
        self._emit(character)
        return match.end()

    def _skip_spaces(self, index: int) -> int:
        source = self._source
        while index < len(source) and source[index] in _SPACES:
            index += 1
        return index

    def _start_tag(self, begin: int) -> int:
        source = self._source
        size = len(source)
        index = begin + 1
        while index < size and source[index] not in _SPACES and source[index] != ">":
            index += 1
        if index >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        tag = source[begin + 1 : index].lower()
        if tag not in _SUPPORTED_TAGS:
            raise self._tag_error(f'Unsupported start tag "{tag}"', begin)

        argument = ""
        while True:
            index = self._skip_spaces(index)
            if index >= size:
                raise self._tag_error(f'Unclosed start tag "{tag}"', begin)
            if source[index] == ">":
                break
            name_begin = index
            while index < size and source[index] not in _SPACES and source[index] not in "=>":
                index += 1
            attribute = source[name_begin:index]
            if not attribute:
                raise self._tag_error(f'Empty attribute name in the tag "{tag}"', begin)
            index = self._skip_spaces(index)
            if index >= size or source[index] != "=":
                if tag == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                    continue
                raise self._tag_error(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin
                )
            index = self._skip_spaces(index + 1)
            if index >= size:
                raise self._tag_error(f'Unclosed start tag "{tag}"', begin)
            value, index = self._attribute_value(index)
            if index >= size:
                raise self._tag_error("Unclosed start tag", begin)
            argument = _tag_argument(tag, attribute, value, argument)

        if tag == "span" and argument != "spoiler":
            raise self._tag_error('Tag "span" must have class "tg-spoiler"', begin)
        self._open.append(_OpenTag(tag, argument, self._utf16, len(self._out)))
        return index + 1

    def _attribute_value(self, index: int) -> tuple[str, int]:
        source = self._source
        quote = source[index]
        if quote not in "'\"":
            token = _NAME_TOKEN.match(source, index)
            end = token.end() if token else index
            if end < len(source) and source[end] not in _SPACES and source[end] != ">":
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {self._byte_offset(index)}"
                )
            return source[index:end].lower(), end
        close = source.find(quote, index + 1)
        if close < 0:
            return "", len(source)
        raw = source[index + 1 : close]
        return _ENTITY.sub(_decode_in_attribute, raw), close + 1

    def _end_tag(self, begin: int) -> int:
        source = self._source
        size = len(source)
        if not self._open:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        index = begin + 2
        while index < size and source[index] not in _SPACES and source[index] != ">":
            index += 1
        end_name = source[begin + 2 : index].lower()
        index = self._skip_spaces(index)
        if index >= size or source[index] != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        opened = self._open.pop()
        if end_name and end_name != opened.name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{opened.name}>", found "</{end_name}>"'
            )
        length = self._utf16 - opened.utf16_offset
        if length > 0:
            self._close_entity(opened, length)
        return index + 1

    def _close_entity(self, opened: _OpenTag, length: int) -> None:
        offset = opened.utf16_offset
        tag = opened.name
        simple_type = _ENTITY_TYPES.get(tag)
        if simple_type is not None:
            self._entities.append(_Entity(simple_type, offset, length))
        elif tag == "a":
            url = opened.argument or "".join(self._out[opened.text_index :])
            self._entities.append(_Entity("text_link", offset, length, {"url": url}))
        elif tag == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise HtmlParseError("Invalid custom emoji identifier specified")
            self._entities.append(
                _Entity("custom_emoji", offset, length, {"custom_emoji_id": opened.argument})
            )
        elif tag == "blockquote":
            kind = "expandable_blockquote" if opened.argument else "blockquote"
            self._entities.append(_Entity(kind, offset, length))
        elif tag == "pre":
            last = self._entities[-1] if self._entities else None
            if (
                last is not None
                and last.type == "code"
                and (last.offset, last.length) == (offset, length)
                and "language" in last.extra
            ):
                last.type = "pre"
            else:
                self._entities.append(_Entity("pre", offset, length))
        else:
            last = self._entities[-1] if self._entities else None
            if (
                last is not None
                and last.type == "pre"
                and (last.offset, last.length) == (offset, length)
                and opened.argument
            ):
                last.extra["language"] = opened.argument
            else:
                extra: dict[str, object] = {"language": opened.argument} if opened.argument else {}
                self._entities.append(_Entity("code", offset, length, extra))


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return current


def _decode_in_attribute(match: re.Match[str]) -> str:
    hexadecimal, decimal, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name, match.group(0))
    code_point = int(hexadecimal, 16) if hexadecimal is not None else int(decimal)
    if code_point == 0 or code_point >= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
        return match.group(0)
    return chr(code_point)
