"""`mcp-gateway ready` (issue 20, packaging): the probe a container HEALTHCHECK or a systemd unit
runs, with no curl in the image. It asks the configured server's /ready: exit 0 when the gateway
is ready (plain HTTP and TLS with a certificate of its own CA), 1 when nothing answers, 2 for a
configuration that does not load (with its file and line)."""
from __future__ import annotations

import ssl
from pathlib import Path

import harness
from test_tls import make_ca, make_leaf


def _config(port: int) -> dict:
    # The port is written in the file: the probe reads it from there (the harness passes --port
    # to serve, which the probe does not see).
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    cfg["server"]["port"] = port
    return cfg


def test_ready_when_the_gateway_is_ready(tmp_path: Path) -> None:
    port = harness.free_port()
    path = harness.write_config(tmp_path / "ready.yaml", _config(port))
    with harness.running_gateway(path, tmp_path, port=port) as gw:
        probe = harness.run_cli("ready", "--config", str(path))
        assert probe.returncode == 0, probe.stdout + probe.stderr
        assert probe.stdout.strip() == f"ready: http://127.0.0.1:{gw.port}/ready"
        by_url = harness.run_cli("ready", "--url", f"http://127.0.0.1:{gw.port}/ready", "--timeout", "3")
        assert by_url.returncode == 0, by_url.stdout


def test_over_tls(tmp_path: Path) -> None:
    make_ca(tmp_path, "ca")
    make_leaf(tmp_path, "server", "ca", "/CN=gateway", "subjectAltName=IP:127.0.0.1", "extendedKeyUsage=serverAuth")
    port = harness.free_port()
    cfg = _config(port)
    cfg["mtls"] = {"server_cert": str(tmp_path / "server.pem"), "server_key": str(tmp_path / "server.key")}
    ctx = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
    path = harness.write_config(tmp_path / "tls.yaml", cfg)
    with harness.running_gateway(path, tmp_path, port=port, tls=ctx) as gw:
        probe = harness.run_cli("ready", "--config", str(path))
        assert probe.returncode == 0, probe.stdout + probe.stderr
        assert probe.stdout.strip() == f"ready: https://127.0.0.1:{gw.port}/ready"


def test_nothing_listening_is_not_ready(tmp_path: Path) -> None:
    port = harness.free_port()
    path = harness.write_config(tmp_path / "down.yaml", _config(port))
    probe = harness.run_cli("ready", "--config", str(path), "--timeout", "2")
    assert probe.returncode == 1, probe.stdout + probe.stderr
    assert probe.stdout.startswith(f"not ready: http://127.0.0.1:{port}/ready did not answer"), probe.stdout


def test_a_broken_configuration_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("server:\n  port: many\n")
    probe = harness.run_cli("ready", "--config", str(path))
    assert probe.returncode == 2, probe.stdout + probe.stderr
    assert f"{path}:2:" in probe.stderr and "port" in probe.stderr, probe.stderr
