"""How the Bot API reads a request's parameters, and what it answers when they are wrong.

Telegram accepts the same parameters as a query string, an urlencoded or multipart form (what
PTB sends, with every non-string value JSON-encoded) or a JSON body; handlers see one dict and
use these readers so both spellings of a value are accepted alike.
"""

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

Params = dict[str, Any]

MAX_CALLBACK_DATA_BYTES = 64

_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_TRUE_STRINGS = frozenset({"true", "True", "1"})


class BotApiError(Exception):
    """An unsuccessful answer, carried up to the request handler that renders it."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, int] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def chat_not_found() -> BotApiError:
    return BotApiError(400, "Bad Request: chat not found")


@dataclass(frozen=True, slots=True)
class UploadedFile:
    filename: str
    content: bytes


async def read_params(request: web.Request) -> Params:
    params: Params = dict(request.query) if request.query_string else {}
    if not request.can_read_body:
        return params
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = json.loads(await request.read())
        except ValueError:
            raise BotApiError(400, "Bad Request: can't parse JSON object") from None
        if not isinstance(body, dict):
            raise BotApiError(400, "Bad Request: JSON object expected")
        params.update(body)
    elif content_type == "multipart/form-data":
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[name] = UploadedFile(value.filename, value.file.read())
            else:
                params[name] = value
    else:
        params.update(parse_qsl((await request.read()).decode(), keep_blank_values=True))
    return params


def structured(value: Any, error: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise BotApiError(400, error) from None


def as_int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BotApiError(400, f"Bad Request: invalid {name} specified") from None


def as_float(value: Any, name: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BotApiError(400, f"Bad Request: invalid {name} specified") from None


def flag(params: Params, name: str) -> bool:
    value = params.get(name)
    return value is True or value in _TRUE_STRINGS


def required_chat_id(params: Params) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise BotApiError(400, "Bad Request: chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise chat_not_found() from None


def chat_id_or_none(params: Params) -> int | None:
    try:
        return int(params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def required_message_id(params: Params) -> int:
    value = params.get("message_id")
    if value is None or value == "":
        raise BotApiError(400, "Bad Request: message identifier is not specified")
    return as_int(value, "message_id")


def reply_markup(params: Params) -> dict[str, Any] | None:
    """The markup as sent, after the checks Telegram applies to inline keyboards."""
    raw = params.get("reply_markup")
    if raw is None or raw == "":
        return None
    error = "Bad Request: can't parse reply keyboard markup JSON object"
    markup = structured(raw, error)
    if not isinstance(markup, dict):
        raise BotApiError(400, error)
    keyboard = markup.get("inline_keyboard")
    if keyboard is None:
        return markup
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise BotApiError(
            400,
            'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an '
            "Array of Arrays",
        )
    for row in keyboard:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise BotApiError(400, "Bad Request: can't parse inline keyboard button")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if _BUTTON_ACTIONS.isdisjoint(button):
                raise BotApiError(
                    400,
                    "Bad Request: can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard",
                )
    return markup


def inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Telegram echoes only inline keyboards back on the message."""
    if markup is not None and "inline_keyboard" in markup:
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None
