"""Issue 20, webhooks: `POST /webhooks/{id}` from a service (no gateway credential: the HMAC-SHA256
signature is the credential) becomes an event of the resource `gateway://webhooks/{id}`, which
standard clients list, read and subscribe to (`resources/subscribe` with `notifications/resources/
updated` in the handshake era, `subscriptions/listen` in 2026-07-28). Signed, GitHub-style signed,
unsigned, badly signed, replayed, timestamped (fresh and stale), oversized, rate-limited and
unknown-endpoint posts each get their own answer, and only accepted ones reach subscribers. The
gateway's own endpoints stay behind its API key."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any, Iterator

import anyio
import httpx
import mcp_types as types
import pytest

import harness

pytestmark = pytest.mark.anyio

KEY = "webhook-test-api-key-0123456789"
SECRET = "whsec-interop-0123456789abcdef"
STRIPE_SECRET = "stripe-interop-0123456789abcdef"
BLIND = "webhook-blind-key-0123456789"


@pytest.fixture(scope="module")
def gw(log_dir: Path) -> Iterator[harness.Gateway]:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={
        "auth": {"api_keys": [{"name": "agent", "key": KEY},
                              {"name": "blind", "key": BLIND, "denied_resources": ["webhooks:gateway://webhooks/github"]}]},
        "webhooks": {
            "rate_limit": 20, "max_body_size": "4KB", "keep": 3,
            "endpoints": {
                "github": {"secret": "${HOOK_SECRET}", "signature_header": "X-Hub-Signature-256",
                           "event_header": "X-GitHub-Event", "description": "GitHub pushes"},
                "stripe": {"secret": STRIPE_SECRET, "timestamp_header": "X-Timestamp"},
                "burst": {"secret": SECRET},
            },
        },
    })
    g = harness.start_gateway(harness.write_config(log_dir / "webhooks.yaml", cfg), log_dir, env={"HOOK_SECRET": SECRET})
    try:
        yield g
    finally:
        g.stop()


def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(gw: harness.Gateway, endpoint: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.post(f"{gw.base}/webhooks/{endpoint}", content=body, headers=headers or {}, timeout=10)


def update_collector() -> tuple[list[str], Any]:
    """The URIs of `notifications/resources/updated` a client hears, and its message handler."""
    updates: list[str] = []

    async def on_message(message: Any) -> None:
        root = getattr(message, "root", message)
        if isinstance(root, types.ResourceUpdatedNotification):
            updates.append(str(root.params.uri))

    return updates, on_message


def events(c: Any, endpoint: str) -> Any:
    async def read() -> list[dict[str, Any]]:
        result = await c.read_resource(f"gateway://webhooks/{endpoint}")
        return json.loads(result.contents[0].text)["events"]
    return read()


async def test_a_signed_post_reaches_subscribers_and_the_resource(gw) -> None:
    updates, on_message = update_collector()
    async with harness.keyed_client(gw, KEY, message_handler=on_message) as c:
        listed = {str(r.uri): r for r in (await c.list_resources()).resources}
        assert "gateway://webhooks/github" in listed and "gateway://webhooks/stripe" in listed, listed
        assert listed["gateway://webhooks/github"].description == "GitHub pushes"
        await c.subscribe_resource("gateway://webhooks/github")

        body = json.dumps({"ref": "refs/heads/main", "commits": [{"id": "abc"}]}).encode()
        answer = post(gw, "github", body, {"X-Hub-Signature-256": "sha256=" + sign(body), "X-GitHub-Event": "push",
                                            "Content-Type": "application/json"})
        assert answer.status_code == 202, answer.text
        event_id = answer.json()["event"]
        with anyio.fail_after(5):
            while "gateway://webhooks/github" not in updates:
                await anyio.sleep(0.05)
        latest = (await events(c, "github"))[0]
        assert latest["id"] == event_id and latest["type"] == "push", latest
        assert latest["data"] == {"ref": "refs/heads/main", "commits": [{"id": "abc"}]}

        # A bare hex digest is accepted too; the event type comes from the body when no header names it.
        other = json.dumps({"action": "opened", "number": 7}).encode()
        assert post(gw, "github", other, {"X-Hub-Signature-256": sign(other)}).status_code == 202
        newest = (await events(c, "github"))[0]
        assert newest["type"] == "opened" and newest["data"]["number"] == 7, newest


async def test_unsigned_forged_replayed_and_unknown_posts_are_refused_and_reach_nobody(gw) -> None:
    updates, on_message = update_collector()
    async with harness.keyed_client(gw, KEY, message_handler=on_message) as c:
        await c.subscribe_resource("gateway://webhooks/github")
        before = len(await events(c, "github"))
        body = json.dumps({"event": "forged"}).encode()
        unsigned = post(gw, "github", body)
        assert unsigned.status_code == 401 and "X-Hub-Signature-256" in unsigned.json()["error"], unsigned.text
        forged = post(gw, "github", body, {"X-Hub-Signature-256": "sha256=" + sign(body, "not-the-secret-at-all")})
        assert forged.status_code == 401 and "does not match" in forged.json()["error"], forged.text
        garbage = post(gw, "github", body, {"X-Hub-Signature-256": "sha256=xyz"})
        assert garbage.status_code == 401

        once = json.dumps({"event": "once", "at": time.time()}).encode()
        headers = {"X-Hub-Signature-256": "sha256=" + sign(once)}
        assert post(gw, "github", once, headers).status_code == 202
        replayed = post(gw, "github", once, headers)
        assert replayed.status_code == 409 and "already accepted" in replayed.json()["error"], replayed.text

        assert post(gw, "nope", once, headers).status_code == 404
        await anyio.sleep(0.3)
        assert updates.count("gateway://webhooks/github") == 1, updates
        assert len(await events(c, "github")) == min(before + 1, 3)


def test_an_oversized_post_is_refused_before_it_is_kept(gw) -> None:
    body = b"x" * 5000
    big = post(gw, "github", body, {"X-Hub-Signature-256": sign(body)})
    assert big.status_code == 413, big.text


def test_a_timestamped_signature_must_be_fresh(gw) -> None:
    def signed(stamp: str, body: bytes) -> dict[str, str]:
        return {"X-Timestamp": stamp, "X-Signature-256": sign(stamp.encode() + b"." + body, STRIPE_SECRET)}

    body = json.dumps({"type": "invoice.paid", "id": "in_1"}).encode()
    now = str(int(time.time()))
    assert post(gw, "stripe", body, signed(now, body)).status_code == 202
    stale = str(int(time.time()) - 3600)
    old = post(gw, "stripe", body, signed(stale, body))
    assert old.status_code == 401 and "replay_window" in old.json()["error"], old.text
    # The timestamp is part of what is signed: moving it breaks the signature.
    moved = signed(now, body)
    moved["X-Timestamp"] = str(int(now) + 1)
    assert post(gw, "stripe", body, moved).status_code == 401


async def test_modern_clients_hear_of_events_through_listen(gw) -> None:
    async with harness.keyed_client(gw, KEY, "2026-07-28") as c:
        async with c.listen(resource_subscriptions=["gateway://webhooks/stripe"]) as sub:
            body = json.dumps({"type": "charge.succeeded", "id": f"ch_{time.time()}"}).encode()
            stamp = str(int(time.time()))
            answer = post(gw, "stripe", body, {"X-Timestamp": stamp,
                                               "X-Signature-256": sign(stamp.encode() + b"." + body, STRIPE_SECRET)})
            assert answer.status_code == 202, answer.text
            with anyio.fail_after(5):
                async for event in sub:
                    if str(getattr(event, "uri", "")) == "gateway://webhooks/stripe":
                        break
        latest = (await events(c, "stripe"))[0]
        assert latest["type"] == "charge.succeeded", latest


def test_the_gateway_itself_still_needs_its_key_and_posts_are_rate_limited(gw) -> None:
    refused = httpx.post(f"{gw.base}/mcp", json=harness.initialize_body(), timeout=10,
                         headers={"Accept": "application/json, text/event-stream"})
    assert refused.status_code == 401
    statuses = []
    for n in range(24):
        body = json.dumps({"n": n, "burst": time.time()}).encode()
        statuses.append(post(gw, "burst", body, {"X-Signature-256": sign(body)}))
    codes = [r.status_code for r in statuses]
    assert codes[:20] == [202] * 20 and set(codes[20:]) == {429}, codes
    limited = next(r for r in statuses if r.status_code == 429)
    assert int(limited.headers["Retry-After"]) >= 1 and "rate_limit" in limited.json()["error"]


async def test_access_rules_hide_a_webhook_resource_like_any_other(gw) -> None:
    from mcp.shared.exceptions import MCPError
    async with harness.keyed_client(gw, BLIND) as c:
        listed = {str(r.uri) for r in (await c.list_resources()).resources}
        assert "gateway://webhooks/github" not in listed and "gateway://webhooks/stripe" in listed, listed
        for attempt in (c.read_resource("gateway://webhooks/github"), c.subscribe_resource("gateway://webhooks/github")):
            with pytest.raises(MCPError) as hidden:
                await attempt
            assert "Unknown resource: gateway://webhooks/github" in str(hidden.value), hidden.value
