"""PTB's Bot API requests over aiohttp instead of httpx.

Measured against the local Bot API double, most of the bot's CPU in a broadcast went to
httpx/httpcore, and more so as concurrency rose; aiohttp's client does the same work for a
fraction of it. PTB stays the Bot API client: this is the transport behind its documented
`BaseRequest` seam, and answers exactly what `HTTPXRequest` would (status and body, with
timeouts raised as `TimedOut` and every other transport failure as `NetworkError`).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

import aiohttp
import orjson
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict, ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

_JSON = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """One pooled aiohttp session per instance, opened by `initialize` and closed by `shutdown`.

    aiohttp has no write timeout of its own: a request's writing is bounded by the total of its
    timeouts (pool, connect, write and read), so a stalled upload still ends in `TimedOut`."""

    def __init__(
        self,
        connection_pool_size: int = 1,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        default_write = self._media_write_timeout if files else self._write_timeout
        write = _given(write_timeout, default_write)
        timeout = _timeout(pool, connect, write, read)
        body = _body(request_data, files) if request_data else None
        headers = _JSON if isinstance(body, bytes) else None
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                answer = await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(
                "Pool or connect timeout: no connection to the Bot API in time. Request was "
                "*not* sent to Telegram."
            ) from error
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error
        # The request line as httpx logs it, heard only at DEBUG; the token in it is redacted by
        # the log handlers (bot/logs.py).
        log.debug("HTTP Request: %s %s %d", method, url, response.status)
        return response.status, answer

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """orjson reads an answer in a fraction of the standard library's time; what it refuses
        (not JSON, or not UTF-8) goes to PTB's own parser, which answers it as PTB always has."""
        try:
            answer: JSONDict = orjson.loads(payload)
        except orjson.JSONDecodeError:
            return BaseRequest.parse_json_payload(payload)
        return answer


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


@lru_cache(maxsize=64)
def _timeout(
    pool: float | None, connect: float | None, write: float | None, read: float | None
) -> aiohttp.ClientTimeout:
    """Requests use a handful of timeout combinations, so each is built once."""
    parts = (pool, connect, write, read)
    return aiohttp.ClientTimeout(
        total=None if None in parts else sum(p for p in parts if p is not None),
        connect=None if pool is None or connect is None else pool + connect,
        sock_connect=connect,
        sock_read=read,
    )


def _body(request_data: RequestData, files: UploadFileDict | None) -> aiohttp.FormData | bytes:
    """A JSON body, which the Bot API takes for every method: form-encoding a long HTML alert
    character by character cost more CPU than the rest of its request. orjson writes it, and the
    standard library what orjson refuses (an integer beyond 64 bits). With files, a multipart
    form of the same fields, as PTB's httpx request sends it."""
    if not files:
        parameters = request_data.parameters
        try:
            return orjson.dumps(parameters)
        except orjson.JSONEncodeError:
            return json.dumps(parameters).encode()
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
