"""Capabilities in the gateway's catalog: the built-in starter pack and a directory of YAML
files next to MCP backends; search, invoke against a loopback API, hot reload with
tools/list_changed, a broken file reported while the rest keeps working, and SSRF refusal."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest

import harness
from harness import gw_client, invoke, structured, text_of

pytestmark = pytest.mark.anyio

CAPABILITY = """\
name: {name}
description: {description}
schema:
  input:
    type: object
    properties:
      city:
        type: string
        description: City name
    required: [city]
providers:
  primary:
    service: rest
    config:
      base_url: http://{host}:{port}
      path: /cities/{{city}}
      method: GET
metadata:
  category: test
  tags: [{tag}]
  read_only: true
"""


class Api(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        Api.seen.append(self.path)
        body = json.dumps({"path": self.path, "population": 42}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def write_capability(directory: Path, name: str, port: int, *, host: str = "127.0.0.1",
                     description: str = "Population of a city", tag: str = "population") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(CAPABILITY.format(name=name, description=description, host=host, port=port, tag=tag))
    return path


@pytest.fixture(scope="module")
def env(log_dir: Path, api: int, tmp_path_factory: pytest.TempPathFactory):
    capdir = tmp_path_factory.mktemp("capabilities")
    write_capability(capdir, "city_population", api)
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={
        "capabilities": {"directories": [str(capdir)]},
        "security": {"ssrf_allow": ["127.0.0.1"]},
    })
    gw = harness.start_gateway(harness.write_config(log_dir / "capabilities.yaml", cfg), log_dir)
    try:
        yield {"gw": gw, "dir": capdir, "port": api}
    finally:
        gw.stop()


async def test_capabilities_are_a_server_in_the_catalog(env) -> None:
    async with gw_client(env["gw"]) as c:
        servers = {s["name"]: s for s in structured(await c.call_tool("gateway_list_servers", {}))["servers"]}
        assert servers["capabilities"]["transport"] == "capability"
        assert servers["capabilities"]["tools"] >= 71  # the starter pack plus our file
        listed = structured(await c.call_tool("gateway_list_tools", {"server": "capabilities"}))
        names = {t["name"] for t in listed["tools"]}
        assert "city_population" in names and "wikidata_search" in names


async def test_search_and_invoke_a_capability(env) -> None:
    async with gw_client(env["gw"]) as c:
        found = structured(await c.call_tool("gateway_search_tools", {"query": "population of a city"}))
        top = found["matches"][0]
        assert (top["server"], top["tool"]) == ("capabilities", "city_population")
        assert "city" in json.dumps(top["inputSchema"])
        result = await invoke(c, "capabilities", "city_population", {"city": "São Paulo/Centro"})
    assert not result.is_error, text_of(result)
    assert "population" in text_of(result)
    # The path value was URL-encoded, slash included.
    assert Api.seen[-1] == "/cities/S%C3%A3o%20Paulo%2FCentro"


async def test_capability_argument_validation(env) -> None:
    async with gw_client(env["gw"]) as c:
        result = await invoke(c, "capabilities", "city_population", {})
    assert result.is_error and "city" in text_of(result)


async def test_hot_reload_adds_a_tool_and_notifies(env) -> None:
    notified = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(getattr(message, "root", message), types.ToolListChangedNotification):
            notified.set()

    async with gw_client(env["gw"], message_handler=on_message) as c:
        await c.call_tool("gateway_list_servers", {})
        started = time.monotonic()
        write_capability(env["dir"], "river_length", env["port"], description="Length of a river", tag="rivers")
        await harness.search_until_top(c, "length of a river", "river_length", timeout=5, pause=0.02)
        elapsed_ms = (time.monotonic() - started) * 1000
        with anyio.fail_after(5):
            await notified.wait()
    print(f"capability hot reload: file write -> searchable in {elapsed_ms:.0f} ms")
    assert elapsed_ms < 2000


async def test_broken_file_is_reported_and_others_keep_working(env) -> None:
    (env["dir"] / "broken.yaml").write_text("name: broken\ndescripton: typo\n")
    time.sleep(0.5)
    health = env["gw"].health()
    assert "broken" in (health["backends"]["capabilities"]["last_error"] or ""), health
    async with gw_client(env["gw"]) as c:
        result = await invoke(c, "capabilities", "city_population", {"city": "Oslo"})
    assert not result.is_error, text_of(result)
    (env["dir"] / "broken.yaml").unlink()


async def test_private_addresses_are_refused_unless_allowed(env) -> None:
    write_capability(env["dir"], "sneaky", env["port"], host="127.0.0.2", description="Sneaky internal call")
    async with gw_client(env["gw"]) as c:
        with anyio.fail_after(5):
            while "sneaky" not in {t["name"] for t in structured(
                    await c.call_tool("gateway_list_tools", {"server": "capabilities"}))["tools"]}:
                await anyio.sleep(0.05)
        result = await invoke(c, "capabilities", "sneaky", {"city": "x"})
    assert result.is_error and "ssrf_allow" in text_of(result)
