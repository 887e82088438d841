"""Resources and prompts from every backend behind one endpoint: gateway URIs that map back,
namespaced prompt names, reference-counted subscriptions with updates delivered to subscribers."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest

import harness
from harness import gw_client, invoke, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def gw(log_dir: Path):
    beta = gateway = None
    try:
        beta = harness.start_http_backend("beta", "streamable-http", log_dir)
        cfg = harness.make_config({
            "alpha": harness.stdio_backend("alpha"),
            "beta": harness.http_backend(beta, "streamable_http"),
        })
        gateway = harness.start_gateway(harness.write_config(log_dir / "resources.yaml", cfg), log_dir)
        yield gateway
    finally:
        if gateway:
            gateway.stop()
        if beta:
            beta.stop()


async def test_capabilities_are_advertised(gw) -> None:
    async with gw_client(gw) as c:
        caps = c.initialize_result.capabilities if hasattr(c, "initialize_result") else None
        resources = await c.list_resources()
    assert resources is not None
    if caps is not None:
        assert caps.resources is not None and caps.prompts is not None


async def test_resources_from_all_backends_with_gateway_uris(gw) -> None:
    async with gw_client(gw) as c:
        listed = await c.list_resources()
        uris = {str(r.uri) for r in listed.resources}
        assert any(u.startswith("mcp-gateway://alpha/") for u in uris), uris
        assert any(u.startswith("mcp-gateway://beta/") for u in uris), uris
        alpha_info = next(r for r in listed.resources if str(r.uri).startswith("mcp-gateway://alpha/"))
        read = await c.read_resource(alpha_info.uri)
        assert read.contents[0].text == "backend alpha info"
        assert str(read.contents[0].uri) == str(alpha_info.uri)


async def test_resource_templates_expand_and_map_back(gw) -> None:
    async with gw_client(gw) as c:
        templates = await c.list_resource_templates()
        beta = next(t for t in templates.resource_templates if t.uri_template.startswith("mcp-gateway://beta/"))
        assert "{item}" in beta.uri_template
        uri = beta.uri_template.replace("{item}", "widget")
        read = await c.read_resource(uri)
        assert read.contents[0].text == "item widget from beta"


async def test_unknown_resource_is_a_clear_error(gw) -> None:
    async with gw_client(gw) as c:
        with pytest.raises(Exception) as caught:
            await c.read_resource("file:///etc/passwd")
    assert "mcp-gateway://" in str(caught.value) or "Unknown resource" in str(caught.value)


async def test_prompts_are_namespaced_and_callable(gw) -> None:
    async with gw_client(gw) as c:
        prompts = await c.list_prompts()
        names = {p.name for p in prompts.prompts}
        assert {"alpha__greet", "beta__greet"} <= names, names
        got = await c.get_prompt("beta__greet", {"who": "Ada"})
        assert "Hello Ada, from beta!" in got.messages[0].content.text


async def test_subscriptions_are_reference_counted_and_updates_delivered(gw) -> None:
    updates: list[str] = []

    async def on_message(message: Any) -> None:
        root = getattr(message, "root", message)
        if isinstance(root, types.ResourceUpdatedNotification):
            updates.append(str(root.params.uri))

    async with gw_client(gw, message_handler=on_message) as first, gw_client(gw) as second:
        listed = await first.list_resources()
        uri = next(str(r.uri) for r in listed.resources if str(r.uri).startswith("mcp-gateway://alpha/"))
        await first.subscribe_resource(uri)
        await second.subscribe_resource(uri)
        assert text_of(await invoke(first, "alpha", "subscriptions")) == "test://alpha/info"
        await invoke(first, "alpha", "touch", {"uri": "test://alpha/info"})
        with anyio.fail_after(5):
            while uri not in updates:
                await anyio.sleep(0.05)
        await second.unsubscribe_resource(uri)
        assert text_of(await invoke(first, "alpha", "subscriptions")) == "test://alpha/info"
        await first.unsubscribe_resource(uri)
        # The answer comes once the backend listens with the new filter; the replaced stream is
        # cancelled then, which reaches the backend a moment later.
        with anyio.fail_after(5):
            while text_of(await invoke(first, "alpha", "subscriptions")) != "":
                await anyio.sleep(0.05)
