"""Issue 14: the gateway as an OAuth 2.1 resource server, at the one gate.

A local issuer (servers/oauth_issuer.py: RFC 8414 metadata, a JWKS with RS256 and ES256 keys, and
a test-only mint of good and bad tokens) and a gateway that accepts its JWTs for the audience
`http://127.0.0.1:PORT/mcp` with a required scope. Every bad kind of token is sent on every entry
path: each gets 401 with `WWW-Authenticate: Bearer ... resource_metadata=...` and reaches no
backend (the echo tool records every call it serves). A token without the scope gets 403
`insufficient_scope`. Good tokens, RS256 and ES256, work with the official SDK client in both
eras; a key added to the JWKS after start is picked up; RFC 9728 metadata is served; a flood of
unknown key ids does not make the gateway hammer the issuer; tokens never reach the log or a
backend; and the SDK's own OAuth client finds its way from the 401 to a token and a tool call.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

import harness
from oauth_fixture import BAD_TOKENS, Issuer, oauth_config, running_issuer
from test_auth_gate import ALICE, JSON, PATHS, _attempt, _raw, _rpc

SCOPE = "mcp:tools"


@pytest.fixture(scope="module")
def record(log_dir: Path) -> Path:
    path = log_dir / "oauth-echo-calls.txt"
    path.write_text("")
    return path


@pytest.fixture(scope="module")
def issuer_and_gateway(log_dir: Path, record: Path) -> Iterator[tuple[Issuer, harness.Gateway]]:
    port = harness.free_port()
    web = harness.start_http_backend("web", "streamable-http", log_dir)
    with running_issuer(f"http://127.0.0.1:{port}/mcp", log_dir) as issuer:
        backend = harness.stdio_backend("alpha")
        backend["env"] = {"INTEROP_CALL_RECORD": str(record)}
        # An API key too: the probe helper opens Alice's sessions with it.
        cfg = harness.make_config({"alpha": backend, "web": harness.http_backend(web, "streamable_http")}, port=port, extra={"auth": {
            "api_keys": [{"name": "alice", "key": ALICE}],
            # The shortest unknown-kid refetch interval, so the rotation test waits seconds, not a minute.
            "oauth": oauth_config(issuer, required_scopes=[SCOPE], admin_groups=["ops"], refetch_interval="10s"),
        }})
        gw = harness.start_gateway(harness.write_config(log_dir / "oauth-gate.yaml", cfg), log_dir, port=port)
        try:
            yield issuer, gw
        finally:
            gw.stop()
            harness.kill_group(web.proc)
        # Every JWT starts with the base64url of '{"': none, good or bad, reached the log.
        assert "eyJ" not in gw.log.read_text(errors="replace"), "a token reached the gateway log"


@pytest.fixture(scope="module")
def issuer(issuer_and_gateway: tuple[Issuer, harness.Gateway]) -> Issuer:
    return issuer_and_gateway[0]


@pytest.fixture(scope="module")
def gw(issuer_and_gateway: tuple[Issuer, harness.Gateway]) -> harness.Gateway:
    return issuer_and_gateway[1]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("bad", BAD_TOKENS)
@pytest.mark.parametrize("path", PATHS)
def test_every_bad_token_is_refused_on_every_entry_path(issuer: Issuer, gw: harness.Gateway, record: Path,
                                                        path: str, bad: str) -> None:
    token = issuer.mint({"scope": SCOPE}, bad=bad)
    status, head = _attempt(gw, path, _bearer(token))
    assert status == 401, f"{path} with {bad}: {status} {head[:300]!r}"
    lowered = head.lower()
    assert b'www-authenticate: bearer realm="mcp-gateway"' in lowered, head
    assert f'resource_metadata="http://127.0.0.1:{gw.port}/.well-known/oauth-protected-resource/mcp"'.encode() in head, head
    assert record.read_text() == "", "a refused token reached the backend"


@pytest.mark.parametrize("path", PATHS)
def test_a_token_without_the_required_scope_gets_403(issuer: Issuer, gw: harness.Gateway, record: Path, path: str) -> None:
    status, head = _attempt(gw, path, _bearer(issuer.mint({"scope": "other:scope"})))
    assert status == 403, f"{path}: {status} {head[:300]!r}"
    assert b'error="insufficient_scope"' in head and SCOPE.encode() in head, head
    assert record.read_text() == ""


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
def test_the_sdk_client_works_with_a_good_token(issuer: Issuer, gw: harness.Gateway, alg: str, mode: str) -> None:
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    token = issuer.mint({"scope": f"{SCOPE} other", "sub": f"agent-{alg}"}, alg=alg)

    async def run() -> str:
        async with httpx.AsyncClient(headers=_bearer(token), timeout=30) as http:
            async with Client(streamable_http_client(gw.url, http_client=http), mode=mode, read_timeout_seconds=30) as client:
                return harness.text_of(await harness.invoke(client, "alpha", "echo", {"text": f"jwt-{alg}-{mode}"}))

    assert anyio.run(run) == f"jwt-{alg}-{mode}"
    assert token not in gw.log.read_text(errors="replace")


def test_a_session_belongs_to_its_token_subject(issuer: Issuer, gw: harness.Gateway) -> None:
    port = gw.port
    carol = _bearer(issuer.mint({"scope": SCOPE, "sub": "carol"}))
    dave = _bearer(issuer.mint({"scope": SCOPE, "sub": "dave"}))
    status, head, _ = _raw(port, "POST", "/mcp", {**JSON, **carol}, json.dumps(harness.initialize_body()).encode())
    assert status == 200
    sid = next(line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n") if line.lower().startswith(b"mcp-session-id:"))
    session = {"Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"}
    status, _, body = _raw(port, "POST", "/mcp", {**JSON, **session, **dave}, _rpc("ping"))
    assert status == 404 and b"Session not found" in body
    # A fresh token of the same subject (other scopes, new expiry) keeps the session.
    again = _bearer(issuer.mint({"scope": f"{SCOPE} extra", "sub": "carol"}))
    assert _raw(port, "POST", "/mcp", {**JSON, **session, **again}, _rpc("ping"))[0] == 200


def test_admin_groups_see_the_health_report(issuer: Issuer, gw: harness.Gateway) -> None:
    ops = httpx.get(f"{gw.base}/health", headers=_bearer(issuer.mint({"scope": SCOPE, "groups": ["ops"]})), timeout=10)
    assert "alpha" in ops.json()["backends"]
    user = httpx.get(f"{gw.base}/health", headers=_bearer(issuer.mint({"scope": SCOPE, "groups": ["dev"]})), timeout=10)
    assert set(user.json()) == {"status"}


def test_protected_resource_metadata_is_served(issuer: Issuer, gw: harness.Gateway) -> None:
    for path in ("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"):
        r = httpx.get(f"{gw.base}{path}", timeout=10)
        assert r.status_code == 200, path
        doc = r.json()
        assert doc["resource"] == f"http://127.0.0.1:{gw.port}/mcp"
        assert doc["authorization_servers"] == [issuer.url]
        assert SCOPE in doc["scopes_supported"]


def test_unknown_kids_do_not_flood_the_issuer_and_a_rotated_key_is_picked_up(issuer: Issuer, gw: harness.Gateway) -> None:
    initialize = json.dumps(harness.initialize_body()).encode()
    before = issuer.hits("/jwks")
    for _ in range(20):
        forged = issuer.mint({"scope": SCOPE}, bad="unknown_kid")
        assert _raw(gw.port, "POST", "/mcp", {**JSON, **_bearer(forged)}, initialize)[0] == 401
    assert issuer.hits("/jwks") - before <= 1, "unknown key ids made the gateway refetch the JWKS more than once an interval"
    # A key the issuer starts using is fetched on its first token once the interval (10 s) allows.
    kid = issuer.rotate()
    token = issuer.mint({"scope": SCOPE}, kid=kid)
    deadline = time.monotonic() + 15
    while (status := _raw(gw.port, "POST", "/mcp", {**JSON, **_bearer(token)}, initialize)[0]) != 200:
        assert status == 401 and time.monotonic() < deadline, status
        time.sleep(0.5)


def test_tokens_are_not_passed_to_backends(issuer: Issuer, gw: harness.Gateway) -> None:
    """No token passthrough: an HTTP backend sees the gateway's own request headers, never the
    client's Authorization, whether the call came through gateway_invoke or /mcp/{backend}."""
    token = issuer.mint({"scope": SCOPE})
    with harness.RawSession(gw.url, credentials=_bearer(token)) as s:
        s.initialize()
        _, _, reply = s.request("tools/call", {"name": "gateway_invoke",
                                               "arguments": {"server": "web", "tool": "request_headers", "arguments": {}}})
    seen = json.loads(reply["result"]["content"][0]["text"])
    status, _, body = _raw(gw.port, "POST", "/mcp/web", {**JSON, **_bearer(token)},
                           _rpc("tools/call", name="request_headers", arguments={}))
    assert status == 200, body[:300]
    direct = json.loads(json.loads(body)["result"]["content"][0]["text"])
    for headers in (seen, direct):
        assert headers and "authorization" not in {k.lower() for k in headers}, headers
        assert token not in json.dumps(headers)


def test_the_sdk_oauth_client_finds_the_issuer_and_gets_in(issuer: Issuer, gw: harness.Gateway) -> None:
    """What MCP clients with OAuth support do: the SDK's OAuthClientProvider meets the 401,
    follows `resource_metadata` to the RFC 9728 document, discovers the issuer (RFC 8414),
    registers (RFC 7591), runs the authorization-code flow with PKCE asking for this gateway as
    the resource (RFC 8707), and calls a tool with the token it got. The issuer approves at once;
    the redirect handler follows its 302 and hands the code to the callback handler."""
    import httpx2
    from mcp import Client
    from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

    httpx.post(issuer.url + "/grant", json={"scope": SCOPE}, timeout=10).raise_for_status()

    class Memory:
        tokens: OAuthToken | None = None
        client: OAuthClientInformationFull | None = None

        async def get_tokens(self) -> OAuthToken | None:
            return self.tokens

        async def set_tokens(self, tokens: OAuthToken) -> None:
            self.tokens = tokens

        async def get_client_info(self) -> OAuthClientInformationFull | None:
            return self.client

        async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
            self.client = client_info

    codes: list[AuthorizationCodeResult] = []

    async def redirect(url: str) -> None:
        async with httpx2.AsyncClient() as http:
            answer = await http.get(url)
        assert answer.status_code == 302, answer.text
        query = dict(httpx.URL(answer.headers["location"]).params)
        codes.append(AuthorizationCodeResult(code=query["code"], state=query.get("state")))

    async def callback() -> AuthorizationCodeResult:
        return codes.pop()

    storage = Memory()
    provider = OAuthClientProvider(
        gw.url,
        OAuthClientMetadata(client_name="interop", redirect_uris=["http://127.0.0.1:9/callback"],
                            grant_types=["authorization_code"], response_types=["code"], scope=SCOPE,
                            token_endpoint_auth_method="none"),
        storage, redirect_handler=redirect, callback_handler=callback)

    async def run() -> str:
        async with httpx2.AsyncClient(auth=provider, timeout=30) as http:
            async with Client(streamable_http_client(gw.url, http_client=http), mode="legacy", read_timeout_seconds=30) as client:
                return harness.text_of(await harness.invoke(client, "alpha", "echo", {"text": "via-oauth-flow"}))

    try:
        assert anyio.run(run) == "via-oauth-flow"
    finally:
        httpx.post(issuer.url + "/grant", json={"scope": ""}, timeout=10)
    assert storage.tokens is not None and storage.client is not None
    assert issuer.hits("/register") == 1 and issuer.hits("/token") == 1
