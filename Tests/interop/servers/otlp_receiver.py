"""A local OTLP/HTTP trace receiver for the tests: what an OpenTelemetry collector's `otlphttp`
receiver accepts, kept in memory so a test can assert the spans the gateway exported.

Serves on 127.0.0.1 (--port, default OS-chosen), prints `READY <base-url>` once listening (and
writes the port to --port-file when given):
  POST   /v1/traces    an `ExportTraceServiceRequest`, `Content-Type: application/x-protobuf`
                       (or OTLP/JSON with `application/json`), optionally `Content-Encoding: gzip`;
                       answers 200 with an empty `ExportTraceServiceResponse` in the same encoding.
                       A body that does not decode answers 400 (protobuf: a `google.rpc.Status`).
  GET    /spans        every span received, oldest first, as JSON (see `span_json`)
  GET    /requests     every POST received: {path, method, headers, status, error, span_count}
                       (header names lowercased), so a test can check configured export headers
  GET    /stats        {exports, rejected, spans}: accepted exports, refused POSTs, spans kept
  DELETE /spans        forgets all spans and requests (answers {cleared: n})

With --grpc-port-file, it also serves OTLP/gRPC (what a collector's `otlp` receiver takes on
4317): `opentelemetry.proto.collector.trace.v1.TraceService/Export` over HTTP/2 (grpcio, with
the service stubs `opentelemetry-proto` ships), on another OS-chosen port written to that file
before READY. Its exports land in the same store: GET /spans shows them, and /requests lists
each with path `/opentelemetry.proto.collector.trace.v1.TraceService/Export`, method `gRPC` and
the call's metadata as headers.

The protobuf messages come from the `opentelemetry-proto` package, so a span the gateway encodes
wrongly fails to decode here as it would in a real collector. OTLP/JSON differs from protobuf's
canonical JSON mapping in one way that matters: trace and span ids are hex, not base64.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

#: Largest body accepted, compressed or not (a test export is a few kB).
MAX_BODY = 32 * 1024 * 1024
PROTOBUF_TYPES = ("application/x-protobuf", "application/protobuf")
JSON_TYPE = "application/json"
#: google.rpc.Code INVALID_ARGUMENT, the code OTLP/HTTP puts in a 400's Status.
INVALID_ARGUMENT = 3


class BadRequest(Exception):
    """The export cannot be decoded; answered with `status` (400, 413 or 415)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------------------------
# decoding
# --------------------------------------------------------------------------------------------


def any_value(value: AnyValue) -> Any:
    """An attribute value as a plain Python value (bytes as lowercase hex, unset as None)."""
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [any_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return attributes(value.kvlist_value.values)
    if kind == "bytes_value":
        return value.bytes_value.hex()
    if kind is None:
        return None
    return getattr(value, kind)


def attributes(kvs: Any) -> dict[str, Any]:
    """Repeated KeyValue -> dict (a repeated key keeps its last value, as most backends do)."""
    out: dict[str, Any] = {}
    kv: KeyValue
    for kv in kvs:
        out[kv.key] = any_value(kv.value)
    return out


def enum_suffix(full: str, prefix: str) -> str:
    """`SPAN_KIND_SERVER` -> `SERVER`; `STATUS_CODE_ERROR` -> `ERROR`."""
    return full.removeprefix(prefix)


def span_json(span: Span, resource: dict[str, Any], scope_name: str, scope_version: str,
              request_index: int) -> dict[str, Any]:
    try:
        kind = enum_suffix(Span.SpanKind.Name(span.kind), "SPAN_KIND_")
    except ValueError:  # a kind number this proto version does not know
        kind = str(span.kind)
    try:
        status_code = enum_suffix(Status.StatusCode.Name(span.status.code), "STATUS_CODE_")
    except ValueError:
        status_code = str(span.status.code)
    return {
        "trace_id": span.trace_id.hex(),
        "span_id": span.span_id.hex(),
        "parent_span_id": span.parent_span_id.hex(),
        "trace_state": span.trace_state,
        "flags": span.flags,
        "name": span.name,
        "kind": kind,
        "start_ns": span.start_time_unix_nano,
        "end_ns": span.end_time_unix_nano,
        "status_code": status_code,
        "status_message": span.status.message,
        "attributes": attributes(span.attributes),
        "events": [{"name": e.name, "time_ns": e.time_unix_nano, "attributes": attributes(e.attributes)}
                   for e in span.events],
        "links": [{"trace_id": link.trace_id.hex(), "span_id": link.span_id.hex(),
                   "attributes": attributes(link.attributes)} for link in span.links],
        "resource": resource,
        "scope": scope_name,
        "scope_version": scope_version,
        # Which entry of /requests carried the span (its headers say how it was exported).
        "request": request_index,
    }


def flatten(request: ExportTraceServiceRequest, request_index: int) -> list[dict[str, Any]]:
    spans = []
    for resource_spans in request.resource_spans:
        resource = attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append(span_json(span, resource, scope_spans.scope.name, scope_spans.scope.version,
                                       request_index))
    return spans


def _hex_ids_to_base64(node: Any) -> None:
    """OTLP/JSON writes traceId/spanId/parentSpanId as hex; protobuf's JSON parser wants base64
    for bytes fields. Rewrites them in place (in spans and their links, wherever they occur)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id") \
                    and isinstance(value, str):
                try:
                    node[key] = base64.b64encode(bytes.fromhex(value)).decode()
                except ValueError as error:
                    raise BadRequest(f"{key} is not hex: {value!r}") from error
            else:
                _hex_ids_to_base64(value)
    elif isinstance(node, list):
        for item in node:
            _hex_ids_to_base64(item)


def decode_export(body: bytes, content_type: str) -> ExportTraceServiceRequest:
    request = ExportTraceServiceRequest()
    if content_type == JSON_TYPE:
        try:
            document = json.loads(body or b"{}")
            _hex_ids_to_base64(document)
            # Receivers must ignore fields they do not know (OTLP spec, "JSON Protobuf Encoding").
            json_format.ParseDict(document, request, ignore_unknown_fields=True)
        except BadRequest:
            raise
        # Broad on purpose: a JSON document of the wrong shape (a list, a string where an object
        # belongs) fails inside the parser with TypeError/AttributeError, and any body the sender
        # got wrong must answer 400, never take the receiver down.
        except Exception as error:
            raise BadRequest(f"OTLP/JSON does not decode: {type(error).__name__}: {error}") from error
    else:
        try:
            request.ParseFromString(body)
        except (DecodeError, RecursionError, ValueError) as error:
            raise BadRequest(f"protobuf does not decode: {error}") from error
    return request


def gunzip(body: bytes) -> bytes:
    """gzip-decoded body, bounded by MAX_BODY (a small bomb must not eat the test machine)."""
    try:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        out = inflater.decompress(body, MAX_BODY + 1)
        if len(out) > MAX_BODY:
            raise BadRequest("gzip body too large", 413)
        if not inflater.eof:
            raise BadRequest("gzip body is truncated")
        return out
    except zlib.error as error:
        raise BadRequest(f"gzip does not decode: {error}") from error


def rpc_status(message: str, code: int = INVALID_ARGUMENT) -> bytes:
    """A `google.rpc.Status{code, message}` encoded by hand (two fields; the googleapis protos
    are not a dependency of opentelemetry-proto)."""

    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            byte, n = n & 0x7F, n >> 7
            out.append(byte | (0x80 if n else 0))
            if not n:
                return bytes(out)

    text = message.encode()
    return b"\x08" + varint(code) + b"\x12" + varint(len(text)) + text


# --------------------------------------------------------------------------------------------
# the server
# --------------------------------------------------------------------------------------------


class Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.spans: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []

    def record(self, entry: dict[str, Any], request: ExportTraceServiceRequest | None) -> None:
        with self.lock:
            index = len(self.requests)
            spans = flatten(request, index) if request is not None else []
            entry["span_count"] = len(spans)
            self.requests.append(entry)
            self.spans.extend(spans)

    def stats(self) -> dict[str, int]:
        with self.lock:
            accepted = sum(1 for r in self.requests if r["status"] == 200)
            return {"exports": accepted, "rejected": len(self.requests) - accepted, "spans": len(self.spans)}

    def clear(self) -> int:
        with self.lock:
            count = len(self.spans)
            self.spans.clear()
            self.requests.clear()
            return count


def make_handler(store: Store) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as exporters expect of a collector; every answer carries a Content-Length.
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: Any) -> None:
            sys.stderr.write("otlp_receiver: " + fmt % args + "\n")

        def send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def answer_json(self, status: int, body: Any) -> None:
            self.send(status, json.dumps(body).encode(), JSON_TYPE)

        def read_body(self) -> bytes:
            """The raw request body: Content-Length or chunked transfer encoding."""
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                body = bytearray()
                while True:
                    size_line = self.rfile.readline(1024)
                    try:
                        size = int(size_line.split(b";", 1)[0].strip(), 16)
                    except ValueError as error:
                        self.close_connection = True
                        raise BadRequest("bad chunked encoding") from error
                    if size == 0:
                        while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        return bytes(body)
                    if len(body) + size > MAX_BODY:
                        self.close_connection = True
                        raise BadRequest("body too large", 413)
                    body += self.rfile.read(size)
                    self.rfile.readline(1024)  # the CRLF after each chunk
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError as error:
                self.close_connection = True
                raise BadRequest("bad Content-Length") from error
            if length < 0 or length > MAX_BODY:
                self.close_connection = True  # the unread body would desync the connection
                raise BadRequest("body too large", 413)
            return self.rfile.read(length)

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            if path == "/spans":
                with store.lock:
                    self.answer_json(200, list(store.spans))
            elif path == "/requests":
                with store.lock:
                    self.answer_json(200, list(store.requests))
            elif path == "/stats":
                self.answer_json(200, store.stats())
            else:
                self.answer_json(404, {"error": "not_found"})

        def do_DELETE(self) -> None:  # noqa: N802
            if self.path.split("?", 1)[0] == "/spans":
                self.answer_json(200, {"cleared": store.clear()})
            else:
                self.answer_json(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            entry: dict[str, Any] = {"path": path, "method": "POST", "status": 200, "error": "",
                                     "headers": self.header_dict()}
            content_type = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
            as_json = content_type == JSON_TYPE
            try:
                body = self.read_body()
                if path != "/v1/traces":
                    raise BadRequest(f"no OTLP signal at {path} (this receiver takes /v1/traces)", 404)
                if content_type and content_type not in PROTOBUF_TYPES and not as_json:
                    raise BadRequest(f"unsupported Content-Type {content_type!r}", 415)
                encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
                if encoding == "gzip":
                    body = gunzip(body)
                elif encoding not in ("identity", ""):
                    raise BadRequest(f"unsupported Content-Encoding {encoding!r}", 415)
                request = decode_export(body, JSON_TYPE if as_json else PROTOBUF_TYPES[0])
            except BadRequest as error:
                entry.update(status=error.status, error=str(error))
                store.record(entry, None)
                self.log_message("refused export: %s", error)
                if as_json:
                    self.answer_json(error.status, {"code": INVALID_ARGUMENT, "message": str(error)})
                else:
                    self.send(error.status, rpc_status(str(error)), PROTOBUF_TYPES[0])
                return
            store.record(entry, request)
            # An empty response: full success (no partial_success field set).
            if as_json:
                self.send(200, json_format.MessageToJson(ExportTraceServiceResponse()).encode(), JSON_TYPE)
            else:
                self.send(200, ExportTraceServiceResponse().SerializeToString(), PROTOBUF_TYPES[0])

        def header_dict(self) -> dict[str, str]:
            """Request headers, names lowercased; a repeated header's values joined by ", "."""
            out: dict[str, str] = {}
            for name, value in self.headers.items():
                key = name.lower()
                out[key] = f"{out[key]}, {value}" if key in out else value
            return out

    return Handler


GRPC_EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"


def start_grpc(store: Store) -> tuple[Any, int]:
    """The OTLP/gRPC trace service on 127.0.0.1, an OS-chosen port; returns (server, port)."""
    from concurrent import futures

    import grpc
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2_grpc

    class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request: ExportTraceServiceRequest, context: Any) -> ExportTraceServiceResponse:  # noqa: N802
            headers: dict[str, str] = {}
            for key, value in context.invocation_metadata():
                name = key.lower()
                text = value if isinstance(value, str) else value.decode(errors="replace")
                headers[name] = f"{headers[name]}, {text}" if name in headers else text
            store.record({"path": GRPC_EXPORT_PATH, "method": "gRPC", "status": 200, "error": "", "headers": headers}, request)
            return ExportTraceServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceService(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def write_port(path: Path, port: int) -> None:
    # Written whole, then renamed: a reader never sees a half-written number.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{port}\n")
    tmp.replace(path)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # One broken request (or an unexpected bug) is logged; the receiver keeps serving.
        sys.stderr.write(f"otlp_receiver: error serving {client_address}\n")
        super().handle_error(request, client_address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="0: an OS-chosen free port")
    parser.add_argument("--port-file", type=Path, help="also write the port number to this file")
    parser.add_argument("--grpc-port-file", type=Path, help="also serve OTLP/gRPC; its port goes to this file")
    parser.add_argument("--tag", default="", help="the test run's id, so strays can be found (harness.tagged_pids)")
    args = parser.parse_args()
    store = Store()
    server = Server(("127.0.0.1", args.port), make_handler(store))
    port = server.server_address[1]
    if args.port_file is not None:
        write_port(args.port_file, port)
    grpc_server = None
    if args.grpc_port_file is not None:
        grpc_server, grpc_port = start_grpc(store)
        write_port(args.grpc_port_file, grpc_port)
    print(f"READY http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
