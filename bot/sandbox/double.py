"""A local stand-in for the Telegram Bot API server, spoken to over real HTTP.

The bot under test keeps its real PTB ``Application`` and only swaps ``base_url``: requests,
encodings, error mapping (RetryAfter, Forbidden, ChatMigrated, ...) and timeouts all take the
production code path, while tests script what users do, inject Telegram's failure modes and
assert on exactly what each chat received. Run as a module it serves benchmarks and a terminal
sandbox: ``python -m bot.sandbox.double --port 8081 --no-limits --chats 1000``.

It serves only the methods the bot calls: getMe, getUpdates, setWebhook, deleteWebhook,
setMyCommands, sendMessage, sendPhoto (a PNG uploaded as multipart, or the file_id of one sent
before), editMessageText, editMessageReplyMarkup, answerCallbackQuery, getChat, getChatMember and
getFile (for documents users upload). Any other method answers 404.

Updates go out as Telegram sends them: to one long-polling consumer at a time (a second one
meanwhile is answered 409 Conflict), or, while a webhook is set, POSTed to it one after another
with the secret in ``X-Telegram-Bot-Api-Secret-Token``, each again until it is answered 2xx.
"""

import argparse
import asyncio
import contextvars
import itertools
import json
import mimetypes
import random
import re
import signal
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import ClientError, ClientSession, web

from bot.sandbox.chats import SimulatedChat, SimulatedUser, chat_member_json
from bot.sandbox.faults import GARBAGE_BODY, FaultKind, FaultPlan, FloodStorm, GarbageAnswer
from bot.sandbox.limits import FloodControl, RateLimits
from bot.sandbox.parameters import (
    BotApiError,
    Params,
    UploadedFile,
    as_float,
    as_int,
    chat_id_or_none,
    chat_not_found,
    flag,
    inline_only,
    read_params,
    reply_markup,
    required_chat_id,
    required_message_id,
    structured,
)
from bot.sandbox.records import CallbackAnswer, DoubleStats, SentMessage
from bot.sandbox.telegram_html import HtmlParseError, parse_html, utf16_length

Endpoint = Callable[[Params], Awaitable[Any]]

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000  # width + height
MAX_PHOTO_RATIO = 20
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "my_chat_member",
    }
)
_COMMAND = re.compile(r"/\S+")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
WEBHOOK_RETRY_SECONDS = 0.2
_request: contextvars.ContextVar[web.Request] = contextvars.ContextVar("double_request")
_BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def _flood_error(retry_after: int) -> BotApiError:
    return BotApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file a simulated user uploaded, downloadable by the bot via getFile."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    content: bytes

    def document_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }


@dataclass(slots=True)
class _Webhook:
    url: str
    secret_token: str | None
    wake: asyncio.Event
    task: asyncio.Task[None] | None = None


@dataclass(frozen=True, slots=True)
class _FormattedText:
    raw: str
    plain: str
    entities: list[dict[str, Any]]
    parse_mode: str | None


class BotApiDouble:
    """The Bot API double. Everything is plain state on the event loop; no locks are needed
    because no method awaits between reading and updating it.

    Records: ``sent`` holds accepted sends only (one SentMessage each, never changed later);
    edits are appended to ``edits`` with ``method`` "editMessageText" or
    "editMessageReplyMarkup"; ``latest(chat_id, message_id)`` gives a message's current state
    after edits.
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        *,
        limits: RateLimits | None = None,
        bot_username: str = "roundwatch_bot",
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError(f"a bot token looks like '123456:SECRET', got {token!r}")
        self._token = token
        self._bot = SimulatedUser(int(bot_id), "Roundwatch", bot_username, is_bot=True)
        self._flood = FloodControl(limits or RateLimits())
        self._faults = FaultPlan()
        self._users: dict[int, SimulatedUser] = {}
        self._chats: dict[int, SimulatedChat] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._current: dict[tuple[int, int], SentMessage] = {}
        self._last_message_id: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._callback_counter = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._pending: deque[tuple[int, str, dict[str, Any]]] = deque()
        self._last_update_id = 0
        self._allowed_updates = _DEFAULT_ALLOWED_UPDATES
        self._poll_waiter: asyncio.Future[bool] | None = None
        self._poller: asyncio.BaseTransport | None = None
        self._webhook: _Webhook | None = None
        self._runner: web.AppRunner | None = None
        self._host = ""
        self._port = 0
        self._sent_by_chat: dict[int, list[SentMessage]] = {}
        self._reply_keyboards: dict[int, dict[str, Any]] = {}

        self.sent: list[SentMessage] = []
        self.edits: list[SentMessage] = []
        self.callback_answers: list[CallbackAnswer] = []
        self._bot_status: dict[int, str] = {}
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.stats = DoubleStats()

        endpoints: dict[str, Endpoint] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "setMyCommands": self._set_my_commands,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getFile": self._get_file,
        }
        self._endpoints = {name.lower(): (name, handler) for name, handler in endpoints.items()}

    # Lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._runner is not None:
            raise RuntimeError("the Bot API double is already running")
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._serve_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._serve_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self._host = host
        self._port = runner.addresses[0][1]

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._wake_poller(superseded=False)
        await self._drop_webhook()
        await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def token(self) -> str:
        return self._token

    @property
    def last_update_id(self) -> int:
        """The id of the newest update users have made."""
        return self._last_update_id

    @property
    def bot_id(self) -> int:
        return self._bot.id

    @property
    def port(self) -> int:
        self._require_running()
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url()``; PTB appends the token and the method."""
        self._require_running()
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        self._require_running()
        return f"http://{self._host}:{self._port}/file/bot"

    def _require_running(self) -> None:
        if self._runner is None:
            raise RuntimeError("the Bot API double is not running; await start() first")

    # The simulated world

    def add_private_chat(
        self,
        user_id: int,
        first_name: str = "User",
        username: str | None = None,
        language_code: str | None = None,
    ) -> int:
        """A user who has started the bot; their private chat shares their id, as on Telegram."""
        if user_id <= 0:
            raise ValueError(f"user ids are positive, got {user_id}")
        user = SimulatedUser(user_id, first_name, username, language_code=language_code)
        self._users[user_id] = user
        self._chats[user_id] = SimulatedChat(user_id, "private", owner=user)
        self._faults.forgotten.discard(user_id)
        return user_id

    def add_group(
        self,
        chat_id: int,
        title: str,
        type: Literal["group", "supergroup"] = "group",
        admins: Iterable[int] = (),
        *,
        creator: int | None = None,
        forum: bool = False,
        username: str | None = None,
    ) -> int:
        """A group the bot is a member of; include ``bot_id`` in ``admins`` to make it admin.
        A ``forum`` supergroup has topics: messages in one carry its ``message_thread_id``."""
        if chat_id >= 0:
            raise ValueError(f"group ids are negative, got {chat_id}")
        if type not in ("group", "supergroup"):
            raise ValueError(f"a group is 'group' or 'supergroup', got {type!r}")
        if forum and type != "supergroup":
            raise ValueError("only a supergroup can be a forum")
        self._add_multi_user_chat(chat_id, title, type, set(admins), creator, username)
        if forum:
            old = self._chats[chat_id]
            self._chats[chat_id] = SimulatedChat(
                chat_id,
                type,
                title=title,
                admins=old.admins,
                creator=creator,
                is_forum=True,
                username=username,
            )
        return chat_id

    def add_channel(
        self,
        chat_id: int,
        title: str,
        admins: Iterable[int] = (),
        *,
        creator: int | None = None,
        username: str | None = None,
    ) -> int:
        """A channel; the bot is always one of its admins, since only admins can post. Any
        user may press the buttons under its posts (``user_presses`` with their ``user_id``),
        as every reader of a channel can; getChatMember tells them "member"."""
        if chat_id >= 0:
            raise ValueError(f"channel ids are negative, got {chat_id}")
        return self._add_multi_user_chat(
            chat_id, title, "channel", {*admins, self._bot.id}, creator, username
        )

    def _add_multi_user_chat(
        self,
        chat_id: int,
        title: str,
        chat_type: Literal["group", "supergroup", "channel"],
        admins: set[int],
        creator: int | None,
        username: str | None = None,
    ) -> int:
        for user_id in admins | ({creator} if creator is not None else set()):
            self._user(user_id)
        self._chats[chat_id] = SimulatedChat(
            chat_id, chat_type, title=title, admins=admins, creator=creator, username=username
        )
        self._faults.forgotten.discard(chat_id)
        return chat_id

    def _user(self, user_id: int) -> SimulatedUser:
        if user_id == self._bot.id:
            return self._bot
        user = self._users.get(user_id)
        if user is None:
            user = SimulatedUser(user_id, f"User {user_id}")
            self._users[user_id] = user
        return user

    # What users do

    def user_sends(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """Queue a message update; a leading "/word" gets the bot_command entity
        CommandHandler looks for. Writing to the bot lifts a block, as it does on Telegram.
        ``thread_id`` is the forum topic it is written in; ``reply_to`` the message in the
        chat it replies to."""
        chat, sender = self._user_side(chat_id, user_id)
        message = self._new_message(chat, sender)
        message["text"] = text
        if reply_to is not None:
            if (chat.id, reply_to) not in self._messages:
                raise ValueError(f"there is no message {reply_to} in chat {chat_id}")
            message["reply_to_message"] = dict(self._messages[chat.id, reply_to])
        if thread_id is not None:
            if not chat.is_forum:
                raise ValueError(f"chat {chat_id} is not a forum")
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        command = _COMMAND.match(text)
        if command:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command.group())}
            ]
        self._messages[chat.id, message["message_id"]] = message
        self._enqueue(self._message_update_kind(chat), message)
        return message

    def user_presses(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> str:
        """Queue a callback_query for an inline button on a message the bot sent."""
        if (chat_id, message_id) not in self._current:
            raise ValueError(f"the bot has no message {message_id} in chat {chat_id}")
        chat, sender = self._user_side(chat_id, user_id)
        query_id = str(next(self._callback_counter))
        self._open_callbacks.add(query_id)
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": sender.json,
                "message": dict(self._messages[chat_id, message_id]),
                "chat_instance": str(chat.id),
                "data": data,
            },
        )
        return query_id

    def user_uploads(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        *,
        user_id: int | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Queue a message carrying a document whose bytes getFile then serves."""
        chat, sender = self._user_side(chat_id, user_id)
        stored = self._store_file(filename, content, "documents")
        message = self._new_message(chat, sender)
        message["document"] = stored.document_json()
        if caption is not None:
            message["caption"] = caption
        self._messages[chat.id, message["message_id"]] = message
        self._enqueue(self._message_update_kind(chat), message)
        return message

    def user_shares_chat(
        self, chat_id: int, request_id: int, shared_chat_id: int
    ) -> dict[str, Any]:
        """The user picked ``shared_chat_id`` with the bot's ``KeyboardButtonRequestChat`` whose
        ``request_id`` is given: queues the ``chat_shared`` service message. The button must be
        on the reply keyboard the bot last sent to this private chat, as only a client showing
        it can answer; which chats the user may pick is left to the bot to check, because
        rights can change between the pick and the message."""
        chat, sender = self._user_side(chat_id, None)
        if not chat.is_private:
            raise ValueError("a chat is shared from a private chat with the bot")
        keyboard = self._reply_keyboards.get(chat_id, {}).get("keyboard", [])
        requests = [b.get("request_chat") for row in keyboard for b in row if isinstance(b, dict)]
        if not any(r and r.get("request_id") == request_id for r in requests):
            raise ValueError(f"the bot offered no chat picker {request_id} in chat {chat_id}")
        shared = self._chats[shared_chat_id]
        message = self._new_message(chat, sender)
        message["chat_shared"] = {"request_id": request_id, "chat_id": shared_chat_id}
        if shared.title is not None:
            message["chat_shared"]["title"] = shared.title
        if shared.username is not None:
            message["chat_shared"]["username"] = shared.username
        self._messages[chat.id, message["message_id"]] = message
        self._enqueue("message", message)
        return message

    def _user_side(self, chat_id: int, user_id: int | None) -> tuple[SimulatedChat, SimulatedUser]:
        chat = self._chats.get(chat_id)
        if chat is None or chat.migrated_to is not None:
            raise ValueError(f"no chat {chat_id} to act in; add it first")
        if chat.is_private:
            self._faults.blocked.discard(chat_id)
            return chat, self._user(chat_id if user_id is None else user_id)
        if user_id is None:
            raise ValueError(f"say which user acts in {chat.type} {chat_id}: pass user_id")
        return chat, self._user(user_id)

    @staticmethod
    def _message_update_kind(chat: SimulatedChat) -> str:
        return "channel_post" if chat.type == "channel" else "message"

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        self._last_update_id += 1
        self._pending.append(
            (self._last_update_id, kind, {"update_id": self._last_update_id, kind: payload})
        )
        self._wake_poller(superseded=False)
        if self._webhook is not None:
            self._webhook.wake.set()

    def _wake_poller(self, *, superseded: bool) -> None:
        waiter = self._poll_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(superseded)

    def bot_status_changes(self, chat_id: int, status: str, *, by_user: int | None = None) -> None:
        """Telegram's ``my_chat_member`` update: the bot's status in the chat became ``status``
        ("member", "administrator", "left" or "kicked"; a user who blocks the bot makes it
        "kicked" in their private chat, unblocking makes it "member" again). From then on
        sends to the chat answer 403 while the bot is out, and go through once it is back."""
        chat = self._known_chat(chat_id)
        if status not in ("member", "administrator", "left", "kicked"):
            raise ValueError(f"unknown status {status!r}")
        actor = chat.owner if chat.owner is not None else self._user(by_user or chat.creator or 1)
        old = self._bot_status.get(chat_id, "administrator" if chat.type == "channel" else "member")
        self._bot_status[chat_id] = status
        if status in ("left", "kicked"):
            self._faults.blocked.add(chat_id)
        else:
            self._faults.blocked.discard(chat_id)
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.json,
                "from": actor.json,
                "date": int(time.time()),
                "old_chat_member": self._bot_member_json(old),
                "new_chat_member": self._bot_member_json(status),
            },
        )

    def _bot_member_json(self, status: str) -> dict[str, Any]:
        member: dict[str, Any] = {"user": self._bot.json, "status": status}
        if status == "kicked":
            member["until_date"] = 0
        if status == "administrator":
            member |= {"can_be_edited": False, "is_anonymous": False} | dict.fromkeys(
                ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                 "can_restrict_members", "can_promote_members", "can_change_info",
                 "can_invite_users", "can_post_stories", "can_edit_stories",
                 "can_delete_stories"),
                True,
            )  # fmt: skip
        return member

    def group_upgrades(self, old_group_id: int, new_supergroup_id: int) -> None:
        """A basic group becomes a supergroup (``migrate``), and the bot hears of it as
        Telegram tells it: a service message with ``migrate_to_chat_id`` in the old group."""
        self.migrate(old_group_id, new_supergroup_id)
        old = self._chats[old_group_id]
        message = self._new_message(old, self._user(old.creator or next(iter(old.admins), 1)))
        message["migrate_to_chat_id"] = new_supergroup_id
        self._enqueue("message", message)

    # Fault injection

    def block(self, chat_id: int) -> None:
        """The user blocked the bot (or, for a group, kicked it): sends answer 403."""
        self._faults.blocked.add(chat_id)

    def deactivate(self, chat_id: int) -> None:
        self._faults.deactivated.add(chat_id)

    def forget_chat(self, chat_id: int) -> None:
        """Telegram no longer knows the chat: everything about it answers "chat not found"
        until reset_faults or until the chat is added again."""
        self._faults.forgotten.add(chat_id)

    def migrate(self, old_group_id: int, new_supergroup_id: int) -> None:
        """Upgrade a group; the upgrade is the chat's history, so reset_faults keeps it."""
        old = self._chats.get(old_group_id)
        if old is None or old.type != "group":
            raise ValueError(f"only an existing basic group can migrate, got {old_group_id}")
        if new_supergroup_id >= 0 or new_supergroup_id in self._chats:
            raise ValueError(f"the supergroup needs a new negative id, got {new_supergroup_id}")
        self._chats[new_supergroup_id] = SimulatedChat(
            new_supergroup_id,
            "supergroup",
            title=old.title,
            admins=set(old.admins),
            creator=old.creator,
        )
        old.migrated_to = new_supergroup_id

    def fail_next(self, chat_id: int, count: int, status: int = 502, *, after: int = 0) -> None:
        """The next ``count`` sends (edits of text included) to the chat, after ``after`` that go
        through, fail at Telegram's front end with ``status``; the message is not delivered."""
        self._faults.fail_next(chat_id, count, status, after)

    def flood_next(self, chat_id: int, retry_after: int, *, after: int = 0) -> None:
        """The next send to the chat is answered 429 with ``retry_after``, and every send is
        paused for that long, as Telegram's flood control does."""
        self._faults.flood_next(chat_id, retry_after, after)

    def garble_next(self, chat_id: int, count: int = 1, *, after: int = 0) -> None:
        """The next ``count`` sends to the chat are answered 200 with a body that is not Bot API
        JSON (a misbehaving proxy); the message is not delivered."""
        self._faults.garble_next(chat_id, count, after)

    def delay(self, chat_id: int, seconds: float) -> None:
        """Answers about this chat arrive ``seconds`` late. Sends are still delivered at once,
        so a client that times out and resends produces a visible duplicate, as on Telegram."""
        self._faults.delays[chat_id] = seconds

    def storm(
        self, probability: float, retry_after: int, duration: float, seed: int | None = None
    ) -> None:
        """For ``duration`` seconds refuse each send with 429 at the given probability."""
        if not 0 <= probability <= 1:
            raise ValueError(f"probability is between 0 and 1, got {probability}")
        self._faults.storm = FloodStorm(
            probability, max(1, retry_after), time.monotonic() + duration, random.Random(seed)
        )

    def reset_faults(self) -> None:
        """Undo every injected failure and the pause of any 429 already issued."""
        self._faults = FaultPlan()
        self._flood.lift_pause()

    # Records

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """Accepted sends to the chat in order; edits are in ``edits``."""
        return list(self._sent_by_chat.get(chat_id, ()))

    def latest(self, chat_id: int, message_id: int) -> SentMessage | None:
        return self._current.get((chat_id, message_id))

    def reset_records(self) -> None:
        """Forget what was sent and the counters; chats, faults and budgets stay as they are."""
        self.sent.clear()
        self.edits.clear()
        self.callback_answers.clear()
        self._sent_by_chat.clear()
        self.stats = DoubleStats()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise TimeoutError(f"the double did not reach the condition within {timeout}s")
            await asyncio.sleep(0.005)

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Wait until the chat has received at least ``count`` messages; returns all of them."""
        await self.wait_for(lambda: len(self._sent_by_chat.get(chat_id, ())) >= count, timeout)
        return self.messages_to(chat_id)

    # HTTP

    async def _serve_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._token:
            return self._error_response(BotApiError(401, "Unauthorized"))
        method = request.match_info["method"]
        endpoint = self._endpoints.get(method.lower())
        if endpoint is None:
            self.stats.requests[method] += 1
            self.stats.unknown_methods[method] += 1
            return self._error_response(BotApiError(404, "Not Found"))
        name, handler = endpoint
        self.stats.requests[name] += 1
        params: Params = {}
        _request.set(request)
        try:
            params = await read_params(request)
            response = _json_response(200, {"ok": True, "result": await handler(params)})
        except GarbageAnswer:
            self.stats.garbage_answers += 1
            response = web.Response(status=200, text=GARBAGE_BODY, content_type="text/html")
        except BotApiError as error:
            response = self._error_response(error)
        if self._faults.delays:
            chat_id = chat_id_or_none(params)
            delay = self._faults.delays.get(chat_id) if chat_id is not None else None
            if delay:
                await asyncio.sleep(delay)
        return response

    async def _serve_file(self, request: web.Request) -> web.Response:
        stored = self._files_by_path.get(request.match_info["file_path"])
        if request.match_info["token"] != self._token or stored is None:
            return self._error_response(BotApiError(404, "Not Found"))
        return web.Response(body=stored.content, content_type="application/octet-stream")

    def _error_response(self, error: BotApiError) -> web.Response:
        self.stats.rejected[error.error_code] += 1
        if error.error_code == 429:
            self.stats.too_many_requests += 1
        return _json_response(error.error_code, error.payload())

    # Chats as the bot reaches them

    def _known_chat(self, chat_id: int) -> SimulatedChat:
        chat = self._chats.get(chat_id)
        if chat is None or chat_id in self._faults.forgotten:
            raise chat_not_found()
        if chat.migrated_to is not None:
            raise BotApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def _writable_chat(self, chat_id: int) -> SimulatedChat:
        if chat_id in self._users and chat_id not in self._chats:
            raise BotApiError(403, "Forbidden: bot can't initiate conversation with a user")
        chat = self._known_chat(chat_id)
        if chat_id in self._faults.deactivated:
            raise BotApiError(403, "Forbidden: user is deactivated")
        if chat_id in self._faults.blocked:
            raise BotApiError(403, _BLOCKED_DESCRIPTIONS[chat.type])
        return chat

    def _open_send(self, params: Params, now: float) -> SimulatedChat:
        """Everything that can refuse a send before its content is looked at, in the order a
        client would meet it: its own ignored retry_after, the front end, the chat."""
        chat_id = required_chat_id(params)
        remaining = self._flood.paused_for(now)
        if remaining is not None:
            if self._flood.in_flight_at(now):
                self.stats.in_flight_during_pause += 1
            else:
                self.stats.sent_during_pause += 1
            raise _flood_error(remaining)
        fault = self._faults.take_fault(chat_id)
        if fault is not None:
            match fault.kind:
                case FaultKind.SERVER_ERROR:
                    raise BotApiError(fault.status, fault.description)
                case FaultKind.FLOOD:
                    raise _flood_error(self._flood.impose_pause(now, fault.retry_after))
                case FaultKind.GARBAGE:
                    raise GarbageAnswer
        storm_retry_after = self._faults.storm_strikes(now)
        if storm_retry_after is not None:
            raise _flood_error(self._flood.impose_pause(now, storm_retry_after))
        return self._writable_chat(chat_id)

    def _admit(self, chat_id: int, now: float, *, paid: bool = False) -> None:
        retry_after = self._flood.admit(chat_id, now, paid=paid)
        if retry_after is not None:
            raise _flood_error(retry_after)

    # Messages

    def _new_message(self, chat: SimulatedChat, sender: SimulatedUser) -> dict[str, Any]:
        message_id = self._last_message_id.get(chat.id, 0) + 1
        self._last_message_id[chat.id] = message_id
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.json,
        }
        if chat.type == "channel":
            message["sender_chat"] = chat.json
        else:
            message["from"] = sender.json
        return message

    def _deliver(
        self,
        chat: SimulatedChat,
        message: dict[str, Any],
        text: _FormattedText,
        reply_markup: dict[str, Any] | None,
        method: str,
        now: float,
        *,
        paid: bool = False,
        silent: bool = False,
        thread_id: int | None = None,
        photo: bytes | None = None,
    ) -> dict[str, Any]:
        key = (chat.id, message["message_id"])
        self._messages[key] = message
        quoted = message.get("reply_to_message")
        record = SentMessage(
            chat.id,
            key[1],
            text.raw,
            text.plain,
            text.parse_mode,
            reply_markup,
            now,
            method,
            paid,
            quoted["message_id"] if quoted else None,
            silent,
            thread_id,
            photo,
        )
        self._current[key] = record
        if reply_markup is not None and "keyboard" in reply_markup:
            self._reply_keyboards[chat.id] = reply_markup
        elif reply_markup is not None and reply_markup.get("remove_keyboard"):
            self._reply_keyboards.pop(chat.id, None)
        self.sent.append(record)
        self._sent_by_chat.setdefault(chat.id, []).append(record)
        self.stats.accepted_sends += 1
        return message

    def _quoted_message(self, chat: SimulatedChat, params: Params) -> dict[str, Any] | None:
        """The message a send replies to, as Telegram embeds it (one level deep)."""
        reply = params.get("reply_parameters")
        if reply is not None:
            reply = structured(reply, "Bad Request: can't parse reply parameters JSON object")
            reply_to = reply.get("message_id") if isinstance(reply, dict) else None
            allow_missing = isinstance(reply, dict) and bool(
                reply.get("allow_sending_without_reply")
            )
        else:
            reply_to = params.get("reply_to_message_id")
            allow_missing = flag(params, "allow_sending_without_reply")
        if reply_to is None:
            return None
        original = self._messages.get((chat.id, as_int(reply_to, "message_id")))
        if original is None:
            if allow_missing:
                return None
            raise BotApiError(400, "Bad Request: message to be replied not found")
        return {key: value for key, value in original.items() if key != "reply_to_message"}

    async def _send_message(self, params: Params) -> dict[str, Any]:
        now = time.monotonic()
        chat = self._open_send(params, now)
        text = _formatted(
            params,
            "text",
            limit=MAX_TEXT_LENGTH,
            too_long="Bad Request: message is too long",
            required=True,
        )
        markup = reply_markup(params)
        message = self._new_message_for(chat, params, now)
        message["text"] = text.plain
        _attach(message, "entities", text.entities)
        _attach(message, "reply_markup", inline_only(markup))
        paid = flag(params, "allow_paid_broadcast")
        silent = flag(params, "disable_notification")
        thread = params.get("message_thread_id")
        thread_id = as_int(thread, "message_thread_id") if thread is not None else None
        if thread_id is not None:
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        return self._deliver(
            chat,
            message,
            text,
            markup,
            "sendMessage",
            now,
            paid=paid,
            silent=silent,
            thread_id=thread_id,
        )

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        """Reads PNG only (the one format the bot sends), with Telegram's limits on a photo."""
        now = time.monotonic()
        chat = self._open_send(params, now)
        content = self._photo_bytes(params.get("photo"))
        width, height = _photo_dimensions(content)
        caption = _formatted(
            params,
            "caption",
            limit=MAX_CAPTION_LENGTH,
            too_long="Bad Request: message caption is too long",
            required=False,
        )
        markup = reply_markup(params)
        message = self._new_message_for(chat, params, now)
        stored = self._store_file("photo.png", content, "photos")
        message["photo"] = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": width,
                "height": height,
                "file_size": len(content),
            }
        ]
        _attach(message, "caption", caption.plain)
        _attach(message, "caption_entities", caption.entities)
        _attach(message, "reply_markup", inline_only(markup))
        thread = params.get("message_thread_id")
        thread_id = as_int(thread, "message_thread_id") if thread is not None else None
        if thread_id is not None:
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        return self._deliver(
            chat,
            message,
            caption,
            markup,
            "sendPhoto",
            now,
            silent=flag(params, "disable_notification"),
            thread_id=thread_id,
            photo=content,
        )

    def _photo_bytes(self, photo: Any) -> bytes:
        if isinstance(photo, UploadedFile):
            content = photo.content
        elif isinstance(photo, str) and photo in self._files:
            content = self._files[photo].content
        else:
            raise BotApiError(400, "Bad Request: there is no photo in the request")
        if len(content) > MAX_PHOTO_BYTES:
            raise BotApiError(400, "Bad Request: file is too big")
        return content

    def _new_message_for(self, chat: SimulatedChat, params: Params, now: float) -> dict[str, Any]:
        """The bot's next message in the chat, once nothing but the budget can refuse it."""
        quoted = self._quoted_message(chat, params)
        self._admit(chat.id, now, paid=flag(params, "allow_paid_broadcast"))
        message = self._new_message(chat, self._bot)
        _attach(message, "reply_to_message", quoted)
        return message

    def _store_file(self, filename: str, content: bytes, folder: str) -> StoredFile:
        number = next(self._file_counter)
        suffix = filename[filename.rfind(".") :] if "." in filename else ""
        stored = StoredFile(
            file_id=f"BQACAgIAAx{number:012d}",
            file_unique_id=f"AgAD{number:08d}",
            file_path=f"{folder}/file_{number}{suffix}",
            file_name=filename,
            mime_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
            content=content,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _editable_message(self, chat_id: int, params: Params) -> tuple[int, dict[str, Any]]:
        if params.get("inline_message_id"):
            raise BotApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        message_id = required_message_id(params)
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise BotApiError(400, "Bad Request: message to edit not found")
        if (chat_id, message_id) not in self._current:
            raise BotApiError(400, "Bad Request: message can't be edited")
        return message_id, message

    def _record_edit(
        self,
        chat_id: int,
        message_id: int,
        text: _FormattedText,
        reply_markup: dict[str, Any] | None,
        method: str,
        now: float,
    ) -> None:
        record = SentMessage(
            chat_id, message_id, text.raw, text.plain, text.parse_mode, reply_markup, now, method
        )
        self._current[chat_id, message_id] = record
        self.edits.append(record)

    async def _edit_message_text(self, params: Params) -> dict[str, Any]:
        now = time.monotonic()
        chat = self._open_send(params, now)
        message_id, message = self._editable_message(chat.id, params)
        text = _formatted(
            params,
            "text",
            limit=MAX_TEXT_LENGTH,
            too_long="Bad Request: MESSAGE_TOO_LONG",
            required=True,
        )
        markup = reply_markup(params)
        inline = inline_only(markup)
        if "text" not in message:
            raise BotApiError(400, "Bad Request: there is no text in the message to edit")
        if (
            message["text"] == text.plain
            and message.get("entities", []) == text.entities
            and message.get("reply_markup") == inline
        ):
            raise _not_modified()
        self._admit(chat.id, now)
        message["text"] = text.plain
        _replace(message, "entities", text.entities)
        _replace(message, "reply_markup", inline)
        message["edit_date"] = int(time.time())
        self._record_edit(chat.id, message_id, text, markup, "editMessageText", now)
        return message

    async def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        now = time.monotonic()
        chat = self._writable_chat(required_chat_id(params))
        message_id, message = self._editable_message(chat.id, params)
        markup = reply_markup(params)
        inline = inline_only(markup)
        if message.get("reply_markup") == inline:
            raise _not_modified()
        _replace(message, "reply_markup", inline)
        message["edit_date"] = int(time.time())
        previous = self._current[chat.id, message_id]
        text = _FormattedText(previous.text, previous.plain_text, [], previous.parse_mode)
        self._record_edit(chat.id, message_id, text, markup, "editMessageReplyMarkup", now)
        return message

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_callbacks:
            raise BotApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callbacks.discard(query_id)
        text = params.get("text")
        url = params.get("url")
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                text=str(text) if text is not None else None,
                show_alert=flag(params, "show_alert"),
                url=str(url) if url is not None else None,
                cache_time=as_int(params.get("cache_time", 0), "cache_time"),
                at=time.monotonic(),
            )
        )
        return True

    # Chats and members

    def _addressed_chat(self, params: Params) -> SimulatedChat:
        """The chat a `chat_id` names: a number, or a public chat's `@username`."""
        value = params.get("chat_id")
        if isinstance(value, str) and value.startswith("@"):
            wanted = value[1:].lower()
            for chat in self._chats.values():
                if chat.username is not None and chat.username.lower() == wanted:
                    return self._known_chat(chat.id)
            raise chat_not_found()
        return self._known_chat(required_chat_id(params))

    async def _get_chat(self, params: Params) -> dict[str, Any]:
        return self._addressed_chat(params).full_info_json()

    async def _get_chat_member(self, params: Params) -> dict[str, Any]:
        chat = self._addressed_chat(params)
        user_id = params.get("user_id")
        if user_id is None or user_id == "":
            raise BotApiError(400, "Bad Request: user_id is empty")
        return chat_member_json(chat, self._user(as_int(user_id, "user_id")))

    async def _get_file(self, params: Params) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise BotApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # The bot itself

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return self._bot.json | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _set_my_commands(self, params: Params) -> bool:
        commands = structured(
            params.get("commands") or [], "Bad Request: can't parse commands JSON object"
        )
        if not isinstance(commands, list):
            raise BotApiError(400, 'Bad Request: field "commands" must be an Array')
        stored: list[dict[str, str]] = []
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            description = str(command.get("description", "")) if isinstance(command, dict) else ""
            if not _BOT_COMMAND.fullmatch(name.removeprefix("/")):
                raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not description.strip():
                raise BotApiError(400, "Bad Request: command description is empty")
            stored.append({"command": name.removeprefix("/"), "description": description})
        self.commands[_scope_key(params)] = stored
        return True

    @property
    def webhook_url(self) -> str | None:
        return self._webhook.url if self._webhook is not None else None

    async def _set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if not url:
            await self._drop_webhook()
            return True
        if not url.startswith(("http://", "https://")):
            raise BotApiError(400, "Bad Request: bad webhook: invalid URL")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
            raise BotApiError(400, "Bad Request: secret token contains unallowed characters")
        self._use_allowed_updates(params.get("allowed_updates"))
        if flag(params, "drop_pending_updates"):
            self._pending.clear()
        await self._drop_webhook()
        webhook = _Webhook(url, str(secret) if secret else None, asyncio.Event())
        webhook.task = asyncio.create_task(self._push_updates(webhook))
        self._webhook = webhook
        self._wake_poller(superseded=True)
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        if flag(params, "drop_pending_updates"):
            self._pending.clear()
        await self._drop_webhook()
        return True

    async def _drop_webhook(self) -> None:
        webhook, self._webhook = self._webhook, None
        if webhook is not None and webhook.task is not None:
            webhook.task.cancel()
            await asyncio.gather(webhook.task, return_exceptions=True)

    async def _push_updates(self, webhook: _Webhook) -> None:
        """Telegram's side of a webhook: the oldest pending update is POSTed until the bot
        answers 2xx, and only then the next, so a chat's updates arrive in order."""
        secret = webhook.secret_token
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        async with ClientSession() as session:
            while True:
                batch = self._deliverable_updates(1)
                if not batch:
                    webhook.wake.clear()
                    await webhook.wake.wait()
                    continue
                update = batch[0]
                try:
                    async with session.post(webhook.url, json=update, headers=headers) as answer:
                        status: int | None = answer.status
                except ClientError:
                    status = None
                self.stats.webhook_answers[status] += 1
                if status is not None and 200 <= status < 300:
                    self._confirm_updates(update["update_id"] + 1)
                else:
                    await asyncio.sleep(WEBHOOK_RETRY_SECONDS)

    def _use_allowed_updates(self, allowed: object) -> None:
        if allowed is not None:
            kinds = structured(allowed, "Bad Request: can't parse allowed updates")
            self._allowed_updates = frozenset(kinds) if kinds else _DEFAULT_ALLOWED_UPDATES

    def _another_poller(self, transport: asyncio.BaseTransport | None) -> bool:
        """The consumer is whoever polled last, for as long as its connection stays open (PTB
        keeps one open between polls); a bot that stopped closed it, so its successor is no
        second poller."""
        poller = self._poller
        return poller is not None and poller is not transport and not poller.is_closing()

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        """Long polling: answers at once when updates are pending, else waits up to ``timeout``.

        While another consumer polls, a second one is refused with 409 Conflict, as Telegram
        refuses two bot instances polling the same token; so is polling while a webhook is set.
        """
        if self._webhook is not None:
            raise BotApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        transport = _request.get().transport
        if self._another_poller(transport):
            raise BotApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        offset = as_int(params.get("offset", 0), "offset")
        limit = min(max(as_int(params.get("limit", 100), "limit"), 1), 100)
        timeout = max(as_float(params.get("timeout", 0), "timeout"), 0.0)
        self._use_allowed_updates(params.get("allowed_updates"))
        self._poller = transport
        self._confirm_updates(offset)
        self._wake_poller(superseded=True)

        deadline = time.monotonic() + timeout
        while True:
            batch = self._deliverable_updates(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._runner is None:
                return batch
            waiter = asyncio.get_running_loop().create_future()
            self._poll_waiter = waiter
            try:
                superseded = await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return []
            finally:
                if self._poll_waiter is waiter:
                    self._poll_waiter = None
            if superseded:
                raise BotApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )

    def _confirm_updates(self, offset: int) -> None:
        pending = self._pending
        if offset < 0:
            while len(pending) > -offset:
                pending.popleft()
        else:
            while pending and pending[0][0] < offset:
                pending.popleft()

    def _deliverable_updates(self, limit: int) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        for _, kind, update in self._pending:
            if kind in self._allowed_updates:
                batch.append(update)
                if len(batch) == limit:
                    break
        return batch


_BLOCKED_DESCRIPTIONS = {
    "private": "Forbidden: bot was blocked by the user",
    "group": "Forbidden: bot was kicked from the group chat",
    "supergroup": "Forbidden: bot was kicked from the supergroup chat",
    "channel": "Forbidden: bot is not a member of the channel chat",
}


def _formatted(
    params: Params,
    key: str,
    *,
    limit: int,
    too_long: str,
    required: bool,
) -> _FormattedText:
    raw = params.get(key)
    if raw is None or raw == "":
        if required:
            raise BotApiError(400, "Bad Request: message text is empty")
        return _FormattedText("", "", [], None)
    raw = str(raw)
    parse_mode = params.get("parse_mode") or None
    mode = parse_mode.lower() if parse_mode else ""
    if mode == "html":
        try:
            parsed = parse_html(raw)
        except HtmlParseError as error:
            raise BotApiError(400, f"Bad Request: can't parse entities: {error}") from None
        plain, entities = parsed.text, parsed.entities
    elif mode in ("", "markdown", "markdownv2"):
        entities_key = "entities" if key == "text" else f"{key}_entities"
        plain = raw
        entities = structured(
            params.get(entities_key) or [], "Bad Request: can't parse entities JSON object"
        )
    else:
        raise BotApiError(400, "Bad Request: unsupported parse_mode")
    if required and not plain.strip():
        raise BotApiError(400, "Bad Request: message text is empty")
    if len(plain) > limit:
        raise BotApiError(400, too_long)
    return _FormattedText(raw, plain, entities, parse_mode)


def _photo_dimensions(content: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), checked as Telegram checks a photo."""
    if len(content) < 24 or not content.startswith(_PNG_SIGNATURE) or content[12:16] != b"IHDR":
        raise BotApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    width, height = struct.unpack(">II", content[16:24])
    if (
        not width
        or not height
        or width + height > MAX_PHOTO_SIDES
        or max(width, height) > MAX_PHOTO_RATIO * min(width, height)
    ):
        raise BotApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    return width, height


def _not_modified() -> BotApiError:
    return BotApiError(
        400,
        "Bad Request: message is not modified: specified new message content and reply "
        "markup are exactly the same as a current content and reply markup of the message",
    )


def _json_response(status: int, payload: dict[str, Any]) -> web.Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(status=status, body=body, content_type="application/json")


def _attach(target: dict[str, Any], key: str, value: Any) -> None:
    if value:
        target[key] = value


def _replace(target: dict[str, Any], key: str, value: Any) -> None:
    if value:
        target[key] = value
    else:
        target.pop(key, None)


def _scope_key(params: Params) -> str:
    """``commands`` keys: the scope type, then its chat and user ids, then "/language"."""
    scope = structured(params.get("scope") or {}, "Bad Request: can't parse BotCommandScope")
    if not isinstance(scope, dict):
        raise BotApiError(400, "Bad Request: can't parse BotCommandScope")
    parts = [str(scope.get("type", "default"))]
    parts += [str(scope[key]) for key in ("chat_id", "user_id") if key in scope]
    key = ":".join(parts)
    language = params.get("language_code")
    return f"{key}/{language}" if language else key


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the local Telegram Bot API double.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--no-limits", action="store_true", help="turn flood control off")
    parser.add_argument("--chats", type=int, default=0, help="private chats with ids 1..N")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args))


async def _serve(args: argparse.Namespace) -> None:
    double = BotApiDouble(args.token, limits=RateLimits(enabled=not args.no_limits))
    for user_id in range(1, args.chats + 1):
        double.add_private_chat(user_id, first_name=f"User {user_id}")
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stopped.set)
    await double.start(args.host, args.port)
    print(f"listening on {double.base_url}", flush=True)
    try:
        await stopped.wait()
    finally:
        await double.stop()


if __name__ == "__main__":
    main()
