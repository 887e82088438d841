"""Issue 17, hot reload of the gate's keys: an edit of gateway.yaml that revokes an API key, adds
one and rotates the bearer token is in force within seconds on every entry path, without a
restart. A key the gate had already matched (it remembers matches) is refused after its
revocation, on the lean POST path of a session it opened too; the others keep working.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import harness

ALICE = "alice-key-reload-5f0c2b9e81"
BOB = "bob-key-reload-0d6a4c1e97f3"
CAROL = "carol-key-reload-93e1c0a7d2"
OLD_BEARER = "bearer-old-7a1f3e9c2d55"
NEW_BEARER = "bearer-new-2c9d8e7f6a11"
JSON = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def _config(keys: list[dict[str, Any]], bearer: str) -> dict[str, Any]:
    return harness.make_config({"alpha": harness.stdio_backend("alpha")},
                               extra={"auth": {"bearer_token": bearer, "api_keys": keys}})


def _backend_call(gw: harness.Gateway, credential: dict[str, str]) -> int:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                       "params": {"name": "echo", "arguments": {"text": "hi"}}}).encode()
    status, _, _ = harness.raw_request(gw.port, "POST", "/mcp/alpha", {**JSON, **credential}, body)
    return status


def _initialize(gw: harness.Gateway, credential: dict[str, str]) -> int:
    status, _, _ = harness.raw_request(gw.port, "POST", "/mcp", {**JSON, **credential},
                                       json.dumps(harness.initialize_body()).encode())
    return status


def test_keys_and_the_bearer_token_reload_on_every_path(log_dir: Path) -> None:
    path = harness.write_config(log_dir / "key-reload.yaml", _config(
        [{"name": "alice", "key": ALICE}, {"name": "bob", "key": BOB}], OLD_BEARER))
    gw = harness.start_gateway(path, log_dir)
    try:
        bob = {"X-API-Key": BOB}
        assert _backend_call(gw, bob) == 200 and _initialize(gw, bob) == 200
        # A session of bob's on the lean POST path: his key is remembered by the gate.
        with harness.RawSession(gw.url, credentials=bob) as session:
            session.initialize()
            _, _, reply = session.request("tools/call", {"name": "gateway_list_servers", "arguments": {}})
            assert "result" in reply, reply
            assert _initialize(gw, {"X-API-Key": CAROL}) == 401
            assert _initialize(gw, {"Authorization": f"Bearer {OLD_BEARER}"}) == 200

            harness.write_config(path, _config([{"name": "alice", "key": ALICE}, {"name": "carol", "key": CAROL}],
                                               NEW_BEARER))
            deadline = time.monotonic() + 15
            while _initialize(gw, bob) != 401:
                assert time.monotonic() < deadline, "bob's key still admitted after the reload"
                time.sleep(0.2)
            assert _backend_call(gw, bob) == 401
            status, _, _ = harness.raw_request(gw.port, "POST", "/mcp", {
                **JSON, **bob, "Mcp-Session-Id": session.session_id or "", "MCP-Protocol-Version": "2025-06-18"},
                json.dumps({"jsonrpc": "2.0", "id": 9, "method": "tools/call",
                            "params": {"name": "gateway_list_servers", "arguments": {}}}).encode())
            assert status == 401
        assert _initialize(gw, {"X-API-Key": CAROL}) == 200 and _backend_call(gw, {"X-API-Key": CAROL}) == 200
        assert _initialize(gw, {"X-API-Key": ALICE}) == 200
        assert _initialize(gw, {"Authorization": f"Bearer {OLD_BEARER}"}) == 401
        assert _initialize(gw, {"Authorization": f"Bearer {NEW_BEARER}"}) == 200
        log = gw.log.read_text(errors="replace")
        assert "take effect at the next restart" not in log
        for secret in (ALICE, BOB, CAROL, OLD_BEARER, NEW_BEARER):
            assert secret not in log
    finally:
        gw.stop()


def test_authentication_switches_on_and_off_with_the_file(log_dir: Path) -> None:
    """`auth.enabled` reloads too: switched on, a caller without a key is refused on every path
    and /health shows its details to admins only; switched off again, everyone is let in."""
    open_cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    path = harness.write_config(log_dir / "auth-switch.yaml", open_cfg)
    gw = harness.start_gateway(path, log_dir)
    try:
        assert _initialize(gw, {}) == 200 and _backend_call(gw, {}) == 200
        assert "backends" in gw.health()
        on = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"auth": {
            "enabled": True, "api_keys": [{"name": "ops", "key": CAROL, "admin": True}]}})
        harness.write_config(path, on)
        deadline = time.monotonic() + 15
        while _initialize(gw, {}) != 401:
            assert time.monotonic() < deadline, "still open after auth was switched on"
            time.sleep(0.2)
        assert _backend_call(gw, {}) == 401
        status, _, _ = harness.raw_request(gw.port, "GET", "/ws", {
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13", "Sec-WebSocket-Protocol": "mcp"})
        assert status == 401
        assert _initialize(gw, {"X-API-Key": CAROL}) == 200
        # /health stays public (the default public_paths) but shows details to admins only.
        assert "backends" not in gw.health()
        status, _, body = harness.raw_request(gw.port, "GET", "/health", {"X-API-Key": CAROL})
        assert status == 200 and b"backends" in body
        harness.write_config(path, open_cfg)
        while _initialize(gw, {}) != 200:
            assert time.monotonic() < deadline + 15, "still closed after auth was switched off"
            time.sleep(0.2)
        assert _backend_call(gw, {}) == 200 and "backends" in gw.health()
        assert "take effect at the next restart" not in gw.log.read_text(errors="replace")
    finally:
        gw.stop()
