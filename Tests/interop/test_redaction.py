"""Issue 15, secret redaction (the firewall's first part): credentials in what backends answer
are replaced with `[redacted:<kind>]` before the client sees them, on every entry path.

The `alpha` backend's `leak` tool returns a planted (fake) AWS key, GitHub token, private key
block, JWT or labelled AWS secret key; its `credentials` resource is a fake AWS credentials
file; `getenv` returns a value the gateway itself configured in the backend's env; `echo`
returns whatever it is sent, here the caller's own API key. The official SDK client sees the
replacement through `gateway_invoke`, a surfaced tool, `/mcp/{backend}` (tools/call and
resources/read) and `resources/read` on `/mcp`; the gateway's log names the kinds, never the
values. With `security.firewall.credential_redaction: false` the values pass unchanged.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

import harness

sys.path.insert(0, str(Path(__file__).parent / "servers"))
from server import planted_secret  # noqa: E402

ALICE = "alice-key-5f0c2b9e81d44a7f"
ENV_SECRET = "backend-env-secret-7731"
KINDS = ["aws_access_key", "aws_secret_key", "github_token", "private_key", "jwt"]
AUTH = {"X-API-Key": ALICE}


def _value(kind: str) -> str:
    """The credential itself (the secret key without its label)."""
    return planted_secret(kind).split(" = ")[-1]


def _config(log_dir: Path, name: str, firewall: dict[str, Any] | None) -> Path:
    backend = harness.stdio_backend("alpha", env={"LEAK_TOKEN": ENV_SECRET})
    extra: dict[str, Any] = {"auth": {"enabled": True, "api_keys": [{"name": "alice", "key": ALICE}]}}
    if firewall is not None:
        extra["security"] = {"firewall": firewall}
    cfg = harness.make_config({"alpha": backend}, surfaced=[("alpha", "leak")], extra=extra)
    return harness.write_config(log_dir / name, cfg)


@pytest.fixture(scope="module")
def gw(log_dir: Path) -> Iterator[harness.Gateway]:
    # No firewall section: redaction is on by default.
    g = harness.start_gateway(_config(log_dir, "redaction-on.yaml", None), log_dir)
    yield g
    g.stop()


@pytest.fixture(scope="module")
def gw_off(log_dir: Path) -> Iterator[harness.Gateway]:
    g = harness.start_gateway(_config(log_dir, "redaction-off.yaml", {"credential_redaction": False}), log_dir)
    yield g
    g.stop()


def _sdk(gw: harness.Gateway, action: Any, mode: str = "legacy") -> Any:
    async def run() -> Any:
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        async with httpx.AsyncClient(headers=AUTH, timeout=30) as http:
            async with Client(streamable_http_client(gw.url, http_client=http), mode=mode, read_timeout_seconds=30) as client:
                return await action(client)

    return anyio.run(run)


def _invoke_text(gw: harness.Gateway, tool: str, arguments: dict[str, Any], mode: str = "legacy") -> str:
    async def action(client: Any) -> str:
        result = await harness.invoke(client, "alpha", tool, arguments)
        assert not result.is_error, harness.text_of(result)
        return harness.text_of(result)

    return _sdk(gw, action, mode)


def _direct(gw: harness.Gateway, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """One request to `/mcp/alpha` (the backend's own names and URIs); the JSON-RPC answer."""
    r = httpx.post(f"{gw.base}/mcp/alpha", headers={**AUTH, "Content-Type": "application/json",
                                                    "Accept": "application/json, text/event-stream"},
                   json={"jsonrpc": "2.0", "id": 7, "method": method, "params": params}, timeout=30)
    assert r.status_code == 200, r.text[:500]
    return harness.final_response(harness.response_messages(r), 7)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
@pytest.mark.parametrize("kind", KINDS)
def test_gateway_invoke_sees_the_replacement(gw: harness.Gateway, kind: str, mode: str) -> None:
    text = _invoke_text(gw, "leak", {"kind": kind}, mode)
    assert f"[redacted:{kind}]" in text, text
    assert _value(kind) not in text
    # The rest of the answer is untouched.
    assert text.startswith("here it is: ") and text.endswith(f"(kind {kind})"), text


def test_a_surfaced_tool_sees_the_replacement(gw: harness.Gateway) -> None:
    async def action(client: Any) -> str:
        return harness.text_of(await client.call_tool("alpha__leak", {"kind": "github_token"}))

    text = _sdk(gw, action)
    assert text == "here it is: [redacted:github_token] (kind github_token)", text


def test_mcp_backend_tools_call_and_resources_read(gw: harness.Gateway) -> None:
    answer = _direct(gw, "tools/call", {"name": "leak", "arguments": {"kind": "private_key"}})
    text = answer["result"]["content"][0]["text"]
    assert text == "here it is: [redacted:private_key] (kind private_key)", text
    answer = _direct(gw, "resources/read", {"uri": "test://alpha/credentials"})
    text = answer["result"]["contents"][0]["text"]
    assert text == "[default]\naws_access_key_id = [redacted:aws_access_key]\naws_secret_access_key = [redacted:aws_secret_key]\n", text


def test_resources_read_on_mcp_sees_the_replacement(gw: harness.Gateway) -> None:
    async def action(client: Any) -> str:
        listed = await client.list_resources()
        uri = next(r.uri for r in listed.resources if r.name == "alpha-credentials")
        read = await client.read_resource(uri)
        return read.contents[0].text

    text = _sdk(gw, action)
    assert "[redacted:aws_access_key]" in text and "[redacted:aws_secret_key]" in text, text
    assert _value("aws_access_key") not in text and _value("aws_secret_key") not in text


def test_the_gateways_own_secrets_are_redacted(gw: harness.Gateway) -> None:
    """A value the gateway configured (a backend's env credential, a caller's API key) coming
    back in a result: replaced as `gateway_secret`."""
    assert _invoke_text(gw, "getenv", {"name": "LEAK_TOKEN"}) == "[redacted:gateway_secret]"
    assert _invoke_text(gw, "echo", {"text": f"my key is {ALICE}"}) == "my key is [redacted:gateway_secret]"
    # Ordinary text is relayed as it came.
    assert _invoke_text(gw, "echo", {"text": "commit 3f786850e387550fdab836ed7e6dc881de23001b"}) \
        == "commit 3f786850e387550fdab836ed7e6dc881de23001b"


def test_the_log_names_kinds_never_values(gw: harness.Gateway) -> None:
    _invoke_text(gw, "leak", {"kind": "jwt"})
    log = gw.log.read_text(errors="replace")
    lines = [line for line in log.splitlines() if "redacted credentials" in line]
    assert any("redacted=jwt=1" in line and "tool=leak" in line and "server=alpha" in line for line in lines), lines[-5:]
    for kind in KINDS:
        assert _value(kind) not in log, f"a planted {kind} reached the log"
    assert ENV_SECRET not in log


def test_with_redaction_off_the_values_pass(gw_off: harness.Gateway) -> None:
    for kind in ["aws_access_key", "github_token", "private_key"]:
        text = _invoke_text(gw_off, "leak", {"kind": kind})
        assert text == f"here it is: {planted_secret(kind)} (kind {kind})"
    assert _invoke_text(gw_off, "getenv", {"name": "LEAK_TOKEN"}) == ENV_SECRET
    answer = _direct(gw_off, "resources/read", {"uri": "test://alpha/credentials"})
    assert _value("aws_access_key") in answer["result"]["contents"][0]["text"]


def test_the_json_answers_stay_valid_and_exact(gw: harness.Gateway) -> None:
    """Raw bytes from the gateway parse, and nothing but the credential changed."""
    answer = _direct(gw, "tools/call", {"name": "leak", "arguments": {"kind": "jwt"}})
    assert answer["result"]["content"] == [{"type": "text", "text": "here it is: [redacted:jwt] (kind jwt)"}]
    assert answer["result"].get("isError") in (None, False)
    json.dumps(answer)


def test_log_messages_and_questions_from_the_backend_are_redacted(gw: harness.Gateway) -> None:
    """What a backend sends the client during a call, not only its answer: a log message and an
    elicitation question carrying a credential reach the SDK client redacted."""
    from mcp import types

    key = _value("aws_access_key")
    logged: list[str] = []
    asked: list[str] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logged.append(str(params.data))

    async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action="accept", content={"answer": "yes"})

    async def run() -> None:
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        async with httpx.AsyncClient(headers=AUTH, timeout=30) as http:
            async with Client(streamable_http_client(gw.url, http_client=http), mode="legacy", read_timeout_seconds=30,
                              logging_callback=on_log, elicitation_callback=on_elicit) as client:
                await client.set_logging_level("info")
                logged_back = await harness.invoke(client, "alpha", "log_echo", {"text": f"using {key} now"})
                answered = await harness.invoke(client, "alpha", "ask", {"question": f"is {key} yours?"})
                with anyio.fail_after(5):
                    while not logged:
                        await anyio.sleep(0.05)
                return harness.text_of(logged_back), harness.text_of(answered)

    result_text, answer_text = anyio.run(run)
    assert result_text == "using [redacted:aws_access_key] now"
    assert logged == ["using [redacted:aws_access_key] now"], logged
    assert asked == ["is [redacted:aws_access_key] yours?"], asked
    assert "yes" in answer_text
    assert key not in gw.log.read_text(errors="replace")
