"""The interop matrix: client modes × gateway front ends × backends, six checks per cell.

`test_interop_matrix.py` runs every cell (concurrently, one client connection per cell) and turns
each cell × check outcome into one pytest test; `conftest.py` then renders `docs/interop.md` from the
same outcomes (`write_doc`), so the document always shows what the last full run observed.

Axes
  mode       legacy | auto | 2026-07-28  — `mcp.Client(mode=…)`; the raw WebSocket client mimics
             each (initialize / server/discover probe / enveloped requests without a probe)
  front end  http-json  SDK Streamable HTTP client on /mcp; wire check: answers without
                        notifications are application/json, progress switches to an event stream
             http-sse   the same client, every tools/call carrying a progressToken; wire check:
                        answers that carry progress or a relayed request are event streams
             sse        SDK `sse_client` on /sse (2024-11-05 HTTP+SSE)
             stdio      SDK `stdio_client` spawning `mcp-gateway --stdio` (one gateway per cell)
             ws         raw `websockets` client on /ws, JSON-RPC by hand
  backend    `servers/server.py` (dual-era) over stdio, Streamable HTTP and legacy SSE, each twice:
             alpha, beta, gamma pinned to the initialize handshake (`protocol_version: 2025-11-25`),
             delta, epsilon, zeta pinned to 2026-07-28 (`protocol_version: 2026-07-28`: the probe must
             find the modern era, and every request upstream is enveloped)

Checks (in this order, on one connection)
  list          tools/list holds the four meta-tools
  search        gateway_search_tools "echo text back <backend>" ranks that backend's echo first
  progress      gateway_invoke progress(steps=4): every step reaches the progress callback, result "done"
  elicitation   gateway_invoke ask(question): the client's answer comes back in the tool result
  list_changed  gateway_invoke grow(unique name): the client is told (notification, or listen event
                at 2026-07-28), and the new tool is in the catalog and callable
  cancellation  gateway_invoke wait_cancel abandoned after 1 s (the SDK's cancellation: anyio
                move_on_after; raw WS: notifications/cancelled): the backend writes its marker file
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import platform
import subprocess
import time
import traceback
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import anyio

import harness

# --------------------------------------------------------------------------------------------
# axes
# --------------------------------------------------------------------------------------------

MODERN = "2026-07-28"
MODES = ("legacy", "auto", MODERN)
FRONT_ENDS = ("http-json", "http-sse", "sse", "stdio", "ws")
BACKENDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")
SEARCH_SETTLE_S = 60
CHECKS = ("list", "search", "progress", "elicitation", "list_changed", "cancellation")

MODE_TITLES = {
    "legacy": "`legacy` (initialize handshake)",
    "auto": "`auto` (server/discover probe, falls back to initialize)",
    MODERN: "`2026-07-28` (stateless, no probe)",
}
FRONT_END_TITLES = {
    "http-json": "Streamable HTTP, JSON answers",
    "http-sse": "Streamable HTTP, SSE answers",
    "sse": "legacy HTTP+SSE (/sse)",
    "stdio": "stdio (--stdio)",
    "ws": "WebSocket (/ws), raw client",
}
BACKEND_TITLES = {
    "alpha": "stdio, 2025-11-25", "beta": "Streamable HTTP, 2025-11-25", "gamma": "legacy SSE, 2025-11-25",
    "delta": "stdio, 2026-07-28", "epsilon": "Streamable HTTP, 2026-07-28", "zeta": "legacy SSE transport, 2026-07-28",
}
#: The protocol_version each backend is pinned to in the matrix configs.
BACKEND_ERAS = {"alpha": "2025-11-25", "beta": "2025-11-25", "gamma": "2025-11-25",
                "delta": MODERN, "epsilon": MODERN, "zeta": MODERN}
#: The transport of each backend: stdio backends are spawned, the others started by the fixture.
BACKEND_TRANSPORTS = {"alpha": "stdio", "beta": "streamable-http", "gamma": "sse",
                      "delta": "stdio", "epsilon": "streamable-http", "zeta": "sse"}
CHECK_TITLES = {
    "list": "list",
    "search": "search",
    "progress": "invoke + progress",
    "elicitation": "elicitation",
    "list_changed": "list_changed",
    "cancellation": "cancellation",
}
#: How the raw WebSocket client plays each SDK mode.
WS_MODE_MEANING = {
    "legacy": "raw client, `initialize` handshake",
    "auto": "raw client, `server/discover` probe then the era it offers",
    MODERN: "raw client, 2026-07-28 `_meta` envelope on every request, no probe",
}
#: Backend descriptions: distinct words per server, none about echoing (search must find echo by its own text).
DESCRIPTIONS = {
    "alpha": "Alpha backend over stdio for the interop matrix",
    "beta": "Beta backend over Streamable HTTP for the interop matrix",
    "gamma": "Gamma backend over legacy SSE for the interop matrix",
    "delta": "Delta backend over stdio speaking the stateless era for the interop matrix",
    "epsilon": "Epsilon backend over Streamable HTTP speaking the stateless era for the interop matrix",
    "zeta": "Zeta backend over the SSE transport speaking the stateless era for the interop matrix",
}
PROGRESS_STEPS = 4
CANCEL_AFTER_S = 1.0
MARKER_WAIT_S = 3.0
#: How long the abandoned call would run if the cancellation never reached the backend.
WAIT_CANCEL_S = 5.0
#: Per-backend call timeout in the matrix configs. Far above CANCEL_AFTER_S + MARKER_WAIT_S: when a
#: call outlives it the gateway cancels the backend call itself, which would pass for a relayed cancel.
BACKEND_TIMEOUT = "60s"
CHECK_TIMEOUT_S = 30.0


@dataclass(frozen=True, order=True)
class Cell:
    mode: str
    front_end: str
    backend: str

    @property
    def id(self) -> str:
        return f"{self.mode}-{self.front_end}-{self.backend}"

    @property
    def tool_name(self) -> str:
        """The tool this cell's list_changed check adds: unique, no backend or echo word in it."""
        mode = {"legacy": "leg", "auto": "auto", MODERN: "m0728"}[self.mode]
        return f"grown_{mode}_{self.front_end.replace('-', '')}_{BACKENDS.index(self.backend)}"


ALL_CELLS = tuple(Cell(m, f, b) for m in MODES for f in FRONT_ENDS for b in BACKENDS)
ALL_CHECKS = tuple((c, k) for c in ALL_CELLS for k in CHECKS)

# --------------------------------------------------------------------------------------------
# known gaps: a failing check listed here is an xfail (strict: if it passes, the entry must go)
# --------------------------------------------------------------------------------------------

#: (modes, front ends, backends, check, reason). None = any. Filled from observed runs; the reason is
#: what the doc prints, so say what happens and why.
KNOWN_GAPS: list[tuple[tuple[str, ...] | None, tuple[str, ...] | None, tuple[str, ...] | None, str, str]] = [
]


def known_gap(cell: Cell, check: str) -> str | None:
    for modes, front_ends, backends, name, reason in KNOWN_GAPS:
        if name == check and (modes is None or cell.mode in modes) and (
                front_ends is None or cell.front_end in front_ends) and (backends is None or cell.backend in backends):
            return reason
    return None


# --------------------------------------------------------------------------------------------
# outcomes
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    #: pass | fail | gap (known gap, failed as documented) | fixed (known gap that passed) | na
    status: str
    detail: str = ""
    seconds: float = 0.0
    #: Streamable HTTP answers seen during the check: "method → content type".
    wire: list[str] = field(default_factory=list)


@dataclass
class CellRun:
    cell: Cell
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    negotiated: str | None = None
    close_error: str | None = None
    #: Set when close_error is the SDK's own sse_client exit race (not the gateway's doing).
    close_known: str | None = None
    close_traceback: str = ""
    seconds: float = 0.0


@dataclass
class MatrixRun:
    cells: dict[Cell, CellRun] = field(default_factory=dict)
    seconds: float = 0.0
    complete: bool = False
    meta: dict[str, str] = field(default_factory=dict)

    def outcome(self, cell: Cell, check: str) -> Outcome:
        run = self.cells.get(cell)
        if run is None or check not in run.outcomes:
            return Outcome("fail", "the matrix run did not reach this cell")
        return run.outcomes[check]


#: The run of this pytest session (conftest renders it into docs/interop.md at session end).
RUN = MatrixRun()


def classify(cell: Cell, check: str, ok: bool, detail: str) -> tuple[str, str]:
    gap = known_gap(cell, check)
    if ok:
        return ("fixed", f"listed in matrix.KNOWN_GAPS but passed; remove the entry ({gap})") if gap else ("pass", detail)
    return ("gap", f"{gap} Observed: {detail}") if gap else ("fail", detail)


# --------------------------------------------------------------------------------------------
# the environment the cells run against
# --------------------------------------------------------------------------------------------


class SharedExclusiveLock:
    """Many shared holders or one exclusive holder (a readers-writer lock for anyio)."""

    def __init__(self) -> None:
        self.condition = anyio.Condition()
        self.shared_count = 0
        self.exclusive_held = False

    @asynccontextmanager
    async def shared(self) -> Any:
        async with self.condition:
            while self.exclusive_held:
                await self.condition.wait()
            self.shared_count += 1
        try:
            yield
        finally:
            async with self.condition:
                self.shared_count -= 1
                self.condition.notify_all()

    @asynccontextmanager
    async def exclusive(self) -> Any:
        async with self.condition:
            while self.exclusive_held or self.shared_count:
                await self.condition.wait()
            self.exclusive_held = True
        try:
            yield
        finally:
            async with self.condition:
                self.exclusive_held = False
                self.condition.notify_all()


@dataclass
class Env:
    gw: harness.Gateway            # the shared gateway (HTTP, SSE and WebSocket front ends)
    stdio_configs: dict[str, Path]  # per backend: config for the per-cell `mcp-gateway --stdio`
    log_dir: Path
    #: Serializes the list_changed checks: a gateway's notification goes to every session it serves,
    #: and a gateway that refreshes a backend learns of other cells' grows there.
    list_changed_lock: anyio.Lock = field(default_factory=anyio.Lock)
    #: A stdio or legacy SSE backend's elicitation/create carries no link to the call that caused
    #: it; when calls of several clients are in flight on that backend the gateway refuses to
    #: guess (a question must never reach the wrong person). So on the shared gateway an
    #: elicitation check has its backend to itself: exclusive against every other check there.
    #: (At 2026-07-28 the question is the call's own result: delta and zeta need no lock.)
    backend_access: dict[str, "SharedExclusiveLock"] = field(default_factory=dict)

    def access(self, cell: Cell, check: str) -> Any:
        if cell.front_end == "stdio" or cell.backend not in ("alpha", "gamma"):
            return nullcontext()  # a gateway of its own, or a transport that links requests to calls
        lock = self.backend_access.setdefault(cell.backend, SharedExclusiveLock())
        # A cancellation that is not relayed leaves a call running on the backend: keep it
        # from overlapping another cell's elicitation there.
        return lock.exclusive() if check in ("elicitation", "cancellation") else lock.shared()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.gw.port}/ws"


def text_of(result: Any) -> str:
    if isinstance(result, dict):
        return "\n".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")
    return harness.text_of(result)


class CheckFailed(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --------------------------------------------------------------------------------------------
# drivers: one client connection, the operations the checks need
# --------------------------------------------------------------------------------------------


class Driver:
    """What a check may do with a connection. `current` names the running check (wire records)."""

    cell: Cell
    current: str = "connect"
    negotiated: str | None = None
    asked: list[str]
    wire: list[tuple[str, str]]

    async def tool_names(self) -> set[str]: raise NotImplementedError
    async def call(self, tool: str, arguments: dict[str, Any]) -> Any: raise NotImplementedError
    async def call_with_progress(self, tool: str, arguments: dict[str, Any]) -> tuple[Any, list[tuple[float, Any, Any]]]: raise NotImplementedError
    def list_changed_watch(self) -> Any: raise NotImplementedError
    async def call_and_abandon(self, tool: str, arguments: dict[str, Any], after: float) -> None: raise NotImplementedError

    @property
    def modern(self) -> bool:
        return self.negotiated == MODERN

    async def invoke(self, server: str, tool: str, arguments: dict[str, Any]) -> Any:
        return await self.call("gateway_invoke", {"server": server, "tool": tool, "arguments": arguments})


async def answer_elicitation(asked: list[str], message: str) -> dict[str, Any]:
    asked.append(message)
    return {"action": "accept", "content": {"answer": f"yes to {message}"}}


class SdkDriver(Driver):
    """The official SDK `Client` over Streamable HTTP, legacy SSE or stdio."""

    def __init__(self, cell: Cell, env: Env):
        self.cell = cell
        self.env = env
        self.asked = []
        self.wire = []
        self.notified = anyio.Event()
        self.client: Any = None
        self._open: dict[int, int] = {}

    async def open(self, stack: AsyncExitStack) -> None:
        from mcp import Client
        from mcp.client.sse import sse_client
        from mcp.client.stdio import stdio_client
        from mcp.client.streamable_http import streamable_http_client
        from mcp.shared._httpx_utils import create_mcp_http_client

        fe = self.cell.front_end
        if fe in ("http-json", "http-sse"):
            http = await stack.enter_async_context(create_mcp_http_client())
            http.event_hooks = {"request": [self._record_request], "response": [self._record_answer]}
            transport: Any = streamable_http_client(self.env.gw.url, http_client=http)
        elif fe == "sse":
            transport = sse_client(f"{self.env.gw.base}/sse")
        elif fe == "stdio":
            log = self.env.log_dir / f"stdio-{self.cell.id}.stderr.log"
            errlog = open(log, "a")
            stack.callback(errlog.close)
            # A catalog cache of its own (cold start, the same every run): gateways sharing a config
            # path share the persisted catalog, and a search right after a start from a seeded
            # catalog can answer before the catalog is built (empty matches).
            cache = self.env.log_dir / "cache" / self.cell.id
            params = harness.gateway_stdio_params(self.env.stdio_configs[self.cell.backend], env={"MCP_GATEWAY_CACHE_DIR": str(cache)})
            transport = stdio_client(params, errlog=errlog)
        else:
            raise ValueError(fe)
        self.client = await stack.enter_async_context(Client(
            transport, mode=self.cell.mode, read_timeout_seconds=CHECK_TIMEOUT_S,
            elicitation_callback=self._elicit, message_handler=self._on_message))
        self.negotiated = self.client.protocol_version

    async def _elicit(self, context: Any, params: Any) -> Any:
        import mcp_types as types

        return types.ElicitResult(**await answer_elicitation(self.asked, params.message))

    async def _on_message(self, message: Any) -> None:
        import mcp_types as types

        if isinstance(message, types.ToolListChangedNotification):
            self.notified.set()

    @staticmethod
    def _describe_request(request: Any) -> str:
        if request.method != "POST":
            return request.method
        try:
            body = json.loads(request.content)
        except (ValueError, AttributeError):
            return "POST ?"
        what = body.get("method") or ("response" if "result" in body or "error" in body else "?")
        if what == "tools/call":
            params = body.get("params") or {}
            tool = (params.get("arguments") or {}).get("tool") or params.get("name")
            what += " grown tool" if str(tool).startswith("grown_") else f" {tool}"
        return what

    async def _record_request(self, request: Any) -> None:
        # Placeholder until the answer's headers arrive (an abandoned call never gets one).
        self._open[id(request)] = len(self.wire)
        self.wire.append((self.current, f"{self._describe_request(request)} → (no answer read)"))

    async def _record_answer(self, response: Any) -> None:
        index = self._open.pop(id(response.request), None)
        ctype = response.headers.get("content-type", "").split(";")[0].strip() or f"(none, {response.status_code})"
        entry = (self.wire[index][0] if index is not None else self.current,
                 f"{self._describe_request(response.request)} → {ctype}")
        if index is None:
            self.wire.append(entry)
        else:
            self.wire[index] = entry

    @property
    def _progress_kw(self) -> dict[str, Any]:
        # The SSE-answers row: every call carries a progressToken.
        async def ignore(progress: float, total: float | None, message: str | None) -> None:
            pass

        return {"progress_callback": ignore} if self.cell.front_end == "http-sse" else {}

    async def tool_names(self) -> set[str]:
        return {t.name for t in (await self.client.list_tools()).tools}

    async def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        return await self.client.call_tool(tool, arguments, **self._progress_kw)

    async def call_with_progress(self, tool: str, arguments: dict[str, Any]) -> tuple[Any, list[tuple[float, Any, Any]]]:
        seen: list[tuple[float, Any, Any]] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            seen.append((progress, total, message))

        return await self.client.call_tool(tool, arguments, progress_callback=on_progress), seen

    @asynccontextmanager
    async def list_changed_watch(self) -> AsyncIterator[Callable[[float], Awaitable[str]]]:
        if self.modern:
            from mcp.client.subscriptions import ToolsListChanged

            async with self.client.listen(tools_list_changed=True) as sub:
                expect(bool(sub.honored and sub.honored.tools_list_changed), f"listen ack did not honour toolsListChanged: {sub.honored}")

                async def wait(timeout: float) -> str:
                    with anyio.fail_after(timeout):
                        async for event in sub:
                            if isinstance(event, ToolsListChanged):
                                return "subscriptions/listen event ToolsListChanged"
                    raise CheckFailed("the listen stream ended without a tools list change")

                yield wait
        else:
            self.notified = anyio.Event()

            async def wait(timeout: float) -> str:
                with anyio.fail_after(timeout):
                    await self.notified.wait()
                return "notifications/tools/list_changed"

            yield wait

    async def call_and_abandon(self, tool: str, arguments: dict[str, Any], after: float) -> None:
        with anyio.move_on_after(after) as scope:
            await self.client.call_tool(tool, arguments)
        expect(scope.cancelled_caught, "the call returned before it could be cancelled")


class WsDriver(Driver):
    """A raw WebSocket client (subprotocol mcp), one JSON-RPC message per text frame."""

    def __init__(self, cell: Cell, env: Env):
        self.cell = cell
        self.env = env
        self.asked = []
        self.wire = []
        self.ws: Any = None
        self.ids = itertools.count(1)
        self.pending: dict[Any, tuple[anyio.Event, list[dict[str, Any]]]] = {}
        self.watchers: list[Callable[[dict[str, Any]], None]] = []
        self.capabilities = {"elicitation": {}}

    async def open(self, stack: AsyncExitStack) -> None:
        from websockets.asyncio.client import connect

        self.ws = await stack.enter_async_context(
            connect(self.env.ws_url, subprotocols=["mcp"], open_timeout=10, max_size=None))
        expect(self.ws.subprotocol == "mcp", f"subprotocol {self.ws.subprotocol!r}")
        tg = await stack.enter_async_context(anyio.create_task_group())
        stack.callback(tg.cancel_scope.cancel)
        tg.start_soon(self._reader)
        if self.cell.mode == "legacy":
            await self._handshake()
        elif self.cell.mode == "auto":
            self.negotiated = MODERN  # the probe itself is enveloped
            probe = await self._request("server/discover", {})
            offered = probe.get("result", {}).get("supportedVersions", [])
            if MODERN in offered:
                self.negotiated = MODERN
            else:
                # Any error or a result without the modern version: fall back, as the SDK does.
                # (On a connection the era is fixed by the first request; a gateway that locked
                # this one modern would refuse initialize, and the checks would show it.)
                self.negotiated = None
                await self._handshake()
        else:
            self.negotiated = MODERN

    async def _handshake(self) -> None:
        init = await self._request("initialize", {"protocolVersion": "2025-11-25", "capabilities": self.capabilities,
                                                  "clientInfo": {"name": "interop-matrix-ws", "version": "0"}})
        expect("result" in init, f"initialize: {init}")
        self.negotiated = init["result"]["protocolVersion"]
        await self._send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    async def _send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    def _params(self, params: dict[str, Any] | None, **meta: Any) -> dict[str, Any]:
        p = dict(params or {})
        m = dict(meta)
        if self.modern:
            m.update({"io.modelcontextprotocol/protocolVersion": MODERN,
                      "io.modelcontextprotocol/clientCapabilities": self.capabilities,
                      "io.modelcontextprotocol/clientInfo": {"name": "interop-matrix-ws", "version": "0"}})
        if m:
            p["_meta"] = m
        return p

    async def _reader(self) -> None:
        async for frame in self.ws:
            message = json.loads(frame)
            if "id" in message and ("result" in message or "error" in message):
                waiter = self.pending.pop(message["id"], None)
                if waiter:
                    waiter[1].append(message)
                    waiter[0].set()
            elif "id" in message and "method" in message:
                await self._server_request(message)
            else:
                for watch in list(self.watchers):
                    watch(message)

    async def _server_request(self, message: dict[str, Any]) -> None:
        if message["method"] == "elicitation/create":
            result = await answer_elicitation(self.asked, message["params"]["message"])
            await self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        else:
            await self._send({"jsonrpc": "2.0", "id": message["id"],
                              "error": {"code": -32601, "message": f"not supported: {message['method']}"}})

    def _start(self, rid: Any) -> tuple[anyio.Event, list[dict[str, Any]]]:
        waiter = (anyio.Event(), [])
        self.pending[rid] = waiter
        return waiter

    async def _request(self, method: str, params: dict[str, Any] | None, rid: Any = None,
                       timeout: float = CHECK_TIMEOUT_S, **meta: Any) -> dict[str, Any]:
        rid = next(self.ids) if rid is None else rid
        done, box = self._start(rid)
        await self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": self._params(params, **meta)})
        with anyio.fail_after(timeout):
            await done.wait()
        return box[0]

    @staticmethod
    def _result(reply: dict[str, Any]) -> dict[str, Any]:
        if "error" in reply:
            raise CheckFailed(f"JSON-RPC error {reply['error']}")
        return reply["result"]

    async def tool_names(self) -> set[str]:
        return {t["name"] for t in self._result(await self._request("tools/list", {}))["tools"]}

    async def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        params: dict[str, Any] = {"name": tool, "arguments": arguments}
        for _ in range(4):
            result = self._result(await self._request("tools/call", params))
            if result.get("resultType") != "input_required":
                return result
            # 2026-07-28 multi round trip: answer every input request, retry with the sealed state.
            responses = {}
            for key, req in (result.get("inputRequests") or {}).items():
                expect(req.get("method") == "elicitation/create", f"unexpected input request {req}")
                responses[key] = await answer_elicitation(self.asked, req["params"]["message"])
            params = {"name": tool, "arguments": arguments, "inputResponses": responses}
            if "requestState" in result:
                params["requestState"] = result["requestState"]
        raise CheckFailed("still input_required after 4 rounds")

    async def call_with_progress(self, tool: str, arguments: dict[str, Any]) -> tuple[Any, list[tuple[float, Any, Any]]]:
        token = f"progress-{self.cell.id}"
        seen: list[tuple[float, Any, Any]] = []

        def watch(message: dict[str, Any]) -> None:
            p = message.get("params") or {}
            if message.get("method") == "notifications/progress" and p.get("progressToken") == token:
                seen.append((p.get("progress"), p.get("total"), p.get("message")))

        self.watchers.append(watch)
        try:
            reply = await self._request("tools/call", {"name": tool, "arguments": arguments}, progressToken=token)
        finally:
            self.watchers.remove(watch)
        return self._result(reply), seen

    @asynccontextmanager
    async def list_changed_watch(self) -> AsyncIterator[Callable[[float], Awaitable[str]]]:
        got = anyio.Event()
        listen_id = f"listen-{self.cell.id}" if self.modern else None
        acked: list[dict[str, Any]] = []

        def watch(message: dict[str, Any]) -> None:
            method = message.get("method")
            tag = ((message.get("params") or {}).get("_meta") or {}).get("io.modelcontextprotocol/subscriptionId")
            if listen_id is not None and tag != listen_id:
                return
            if method == "notifications/subscriptions/acknowledged":
                acked.append(message["params"])
                ack.set()
            elif method == "notifications/tools/list_changed":
                got.set()

        ack = anyio.Event()
        self.watchers.append(watch)
        try:
            if listen_id is not None:
                done, box = self._start(listen_id)
                await self._send({"jsonrpc": "2.0", "id": listen_id, "method": "subscriptions/listen",
                                  "params": self._params({"notifications": {"toolsListChanged": True}})})
                with anyio.fail_after(10):
                    while not ack.is_set() and not done.is_set():
                        await anyio.sleep(0.02)
                if box:
                    raise CheckFailed(f"subscriptions/listen answered {box[0]}")
                expect(acked[0].get("notifications", {}).get("toolsListChanged") is True, f"listen ack {acked[0]}")

            async def wait(timeout: float) -> str:
                with anyio.fail_after(timeout):
                    await got.wait()
                return "subscriptions/listen notification" if listen_id else "notifications/tools/list_changed"

            yield wait
        finally:
            self.watchers.remove(watch)
            if listen_id is not None:
                self.pending.pop(listen_id, None)
                await self._send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": listen_id}})

    async def call_and_abandon(self, tool: str, arguments: dict[str, Any], after: float) -> None:
        rid = next(self.ids)
        done, box = self._start(rid)
        await self._send({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                          "params": self._params({"name": tool, "arguments": arguments})})
        await anyio.sleep(after)
        expect(not done.is_set(), f"the call returned before it could be cancelled: {box}")
        await self._send({"jsonrpc": "2.0", "method": "notifications/cancelled",
                          "params": {"requestId": rid, "reason": "interop matrix"}})
        self.pending.pop(rid, None)


# --------------------------------------------------------------------------------------------
# the six checks
# --------------------------------------------------------------------------------------------


def answers(d: Driver, check: str) -> list[str]:
    return [w for c, w in d.wire if c == check]


def expect_answers(d: Driver, check: str, rpc: str, ctype: str, why: str) -> None:
    seen = [w for w in answers(d, check) if w.startswith(rpc + " →")]
    expect(bool(seen), f"no {rpc} answer recorded")
    wrong = [w for w in seen if not w.endswith("→ " + ctype)]
    expect(not wrong, f"{why}: expected {ctype}, got {wrong}")


async def check_list(d: Driver, env: Env) -> str:
    names = await d.tool_names()
    expect(harness.META_TOOLS <= names, f"meta-tools missing from tools/list: {sorted(harness.META_TOOLS - names)}")
    if d.cell.front_end == "http-json":
        expect_answers(d, "list", "tools/list", "application/json", "tools/list has nothing to stream")
    return f"{len(names)} tools"


async def check_search(d: Driver, env: Env) -> str:
    backend = d.cell.backend
    query = f"echo text back {backend}"
    # With ~90 cells starting backends at once on two cores, a backend can miss the gateway's
    # discovery deadline; the answer then names it as unavailable, and a later search includes it.
    with anyio.fail_after(SEARCH_SETTLE_S):
        while True:
            result = await d.call("gateway_search_tools", {"query": query})
            data = result["structuredContent"] if isinstance(result, dict) else harness.structured(result)
            if backend not in data.get("unavailableServers", []):
                break
            await anyio.sleep(0.5)
    top = [(m["server"], m["tool"]) for m in data["matches"][:3]]
    expect(bool(top) and top[0] == (backend, "echo"), f"query {query!r}: top hits {top}")
    if d.cell.front_end == "http-json":
        expect_answers(d, "search", "tools/call gateway_search_tools", "application/json", "a search has nothing to stream")
    return f"{query!r} → {backend}/echo"


async def check_progress(d: Driver, env: Env) -> str:
    result, seen = await d.call_with_progress(
        "gateway_invoke", {"server": d.cell.backend, "tool": "progress", "arguments": {"steps": PROGRESS_STEPS}})
    expect(text_of(result) == "done", f"result text {text_of(result)!r}")
    steps = list(range(1, PROGRESS_STEPS + 1))
    expect([p for p, _, _ in seen] == steps, f"progress seen {seen}")
    expect([t for _, t, _ in seen] == [PROGRESS_STEPS] * PROGRESS_STEPS, f"totals {seen}")
    expect(seen[0][2] == f"step 1/{PROGRESS_STEPS}", f"messages {seen}")
    if d.cell.front_end.startswith("http-"):
        expect_answers(d, "progress", "tools/call progress", "text/event-stream",
                       "progress needs the answer to become an event stream")
    return f"{len(seen)}/{PROGRESS_STEPS} steps"


async def check_elicitation(d: Driver, env: Env) -> str:
    question = f"proceed with {d.cell.id}?"
    before = len(d.asked)
    result = await d.invoke(d.cell.backend, "ask", {"question": question})
    expect(not (result.get("isError") if isinstance(result, dict) else result.is_error), f"isError: {text_of(result)!r}")
    expect(d.asked[before:] == [question], f"client was asked {d.asked[before:]}")
    expect(text_of(result) == f"answer: yes to {question}", f"result text {text_of(result)!r}")
    if d.cell.front_end.startswith("http-") and not d.modern:
        expect_answers(d, "elicitation", "tools/call ask", "text/event-stream",
                       "the relayed elicitation/create request travels on the POST's event stream")
    return "input_required round trip" if d.modern else "elicitation/create relayed"


async def check_list_changed(d: Driver, env: Env) -> str:
    backend, name = d.cell.backend, d.cell.tool_name
    async with env.list_changed_lock:
        # Whatever earlier work may still announce (a catalog refresh this listing triggers, a late
        # notification of the previous check) arrives before the watch starts counting.
        await d.call("gateway_list_tools", {"server": backend})
        await anyio.sleep(0.3)
        async with d.list_changed_watch() as wait:
            grown = await d.invoke(backend, "grow", {"name": name})
            expect(text_of(grown) == f"added {name}", f"grow answered {text_of(grown)!r}")
            try:
                how = await wait(10)
            except TimeoutError:
                raise CheckFailed("no tools list change reached the client within 10 s of grow") from None
        # The same change is on its way to every other session of this gateway; let it land before
        # the next holder of the lock (another check, or a client closing) goes ahead.
        await anyio.sleep(0.1)
    listed = await d.call("gateway_list_tools", {"server": backend})
    data = listed["structuredContent"] if isinstance(listed, dict) else harness.structured(listed)
    expect(name in {t["name"] for t in data["tools"]}, f"{name} not in the catalog of {backend} after the notification")
    called = await d.invoke(backend, name, {"text": "hi"})
    expect(text_of(called) == f"{name}: hi", f"new tool answered {text_of(called)!r}")
    return how


async def check_cancellation(d: Driver, env: Env) -> str:
    marker = env.log_dir / "markers" / f"{d.cell.id}.cancelled"
    marker.parent.mkdir(exist_ok=True)
    started = time.monotonic()
    await d.call_and_abandon("gateway_invoke", {"server": d.cell.backend, "tool": "wait_cancel",
                                                "arguments": {"seconds": WAIT_CANCEL_S, "marker": str(marker)}}, CANCEL_AFTER_S)
    t0 = time.monotonic()
    # The backend creates the file, then writes: wait for the content.
    while not (marker.exists() and marker.read_text()) and time.monotonic() - t0 < MARKER_WAIT_S:
        await anyio.sleep(0.05)
    if not marker.exists():
        # Not relayed: the call is still running on the backend; let it end before the next check there.
        await anyio.sleep(max(0.0, started + WAIT_CANCEL_S + 0.5 - time.monotonic()))
    expect(marker.exists(), f"not relayed: the backend never saw a cancellation (no marker {MARKER_WAIT_S:.0f} s after abandoning)")
    expect(marker.read_text() == "cancelled", f"marker holds {marker.read_text()!r}")
    after = await d.invoke(d.cell.backend, "echo", {"text": "after cancel"})
    expect(text_of(after) == "after cancel", f"connection unusable after the cancellation: {text_of(after)!r}")
    return f"backend cancelled after {time.monotonic() - t0 + CANCEL_AFTER_S:.1f} s"


CHECK_FUNCS: dict[str, Callable[[Driver, Env], Awaitable[str]]] = {
    "list": check_list,
    "search": check_search,
    "progress": check_progress,
    "elicitation": check_elicitation,
    "list_changed": check_list_changed,
    "cancellation": check_cancellation,
}


# --------------------------------------------------------------------------------------------
# running cells
# --------------------------------------------------------------------------------------------


def describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(describe(e) for e in exc.exceptions)
    if isinstance(exc, CheckFailed):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return f"timed out ({CHECK_TIMEOUT_S:.0f} s)"
    text = f"{type(exc).__name__}: {exc}".strip()
    if not str(exc).strip():
        # No message: where it came from is the useful part.
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:
            text += f" (in {Path(frames[-1].filename).name}:{frames[-1].name})"
    return text[:600]


async def run_cell(cell: Cell, env: Env, checks: tuple[str, ...] = CHECKS) -> CellRun:
    run = CellRun(cell)
    t0 = time.monotonic()
    d: Driver = WsDriver(cell, env) if cell.front_end == "ws" else SdkDriver(cell, env)
    stack = AsyncExitStack()
    try:
        # No fail_after here: the client's task groups outlive this call (cancel scopes must nest);
        # the SDK's read timeout and the WebSocket open timeout bound the handshake.
        await d.open(stack)  # type: ignore[attr-defined]
        run.negotiated = d.negotiated
    except Exception as exc:  # noqa: BLE001 - recorded per check
        reason = f"connect failed: {describe(exc)}"
        for check in checks:
            status, detail = classify(cell, check, False, reason)
            run.outcomes[check] = Outcome(status, detail)
        await _close(stack, run, env)
        run.seconds = time.monotonic() - t0
        return run
    for check in checks:
        d.current = check
        c0 = time.monotonic()
        try:
            async with env.access(cell, check):
                with anyio.fail_after(CHECK_TIMEOUT_S):
                    note = await CHECK_FUNCS[check](d, env)
            ok, detail = True, note
        except Exception as exc:  # noqa: BLE001
            ok, detail = False, describe(exc)
        status, detail = classify(cell, check, ok, detail)
        run.outcomes[check] = Outcome(status, detail, time.monotonic() - c0, answers(d, check))
    await _close(stack, run, env)
    run.seconds = time.monotonic() - t0
    return run


async def _close(stack: AsyncExitStack, run: CellRun, env: Env) -> None:
    try:
        # A legacy sse_client closing while a notification arrives can fail its exit: close
        # shared-gateway clients while no list_changed check is producing notifications.
        async with (env.list_changed_lock if run.cell.front_end != "stdio" else nullcontext()):  # type: ignore[attr-defined]
            await stack.aclose()
    except Exception as exc:  # noqa: BLE001
        run.close_error = describe(exc)
        if run.cell.front_end == "sse" and _sse_reader_race(exc):
            run.close_known = SSE_CLOSE_RACE
        run.close_traceback = "".join(traceback.format_exception(exc))


SSE_CLOSE_RACE = (
    "SDK issue (mcp 2.3.0 `mcp/client/sse.py`): `sse_client`'s reader task still forwards a server message that "
    "arrives after the session has closed its read stream, gets `BrokenResourceError`/`ClosedResourceError`, and the "
    "transport's task group fails the client's exit. Any message late enough triggers it (a `tools/list_changed` "
    "meant for every session, a late answer); the checks had all finished.")


def _sse_reader_race(exc: BaseException) -> bool:
    if isinstance(exc, BaseExceptionGroup):
        return all(_sse_reader_race(e) for e in exc.exceptions)
    if not isinstance(exc, (anyio.BrokenResourceError, anyio.ClosedResourceError)):
        return False
    return any(f.filename.endswith("mcp/client/sse.py") and f.name == "sse_reader"
               for f in traceback.extract_tb(exc.__traceback__))


async def run_cells(cells: list[Cell], env: Env, concurrency: int = 6) -> dict[Cell, CellRun]:
    limiter = anyio.CapacityLimiter(concurrency)
    results: dict[Cell, CellRun] = {}

    async def one(cell: Cell) -> None:
        async with limiter:
            results[cell] = await run_cell(cell, env)

    # stdio cells first: they start a gateway process each, the slowest part, so they overlap the rest.
    ordered = sorted(cells, key=lambda c: (c.front_end != "stdio", c))
    async with anyio.create_task_group() as tg:
        for cell in ordered:
            tg.start_soon(one, cell)
    return results


def run_metadata(seconds: float) -> dict[str, str]:
    try:
        version = subprocess.run([str(harness.gateway_bin()), "--version"], capture_output=True, text=True,
                                 timeout=10).stdout.strip()
    except Exception:  # noqa: BLE001
        version = "?"
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "sdk": importlib.metadata.version("mcp"),
        "websockets": importlib.metadata.version("websockets"),
        "gateway": version,
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "seconds": f"{seconds:.0f}",
    }


# --------------------------------------------------------------------------------------------
# docs/interop.md
# --------------------------------------------------------------------------------------------

MARK = {"pass": "✅", "fixed": "✅", "fail": "❌", "gap": "❌", "na": "➖"}


class Notes:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def ref(self, text: str) -> str:
        if text not in self.texts:
            self.texts.append(text)
        return f"[^{self.texts.index(text) + 1}]"


def render(run: MatrixRun) -> str:
    notes = Notes()
    meta = run.meta
    counts = Counter(o.status for c in run.cells.values() for o in c.outcomes.values())
    total = sum(counts.values())
    out: list[str] = []
    w = out.append
    w("<!-- Generated by Tests/interop/test_interop_matrix.py at the end of a full matrix run. Do not edit by hand. -->\n")
    w("# Interop matrix\n")
    w("What the official MCP Python SDK client sees through the gateway, on every front end, with every kind of "
      "backend. Each cell is one client connection running six checks in order:\n")
    w("| check | what it asserts |\n|---|---|")
    w("| list | `tools/list` holds the four meta-tools |")
    w("| search | `gateway_search_tools` \"echo text back &lt;backend&gt;\" ranks that backend's `echo` first |")
    w(f"| invoke + progress | `gateway_invoke` `progress(steps={PROGRESS_STEPS})`: every step reaches the progress callback (progress, total, message), result `done` |")
    w("| elicitation | `gateway_invoke` `ask`: the backend's elicitation reaches the client (a relayed `elicitation/create`, or "
      "an `input_required` round trip at 2026-07-28) and the client's answer comes back in the tool result |")
    w("| list_changed | `gateway_invoke` `grow(<unique name>)`: the client is told (`notifications/tools/list_changed`, or a "
      "`subscriptions/listen` event at 2026-07-28), the new tool is in `gateway_list_tools` and callable |")
    w(f"| cancellation | `gateway_invoke` `wait_cancel` abandoned after {CANCEL_AFTER_S:.0f} s (SDK: `anyio.move_on_after` around "
      f"`call_tool`; raw WebSocket: `notifications/cancelled`): the backend sees the cancellation (writes its marker file "
      f"within {MARKER_WAIT_S:.0f} s), and the connection still works |")
    w("")
    w("Regenerate: `scripts/test.sh -k matrix` (or `.venv/bin/python -m pytest Tests/interop/test_interop_matrix.py -p "
      "no:cacheprovider`). The file is rewritten only when the whole matrix ran.\n")
    w(f"Last run: {meta.get('date', '?')} · mcp-gateway {meta.get('gateway', '?')} · `mcp` (Python SDK) "
      f"{meta.get('sdk', '?')} · `websockets` {meta.get('websockets', '?')} · Python {meta.get('python', '?')} · "
      f"{meta.get('platform', '?')} · matrix time {meta.get('seconds', '?')} s\n")
    w(f"**{counts['pass'] + counts['fixed']} of {total} checks pass** ({len(run.cells)} cells × {len(CHECKS)} checks); "
      f"{counts['gap']} fail as documented known gaps (xfail), {counts['fail']} fail unexpectedly"
      + (f", {counts['na']} not applicable" if counts["na"] else "") + ".\n")
    w("Setup: one gateway process serves the HTTP, legacy SSE and WebSocket front ends, in front of six "
      "`servers/server.py` backends (the SDK's dual-era server): alpha over stdio, beta over Streamable HTTP, gamma over "
      "legacy SSE, each pinned to the `initialize` handshake (`protocol_version: \"2025-11-25\"`), and delta, epsilon, "
      "zeta over the same three transports pinned to 2026-07-28 (the gateway's `server/discover` probe must find that "
      "era, and it then stamps the `_meta` envelope on every request, sends the routing headers over HTTP, turns "
      "`input_required` results into questions to the client, keeps a `subscriptions/listen` stream for list changes, "
      "and cancels by closing the request's HTTP stream or sending `notifications/cancelled`). The stdio front "
      "end is a fresh `mcp-gateway --stdio` per client (the SDK spawns it, with an empty catalog cache) in front of its "
      "own stdio backend (only the cell's) and a second set of HTTP and SSE backends shared by the stdio cells. Backend call timeout "
      f"{BACKEND_TIMEOUT}, so the gateway's own timeout can never pass for a relayed cancellation. Cells run "
      "concurrently, except list_changed checks (one at a time: a gateway tells every session it serves) and "
      "elicitation and cancellation checks on the shared gateway's stdio and legacy SSE backends, which run with that "
      "backend to themselves (a cancellation that is not relayed leaves its call running there for a while): those transports carry no link between a backend's `elicitation/create` and the call that caused "
      "it, so while calls of several clients are in flight there the gateway refuses to guess (the backend gets an "
      "error) rather than risk showing one person's question to another "
      "(`test_gateway_relay.py::test_concurrent_elicitations_never_cross_clients`).\n")
    w("Front ends: *Streamable HTTP, JSON answers* is the SDK client on `/mcp` with the wire check that answers carrying "
      "no notification are `application/json` (list, search) and that the progress call switches to "
      "`text/event-stream`; *SSE answers* is the same client with a progressToken on every `tools/call`, checked for "
      "event-stream answers wherever a notification or relayed request travels with the answer. The gateway picks the "
      "answer type per answer, not per connection: a progressToken alone does not make a stream, only a message that "
      "comes before the result does; so both rows see the same content types (table below) and differ in what they "
      "assert. The *WebSocket* rows use a raw `websockets` client (the SDK has no WebSocket client transport): "
      + "; ".join(f"in the `{m}` table it is the {WS_MODE_MEANING[m]}" for m in MODES) + ".\n")

    for mode in MODES:
        by_version: dict[str, list[str]] = {}
        for fe in FRONT_ENDS:
            for v in sorted({c.negotiated or "none (connect failed)" for cell, c in run.cells.items()
                             if cell.mode == mode and cell.front_end == fe}):
                by_version.setdefault(v, []).append(FRONT_END_TITLES[fe])
        versions = list(by_version)
        w(f"## Client mode {MODE_TITLES[mode]}\n")
        if len(versions) == 1:
            w(f"Negotiated protocol version: `{versions[0]}` on every front end.\n")
        else:
            w("Negotiated protocol version: " + "; ".join(f"`{v}` ({', '.join(fes)})" for v, fes in by_version.items()) + ".\n")
        w("| front end | backend | " + " | ".join(CHECK_TITLES[k] for k in CHECKS) + " |")
        w("|---|---|" + "---|" * len(CHECKS))
        for fe in FRONT_ENDS:
            for be in BACKENDS:
                cell = Cell(mode, fe, be)
                cr = run.cells.get(cell)
                row_note = ""
                if cr and cr.close_error:
                    row_note = notes.ref(cr.close_known or f"Closing the client failed: {cr.close_error}")
                marks = []
                for check in CHECKS:
                    o = run.outcome(cell, check)
                    mark = MARK[o.status]
                    if o.status == "gap":
                        mark += notes.ref(o.detail.split(" Observed: ")[0])
                    elif o.status != "pass":
                        mark += notes.ref(o.detail)
                    marks.append(mark)
                w(f"| {FRONT_END_TITLES[fe]}{row_note} | {be} ({BACKEND_TITLES[be]}) | " + " | ".join(marks) + " |")
        w("")

    w("## Streamable HTTP answer types observed\n")
    w("Content type of each POST answer the SDK client read during a check (all six backends; `(none, 202)` is a "
      "notification's acknowledgement). The gateway answers `application/json` when the result is the first message "
      "and switches to `text/event-stream` as soon as a notification or a relayed request comes first.\n")
    w("| mode | front end | " + " | ".join(CHECK_TITLES[k] for k in CHECKS) + " |")
    w("|---|---|" + "---|" * len(CHECKS))
    for mode in MODES:
        for fe in ("http-json", "http-sse"):
            cols = []
            for check in CHECKS:
                seen = sorted({x for be in BACKENDS for x in run.outcome(Cell(mode, fe, be), check).wire
                               if not x.startswith("GET") and not x.startswith("DELETE")})
                cols.append("<br>".join(s.replace("→", "→&nbsp;") for s in seen) or "—")
            w(f"| `{mode}` | {FRONT_END_TITLES[fe]} | " + " | ".join(cols) + " |")
    w("")

    problems: dict[tuple[str, str], list[str]] = {}
    for cell, cr in sorted(run.cells.items()):
        for check, o in cr.outcomes.items():
            if o.status not in ("pass", "na"):
                observed = o.detail.split(" Observed: ")[-1].replace(cell.id, "<cell>")
                problems.setdefault((check, observed), []).append(cell.id)
        if cr.close_error:
            problems.setdefault(("close", cr.close_error.replace(cell.id, "<cell>")), []).append(cell.id)
    if problems:
        w("## What the checks that did not pass observed\n")
        for (check, observed), cells in problems.items():
            w(f"- **{CHECK_TITLES.get(check, check)}** in {', '.join(f'`{c}`' for c in cells)}: {observed}")
        w("")
    w("## Notes\n")
    for i, text in enumerate(notes.texts, 1):
        w(f"[^{i}]: {text}")
    return "\n".join(out) + "\n"


def write_doc(path: Path) -> None:
    path.write_text(render(RUN))
