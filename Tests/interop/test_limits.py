"""Issue 15, limits: rate and concurrency limits per principal, per tool and per backend.

One gateway with API keys carrying limits (`rate_limit` per minute, `tool_rate_limits`,
`max_concurrent`), backends with their own limits (`backends.NAME.rate_limit`,
`backends.NAME.max_concurrent`) and the queue in front of every concurrency limit
(`failsafe.concurrency`). The official SDK client calls through `gateway_invoke`: the n+1st
call is refused with JSON-RPC -32029, a message naming the limit and `data.retryAfterMs`,
and the call after that wait succeeds; two keys are limited separately; calls past a
concurrency limit wait in the queue and are refused at the queue timeout, or at once when
the queue is full, and a cancelled queued call frees its place. HTTP answers that are one
such error carry `Retry-After` (the lean POST /mcp path and /mcp/{backend}). A refused call
never reaches the backend (its echo tool records every call it serves).
"""
from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp.shared.exceptions import MCPError

import harness

KEYS = {
    "ci": "ci-key-3b1e8f0c6a2d4975",
    "other": "other-key-7c2a9e41d0b35f68",
    "tools": "tools-key-1f4d7a2c9e6b0853",
    "slowpoke": "slowpoke-key-5e0b3c8a1d7f2946",
    "free": "free-key-9d3f6b1a0c4e8257",
}
LIMITED = -32029
QUEUE_TIMEOUT_MS = 1500


@pytest.fixture(scope="module")
def record(log_dir: Path) -> Path:
    path = log_dir / "limits-echo-calls.txt"
    path.write_text("")
    return path


@pytest.fixture(scope="module")
def gw(log_dir: Path, record: Path) -> Iterator[harness.Gateway]:
    def backend(name: str, **limits: Any) -> dict[str, Any]:
        entry = harness.stdio_backend(name, timeout="20s")
        entry["env"] = {"INTEROP_CALL_RECORD": str(record)}
        entry.update(limits)
        return entry

    cfg = harness.make_config({
        "alpha": backend("alpha"),
        "beta": backend("beta", rate_limit={"requests_per_second": 2, "burst_size": 2}),
        "gamma": backend("gamma", max_concurrent=1),
        "delta": backend("delta", rate_limit={"requests_per_second": 0.5, "burst_size": 1}),
    }, extra={
        "auth": {"api_keys": [
            {"name": "ci", "key": KEYS["ci"], "rate_limit": 20},
            {"name": "other", "key": KEYS["other"], "rate_limit": 20},
            {"name": "tools", "key": KEYS["tools"], "tool_rate_limits": [{"tool": "alpha:echo", "rate": "5/s", "burst": 2}]},
            {"name": "slowpoke", "key": KEYS["slowpoke"], "max_concurrent": 2},
            {"name": "free", "key": KEYS["free"]},
        ]},
        "failsafe": {"concurrency": {"queue": 1, "queue_timeout": f"{QUEUE_TIMEOUT_MS}ms"}},
    })
    g = harness.start_gateway(harness.write_config(log_dir / "limits.yaml", cfg), log_dir)

    async def warm() -> None:
        # Backends start on first use: start them all before any test times its calls.
        async with _Client(g, "free") as client:
            for server in ("alpha", "beta", "gamma", "delta"):
                await _echo(client, server, f"warm-{server}")

    anyio.run(warm)
    yield g
    g.stop()


class _Client:
    """An SDK client over Streamable HTTP presenting one API key."""

    def __init__(self, gw: harness.Gateway, key: str, mode: str = "legacy"):
        self.gw, self.key, self.mode = gw, key, mode

    async def __aenter__(self) -> Any:
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        self.http = httpx.AsyncClient(headers={"X-API-Key": KEYS[self.key]}, timeout=30)
        await self.http.__aenter__()
        self.client = Client(streamable_http_client(self.gw.url, http_client=self.http), mode=self.mode,
                             read_timeout_seconds=30)
        return await self.client.__aenter__()

    async def __aexit__(self, *exc: Any) -> None:
        await self.client.__aexit__(*exc)
        await self.http.__aexit__(*exc)


async def _echo(client: Any, server: str, text: str) -> str:
    return harness.text_of(await harness.invoke(client, server, "echo", {"text": text}))


async def _refused(client: Any, server: str, text: str, tool: str = "echo") -> MCPError:
    with pytest.raises(MCPError) as info:
        await harness.invoke(client, server, tool, {"text": text} if tool == "echo" else {"a": 1, "b": 2})
    error = info.value
    assert error.code == LIMITED, error
    assert isinstance(error.data, dict) and isinstance(error.data.get("retryAfterMs"), int), error.data
    assert error.data["retryAfterMs"] > 0
    return error


def _recorded(record: Path, prefix: str) -> list[str]:
    return [line for line in record.read_text().splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
def test_the_rate_limit_refuses_the_next_call_and_recovers(gw: harness.Gateway, record: Path, mode: str) -> None:
    """`rate_limit: 20` (per minute): 20 calls pass, the 21st is refused, and after
    retryAfterMs the next passes. Each mode uses its own key: limited separately."""
    key = "ci" if mode == "legacy" else "other"

    async def run() -> None:
        async with _Client(gw, key, mode) as client:
            started = time.monotonic()
            for i in range(20):
                assert await _echo(client, "alpha", f"{key}-rate-{i}") == f"{key}-rate-{i}"
            error = await _refused(client, "alpha", f"{key}-rate-refused")
            # A token comes every 3 s: the refusal came within that, so it is the 21st call's.
            assert time.monotonic() - started < 3
            assert error.data["limit"] == "rate_limit"
            assert f"rate limit of key '{key}' (20/min) reached; retry in" in error.message
            assert error.data["retryAfterMs"] <= 3000
            await anyio.sleep(error.data["retryAfterMs"] / 1000 + 0.05)
            assert await _echo(client, "alpha", f"{key}-rate-after") == f"{key}-rate-after"

    anyio.run(run)
    assert f"{key}-rate-refused" not in record.read_text()
    assert len(_recorded(record, f"{key}-rate-")) == 21


def test_two_keys_are_limited_separately(gw: harness.Gateway) -> None:
    async def run() -> None:
        async with _Client(gw, "tools") as tools, _Client(gw, "free") as free:
            await _echo(tools, "alpha", "tools-1")
            await _echo(tools, "alpha", "tools-2")
            error = await _refused(tools, "alpha", "tools-3")
            assert error.data["limit"] == "tool_rate_limits"
            assert "tool rate limit 'alpha:echo' of key 'tools' (5/s, burst 2) reached" in error.message
            # Another key calls the same tool freely; the limited key calls other tools freely.
            for i in range(5):
                await _echo(free, "alpha", f"free-{i}")
            for _ in range(3):
                result = await harness.invoke(tools, "alpha", "add", {"a": 1, "b": 2})
                assert not result.is_error
            await anyio.sleep(error.data["retryAfterMs"] / 1000 + 0.05)
            assert await _echo(tools, "alpha", "tools-4") == "tools-4"

    anyio.run(run)


def test_a_backend_rate_limit_covers_every_caller(gw: harness.Gateway, record: Path) -> None:
    """beta: 2/s, burst 2, whoever calls; alpha is not limited by it."""
    async def run() -> None:
        async with _Client(gw, "free") as one, _Client(gw, "slowpoke") as two:
            await _echo(one, "beta", "beta-1")
            await _echo(two, "beta", "beta-2")
            error = await _refused(one, "beta", "beta-refused")
            assert error.data["limit"] == "backend_rate_limit"
            assert "rate limit of backend 'beta' (2/s, burst 2) reached" in error.message
            assert error.data["retryAfterMs"] <= 500
            await _echo(two, "alpha", "alpha-unaffected")
            await anyio.sleep(error.data["retryAfterMs"] / 1000 + 0.05)
            await _echo(one, "beta", "beta-3")

    anyio.run(run)
    assert "beta-refused" not in record.read_text()


async def _slow(client: Any, server: str, seconds: float) -> str:
    return harness.text_of(await harness.invoke(client, server, "slow", {"seconds": seconds}))


def test_max_concurrent_queues_then_refuses(gw: harness.Gateway, record: Path) -> None:
    """slowpoke: 2 in flight; the queue holds 1 for 1.5 s. A third call waits and is refused
    at the queue timeout; a fourth while the third waits is refused at once (queue full); a
    queued call the client cancels frees its place."""
    async def run() -> None:
        async with _Client(gw, "slowpoke") as client, _Client(gw, "free") as free:
            async with anyio.create_task_group() as group:
                group.start_soon(_slow, client, "alpha", 5.0)
                group.start_soon(_slow, client, "alpha", 5.0)
                await anyio.sleep(0.5)

                # Cancelled while queued: its place is given back.
                with anyio.move_on_after(0.4):
                    await _echo(client, "alpha", "cancelled-in-queue")
                await anyio.sleep(0.2)

                outcomes: dict[str, Any] = {}

                async def queued() -> None:
                    t0 = time.monotonic()
                    outcomes["queued"] = (await _refused(client, "alpha", "queued"), time.monotonic() - t0)

                group.start_soon(queued)
                await anyio.sleep(0.3)
                t0 = time.monotonic()
                full = await _refused(client, "alpha", "queue-full")
                assert time.monotonic() - t0 < 0.5
                assert full.data["limit"] == "max_concurrent"
                assert "concurrency limit of key 'slowpoke' (2 in flight) reached and its queue is full (1 waiting)" in full.message
                # Other keys are not held up.
                assert await _echo(free, "alpha", "free-meanwhile") == "free-meanwhile"
                await anyio.sleep(1.5)
                error, waited = outcomes["queued"]
                assert error.data["limit"] == "max_concurrent"
                assert f"no slot within the queue timeout of {QUEUE_TIMEOUT_MS} ms" in error.message
                assert QUEUE_TIMEOUT_MS / 1000 - 0.1 <= waited < QUEUE_TIMEOUT_MS / 1000 + 1.0
            # Both slow calls are done: slots are free again.
            assert await _echo(client, "alpha", "after-slow") == "after-slow"

    anyio.run(run)
    text = record.read_text()
    for refused in ("cancelled-in-queue", "queued", "queue-full"):
        assert f"\n{refused}\n" not in f"\n{text}", refused


def test_a_backend_concurrency_limit_covers_every_caller(gw: harness.Gateway) -> None:
    async def run() -> None:
        async with _Client(gw, "free") as one, _Client(gw, "ci") as two:
            async with anyio.create_task_group() as group:
                group.start_soon(_slow, one, "gamma", 3.0)
                await anyio.sleep(0.5)
                error = await _refused(two, "gamma", "gamma-queued")
                assert error.data["limit"] == "backend_max_concurrent"
                assert "concurrency limit of backend 'gamma' (1 in flight) reached: no slot within the queue timeout" in error.message
                await _echo(two, "alpha", "alpha-meanwhile")
            assert await _echo(two, "gamma", "gamma-after") == "gamma-after"

    anyio.run(run)


def _check_retry_after(send: Any) -> None:
    """Sends until limited; checks the header; after the wait, an answer without it."""
    for _ in range(10):
        response = send()
        assert response.status_code == 200, response.text
        if b"-32029" in response.content:
            break
    else:
        raise AssertionError("never limited")
    message = harness.response_messages(response)[-1]
    assert message["error"]["code"] == LIMITED
    retry_ms = message["error"]["data"]["retryAfterMs"]
    assert "rate limit of backend 'delta'" in message["error"]["message"]
    assert response.headers["retry-after"] == str(math.ceil(retry_ms / 1000))
    assert 1 <= int(response.headers["retry-after"]) <= 2
    # An answer that is not a limit carries none.
    time.sleep(retry_ms / 1000 + 0.05)
    ok = send()
    assert b"-32029" not in ok.content and "retry-after" not in ok.headers


@pytest.mark.parametrize("path", ["lean", "direct"])
def test_retry_after_header_on_http_answers(gw: harness.Gateway, path: str) -> None:
    """delta: 0.5/s, burst 1: the second call is refused; the HTTP answer (one JSON-RPC error)
    carries Retry-After in whole seconds, rounded up from data.retryAfterMs."""
    time.sleep(2.1)  # delta's bucket is full again whatever ran before
    echo = {"text": f"retry-after-{path}"}
    if path == "lean":
        with harness.RawSession(gw.url, credentials={"X-API-Key": KEYS["free"]}) as session:
            session.initialize()

            def send() -> httpx.Response:
                body = {"jsonrpc": "2.0", "id": session.next_id, "method": "tools/call",
                        "params": {"name": "gateway_invoke", "arguments": {"server": "delta", "tool": "echo", "arguments": echo}}}
                session.next_id += 1
                return session.post(body)

            _check_retry_after(send)
    else:
        with httpx.Client(timeout=30) as http:
            def send() -> httpx.Response:
                return http.post(f"{gw.base}/mcp/delta", headers={"Content-Type": "application/json", "Accept": "application/json",
                                                                  "X-API-Key": KEYS["free"]},
                                 json={"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "echo", "arguments": echo}})

            _check_retry_after(send)
