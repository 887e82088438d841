"""The nginx recipe of docs/deploy.md, run as written (issue 20, packaging): the test takes the
`nginx` block from the doc, points it at a gateway on loopback, a certificate of its own CA and a
free port, and starts real nginx (Debian's package; scripts/setup-test-env.sh installs it). The
official SDK then works through it over TLS: Streamable HTTP in both eras, with progress arriving
as it is sent (the recipe turns buffering off; a buffering proxy would hold the stream back until
the call ends), legacy SSE, and the WebSocket front end through the upgrade."""
from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from websockets.asyncio.client import connect

import harness
from test_tls import make_ca, make_leaf

pytestmark = pytest.mark.anyio

DEPLOY = harness.HERE.parents[1] / "docs" / "deploy.md"


def recipe() -> str:
    """The ```nginx block of docs/deploy.md."""
    match = re.search(r"```nginx\n(.*?)```", DEPLOY.read_text(), re.S)
    assert match, "docs/deploy.md has no nginx block"
    return match.group(1)


def nginx_conf(d: Path, listen: int, upstream: int) -> str:
    server = recipe()
    server = server.replace("server 127.0.0.1:39400;", f"server 127.0.0.1:{upstream};")
    server = server.replace("listen 443 ssl", f"listen 127.0.0.1:{listen} ssl")
    server = server.replace("/etc/ssl/mcp.example.com/fullchain.pem", str(d / "proxy.pem"))
    server = server.replace("/etc/ssl/mcp.example.com/privkey.pem", str(d / "proxy.key"))
    assert f"127.0.0.1:{listen}" in server and str(d / "proxy.pem") in server, "the recipe changed shape"
    temp = d / "nginx-temp"
    temp.mkdir(exist_ok=True)
    paths = "\n".join(f"    {kind}_temp_path {temp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
pid {d / 'nginx.pid'};
error_log {d / 'nginx-error.log'} info;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log {d / 'nginx-access.log'};
{paths}
{server}
}}
"""


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "scripts/setup-test-env.sh installs nginx"
    d = tmp_path_factory.mktemp("nginx")
    make_ca(d, "ca")
    make_leaf(d, "proxy", "ca", "/CN=mcp.example.com", "subjectAltName=IP:127.0.0.1,DNS:mcp.example.com",
              "extendedKeyUsage=serverAuth")
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    cfg["meta_mcp"]["warm_start"] = ["*"]
    gw = harness.start_gateway(harness.write_config(d / "gw.yaml", cfg), d)
    port = harness.free_port()
    conf = d / "nginx.conf"
    conf.write_text(nginx_conf(d, port, gw.port))
    check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(d)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(d), "-g", "daemon off;"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    harness._register(proc)
    ctx = ssl.create_default_context(cafile=str(d / "ca.pem"))
    base = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/ready", verify=ctx, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, (d / "nginx-error.log").read_text()
            time.sleep(0.1)
        yield {"base": base, "ctx": ctx, "port": port, "dir": d}
    finally:
        harness.kill_group(proc)
        gw.stop()


def streamable(proxy: dict[str, Any], mode: str, **kw: Any) -> Any:
    class _Client:
        async def __aenter__(self) -> Any:
            self.http = httpx.AsyncClient(verify=proxy["ctx"], timeout=30)
            await self.http.__aenter__()
            self.client = Client(streamable_http_client(f"{proxy['base']}/mcp", http_client=self.http), mode=mode,
                                 read_timeout_seconds=30, **kw)
            return await self.client.__aenter__()

        async def __aexit__(self, *exc: Any) -> None:
            await self.client.__aexit__(*exc)
            await self.http.__aexit__(*exc)

    return _Client()


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_streamable_http_through_the_recipe_with_progress_as_it_is_sent(proxy, mode: str) -> None:
    arrivals: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        arrivals.append(time.monotonic())

    async with streamable(proxy, mode) as c:
        assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": "through nginx"})) == "through nginx"
        started = time.monotonic()
        done = await c.call_tool("gateway_invoke", {"server": "alpha", "tool": "progress", "arguments": {"steps": 8}},
                                 progress_callback=on_progress)
        finished = time.monotonic()
    assert not done.is_error, harness.text_of(done)
    assert len(arrivals) == 8, arrivals
    # Eight steps ~50 ms apart: the first arrives well before the call ends (a buffering proxy
    # would deliver them all together at the end).
    assert arrivals[0] - started < (finished - started) - 0.2, (arrivals[0] - started, finished - started)


async def test_legacy_sse_through_the_recipe(proxy) -> None:
    def factory(headers: dict[str, str] | None = None, timeout: Any = None, auth: Any = None) -> Any:
        import httpx2
        return httpx2.AsyncClient(verify=proxy["ctx"], headers=headers, timeout=timeout, auth=auth)

    async with Client(sse_client(f"{proxy['base']}/sse", httpx_client_factory=factory), mode="legacy",
                      read_timeout_seconds=30) as c:
        assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": "sse via nginx"})) == "sse via nginx"


async def test_websocket_through_the_recipe(proxy) -> None:
    async with connect(f"wss://127.0.0.1:{proxy['port']}/ws", subprotocols=["mcp"], ssl=proxy["ctx"],
                       open_timeout=10, max_size=None) as ws:
        assert ws.subprotocol == "mcp"
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "nginx-test", "version": "1"}}}))
        with anyio.fail_after(10):
            init = json.loads(await ws.recv())
        assert init["result"]["serverInfo"]["name"] == "mcp-gateway", init
        await ws.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "gateway_invoke", "arguments": {"server": "alpha", "tool": "echo", "arguments": {"text": "ws"}}}}))
        with anyio.fail_after(10):
            while True:
                reply = json.loads(await ws.recv())
                if reply.get("id") == 2:
                    break
        assert reply["result"]["content"] == [{"type": "text", "text": "ws"}], reply
