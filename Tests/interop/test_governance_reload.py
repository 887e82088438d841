"""Issue 15, hot reload of governance: every governance section applies to the next call after an
edit of gateway.yaml, without a restart, and goes away the same way.

One gateway, started with nothing governed (redaction off, no audit trail, no limit, no budget).
Edits of its config file turn on, one after another, credential redaction, the audit trail (and
move it to another file), a backend rate limit (`failsafe.rate_limit`) and a budget
(`cost_governance`); each is seen to apply to calls on `/mcp/{backend}` within a few seconds,
and removing it lets calls through again. None of these edits is logged as waiting for a
restart. (Scopes reload in test_scopes.py, tool pinning's mode in test_tool_pinning.py.)
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

import httpx

import harness

sys.path.insert(0, str(Path(__file__).parent / "servers"))
from server import planted_secret  # noqa: E402

LIMITED = -32029
BUDGET_EXHAUSTED = -32003


def _config(record: Path, **sections: Any) -> dict[str, Any]:
    backend = harness.stdio_backend("alpha", env={"INTEROP_CALL_RECORD": str(record)})
    extra: dict[str, Any] = {"security": {"firewall": {"credential_redaction": False}, "pinning": "off"}}
    for key, value in sections.items():
        if key == "firewall":
            extra["security"]["firewall"] = value
        else:
            extra[key] = value
    return harness.make_config({"alpha": backend}, extra=extra)


def _call(gw: harness.Gateway, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    r = httpx.post(f"{gw.base}/mcp/alpha", headers={"Content-Type": "application/json",
                                                    "Accept": "application/json, text/event-stream"},
                   json={"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                         "params": {"name": tool, "arguments": arguments}}, timeout=30)
    assert r.status_code == 200, r.text[:500]
    return harness.final_response(harness.response_messages(r), 3)


def _echo(gw: harness.Gateway, text: str) -> dict[str, Any]:
    return _call(gw, "echo", {"text": text})


def _eventually(what: str, check: Callable[[], bool], timeout: float = 10) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, f"not within {timeout}s: {what}"
        time.sleep(0.2)
    return time.monotonic() - started


def _error_code(answer: dict[str, Any]) -> int | None:
    return answer.get("error", {}).get("code")


def test_each_governance_section_applies_and_goes_away_without_a_restart(log_dir: Path) -> None:
    record = log_dir / "reload-echo-calls.txt"
    record.write_text("")
    first_trail = log_dir / "reload-audit-1.jsonl"
    second_trail = log_dir / "reload-audit-2.jsonl"
    path = harness.write_config(log_dir / "governance-reload.yaml", _config(record))
    gw = harness.start_gateway(path, log_dir)
    secret = planted_secret("github_token")
    try:
        assert secret in json.dumps(_call(gw, "leak", {"kind": "github_token"}))
        health = gw.health()
        assert "audit" not in health and health["pinning"] == {"mode": "off"}

        # Redaction and an audit trail.
        harness.write_config(path, _config(record, firewall={"credential_redaction": True},
                                           audit={"path": str(first_trail)}))
        _eventually("redaction on", lambda: secret not in json.dumps(_call(gw, "leak", {"kind": "github_token"})))
        assert "[redacted:github_token]" in json.dumps(_call(gw, "leak", {"kind": "github_token"}))
        _echo(gw, "audited-one")
        _eventually("a line in the first trail", lambda: first_trail.exists()
                    and any('"tool":"echo"' in line for line in first_trail.read_text().splitlines()))
        assert gw.health()["audit"]["path"] == str(first_trail)

        # The trail moves: new calls go to the new file only.
        harness.write_config(path, _config(record, firewall={"credential_redaction": True},
                                           audit={"path": str(second_trail)}))
        _eventually("the trail moved", lambda: gw.health().get("audit", {}).get("path") == str(second_trail))
        echoes_in_first = first_trail.read_text().count('"tool":"echo"')
        _echo(gw, "audited-two")
        _eventually("a line in the second trail", lambda: second_trail.exists()
                    and '"tool":"echo"' in second_trail.read_text())
        assert first_trail.read_text().count('"tool":"echo"') == echoes_in_first

        # A backend rate limit: burst 2, refilled once a minute.
        harness.write_config(path, _config(record, failsafe={"rate_limit": {"requests_per_second": 0.02, "burst_size": 2}}))
        _eventually("the rate limit refuses", lambda: _error_code(_echo(gw, "limited?")) == LIMITED)
        refused = _echo(gw, "limited-for-sure")
        assert _error_code(refused) == LIMITED and refused["error"]["data"]["retryAfterMs"] > 0
        assert "audit" not in gw.health()
        harness.write_config(path, _config(record))
        _eventually("the rate limit is gone", lambda: _error_code(_echo(gw, "free again")) is None)

        # A budget: each call costs 1, two a day.
        harness.write_config(path, _config(record, cost_governance={
            "default_cost": 1, "budgets": {"daily": 2}, "alerts": [{"at_percent": 100, "action": "block"}]}))
        _eventually("the budget blocks", lambda: _error_code(_echo(gw, "spending")) == BUDGET_EXHAUSTED)
        harness.write_config(path, _config(record))
        _eventually("the budget is gone", lambda: _error_code(_echo(gw, "free once more")) is None)
        assert "take effect at the next restart" not in gw.log.read_text(errors="replace")
        assert "limited-for-sure" not in record.read_text()
    finally:
        gw.stop()


def test_sighup_reloads_and_never_ends_the_process(log_dir: Path) -> None:
    """SIGHUP's default action would end the gateway; it reloads the config instead, also when
    the file's size and time did not change (so only the signal can have caused it)."""
    import os
    import signal

    record = log_dir / "sighup-echo-calls.txt"
    record.write_text("")
    free = harness.to_yaml(_config(record))
    limited = harness.to_yaml(_config(record, failsafe={"rate_limit": {"requests_per_second": 0.02, "burst_size": 1}}))
    # The same size for both, so that only the content differs.
    width = max(len(free), len(limited)) + 2
    free, limited = (text + "#" * (width - len(text) - 1) + "\n" for text in (free, limited))
    path = log_dir / "governance-sighup.yaml"
    path.write_text(free)
    gw = harness.start_gateway(path, log_dir)
    try:
        os.kill(gw.proc.pid, signal.SIGHUP)
        _eventually("the SIGHUP is logged", lambda: "SIGHUP: reloading" in gw.log.read_text(errors="replace"))
        assert gw.proc.poll() is None and _error_code(_echo(gw, "after one SIGHUP")) is None
        before = path.stat()
        path.write_text(limited)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = path.stat()
        assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
        time.sleep(2.5)  # the 1 s poll had its chances and saw nothing new
        assert _error_code(_echo(gw, "not limited yet")) is None
        os.kill(gw.proc.pid, signal.SIGHUP)
        _eventually("the limit from the SIGHUP", lambda: _error_code(_echo(gw, "limited by now?")) == LIMITED)
        assert gw.proc.poll() is None
    finally:
        gw.stop()
