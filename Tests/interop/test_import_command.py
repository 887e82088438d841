"""`mcp-gateway import` end to end (issue 20): client configs where the clients keep them (a Cursor
user file under HOME, a project's VS Code file in JSONC) become a gateway.yaml with the secrets
as ${VAR} references; the gateway started on that file with the variables set serves both
servers. --dry-run writes nothing; an existing gateway.yaml is merged into (a diff first, the
user's text kept, servers it has skipped, a merge that would break it refused); `--rewire` makes a
client start the gateway instead (used here as that client would start it) and `--restore` puts
its file back byte for byte; Codex's TOML goes through the same, with its named secrets."""
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


def test_dry_run_writes_nothing(clients, tmp_path: Path) -> None:
    out = tmp_path / "new.yaml"
    dry = run_import("--dry-run", "-o", str(out), home=clients["home"], cwd=clients["project"])
    assert dry.returncode == 0 and dry.stdout.startswith("# Written by mcp-gateway import from:"), dry.stdout
    assert not out.exists()


EXISTING = """# the team's gateway
server:
  port: 39777

backends:
    # four-space indentation, kept by the merge
    git:
        command: mcp-server-git --repository /srv/app   # a comment kept as it is
        description: "Git"

telemetry:
  metrics: true
"""


def test_an_existing_config_is_merged_into_with_a_diff_first(clients, tmp_path: Path) -> None:
    out = tmp_path / "gateway.yaml"
    out.write_text(EXISTING)
    out.chmod(0o640)
    dry = run_import("--dry-run", "-o", str(out), home=clients["home"], cwd=clients["project"])
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(f"--- {out}\n+++ {out} (merged)\n@@ "), dry.stdout
    added = [line for line in dry.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert "+    alpha:" in added and "+    remote-api:" in added, dry.stdout
    assert not any(line.startswith("-") and not line.startswith("---") for line in dry.stdout.splitlines()), dry.stdout
    assert out.read_text() == EXISTING

    done = run_import("-o", str(out), home=clients["home"], cwd=clients["project"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 backend(s) added: alpha, remote-api" in done.stdout, done.stdout
    text = out.read_text()
    # Everything the user wrote is still there, byte for byte, around the new entries.
    assert text.startswith(EXISTING.split("\ntelemetry:")[0].rstrip("\n")), text
    assert text.endswith("telemetry:\n  metrics: true\n"), text
    assert SECRET not in text and "${INTEROP_TOKEN}" in text
    assert out.stat().st_mode & 0o777 == 0o640
    env = {"INTEROP_TOKEN": "x", "REMOTE_API_TOKEN": "y"}
    checked = harness.run_cli("config", "validate", str(out), env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # Again: every server is there already.
    again = run_import("-o", str(out), home=clients["home"], cwd=clients["project"])
    assert again.returncode == 0 and "nothing to add" in again.stdout, again.stdout + again.stderr
    assert "already in the gateway config as 'alpha'" in again.stderr, again.stderr
    assert out.read_text() == text


def test_a_merge_that_would_break_the_config_writes_nothing(clients, tmp_path: Path) -> None:
    out = tmp_path / "gateway.yaml"
    out.write_text("backends: {git: {command: mcp-server-git}}\n")
    refused = run_import("-o", str(out), home=clients["home"], cwd=clients["project"])
    assert refused.returncode != 0 and "write it as a block" in refused.stderr, refused.stderr
    assert out.read_text() == "backends: {git: {command: mcp-server-git}}\n"


async def test_codex_toml_is_imported_rewired_and_restored(clients, tmp_path: Path) -> None:
    """Codex's config.toml: a server whose token Codex forwards by name (env_vars) is imported with
    a ${VAR} reference and its enabled_tools as the backend's allow list; --rewire codex leaves one
    [mcp_servers.mcp-gateway] table that an MCP client starts as Codex would; --restore codex gives
    the file back byte for byte."""
    import tomllib
    argv = harness.server_argv("alpha")
    codex = clients["home"] / ".codex" / "config.toml"
    codex.parent.mkdir()
    original = f"""model = "o3"  # kept

[mcp_servers.alpha]
command = {json.dumps(argv[0])}
args = {json.dumps(argv[1:])}
env_vars = ["INTEROP_TOKEN"]
enabled_tools = ["echo", "getenv"]

[projects."/srv/app"]
trust_level = "trusted"
"""
    codex.write_text(original)
    out = tmp_path / "gateway.yaml"
    done = run_import("--rewire", "codex", "-o", str(out), home=clients["home"], cwd=clients["project"])
    assert done.returncode == 0, done.stdout + done.stderr
    text = out.read_text()
    assert '"INTEROP_TOKEN": "${INTEROP_TOKEN}"' in text and 'allow: ["echo", "getenv"]' in text, text
    rewired = tomllib.loads(codex.read_text())
    assert list(rewired["mcp_servers"]) == ["mcp-gateway"] and rewired["model"] == "o3", rewired
    assert rewired["projects"] == {"/srv/app": {"trust_level": "trusted"}}
    launch = rewired["mcp_servers"]["mcp-gateway"]

    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
    params = StdioServerParameters(command=launch["command"], args=launch["args"],
                                   env={**os.environ, "INTEROP_TOKEN": SECRET})
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = await session.call_tool("gateway_list_tools", {"server": "alpha"})
        names = {t["name"] for t in listed.structured_content["tools"]}
        assert names == {"echo", "getenv"}, names
        echoed = await session.call_tool("gateway_invoke", {"server": "alpha", "tool": "echo", "arguments": {"text": "via codex"}})
        assert text_of(echoed) == "via codex", text_of(echoed)

    restored = run_import("--restore", "codex", home=clients["home"], cwd=clients["project"])
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert codex.read_text() == original


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


async def test_rewire_switches_a_client_to_the_gateway_and_restore_switches_it_back(clients, tmp_path: Path) -> None:
    """`--rewire cursor`: Cursor's servers go into gateway.yaml, and Cursor's file then starts the
    gateway (`serve --stdio`), which an MCP client started exactly as Cursor would can use; the
    original is backed up. `--restore cursor` puts the file back as it was."""
    cursor = clients["home"] / ".cursor" / "mcp.json"
    original = cursor.read_text()
    out = tmp_path / "gateway.yaml"
    dry = run_import("--rewire", "cursor", "--dry-run", "-o", str(out), home=clients["home"], cwd=clients["project"])
    assert dry.returncode == 0, dry.stderr
    assert f"+++ {cursor} (rewired)" in dry.stdout and '"mcp-gateway"' in dry.stdout, dry.stdout
    assert cursor.read_text() == original and not out.exists()

    done = run_import("--rewire", "cursor", "-o", str(out), home=clients["home"], cwd=clients["project"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"rewired {cursor}: alpha replaced by 'mcp-gateway'" in done.stdout, done.stdout
    backup = Path(str(cursor) + ".mcp-gateway-backup")
    assert backup.read_text() == original
    # Only Cursor's servers were imported (the project's VS Code server was not asked for).
    assert "remote-api" not in out.read_text()
    entry = json.loads(cursor.read_text())["mcpServers"]
    assert list(entry) == ["mcp-gateway"], entry
    launch = entry["mcp-gateway"]
    assert launch["args"] == ["serve", "--stdio", "--config", str(out)], launch
    assert Path(launch["command"]).resolve() == harness.gateway_bin().resolve(), launch

    # Start the gateway exactly as Cursor would, and use the imported server through it.
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
    params = StdioServerParameters(command=launch["command"], args=launch["args"],
                                   env={**os.environ, "INTEROP_TOKEN": SECRET, "PATH": os.environ.get("PATH", "")})
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        echoed = await session.call_tool("gateway_invoke", {"server": "alpha", "tool": "echo", "arguments": {"text": "via cursor"}})
        assert text_of(echoed) == "via cursor", text_of(echoed)

    again = run_import("--rewire", "cursor", "-o", str(out), home=clients["home"], cwd=clients["project"])
    assert again.returncode != 0 and "was rewired before" in again.stderr, again.stderr

    restored = run_import("--restore", "cursor", home=clients["home"], cwd=clients["project"])
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert cursor.read_text() == original and not backup.exists()
    nothing = run_import("--restore", "cursor", home=clients["home"], cwd=clients["project"])
    assert nothing.returncode != 0 and "no backup found" in nothing.stderr, nothing.stderr
