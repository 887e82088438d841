"""Issue 18, OpenTelemetry traces: the gateway's spans exported over OTLP/HTTP (protobuf) to a
real receiver (servers/otlp_receiver.py, decoding with `opentelemetry-proto`), and the W3C trace
context carried across the gateway.

One gateway with `telemetry.otlp` pointing at the receiver (an Authorization header on every
export), two SDK backends: `alpha` over stdio, `beta` over Streamable HTTP, and two API keys:
`user` (`alpha:add` denied, so a policy stage is in force) and `ops`.

- A search-then-invoke round from the official SDK client makes one trace per request: a SERVER
  span per request named by the MCP conventions, the search as its child, and for the invoke a
  policy span and a CLIENT span for the backend exchange (backend, transport, era) as siblings.
- A client's `traceparent` (HTTP header, or `_meta` as the 2026-07-28 spec puts it) becomes the
  parent of the gateway's span, and the backend receives the gateway's exchange span as its
  parent: in `_meta` over stdio, in `_meta` and as headers over HTTP; `/mcp/{backend}` too.
- A refused call has a failed policy span and no exchange; a tool error marks its spans.
- `protocol: grpc` sends the same tree over OTLP/gRPC (HTTP/2) to the receiver's gRPC service,
  with the export header as call metadata.
- `sample_ratio: 0` records no new trace but keeps a client's sampled one (parent-based); with
  `telemetry.otlp` unset, nothing reaches the backend.
"""
from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import harness
from otlp_fixture import OtlpReceiver, running_otlp_receiver, span_tree

pytestmark = pytest.mark.anyio

USER = "user-key-7c1e9a3f5b2d"
OPS = "ops-key-2b8d4f6a1c9e"
EXPORT_TOKEN = "otlp-export-token-4f9a2c7e1b3d8a6f"
# The batch processor's delay: spans reach the receiver within a fraction of a second.
FAST_EXPORT = {"OTEL_BSP_SCHEDULE_DELAY": "100"}


def config(tmp: Path, name: str, otlp: dict[str, Any] | None, beta: harness.HttpBackend) -> Path:
    extra: dict[str, Any] = {
        "auth": {"api_keys": [
            {"name": "user", "key": USER, "denied_tools": ["alpha:add"]},
            {"name": "ops", "key": OPS, "admin": True},
        ]},
    }
    if otlp is not None:
        extra["telemetry"] = {"otlp": otlp}
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha"), "beta": harness.http_backend(beta, "streamable_http")},
                              extra=extra)
    return harness.write_config(tmp / f"{name}.yaml", cfg)


@pytest.fixture(scope="module")
def beta(log_dir: Path) -> Iterator[harness.HttpBackend]:
    b = harness.start_http_backend("beta", "streamable-http", log_dir)
    yield b
    b.stop()


@pytest.fixture(scope="module")
def otlp(log_dir: Path) -> Iterator[OtlpReceiver]:
    with running_otlp_receiver(log_dir) as receiver:
        yield receiver


@pytest.fixture(scope="module")
def gw(log_dir: Path, otlp: OtlpReceiver, beta: harness.HttpBackend) -> Iterator[harness.Gateway]:
    otlp_cfg = {"endpoint": otlp.endpoint, "headers": {"Authorization": f"Bearer {EXPORT_TOKEN}"}}
    g = harness.start_gateway(config(log_dir, "traces", otlp_cfg, beta), log_dir, env=FAST_EXPORT)
    yield g
    g.stop()


def new_traceparent() -> tuple[str, str, str]:
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


def parse_traceparent(value: str) -> tuple[str, str]:
    version, trace_id, parent_id, flags = value.split("-")
    assert version == "00" and len(trace_id) == 32 and len(parent_id) == 16 and flags in ("00", "01"), value
    return trace_id, parent_id


def invoke(server: str, tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": "gateway_invoke", "arguments": {"server": server, "tool": tool, "arguments": arguments or {}}}


def result_text(final: dict[str, Any]) -> str:
    assert "result" in final, final
    return "".join(c.get("text", "") for c in final["result"]["content"])


def by_name(spans: list[dict[str, Any]], name: str, trace_id: str | None = None) -> list[dict[str, Any]]:
    return [s for s in spans if s["name"] == name and (trace_id is None or s["trace_id"] == trace_id)]


async def test_search_then_invoke_is_one_trace_per_request(gw: harness.Gateway, otlp: OtlpReceiver) -> None:
    otlp.clear()
    async with harness.keyed_client(gw, USER) as client:
        await client.call_tool("gateway_search_tools", {"query": "echo a message"})
        result = await client.call_tool("gateway_invoke", {"server": "alpha", "tool": "echo", "arguments": {"text": "hi"}})
        assert not result.is_error

    spans = otlp.wait_for_spans(lambda s: bool(by_name(s, "tools/call echo")) and bool(by_name(s, "tools/call gateway_search_tools")))
    search = by_name(spans, "tools/call gateway_search_tools")[0]
    assert search["kind"] == "SERVER" and search["parent_span_id"] == ""
    attrs = search["attributes"]
    assert attrs["mcp.method.name"] == "tools/call" and attrs["gen_ai.tool.name"] == "gateway_search_tools", attrs
    assert attrs["mcp_gateway.principal"] == "user" and attrs["mcp_gateway.front_end"] == "streamable_http", attrs
    assert attrs["mcp.protocol.version"] == "2025-11-25" and attrs["network.transport"] == "tcp", attrs
    children = span_tree(spans, search["trace_id"]).get(search["span_id"], [])
    assert [c["name"] for c in children] == ["mcp_gateway.search"], children
    assert children[0]["attributes"]["mcp_gateway.search.hits"] >= 1

    invoke_span = by_name(spans, "tools/call gateway_invoke")[0]
    assert invoke_span["trace_id"] != search["trace_id"], "a request without a client trace starts its own"
    below = span_tree(spans, invoke_span["trace_id"]).get(invoke_span["span_id"], [])
    assert [c["name"] for c in below] == ["mcp_gateway.policy", "tools/call echo"], below
    policy, exchange = below
    assert policy["status_code"] != "ERROR" and policy["end_ns"] <= exchange["start_ns"], (policy, exchange)
    assert exchange["kind"] == "CLIENT", exchange
    x = exchange["attributes"]
    assert (x["mcp_gateway.backend.name"], x["mcp_gateway.backend.transport"], x["network.transport"]) == ("alpha", "stdio", "pipe"), x
    assert x["gen_ai.tool.name"] == "echo" and x["mcp_gateway.attempt"] == 1 and x["mcp.protocol.version"], x
    assert invoke_span["start_ns"] <= exchange["start_ns"] and exchange["end_ns"] <= invoke_span["end_ns"]

    # Every span of the round came with the service's resource and the export's own header.
    assert all(s["resource"].get("service.name") == "mcp-gateway" for s in spans), {s["name"]: s["resource"] for s in spans}
    exports = [r for r in otlp.requests() if r["span_count"]]
    assert exports and all(r["headers"].get("authorization") == f"Bearer {EXPORT_TOKEN}" for r in exports), exports
    assert EXPORT_TOKEN not in gw.log.read_text(errors="replace"), "the export header's token reached the log"


def test_a_client_trace_crosses_the_gateway_to_every_backend(gw: harness.Gateway, otlp: OtlpReceiver) -> None:
    otlp.clear()
    with harness.RawSession(gw.url, credentials={"X-API-Key": OPS}) as s:
        s.initialize()
        # HTTP header in, to an HTTP backend: the backend gets the exchange span as its parent.
        header_tp, header_trace, header_parent = new_traceparent()
        _, _, final = s.request("tools/call", invoke("beta", "request_headers"), traceparent=header_tp, tracestate="vendor=1")
        seen_headers = json.loads(result_text(final))
        # `_meta` in, to a stdio backend: the gateway's context goes in `_meta`.
        meta_tp, meta_trace, meta_parent = new_traceparent()
        params = {**invoke("alpha", "request_meta"), "_meta": {"traceparent": meta_tp}}
        _, _, final = s.request("tools/call", params)
        seen_meta = json.loads(result_text(final))
        # ...and over HTTP the same context is in `_meta` as well.
        _, _, final = s.request("tools/call", {**invoke("beta", "request_meta"), "_meta": {"traceparent": meta_tp}})
        seen_http_meta = json.loads(result_text(final))

    spans = otlp.wait_for_spans(lambda sp: len(by_name(sp, "tools/call gateway_invoke", header_trace)) == 1
                                and len(by_name(sp, "tools/call request_meta", meta_trace)) == 2)

    request = by_name(spans, "tools/call gateway_invoke", header_trace)[0]
    assert request["parent_span_id"] == header_parent, "the request span continues the client's trace"
    exchange = by_name(spans, "tools/call request_headers", header_trace)[0]
    assert exchange["attributes"]["mcp_gateway.backend.transport"] == "streamable_http", exchange
    trace_id, parent_id = parse_traceparent(seen_headers["traceparent"])
    assert (trace_id, parent_id) == (header_trace, exchange["span_id"]), (seen_headers, exchange)
    assert "vendor=1" in seen_headers.get("tracestate", ""), seen_headers

    meta_requests = by_name(spans, "tools/call gateway_invoke", meta_trace)
    assert len(meta_requests) == 2 and all(r["parent_span_id"] == meta_parent for r in meta_requests), meta_requests
    stdio_exchange, http_exchange = sorted(by_name(spans, "tools/call request_meta", meta_trace),
                                           key=lambda x: x["attributes"]["mcp_gateway.backend.name"])
    assert parse_traceparent(seen_meta["traceparent"]) == (meta_trace, stdio_exchange["span_id"]), seen_meta
    assert parse_traceparent(seen_http_meta["traceparent"]) == (meta_trace, http_exchange["span_id"]), seen_http_meta


def test_direct_backend_endpoint_is_traced(gw: harness.Gateway, otlp: OtlpReceiver) -> None:
    otlp.clear()
    tp, trace_id, parent = new_traceparent()
    with harness.RawSession(f"{gw.base}/mcp/beta", credentials={"X-API-Key": OPS}) as s:
        s.initialize()
        _, _, final = s.request("tools/call", {"name": "request_headers", "arguments": {}}, traceparent=tp)
        seen = json.loads(result_text(final))
    spans = otlp.wait_for_spans(lambda sp: bool(by_name(sp, "tools/call request_headers", trace_id)))
    relayed = [x for x in by_name(spans, "tools/call request_headers", trace_id) if x["kind"] == "SERVER"]
    assert len(relayed) == 1 and relayed[0]["parent_span_id"] == parent, spans
    assert relayed[0]["attributes"]["mcp_gateway.front_end"] == "direct", relayed
    exchange = [x for x in by_name(spans, "tools/call request_headers", trace_id) if x["kind"] == "CLIENT"][0]
    assert parse_traceparent(seen["traceparent"]) == (trace_id, exchange["span_id"]), seen


def test_refusals_and_tool_errors_mark_their_spans(gw: harness.Gateway, otlp: OtlpReceiver) -> None:
    otlp.clear()
    with harness.RawSession(gw.url, credentials={"X-API-Key": USER}) as s:
        s.initialize()
        denied_tp, denied_trace, _ = new_traceparent()
        s.request("tools/call", invoke("alpha", "add", {"a": 1, "b": 2}), traceparent=denied_tp)
        failed_tp, failed_trace, _ = new_traceparent()
        s.request("tools/call", invoke("alpha", "fail"), traceparent=failed_tp)
    spans = otlp.wait_for_spans(lambda sp: bool(by_name(sp, "tools/call fail", failed_trace))
                                and bool(by_name(sp, "mcp_gateway.policy", denied_trace)))
    policy = by_name(spans, "mcp_gateway.policy", denied_trace)[0]
    assert policy["status_code"] == "ERROR" and policy["attributes"]["mcp_gateway.refusal"] == "denied", policy
    assert not by_name(spans, "tools/call add", denied_trace), "a denied call reached the backend"
    failed = by_name(spans, "tools/call fail", failed_trace)[0]
    assert failed["status_code"] == "ERROR" and failed["attributes"]["error.type"] == "tool_error", failed
    request = by_name(spans, "tools/call gateway_invoke", failed_trace)[0]
    assert request["status_code"] == "ERROR" and request["attributes"]["error.type"] == "tool_error", request


def test_sampling_keeps_client_traces_and_off_sends_nothing(log_dir: Path, otlp: OtlpReceiver, beta: harness.HttpBackend) -> None:
    cfg = config(log_dir, "traces-unsampled", {"endpoint": otlp.endpoint, "sample_ratio": 0}, beta)
    with harness.running_gateway(cfg, log_dir, env=FAST_EXPORT) as g:
        otlp.clear()
        with harness.RawSession(g.url, credentials={"X-API-Key": OPS}) as s:
            s.initialize()
            s.request("tools/call", invoke("alpha", "echo", {"text": "unsampled"}))
            tp, trace_id, _ = new_traceparent()
            s.request("tools/call", invoke("alpha", "echo", {"text": "sampled by the client"}), traceparent=tp)
        spans = otlp.wait_for_spans(lambda sp: bool(by_name(sp, "tools/call echo", trace_id)))
        assert {x["trace_id"] for x in spans} == {trace_id}, "sample_ratio 0 recorded a trace the client did not sample"

    with harness.running_gateway(config(log_dir, "traces-off", None, beta), log_dir) as g:
        with harness.RawSession(g.url, credentials={"X-API-Key": OPS}) as s:
            s.initialize()
            _, _, final = s.request("tools/call", invoke("beta", "request_headers"))
            assert "traceparent" not in json.loads(result_text(final))
            _, _, final = s.request("tools/call", invoke("alpha", "request_meta"))
            assert "traceparent" not in json.loads(result_text(final))


async def test_grpc_export_carries_the_same_tree(log_dir: Path, beta: harness.HttpBackend) -> None:
    with running_otlp_receiver(log_dir / "grpc", grpc=True) as receiver:
        assert receiver.grpc_endpoint is not None
        otlp_cfg = {"endpoint": receiver.grpc_endpoint, "protocol": "grpc",
                    "headers": {"Authorization": f"Bearer {EXPORT_TOKEN}"}}
        with harness.running_gateway(config(log_dir, "traces-grpc", otlp_cfg, beta), log_dir, env=FAST_EXPORT) as g:
            async with harness.keyed_client(g, USER) as client:
                result = await client.call_tool("gateway_invoke", {"server": "beta", "tool": "echo", "arguments": {"text": "over grpc"}})
                assert not result.is_error
            spans = receiver.wait_for_spans(lambda s: bool(by_name(s, "tools/call echo")))
            invoke_span = by_name(spans, "tools/call gateway_invoke")[0]
            assert invoke_span["kind"] == "SERVER" and invoke_span["parent_span_id"] == "", invoke_span
            below = span_tree(spans, invoke_span["trace_id"]).get(invoke_span["span_id"], [])
            assert [c["name"] for c in below] == ["mcp_gateway.policy", "tools/call echo"], below
            x = below[1]["attributes"]
            assert (x["mcp_gateway.backend.name"], x["mcp_gateway.backend.transport"]) == ("beta", "streamable_http"), x
            assert all(s["resource"].get("service.name") == "mcp-gateway" for s in spans)
            exports = [r for r in receiver.requests() if r["span_count"]]
            assert exports and all(r["method"] == "gRPC" and r["path"].endswith("TraceService/Export") for r in exports), exports
            assert all(r["headers"].get("authorization") == f"Bearer {EXPORT_TOKEN}" for r in exports), exports
            assert "content-type" not in exports[0]["headers"] or exports[0]["headers"]["content-type"].startswith("application/grpc")
            assert EXPORT_TOKEN not in g.log.read_text(errors="replace"), "the export header's token reached the log"
