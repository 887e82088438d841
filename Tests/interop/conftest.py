"""Shared fixtures for the interop suite (see harness.py for the machinery)."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """Per-module directory for configs and process logs."""
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(scope="module")
def git_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small git repository with two commits (for mcp-server-git)."""
    repo = tmp_path_factory.mktemp("gitrepo")
    env = {"GIT_AUTHOR_NAME": "Interop", "GIT_AUTHOR_EMAIL": "interop@example.invalid",
           "GIT_COMMITTER_NAME": "Interop", "GIT_COMMITTER_EMAIL": "interop@example.invalid",
           "HOME": str(repo), "PATH": "/usr/local/bin:/usr/bin:/bin"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (repo / "README.md").write_text("# interop fixture\n")
    git("add", "README.md")
    git("commit", "-q", "-m", "first interop commit")
    (repo / "notes.txt").write_text("hello from the interop suite\n")
    git("add", "notes.txt")
    git("commit", "-q", "-m", "second interop commit")
    return repo


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A local HTTP site on 127.0.0.1 (for mcp-server-fetch); yields its base URL."""
    root = tmp_path_factory.mktemp("site")
    (root / "page.txt").write_text("Hello Interop: the fetch server reached the local site.\n")
    (root / "page.html").write_text("<html><body><h1>Hello Interop</h1><p>fetched</p></body></html>\n")
    # Longer than a shaped backend's max_result_bytes (test_tool_shaping.py).
    (root / "big.txt").write_text("".join(f"line {n:04d} of a long page\n" for n in range(1, 600)))

    def handler(*a: object, **kw: object) -> _QuietHandler:
        return _QuietHandler(*a, directory=str(root), **kw)  # type: ignore[arg-type]

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and harness.GATEWAY_LOGS:
        # The newest gateway log is the one the failing test talked to (module fixtures start one each).
        for log in harness.GATEWAY_LOGS[-2:]:
            rep.sections.append((f"gateway log {log.name} (tail)", harness.tail(log, 80)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _write_interop_doc(session)
    harness._cleanup_all()


def _write_interop_doc(session: pytest.Session) -> None:
    """docs/interop.md from this session's matrix run (test_interop_matrix.py), only when the whole
    matrix ran: the document always shows one complete, real run."""
    matrix = sys.modules.get("matrix")
    if matrix is None or not matrix.RUN.cells:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    doc = harness.REPO_ROOT / "docs" / "interop.md"
    if matrix.RUN.complete:
        matrix.write_doc(doc)
        message = f"interop matrix: wrote {doc}"
    else:
        message = f"interop matrix: partial run ({len(matrix.RUN.cells)} of {len(matrix.ALL_CELLS)} cells), {doc} not rewritten"
    if reporter is not None:
        reporter.write_line(message)
