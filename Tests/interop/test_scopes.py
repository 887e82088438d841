"""Issue 15, scopes: what each principal may see and use, on every entry path.

One gateway, two backends (alpha, beta) and four API keys:
- `reader` may use backend alpha only, tools `echo` and `add` but not `alpha:add`, the resource
  `test://alpha/info` only, and no prompt;
- `full` has no rules of its own;
- `ops` (admin) uses the routing profile `no-beta`, which denies backend beta;
- `grouped` has no rules, but `policies.principals.grouped` denies `echo` everywhere.
`security.tool_policy` denies `*:crash` for everyone (plus the reference's default deny list).

For each entry path the official SDK (or a raw request where the wire matters) checks that a
hidden tool, resource, prompt or server does not exist for that principal: it is absent from
tools/list, gateway_list_tools, gateway_search_tools (hits and totals), gateway_list_servers
(and its counts), did-you-mean suggestions, `/mcp/{backend}` listings, resources/list and
prompts/list; calling it answers exactly like calling an unknown name; and the backend's echo
tool, which records every call it serves, never sees a denied call.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import harness

READER = "reader-key-1f4e9a0c2b7d"
FULL = "full-key-8c3b1e5d9a2f"
OPS = "ops-key-6e2d8f1a4c9b"
GROUPED = "grouped-key-3a9c7e1f5b2d"
ACCEPT = "application/json, text/event-stream"

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def record(log_dir: Path) -> Path:
    path = log_dir / "scopes-echo-calls.txt"
    path.write_text("")
    return path


def scopes_config(record: Path, **overrides: Any) -> dict[str, Any]:
    backends = {}
    for name in ("alpha", "beta"):
        b = harness.stdio_backend(name)
        b["env"] = {"INTEROP_CALL_RECORD": str(record)}
        backends[name] = b
    reader = {"name": "reader", "key": READER, "backends": ["alpha"], "allowed_tools": ["echo", "add"],
              "denied_tools": ["alpha:add"], "allowed_resources": ["alpha:test://alpha/info"], "denied_prompts": ["*"]}
    reader.update(overrides)
    return harness.make_config(backends, surfaced=[("alpha", "add"), ("beta", "echo")], extra={
        "auth": {"api_keys": [
            reader,
            {"name": "full", "key": FULL},
            {"name": "ops", "key": OPS, "admin": True, "routing_profile": "no-beta"},
            {"name": "grouped", "key": GROUPED},
        ]},
        "policies": {"principals": {"grouped": {"denied_tools": ["echo"]}}},
        "routing_profiles": {"no-beta": {"description": "everything but beta", "deny_backends": ["beta"]}},
        "security": {"tool_policy": {"deny": ["*:crash"]}},
    })


@pytest.fixture(scope="module")
def gw(log_dir: Path, record: Path) -> Iterator[harness.Gateway]:
    g = harness.start_gateway(harness.write_config(log_dir / "scopes.yaml", scopes_config(record)), log_dir)
    yield g
    g.stop()


def client(gw: harness.Gateway, key: str, mode: str = "legacy") -> Any:
    return harness.keyed_client(gw, key, mode)


def calls_recorded(record: Path, marker: str) -> int:
    return record.read_text().count(marker)


async def test_listings_show_each_principal_its_own_catalog(gw) -> None:
    async with client(gw, READER) as reader, client(gw, FULL) as full:
        reader_tools = {t.name: t for t in (await reader.list_tools()).tools}
        full_tools = {t.name: t for t in (await full.list_tools()).tools}
        # Surfaced alpha/add is denied to reader and beta is hidden: only the meta-tools remain.
        assert set(reader_tools) == {"gateway_list_servers", "gateway_list_tools", "gateway_search_tools", "gateway_invoke"}
        assert {"alpha__add", "beta__echo"} <= set(full_tools)
        # The meta-tools' descriptions count what each principal can see.
        assert "List the 1 MCP servers" in reader_tools["gateway_list_servers"].description
        assert "List the 2 MCP servers" in full_tools["gateway_list_servers"].description
        assert "all 1 tools" in reader_tools["gateway_list_tools"].description

        listed = harness.structured(await reader.call_tool("gateway_list_tools", {}))
        assert [(t["server"], t["name"]) for t in listed["tools"]] == [("alpha", "echo")]
        assert listed["total"] == 1
        everything = harness.structured(await full.call_tool("gateway_list_tools", {}))
        names = {(t["server"], t["name"]) for t in everything["tools"]}
        assert ("beta", "add") in names and ("alpha", "echo") in names
        # tool_policy applies to everyone, admins and unrestricted keys included.
        assert not any(name == "crash" for _, name in names)

        one = harness.structured(await reader.call_tool("gateway_list_tools", {"server": "alpha"}))
        assert [t["name"] for t in one["tools"]] == ["echo"]

        servers = harness.structured(await reader.call_tool("gateway_list_servers", {}))["servers"]
        assert [(s["name"], s["tools"]) for s in servers] == [("alpha", 1)]
        all_servers = harness.structured(await full.call_tool("gateway_list_servers", {}))["servers"]
        assert {s["name"] for s in all_servers} == {"alpha", "beta"}


async def test_search_finds_nothing_hidden(gw) -> None:
    async with client(gw, READER) as reader, client(gw, FULL) as full:
        hidden = harness.structured(await reader.call_tool("gateway_search_tools", {"query": "add two integers sum", "limit": 25}))
        assert all(m["tool"] != "add" and m["server"] == "alpha" for m in hidden["matches"]), hidden
        assert hidden["total"] == len(hidden["matches"])
        shown = harness.structured(await full.call_tool("gateway_search_tools", {"query": "add two integers sum"}))
        assert shown["matches"][0]["tool"] == "add"
        crash = harness.structured(await full.call_tool("gateway_search_tools", {"query": "kill this server process crash", "limit": 25}))
        assert all(m["tool"] != "crash" for m in crash["matches"])


async def test_a_hidden_tool_answers_like_an_unknown_one_and_never_reaches_the_backend(gw, record: Path) -> None:
    async with client(gw, READER) as reader:
        hidden = await harness.invoke(reader, "alpha", "add", {"a": 1, "b": 2})
        unknown = await harness.invoke(reader, "alpha", "no_such_tool", {"a": 1, "b": 2})
        assert hidden.is_error and unknown.is_error
        h, u = hidden.structured_content, unknown.structured_content
        assert h["error"] == u["error"] == "unknown_tool"
        assert harness.text_of(hidden).startswith("Unknown tool 'add' on server 'alpha'.")
        # Nothing hidden is suggested: neither the tool itself nor another server's.
        for answer in (h, u):
            assert all(hit["server"] == "alpha" and hit["tool"] == "echo" for hit in answer["hits"]), answer
            assert "add" not in answer["suggestions"]
        # A hidden server answers as an unknown server, listing only what the caller sees.
        server = await harness.invoke(reader, "beta", "echo", {"text": "scopes-hidden-server"})
        nowhere = await harness.invoke(reader, "gamma", "echo", {"text": "scopes-hidden-server"})
        assert server.structured_content["error"] == nowhere.structured_content["error"] == "unknown_server"
        assert server.structured_content["servers"] == nowhere.structured_content["servers"] == ["alpha"]
        assert harness.text_of(server).replace("'beta'", "'X'") == harness.text_of(nowhere).replace("'gamma'", "'X'")

        listed = await reader.call_tool("gateway_list_tools", {"server": "beta"})
        assert listed.is_error and listed.structured_content["error"] == "unknown_server"
    async with client(gw, GROUPED) as grouped:
        denied = await harness.invoke(grouped, "alpha", "echo", {"text": "scopes-grouped-denied"})
        assert denied.is_error and denied.structured_content["error"] == "unknown_tool"
        allowed = await harness.invoke(grouped, "alpha", "add", {"a": 2, "b": 3})
        assert not allowed.is_error
    async with client(gw, OPS) as ops:
        beta = await harness.invoke(ops, "beta", "echo", {"text": "scopes-ops-beta"})
        assert beta.is_error and beta.structured_content["error"] == "unknown_server"
        crash = await harness.invoke(ops, "alpha", "crash", {})
        assert crash.is_error and crash.structured_content["error"] == "unknown_tool"
    for marker in ("scopes-hidden-server", "scopes-grouped-denied", "scopes-ops-beta"):
        assert calls_recorded(record, marker) == 0, marker
    async with client(gw, FULL) as full:
        ok = await harness.invoke(full, "beta", "echo", {"text": "scopes-full-beta"})
        assert harness.text_of(ok) == "scopes-full-beta"
    assert calls_recorded(record, "scopes-full-beta") == 1


async def test_surfaced_tools_hidden_like_unknown(gw) -> None:
    async with client(gw, READER) as reader, client(gw, FULL) as full:
        from mcp.shared.exceptions import MCPError

        errors = []
        for name in ("beta__echo", "alpha__add", "nothing__here"):
            with pytest.raises(MCPError) as raised:
                await reader.call_tool(name, {"text": "scopes-surfaced", "a": 1, "b": 1})
            errors.append(raised.value.error)
        assert all(e.code == -32602 for e in errors)
        assert [e.message.split(".")[0] for e in errors] == ["Unknown tool: beta__echo", "Unknown tool: alpha__add", "Unknown tool: nothing__here"]
        assert not any("beta__echo" in e.message.split(".", 1)[1] or "alpha__add" in e.message.split(".", 1)[1] for e in errors)
        ok = await full.call_tool("beta__echo", {"text": "scopes-surfaced-full"})
        assert harness.text_of(ok) == "scopes-surfaced-full"


async def test_resources_and_prompts_are_scoped(gw) -> None:
    from mcp.shared.exceptions import MCPError

    async with client(gw, READER) as reader, client(gw, FULL) as full:
        mine = [str(r.uri) for r in (await reader.list_resources()).resources]
        assert len(mine) == 1 and mine[0].startswith("mcp-gateway://alpha/") and "info" in mine[0]
        everyone = [str(r.uri) for r in (await full.list_resources()).resources]
        assert {u for u in everyone if "info" in u} == {u for u in everyone if "info" in u and ("//alpha/" in u or "//beta/" in u)}
        assert len([u for u in everyone if "info" in u]) == 2 and len(everyone) > len(mine)
        assert (await reader.list_resource_templates()).resource_templates == []
        assert len((await full.list_resource_templates()).resource_templates) == 2
        assert (await reader.list_prompts()).prompts == []
        prompts = [p.name for p in (await full.list_prompts()).prompts]
        assert len(prompts) == 2

        text = (await reader.read_resource(mine[0])).contents[0].text
        assert "alpha" in text
        beta_info = next(u for u in everyone if "//beta/" in u and "info" in u)
        with pytest.raises(MCPError) as hidden:
            await reader.read_resource(beta_info)
        nosuch = beta_info.replace("//beta/", "//nosuch/", 1)
        with pytest.raises(MCPError) as unknown:
            await reader.read_resource(nosuch)
        assert hidden.value.error.message.replace(beta_info, "X") == unknown.value.error.message.replace(nosuch, "X")
        with pytest.raises(MCPError) as prompt:
            await reader.get_prompt(prompts[0], {"who": "x"})
        with pytest.raises(MCPError) as no_prompt:
            await reader.get_prompt("no_such_prompt", {"who": "x"})
        assert prompt.value.error.message.replace(prompts[0], "X") == no_prompt.value.error.message.replace("no_such_prompt", "X")
        greeting = await full.get_prompt(prompts[0], {"who": "Ada"})
        assert "Ada" in greeting.messages[0].content.text


def _direct(gw: harness.Gateway, server: str, key: str, method: str, params: dict[str, Any] | None = None) -> httpx.Response:
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method}
    if params is not None:
        body["params"] = params
    return httpx.post(f"{gw.base}/mcp/{server}", json=body, timeout=20,
                      headers={"X-API-Key": key, "Content-Type": "application/json", "Accept": ACCEPT})


def test_direct_endpoint_filters_listings_and_refuses_hidden_names(gw, record: Path) -> None:
    listed = _direct(gw, "alpha", READER, "tools/list").json()["result"]
    assert [t["name"] for t in listed["tools"]] == ["echo"]
    full = _direct(gw, "alpha", FULL, "tools/list").json()["result"]
    assert "add" in [t["name"] for t in full["tools"]] and "crash" not in [t["name"] for t in full["tools"]]
    hidden = _direct(gw, "alpha", READER, "tools/call", {"name": "add", "arguments": {"a": 1, "b": 2}}).json()
    assert hidden["error"]["message"] == "Unknown tool: add"
    resources = _direct(gw, "alpha", READER, "resources/list").json()["result"]
    assert [r["uri"] for r in resources["resources"]] == ["test://alpha/info"]
    assert _direct(gw, "alpha", READER, "prompts/list").json()["result"]["prompts"] == []
    denied_read = _direct(gw, "alpha", READER, "resources/read", {"uri": "test://alpha/items/x"}).json()
    assert denied_read["error"]["message"] == "Unknown resource: test://alpha/items/x"
    completion = _direct(gw, "alpha", READER, "completion/complete",
                         {"ref": {"type": "ref/prompt", "name": "greet"}, "argument": {"name": "who", "value": "A"}}).json()
    assert completion["error"]["message"] == "Unknown prompt: greet"
    # A hidden backend is an unknown backend, suggestions included.
    beta = _direct(gw, "beta", READER, "tools/list")
    nosuch = _direct(gw, "betx", READER, "tools/list")
    assert beta.status_code == nosuch.status_code == 404
    assert "beta" not in nosuch.json()["error"]["message"]
    echo = _direct(gw, "beta", READER, "tools/call", {"name": "echo", "arguments": {"text": "scopes-direct-beta"}})
    assert echo.status_code == 404
    assert calls_recorded(record, "scopes-direct-beta") == 0


def test_modern_era_listings_are_marked_private(gw) -> None:
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"}}
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}}
    headers = {"content-type": "application/json", "accept": ACCEPT, "mcp-protocol-version": "2026-07-28",
               "mcp-method": "tools/list", "X-API-Key": READER}
    result = httpx.post(gw.url, json=body, headers=headers, timeout=10).json()["result"]
    assert result["cacheScope"] == "private"
    assert {t["name"] for t in result["tools"]} == {"gateway_list_servers", "gateway_list_tools", "gateway_search_tools", "gateway_invoke"}


async def test_legacy_sse_and_websocket_front_ends_apply_the_same_scopes(gw) -> None:
    from mcp import Client
    from mcp.client.sse import sse_client

    async with Client(sse_client(f"{gw.base}/sse", headers={"X-API-Key": READER}), read_timeout_seconds=30) as sse:
        listed = harness.structured(await sse.call_tool("gateway_list_tools", {}))
        assert [(t["server"], t["name"]) for t in listed["tools"]] == [("alpha", "echo")]
        hidden = await harness.invoke(sse, "alpha", "add", {"a": 1, "b": 2})
        assert hidden.is_error and hidden.structured_content["error"] == "unknown_tool"
    import websockets

    async with websockets.connect(f"ws://127.0.0.1:{gw.port}/ws", subprotocols=["mcp"],
                                  additional_headers={"X-API-Key": READER}) as ws:
        await ws.send(json.dumps(harness.initialize_body()))
        json.loads(await ws.recv())
        await ws.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                  "params": {"name": "gateway_list_tools", "arguments": {}}}))
        answer = json.loads(await ws.recv())
        assert [(t["server"], t["name"]) for t in answer["result"]["structuredContent"]["tools"]] == [("alpha", "echo")]


async def test_the_stdio_principal_has_its_policies(log_dir: Path, record: Path) -> None:
    """stdio's principal is `auth.stdio_principal`; `policies.principals` applies to it too."""
    from mcp import Client
    from mcp.client.stdio import stdio_client

    cfg = scopes_config(record)
    cfg["auth"]["stdio_principal"] = "desk"
    cfg["policies"]["principals"]["desk"] = {"backends": ["beta"], "denied_tools": ["add"]}
    config = harness.write_config(log_dir / "scopes-stdio.yaml", cfg)
    with open(log_dir / "scopes-stdio.stderr.log", "w") as errlog:
        async with Client(stdio_client(harness.gateway_stdio_params(config), errlog=errlog), read_timeout_seconds=30) as desk:
            tools = {t.name for t in (await desk.list_tools()).tools}
            assert "beta__echo" in tools and "alpha__add" not in tools
            listed = harness.structured(await desk.call_tool("gateway_list_tools", {}))
            names = {(t["server"], t["name"]) for t in listed["tools"]}
            assert ("beta", "echo") in names and not any(s == "alpha" or n in ("add", "crash") for s, n in names)
            hidden = await harness.invoke(desk, "alpha", "echo", {"text": "scopes-stdio-alpha"})
            assert hidden.structured_content["error"] == "unknown_server"
    assert calls_recorded(record, "scopes-stdio-alpha") == 0


async def test_scopes_reload_with_the_config_file(log_dir: Path, record: Path) -> None:
    """An edited gateway.yaml changes what a key sees within about a second, without a restart;
    a broken edit changes nothing and is logged with its line."""
    import anyio

    path = harness.write_config(log_dir / "scopes-reload.yaml", scopes_config(record))
    g = harness.start_gateway(path, log_dir)
    try:
        async def reader_tools() -> set[tuple[str, str]]:
            async with client(g, READER) as reader:
                listed = harness.structured(await reader.call_tool("gateway_list_tools", {}))
                return {(t["server"], t["name"]) for t in listed["tools"]}

        async def eventually(expected: set[tuple[str, str]]) -> None:
            with anyio.fail_after(10):
                while await reader_tools() != expected:
                    await anyio.sleep(0.2)

        assert await reader_tools() == {("alpha", "echo")}
        harness.write_config(path, scopes_config(record, denied_tools=[], backends=["*"]))
        await eventually({("alpha", "echo"), ("alpha", "add"), ("beta", "echo"), ("beta", "add")})
        async with client(g, READER) as reader:
            ok = await harness.invoke(reader, "beta", "add", {"a": 2, "b": 2})
            assert not ok.is_error
        # A mistake in the file: refused whole, with its line; the rules in force stay.
        path.write_text(path.read_text() + "\npolicys:\n  teams: {}\n")
        with anyio.fail_after(10):
            while "config reload refused" not in g.log.read_text(errors="replace"):
                await anyio.sleep(0.2)
        assert "unknown top-level key 'policys'; did you mean 'policies'?" in g.log.read_text(errors="replace")
        assert len(await reader_tools()) == 4
        # Back to the original rules.
        harness.write_config(path, scopes_config(record))
        await eventually({("alpha", "echo")})
    finally:
        g.stop()
