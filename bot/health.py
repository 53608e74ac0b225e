"""The operator's HTTP endpoint: `/healthz` for a load balancer or an orchestrator, `/metrics`
for Prometheus. Off unless ROUNDWATCH_HEALTH_PORT is set.

It is a small aiohttp server of its own rather than a route on the webhook's: PTB's webhook
server (tornado) is built inside `Updater.start_webhook` with no public way to add a route, and
workers, which take no updates, need the endpoint too. So it always has its own port.

Healthy means: the database answers a short transaction within `DATABASE_TIMEOUT` (on SQLite
that takes the write lock, which is what the bot needs to record anything), and, in a process
that dispatches, the scheduler runs and its tick came within three intervals (and ten seconds).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.metrics import CONTENT_TYPE, Metrics
from storage.database import Database

DATABASE_TIMEOUT = 3.0


@dataclass
class SchedulerPulse:
    """When the scheduler's tick last ran in this process (monotonic seconds)."""

    started: float = field(default_factory=time.monotonic)
    last_tick: float | None = None

    def beat(self) -> None:
        self.last_tick = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - (self.last_tick if self.last_tick is not None else self.started)


@dataclass
class HealthProbe:
    database: Database
    pulse: SchedulerPulse
    check_interval: float
    dispatches: bool
    worker_id: str

    async def database_problem(self) -> str | None:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT):
                async with self.database.transaction() as session:
                    await session.execute(text("SELECT 1"))
        except TimeoutError:
            return f"no answer within {DATABASE_TIMEOUT:g} s"
        except (SQLAlchemyError, OSError) as error:
            return str(self.database.unavailable(error))
        return None

    async def report(self, scheduler_running: bool, taking_updates: bool) -> dict[str, Any]:
        problem = await self.database_problem()
        stale_after = 3 * self.check_interval + 10
        age = self.pulse.age()
        ticking = not self.dispatches or (scheduler_running and age <= stale_after)
        return {
            "status": "ok" if problem is None and ticking else "unhealthy",
            "worker": self.worker_id,
            "database": {"reachable": problem is None, "error": problem},
            "scheduler": {
                "dispatches": self.dispatches,
                "running": scheduler_running,
                "last_tick_age_seconds": round(age, 3) if self.pulse.last_tick else None,
                "stale_after_seconds": stale_after,
            },
            "taking_updates": taking_updates,
        }


class HealthServer:
    def __init__(
        self,
        probe: HealthProbe,
        metrics: Metrics,
        scheduler_running: Callable[[], bool],
        taking_updates: Callable[[], bool],
    ) -> None:
        self.probe, self.metrics = probe, metrics
        self._scheduler_running, self._taking_updates = scheduler_running, taking_updates
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, host: str, port: int) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        body = await self.probe.report(self._scheduler_running(), self._taking_updates())
        return web.json_response(body, status=200 if body["status"] == "ok" else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        try:
            await self.metrics.refresh_queue(self.probe.database)
        except (SQLAlchemyError, OSError):
            self.metrics.forget_queue()
        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})
