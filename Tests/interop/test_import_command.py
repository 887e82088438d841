"""`mcp-gateway import` end to end (issue 20): client configs where the clients keep them (a Cursor
user file under HOME, a project's VS Code file in JSONC) become a gateway.yaml with the secrets
as ${VAR} references; the gateway started on that file with the variables set serves both
servers. --dry-run writes nothing, an existing output file is refused, Codex's TOML is refused
by name."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import harness
from harness import gw_client, invoke, text_of

pytestmark = pytest.mark.anyio

SECRET = "s3cr3t-interop-value-42"


def run_import(*args: str, home: Path, cwd: Path) -> harness.subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    return harness.subprocess.run([str(harness.gateway_bin()), "import", *args], capture_output=True, text=True,
                                  timeout=60, env=env, cwd=cwd, stdin=harness.subprocess.DEVNULL)


@pytest.fixture
def clients(tmp_path: Path, log_dir: Path):
    home, project = tmp_path / "home", tmp_path / "project"
    (home / ".cursor").mkdir(parents=True)
    (project / ".vscode").mkdir(parents=True)
    argv = harness.server_argv("alpha")
    (home / ".cursor" / "mcp.json").write_text(json.dumps({"mcpServers": {
        "alpha": {"command": argv[0], "args": argv[1:], "env": {"INTEROP_TOKEN": SECRET, "MODE": "test"}}}}))
    http = harness.start_http_backend("remote", "streamable-http", log_dir)
    (project / ".vscode" / "mcp.json").write_text(f"""// the project's servers
{{
  "servers": {{
    "remote api": {{"type": "http", "url": "{http.url}",
                    "headers": {{"Authorization": "Bearer {SECRET}"}}}},
  }},
}}
""")
    try:
        yield {"home": home, "project": project}
    finally:
        http.stop()


async def test_imported_servers_run_behind_the_gateway(clients, tmp_path: Path) -> None:
    out = tmp_path / "gateway.yaml"
    done = run_import("-o", str(out), home=clients["home"], cwd=clients["project"])
    assert done.returncode == 0, done.stdout + done.stderr
    text = out.read_text()
    assert SECRET not in text, text
    assert "${INTEROP_TOKEN}" in text and "Bearer ${REMOTE_API_TOKEN}" in text, text
    assert "set before starting: INTEROP_TOKEN, REMOTE_API_TOKEN" in done.stdout, done.stdout
    assert "'remote api' is named 'remote-api'" in done.stderr, done.stderr

    gw = harness.start_gateway(out, tmp_path, env={"INTEROP_TOKEN": SECRET, "REMOTE_API_TOKEN": SECRET})
    try:
        async with gw_client(gw) as c:
            assert text_of(await invoke(c, "alpha", "echo", {"text": "imported"})) == "imported"
            # The variable reached the server; the gateway redacts its own secrets from results.
            seen = text_of(await invoke(c, "alpha", "getenv", {"name": "INTEROP_TOKEN"}))
            assert seen == "[redacted:gateway_secret]", seen
            assert text_of(await invoke(c, "alpha", "getenv", {"name": "MODE"})) == "test"
            # The whole header value is the gateway's secret (Bearer and the token): redacted whole.
            headers = json.loads(text_of(await invoke(c, "remote-api", "request_headers", {})))
            assert headers.get("authorization") == "[redacted:gateway_secret]", headers
    finally:
        gw.stop()


def test_dry_run_writes_nothing_and_an_existing_file_is_refused(clients, tmp_path: Path) -> None:
    out = tmp_path / "new.yaml"
    dry = run_import("--dry-run", "-o", str(out), home=clients["home"], cwd=clients["project"])
    assert dry.returncode == 0 and dry.stdout.startswith("# Written by mcp-gateway import from:"), dry.stdout
    assert not out.exists()
    out.write_text("backends: {}\n")
    refused = run_import("-o", str(out), home=clients["home"], cwd=clients["project"])
    assert refused.returncode != 0 and "exists" in refused.stderr, refused.stderr
    assert out.read_text() == "backends: {}\n"


def test_codex_toml_is_refused_by_name(clients) -> None:
    refused = run_import("--from", "codex", home=clients["home"], cwd=clients["project"])
    assert refused.returncode != 0 and "TOML" in refused.stderr, refused.stderr


def run_init(*args: str, home: Path, cwd: Path) -> harness.subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    return harness.subprocess.run([str(harness.gateway_bin()), "init", *args], capture_output=True, text=True,
                                  timeout=60, env=env, cwd=cwd, stdin=harness.subprocess.DEVNULL)


def test_init_writes_the_imported_servers_where_serve_looks_and_never_replaces(clients, tmp_path: Path) -> None:
    made = run_init(home=clients["home"], cwd=clients["project"])
    assert made.returncode == 0, made.stdout + made.stderr
    path = clients["home"] / ".config" / "mcp-gateway" / "gateway.yaml"
    text = path.read_text()
    assert "alpha:" in text and "remote-api:" in text and SECRET not in text, text
    assert "set before starting: INTEROP_TOKEN, REMOTE_API_TOKEN" in made.stdout, made.stdout
    env = {"INTEROP_TOKEN": "x" * 20, "REMOTE_API_TOKEN": "y" * 20}
    valid = harness.run_cli("config", "validate", str(path), env=env)
    assert valid.returncode == 0 and "OK (2 backends" in valid.stdout, valid.stdout
    again = run_init(home=clients["home"], cwd=clients["project"])
    assert again.returncode != 0 and "exists" in again.stderr, again.stderr
    assert path.read_text() == text


def test_init_without_clients_writes_examples_that_load(tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    out = tmp_path / "starter.yaml"
    made = run_init("-o", str(out), home=home, cwd=tmp_path)
    assert made.returncode == 0 and "examples" in made.stdout, made.stdout + made.stderr
    valid = harness.run_cli("config", "validate", str(out))
    assert valid.returncode == 0 and "OK (1 backend" in valid.stdout, valid.stdout


def test_doctor_starts_every_backend_once_and_says_what_to_fix(tmp_path: Path) -> None:
    cfg = harness.make_config({
        "alpha": harness.stdio_backend("alpha"),
        "missing": {"command": "mcp-server-that-is-not-installed --flag", "timeout": "5s"},
        "nowhere": {"http_url": f"http://127.0.0.1:{harness.free_port()}/mcp", "timeout": "3s"},
        "parked": {**harness.stdio_backend("parked"), "enabled": False},
    })
    path = harness.write_config(tmp_path / "doctor.yaml", cfg)
    done = harness.run_cli("doctor", "--config", str(path), timeout=90)
    assert done.returncode == 1, done.stdout + done.stderr
    rows = {line.split()[0]: line for line in done.stdout.splitlines() if line.split() and line.split()[0] in
            ("alpha", "missing", "nowhere")}
    assert rows["alpha"].split()[1] == "stdio" and rows["alpha"].rstrip().endswith("ok"), done.stdout
    assert str(len(harness.BACKEND_TOOLS)) in rows["alpha"].split(), rows["alpha"]
    assert rows["missing"].rstrip().endswith("FAILED") and rows["nowhere"].rstrip().endswith("FAILED"), done.stdout
    assert "fix: the program is not installed" in done.stdout, done.stdout
    assert "fix: nothing listens at that address" in done.stdout, done.stdout
    assert "disabled, not started: parked" in done.stdout and "2 of 3 backends need attention" in done.stdout

    healthy = harness.write_config(tmp_path / "healthy.yaml", harness.make_config({"alpha": harness.stdio_backend("alpha")}))
    ok = harness.run_cli("doctor", "--config", str(healthy), timeout=90)
    assert ok.returncode == 0 and "all 1 backends answered" in ok.stdout, ok.stdout + ok.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("backends:\n  a: {comand: x}\n")
    bad = harness.run_cli("doctor", "--config", str(broken))
    assert bad.returncode == 2 and f"{broken}:2:" in bad.stdout, bad.stdout
