"""POST /mcp on one raw HTTP/1.1 connection: the plain-JSON fast path and Hummingbird's routes
answer requests strictly in the order they were sent, whichever of the two answers each one.

The fast path takes session-era POSTs that need only a JSON reply (searches, invokes without a
progress token); everything else (GET /health, errors, batches, streamed answers) is
Hummingbird's. These tests pipeline both kinds on one socket, with slow requests on either side,
and read the answers back in order.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest

import harness


@pytest.fixture(scope="module")
def gw(log_dir: Path):
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha", timeout="10s")})
    gateway = harness.start_gateway(harness.write_config(log_dir / "pipelining.yaml", cfg), log_dir)
    try:
        yield gateway
    finally:
        gateway.stop()


def session(gw, version: str = "2025-11-25") -> harness.RawSession:
    s = harness.RawSession(gw.url, version=version)
    s.initialize()
    return s


def post(s: harness.RawSession, body: Any, version: str = "HTTP/1.1", **extra: str) -> bytes:
    payload = json.dumps(body).encode()
    headers = {"Host": "127.0.0.1", "Content-Length": str(len(payload)), **s.headers(**extra)}
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"POST /mcp {version}\r\n{head}\r\n".encode() + payload


def get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def call(rid: int, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}


def invoke(rid: int, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return call(rid, "gateway_invoke", {"server": "alpha", "tool": tool, "arguments": arguments})


class Reader:
    """Reads HTTP/1.1 responses (Content-Length or chunked bodies) off one socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed")
        self.buffer += chunk

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def response(self) -> tuple[int, dict[str, str], bytes]:
        status_line = self._line().split()
        self.version = status_line[0].decode()
        status = int(status_line[1])
        headers: dict[str, str] = {}
        while line := self._line():
            name, value = line.decode().split(":", 1)
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = b""
            while size := int(self._line().split(b";")[0], 16):
                body += self._exactly(size)
                self._line()
            self._line()
        else:
            body = self._exactly(int(headers.get("content-length", "0")))
        return status, headers, body

    def closed(self, timeout: float = 5) -> bool:
        self.sock.settimeout(timeout)
        try:
            return not self.buffer and self.sock.recv(1) == b""
        except TimeoutError:
            return False


def connect(gw) -> tuple[socket.socket, Reader]:
    sock = socket.create_connection(("127.0.0.1", gw.port), timeout=20)
    return sock, Reader(sock)


def rpc(body: bytes) -> dict[str, Any]:
    text = body.decode()
    if text.startswith("{") or text.startswith("["):
        return json.loads(text)
    messages = harness.parse_sse(text)
    return next(m for m in messages if "result" in m or "error" in m)


def text(result: dict[str, Any]) -> str:
    return "\n".join(c["text"] for c in result["content"] if c["type"] == "text")


def test_plain_answer_carries_the_usual_headers(gw) -> None:
    s = session(gw)
    sock, reader = connect(gw)
    with sock:
        sock.sendall(post(s, call(1, "gateway_search_tools", {"query": "echo text"})))
        status, headers, body = reader.response()
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    assert headers["server"] == "mcp-gateway" and headers["date"].endswith("GMT")
    answer = json.loads(body)
    assert answer["id"] == 1 and "echo" in json.dumps(answer["result"])


def test_pipelined_mixed_requests_are_answered_in_order(gw) -> None:
    s = session(gw)
    sock, reader = connect(gw)
    with sock:
        sock.sendall(
            post(s, call(1, "gateway_search_tools", {"query": "add two numbers"}))
            + get("/health")
            + post(s, invoke(3, "echo", {"text": "third"}))
            + post(s, {"jsonrpc": "2.0", "id": 4, "method": "ping"})
            + post(s, {"jsonrpc": "2.0", "id": 5, "method": "ping"}, **{"Content-Type": "text/plain"})
            + post(s, call(6, "gateway_list_servers", {}))
        )
        answers = [reader.response() for _ in range(6)]
    statuses = [status for status, _, _ in answers]
    assert statuses == [200, 200, 200, 200, 415, 200], statuses
    assert rpc(answers[0][2])["id"] == 1
    assert "backends" in json.loads(answers[1][2])
    third = rpc(answers[2][2])
    assert third["id"] == 3 and text(third["result"]) == "third"
    assert rpc(answers[3][2]) == {"jsonrpc": "2.0", "id": 4, "result": {}}
    assert rpc(answers[5][2])["id"] == 6


def test_requests_behind_a_slow_plain_call_wait_for_it(gw) -> None:
    s = session(gw)
    sock, reader = connect(gw)
    with sock:
        started = time.monotonic()
        sock.sendall(post(s, invoke(1, "slow", {"seconds": 0.8})) + get("/health")
                     + post(s, call(3, "gateway_search_tools", {"query": "echo"})))
        first, second, third = (reader.response() for _ in range(3))
    assert time.monotonic() - started >= 0.8
    assert text(rpc(first[2])["result"]) == "slept"
    assert "backends" in json.loads(second[2])
    assert rpc(third[2])["id"] == 3


def test_plain_calls_wait_behind_a_slow_streamed_answer(gw) -> None:
    """A call with a progress token is answered by Hummingbird as an event stream; a plain call
    pipelined behind it must not overtake it."""
    s = session(gw)
    sock, reader = connect(gw)
    slow = invoke(1, "progress", {"steps": 12})
    slow["params"]["_meta"] = {"progressToken": "p1"}
    with sock:
        started = time.monotonic()
        sock.sendall(post(s, slow) + post(s, call(2, "gateway_search_tools", {"query": "echo"})))
        first, second = reader.response(), reader.response()
    assert time.monotonic() - started >= 0.5
    assert first[1]["content-type"].startswith("text/event-stream")
    assert text(rpc(first[2])["result"]) == "done"
    assert rpc(second[2])["id"] == 2


def test_plain_calls_wait_behind_a_slow_batch(gw) -> None:
    """Batches (protocol 2025-03-26) are Hummingbird's; a plain call behind one waits for it."""
    s = session(gw, version="2025-03-26")
    sock, reader = connect(gw)
    with sock:
        sock.sendall(post(s, [invoke(1, "slow", {"seconds": 0.8}), invoke(2, "echo", {"text": "in batch"})])
                     + post(s, invoke(3, "echo", {"text": "after batch"})))
        batch, after = reader.response(), reader.response()
    assert sorted(m["id"] for m in json.loads(batch[2])) == [1, 2]
    assert text(rpc(after[2])["result"]) == "after batch"


def test_a_malformed_request_behind_a_plain_call_is_refused_after_its_answer(gw) -> None:
    s = session(gw)
    sock, reader = connect(gw)
    with sock:
        sock.sendall(post(s, invoke(1, "slow", {"seconds": 0.5})) + b"NOT HTTP AT ALL\r\n\r\n")
        first, second = reader.response(), reader.response()
        assert first[0] == 200 and text(rpc(first[2])["result"]) == "slept"
        assert second[0] == 400
        assert reader.closed()


def test_a_post_whose_body_breaks_off_malformed_gets_a_400(gw) -> None:
    s = session(gw)
    sock, reader = connect(gw)
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": "127.0.0.1", "Transfer-Encoding": "chunked", **s.headers()}.items())
    with sock:
        sock.sendall(f"POST /mcp HTTP/1.1\r\n{head}\r\n".encode() + b"5\r\n{\"a\":\r\nzz\r\n")
        assert reader.response()[0] == 400
        assert reader.closed()


@pytest.mark.parametrize("version, extra", [("HTTP/1.1", {"Connection": "close"}), ("HTTP/1.0", {})])
def test_a_connection_that_should_close_is_closed_after_the_answer(gw, version: str, extra: dict[str, str]) -> None:
    s = session(gw)
    sock, reader = connect(gw)
    with sock:
        sock.sendall(post(s, call(1, "gateway_search_tools", {"query": "echo"}), version=version, **extra))
        status, headers, body = reader.response()
        assert status == 200 and reader.version == version and rpc(body)["id"] == 1
        assert version == "HTTP/1.0" or headers.get("connection") == "close"
        assert reader.closed()


def test_one_connection_serves_many_plain_calls_in_a_row(gw) -> None:
    s = session(gw)
    sock, reader = connect(gw)
    with sock:
        for rid in range(1, 41):
            sock.sendall(post(s, invoke(rid, "echo", {"text": f"call {rid}"})))
            status, _, body = reader.response()
            assert status == 200 and text(rpc(body)["result"]) == f"call {rid}"


MODERN = "2026-07-28"


def modern_post(method: str, params: dict[str, Any], rid: int, name: str | None = None, **extra: str) -> bytes:
    """A 2026-07-28 request: the envelope in `_meta`, method and name mirrored in headers."""
    body = {"jsonrpc": "2.0", "id": rid, "method": method, "params": {**params, "_meta": {
        "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"}}}}
    payload = json.dumps(body).encode()
    headers = {"Host": "127.0.0.1", "Content-Type": "application/json", "Accept": harness.ACCEPT_BOTH,
               "MCP-Protocol-Version": MODERN, "Mcp-Method": method, "Content-Length": str(len(payload)), **extra}
    if name is not None:
        headers["Mcp-Name"] = name
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"POST /mcp HTTP/1.1\r\n{head}\r\n".encode() + payload


def test_pipelined_2026_07_28_requests_are_answered_in_order(gw) -> None:
    """Stateless-era calls take the same fast path; a header that disagrees with the body
    still gets the era's error (-32020) from the full path, in its place in the order."""
    sock, reader = connect(gw)
    search = {"name": "gateway_search_tools", "arguments": {"query": "echo"}}
    slow = {"name": "gateway_invoke", "arguments": {"server": "alpha", "tool": "slow", "arguments": {"seconds": 0.5}}}
    with sock:
        sock.sendall(modern_post("tools/call", slow, 1, name="gateway_invoke")
                     + modern_post("tools/call", search, 2, name="gateway_search_tools")
                     + modern_post("tools/call", search, 3, name="gateway_invoke")
                     + get("/health")
                     + modern_post("tools/list", {}, 5))
        answers = [reader.response() for _ in range(5)]
    assert [status for status, _, _ in answers] == [200, 200, 400, 200, 200]
    assert text(rpc(answers[0][2])["result"]) == "slept"
    assert rpc(answers[1][2])["id"] == 2 and rpc(answers[1][2])["result"]["resultType"] == "complete"
    assert rpc(answers[2][2])["error"]["code"] == -32020
    assert "backends" in json.loads(answers[3][2])
    assert rpc(answers[4][2])["id"] == 5
