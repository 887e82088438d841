"""Issue 20, `mcp-gateway config export`: the effective configuration of a real file as the binary
prints it. Secrets given through the environment (a backend's env and headers, an API key, a webhook
secret) are masked unless `--with-secrets`; defaults are filled in; the shown output loads back as the
same configuration (`config validate`), in YAML and in JSON; a broken file prints its errors and
nothing on stdout; and the gateway started on the exported file serves as the original does."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import harness
from harness import gw_client, invoke, text_of

pytestmark = pytest.mark.anyio

SECRETS = {"ALPHA_TOKEN": "alpha-secret-0123456789", "REMOTE_TOKEN": "remote-secret-0123456789",
           "AGENT_KEY": "agent-key-0123456789abcdef", "HOOK_SECRET": "hook-secret-0123456789"}


def export(*args: str, env: dict[str, str] | None = None) -> harness.subprocess.CompletedProcess[str]:
    return harness.subprocess.run([str(harness.gateway_bin()), "config", "export", *args], capture_output=True, text=True,
                                  timeout=60, env={**os.environ, **(env or {})}, stdin=harness.subprocess.DEVNULL)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    cfg = harness.make_config({
        "alpha": {**harness.stdio_backend("alpha"), "env": {"INTEROP_TOKEN": "${ALPHA_TOKEN}", "MODE": "export"},
                  "rename": {"echo": "say"}},
        "remote": {"http_url": "http://127.0.0.1:9/mcp", "headers": {"Authorization": "Bearer ${REMOTE_TOKEN}"},
                   "enabled": False},
    }, extra={
        "auth": {"api_keys": [{"name": "agent", "key": "${AGENT_KEY}"}]},
        "webhooks": {"endpoints": {"ci": {"secret": "${HOOK_SECRET}"}}},
    })
    return harness.write_config(tmp_path / "gateway.yaml", cfg)


def test_secrets_are_masked_and_defaults_filled_in(config: Path) -> None:
    done = export(str(config), env=SECRETS)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for value in SECRETS.values():
        assert value not in out, value
    assert out.startswith("# Effective configuration of mcp-gateway") and str(config) in out
    assert 'INTEROP_TOKEN: "<masked>"' in out and 'Authorization: "<masked>"' in out, out
    assert 'key: "<masked>"' in out and 'secret: "<masked>"' in out, out
    # Every env value is masked (a name does not tell a secret); defaults the file left out are shown.
    assert 'MODE: "<masked>"' in out, out
    assert "request_timeout: 30s" in out and "max_body_size:" in out and "replay_window: 5m" in out, out
    assert "echo: say" in out, out


def test_the_shown_output_loads_back_and_serves(config: Path, tmp_path: Path) -> None:
    for fmt in ("yaml", "json"):
        done = export(str(config), "--with-secrets", "--format", fmt, env=SECRETS)
        assert done.returncode == 0, done.stderr
        assert SECRETS["AGENT_KEY"] in done.stdout
        if fmt == "json":
            json.loads(done.stdout)
        exported = tmp_path / f"exported.{fmt}"
        exported.write_text(done.stdout)
        checked = harness.run_cli("config", "validate", str(exported))
        assert checked.returncode == 0, checked.stdout + checked.stderr
    # Exporting the export gives the same text: nothing was lost or changed on the way.
    again = export(str(tmp_path / "exported.yaml"), "--with-secrets")
    first = (tmp_path / "exported.yaml").read_text()
    assert again.stdout.split("\n\n", 1)[1] == first.split("\n\n", 1)[1]


async def test_a_gateway_on_the_exported_file_serves_like_the_original(config: Path, tmp_path: Path) -> None:
    done = export(str(config), "--with-secrets", env=SECRETS)
    exported = tmp_path / "exported.yaml"
    exported.write_text(done.stdout)
    gw = harness.start_gateway(exported, tmp_path)
    try:
        async with harness.keyed_client(gw, SECRETS["AGENT_KEY"]) as c:
            assert text_of(await invoke(c, "alpha", "say", {"text": "exported"})) == "exported"
            seen = text_of(await invoke(c, "alpha", "getenv", {"name": "INTEROP_TOKEN"}))
            assert seen == "[redacted:gateway_secret]", seen
    finally:
        gw.stop()


def test_a_broken_file_prints_its_errors_and_nothing_else(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("backends:\n  a:\n    command: x\n    rename: {\"a*\": b}\n")
    done = export(str(broken))
    assert done.returncode != 0 and done.stdout == "", done.stdout
    assert "broken.yaml:4" in done.stderr and "not globs" in done.stderr, done.stderr
