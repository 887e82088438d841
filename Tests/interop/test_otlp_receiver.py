"""The OTLP/HTTP trace receiver itself (servers/otlp_receiver.py): an export built with the
opentelemetry-proto messages, sent the ways an exporter sends it (protobuf, gzip-compressed
protobuf, OTLP/JSON), comes back from /spans as the spans that were sent, with the export's
headers in /requests; a body that does not decode answers 400 and is counted. Guards the fixture
the gateway's tracing probes stand on. Needs no gateway."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span, Status

from otlp_fixture import OtlpReceiver, format_spans, otlp_receiver, span_tree  # noqa: F401

TRACE_ID = bytes.fromhex("5b8efff798038103d269b633813fc60c")
PARENT_ID = bytes.fromhex("eee19b7ec3c1b174")
CHILD_ID = bytes.fromhex("eee19b7ec3c1b173")
START = 1_700_000_000_000_000_000


def kv(key: str, value: Any) -> KeyValue:
    return KeyValue(key=key, value=anyvalue(value))


def anyvalue(value: Any) -> AnyValue:
    if isinstance(value, bool):  # before int: bool is an int in Python
        return AnyValue(bool_value=value)
    if isinstance(value, int):
        return AnyValue(int_value=value)
    if isinstance(value, float):
        return AnyValue(double_value=value)
    if isinstance(value, list):
        return AnyValue(array_value=ArrayValue(values=[anyvalue(v) for v in value]))
    return AnyValue(string_value=value)


def export(trace_id: bytes = TRACE_ID) -> ExportTraceServiceRequest:
    """A server span with one client child, the shape of a relayed tool call."""
    parent = Span(trace_id=trace_id, span_id=PARENT_ID, name="tools/call echo", kind=Span.SPAN_KIND_SERVER,
                  start_time_unix_nano=START, end_time_unix_nano=START + 5_000_000,
                  attributes=[kv("mcp.method.name", "tools/call"), kv("gen_ai.tool.name", "echo"),
                              kv("mcp.request.id", 7), kv("mcp.ok", True), kv("mcp.ratio", 0.25),
                              kv("mcp.tags", ["a", "b"])],
                  status=Status(code=Status.STATUS_CODE_OK))
    child = Span(trace_id=trace_id, span_id=CHILD_ID, parent_span_id=PARENT_ID, name="backend alpha",
                 kind=Span.SPAN_KIND_CLIENT, start_time_unix_nano=START + 1_000_000,
                 end_time_unix_nano=START + 4_000_000, attributes=[kv("mcp.backend", "alpha")],
                 status=Status(code=Status.STATUS_CODE_ERROR, message="backend failed"))
    return ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        resource=Resource(attributes=[kv("service.name", "mcp-gateway"), kv("service.instance.id", "gw-1")]),
        scope_spans=[ScopeSpans(scope=InstrumentationScope(name="mcp-gateway", version="1.0"),
                                spans=[parent, child])])])


def post(receiver: OtlpReceiver, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(receiver.traces_url, content=body, headers=headers, timeout=10)


PROTOBUF = {"Content-Type": "application/x-protobuf"}


def assert_the_two_spans(spans: list[dict[str, Any]], trace_hex: str = TRACE_ID.hex()) -> None:
    ours = [s for s in spans if s["trace_id"] == trace_hex]
    assert len(ours) == 2, format_spans(spans)
    tree = span_tree(ours, trace_hex)
    assert [s["name"] for s in tree[""]] == ["tools/call echo"]
    parent = tree[""][0]
    assert [s["name"] for s in tree[parent["span_id"]]] == ["backend alpha"]
    child = tree[parent["span_id"]][0]
    assert set(tree) == {"", parent["span_id"]}
    for s in ours:
        assert re.fullmatch(r"[0-9a-f]{32}", s["trace_id"]) and re.fullmatch(r"[0-9a-f]{16}", s["span_id"])
    assert parent["span_id"] == PARENT_ID.hex() and parent["parent_span_id"] == ""
    assert child["span_id"] == CHILD_ID.hex() and child["parent_span_id"] == PARENT_ID.hex()
    assert (parent["kind"], parent["status_code"]) == ("SERVER", "OK")
    assert (child["kind"], child["status_code"], child["status_message"]) == ("CLIENT", "ERROR", "backend failed")
    assert (parent["start_ns"], parent["end_ns"]) == (START, START + 5_000_000)
    assert (child["start_ns"], child["end_ns"]) == (START + 1_000_000, START + 4_000_000)
    assert parent["attributes"] == {"mcp.method.name": "tools/call", "gen_ai.tool.name": "echo", "mcp.request.id": 7,
                                    "mcp.ok": True, "mcp.ratio": 0.25, "mcp.tags": ["a", "b"]}
    assert child["attributes"] == {"mcp.backend": "alpha"}
    for s in ours:
        assert s["resource"] == {"service.name": "mcp-gateway", "service.instance.id": "gw-1"}
        assert (s["scope"], s["scope_version"]) == ("mcp-gateway", "1.0")


def test_protobuf_export(otlp_receiver: OtlpReceiver) -> None:
    otlp_receiver.clear()
    r = post(otlp_receiver, export().SerializeToString(), {**PROTOBUF, "Authorization": "Bearer otlp-secret"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/x-protobuf"
    ExportTraceServiceResponse.FromString(r.content)  # an (empty) response message
    assert_the_two_spans(otlp_receiver.wait_for_spans(lambda s: len(s) >= 2, timeout=5))
    (req,) = otlp_receiver.requests()
    assert (req["path"], req["status"], req["span_count"]) == ("/v1/traces", 200, 2)
    assert req["headers"]["authorization"] == "Bearer otlp-secret"
    assert otlp_receiver.stats() == {"exports": 1, "rejected": 0, "spans": 2}


def test_gzip_export(otlp_receiver: OtlpReceiver) -> None:
    otlp_receiver.clear()
    body = gzip.compress(export().SerializeToString())
    r = post(otlp_receiver, body, {**PROTOBUF, "Content-Encoding": "gzip"})
    assert r.status_code == 200, r.content
    assert_the_two_spans(otlp_receiver.spans())
    assert otlp_receiver.requests()[0]["headers"]["content-encoding"] == "gzip"


def test_json_export(otlp_receiver: OtlpReceiver) -> None:
    """OTLP/JSON: ids in hex, enums as numbers, int64 as strings (what JSON exporters send)."""
    otlp_receiver.clear()
    trace_hex = "0af7651916cd43dd8448eb211c80319c"
    document = {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "mcp-gateway"}},
                                    {"key": "service.instance.id", "value": {"stringValue": "gw-1"}}]},
        "scopeSpans": [{"scope": {"name": "mcp-gateway", "version": "1.0"}, "spans": [
            {"traceId": trace_hex, "spanId": PARENT_ID.hex(), "name": "tools/call echo", "kind": 2,
             "startTimeUnixNano": str(START), "endTimeUnixNano": str(START + 5_000_000),
             "attributes": [{"key": "mcp.method.name", "value": {"stringValue": "tools/call"}},
                            {"key": "gen_ai.tool.name", "value": {"stringValue": "echo"}},
                            {"key": "mcp.request.id", "value": {"intValue": "7"}},
                            {"key": "mcp.ok", "value": {"boolValue": True}},
                            {"key": "mcp.ratio", "value": {"doubleValue": 0.25}},
                            {"key": "mcp.tags", "value": {"arrayValue": {"values": [
                                {"stringValue": "a"}, {"stringValue": "b"}]}}}],
             "status": {"code": 1}, "someFutureField": 1},
            {"traceId": trace_hex, "spanId": CHILD_ID.hex(), "parentSpanId": PARENT_ID.hex(),
             "name": "backend alpha", "kind": 3, "startTimeUnixNano": str(START + 1_000_000),
             "endTimeUnixNano": str(START + 4_000_000),
             "attributes": [{"key": "mcp.backend", "value": {"stringValue": "alpha"}}],
             "status": {"code": 2, "message": "backend failed"}}]}]}]}
    r = post(otlp_receiver, json.dumps(document).encode(), {"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json() == {}
    assert_the_two_spans(otlp_receiver.spans(), trace_hex)


@pytest.mark.parametrize("body,headers,status", [
    (b"not a protobuf", PROTOBUF, 400),
    (b"\x1f\x8b\x08\x00garbage", {**PROTOBUF, "Content-Encoding": "gzip"}, 400),
    (gzip.compress(b"x" * 64)[:-12], {**PROTOBUF, "Content-Encoding": "gzip"}, 400),  # truncated
    (b"{not json", {"Content-Type": "application/json"}, 400),
    (b"[1, 2]", {"Content-Type": "application/json"}, 400),
    (b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "zz"}]}]}]}',
     {"Content-Type": "application/json"}, 400),
    (b"", {"Content-Type": "text/plain"}, 415),
    (b"", {**PROTOBUF, "Content-Encoding": "br"}, 415),
], ids=["protobuf", "gzip", "gzip-truncated", "json", "json-list", "json-hex-id", "content-type", "encoding"])
def test_bad_bodies_are_refused_and_counted(otlp_receiver: OtlpReceiver, body: bytes, headers: dict[str, str],
                                            status: int) -> None:
    otlp_receiver.clear()
    r = post(otlp_receiver, body, headers)
    assert r.status_code == status, r.content
    (req,) = otlp_receiver.requests()
    assert req["status"] == status and req["error"] and req["span_count"] == 0
    assert otlp_receiver.stats() == {"exports": 0, "rejected": 1, "spans": 0}
    # Still serving, and a good export after a bad one is kept.
    assert post(otlp_receiver, export().SerializeToString(), PROTOBUF).status_code == 200
    assert_the_two_spans(otlp_receiver.spans())


def test_other_paths_are_404_and_recorded(otlp_receiver: OtlpReceiver) -> None:
    otlp_receiver.clear()
    assert httpx.post(otlp_receiver.endpoint + "/v1/metrics", content=b"", headers=PROTOBUF).status_code == 404
    assert [(r["path"], r["status"]) for r in otlp_receiver.requests()] == [("/v1/metrics", 404)]


def test_wait_for_spans_times_out_with_a_dump(otlp_receiver: OtlpReceiver) -> None:
    otlp_receiver.clear()
    assert post(otlp_receiver, export().SerializeToString(), PROTOBUF).status_code == 200
    with pytest.raises(AssertionError) as info:
        otlp_receiver.wait_for_spans(lambda s: any(x["name"] == "never" for x in s), timeout=0.3)
    message = str(info.value)
    assert "spans received (2)" in message and "tools/call echo [SERVER OK]" in message
    assert "backend alpha [CLIENT ERROR]" in message and "POST /v1/traces -> 200 spans=2" in message
    otlp_receiver.clear()
    assert otlp_receiver.spans() == [] and otlp_receiver.requests() == []
