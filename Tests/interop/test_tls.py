"""TLS and client certificates on the HTTP front end (`mtls:`).

Certificates are made here with `openssl`: a CA, a server certificate for 127.0.0.1 and a second
one (the reload), two client certificates with different names, and a client certificate from
another CA. The official SDK client talks to the gateway over https with an httpx client that
trusts the CA and presents a client certificate; raw `ssl` sockets check handshakes, `/ws` is
driven by `websockets` over TLS, `/sse` by the SDK's SSE client. What principal a certificate names is read from the gateway's
debug log (the gate that uses it is tested with the rest of the gate).

Backend: alpha (stdio).
"""
from __future__ import annotations

import os
import socket
import ssl
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

import harness
from harness import invoke, text_of

pytestmark = pytest.mark.anyio


# --------------------------------------------------------------------------------------------
# certificates
# --------------------------------------------------------------------------------------------


def openssl(cwd: Path, *args: str) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


EC = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")


def make_ca(d: Path, name: str) -> None:
    openssl(d, "req", "-x509", *EC, "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
            "-subj", f"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")


def make_leaf(d: Path, name: str, ca: str, subject: str, *exts: str) -> None:
    """`name`.pem/.key signed by `ca`, with the extensions `exts` (openssl -addext lines)."""
    addext = [a for e in exts for a in ("-addext", e)]
    openssl(d, "req", *EC, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject, *addext)
    openssl(d, "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", "-copy_extensions", "copy")


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("certs")
    make_ca(d, "ca")
    make_ca(d, "rogue-ca")
    server = ("subjectAltName=IP:127.0.0.1,DNS:localhost", "extendedKeyUsage=serverAuth")
    make_leaf(d, "server", "ca", "/CN=gateway-one", *server)
    make_leaf(d, "server2", "ca", "/CN=gateway-two", *server)
    client = "extendedKeyUsage=clientAuth"
    make_leaf(d, "alice", "ca", "/O=Interop/CN=alice",
              "subjectAltName=email:alice@example.com,URI:spiffe://example/alice", client)
    make_leaf(d, "bob", "ca", "/CN=bob", "subjectAltName=DNS:bob.example", client)
    make_leaf(d, "mallory", "rogue-ca", "/CN=alice", "subjectAltName=email:alice@example.com", client)
    return d


def client_context(certs: Path, client: str | None = None, **kw: Any) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    if client:
        ctx.load_cert_chain(str(certs / f"{client}.pem"), str(certs / f"{client}.key"))
    for key, value in kw.items():
        setattr(ctx, key, value)
    return ctx


def tls_config(log_dir: Path, name: str, mtls: dict[str, Any]) -> Path:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"mtls": mtls})
    return harness.write_config(log_dir / f"{name}.yaml", cfg)


def der(certs: Path, name: str) -> bytes:
    return ssl.PEM_cert_to_DER_cert((certs / f"{name}.pem").read_text())


def raw_connect(gw: harness.Gateway, ctx: ssl.SSLContext) -> ssl.SSLSocket:
    sock = socket.create_connection(("127.0.0.1", gw.port), timeout=10)
    return ctx.wrap_socket(sock, server_hostname="127.0.0.1")


def raw_get(tls: ssl.SSLSocket, path: str) -> bytes:
    """One keep-alive GET on an open TLS socket; the whole (small, Content-Length) answer."""
    tls.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = tls.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = tls.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def refused(gw: harness.Gateway, ctx: ssl.SSLContext) -> bool:
    """True when no HTTP answer comes back over a connection made with `ctx`: with TLS 1.3 the
    server's refusal of a client certificate arrives after the client's side of the handshake."""
    try:
        r = httpx.get(f"{gw.base}/ready", verify=ctx, timeout=5)
    except (httpx.TransportError, ssl.SSLError):
        return True
    print(f"unexpected answer: {r.status_code}")
    return False


def log_text(gw: harness.Gateway) -> str:
    return gw.log.read_text(errors="replace")


def wait_for_log(gw: harness.Gateway, text: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while text not in log_text(gw):
        assert time.monotonic() < deadline, f"{text!r} not in the gateway log:\n{harness.tail(gw.log)}"
        time.sleep(0.05)


async def sdk_session(gw: harness.Gateway, ctx: ssl.SSLContext):
    """The official SDK client over https with `ctx` (CA and client certificate)."""
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    http = httpx2.AsyncClient(verify=ctx, timeout=httpx2.Timeout(30, read=300))
    return http, Client(streamable_http_client(gw.url, http_client=http), mode="legacy", read_timeout_seconds=30)


# --------------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mtls_gateway(certs: Path, log_dir: Path):
    config = tls_config(log_dir, "mtls-required", {
        "server_cert": str(certs / "server.pem"), "server_key": str(certs / "server.key"),
        "ca_cert": str(certs / "ca.pem"), "admin_principals": ["alice"],
    })
    gw = harness.start_gateway(config, log_dir, tls=client_context(certs, "alice"))
    try:
        yield gw
    finally:
        gw.stop()


async def test_sdk_client_lists_and_calls_tools_over_mtls(mtls_gateway: harness.Gateway, certs: Path) -> None:
    gw = mtls_gateway
    assert "listening on https://127.0.0.1:" in log_text(gw)
    http, client = await sdk_session(gw, client_context(certs, "alice"))
    async with http, client:
        tools = await client.list_tools()
        assert {t.name for t in tools.tools} == harness.META_TOOLS
        for i in range(3):  # keep-alive POSTs on one connection (the lean path)
            result = await invoke(client, "alpha", "echo", {"text": f"over mtls {i}"})
            assert text_of(result) == f"over mtls {i}", result
    wait_for_log(gw, "principal=alice (client_certificate, admin)")


def test_client_certificate_is_required(mtls_gateway: harness.Gateway, certs: Path) -> None:
    gw = mtls_gateway
    assert refused(gw, client_context(certs)), "a client without a certificate got an answer"
    assert refused(gw, client_context(certs, "mallory")), "a certificate from another CA got an answer"
    # Refused handshakes are logged at debug level, not as errors (a probing client floods nothing).
    wait_for_log(gw, "TLS handshake failed")
    assert "Error handling upgrade result" not in log_text(gw)
    # bob's certificate is the CA's: accepted, and named by its CN (not an admin).
    r = httpx.get(f"{gw.base}/ready", verify=client_context(certs, "bob"), timeout=10)
    assert r.status_code == 200
    wait_for_log(gw, "principal=bob (client_certificate)")


def test_plain_http_gets_no_answer(mtls_gateway: harness.Gateway) -> None:
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{mtls_gateway.port}/ready", timeout=5)


def test_tls12_client_is_served(mtls_gateway: harness.Gateway, certs: Path) -> None:
    ctx = client_context(certs, "bob", maximum_version=ssl.TLSVersion.TLSv1_2)
    with raw_connect(mtls_gateway, ctx) as tls:
        assert tls.version() == "TLSv1.2"
        assert raw_get(tls, "/ready").startswith(b"HTTP/1.1 200")


async def test_websocket_over_tls(mtls_gateway: harness.Gateway, certs: Path) -> None:
    url = f"wss://127.0.0.1:{mtls_gateway.port}/ws"
    async with connect(url, ssl=client_context(certs, "alice"), subprotocols=["mcp"], open_timeout=10) as ws:
        assert ws.subprotocol == "mcp"
        await ws.send('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
                      '"capabilities":{},"clientInfo":{"name":"wss","version":"0"}}}')
        init = await ws.recv()
        assert '"serverInfo"' in init and '"mcp-gateway"' in init, init
        await ws.send('{"jsonrpc":"2.0","method":"notifications/initialized"}')
        await ws.send('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_invoke",'
                      '"arguments":{"server":"alpha","tool":"echo","arguments":{"text":"over wss"}}}}')
        reply = await ws.recv()
        assert '"over wss"' in reply, reply
    with pytest.raises(Exception):
        async with connect(url, ssl=client_context(certs), subprotocols=["mcp"], open_timeout=10) as ws:
            await ws.recv()


async def test_legacy_sse_over_tls(mtls_gateway: harness.Gateway, certs: Path) -> None:
    """`/sse` + `/messages` (2024-11-05) with the SDK's SSE client over https."""
    import httpx2
    from mcp import Client
    from mcp.client.sse import sse_client

    ctx = client_context(certs, "alice")

    def factory(headers: Any = None, timeout: Any = None, auth: Any = None) -> Any:
        return httpx2.AsyncClient(verify=ctx, headers=headers, timeout=timeout or httpx2.Timeout(30, read=300), auth=auth)

    transport = sse_client(f"{mtls_gateway.base}/sse", httpx_client_factory=factory)
    async with Client(transport, mode="legacy", read_timeout_seconds=30) as client:
        result = await invoke(client, "alpha", "echo", {"text": "over sse and tls"})
        assert text_of(result) == "over sse and tls", result


def test_direct_backend_endpoint_over_tls(mtls_gateway: harness.Gateway, certs: Path) -> None:
    """`POST /mcp/{backend}` relays over TLS like `/mcp`."""
    with httpx.Client(verify=client_context(certs, "bob"), timeout=30) as http:
        r = http.post(f"{mtls_gateway.base}/mcp/alpha", headers={"Accept": "application/json, text/event-stream"},
                      json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                          "protocolVersion": "2025-06-18", "capabilities": {},
                          "clientInfo": {"name": "direct-tls", "version": "0"}}})
        assert r.status_code == 200, r.text
        assert "serverInfo" in r.text, r.text


def test_optional_client_certificate_and_san_names(certs: Path, log_dir: Path) -> None:
    config = tls_config(log_dir, "mtls-optional", {
        "server_cert": str(certs / "server.pem"), "server_key": str(certs / "server.key"),
        "ca_cert": str(certs / "ca.pem"), "require_client_cert": False, "client_principal": "san_email",
    })
    with harness.running_gateway(config, log_dir, tls=client_context(certs)) as gw:
        # Without a certificate: served (no principal); with one: named by its SAN email.
        assert httpx.get(f"{gw.base}/ready", verify=client_context(certs), timeout=10).status_code == 200
        assert httpx.get(f"{gw.base}/ready", verify=client_context(certs, "alice"), timeout=10).status_code == 200
        wait_for_log(gw, "principal=alice@example.com (client_certificate)")
        # A certificate with no SAN email names nobody; one from another CA is still refused.
        assert httpx.get(f"{gw.base}/ready", verify=client_context(certs, "bob"), timeout=10).status_code == 200
        wait_for_log(gw, "names no principal under mtls.client_principal")
        assert refused(gw, client_context(certs, "mallory"))


def test_server_certificate_reloads_without_dropping_connections(certs: Path, log_dir: Path) -> None:
    live = log_dir / "reload"
    live.mkdir(exist_ok=True)
    for ext in ("pem", "key"):
        (live / f"server.{ext}").write_bytes((certs / f"server.{ext}").read_bytes())
    config = tls_config(log_dir, "tls-reload", {"server_cert": str(live / "server.pem"),
                                                "server_key": str(live / "server.key"), "reload_interval": "300ms"})
    ctx = client_context(certs)
    with harness.running_gateway(config, log_dir, tls=ctx) as gw:
        kept = raw_connect(gw, ctx)
        try:
            assert kept.getpeercert(binary_form=True) == der(certs, "server")
            assert raw_get(kept, "/ready").startswith(b"HTTP/1.1 200")

            # A half-written certificate: refused, the old one stays in service, one warning.
            (live / "server.pem").write_text("-----BEGIN CERTIFICATE-----\nMIIB")
            wait_for_log(gw, "cannot be loaded; connections keep the previous certificate")
            with raw_connect(gw, ctx) as fresh:
                assert fresh.getpeercert(binary_form=True) == der(certs, "server")
            time.sleep(1.5)  # five more checks of the unchanged broken file
            assert log_text(gw).count("cannot be loaded; connections keep the previous certificate") == 1

            # The renewed pair, each file replaced whole: new connections get it.
            for ext in ("key", "pem"):
                tmp = live / f"next.{ext}"
                tmp.write_bytes((certs / f"server2.{ext}").read_bytes())
                os.replace(tmp, live / f"server.{ext}")
            deadline = time.monotonic() + 15
            while True:
                with raw_connect(gw, ctx) as fresh:
                    if fresh.getpeercert(binary_form=True) == der(certs, "server2"):
                        assert raw_get(fresh, "/ready").startswith(b"HTTP/1.1 200")
                        break
                assert time.monotonic() < deadline, f"the new certificate was not served:\n{harness.tail(gw.log)}"
                time.sleep(0.2)

            # The connection opened before the reload is still served, with its old certificate.
            assert raw_get(kept, "/ready").startswith(b"HTTP/1.1 200")
            assert kept.getpeercert(binary_form=True) == der(certs, "server")
        finally:
            kept.close()


def test_stalled_handshake_is_closed_at_the_header_timeout(certs: Path, log_dir: Path) -> None:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"mtls": {
        "server_cert": str(certs / "server.pem"), "server_key": str(certs / "server.key")}})
    cfg["server"]["limits"] = {"header_timeout": "1s"}
    config = harness.write_config(log_dir / "tls-stall.yaml", cfg)
    with harness.running_gateway(config, log_dir, tls=client_context(certs)) as gw:
        with socket.create_connection(("127.0.0.1", gw.port), timeout=10) as sock:
            sock.sendall(b"\x16\x03\x01")  # the first bytes of a ClientHello, then nothing
            t0 = time.monotonic()
            while sock.recv(1024):  # at most an alert, then the close
                pass
            assert 0.5 < time.monotonic() - t0 < 5


def test_config_validate_reports_a_bad_key_file(certs: Path, log_dir: Path) -> None:
    config = tls_config(log_dir, "tls-bad-key", {"server_cert": str(certs / "server.pem"),
                                                 "server_key": str(certs / "bob.key")})
    r = harness.run_cli("config", "validate", str(config))
    assert r.returncode != 0
    out = r.stdout + r.stderr
    line = next(i for i, text in enumerate(config.read_text().splitlines(), 1) if "server_key:" in text)
    assert f"{config}:{line}:" in out and "does not match the certificate" in out, out
