"""Sampling and roots relayed from backends to the calling client (issue 20, "Relay gaps"), in
both eras on each side: a backend's `sampling/createMessage` or `roots/list` (a server-to-client
request before 2026-07-28, an `input_required` result at 2026-07-28) reaches the official SDK
client that made the call, whichever era that client speaks, and the client's answer goes back
to the backend. A client that did not declare the capability gets a clear error, not a hang.

With `backends.NAME.roots` configured, the gateway answers that backend's `roots/list` itself
(the operator's list, whatever the calling client has or lacks), in both backend eras.

Backends: modern (stdio, speaks 2026-07-28), pinned (the same server held to 2025-11-25),
modernhttp (Streamable HTTP, 2026-07-28), oldhttp (Streamable HTTP, refuses 2026-07-28), and
rooted-* (the same servers with `roots` configured)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import mcp_types as types
import pytest

import harness
from harness import gw_client, invoke, text_of

pytestmark = pytest.mark.anyio

BACKENDS = ["modern", "pinned", "modernhttp", "oldhttp"]
ROOTED = ["rooted-modern", "rooted-pinned", "rooted-modernhttp", "rooted-oldhttp"]
CONFIGURED_ROOTS = ["file:///srv/projects/app", {"uri": "file:///srv/shared", "name": "shared"}]
CLIENT_ERAS = ["legacy", "2026-07-28"]


@pytest.fixture(scope="module")
def env(log_dir: Path):
    old_http = modern_http = gw = None
    try:
        old_http = harness.start_http_backend("oldhttp", "streamable-http", log_dir, "--legacy-only")
        modern_http = harness.start_http_backend("modernhttp", "streamable-http", log_dir)
        cfg = harness.make_config({
            "modern": harness.stdio_backend("modern", timeout="20s"),
            "pinned": {**harness.stdio_backend("pinned", timeout="20s"), "protocol_version": "2025-11-25"},
            "modernhttp": harness.http_backend(modern_http, "streamable_http", timeout="10s"),
            "oldhttp": harness.http_backend(old_http, "streamable_http", timeout="10s"),
            "rooted-modern": {**harness.stdio_backend("rooted-modern", timeout="20s"), "roots": CONFIGURED_ROOTS},
            "rooted-pinned": {**harness.stdio_backend("rooted-pinned", timeout="20s"),
                              "protocol_version": "2025-11-25", "roots": CONFIGURED_ROOTS},
            "rooted-modernhttp": {**harness.http_backend(modern_http, "streamable_http", timeout="10s"),
                                  "roots": CONFIGURED_ROOTS},
            "rooted-oldhttp": {**harness.http_backend(old_http, "streamable_http", timeout="10s"),
                               "roots": CONFIGURED_ROOTS},
        })
        gw = harness.start_gateway(harness.write_config(log_dir / "sampling.yaml", cfg), log_dir)
        yield {"gw": gw}
    finally:
        if gw:
            gw.stop()
        for backend in (old_http, modern_http):
            if backend:
                backend.stop()


async def complete(context: Any, params: types.CreateMessageRequestParams) -> types.CreateMessageResult:
    prompt = params.messages[0].content
    assert isinstance(prompt, types.TextContent), prompt
    assert params.max_tokens == 64, params
    return types.CreateMessageResult(role="assistant", model="fixture-model",
                                     content=types.TextContent(type="text", text=prompt.text.upper()))


async def list_roots(context: Any) -> types.ListRootsResult:
    return types.ListRootsResult(roots=[types.Root(uri="file:///work/project", name="project"),
                                        types.Root(uri="file:///work/notes")])


@pytest.mark.parametrize("mode", CLIENT_ERAS)
@pytest.mark.parametrize("server", BACKENDS)
async def test_sampling_reaches_the_calling_client_and_its_answer_the_backend(env, server: str, mode: str) -> None:
    async with gw_client(env["gw"], mode=mode, sampling_callback=complete) as c:
        result = await invoke(c, server, "sample", {"prompt": "say hi"})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "sampled: SAY HI (model fixture-model)"


@pytest.mark.parametrize("mode", CLIENT_ERAS)
@pytest.mark.parametrize("server", BACKENDS)
async def test_roots_come_from_the_calling_client(env, server: str, mode: str) -> None:
    async with gw_client(env["gw"], mode=mode, list_roots_callback=list_roots) as c:
        result = await invoke(c, server, "roots", {})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "roots: file:///work/project,file:///work/notes"


@pytest.mark.parametrize("mode", CLIENT_ERAS)
@pytest.mark.parametrize("server", ["pinned", "modernhttp"])
async def test_a_client_without_sampling_gets_a_clear_error(env, server: str, mode: str) -> None:
    async with gw_client(env["gw"], mode=mode) as c:
        with harness.anyio.fail_after(25):
            result = await invoke(c, server, "sample", {"prompt": "say hi"})
    assert result.is_error, text_of(result)
    assert "sampling" in text_of(result).lower(), text_of(result)


@pytest.mark.parametrize("mode", CLIENT_ERAS)
@pytest.mark.parametrize("server", ROOTED)
async def test_configured_roots_are_answered_by_the_gateway(env, server: str, mode: str) -> None:
    # The client declares roots of its own: the operator's list still wins for this backend.
    async with gw_client(env["gw"], mode=mode, list_roots_callback=list_roots) as c:
        result = await invoke(c, server, "roots", {})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "roots: file:///srv/projects/app,file:///srv/shared"
    # A client without the roots capability gets the same answer, not an error.
    async with gw_client(env["gw"], mode=mode) as c:
        result = await invoke(c, server, "roots", {})
    assert not result.is_error, text_of(result)
    assert text_of(result) == "roots: file:///srv/projects/app,file:///srv/shared"


@pytest.mark.parametrize("server", ["pinned", "modernhttp"])
async def test_without_configured_roots_a_client_without_them_gets_a_clear_error(env, server: str) -> None:
    async with gw_client(env["gw"]) as c:
        with harness.anyio.fail_after(25):
            result = await invoke(c, server, "roots", {})
    assert result.is_error, text_of(result)
    assert "roots" in text_of(result).lower(), text_of(result)
