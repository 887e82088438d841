"""`mcp-gateway config validate PATH`: strict, friendly config checking (no gateway started)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import harness

VALID = """\
server:
  host: 127.0.0.1
  port: 39400
  request_timeout: 30s
  shutdown_timeout: 5s
meta_mcp:
  enabled: true
  surfaced_tools:
    - server: alpha
      tool: echo
backends:
  alpha:
    command: "/usr/bin/python3 /opt/server.py --transport stdio --name alpha"
    description: "alpha backend"
    timeout: 5s
  beta:
    http_url: "http://127.0.0.1:39501/mcp"
    transport: streamable_http
  gamma:
    http_url: "http://127.0.0.1:39502/sse"
    transport: sse
"""


def write(tmp_path: Path, text: str, name: str = "gateway.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def validate(path: Path, env: dict[str, str] | None = None):
    r = harness.run_cli("config", "validate", str(path), env=env)
    return r.returncode, r.stdout + r.stderr


def test_valid_config_passes(tmp_path: Path) -> None:
    rc, out = validate(write(tmp_path, VALID))
    assert rc == 0, out
    assert "error" not in out.lower(), out


def test_unknown_key_has_position_and_suggestion(tmp_path: Path) -> None:
    text = VALID.replace('    command: "/usr/bin/python3', '    comand: "/usr/bin/python3')
    path = write(tmp_path, text)
    line = text.splitlines().index(next(l for l in text.splitlines() if "comand:" in l)) + 1
    rc, out = validate(path)
    assert rc != 0, out
    expected = f"{path}:{line}:5: error: unknown key 'comand' in 'backends.alpha'; did you mean 'command'?"
    assert expected in out, f"expected line:\n  {expected}\ngot:\n{out}"


def test_all_problems_are_reported(tmp_path: Path) -> None:
    text = (VALID.replace("  request_timeout: 30s", "  request_timeot: 30s")
                 .replace("    description: \"alpha backend\"", "    descripton: \"alpha backend\"")
                 .replace("    transport: sse", "    transprot: sse"))
    path = write(tmp_path, text)
    rc, out = validate(path)
    assert rc != 0, out
    lines = text.splitlines()
    for key, parent, suggestion in [("request_timeot", "server", "request_timeout"),
                                    ("descripton", "backends.alpha", "description"),
                                    ("transprot", "backends.gamma", "transport")]:
        n = next(i for i, l in enumerate(lines, 1) if f"{key}:" in l)
        col = lines[n - 1].index(key) + 1
        expected = f"{path}:{n}:{col}: error: unknown key '{key}' in '{parent}'; did you mean '{suggestion}'?"
        assert expected in out, f"missing:\n  {expected}\ngot:\n{out}"


def test_unset_variable_without_default_is_an_error(tmp_path: Path) -> None:
    text = VALID.replace('"http://127.0.0.1:39501/mcp"', '"http://127.0.0.1:${INTEROP_UNSET_PORT_VAR}/mcp"')
    rc, out = validate(write(tmp_path, text))
    assert rc != 0, out
    assert "INTEROP_UNSET_PORT_VAR" in out, out


def test_variable_default_and_set_variable_are_fine(tmp_path: Path) -> None:
    text = (VALID.replace('"http://127.0.0.1:39501/mcp"', '"http://127.0.0.1:${INTEROP_UNSET_PORT_VAR:-39501}/mcp"')
                 .replace('"alpha backend"', '"${INTEROP_DESCRIPTION_VAR}"'))
    rc, out = validate(write(tmp_path, text), env={"INTEROP_DESCRIPTION_VAR": "from the environment"})
    assert rc == 0, out


def test_reference_only_key_is_a_warning(tmp_path: Path) -> None:
    text = VALID + "streaming:\n  enabled: true\n"
    rc, out = validate(write(tmp_path, text))
    assert rc == 0, out
    assert "warning" in out.lower() and "streaming" in out, out


def test_syntax_error_is_reported_with_position(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("  port: 39400", "  port: [39400"))
    rc, out = validate(path)
    assert rc != 0, out
    assert str(path) in out, out


@pytest.mark.parametrize("bad,needle", [
    ("  port: not-a-port", "port"),
    ("  request_timeout: 30 parsecs", "request_timeout"),
])
def test_bad_values_are_errors(tmp_path: Path, bad: str, needle: str) -> None:
    key = bad.split(":")[0]
    lines = [bad if l.startswith(key + ":") else l for l in VALID.splitlines()]
    rc, out = validate(write(tmp_path, "\n".join(lines) + "\n"))
    assert rc != 0, out
    assert needle in out, out


def test_missing_file(tmp_path: Path) -> None:
    rc, out = validate(tmp_path / "nope.yaml")
    assert rc != 0
    assert "nope.yaml" in out
