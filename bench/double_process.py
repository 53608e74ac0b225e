"""The Bot API double in a process of its own, with its counters readable from the parent.

The double answers every request on its event loop in Python; sharing a loop (or the GIL) with
the bot would charge the bot for the double's CPU, and the machine has two cores. The product's
own `python -m bot.sandbox.double` serves in a separate process but cannot report its counters,
and the 429 count must come from the side that answers 429. So this module hosts the same
`BotApiDouble` behind a line protocol on stdin/stdout: it prints its address once started, and
answers `stats` and `reset` with one JSON line each; an empty line or end of stdin stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from bench import PROJECT_ROOT
from bot.sandbox import BotApiDouble, RateLimits


@dataclass(frozen=True)
class DoubleCounters:
    """What the double counted since it started or was last reset."""

    accepted_sends: int
    chats_sent_to: int
    too_many_requests: int
    sent_during_pause: int
    rejected: dict[int, int]
    first_accepted_at: float | None
    last_accepted_at: float | None

    @property
    def repeated_sends(self) -> int:
        """Sends beyond the first to a chat: what at-least-once delivery cost."""
        return self.accepted_sends - self.chats_sent_to

    @property
    def accepted_span(self) -> float:
        """Seconds from the first to the last accepted send, by the double's monotonic clock."""
        if self.first_accepted_at is None or self.last_accepted_at is None:
            return 0.0
        return self.last_accepted_at - self.first_accepted_at


def _stats_json(double: BotApiDouble) -> dict[str, Any]:
    sent = double.sent
    return {
        "accepted_sends": double.stats.accepted_sends,
        "chats_sent_to": len({message.chat_id for message in sent}),
        "too_many_requests": double.stats.too_many_requests,
        "sent_during_pause": double.stats.sent_during_pause,
        "rejected": {str(code): count for code, count in double.stats.rejected.items()},
        "first_accepted_at": sent[0].at if sent else None,
        "last_accepted_at": sent[-1].at if sent else None,
    }


async def _serve(private_chats: int, limits_enabled: bool, global_rate: float) -> None:
    double = BotApiDouble(limits=RateLimits(enabled=limits_enabled, global_per_second=global_rate))
    for user_id in range(1, private_chats + 1):
        double.add_private_chat(user_id)
    await double.start()
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    _answer({"base_url": double.base_url, "token": double.token})
    try:
        while line := (await commands.readline()).decode().strip():
            if line == "stats":
                _answer(_stats_json(double))
            elif line == "reset":
                double.reset_records()
                _answer({"reset": True})
            else:
                _answer({"error": f"unknown command {line!r}"})
    finally:
        await double.stop()


def _answer(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


class DoubleProcess:
    """Starts `python -m bench.double_process` and talks to it; private chats are 1..N."""

    def __init__(
        self,
        private_chats: int,
        *,
        limits_enabled: bool,
        global_rate: float = RateLimits().global_per_second,
    ) -> None:
        self.private_chats = private_chats
        self.limits_enabled = limits_enabled
        self.global_rate = global_rate
        self.base_url = ""
        self.token = ""
        self._process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Self:
        arguments = [
            "-m",
            "bench.double_process",
            "--chats",
            str(self.private_chats),
            "--global-rate",
            str(self.global_rate),
        ]
        if not self.limits_enabled:
            arguments.append("--no-limits")
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            *arguments,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=PROJECT_ROOT,
        )
        started = await self._read_answer()
        self.base_url = started["base_url"]
        self.token = started["token"]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        process = self._process
        if process is None:
            return
        self._process = None
        assert process.stdin is not None
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), timeout=10)
        except TimeoutError:
            process.kill()
            await process.wait()

    async def stats(self) -> DoubleCounters:
        answer = await self._ask("stats")
        return DoubleCounters(
            accepted_sends=answer["accepted_sends"],
            chats_sent_to=answer["chats_sent_to"],
            too_many_requests=answer["too_many_requests"],
            sent_during_pause=answer["sent_during_pause"],
            rejected={int(code): count for code, count in answer["rejected"].items()},
            first_accepted_at=answer["first_accepted_at"],
            last_accepted_at=answer["last_accepted_at"],
        )

    async def reset_records(self) -> None:
        """Forget sends and counters, so the next measurement starts from zero."""
        await self._ask("reset")

    async def _ask(self, command: str) -> dict[str, Any]:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(f"{command}\n".encode())
        await self._process.stdin.drain()
        return await self._read_answer()

    async def _read_answer(self) -> dict[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        line = await self._process.stdout.readline()
        if not line:
            raise RuntimeError("the double process ended without answering")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the double process refused: {answer['error']}")
        return answer


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the Bot API double for a benchmark.")
    parser.add_argument("--chats", type=int, default=0, help="private chats with ids 1..N")
    parser.add_argument("--no-limits", action="store_true", help="turn flood control off")
    parser.add_argument(
        "--global-rate",
        type=float,
        default=RateLimits().global_per_second,
        help="the overall limit in messages a second (Telegram's free limit by default)",
    )
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.chats, limits_enabled=not args.no_limits, global_rate=args.global_rate))


if __name__ == "__main__":
    main()
