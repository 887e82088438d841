"""The `mcp-gateway cap` command line: list, validate, test, import and run, on the built-in
starter pack, a broken file, the Petstore specs, and a loopback API."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import harness

FIXTURES = harness.REPO_ROOT / "Tests" / "GatewayCapabilitiesTests" / "Fixtures"
STARTER = harness.REPO_ROOT / "Sources" / "GatewayCapabilities" / "StarterPack"


def test_cap_list_json_has_the_starter_pack() -> None:
    r = harness.run_cli("cap", "list", "--json")
    assert r.returncode == 0, r.stderr
    catalog = json.loads(r.stdout)
    assert catalog["server"] == "capabilities"
    assert len(catalog["tools"]) >= 70
    assert all("inputSchema" in t for t in catalog["tools"])


def test_cap_test_checks_every_starter_example() -> None:
    r = harness.run_cli("cap", "test", str(STARTER), timeout=120)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]


def test_cap_validate_reports_file_line_and_key(tmp_path: Path) -> None:
    good = tmp_path / "ok"
    good.mkdir()
    (good / "echo_api.yaml").write_text((STARTER / "wikidata_search.yaml").read_text())
    assert harness.run_cli("cap", "validate", str(good)).returncode == 0
    (good / "broken.yaml").write_text("name: broken\ndescription: x\nprovders: {}\n")
    r = harness.run_cli("cap", "validate", str(good))
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "broken.yaml:3" in out and "provders" in out and "providers" in out, out


def test_cap_import_openapi_and_swagger(tmp_path: Path) -> None:
    for spec in ("petstore-openapi-3.0.yaml", "petstore-swagger-2.0.json", "tasks-openapi-3.1.yaml"):
        out = tmp_path / spec.split(".")[0]
        r = harness.run_cli("cap", "import", str(FIXTURES / spec), "--output", str(out), "--prefix", "pet",
                            "--auth-key", "env:PET_TOKEN", "--base-url", "https://petstore.example/api", timeout=60)
        assert r.returncode == 0, r.stderr
        files = list(out.glob("*.yaml"))
        assert len(files) >= 5, (spec, r.stdout, r.stderr)
        assert all(f.name.startswith("pet") for f in files)
        assert "skipped" in (r.stdout + r.stderr).lower()
        check = harness.run_cli("cap", "validate", str(out))
        assert check.returncode == 0, check.stdout + check.stderr


class Api(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        body = json.dumps({"echo": self.path}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_cap_run_executes_against_an_allowed_loopback_api(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        capdir = tmp_path / "caps"
        capdir.mkdir()
        (capdir / "lookup.yaml").write_text(f"""\
name: lookup
description: Look a word up
schema:
  input:
    type: object
    properties: {{word: {{type: string}}}}
    required: [word]
providers:
  primary:
    service: rest
    config:
      base_url: http://127.0.0.1:{server.server_address[1]}
      path: /words/{{word}}
""")
        cfg = harness.make_config({}, extra={
            "capabilities": {"directories": [str(capdir)], "starter_pack": False},
            "security": {"ssrf_allow": ["127.0.0.1"]},
        })
        path = harness.write_config(tmp_path / "cap.yaml", cfg)
        r = harness.run_cli("cap", "run", "lookup", "--args", '{"word": "a b/c"}', "--config", str(path))
        assert r.returncode == 0, r.stdout + r.stderr
        assert "/words/a%20b%2Fc" in r.stdout
        refused = harness.write_config(tmp_path / "refused.yaml", harness.make_config({}, extra={
            "capabilities": {"directories": [str(capdir)], "starter_pack": False}}))
        r = harness.run_cli("cap", "run", "lookup", "--args", '{"word": "x"}', "--config", str(refused))
        assert "ssrf_allow" in r.stdout + r.stderr
    finally:
        server.shutdown()
