"""The local OTLP/HTTP trace receiver (servers/otlp_receiver.py) as a test fixture.

    with running_otlp_receiver(log_dir) as otlp:
        cfg = {..., "endpoint": otlp.endpoint}                      # http://127.0.0.1:PORT
        ...                                                           # drive the gateway
        spans = otlp.wait_for_spans(lambda s: any(x["name"] == "tools/call" for x in s))
        root = next(x for x in spans if x["parent_span_id"] == "")
        children = span_tree(spans, root["trace_id"])[root["span_id"]]
        otlp.requests()[0]["headers"]["authorization"]              # export headers, lowercased
        otlp.clear()                                                  # forget spans and requests

The gateway posts to `<endpoint>/v1/traces` (OTLP/HTTP's convention; `otlp.traces_url`). A span
is a dict: trace_id (32 hex), span_id (16 hex), parent_span_id (16 hex or ""), name, kind
("SERVER", "CLIENT", "INTERNAL", ...), start_ns, end_ns, status_code ("UNSET", "OK", "ERROR"),
status_message, attributes (plain Python values), events, links, resource (the resource's
attributes), scope (the instrumentation scope's name), scope_version, and request (the index in
`requests()` of the export that carried it). `requests()` lists every POST, refused ones too
({path, method, headers, status, error, span_count}); `stats()` counts them.

The module-scoped `otlp_receiver` fixture gives a module one receiver; import it into a test
module (`from otlp_fixture import otlp_receiver  # noqa: F401`) and `clear()` between tests.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

import harness

RECEIVER_PY = Path(__file__).resolve().parent / "servers" / "otlp_receiver.py"

Spans = list[dict[str, Any]]


@dataclass
class OtlpReceiver:
    endpoint: str
    proc: subprocess.Popen[Any]
    log: Path
    #: The OTLP/gRPC address (`http://127.0.0.1:PORT`) when started with `grpc=True`.
    grpc_endpoint: str | None = None

    @property
    def traces_url(self) -> str:
        return self.endpoint + "/v1/traces"

    def _get(self, path: str) -> Any:
        r = httpx.get(self.endpoint + path, timeout=10)
        r.raise_for_status()
        return r.json()

    def spans(self) -> Spans:
        """Every span received so far, in arrival order."""
        return self._get("/spans")

    def requests(self) -> list[dict[str, Any]]:
        """Every POST so far: {path, method, headers (names lowercased), status, error, span_count}."""
        return self._get("/requests")

    def stats(self) -> dict[str, int]:
        """{exports: accepted POSTs, rejected: refused POSTs, spans: spans kept}."""
        return self._get("/stats")

    def clear(self) -> None:
        """Forgets every span and request received so far."""
        httpx.delete(self.endpoint + "/spans", timeout=10).raise_for_status()

    def wait_for_spans(self, predicate: Callable[[Spans], bool], timeout: float = 10.0,
                       interval: float = 0.05) -> Spans:
        """Polls until `predicate(spans)` holds and returns those spans. Exporters batch (a
        batch processor flushes on a timer), hence the wait. On timeout raises AssertionError
        showing every span and export request that did arrive."""
        deadline = time.monotonic() + timeout
        while True:
            spans = self.spans()
            if predicate(spans):
                return spans
            if time.monotonic() >= deadline:
                raise AssertionError(f"the spans awaited did not arrive within {timeout}s.\n"
                                     f"{self.describe(spans)}")
            time.sleep(interval)

    def describe(self, spans: Spans | None = None) -> str:
        """What arrived, for a failure message: the span trees, then the export requests."""
        spans = self.spans() if spans is None else spans
        lines = [f"spans received ({len(spans)}):", format_spans(spans) or "  (none)",
                 f"export requests ({self.stats()}):"]
        for r in self.requests():
            lines.append(f"  POST {r['path']} -> {r['status']} spans={r['span_count']}"
                         + (f" error={r['error']!r}" if r["error"] else "")
                         + f" content-type={r['headers'].get('content-type', '')!r}")
        lines.append(f"receiver log (tail):\n{harness.tail(self.log, 20)}")
        return "\n".join(lines)

    def stop(self) -> None:
        harness.stop_process(self.proc)


def start_otlp_receiver(log_dir: Path, *, timeout: float = 20.0, grpc: bool = False) -> OtlpReceiver:
    """Start the receiver on an OS-chosen port (and its OTLP/gRPC service on another with
    `grpc=True`); return once it printed `READY <url>`."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "otlp-receiver.log"
    args = [harness.PYTHON, str(RECEIVER_PY), "--tag", harness.RUN_TAG]
    grpc_port_file = log_dir / f"otlp-receiver-grpc-{harness.RUN_TAG}-{time.monotonic_ns()}.port"
    if grpc:
        args += ["--grpc-port-file", str(grpc_port_file)]
    errf = open(log, "ab")
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errf, start_new_session=True)
    errf.close()
    harness._register(proc)
    url = harness.wait_for_ready_line(proc, log, timeout, "otlp receiver")
    grpc_endpoint = f"http://127.0.0.1:{int(grpc_port_file.read_text())}" if grpc else None
    return OtlpReceiver(url, proc, log, grpc_endpoint)


@contextmanager
def running_otlp_receiver(log_dir: Path, **kw: Any) -> Iterator[OtlpReceiver]:
    receiver = start_otlp_receiver(log_dir, **kw)
    try:
        yield receiver
    finally:
        receiver.stop()


def span_tree(spans: Spans, trace_id: str) -> dict[str, Spans]:
    """The spans of one trace as {parent span_id: children, by start time}; roots are under "".
    A span whose parent is not among the spans is listed under that parent's id all the same
    (so `tree[""]` holding one span and every other parent id being a known span_id is the
    check that the trace is one connected tree)."""
    tree: dict[str, Spans] = {}
    for span in spans:
        if span["trace_id"] == trace_id:
            tree.setdefault(span["parent_span_id"], []).append(span)
    for children in tree.values():
        children.sort(key=lambda s: (s["start_ns"], s["name"]))
    return tree


def format_spans(spans: Spans) -> str:
    """Every trace as an indented tree: name, kind, status, duration and attributes per span."""
    lines: list[str] = []
    for trace_id in dict.fromkeys(s["trace_id"] for s in spans):
        tree = span_tree(spans, trace_id)
        members = [s for s in spans if s["trace_id"] == trace_id]
        known = {s["span_id"] for s in members}
        shown: set[str] = set()
        lines.append(f"  trace {trace_id}")
        _format_subtree(tree, "", 1, shown, lines)
        # Spans whose parent never arrived would otherwise vanish from the dump.
        for parent in tree:
            if parent and parent not in known:
                lines.append(f"    (parent {parent} not received)")
                _format_subtree(tree, parent, 2, shown, lines)
        for s in members:
            if s["span_id"] not in shown:
                lines.append(f"    (in a parent cycle) - {s['name']} span={s['span_id']} parent={s['parent_span_id']}")
    return "\n".join(lines)


def _format_subtree(tree: dict[str, Spans], parent: str, depth: int, shown: set[str], lines: list[str]) -> None:
    for s in tree.get(parent, []):
        if s["span_id"] in shown:  # a parent cycle must not recurse forever
            continue
        shown.add(s["span_id"])
        duration_ms = (s["end_ns"] - s["start_ns"]) / 1e6
        lines.append(f"  {'  ' * depth}- {s['name']} [{s['kind']} {s['status_code']}] span={s['span_id']} "
                     f"{duration_ms:.1f}ms scope={s['scope']!r} {json.dumps(s['attributes'], sort_keys=True)}")
        _format_subtree(tree, s["span_id"], depth + 1, shown, lines)


@pytest.fixture(scope="module")
def otlp_receiver(log_dir: Path) -> Iterator[OtlpReceiver]:
    """One receiver for the module (`clear()` it between tests that count spans)."""
    with running_otlp_receiver(log_dir) as receiver:
        yield receiver
