"""The Persian catalogue against the source: every marked text has a translation that keeps its
placeholders, nothing in the catalogue is left over from texts that are gone, and the reader
handlers send nothing that skipped the marking."""

from __future__ import annotations

import ast
import re
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.reading.language import LOCALES

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = LOCALES / "fa" / "LC_MESSAGES" / "roundwatch.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
PRINTF = re.compile(r"%\((\w+)\)[sd]")
READER_HANDLERS = ("reader.py", "settings.py", "buttons.py", "channels.py", "timeline.py")
# The admin's posting desk: /post, its preview and buttons, Publish and its progress, Edit and
# Schedule, /correct, and the admin commands in handlers/admin.py.
ADMIN_HANDLERS = ("admin.py", "preview.py", "corrections.py", "wizard.py", "admins.py")
# Calls whose text argument reaches a reader: (function name, index of the text argument).
SENDING_CALLS = {"reply": 1, "answer": 0, "answer_press": 1, "replace_message": 3}


@cache
def source_messages() -> dict[str | tuple[str, ...], str]:
    """msgid → where it is, extracted by Babel from the files babel.cfg names."""
    method_map = [("bot/**.py", "python"), ("handlers/**.py", "python")]
    found: dict[str | tuple[str, ...], str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS
    ):
        key = tuple(message) if isinstance(message, (list, tuple)) else message
        if key:
            found.setdefault(key, f"{filename}:{line}")
    return found


def placeholders(text: str) -> set[str]:
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return braces | set(PRINTF.findall(text))


@pytest.fixture(scope="module")
def catalogue() -> dict[str | tuple[str, ...], tuple[str | tuple[str, ...], bool]]:
    with CATALOGUE.open("rb") as po:
        read = read_po(po)
    return {
        (tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id): (m.string, m.fuzzy)
        for m in read
        if m.id
    }


def test_the_source_marks_the_reader_texts() -> None:
    messages = source_messages()
    assert len(messages) > 150
    assert "Which topic?" in messages
    assert ("{count} round", "{count} rounds") in messages


def test_every_marked_text_has_a_persian_translation_that_keeps_its_placeholders(
    catalogue: dict[str | tuple[str, ...], tuple[str | tuple[str, ...], bool]],
) -> None:
    problems = []
    for message, where in source_messages().items():
        if message not in catalogue:
            problems.append(f"{where}: no translation of {message!r}")
            continue
        translated, fuzzy = catalogue[message]
        forms = translated if isinstance(translated, tuple) else (translated,)
        if fuzzy or not all(form.strip() for form in forms):
            problems.append(f"{where}: the translation of {message!r} is empty or fuzzy")
            continue
        originals = message if isinstance(message, tuple) else (message,)
        wanted = set().union(*(placeholders(original) for original in originals))
        for form in forms:
            if placeholders(form) != wanted:
                problems.append(
                    f"{where}: {form!r} has {sorted(placeholders(form))}, "
                    f"{message!r} has {sorted(wanted)}"
                )
    assert not problems, "\n".join(problems)


def test_the_catalogue_holds_no_text_the_source_no_longer_has(
    catalogue: dict[str | tuple[str, ...], tuple[str | tuple[str, ...], bool]],
) -> None:
    left_over = set(catalogue) - set(source_messages())
    assert not left_over, f"translations of texts that are gone: {sorted(map(str, left_over))}"


def literal_texts_sent(path: Path) -> list[str]:
    """Calls that send a string literal (or an f-string) to a reader as it is written."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        name = name or (node.func.id if isinstance(node.func, ast.Name) else None)
        index = SENDING_CALLS.get(name or "")
        if index is None or len(node.args) <= index:
            continue
        argument = node.args[index]
        if isinstance(argument, ast.JoinedStr) or (
            isinstance(argument, ast.Constant) and isinstance(argument.value, str)
        ):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(argument)}")
    return found


def test_reader_handlers_send_no_text_past_the_catalogue() -> None:
    handlers = ROOT / "handlers"
    sent = [text for name in READER_HANDLERS for text in literal_texts_sent(handlers / name)]
    assert not sent, "\n".join(sent)


def test_translated_admin_handlers_send_no_text_past_the_catalogue() -> None:
    handlers = ROOT / "handlers"
    sent = [text for name in ADMIN_HANDLERS for text in literal_texts_sent(handlers / name)]
    assert not sent, "\n".join(sent)


def test_no_handler_sends_text_past_the_catalogue() -> None:
    handlers = sorted((ROOT / "handlers").glob("*.py"))
    sent = [
        text for path in handlers if path.name != "__init__.py" for text in literal_texts_sent(path)
    ]
    assert len(handlers) > len(READER_HANDLERS) + len(ADMIN_HANDLERS)
    assert not sent, "\n".join(sent)


def test_the_literal_check_finds_an_unmarked_reply(tmp_path: Path) -> None:
    handler = tmp_path / "handler.py"
    handler.write_text(
        'async def h(update, t):\n    await reply(update, "Hello")\n'
        '    await reply(update, t._("Hello"))\n    await query.answer(f"Hi {t}")\n'
    )
    assert [line.split(":")[1] for line in literal_texts_sent(handler)] == ["2", "4"]
