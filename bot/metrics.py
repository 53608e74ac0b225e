"""Prometheus metrics of one process, in a registry of its own (several applications in one
test process must not share counters), labelled with the worker id so that the series of
several workers add up.

Counters move where results are recorded; the queue's gauges are read from the database on
each scrape (`refresh_queue` before `exposition`), so they are the same whichever worker is
asked."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from storage.database import Database
from storage.queue_depth import QueueDepth, queue_depth

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
REASON_LENGTH = 60


def skip_reason(error: str | None) -> str:
    """Telegram's few reasons ("bot was blocked by the user"), without their class prefix, so
    the label stays a small set."""
    text = (error or "").split(": ", 1)[-1].strip().lower()[:REASON_LENGTH]
    return text or "unknown"


class _QueueCollector(Collector):
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.latest: QueueDepth | None = None

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "roundwatch_queue_depth", "Open deliveries by state", labels=["worker", "state"]
        )
        due = GaugeMetricFamily(
            "roundwatch_queue_due", "Pending deliveries whose time has come", labels=["worker"]
        )
        oldest = GaugeMetricFamily(
            "roundwatch_oldest_due_delivery_age_seconds",
            "How long the oldest due delivery has waited (0 when none is due)",
            labels=["worker"],
        )
        latest = self.latest
        if latest is not None:
            depth.add_metric([self.worker_id, "pending"], latest.pending)
            depth.add_metric([self.worker_id, "leased"], latest.leased)
            due.add_metric([self.worker_id], latest.due)
            waited = (
                (latest.now - latest.oldest_due_at).total_seconds()
                if latest.oldest_due_at is not None
                else 0.0
            )
            oldest.add_metric([self.worker_id], max(0.0, waited))
        yield from (depth, due, oldest)


class Metrics:
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ["worker"]
        self._sent = Counter(
            "roundwatch_deliveries_sent",
            "Deliveries recorded as sent",
            labels,
            registry=self.registry,
        )
        self._failed = Counter(
            "roundwatch_deliveries_failed",
            "Deliveries recorded as failed",
            labels,
            registry=self.registry,
        )
        self._skipped = Counter(
            "roundwatch_deliveries_skipped",
            "Deliveries skipped, by Telegram's reason",
            [*labels, "reason"],
            registry=self.registry,
        )
        self._throttled = Counter(
            "roundwatch_too_many_requests",
            "429 answers that reached a delivery (after the rate limiter's own retries)",
            labels,
            registry=self.registry,
        )
        self._takeovers = Counter(
            "roundwatch_lease_takeovers",
            "Leased deliveries put back in the queue because their holder stopped renewing",
            labels,
            registry=self.registry,
        )
        self._send_seconds = Histogram(
            "roundwatch_send_seconds",
            "Time to send one delivery (all its parts)",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._tick_seconds = Histogram(
            "roundwatch_tick_seconds", "Duration of a scheduler tick of the dispatcher", labels,
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        for counter in (self._sent, self._failed, self._throttled, self._takeovers):
            counter.labels(worker_id)
        # Looked up once: the broadcast's hot path counts every message.
        self._sent_here = self._sent.labels(worker_id)
        self._send_seconds_here = self._send_seconds.labels(worker_id)
        self._queue = _QueueCollector(worker_id)
        self.registry.register(self._queue)

    def sent(self) -> None:
        self._sent_here.inc()

    def failed(self) -> None:
        self._failed.labels(self.worker_id).inc()

    def skipped(self, error: str | None) -> None:
        self._skipped.labels(self.worker_id, skip_reason(error)).inc()

    def throttled(self) -> None:
        self._throttled.labels(self.worker_id).inc()

    def leases_taken_over(self, count: int) -> None:
        self._takeovers.labels(self.worker_id).inc(count)

    def send_took(self, seconds: float) -> None:
        self._send_seconds_here.observe(seconds)

    def tick_took(self, seconds: float) -> None:
        self._tick_seconds.labels(self.worker_id).observe(seconds)

    async def refresh_queue(self, database: Database) -> None:
        async with database.session() as session:
            self._queue.latest = await queue_depth(session)

    def forget_queue(self) -> None:
        """A scrape while the database is away shows no queue rather than a stale one."""
        self._queue.latest = None

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
