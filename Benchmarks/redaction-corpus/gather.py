#!/usr/bin/env python3
"""Gathers the corpus the credential redactor's false positives are measured on.

Real tool outputs from real MCP servers of the fleet (../../shared/fleet; installed from PyPI
into the interop venv) that run offline, called with the official MCP Python SDK client over
stdio, each result stored as the JSON the server sent (one `CallToolResult` per line):

* `git.jsonl`: mcp-server-git's git_log, git_show (with diffs), git_diff, git_status and
  git_branch on a clone of this repository at a fixed revision (hex commit ids, Swift and
  Python source, test fixtures);
* `fetch.jsonl`: mcp-server-fetch reading the Rust book and reference shipped with the local
  toolchain's documentation, served from 127.0.0.1 (HTML converted to Markdown, and raw);
* `time.jsonl`: mcp-server-time's get_current_time and convert_time;
* `ordinary.jsonl`: text a tool might return that looks most like a credential without being
  one: UUIDs, SHA-1 and SHA-256 hex digests, base64 of random bytes, and real PNG and JPEG files
  as base64 image blocks (as an MCP image content block carries them).

    .venv/bin/python Benchmarks/redaction-corpus/gather.py            # writes the .jsonl files here
    .build/release/redaction-bench corpus Benchmarks/redaction-corpus  # false positives per MB

Everything is deterministic except the time server's clock (and dates in git_status/branch).
The files stay under 2 MB together.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BIN = Path(sys.executable).parent
#: The revision of this repository the git outputs come from.
REVISION = os.environ.get("CORPUS_REVISION", "8e48a9e")
RUST_DOCS = Path(os.environ.get("RUST_DOCS", Path.home() / ".rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html"))
BOOK_PAGES = ["book/ch04-01-what-is-ownership.html", "book/ch08-02-strings.html", "book/ch09-02-recoverable-errors-with-result.html",
              "book/ch12-05-working-with-environment-variables.html", "book/ch14-02-publishing-to-crates-io.html",
              "book/ch20-01-single-threaded.html", "book/appendix-02-operators.html"]
IMAGES = ["book/img/trpl21-01.png", "rustdoc/images/collapsed-trait-impls.png", "rustc/images/image3.png"]
EXTRA_IMAGES = [Path("/usr/share/doc/nodejs/thin-white-stripe.jpg")]


def dump(result: Any) -> str:
    return json.dumps(result.model_dump(by_alias=True, mode="json", exclude_none=True), separators=(",", ":"))


async def call_all(command: list[str], calls: list[tuple[str, dict[str, Any]]], out: Path,
                   env: dict[str, str] | None = None) -> None:
    params = StdioServerParameters(command=command[0], args=command[1:], cwd=str(REPO), env=env)
    lines = []
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for tool, arguments in calls:
                result = await session.call_tool(tool, arguments)
                if result.is_error:
                    print(f"  {tool} {arguments}: error {str(result.content)[:200]}", file=sys.stderr)
                lines.append(dump(result))
    out.write_text("\n".join(lines) + "\n")
    print(f"{out.name}: {len(lines)} results, {out.stat().st_size:,} bytes")


def git_calls(repo: str) -> list[tuple[str, dict[str, Any]]]:
    revisions = os.popen(f"git -C {repo} log --format=%H -n 400").read().split()
    picked = revisions[::40][:9]
    calls: list[tuple[str, dict[str, Any]]] = [("git_log", {"repo_path": repo, "max_count": 150}),
                                               ("git_status", {"repo_path": repo}),
                                               ("git_branch", {"repo_path": repo, "branch_type": "all"})]
    calls += [("git_show", {"repo_path": repo, "revision": rev}) for rev in picked]
    if len(revisions) > 40:
        calls.append(("git_diff", {"repo_path": repo, "target": revisions[40]}))
    return calls


def serve_docs() -> tuple[subprocess.Popen[bytes], int]:
    """The documentation over HTTP on 127.0.0.1, in a process of its own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(RUST_DOCS)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    return server, port


def ordinary() -> list[str]:
    """Results shaped like real ones, holding what looks most like a credential."""
    rng = random.Random(15)
    lines = []
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(400)]
    lines.append(json.dumps({"content": [{"type": "text", "text": "\n".join(f"{i}\t{u}\t{u.upper()}" for i, u in enumerate(ids))}]}))
    blobs = [rng.randbytes(rng.randint(16, 256)) for _ in range(400)]
    digests = [f"{hashlib.sha1(b).hexdigest()}  {hashlib.sha256(b).hexdigest()}  file-{i}.bin" for i, b in enumerate(blobs)]
    lines.append(json.dumps({"content": [{"type": "text", "text": "\n".join(digests)}]}))
    structured = {"objects": [{"id": ids[i], "etag": hashlib.md5(blobs[i]).hexdigest(), "sha256": hashlib.sha256(blobs[i]).hexdigest(),
                               "blob": base64.b64encode(blobs[i]).decode(), "urlsafe": base64.urlsafe_b64encode(blobs[i]).decode()}
                              for i in range(200)]}
    lines.append(json.dumps({"content": [{"type": "text", "text": json.dumps(structured)}], "structuredContent": structured}))
    for image in [RUST_DOCS / p for p in IMAGES] + EXTRA_IMAGES:
        if image.is_file():
            mime = "image/png" if image.suffix == ".png" else "image/jpeg"
            data = base64.b64encode(image.read_bytes()).decode()
            lines.append(json.dumps({"content": [{"type": "image", "data": data, "mimeType": mime},
                                                 {"type": "text", "text": f"{image.name}, {image.stat().st_size} bytes"}]}))
    return lines


async def main() -> None:
    # A clone at a fixed revision (before the redactor existed), so that the corpus does not
    # depend on the tree it is gathered from nor hold the redactor's own test fixtures.
    with tempfile.TemporaryDirectory() as clone:
        subprocess.run(["git", "clone", "--quiet", str(REPO), clone], check=True)
        subprocess.run(["git", "-C", clone, "checkout", "--quiet", REVISION], check=True)
        await call_all([str(BIN / "mcp-server-git")], git_calls(clone), HERE / "git.jsonl")
    await call_all([str(BIN / "mcp-server-time"), "--local-timezone", "UTC"],
                   [("get_current_time", {"timezone": zone}) for zone in ["UTC", "Europe/Paris", "Asia/Tokyo", "America/New_York"]]
                   + [("convert_time", {"source_timezone": "Europe/Paris", "time": "16:30", "target_timezone": "Asia/Kolkata"})],
                   HERE / "time.jsonl")
    server, port = serve_docs()
    try:
        calls = [("fetch", {"url": f"http://127.0.0.1:{port}/{page}", "max_length": 60000}) for page in BOOK_PAGES]
        calls += [("fetch", {"url": f"http://127.0.0.1:{port}/{BOOK_PAGES[0]}", "max_length": 60000, "raw": True})]
        # PATH holds the venv only: readabilipy (fetch's HTML reader) would otherwise find node and
        # try to download Mozilla's Readability from npm; offline it uses its Python reader.
        await call_all([str(BIN / "mcp-server-fetch"), "--ignore-robots-txt", "--allow-private-ips"], calls, HERE / "fetch.jsonl",
                       env={"PATH": str(BIN)})
    finally:
        server.terminate()
        server.wait()
    out = HERE / "ordinary.jsonl"
    out.write_text("\n".join(ordinary()) + "\n")
    print(f"{out.name}: {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    anyio.run(main)
