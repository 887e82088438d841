"""The command line itself: --version, completions, flag validation, JSON logs, built-in default."""
from __future__ import annotations

import json
import signal
import subprocess
import time

import httpx

import harness


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
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
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
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
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
