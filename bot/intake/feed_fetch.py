"""Fetching a feed or a page an admin configured: http and https only, conditional requests,
a time limit for the whole exchange and a size limit on the body, read as it arrives."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from bot.reading.language import N_, Refusal

MAX_URL_CHARS = 2000
FETCH_TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "Roundwatch feed reader (+https://github.com/roundwatch)"


class FetchProblem(Exception):
    """Why a fetch gave nothing usable, as a short phrase for /feeds and the admins' notice."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    etag: str | None
    last_modified: str | None


def web_address_problem(url: str) -> str | None:
    """One sentence saying why `url` cannot be watched or fetched, or None when it can."""
    problem = web_address_refusal(url)
    return problem.message.format(most=MAX_URL_CHARS) if problem else None


def web_address_refusal(url: str) -> Refusal | None:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    if len(url) > MAX_URL_CHARS:
        return Refusal(N_("That address is longer than {most} characters."), most=MAX_URL_CHARS)
    if parts.scheme not in ("http", "https") or not host:
        return Refusal(N_("Only http:// and https:// addresses can be watched."))
    return None


def fetch_client() -> httpx.AsyncClient:
    """Redirects are followed only to http and https (httpx refuses any other scheme)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(FETCH_TIMEOUT),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    max_bytes: int,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched | None:
    """None when the server answers 304 Not Modified to the validators given."""
    problem = web_address_problem(url)
    if problem is not None:
        raise FetchProblem(problem)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(FETCH_TIMEOUT):
            async with client.stream("GET", url, headers=headers) as response:
                if response.status_code == httpx.codes.NOT_MODIFIED:
                    return None
                if response.status_code != httpx.codes.OK:
                    raise FetchProblem(f"HTTP {response.status_code}")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchProblem(f"larger than {max_bytes:,} bytes")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise FetchProblem(f"larger than {max_bytes:,} bytes")
                return Fetched(
                    bytes(body),
                    response.headers.get("ETag"),
                    response.headers.get("Last-Modified"),
                )
    except TimeoutError:
        raise FetchProblem(f"no answer within {FETCH_TIMEOUT:g} s") from None
    except httpx.HTTPError as error:
        raise FetchProblem(f"{type(error).__name__}: {error}"[:200]) from None
