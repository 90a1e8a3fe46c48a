"""Prometheus metrics (docs/operations.md says what each one means).

Counters and histograms are process-wide, as prometheus_client keeps them; the outbox and pool
gauges are read when /metrics is scraped (`refresh`), so a scrape costs one small query.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

from aiohttp import TraceConfig
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

# Slack allows three seconds for an ack; the buckets resolve the range that matters.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)

REQUESTS = Counter("salesbot_requests", "Requests from Slack, by kind and outcome", ["kind", "outcome"])
ACK_SECONDS = Histogram(
    "salesbot_ack_seconds",
    "Time from a request's arrival to its answer (the ack)",
    ["kind"],
    buckets=ACK_BUCKETS,
)
HANDLER_SECONDS = Histogram(
    "salesbot_handler_seconds",
    "Time a listener takes, including the work after its ack",
    ["handler", "outcome"],
)
SLACK_CALLS = Counter(
    "salesbot_slack_api_calls",
    "Slack Web API calls (each HTTP attempt, retries too) by method and error ('' when ok)",
    ["method", "error"],
)
OUTBOX_PENDING = Gauge("salesbot_outbox_pending", "Outbox rows waiting to be sent (pending or claimed)")
OUTBOX_OLDEST_SECONDS = Gauge(
    "salesbot_outbox_oldest_pending_seconds", "Age of the oldest outbox row waiting to be sent (0 if none)"
)
SCHEDULER_RUNS = Counter(
    "salesbot_scheduler_runs", "Scheduler job runs, by job and outcome", ["job", "outcome"]
)
SCHEDULER_LAST_SUCCESS = Gauge(
    "salesbot_scheduler_last_success_timestamp_seconds", "When each job last ran without error", ["job"]
)
POST_ACK_RUNNING = Gauge(
    "salesbot_post_ack_running", "Listeners working after their ack now (bot/post_ack.py)"
)
POST_ACK_WAITING = Gauge(
    "salesbot_post_ack_waiting", "Acked requests waiting for their turn to do their work"
)
POST_ACK_REFUSED = Counter(
    "salesbot_post_ack_refused", "Acked requests refused because too many were waiting (the rep is told)"
)
DB_POOL_IN_USE = Gauge("salesbot_db_pool_connections_in_use", "Database connections checked out now")
SOCKET_CONNECTED = Gauge("salesbot_socket_connected", "1 while the Socket Mode link to Slack is up")
SOCKET_RECONNECTS = Counter(
    "salesbot_socket_reconnects", "Socket Mode connections after the first, and failed attempts"
)

DOCUMENTED = (
    "salesbot_requests_total",
    "salesbot_ack_seconds",
    "salesbot_handler_seconds",
    "salesbot_slack_api_calls_total",
    "salesbot_outbox_pending",
    "salesbot_outbox_oldest_pending_seconds",
    "salesbot_scheduler_runs_total",
    "salesbot_scheduler_last_success_timestamp_seconds",
    "salesbot_db_pool_connections_in_use",
    "salesbot_socket_connected",
    "salesbot_socket_reconnects_total",
)


def scrape() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST


def set_outbox(pending: int, oldest_age: float) -> None:
    OUTBOX_PENDING.set(pending)
    OUTBOX_OLDEST_SECONDS.set(max(0.0, oldest_age))


def job_ran(job: str, ok: bool) -> None:
    SCHEDULER_RUNS.labels(job, "ok" if ok else "error").inc()
    if ok:
        SCHEDULER_LAST_SUCCESS.labels(job).set(time.time())


def slack_trace() -> TraceConfig:
    """Counts every HTTP attempt the shared session makes to the Web API, with Slack's error code.

    A trace on the session, not a wrapper around the client: Bolt makes its own clients per request
    (many workspaces), and every one of them shares this session.
    """
    trace = TraceConfig()

    async def on_end(_session, _ctx: SimpleNamespace, params) -> None:
        method = _method(params.url.path)
        if method is None:
            return  # a response_url or an upload URL, not a Web API method
        response = params.response
        if response.status == 429:
            error = "ratelimited"
        elif response.status >= 500:
            error = f"http_{response.status}"
        else:
            error = ""
            if response.content_type == "application/json":
                # Reading here caches the body; slack_sdk reads the same bytes after us.
                try:
                    body = await response.json()
                except Exception:
                    body = None
                if isinstance(body, dict) and body.get("ok") is False:
                    error = str(body.get("error") or "unknown")[:40]
        SLACK_CALLS.labels(method, error).inc()

    async def on_exception(_session, _ctx: SimpleNamespace, params) -> None:
        method = _method(params.url.path)
        if method is not None:
            SLACK_CALLS.labels(method, type(params.exception).__name__[:40]).inc()

    trace.on_request_end.append(on_end)
    trace.on_request_exception.append(on_exception)
    return trace


def _method(path: str) -> str | None:
    """'/api/chat.postMessage' -> 'chat.postMessage'; None for paths that are not Web API methods."""
    head, sep, method = path.rpartition("/api/")
    if not sep or "/" in method or not method:
        return None
    return method[:60]
