"""Issue 14: a verified client certificate is a principal at the gate.

With `mtls` requiring client certificates and no `auth`, the certificate's name is the caller:
sessions belong to it (another certificate presenting the id gets 404) and only
`admin_principals` see the full `/health`. With client certificates optional and API keys
configured, a certificate alone admits its holder, nothing at all gets 401, and a token, when
sent, is what decides (a wrong one is refused over a good certificate).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

import harness
from test_tls import certs, client_context, tls_config  # noqa: F401  (certs is a fixture)

KEY = "mtls-gate-key-4d2a9c7e1b"
JSON = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def _initialize(gw: harness.Gateway, ctx: Any, **headers: str) -> httpx.Response:
    return httpx.post(gw.url, json=harness.initialize_body(), headers={**JSON, **headers}, verify=ctx, timeout=10)


def test_a_required_certificate_names_the_caller(certs: Path, log_dir: Path) -> None:  # noqa: F811
    config = tls_config(log_dir, "mtls-gate-required", {
        "server_cert": str(certs / "server.pem"), "server_key": str(certs / "server.key"),
        "ca_cert": str(certs / "ca.pem"), "admin_principals": ["alice"],
    })
    alice, bob = client_context(certs, "alice"), client_context(certs, "bob")
    with harness.running_gateway(config, log_dir, tls=alice) as gw:
        r = _initialize(gw, alice)
        assert r.status_code == 200, r.text
        session = {"Mcp-Session-Id": r.headers["mcp-session-id"], "MCP-Protocol-Version": "2025-11-25"}
        ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
        theirs = httpx.post(gw.url, json=ping, headers={**JSON, **session}, verify=bob, timeout=10)
        assert theirs.status_code == 404 and "Session not found" in theirs.text
        mine = httpx.post(gw.url, json=ping, headers={**JSON, **session}, verify=alice, timeout=10)
        assert mine.status_code == 200, mine.text
        assert "alpha" in httpx.get(f"{gw.base}/health", verify=alice, timeout=10).json()["backends"]
        assert set(httpx.get(f"{gw.base}/health", verify=bob, timeout=10).json()) == {"status"}
        assert "principal=alice" in gw.log.read_text(errors="replace")


def test_an_optional_certificate_or_a_key_admits(certs: Path, log_dir: Path) -> None:  # noqa: F811
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={
        "mtls": {"server_cert": str(certs / "server.pem"), "server_key": str(certs / "server.key"),
                 "ca_cert": str(certs / "ca.pem"), "require_client_cert": False},
        "auth": {"api_keys": [{"name": "svc", "key": KEY}]},
    })
    config = harness.write_config(log_dir / "mtls-gate-optional.yaml", cfg)
    anonymous, alice = client_context(certs), client_context(certs, "alice")
    with harness.running_gateway(config, log_dir, tls=anonymous) as gw:
        refused = _initialize(gw, anonymous)
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer realm=")
        assert _initialize(gw, anonymous, **{"X-API-Key": KEY}).status_code == 200
        assert _initialize(gw, alice).status_code == 200
        assert _initialize(gw, alice, Authorization="Bearer not-the-key-0000000000").status_code == 401
        assert json.loads(httpx.get(f"{gw.base}/health", verify=alice, timeout=10).text).keys() == {"status"}


def test_a_required_certificate_that_names_nobody_is_refused(certs: Path, log_dir: Path) -> None:  # noqa: F811
    """Bob's certificate has no SAN email: under `client_principal: san_email` it names nobody,
    and must not make him the anonymous administrator."""
    config = tls_config(log_dir, "mtls-gate-nameless", {
        "server_cert": str(certs / "server.pem"), "server_key": str(certs / "server.key"),
        "ca_cert": str(certs / "ca.pem"), "client_principal": "san_email",
    })
    bob, alice = client_context(certs, "bob"), client_context(certs, "alice")
    with harness.running_gateway(config, log_dir, tls=alice) as gw:
        refused = _initialize(gw, bob)
        assert refused.status_code == 403 and "names no principal" in refused.text
        assert httpx.get(f"{gw.base}/ready", verify=bob, timeout=10).status_code == 200
        assert _initialize(gw, alice).status_code == 200
