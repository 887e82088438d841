"""Issue 20, import across every client format at once: a home directory holding one config of each
client as that client writes it (Claude Desktop, Claude Code's ~/.claude.json with a project entry and
a project .mcp.json, Cursor, VS Code's user file in JSONC with inputs and a project file, Windsurf's
`serverUrl`, Zed's settings.json in JSONC, Codex's TOML). `import -o` writes one gateway.yaml whose
every backend the gateway then starts and lists (a server configured in two clients kept once), and
`--rewire`/`--restore` round-trips each client's files byte for byte."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

import anyio
import pytest

import harness
from harness import gw_client, structured

pytestmark = pytest.mark.anyio

SECRET = "s3cr3t-every-client-77"
CLIENTS = ["claude-desktop", "claude-code", "cursor", "vscode", "windsurf", "zed", "codex"]


def stdio(name: str) -> list[str]:
    return harness.server_argv(name)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, log_dir: Path) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("every-client")
    home, project = root / "home", root / "project"
    for folder in (home / ".config/Claude", home / ".cursor", home / ".config/Code/User", home / ".codeium/windsurf",
                   home / ".config/zed", home / ".codex", project / ".vscode"):
        folder.mkdir(parents=True)
    remote = harness.start_http_backend("remote", "streamable-http", log_dir)
    legacy = harness.start_http_backend("legacy", "sse", log_dir)
    desktop = stdio("desktop")
    files: dict[str, Path] = {}

    files["claude-desktop"] = home / ".config/Claude/claude_desktop_config.json"
    files["claude-desktop"].write_text(json.dumps({"mcpServers": {
        "desktop": {"command": desktop[0], "args": desktop[1:]}}}, indent=2))

    code_user = stdio("code-user")
    code_project = stdio("code-project")
    files["claude-code"] = home / ".claude.json"
    files["claude-code"].write_text(json.dumps({
        "numStartups": 12, "autoUpdates": True,
        "mcpServers": {"code-user": {"type": "stdio", "command": code_user[0], "args": code_user[1:], "env": {}}},
        "projects": {str(project): {"allowedTools": [], "history": [{"display": "hi"}],
                                    "mcpServers": {"code-project": {"type": "stdio", "command": code_project[0],
                                                                    "args": code_project[1:], "env": {}}}}},
    }, indent=2))
    files["claude-code-project"] = project / ".mcp.json"
    files["claude-code-project"].write_text(json.dumps({"mcpServers": {
        "team remote": {"type": "http", "url": remote.url, "headers": {"Authorization": f"Bearer {SECRET}"}}}}, indent=2))

    cursor = stdio("cursor")
    files["cursor"] = home / ".cursor/mcp.json"
    files["cursor"].write_text(json.dumps({"mcpServers": {
        "cursor": {"command": cursor[0], "args": cursor[1:], "env": {"INTEROP_TOKEN": SECRET}},
        # The same server as Claude Desktop's: kept once.
        "desktop-again": {"command": desktop[0], "args": desktop[1:]}}}, indent=2))

    vscode = stdio("vscode")
    files["vscode"] = home / ".config/Code/User/mcp.json"
    files["vscode"].write_text(f"""{{
  // VS Code asks for these once and keeps them itself
  "inputs": [{{"type": "promptString", "id": "api-key", "description": "API key", "password": true}}],
  "servers": {{
    "vscode": {{"type": "stdio", "command": {json.dumps(vscode[0])}, "args": {json.dumps(vscode[1:])},
               "env": {{"API_KEY": "${{input:api-key}}"}}}},
  }},
}}
""")
    files["vscode-project"] = project / ".vscode/mcp.json"
    files["vscode-project"].write_text(json.dumps({"servers": {"legacy-sse": {"type": "sse", "url": legacy.url}}}, indent=2))

    files["windsurf"] = home / ".codeium/windsurf/mcp_config.json"
    files["windsurf"].write_text(json.dumps({"mcpServers": {"windsurf-remote": {"serverUrl": remote.url + "?from=windsurf"}}}, indent=2))

    zed = stdio("zed")
    files["zed"] = home / ".config/zed/settings.json"
    files["zed"].write_text(f"""// Zed settings
{{
  "theme": "One Dark",
  "context_servers": {{
    /* a local server */
    "zed": {{"command": {json.dumps(zed[0])}, "args": {json.dumps(zed[1:])}, "env": {{}}}},
  }},
}}
""")

    codex = stdio("codex")
    files["codex"] = home / ".codex/config.toml"
    files["codex"].write_text(f"""model = "o3"

[mcp_servers.codex]
command = {json.dumps(codex[0])}
args = {json.dumps(codex[1:])}
env_vars = ["INTEROP_TOKEN"]
""")
    try:
        yield {"home": home, "project": project, "files": files}
    finally:
        remote.stop()
        legacy.stop()


def run(*args: str, home: dict[str, Any]) -> harness.subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home["home"]), "XDG_CONFIG_HOME": str(home["home"] / ".config")}
    return harness.subprocess.run([str(harness.gateway_bin()), "import", *args], capture_output=True, text=True,
                                  timeout=60, env=env, cwd=home["project"], stdin=harness.subprocess.DEVNULL)


EXPECTED = {"desktop", "code-user", "code-project", "team-remote", "cursor", "vscode", "legacy-sse", "windsurf-remote",
            "zed", "codex"}


async def test_every_client_format_becomes_one_working_gateway(home, tmp_path: Path) -> None:
    out = tmp_path / "gateway.yaml"
    done = run("-o", str(out), home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "'desktop-again'" in done.stderr and "kept once" in done.stderr, done.stderr
    text = out.read_text()
    assert SECRET not in text, text
    for source in home["files"].values():
        assert str(source) in text, f"{source} not named as a source"
    env = {"INTEROP_TOKEN": SECRET, "TEAM_REMOTE_TOKEN": SECRET, "API_KEY": "from-vscode-input"}
    gw = harness.start_gateway(out, tmp_path, env=env, ready_timeout=60)
    try:
        async with gw_client(gw, read_timeout_seconds=60) as c:
            servers = {s["name"]: s for s in structured(await c.call_tool("gateway_list_servers", {}))["servers"]}
            # Besides the built-in capabilities server, which an imported config leaves on.
            assert set(servers) - {"capabilities"} == EXPECTED, set(servers)
            # Ten servers start at once: on a loaded machine some join the catalog after the
            # first listing's wait, in the background.
            with anyio.fail_after(90):
                while True:
                    listed = structured(await c.call_tool("gateway_list_tools", {}))
                    serving = {t["server"] for t in listed["tools"]} - {"capabilities"}
                    if serving == EXPECTED:
                        break
                    await anyio.sleep(0.5)
            got = await c.call_tool("gateway_invoke", {"server": "vscode", "tool": "getenv", "arguments": {"name": "API_KEY"}})
            # The input became a variable the gateway passes on (and redacts from results as its own secret).
            assert harness.text_of(got) == "[redacted:gateway_secret]", harness.text_of(got)
    finally:
        gw.stop()


@pytest.mark.parametrize("client", CLIENTS)
def test_rewire_and_restore_round_trip_every_client(home, client: str, tmp_path: Path) -> None:
    out = tmp_path / "gateway.yaml"
    assert run("-o", str(out), home=home).returncode == 0
    mine = [path for key, path in home["files"].items() if key == client or key.startswith(client + "-")]
    before = {path: path.read_bytes() for path in mine}
    done = run("--rewire", client, "-o", str(out), home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    for path in mine:
        text = path.read_text()
        assert path.read_bytes() != before[path] and "mcp-gateway" in text and str(out) in text, (path, text)
        assert Path(str(path) + ".mcp-gateway-backup").read_bytes() == before[path]
    # Client settings other than its servers survive the rewire.
    if client == "zed":
        assert '"theme": "One Dark"' in home["files"]["zed"].read_text() and "// Zed settings" in home["files"]["zed"].read_text()
    if client == "claude-code":
        rewired = json.loads(home["files"]["claude-code"].read_text())
        assert rewired["numStartups"] == 12 and rewired["projects"][str(home["project"])]["history"] == [{"display": "hi"}]
    restored = run("--restore", client, home=home)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    for path in mine:
        assert path.read_bytes() == before[path], path
        assert not Path(str(path) + ".mcp-gateway-backup").exists()
