"""Packaging (issue 20): what can be checked here of what cannot run here. There is no Docker
engine on the machines these tests run on, so the Dockerfile is linted (multi-stage, pinned
bases, non-root user, a HEALTHCHECK with the gateway's own `ready` probe, exec-form commands,
every copied path present, the image's configuration valid and refusing to start without its
key); the systemd unit is checked by `systemd-analyze verify` (syntax, known keys, the program
exists) and for its hardening; the release script is checked for what it promises (a static
Swift runtime and the resource folders beside the binary). Building the static package itself
takes a cold build (~10 min) and is measured in BENCHMARKS.md, not run here."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import harness

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
UNIT = ROOT / "packaging" / "systemd" / "mcp-gateway.service"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def stages(parsed: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for instruction in parsed:
        if instruction[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def test_the_dockerfile_builds_in_one_stage_and_runs_slim_as_non_root() -> None:
    parsed = instructions(DOCKERFILE.read_text())
    built, final = stages(parsed)[0], stages(parsed)[-1]
    assert len(stages(parsed)) == 2
    for stage in (built, final):
        base = stage[0][1].split()[0]
        assert ":" in base and not base.endswith(":latest"), f"unpinned base image {base}"
    assert " AS build" in built[0][1]
    assert any(i == "RUN" and "scripts/build-release.sh" in a for i, a in built)
    # The final stage: nothing of the toolchain, only the built package.
    assert any(i == "COPY" and a.startswith("--from=build /opt/mcp-gateway") for i, a in final)
    users = [a for i, a in final if i == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), users
    assert ("ENV", "MCP_GATEWAY_CACHE_DIR=/var/cache/mcp-gateway") in final
    health = [a for i, a in final if i == "HEALTHCHECK"]
    assert len(health) == 1 and "CMD [" in health[0], health
    probe = json.loads(health[0][health[0].index("["):])
    assert probe[:2] == ["mcp-gateway", "ready"] and "/etc/mcp-gateway/gateway.yaml" in probe, probe
    for key in ("ENTRYPOINT", "CMD"):
        [value] = [a for i, a in final if i == key]
        json.loads(value)  # exec form: signals reach the gateway, not a shell
    assert json.loads([a for i, a in final if i == "CMD"][0]) == ["serve", "--config", "/etc/mcp-gateway/gateway.yaml"]


def test_every_path_the_dockerfile_copies_exists_and_the_context_leaves_builds_out() -> None:
    for instruction, args in instructions(DOCKERFILE.read_text()):
        if instruction != "COPY" or args.startswith("--from="):
            continue
        *sources, _ = args.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
    ignored = (ROOT / ".dockerignore").read_text().split()
    for heavy in (".build", ".venv", "dist", ".git"):
        assert heavy in ignored, f".dockerignore should leave out {heavy}"


def test_the_image_configuration_is_valid_and_refuses_to_start_without_its_key(tmp_path: Path) -> None:
    config = ROOT / "packaging" / "docker" / "gateway.yaml"
    with_key = harness.run_cli("config", "validate", str(config), env={"MCP_GATEWAY_ADMIN_KEY": "k" * 24})
    assert with_key.returncode == 0, with_key.stdout
    without = harness.run_cli("config", "validate", str(config), env={"MCP_GATEWAY_ADMIN_KEY": ""})
    assert without.returncode == 1 and "MCP_GATEWAY_ADMIN_KEY" in without.stdout, without.stdout
    # It listens beyond loopback, which the gateway allows only with authentication: the key is it.
    text = config.read_text()
    assert "host: 0.0.0.0" in text and "allow_unauthenticated" not in text


def test_the_systemd_unit_verifies_and_is_hardened(tmp_path: Path) -> None:
    assert shutil.which("systemd-analyze"), "scripts/setup-test-env.sh installs systemd-analyze"
    text = UNIT.read_text()
    # Point ExecStart at the binary under test: verify checks that the program exists.
    local = text.replace("/opt/mcp-gateway/mcp-gateway", str(harness.gateway_bin()))
    unit = tmp_path / "mcp-gateway.service"
    unit.write_text(local)
    verified = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    problems = [line for line in (verified.stdout + verified.stderr).splitlines()
                if str(unit) in line or "mcp-gateway.service" in line]
    assert verified.returncode == 0 and not problems, verified.stdout + verified.stderr
    settings = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
                       "PrivateTmp": "yes", "DynamicUser": "yes", "CapabilityBoundingSet": "",
                       "CacheDirectoryMode": "0700", "UMask": "0077"}.items():
        assert settings.get(key) == value, f"{key}={settings.get(key)!r}"
    assert settings["ExecReload"] == "/bin/kill -HUP $MAINPID"  # SIGHUP reloads the configuration
    assert settings["Environment"] == "MCP_GATEWAY_CACHE_DIR=/var/cache/mcp-gateway"


def test_the_release_script_promises_what_the_docs_say() -> None:
    script = (ROOT / "scripts" / "build-release.sh").read_text()
    subprocess.run(["bash", "-n", str(ROOT / "scripts" / "build-release.sh")], check=True)
    assert "--static-swift-stdlib" in script and "strip" in script
    for bundle in ("mcp-gateway_ToolSearch.resources", "mcp-gateway_GatewayCapabilities.resources"):
        assert bundle in script
        # The names the binary looks for beside itself (SearchModelLocation, StarterPack).
        sources = "".join(p.read_text() for p in (ROOT / "Sources").rglob("*.swift"))
        assert f'"{bundle}"' in sources
    assert "libswift" in script  # refuses a package that would need a Swift toolchain


@pytest.mark.skipif(not (ROOT / "dist" / "mcp-gateway" / "mcp-gateway").exists(),
                    reason="no release package built (scripts/build-release.sh)")
def test_a_built_release_package_runs_from_anywhere_with_its_resources(tmp_path: Path) -> None:
    package = (ROOT / "dist" / "mcp-gateway").resolve()
    copy = tmp_path / "opt" / "mcp-gateway"
    shutil.copytree(package, copy)
    link = tmp_path / "bin" / "mcp-gateway"
    link.parent.mkdir()
    link.symlink_to(copy / "mcp-gateway")
    env = {**os.environ, "PATH": f"{link.parent}:{os.environ['PATH']}", "MCP_GATEWAY_CACHE_DIR": str(tmp_path / "c")}
    env.pop("MCP_GATEWAY_SEARCH_MODEL", None)
    env.pop("MCP_GATEWAY_STARTER_PACK", None)
    found = subprocess.run(["mcp-gateway", "search", "--json", "weather forecast for Oslo"], capture_output=True,
                           text=True, timeout=60, env=env, cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["matches"], found.stdout
    assert "searching lexically" not in found.stderr  # the search model was found beside the binary


@pytest.mark.skipif(not (ROOT / "dist" / "mcp-gateway" / "mcp-gateway").exists(),
                    reason="no release package built (scripts/build-release.sh)")
def test_the_package_needs_only_what_the_runtime_image_has() -> None:
    listed = subprocess.run(["ldd", str(ROOT / "dist" / "mcp-gateway" / "mcp-gateway")], capture_output=True,
                            text=True, check=True).stdout
    needed = {line.split()[0].split(".so")[0] for line in listed.splitlines() if line.strip()}
    # In debian:bookworm-slim, or installed by the Dockerfile's runtime stage.
    provided = {"linux-vdso", "libc", "libm", "libstdc++", "libgcc_s", "libz", "libpthread", "libdl", "librt"}
    if "libsqlite3" in needed:
        assert "libsqlite3-0" in DOCKERFILE.read_text()
        provided.add("libsqlite3")
    unknown = {lib for lib in needed if lib not in provided and not lib.startswith("/lib") and "ld-linux" not in lib}
    assert not unknown, f"the image would lack {unknown}: {listed}"
