"""The command line itself: --version, completions, flag validation, JSON logs, built-in default."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import time

import httpx

import harness


def wait_until_ready(port: int, timeout: float = 15) -> None:
    """For a gateway started here without the harness (its own cwd, HOME and flags)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)


def test_version_prints_the_version() -> None:
    r = harness.run_cli("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().count(".") == 2, r.stdout


def test_completions_for_each_shell() -> None:
    for shell, marker in (("bash", "complete"), ("zsh", "compdef"), ("fish", "complete -c")):
        r = harness.run_cli("completions", shell)
        assert r.returncode == 0, r.stderr
        assert marker in r.stdout and "mcp-gateway" in r.stdout, (shell, r.stdout[:200])
    r = harness.run_cli("completions", "tcsh")
    assert r.returncode != 0 and "bash, zsh or fish" in (r.stderr + r.stdout)


def test_bad_flags_are_rejected_clearly() -> None:
    r = harness.run_cli("serve", "--log-level", "loud")
    assert r.returncode != 0 and "--log-level" in r.stderr
    r = harness.run_cli("serve", "--log-format", "xml")
    assert r.returncode != 0 and "--log-format" in r.stderr


def test_explicit_missing_config_is_an_error(tmp_path) -> None:
    r = harness.run_cli("serve", "--config", str(tmp_path / "nope.yaml"))
    assert r.returncode != 0
    assert "nope.yaml" in r.stderr


def test_builtin_default_and_json_logs(tmp_path) -> None:
    """With no config anywhere the gateway starts on the built-in default and says how to add backends."""
    port = harness.free_port()
    env = harness.gateway_env({"HOME": str(tmp_path)})
    env.pop("MCP_GATEWAY_CONFIG", None)
    proc = subprocess.Popen(
        [str(harness.gateway_bin()), "--port", str(port), "--log-format", "json"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_ready(port)
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
        # No backends; the built-in capability starter pack is the only server.
        assert health["status"] == "healthy" and list(health["backends"]) == ["capabilities"], health
        assert health["backends"]["capabilities"]["tools"] >= 70
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert out == "", "stdout must stay empty in HTTP mode"
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert all("level" in line and "msg" in line for line in lines)
    assert any("built-in default" in line["msg"] and "gateway.yaml" in line["msg"] for line in lines), lines


def test_secrets_in_backend_arguments_stay_out_of_logs(tmp_path) -> None:
    """A secret expanded from ${VAR} into a backend's command line never reaches the gateway log."""
    secret = "s3cr3t-token-that-must-not-be-logged"
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    cfg["backends"]["alpha"]["command"] += " --name ${BACKEND_SECRET}"
    path = harness.write_config(tmp_path / "secret.yaml", cfg)
    gw = harness.start_gateway(path, tmp_path, env={"BACKEND_SECRET": secret})
    try:
        with harness.RawSession(gw.url) as s:
            s.initialize()
            s.request("tools/call", {"name": "gateway_list_servers", "arguments": {}})
    finally:
        gw.stop()
    log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("gateway-*.log"))
    assert log, "expected a gateway log"
    assert secret not in log


def test_a_working_directory_gateway_yaml_is_not_loaded_unless_named(tmp_path) -> None:
    """A config starts commands: one in whatever directory the gateway is launched from (a cloned
    repository) must not run them. It is pointed out in the log and used only with --config."""
    marker = tmp_path / "ran"
    (tmp_path / "gateway.yaml").write_text(
        "meta_mcp:\n  warm_start: ['*']\nbackends:\n"
        f"  planted:\n    command: [sh, -c, 'touch {marker}; sleep 30']\n")
    home = tmp_path / "home"
    home.mkdir()
    port = harness.free_port()
    env = harness.gateway_env({"HOME": str(home)})
    env.pop("MCP_GATEWAY_CONFIG", None)
    proc = subprocess.Popen([str(harness.gateway_bin()), "--port", str(port)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    harness._register(proc)
    try:
        wait_until_ready(port)
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
        assert "planted" not in health["backends"], health
        time.sleep(1)
        assert not marker.exists(), "the working directory's gateway.yaml ran a command"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    assert "gateway.yaml is not loaded" in err and "--config" in err, err
    r = harness.run_cli("config", "validate", str(tmp_path / "gateway.yaml"))
    assert r.returncode == 0, r.stdout + r.stderr  # named, it is the config


def test_a_network_facing_gateway_without_authentication_refuses_to_start(tmp_path) -> None:
    """Probe p01: on 0.0.0.0 with no authentication, anyone on the network would run every tool.
    The gateway refuses to start (from the config or from --host) unless told so on purpose."""
    local = tmp_path / "local.yaml"
    local.write_text("server:\n  host: 127.0.0.1\nbackends: {}\n")
    r = harness.run_cli("serve", "--config", str(local), "--host", "0.0.0.0", "--port", str(harness.free_port()), timeout=20)
    assert r.returncode == 2, r.stderr
    assert "--host" in r.stderr and "auth.allow_unauthenticated" in r.stderr, r.stderr
    exposed = tmp_path / "exposed.yaml"
    exposed.write_text("server:\n  port: 39411\n  host: 0.0.0.0\nbackends: {}\n")
    r = harness.run_cli("config", "validate", str(exposed))
    assert r.returncode == 1 and re.search(r"exposed\.yaml:3:\d+: error: server\.host '0\.0\.0\.0'", r.stdout), r.stdout
    r = harness.run_cli("serve", "--config", str(exposed), timeout=20)
    assert r.returncode == 2 and "auth.allow_unauthenticated" in r.stderr, r.stderr
    opted = tmp_path / "opted.yaml"
    opted.write_text("server:\n  host: 0.0.0.0\nauth:\n  allow_unauthenticated: true\nbackends: {}\n")
    assert harness.run_cli("config", "validate", str(opted)).returncode == 0


def test_security_settings_the_gateway_does_not_implement_stop_the_load(tmp_path) -> None:
    """A single-user mode, or a firewall, that the gateway would silently ignore leaves it less
    protected than its config says: refused with file and line, never a warning."""
    cfg = tmp_path / "ref.yaml"
    cfg.write_text("auth:\n  enabled: true\n  api_keys: [{name: team, key: k0123456789abcdefg, rate_limit: 60}]\n  single_user: true\n"
                   "security:\n  firewall: {enabled: true, scan_requests: true}\nbackends: {}\n")
    r = harness.run_cli("config", "validate", str(cfg))
    assert r.returncode == 1, r.stdout
    assert re.search(r"ref\.yaml:4:\d+: error: 'auth\.single_user'", r.stdout), r.stdout
    assert re.search(r"ref\.yaml:6:\d+: error: 'security\.firewall\.scan_requests'", r.stdout), r.stdout
    r = harness.run_cli("serve", "--config", str(cfg), "--port", str(harness.free_port()), timeout=20)
    assert r.returncode == 2 and "refused rather than ignored" in r.stderr, r.stderr
    off = tmp_path / "off.yaml"
    off.write_text("auth:\n  enabled: false\n  api_keys: [{name: team, key: k}]\nbackends: {}\n")
    assert harness.run_cli("config", "validate", str(off)).returncode == 0
