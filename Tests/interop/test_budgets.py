"""Issue 15, budgets: `cost_governance` with the reference's keys.

Key `ci` has a daily budget of 5 (per_key); `alpha:echo` costs 1, every other tool 0
(default_cost). Alerts: 50 % log, 80 % notify, 100 % block. Through the official SDK the
caller's calls pass until the budget is spent: the 50 % alert is a gateway log line, the 80 %
alert also reaches the caller as a `notifications/message`, and the 6th call is refused with
-32003 naming the budget, without reaching the backend. Free tools and other keys go on. The
spending survives a restart (a file beside the catalog cache).
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import types
from mcp.shared.exceptions import MCPError

import harness

CI = "ci-budget-key-4a7e1c9b3d0f6258"
OTHER = "other-budget-key-8b2d5f0a7c1e3946"
BUDGET_EXHAUSTED = -32003


@pytest.fixture(scope="module")
def record(log_dir: Path) -> Path:
    path = log_dir / "budget-echo-calls.txt"
    path.write_text("")
    return path


@pytest.fixture(scope="module")
def config(log_dir: Path, record: Path) -> Path:
    backend = harness.stdio_backend("alpha")
    backend["env"] = {"INTEROP_CALL_RECORD": str(record)}
    cfg = harness.make_config({"alpha": backend}, extra={
        "auth": {"api_keys": [{"name": "ci", "key": CI}, {"name": "other", "key": OTHER}]},
        "cost_governance": {
            "enabled": True,
            "currency": "USD",
            "default_cost": 0,
            "tool_costs": {"alpha:echo": 1},
            "budgets": {"per_key": {"ci": {"daily": 5}}},
            "alerts": [{"at_percent": 50, "action": "log"}, {"at_percent": 80, "action": "notify"},
                       {"at_percent": 100, "action": "block"}],
        },
    })
    return harness.write_config(log_dir / "budgets.yaml", cfg)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("budget-cache")
    path.chmod(0o700)
    return path


@pytest.fixture(scope="module")
def gw(config: Path, log_dir: Path, cache_dir: Path) -> Iterator[harness.Gateway]:
    g = harness.start_gateway(config, log_dir, env={"MCP_GATEWAY_CACHE_DIR": str(cache_dir)})
    yield g
    g.stop()


class _Client:
    def __init__(self, gw: harness.Gateway, key: str, **kw: Any):
        self.gw, self.key, self.kw = gw, key, kw

    async def __aenter__(self) -> Any:
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        self.http = httpx.AsyncClient(headers={"X-API-Key": self.key}, timeout=30)
        await self.http.__aenter__()
        # The session era: a 2026-07-28 client asks for log messages per request (`_meta`).
        self.client = Client(streamable_http_client(self.gw.url, http_client=self.http), mode="legacy",
                             read_timeout_seconds=30, **self.kw)
        return await self.client.__aenter__()

    async def __aexit__(self, *exc: Any) -> None:
        await self.client.__aexit__(*exc)
        await self.http.__aexit__(*exc)


async def _echo(client: Any, text: str) -> str:
    return harness.text_of(await harness.invoke(client, "alpha", "echo", {"text": text}))


def test_alerts_then_block(gw: harness.Gateway, record: Path) -> None:
    messages: list[types.LoggingMessageNotificationParams] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        messages.append(params)

    async def run() -> None:
        async with _Client(gw, CI, logging_callback=on_log) as client, _Client(gw, OTHER) as other:
            for i in range(1, 6):
                assert await _echo(client, f"budget-{i}") == f"budget-{i}"
                if i == 3:
                    # 60 %: the log alert fired, nothing reached the caller.
                    assert "daily budget of key 'ci' (5 USD) crossed 50%: 3 of 5 USD spent (60%)" in gw.log.read_text()
                    assert not messages
            with anyio.fail_after(5):
                while not messages:
                    await anyio.sleep(0.05)
            notified = [str(m.data) for m in messages]
            assert notified == ["daily budget of key 'ci' (5 USD) crossed 80%: 4 of 5 USD spent (80%)"], notified
            assert messages[0].level == "warning"
            with pytest.raises(MCPError) as info:
                await _echo(client, "budget-6")
            error = info.value
            assert error.code == BUDGET_EXHAUSTED
            assert error.message == ("daily budget of key 'ci' (5 USD) is spent: 5 USD used, this call costs 1; "
                                     "it resets at the start of the next day (UTC)")
            assert error.data["budget"] == "daily:key:ci"
            assert error.data["period"] == "daily"
            # Free tools go on for the same key; another key has no budget.
            assert not (await harness.invoke(client, "alpha", "add", {"a": 2, "b": 3})).is_error
            assert await _echo(other, "other-1") == "other-1"

    anyio.run(run)
    lines = record.read_text().splitlines()
    assert [line for line in lines if line.startswith("budget-")] == [f"budget-{i}" for i in range(1, 6)]
    log = gw.log.read_text()
    assert "daily budget of key 'ci' (5 USD) reached its block threshold" in log
    assert CI not in log and OTHER not in log


def test_spending_survives_a_restart(gw: harness.Gateway, config: Path, log_dir: Path, cache_dir: Path, record: Path) -> None:
    """After test_alerts_then_block: a restarted gateway still refuses ci's next paid call."""
    gw.stop()
    saved = list(cache_dir.glob("budgets-*.json"))
    assert len(saved) == 1, list(cache_dir.iterdir())
    # Only sums and periods are saved, keyed by principal: no key material.
    assert CI not in saved[0].read_text()
    with harness.running_gateway(config, log_dir, env={"MCP_GATEWAY_CACHE_DIR": str(cache_dir)}) as again:
        async def run() -> None:
            async with _Client(again, CI) as client:
                with pytest.raises(MCPError) as info:
                    await _echo(client, "after-restart")
                assert info.value.code == BUDGET_EXHAUSTED

        anyio.run(run)
    assert "after-restart" not in record.read_text()
